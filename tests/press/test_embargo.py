"""Embargo links: a publisher shows a draft to journalists before it is public.

Through the public surface: the admin's add form and its withdraw action, per role; the
link's page as an anonymous journalist sees it (headers, banner, the log of openings);
the link after it expires, is withdrawn, or its release is published; forged links.
"""

import datetime as dt
import logging
import re

import pytest
import time_machine
from django.core import signing
from django.utils import timezone

from press.models import EmbargoLink, EmbargoUse, Release
from tests.helpers import users
from tests.helpers.pages import main
from tests.helpers.users import PUBLISHERS, PUBLISHING, client_for, make_user
from tests.helpers.xss import XSS_PAYLOADS, unsafe_markup

pytestmark = pytest.mark.django_db
role, actor = users.role, users.actor

ADD_URL = "/admin/press/embargolink/"


@pytest.fixture
def draft(make_release):
    return make_release(
        title="Chair to visit the South Caucasus",
        body="<p>The Chair will travel on Monday.</p>",
        status=Release.Status.DRAFT,
        days_ago=-2,
    )


@pytest.fixture
def publisher():
    return make_user("publisher", PUBLISHERS)


def add_link(client, release, recipient="Reuters, Vienna desk", expires_at=None):
    expires_at = expires_at or timezone.localtime() + dt.timedelta(days=2)
    return client.post(
        ADD_URL + "add/",
        {
            "release": release.pk,
            "recipient": recipient,
            "expires_at_0": f"{expires_at:%Y-%m-%d}",
            "expires_at_1": f"{expires_at:%H:%M:%S}",
        },
    )


@pytest.fixture
def link(publisher, draft):
    response = add_link(client_for(publisher), draft)
    assert response.status_code == 302, response.content.decode()[:3000]
    return EmbargoLink.objects.get()


def test_each_role_may_or_may_not_make_links(actor, role, draft):
    response = add_link(actor, draft)

    if role in PUBLISHING:
        assert response.status_code == 302
        assert EmbargoLink.objects.filter(release=draft).count() == 1
    else:
        assert response.status_code in (302, 403)  # anonymous to the login, staff refused
        assert not response.headers.get("Location", "").startswith(ADD_URL)
        assert not EmbargoLink.objects.exists()


def test_the_publisher_is_shown_the_whole_link_once_made(publisher, draft):
    client = client_for(publisher)
    response = add_link(client, draft)
    page = client.get(response.url).content.decode()

    made = EmbargoLink.objects.get()
    # The token is signed with the time (signing.dumps): the page's is read back, as the
    # journalist's browser would, rather than made again a second later.
    shown = re.findall(r"http://testserver/embargo/([^/\s\"<]+)/", page)
    assert shown
    assert {EmbargoLink.from_token(token) for token in shown} == {made}
    assert made.created_by == publisher


def test_a_public_release_or_a_past_moment_is_a_form_error(publisher, make_release, draft):
    client = client_for(publisher)
    public = make_release(title="Already out")

    refused = add_link(client, public)
    assert refused.status_code == 200
    assert "public already" in refused.content.decode()
    past = add_link(client, draft, expires_at=timezone.localtime() - dt.timedelta(hours=1))
    assert past.status_code == 200
    assert "in the future" in past.content.decode()
    assert not EmbargoLink.objects.exists()


def test_a_journalist_reads_the_draft_without_logging_in(client, link, draft, caplog):
    with caplog.at_level(logging.INFO, logger="press.embargo"):
        response = client.get(link.get_absolute_url(), HTTP_USER_AGENT="NewsBot/1.0")

    assert response.status_code == 200
    page = response.content.decode()
    assert draft.title in page
    assert "Embargoed" in page
    assert "Reuters, Vienna desk" in page
    assert '<meta name="robots" content="noindex, nofollow">' in page
    assert response["X-Robots-Tag"] == "noindex, nofollow"
    assert response["Referrer-Policy"] == "no-referrer"
    assert "no-store" in response["Cache-Control"]
    assert "private" in response["Cache-Control"]
    assert not response.cookies
    use = EmbargoUse.objects.get()
    assert (use.link, use.outcome, use.user_agent) == (link, "shown", "NewsBot/1.0")
    assert any("shown" in record.getMessage() for record in caplog.records)
    seen_by = client_for(EmbargoLink.objects.get().created_by)
    log = seen_by.get(f"{ADD_URL}{link.pk}/change/").content.decode()
    assert "· shown · 127.0.0.1 · NewsBot/1.0" in log
    # The release's own address still shows nothing to the public.
    assert client.get(draft.get_absolute_url()).status_code == 404


def test_an_expired_link_shows_nothing(client, link):
    with time_machine.travel(link.expires_at + dt.timedelta(seconds=1)):
        response = client.get(link.get_absolute_url())

    assert response.status_code == 410
    assert "expired" in response.content.decode()
    assert "Chair to visit" not in response.content.decode()
    assert EmbargoUse.objects.get().outcome == "expired"


def test_a_withdrawn_link_shows_nothing_at_once(client, link, publisher):
    assert client.get(link.get_absolute_url()).status_code == 200

    client_for(publisher).post(
        ADD_URL, {"action": "withdraw", "_selected_action": [link.pk]}, follow=True
    )
    response = client.get(link.get_absolute_url())

    assert response.status_code == 410
    assert "withdrawn" in response.content.decode()
    assert list(EmbargoUse.objects.order_by("at").values_list("outcome", flat=True)) == [
        "shown",
        "withdrawn",
    ]


def test_once_published_the_link_leads_to_the_public_page(client, link, draft):
    draft.status = Release.Status.PUBLISHED
    draft.published_at = timezone.now() - dt.timedelta(minutes=1)
    draft.save()

    response = client.get(link.get_absolute_url())

    assert response.status_code == 302
    assert response.url == draft.get_absolute_url()
    assert client.get(response.url).status_code == 200


@pytest.mark.parametrize(
    "token",
    ["1", "nonsense", "MQ:1vUuoR:forged-signature", "a" * 300],
)
def test_a_forged_or_broken_link_is_not_found(client, link, token):
    response = client.get(f"/embargo/{token}/")

    assert response.status_code == 404
    assert not EmbargoUse.objects.exists()


def test_only_the_site_s_own_signature_opens_a_link(client, link, draft):
    other = EmbargoLink.objects.create(release=draft, recipient="AFP")
    signed_elsewhere = signing.dumps(other.pk, salt="another purpose", compress=True)

    assert client.get(f"/embargo/{signed_elsewhere}/").status_code == 404
    assert client.get(other.get_absolute_url()).status_code == 200


def test_no_recipient_name_reaches_the_page_as_markup(client, draft):
    for name, payload in XSS_PAYLOADS.items():
        if "\x00" in payload:
            continue  # PostgreSQL stores no NUL; the admin's form refuses it
        made = EmbargoLink.objects.create(release=draft, recipient=payload[:200])
        response = client.get(made.get_absolute_url())
        assert response.status_code == 200, name
        assert unsafe_markup(str(main(response))) == [], name
