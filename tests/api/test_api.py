"""The open-data API through HTTP: the finder's answers exactly, cursor pages that never
repeat, conditional GETs, CORS, a clear 429, bad parameters named in JSON, old slugs
moved, exports streamed with formula cells neutralised, names in the asked language."""

import csv
import datetime as dt
import io
import json

import pytest
import time_machine
from django.core.cache import cache
from django.utils import timezone
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from taxonomy.models import Country
from tests.helpers.factories import make_release, make_translated_pair
from tests.helpers.pages import page

pytestmark = pytest.mark.django_db

FIELDS = ["human-rights", "elections", "gender-equality", "democratization"]
COUNTRIES = ["moldova", "ukraine", "poland", "serbia"]
SOURCES = ["secretariat", "conflict-prevention-centre", "mission-to-moldova"]
TYPES = ["press-release", "news", "statement"]


def get(client, path, **headers):
    response = client.get(path, **headers)
    return response, (json.loads(response.content) if response.content else None)


@pytest.fixture
def archive(db):
    """Forty releases over the terms above, some in Russian, one with a search word."""
    made = []
    for n in range(40):
        made.append(
            make_release(
                title=f"Release {n:02d}" + (" on observation" if n % 5 == 0 else ""),
                fields=(FIELDS[n % 4],),
                countries=(COUNTRIES[n % 4], COUNTRIES[(n + 1) % 4]),
                sources=(SOURCES[n % 3],),
                type=TYPES[n % 3],
                days_ago=n,
            )
        )
    return made


filters = st.fixed_dictionaries(
    {},
    optional={
        "field": st.sampled_from(FIELDS),
        "country": st.sampled_from(COUNTRIES),
        "source": st.sampled_from(SOURCES),
        "type": st.sampled_from(TYPES),
        "q": st.sampled_from(["observation", "release"]),
        "date_from": st.sampled_from(["2020", "1/2026"]),
    },
)


@hypothesis_settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
@given(chosen=filters)
def test_the_api_s_counts_and_releases_are_the_finder_s(client, archive, chosen):
    query = "&".join(f"{name}={value}" for name, value in chosen.items())
    response, body = get(client, f"/api/v1/releases/?{query}&page_size=100")
    assert response.status_code == 200, body
    finder = page(client.get(f"/press-releases/?{query}"))
    shown = int(finder.find("p", cls="count").attrs["data-count"])
    assert body["count"] == shown
    html_facets = {
        fieldset.attrs["data-facet"]: {
            box.attrs["value"]: box for box in fieldset.find_all("input", type="checkbox")
        }
        for fieldset in finder.find_all("fieldset", cls="facet")
    }
    for facet, options in body["facets"].items():
        visible = {option["value"] for option in options if option["count"] or option["selected"]}
        assert visible == set(html_facets.get(facet, {})), facet
    titles = [card.text for card in finder.find_all("h3")]
    assert [release["title"] for release in body["results"]][: len(titles)] == titles


def test_cursor_pages_walk_every_release_once_in_each_order(client, archive):
    for sort in ("newest", "oldest", "relevance"):
        seen, url = [], f"/api/v1/releases/?q=release&sort={sort}&page_size=7"
        while url:
            response, body = get(client, url)
            assert response.status_code == 200, body
            seen += [release["slug"] for release in body["results"]]
            url = body["next"]
        assert len(seen) == len(set(seen)) == 40, sort
    _, first = get(client, "/api/v1/releases/?page_size=7")
    assert first["previous"] is None
    _, second = get(client, first["next"])
    _, back = get(client, second["previous"])
    assert [r["slug"] for r in back["results"]] == [r["slug"] for r in first["results"]]


def test_conditional_get_answers_304_until_the_data_changes(client, archive):
    response, _ = get(client, "/api/v1/releases/?country=moldova")
    etag = response["ETag"]
    assert etag
    again = client.get("/api/v1/releases/?country=moldova", HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304
    assert again.content == b""
    make_release(title="Fresh news", countries=("moldova",))
    changed = client.get("/api/v1/releases/?country=moldova", HTTP_IF_NONE_MATCH=etag)
    assert changed.status_code == 200
    assert "Fresh news" in changed.content.decode()
    assert changed["ETag"] != etag


def test_an_answer_unchanged_since_a_date_is_a_304(client, archive):
    """Last-Modified is given once the second the site first saw the data has passed."""
    client.get("/api/v1/countries/")  # the site first sees the data's version now
    with time_machine.travel(timezone.now() + dt.timedelta(seconds=5)):
        response = client.get("/api/v1/countries/")
        modified = response["Last-Modified"]
        again = client.get("/api/v1/countries/", HTTP_IF_MODIFIED_SINCE=modified)
    assert again.status_code == 304


def test_any_site_may_read_it(client, archive):
    response = client.get("/api/v1/countries/", HTTP_ORIGIN="https://research.example")
    assert response["Access-Control-Allow-Origin"] == "*"
    assert "ETag" in response["Access-Control-Expose-Headers"]
    preflight = client.options("/api/v1/releases/", HTTP_ORIGIN="https://research.example")
    assert preflight.status_code == 204
    assert "GET" in preflight["Access-Control-Allow-Methods"]
    refused = client.post("/api/v1/releases/", {})
    assert refused.status_code == 405
    assert json.loads(refused.content)["detail"]


def test_too_many_requests_get_a_clear_429_with_retry_after(client, settings):
    settings.API_REQUESTS_PER_MINUTE = 3
    cache.clear()
    answers = [client.get("/api/v1/country-groups/") for _ in range(4)]
    assert [a.status_code for a in answers[:3]] == [200, 200, 200]
    assert answers[3].status_code == 429
    assert 1 <= int(answers[3]["Retry-After"]) <= 60
    assert "Too many requests" in json.loads(answers[3].content)["detail"]


@pytest.mark.parametrize(
    ("query", "names"),
    [
        ("country=atlantis", ["country"]),
        ("date_from=31/02/2020", ["date_from"]),
        ("type=rumour&page_size=0", ["type", "page_size"]),
        ("sort=sideways", ["sort"]),
        ("cursor=%%%", ["cursor"]),
        ("cursor=eyJhZnRlciI6ICJ4In0", ["cursor"]),
        ("lang=xx", ["lang"]),
        ("q=%00", ["q"]),
    ],
)
def test_bad_parameters_get_a_400_naming_each(client, query, names):
    response, body = get(client, f"/api/v1/releases/?{query}")
    assert response.status_code == 400
    assert sorted(body["errors"]) == sorted(names)
    assert all(isinstance(reason, str) and reason for r in body["errors"].values() for reason in r)


def test_old_slugs_lead_to_the_current_ones(client, archive):
    moldova = Country.objects.get(slug="moldova")
    moldova.slug = "republic-of-moldova"
    moldova.save()
    response = client.get("/api/v1/releases/?country=moldova&page_size=5")
    assert response.status_code == 301
    assert response["Location"] == "/api/v1/releases/?country=republic-of-moldova&page_size=5"


def test_a_release_and_the_reference_data_in_the_asked_language(client, russian_open):
    english, russian = make_translated_pair()
    _, body = get(client, f"/api/v1/releases/{english.slug}/")
    assert body["title"] == english.title
    assert body["body"]
    assert [t["name"] for t in body["fields_of_work"]] == ["Elections"]
    assert body["translations"] == [
        {"language": "ru", "url": f"http://testserver{russian.get_absolute_url()}"}
    ]
    _, in_russian = get(client, "/api/v1/releases/?lang=ru")
    assert [r["slug"] for r in in_russian["results"]] == [russian.slug]
    assert in_russian["results"][0]["fields_of_work"][0]["name"] == "Выборы"
    _, fields = get(client, "/api/v1/fields-of-work/?lang=ru")
    assert {"Выборы", "Контроль над вооружениями"} <= {node["name"] for node in fields}
    _, structures = get(client, "/api/v1/structures/")
    secretariat = next(node for node in structures if node["slug"] == "secretariat")
    assert "conflict-prevention-centre" in [child["slug"] for child in secretariat["children"]]
    _, countries = get(client, "/api/v1/countries/?lang=ru")
    poland = next(country for country in countries if country["slug"] == "poland")
    assert poland["name"] == "Польша"
    assert 2022 in poland["chairpersonships"]
    assert client.get("/api/v1/releases/no-such-release/").status_code == 404


def test_a_draft_is_not_in_the_api(client):
    draft = make_release(title="Not yet", status="draft")
    assert client.get(f"/api/v1/releases/{draft.slug}/").status_code == 404
    _, body = get(client, "/api/v1/releases/?q=yet")
    assert body["count"] == 0


def test_exports_stream_every_match_with_formula_cells_neutralised(client, archive):
    make_release(title='=HYPERLINK("http://evil")', countries=("moldova",))
    jsonl = client.get("/api/v1/releases/export/?country=moldova")
    assert jsonl.streaming
    lines = [json.loads(line) for line in b"".join(jsonl.streaming_content).splitlines()]
    _, listed = get(client, "/api/v1/releases/?country=moldova")
    assert len(lines) == listed["count"]
    as_csv = client.get("/api/v1/releases/export/?country=moldova&format=csv")
    rows = list(csv.DictReader(io.StringIO(b"".join(as_csv.streaming_content).decode())))
    assert len(rows) == listed["count"]
    assert '\'=HYPERLINK("http://evil")' in [row["title"] for row in rows]
    assert not any(row["title"].startswith("=") for row in rows)
    bad = client.get("/api/v1/releases/export/?format=xls")
    assert bad.status_code == 400
    assert "format" in json.loads(bad.content)["errors"]


def test_the_documentation_page_and_the_schema_are_served(client):
    docs = client.get("/api/v1/docs/")
    assert docs.status_code == 200
    assert "swagger-ui" in docs.content.decode()
    schema = client.get("/api/v1/schema/")
    assert schema.status_code == 200
    assert "openapi: 3.1.0" in schema.content.decode()


def test_the_list_and_a_release_cost_a_constant_number_of_queries(
    client, archive, django_assert_max_num_queries
):
    client.get("/api/v1/releases/?page_size=1")  # the finder's index built
    for size in (5, 100):
        cache.clear()
        with django_assert_max_num_queries(4):  # versions, releases, their translations
            assert client.get(f"/api/v1/releases/?page_size={size}").status_code == 200
    cache.clear()
    with django_assert_max_num_queries(6):  # versions, release, terms, translations
        assert client.get(f"/api/v1/releases/{archive[0].slug}/").status_code == 200
