"""English as the organisation writes it: British dates (the site's language was en-gb)."""

from django.conf.locale.en_GB.formats import *  # noqa: F403
