"""Publishing through the admin, as the public then sees it: scheduling by the clock alone,
unpublishing, slug changes that keep old addresses, escaping of what editors type, and the
attachments an editor may upload."""

import datetime as dt
import html
import re
import xml.etree.ElementTree as ET
from collections import Counter
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils.html import escape

from press.models import Attachment, Release
from tests.helpers.admin_forms import (
    add_with_attachments,
    attachment_errors,
    change_url,
    form_data,
    form_errors,
    new_release_data,
    with_attachments,
)
from tests.helpers.files import TINY_PDF, TINY_PNG
from tests.helpers.users import PUBLISHERS, client_for, make_user
from tests.helpers.xss import XSS_PAYLOADS, unsafe_markup

pytestmark = pytest.mark.django_db

VIENNA = ZoneInfo("Europe/Vienna")
NOW = dt.datetime(2031, 5, 12, 15, 0, tzinfo=VIENNA)
TOMORROW_9 = dt.datetime(2031, 5, 13, 9, 0, tzinfo=VIENNA)
LIST_URL = "/press-releases/"
FEED_URL = "/press-releases/feed/"


@pytest.fixture
def publisher():
    return client_for(make_user("publisher", PUBLISHERS))


def publish(client, *, title="Ceasefire holds", slug="ceasefire-holds", at=None, **changes):
    """Add a published release through the admin; ``at`` is its publication time."""
    at = at or dt.datetime(2024, 5, 2, 10, 0, tzinfo=VIENNA)
    data = new_release_data(
        title=title,
        slug=slug,
        status=Release.Status.PUBLISHED,
        published_at_0=f"{at:%Y-%m-%d}",
        published_at_1=f"{at:%H:%M:%S}",
        **changes,
    )
    response = client.post(reverse("admin:press_release_add"), data)
    assert response.status_code == 302, form_errors(response)
    assert response.url == reverse("admin:press_release_changelist")
    return Release.objects.get(slug=slug)


def edit(client, release, **changes):
    data = form_data(client.get(change_url(release)))
    data.update(changes)
    response = client.post(change_url(release), data)
    assert response.status_code == 302, form_errors(response)
    release.refresh_from_db()
    return release


def listed_titles(client, url=LIST_URL):
    response = client.get(url)
    assert response.status_code == 200
    return [release.title for release in response.context["releases"]]


def feed_items(client):
    response = client.get(FEED_URL)
    assert response.status_code == 200
    return ET.fromstring(response.content).find("channel").findall("item")


def feed_titles(client):
    return [item.findtext("title") for item in feed_items(client)]


# ---------------------------------------------------------------------------------------
# Scheduling and unpublishing


def test_a_scheduled_release_appears_by_itself_when_its_time_comes(client):
    with time_machine.travel(NOW, tick=False):
        # Logged in at the frozen time, so the session is not already out of date.
        user = make_user("publisher", PUBLISHERS)
        publisher = client_for(user)
        release = publish(publisher, title="Out tomorrow", slug="out-tomorrow", at=TOMORROW_9)
        assert release.status == Release.Status.PUBLISHED
        assert release.state_label == "Scheduled"

        assert "Out tomorrow" not in listed_titles(client)
        assert "Out tomorrow" not in feed_titles(client)
        assert client.get(release.get_absolute_url()).status_code == 404
        changelist = publisher.get(reverse("admin:press_release_changelist"))
        assert (
            '<td class="field-state">Scheduled<br><span class="mini quiet">publishes '
            "13 May 2031, 09:00 CEST (Europe/Vienna)</span></td>"
        ) in changelist.content.decode()
        # Its author previews it, with the time it comes out.
        preview = publisher.get(release.get_absolute_url())
        assert preview.status_code == 200
        assert "<strong>Scheduled</strong>" in preview.content.decode()
        assert "13 May 2031, 09:00" in preview.content.decode()

    with time_machine.travel(TOMORROW_9 - dt.timedelta(seconds=1), tick=False):
        assert client.get(release.get_absolute_url()).status_code == 404

    with time_machine.travel(TOMORROW_9 + dt.timedelta(minutes=1), tick=False):
        assert listed_titles(client)[0] == "Out tomorrow"
        assert "Out tomorrow" in feed_titles(client)
        page = client.get(release.get_absolute_url())
        assert page.status_code == 200
        assert "notice--preview" not in page.content.decode()
        # Yesterday's session has expired (sessions last 8 hours): the publisher logs in again.
        publisher.force_login(user)
        changelist = publisher.get(reverse("admin:press_release_changelist"))
        assert re.search(r'<td class="field-state">Published</td>', changelist.content.decode())

    release.refresh_from_db()
    assert release.version == 1  # nothing saved it: the clock alone published it


def test_unpublishing_takes_a_release_off_the_site(client, publisher):
    release = publish(publisher)
    other = publish(publisher, title="Still out", slug="still-out")
    assert client.get(release.get_absolute_url()).status_code == 200
    assert "Ceasefire holds" in listed_titles(client)

    response = publisher.post(
        reverse("admin:press_release_changelist"),
        {"action": "unpublish_selected", "_selected_action": [str(release.pk)]},
    )

    assert response.status_code == 302
    release.refresh_from_db()
    assert release.status == Release.Status.UNPUBLISHED
    assert client.get(release.get_absolute_url()).status_code == 404
    assert listed_titles(client) == ["Still out"]
    assert feed_titles(client) == ["Still out"]
    assert client.get(other.get_absolute_url()).status_code == 200


# ---------------------------------------------------------------------------------------
# Slug changes


def test_a_changed_slug_redirects_the_old_address_permanently(client, publisher):
    release = publish(publisher, slug="ceasefire-holds")
    old_url = release.get_absolute_url()

    edit(publisher, release, slug="ceasefire-holds-in-the-east")

    new_url = release.get_absolute_url()
    assert new_url == "/press-releases/ceasefire-holds-in-the-east/"
    response = client.get(old_url)
    assert response.status_code == 301
    assert response.url == new_url
    assert client.get(new_url).status_code == 200


def test_changing_the_slug_back_does_not_loop(client, publisher):
    release = publish(publisher, slug="first-address")
    edit(publisher, release, slug="second-address")
    edit(publisher, release, slug="first-address")

    response = client.get("/press-releases/first-address/")
    assert response.status_code == 200
    assert "Ceasefire holds" in response.content.decode()
    response = client.get("/press-releases/second-address/")
    assert response.status_code == 301
    assert response.url == "/press-releases/first-address/"
    followed = client.get("/press-releases/second-address/", follow=True)
    assert followed.status_code == 200
    assert len(followed.redirect_chain) == 1


# ---------------------------------------------------------------------------------------
# What editors type never runs on the site

CORPUS = {
    name: XSS_PAYLOADS[name]
    for name in [
        "script tag",
        "img onerror",
        "javascript link",
        "svg onload",
        "style element",
        "style attribute",
        "event handler on allowed tag",
    ]
}


def element_text(html, pattern):
    match = re.search(pattern, html, re.S)
    assert match, f"{pattern} not on the page"
    return match.group(1)


def added_unsafe_markup(html, control_html):
    return sorted(Counter(unsafe_markup(html)) - Counter(unsafe_markup(control_html)))


def save_with_payload(client, payload, *, lead=True):
    """A published release with ``payload`` in its title, lead (unless not) and body."""
    release = publish(
        client,
        title=f"Talks resume {payload}",
        slug="talks-resume",
        lead=f"The parties met. {payload}" if lead else "",
        body=f"<p>VIENNA – The talks resumed.</p>{payload}",
    )
    # Plain text is stored as typed, and escaped when shown; the body is sanitised.
    assert release.title == f"Talks resume {payload}"
    assert "The talks resumed." in release.body
    assert not unsafe_markup(release.body)
    return release


@pytest.fixture
def control(publisher):
    return publish(publisher, title="A quiet release", slug="quiet", lead="Nothing odd.")


@pytest.mark.parametrize("payload", CORPUS.values(), ids=CORPUS.keys())
def test_markup_typed_into_a_release_is_shown_as_text_on_its_page(
    client, publisher, control, payload
):
    control_page = client.get(control.get_absolute_url()).content.decode()
    release = save_with_payload(publisher, payload)

    page = client.get(release.get_absolute_url()).content.decode()

    heading = element_text(page, r"<h1>(.*?)</h1>")
    assert heading == escape(release.title)
    assert "&lt;" in heading
    assert "<" not in heading
    assert element_text(page, r'<p class="lead">(.*?)</p>') == escape(release.lead)
    assert release.title not in page
    assert release.lead not in page
    assert "The talks resumed." in page
    assert not added_unsafe_markup(page, control_page)


@pytest.mark.parametrize("payload", CORPUS.values(), ids=CORPUS.keys())
def test_markup_typed_into_a_release_is_shown_as_text_on_the_finder_card(
    client, publisher, control, payload
):
    control_list = client.get(LIST_URL).content.decode()
    release = save_with_payload(publisher, payload)

    listing = client.get(LIST_URL).content.decode()

    card_title = element_text(
        listing, r'<h3 class="card__title"><a [^>]*>([^<]*Talks resume.*?)</a>'
    )
    assert card_title == escape(release.title)
    assert "<" not in card_title
    assert f'<p class="card__snippet">{escape(release.lead)}</p>' in listing
    assert release.title not in listing
    assert not added_unsafe_markup(listing, control_list)


def feed_item(client, title):
    raw = client.get(FEED_URL).content.decode()
    # XML-escaped: nothing typed into a release is markup in the feed document itself.
    for dangerous in ["<script", "<img", "<svg", "<style", "<p ", "<a "]:
        assert dangerous not in raw
    return next(i for i in feed_items(client) if i.findtext("title") == title)


@pytest.mark.parametrize("payload", CORPUS.values(), ids=CORPUS.keys())
def test_a_body_with_markup_gives_a_feed_description_without_markup(client, publisher, payload):
    release = save_with_payload(publisher, payload, lead=False)

    item = feed_item(client, release.title)

    # The title is text; the description is HTML to a feed reader: it must hold no markup.
    description = item.findtext("description")
    assert "The talks resumed." in description
    assert not unsafe_markup(description), description


@pytest.mark.parametrize("payload", CORPUS.values(), ids=CORPUS.keys())
def test_a_lead_with_markup_gives_a_feed_description_without_markup(client, publisher, payload):
    release = save_with_payload(publisher, payload)

    item = feed_item(client, release.title)

    description = item.findtext("description")
    assert html.unescape(description) == release.lead  # the lead, as text
    assert not unsafe_markup(description), description


# ---------------------------------------------------------------------------------------
# Attachments


@pytest.fixture
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def test_a_small_image_and_pdf_are_accepted_and_shown(client, publisher, media_root):
    response = add_with_attachments(
        publisher,
        ("Map of the region", SimpleUploadedFile("Map of the region.PNG", TINY_PNG, "image/png")),
        ("The full report", SimpleUploadedFile("report 2024.pdf", TINY_PDF, "application/pdf")),
    )

    assert response.status_code == 302, form_errors(response) or attachment_errors(response)
    release = Release.objects.get(slug="report-published")
    image, pdf = release.attachments.all()
    for attachment in (image, pdf):
        assert attachment.file.name.startswith("releases/")
        assert (media_root / attachment.file.name).is_file()
    assert image.file.name.endswith(".png")
    assert (media_root / image.file.name).read_bytes() == TINY_PNG
    assert (media_root / pdf.file.name).read_bytes() == TINY_PDF

    page = client.get(release.get_absolute_url()).content.decode()
    assert f'<img src="{image.file.url}" alt="Map of the region"' in page
    assert f'<a href="{pdf.file.url}">The full report</a> (PDF)' in page


REFUSED = {
    "program": (
        "setup.exe",
        b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 64,
        "application/x-msdownload",
    ),
    "HTML named .pdf": (
        "report.pdf",
        b"<!DOCTYPE html><html><script>alert(1)</script></html>",
        "application/pdf",
    ),
    "PNG named .pdf": ("picture.pdf", TINY_PNG, "application/pdf"),
    "PDF named .png": ("picture.png", TINY_PDF, "image/png"),
    "no extension": ("report", TINY_PDF, "application/pdf"),
    "over 10 MB": ("big.pdf", b"%PDF-" + b"0" * (10 * 1024 * 1024 + 1 - 5), "application/pdf"),
}


@pytest.mark.parametrize("upload", REFUSED.values(), ids=REFUSED.keys())
def test_a_file_not_an_image_or_pdf_or_too_large_is_refused(publisher, media_root, upload):
    name, content, content_type = upload
    response = add_with_attachments(
        publisher, ("Annex", SimpleUploadedFile(name, content, content_type))
    )

    assert response.status_code == 200
    assert attachment_errors(response)
    assert not Release.objects.filter(slug="report-published").exists()
    assert not Attachment.objects.exists()
    assert not [path for path in media_root.rglob("*") if path.is_file()]


def test_exactly_10_mb_is_accepted(publisher, media_root):
    content = b"%PDF-" + b"0" * (10 * 1024 * 1024 - 5)
    response = add_with_attachments(
        publisher, ("Annex", SimpleUploadedFile("annex.pdf", content, "application/pdf"))
    )
    assert response.status_code == 302, attachment_errors(response)
    assert Attachment.objects.get().file.size == 10 * 1024 * 1024


@pytest.mark.parametrize(
    "name", ["../../etc/passwd.pdf", "..\\..\\windows\\report.pdf", "a/../../b/<x>.pdf"]
)
def test_a_path_in_the_file_name_never_leaves_the_releases_folder(
    publisher, media_root, tmp_path, name
):
    response = add_with_attachments(
        publisher, ("Annex", SimpleUploadedFile(name, TINY_PDF, "application/pdf"))
    )

    stored = Attachment.objects.first()
    if response.status_code == 200:
        assert attachment_errors(response)
        assert stored is None
        return
    assert response.status_code == 302
    assert stored.file.name.startswith("releases/")
    assert ".." not in stored.file.name
    assert "\\" not in stored.file.name
    assert "<" not in stored.file.name
    assert stored.file.name.endswith(".pdf")
    path = (media_root / stored.file.name).resolve()
    assert path.is_relative_to((media_root / "releases").resolve())
    assert path.read_bytes() == TINY_PDF


def test_an_attachment_added_to_an_existing_release_is_a_change(client, publisher, media_root):
    release = publish(publisher)
    data = form_data(publisher.get(change_url(release)))
    data.update(with_attachments(("Photo", SimpleUploadedFile("photo.png", TINY_PNG))))

    response = publisher.post(change_url(release), data)

    assert response.status_code == 302, form_errors(response) or attachment_errors(response)
    release.refresh_from_db()
    assert release.version == 2
    assert [a.title for a in release.attachments.all()] == ["Photo"]
    assert 'alt="Photo"' in client.get(release.get_absolute_url()).content.decode()
