"""English as the organisation writes it: British dates (the site's language was en-gb),
the month in full ("24 September 2021"), as every page has shown its dates."""

from django.conf.locale.en_GB.formats import *  # noqa: F403

DATE_FORMAT = "j F Y"
DATETIME_FORMAT = "j F Y, H:i"
