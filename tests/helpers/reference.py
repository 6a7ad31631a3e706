"""The reference data as the tests name it: country groups, the chairs of 2025 and 2026 as
the menu marks them, moments in those years, the admin's lists, and the countries page
read by section."""

import datetime as dt
import html
import re

from django.urls import reverse

PARTICIPATING = "participating-states"
ASIAN = "asian-partners-for-co-operation"

IN_2025 = dt.datetime(2025, 6, 1, 12, 0, tzinfo=dt.UTC)
IN_2026 = dt.datetime(2026, 6, 1, 12, 0, tzinfo=dt.UTC)
FINLAND_CHAIR = "Finland – OSCE Chairpersonship 2025"
SWITZERLAND_CHAIR = "Switzerland – OSCE Chairpersonship 2026"

FIELDS_URL = reverse("admin:taxonomy_fieldofwork_changelist")
COUNTRIES_URL = reverse("admin:taxonomy_country_changelist")
IMPORT_URL = reverse("admin:taxonomy_country_import")


def country_sections(content):
    """The countries page (its HTML): {section id: [country names, as listed]}."""
    sections = re.findall(r'<section id="([^"]+)"(.*?)</section>', content, re.DOTALL)
    return {
        section_id: [html.unescape(name) for name in re.findall(r"<li><a [^>]*>([^<]+)</a>", body)]
        for section_id, body in sections
    }
