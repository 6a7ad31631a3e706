"""The visitors' page cache is never stale: every change shows on the next request.

Everything goes through HTTP with the test client, as a visitor (no session cookie) or as
staff in the admin. A page is warmed first and proved cached (its second visit runs no SQL
and returns the same bytes), then something changes (a publish, an edit, an unpublish, a
delete, other sources, a renamed term, the clock passing a scheduled time), and the very
next visitor request must show it on every page that lists the release.
"""

import datetime as dt
import email.utils
import re
import threading
import time

import pytest
import time_machine
from django.core.cache import cache, caches
from django.core.cache.backends.locmem import LocMemCache
from django.core.files.base import ContentFile
from django.db import connection
from django.http import HttpResponse
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.http import http_date

from institutions.models import Structure
from press import pagecache
from press.models import Attachment, Release
from taxonomy import freshness
from taxonomy.models import Country, FieldOfWork, Place
from tests.helpers.admin_forms import change_url, form_errors, post_change, shown_form_data
from tests.helpers.queries import CACHED_PAGE_QUERIES
from tests.helpers.users import PUBLISHERS, client_for, make_user
from tests.helpers.waiting import wait_until

pytestmark = pytest.mark.django_db

Status = Release.Status
TITLE = "Water diplomacy on the Dniester"
DRAFT_TITLE = "Draft talks on the Dniester bridge"

# Every public page a release of the Mission to Moldova on human rights shows on, with
# what to look for there (the sitemap lists addresses, not titles).
PAGES = {
    "finder": "/press-releases/",
    "home": "/",
    "field page": "/fields-of-work/human-rights/",
    "country page": "/countries/moldova/",
    "structure page": "/structures/mission-to-moldova/",
    "feed": "/press-releases/feed/",
    "term feed": "/fields-of-work/human-rights/feed/",
    "sitemap": "/sitemap-releases.xml",
}
WRITE = re.compile(r"[\s(]*(INSERT|UPDATE|DELETE|REPLACE)\b", re.IGNORECASE)


# ---------------------------------------------------------------------------------------
# Helpers


def visit(url, method="get", **headers):
    """A visitor's request: a fresh client, so no cookie at all."""
    return getattr(Client(), method)(url, headers=headers)


def a_second_later():
    """Travel past the second of the last change: only then may a page carry a date."""
    pagecache.versions()  # a cold cache counts as changed now
    return time_machine.travel(timezone.now() + dt.timedelta(seconds=1), tick=True)


def warm(url, django_assert_max_num_queries):
    """Visit ``url`` twice and prove the second visit came from the cache; its response."""
    first = visit(url)
    assert first.status_code == 200, (url, first.status_code)
    with django_assert_max_num_queries(CACHED_PAGE_QUERIES):
        second = visit(url)
    assert second.status_code == 200
    assert second.content == first.content, url
    assert second["ETag"] == first["ETag"]
    return second


def warm_all(urls, django_assert_max_num_queries):
    return {url: warm(url, django_assert_max_num_queries).content.decode() for url in urls}


def marker(release, url):
    return release.slug if url.endswith(".xml") else release.title


def shown_on(release, urls):
    """The pages of ``urls`` that show ``release`` to the next visitor."""
    found = []
    for url in urls:
        response = visit(url)
        assert response.status_code == 200, (url, response.status_code)
        if marker(release, url) in response.content.decode():
            found.append(url)
    return found


def terms_of(html):
    """The terms a page shows with its releases: the cards' lines, or a release's details."""
    found = re.findall(r'<p class="card__terms">.*?</p>', html, re.S)
    found += re.findall(r'<dl class="release__meta">.*?</dl>', html, re.S)
    assert found, "no release terms on the page"
    return "\n".join(found)


def page_keys():
    """The visitors' pages held by the (per-process, in-memory) test cache."""
    backend = caches["default"]
    assert isinstance(backend, LocMemCache)
    return [key for key in backend._cache if ":page:" in key]


def superuser_client():
    return client_for(make_user("root", superuser=True))


def publisher_client():
    return client_for(make_user("publisher", PUBLISHERS))


@pytest.fixture
def moldova(make_release):
    """A release of the Mission to Moldova on human rights, filed under Moldova."""

    def build(title=TITLE, status=Status.PUBLISHED, **values):
        return make_release(
            title=title,
            status=status,
            sources=values.pop("sources", ("mission-to-moldova",)),
            fields=values.pop("fields", ("human-rights",)),
            countries=values.pop("countries", ("moldova",)),
            place_slug=values.pop("place_slug", "chisinau"),
            **values,
        )

    return build


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


# ---------------------------------------------------------------------------------------
# A page is cached, with its validators


ALL_PAGES = {
    **PAGES,
    "finder, searched": "/press-releases/?q=water",
    "structure page, secretariat": "/structures/secretariat/",
    "meeting page": "/meetings/summit-meetings/",
    "release page": "/press-releases/water-diplomacy-on-the-dniester/",
    "countries": "/countries/",
    "fields of work": "/fields-of-work/",
}


@pytest.mark.parametrize("url", ALL_PAGES.values(), ids=ALL_PAGES.keys())
def test_a_public_page_is_cached_whole(url, moldova, django_assert_max_num_queries):
    moldova()
    with a_second_later():
        first = visit(url)
        assert first.status_code == 200
        with django_assert_max_num_queries(CACHED_PAGE_QUERIES):
            second = visit(url)
    assert second.status_code == 200
    assert second.content == first.content
    for response in (first, second):
        assert response["ETag"].startswith('"')
        assert email.utils.parsedate_to_datetime(response["Last-Modified"])
        assert response["Cache-Control"] == "public, no-cache"
        assert "Cookie" in response["Vary"]
        assert not response.cookies
    assert second["Content-Type"] == first["Content-Type"]


def test_a_visitor_with_other_cookies_gets_the_cached_page(moldova, django_assert_max_num_queries):
    moldova()
    warm("/press-releases/", django_assert_max_num_queries)
    client = Client()
    client.cookies["csrftoken"] = "x" * 32
    client.cookies["theme"] = "dark"
    with django_assert_max_num_queries(CACHED_PAGE_QUERIES):
        assert client.get("/press-releases/").status_code == 200


@pytest.mark.parametrize("session", ["not-a-session-at-all", "x" * 32])
def test_a_stray_session_cookie_is_served_from_the_cache(
    moldova, django_assert_max_num_queries, session
):
    """A cookie named like a session that is no live one (expired, forged, from another
    site) is one query more (looking it up), and the cached page, not a fresh render."""
    moldova()
    first = warm("/press-releases/", django_assert_max_num_queries)
    client = Client()
    client.cookies["sessionid"] = session
    with django_assert_max_num_queries(CACHED_PAGE_QUERIES + 1):
        response = client.get("/press-releases/")
    assert response.content == first.content
    assert response["Cache-Control"] == "public, no-cache"
    assert len(page_keys()) == 1


def test_parameters_a_page_does_not_read_make_no_new_entry(moldova, django_assert_max_num_queries):
    moldova()
    first = warm("/press-releases/?field=human-rights", django_assert_max_num_queries)
    for junk in ("utm_source=news&utm_medium=email", "fbclid=abc", "_=1", "x=1&y=2"):
        with django_assert_max_num_queries(CACHED_PAGE_QUERIES):
            response = visit(f"/press-releases/?field=human-rights&{junk}")
        assert response.content == first.content
    assert 'rel="canonical" href="http://testserver/press-releases/?field=human-rights"' in (
        first.content.decode()
    )
    # A feed reads the filters only: a page number makes no other feed.
    feed = visit("/press-releases/feed/?field=human-rights")
    with django_assert_max_num_queries(CACHED_PAGE_QUERIES):
        assert visit("/press-releases/feed/?field=human-rights&page=7").content == feed.content
    assert len(page_keys()) == 2


# ---------------------------------------------------------------------------------------
# Publishing


def publish_with_the_change_form(release):
    response = post_change(publisher_client(), release, status=Status.PUBLISHED)
    assert response.status_code == 302, form_errors(response)


def publish_with_the_bulk_action(release):
    response = superuser_client().post(
        reverse("admin:press_release_changelist"),
        {"action": "publish_selected", "_selected_action": [str(release.pk)]},
    )
    assert response.status_code == 302


def publish_with_a_model_save(release):
    release.status = Status.PUBLISHED
    release.save()


PUBLISHERS_WAYS = {
    "admin change form (publisher)": publish_with_the_change_form,
    "admin bulk action (superuser)": publish_with_the_bulk_action,
    "model save": publish_with_a_model_save,
}


@pytest.mark.parametrize("publish", PUBLISHERS_WAYS.values(), ids=PUBLISHERS_WAYS.keys())
def test_a_published_draft_shows_on_the_next_visit(publish, moldova, django_assert_max_num_queries):
    moldova(title="An older release already online", days_ago=5)
    draft = moldova(title=DRAFT_TITLE, status=Status.DRAFT)
    warm_all(PAGES.values(), django_assert_max_num_queries)
    assert shown_on(draft, PAGES.values()) == []
    assert visit(draft.get_absolute_url()).status_code == 404

    publish(draft)

    draft.refresh_from_db()
    assert draft.status == Status.PUBLISHED
    assert shown_on(draft, PAGES.values()) == list(PAGES.values())
    page = visit(draft.get_absolute_url())
    assert page.status_code == 200
    assert DRAFT_TITLE in page.content.decode()


# ---------------------------------------------------------------------------------------
# Editing, unpublishing, deleting, other sources, attachments, places


def test_an_edited_title_shows_on_the_next_visit(moldova, django_assert_max_num_queries):
    release = moldova()
    urls = [*PAGES.values(), release.get_absolute_url()]
    warm_all(urls, django_assert_max_num_queries)

    response = post_change(superuser_client(), release, title="Bridge reopened on the Dniester")
    assert response.status_code == 302, form_errors(response)

    for url in urls:
        if url.endswith(".xml"):
            continue
        text = visit(url).content.decode()
        assert "Bridge reopened on the Dniester" in text, url
        assert TITLE not in text, url


def test_an_edited_title_by_model_save_shows_on_the_next_visit(
    moldova, django_assert_max_num_queries
):
    release = moldova()
    warm_all([PAGES["finder"], release.get_absolute_url()], django_assert_max_num_queries)
    release.title = "Saved straight to the database"
    release.save()
    for url in (PAGES["finder"], release.get_absolute_url()):
        assert "Saved straight to the database" in visit(url).content.decode()


UNPUBLISHERS_WAYS = {
    "admin change form": lambda r: post_change(publisher_client(), r, status=Status.UNPUBLISHED),
    "admin bulk action": lambda r: superuser_client().post(
        reverse("admin:press_release_changelist"),
        {"action": "unpublish_selected", "_selected_action": [str(r.pk)]},
    ),
}


@pytest.mark.parametrize("unpublish", UNPUBLISHERS_WAYS.values(), ids=UNPUBLISHERS_WAYS.keys())
def test_an_unpublished_release_goes_on_the_next_visit(
    unpublish, moldova, django_assert_max_num_queries
):
    release = moldova()
    warm_all([*PAGES.values(), release.get_absolute_url()], django_assert_max_num_queries)
    assert shown_on(release, PAGES.values()) == list(PAGES.values())

    assert unpublish(release).status_code == 302

    release.refresh_from_db()
    assert release.status == Status.UNPUBLISHED
    assert shown_on(release, PAGES.values()) == []
    assert visit(release.get_absolute_url()).status_code == 404


def test_a_deleted_release_goes_on_the_next_visit(moldova, django_assert_max_num_queries):
    release = moldova()
    url = release.get_absolute_url()
    warm_all([*PAGES.values(), url], django_assert_max_num_queries)

    delete_url = reverse("admin:press_release_delete", args=[release.pk])
    assert superuser_client().post(delete_url, {"post": "yes"}).status_code == 302

    assert not Release.objects.filter(pk=release.pk).exists()
    assert shown_on(release, PAGES.values()) == []
    assert visit(url).status_code == 404


SECRETARIAT_PAGE = "/structures/secretariat/"
MOLDOVA_PAGE = "/structures/mission-to-moldova/"


def other_sources_by_admin(release):
    data = shown_form_data(release)
    data["sources"] = [str(Structure.objects.get(slug="secretariat").pk)]
    response = superuser_client().post(change_url(release), data)
    assert response.status_code == 302, form_errors(response)


def other_sources_by_set(release):
    release.sources.set([Structure.objects.get(slug="secretariat")])


def other_sources_from_the_other_side(release):
    Structure.objects.get(slug="mission-to-moldova").releases.remove(release)
    Structure.objects.get(slug="secretariat").releases.add(release)


SOURCE_CHANGES = {
    "admin change form": other_sources_by_admin,
    "sources.set()": other_sources_by_set,
    "structure.releases add/remove": other_sources_from_the_other_side,
}


@pytest.mark.parametrize("change", SOURCE_CHANGES.values(), ids=SOURCE_CHANGES.keys())
def test_other_sources_show_on_the_next_visit(change, moldova, django_assert_max_num_queries):
    release = moldova()
    urls = [SECRETARIAT_PAGE, MOLDOVA_PAGE, PAGES["finder"], release.get_absolute_url()]
    warm_all(urls, django_assert_max_num_queries)
    assert shown_on(release, [SECRETARIAT_PAGE, MOLDOVA_PAGE]) == [MOLDOVA_PAGE]

    change(release)

    assert shown_on(release, [SECRETARIAT_PAGE, MOLDOVA_PAGE]) == [SECRETARIAT_PAGE]
    for url in (PAGES["finder"], release.get_absolute_url()):
        terms = terms_of(visit(url).content.decode())
        assert ">Secretariat</a>" in terms, url
        assert ">Mission to Moldova</a>" not in terms, url


def test_cleared_fields_of_work_show_on_the_next_visit(moldova, django_assert_max_num_queries):
    release = moldova()
    field_page = PAGES["field page"]
    warm_all([field_page, PAGES["finder"]], django_assert_max_num_queries)

    release.fields_of_work.clear()

    assert shown_on(release, [field_page]) == []
    assert shown_on(release, [PAGES["finder"]]) == [PAGES["finder"]]


def test_an_attachment_shows_and_goes_on_the_next_visit(
    moldova, media, django_assert_max_num_queries
):
    release = moldova()
    url = release.get_absolute_url()
    warm(url, django_assert_max_num_queries)

    attachment = Attachment(release=release, title="Map of the crossing")
    attachment.file.save("map.pdf", ContentFile(b"%PDF-1.4 a map"), save=True)
    assert "Map of the crossing" in visit(url).content.decode()

    warm(url, django_assert_max_num_queries)
    attachment.delete()
    assert "Map of the crossing" not in visit(url).content.decode()


def test_a_renamed_place_shows_on_the_next_visit(moldova, django_assert_max_num_queries):
    release = moldova()
    warm_all([PAGES["finder"], release.get_absolute_url()], django_assert_max_num_queries)

    place = Place.objects.get(slug="chisinau")
    place.name = "Kishinev (old spelling)"
    place.save()

    for url in (PAGES["finder"], release.get_absolute_url()):
        assert "Kishinev (old spelling)" in visit(url).content.decode(), url


# ---------------------------------------------------------------------------------------
# Renamed terms: the menu and the cards


def rename_in_the_admin(term, name):
    data = shown_form_data(term)
    data["name"] = name
    response = superuser_client().post(change_url(term), data)
    assert response.status_code == 302, form_errors(response)
    term.refresh_from_db()
    assert term.name == name


def menu_of(html):
    return html.split('<nav class="menu"', 1)[1].split("</nav>", 1)[0]


def test_a_renamed_field_of_work_shows_in_the_menu_and_cards(
    moldova, django_assert_max_num_queries
):
    release = moldova()
    field = FieldOfWork.objects.get(slug="human-rights")
    urls = ["/", "/press-releases/", "/countries/", "/fields-of-work/", release.get_absolute_url()]
    before = warm_all(urls, django_assert_max_num_queries)
    assert ">Human rights</a>" in before["/press-releases/"]

    rename_in_the_admin(field, "Fundamental freedoms")

    for url in urls:
        text = visit(url).content.decode()
        assert ">Fundamental freedoms</a>" in menu_of(text), url
        assert ">Human rights</a>" not in menu_of(text), url
    for url in ("/", "/press-releases/"):
        cards = visit(url).content.decode().split("<main", 1)[1]
        assert ">Fundamental freedoms</a>" in cards, url
        assert ">Human rights</a>" not in cards, url
    assert "Fundamental freedoms" in visit(field.get_absolute_url()).content.decode()


def test_a_renamed_country_shows_in_the_menu_and_pages(moldova, django_assert_max_num_queries):
    release = moldova()
    country = Country.objects.get(slug="moldova")
    urls = ["/", "/press-releases/", "/countries/", release.get_absolute_url()]
    warm_all(urls, django_assert_max_num_queries)

    rename_in_the_admin(country, "Republic of Moldova")

    for url in urls:
        text = visit(url).content.decode()
        assert ">Republic of Moldova</a>" in menu_of(text), url
        assert ">Moldova</a>" not in menu_of(text), url
    assert "Republic of Moldova" in visit("/countries/").content.decode().split("<main", 1)[1]
    assert "Republic of Moldova" in visit(country.get_absolute_url()).content.decode()


# ---------------------------------------------------------------------------------------
# The clock: a scheduled release appears when its time comes, with no write


def test_a_scheduled_release_appears_when_its_time_passes(moldova, django_assert_max_num_queries):
    start = timezone.now().replace(microsecond=0)
    with time_machine.travel(start, tick=False) as traveller:
        moldova(title="Already online", days_ago=2)
        first = moldova(title="Scheduled for noon", published_at=start + dt.timedelta(hours=1))
        second = moldova(title="Scheduled for evening", published_at=start + dt.timedelta(hours=6))
        urls = list(PAGES.values())
        warm_all(urls, django_assert_max_num_queries)
        assert shown_on(first, urls) == []
        assert visit(first.get_absolute_url()).status_code == 404
        stamp = pagecache.stamp(freshness.current())

        traveller.shift(dt.timedelta(hours=1, seconds=1))

        with CaptureQueriesContext(connection) as queries:
            assert shown_on(first, urls) == urls
            assert visit(first.get_absolute_url()).status_code == 200
        written = [q["sql"] for q in queries if WRITE.match(q["sql"])]
        assert written == []
        assert pagecache.stamp(freshness.current()) != stamp  # the clock renewed it
        assert shown_on(second, urls) == []
        warm_all(urls, django_assert_max_num_queries)  # cached again until the next one

        traveller.shift(dt.timedelta(hours=5))

        assert shown_on(second, urls) == urls
        assert shown_on(first, urls) == urls


def test_a_scheduled_release_set_in_the_admin_waits_for_its_time(
    moldova, django_assert_max_num_queries
):
    start = timezone.now().replace(microsecond=0)
    with time_machine.travel(start, tick=False) as traveller:
        draft = moldova(title=DRAFT_TITLE, status=Status.DRAFT)
        warm_all(PAGES.values(), django_assert_max_num_queries)

        later = timezone.localtime(start + dt.timedelta(days=1))
        response = post_change(
            publisher_client(),
            draft,
            status=Status.PUBLISHED,
            published_at_0=f"{later:%Y-%m-%d}",
            published_at_1=f"{later:%H:%M:%S}",
        )
        assert response.status_code == 302, form_errors(response)
        assert shown_on(draft, PAGES.values()) == []
        warm_all(PAGES.values(), django_assert_max_num_queries)

        traveller.shift(dt.timedelta(days=1, seconds=1))
        assert shown_on(draft, PAGES.values()) == list(PAGES.values())


# ---------------------------------------------------------------------------------------
# Conditional requests


def test_conditional_requests_answer_304_without_a_body(moldova, django_assert_max_num_queries):
    moldova()
    url = PAGES["finder"]
    with a_second_later():
        page = warm(url, django_assert_max_num_queries)
        etag, modified = page["ETag"], page["Last-Modified"]

        with django_assert_max_num_queries(3 * CACHED_PAGE_QUERIES):
            by_etag = visit(url, **{"If-None-Match": etag})
            by_date = visit(url, **{"If-Modified-Since": modified})
            by_both = visit(
                url, **{"If-None-Match": f'"other", {etag}', "If-Modified-Since": modified}
            )
        for response in (by_etag, by_date, by_both):
            assert response.status_code == 304
            assert response.content == b""
            assert response["ETag"] == etag
            assert response["Last-Modified"] == modified

        assert visit(url, **{"If-None-Match": '"something else"'}).status_code == 200
        earlier = http_date(email.utils.parsedate_to_datetime(modified).timestamp() - 60)
        assert visit(url, **{"If-Modified-Since": earlier}).status_code == 200


def test_a_publish_makes_the_old_validators_miss(moldova, django_assert_max_num_queries):
    start = timezone.now().replace(microsecond=0)
    with time_machine.travel(start, tick=False) as traveller:
        draft = moldova(title=DRAFT_TITLE, status=Status.DRAFT)
        url = PAGES["finder"]
        pagecache.versions()  # a cold cache counts as changed now
        traveller.shift(dt.timedelta(seconds=1))
        page = warm(url, django_assert_max_num_queries)
        etag, modified = page["ETag"], page["Last-Modified"]

        traveller.shift(dt.timedelta(seconds=5))
        publish_with_the_bulk_action(draft)

        fresh = visit(url, **{"If-None-Match": etag})
        assert fresh.status_code == 200
        assert DRAFT_TITLE in fresh.content.decode()
        assert fresh["ETag"] != etag
        assert visit(url, **{"If-None-Match": fresh["ETag"]}).status_code == 304

        by_date = visit(url, **{"If-Modified-Since": modified})
        assert by_date.status_code == 200
        assert DRAFT_TITLE in by_date.content.decode()
        traveller.shift(dt.timedelta(seconds=1))
        dated = email.utils.parsedate_to_datetime
        assert dated(visit(url)["Last-Modified"]) > dated(modified)


def test_a_renamed_term_makes_the_old_last_modified_miss(moldova, django_assert_max_num_queries):
    start = timezone.now().replace(microsecond=0)
    with time_machine.travel(start, tick=False) as traveller:
        moldova()
        url = PAGES["finder"]
        pagecache.versions()  # a cold cache counts as changed now
        traveller.shift(dt.timedelta(seconds=1))
        page = warm(url, django_assert_max_num_queries)
        modified = page["Last-Modified"]

        traveller.shift(dt.timedelta(minutes=5))
        rename_in_the_admin(FieldOfWork.objects.get(slug="human-rights"), "Fundamental freedoms")
        assert "Fundamental freedoms" in visit(url).content.decode()  # a plain GET is fresh
        # The change is dated when first seen: a date shows once that second has passed.
        traveller.shift(dt.timedelta(seconds=1))
        revalidated = visit(url, **{"If-Modified-Since": modified})
        assert revalidated.status_code == 200
        assert "Fundamental freedoms" in revalidated.content.decode()
        assert revalidated["Last-Modified"] != modified


def test_a_publish_within_the_same_second_makes_the_old_last_modified_miss(
    moldova, django_assert_max_num_queries
):
    start = timezone.now().replace(microsecond=0)
    with time_machine.travel(start + dt.timedelta(milliseconds=200), tick=False) as traveller:
        draft = moldova(title=DRAFT_TITLE, status=Status.DRAFT)
        url = PAGES["finder"]
        assert "Last-Modified" not in visit(url)  # still the second of the change

        traveller.move_to(start + dt.timedelta(seconds=1))  # exactly on the next second
        modified = warm(url, django_assert_max_num_queries)["Last-Modified"]
        assert modified == http_date(start.timestamp() + 1)
        publish_with_a_model_save(draft)  # in the very second the page was dated

        same_second = visit(url, **{"If-Modified-Since": modified})
        assert same_second.status_code == 200
        assert DRAFT_TITLE in same_second.content.decode()
        assert "Last-Modified" not in same_second

        traveller.shift(dt.timedelta(seconds=1))
        later = visit(url, **{"If-Modified-Since": modified})
        assert later.status_code == 200
        assert later["Last-Modified"] == http_date(start.timestamp() + 2)
        again = visit(url, **{"If-Modified-Since": later["Last-Modified"]})
        assert again.status_code == 304


# ---------------------------------------------------------------------------------------
# Staff: fresh pages and private previews, never in the visitors' cache


def test_staff_always_get_a_fresh_page(moldova, django_assert_max_num_queries):
    moldova()
    staff = superuser_client()
    warm(PAGES["finder"], django_assert_max_num_queries)
    for _ in range(2):
        with CaptureQueriesContext(connection) as queries:
            response = staff.get(PAGES["finder"])
        assert response.status_code == 200
        # Rendered, not read from the cache (which would cost a staff request queries too:
        # the versions, the session, the user): the template ran and read the releases.
        assert "press/release_list.html" in [template.name for template in response.templates]
        assert any('"press_release"' in query["sql"] for query in queries)
        assert "public" not in response.get("Cache-Control", "")
        assert "private" in response["Cache-Control"]
    assert len(page_keys()) == 1  # the visitors' page only: staff pages are never stored


def test_a_draft_preview_is_private_and_never_reaches_visitors(
    moldova, django_assert_max_num_queries
):
    moldova()
    draft = moldova(title=DRAFT_TITLE, status=Status.DRAFT)
    scheduled = moldova(
        title="Scheduled for tomorrow", published_at=timezone.now() + dt.timedelta(days=1)
    )
    staff = superuser_client()
    cache.clear()

    for release in (draft, scheduled):
        preview = staff.get(release.get_absolute_url())
        assert preview.status_code == 200
        assert "notice--preview" in preview.content.decode()
        assert "private" in preview["Cache-Control"]
        assert "no-store" in preview["Cache-Control"]
        assert "public" not in preview["Cache-Control"]
    for url in PAGES.values():
        assert staff.get(url).status_code == 200
    assert page_keys() == []  # staff visits fill nothing

    for release in (draft, scheduled):
        assert visit(release.get_absolute_url()).status_code == 404
        assert shown_on(release, PAGES.values()) == []
    # ...and what visitors filled meanwhile is no preview either.
    for release in (draft, scheduled):
        assert visit(release.get_absolute_url()).status_code == 404
        staff.get(release.get_absolute_url())
        assert visit(release.get_absolute_url()).status_code == 404


def test_a_staff_preview_after_a_visitor_page_is_still_a_preview(moldova):
    release = moldova()
    url = release.get_absolute_url()
    assert visit(url).status_code == 200
    release.status = Status.DRAFT
    release.save()
    staff = superuser_client()
    preview = staff.get(url)
    assert "notice--preview" in preview.content.decode()
    assert "private" in preview["Cache-Control"]
    assert visit(url).status_code == 404


# ---------------------------------------------------------------------------------------
# Errors are not cached


BAD = {
    "bad date": "/press-releases/?date_from=notadate",
    "bad page": "/press-releases/?page=99",
    "bad date on a term page": "/fields-of-work/human-rights/?date_to=31-31-2024",
    "bad date in a feed": "/press-releases/feed/?date_from=notadate",
    "no such release": "/press-releases/no-such-release/",
    "no such field": "/fields-of-work/no-such-field/",
    "no such country feed": "/countries/atlantis/feed/",
}


@pytest.mark.parametrize("url", BAD.values(), ids=BAD.keys())
def test_errors_are_not_cached(url, moldova):
    moldova()
    first = visit(url)
    assert first.status_code in (400, 404)
    second = visit(url)
    assert second.status_code == first.status_code
    for response in (first, second):
        assert "ETag" not in response
        assert "public" not in response.get("Cache-Control", "")
    assert page_keys() == []


def test_a_404_becomes_the_page_as_soon_as_it_exists(moldova):
    url = "/press-releases/arrives-later/"
    assert visit(url).status_code == 404
    moldova(title="Arrives later", slug="arrives-later")
    assert visit(url).status_code == 200


# ---------------------------------------------------------------------------------------
# Query strings


def test_different_queries_are_different_entries(moldova, django_assert_max_num_queries):
    moldova()
    moldova(title="Peace talks in Vienna", fields=("arms-control",), place_slug="vienna")
    urls = [
        "/press-releases/",
        "/press-releases/?q=water",
        "/press-releases/?q=peace",
        "/press-releases/?field=arms-control",
        "/press-releases/?field=arms-control&type=press-release",
    ]
    pages = warm_all(urls, django_assert_max_num_queries)
    assert len(set(pages.values())) == len(urls)
    assert TITLE in pages["/press-releases/?q=water"]
    assert "Peace talks" not in pages["/press-releases/?q=water"]
    assert "Peace talks" in pages["/press-releases/?q=peace"]
    assert TITLE not in pages["/press-releases/?q=peace"]
    assert len(page_keys()) == len(urls)
    for url in urls:  # still all there
        with django_assert_max_num_queries(CACHED_PAGE_QUERIES):
            assert visit(url).content.decode() == pages[url]


def test_the_same_parameters_in_another_order_share_one_entry(
    moldova, django_assert_max_num_queries
):
    moldova()
    first = warm(
        "/press-releases/?type=press-release&field=human-rights&sort=oldest",
        django_assert_max_num_queries,
    )
    assert TITLE in first.content.decode()
    for other in (
        "/press-releases/?field=human-rights&sort=oldest&type=press-release",
        "/press-releases/?sort=oldest&type=press-release&field=human-rights",
    ):
        with django_assert_max_num_queries(CACHED_PAGE_QUERIES):
            response = visit(other)
        assert response.content == first.content
        assert response["ETag"] == first["ETag"]
    assert len(page_keys()) == 1


# ---------------------------------------------------------------------------------------
# HEAD


def test_head_fills_and_reads_the_cache(moldova, django_assert_max_num_queries):
    release = moldova()
    url = PAGES["finder"]
    head = visit(url, method="head")
    assert head.status_code == 200
    assert head.content == b""
    assert head["ETag"]
    assert head["Cache-Control"] == "public, no-cache"

    with django_assert_max_num_queries(3 * CACHED_PAGE_QUERIES):
        page = visit(url)
        again = visit(url, method="head")
        not_modified = visit(url, method="head", **{"If-None-Match": head["ETag"]})
    assert page.status_code == 200
    assert release.title in page.content.decode()  # HEAD cached the whole page
    assert page["ETag"] == head["ETag"] == again["ETag"]
    assert again.content == b""
    assert not_modified.status_code == 304

    publish_with_a_model_save(moldova(title=DRAFT_TITLE, status=Status.DRAFT))
    assert visit(url, method="head")["ETag"] != head["ETag"]
    assert DRAFT_TITLE in visit(url).content.decode()


# ---------------------------------------------------------------------------------------
# A page missing for many visitors at once is rendered once


def slow_view(calls, started, release, status=200):
    def view(request):
        calls.append(request.path)
        started.set()
        assert release.wait(5), "the test never released the render"
        return HttpResponse(f"rendered for {request.path}", status=status)

    return pagecache.visitor_cache(view)


def in_threads(view, count):
    responses = [None] * count

    def visit_once(index):
        responses[index] = view(RequestFactory().get("/press-releases/"))

    threads = [threading.Thread(target=visit_once, args=(n,)) for n in range(count)]
    return threads, responses


class LockWatch:
    """The cache as press.pagecache uses it, noting each request that finds another's
    render under way (its lock taken already), and so waits for it."""

    def __init__(self, cache):
        self._cache = cache
        self.waiting = []  # the lock each waiting request found taken

    def add(self, key, *args, **kwargs):
        added = self._cache.add(key, *args, **kwargs)
        if not added and key.endswith(":computing"):
            self.waiting.append(key)
        return added

    def __getattr__(self, name):
        return getattr(self._cache, name)


@pytest.fixture
def lock_watch(monkeypatch):
    watch = LockWatch(pagecache.cache)
    monkeypatch.setattr(pagecache, "cache", watch)
    return watch


def test_concurrent_visitors_of_a_missing_page_wait_for_one_render(lock_watch):
    pagecache.versions()  # the versions exist, as on a live site after its first request
    calls, started, release = [], threading.Event(), threading.Event()
    view = slow_view(calls, started, release)
    threads, responses = in_threads(view, 4)
    threads[0].start()
    assert started.wait(5)
    for thread in threads[1:]:
        thread.start()
    # The other three find the first render's lock and wait for it, rendering nothing.
    wait_until(lambda: len(lock_watch.waiting) == 3, what="the other three to wait")
    assert calls == ["/press-releases/"]
    release.set()
    for thread in threads:
        thread.join(10)

    assert not any(thread.is_alive() for thread in threads)
    assert len(set(lock_watch.waiting)) == 1  # all three waited on the one render
    assert calls == ["/press-releases/"]
    assert {response.status_code for response in responses} == {200}
    assert {response.content for response in responses} == {b"rendered for /press-releases/"}
    assert len({response["ETag"] for response in responses}) == 1


def test_a_render_not_for_the_cache_lets_the_waiting_visitors_render_their_own(lock_watch):
    pagecache.versions()
    calls, started, release = [], threading.Event(), threading.Event()
    view = slow_view(calls, started, release, status=404)
    threads, responses = in_threads(view, 3)
    threads[0].start()
    assert started.wait(5)
    for thread in threads[1:]:
        thread.start()
    wait_until(lambda: len(lock_watch.waiting) == 2, what="the other two to wait")
    assert len(calls) == 1
    release.set()
    for thread in threads:
        thread.join(10)

    assert not any(thread.is_alive() for thread in threads)
    assert len(calls) == 3  # nothing to wait for: each answered for itself
    assert {response.status_code for response in responses} == {404}


def test_a_lock_left_by_a_crashed_render_delays_but_never_blocks(monkeypatch):
    now, _answered = pagecache.versions()
    monkeypatch.setattr(pagecache, "LOCK_WAIT", 0.2)
    calls, started, release = [], threading.Event(), threading.Event()
    release.set()
    view = slow_view(calls, started, release)
    request = RequestFactory()
    key = pagecache._key(request.get("/press-releases/"), frozenset())
    cache.set(f"{key}:{pagecache.stamp(now)}:computing", 1, 30)  # a process died while rendering

    began = time.monotonic()
    response = view(request.get("/press-releases/"))
    assert response.status_code == 200
    assert 0.2 <= time.monotonic() - began < 2
    assert calls == ["/press-releases/"]
    assert cache.get(key) is not None  # and the page is cached for the next visitor
