"""The API answers what its OpenAPI schema says.

The schema is read as a client reads it, from ``/api/v1/schema/`` in JSON, and checked
against the OpenAPI 3.1 specification. Then every GET operation it lists is asked through
the test client with real releases and parameters, and each answer's body is validated
against the schema the operation declares for its status (JSON Schema 2020-12, the dialect
of OpenAPI 3.1, its ``$ref`` resolved through a ``referencing`` registry): a 200 for real
parameters, a 400 for refused ones. Objects are read as closed (no property the schema does
not name), so a view that answers a field its serializer does not declare fails here too.
"""

import copy
import json
from pathlib import Path
from urllib.parse import quote, urlencode, urlsplit

import drf_spectacular.validation
import pytest
from jsonschema import Draft202012Validator
from referencing import Registry
from referencing.jsonschema import DRAFT202012

from press.models import Release
from taxonomy.models import Meeting
from tests.helpers.factories import make_release, make_translated_pair

pytestmark = pytest.mark.django_db

SCHEMA_PATH = "/api/v1/schema/"
OPENAPI_JSON = "application/vnd.oai.openapi+json"
BASE = "urn:osce-api:schema"  # the served schema's address in the registry
OPENAPI_31 = Path(drf_spectacular.validation.__file__).parent / "openapi_3_1_schema.json"

# Each operation's requests with real parameters (query strings), all answered with 200.
# A path the schema lists and this table does not is a failure: a new endpoint gets its
# cases here.
ANSWERED = {
    "/api/v1/releases/": [
        {},
        {"lang": "ru"},
        {"field": "elections", "country": "moldova", "sort": "oldest"},
        {"source": "secretariat", "type": ["statement", "news"], "date_from": "2000-01-01"},
        {"q": "elections", "sort": "relevance", "page_size": "1"},
        {"field": "elections", "page_size": "1"},  # more pages: its next and previous too
        {"country": "moldova", "date_to": "1990-12-31"},  # no release: empty results
    ],
    "/api/v1/releases/{slug}/": [{}, {"lang": "ru"}],
    "/api/v1/releases/export/": [
        {},
        {"format": "csv", "field": "elections"},
        {"format": "jsonl", "lang": "ru"},
    ],
    "/api/v1/fields-of-work/": [{}, {"lang": "ru"}],
    "/api/v1/meetings/": [{}, {"lang": "ru"}],
    "/api/v1/structures/": [{}, {"lang": "ru"}],
    "/api/v1/countries/": [{}, {"lang": "ru"}],
    "/api/v1/country-groups/": [{}, {"lang": "ru"}],
}

# Each operation's refused parameters: every one must answer 400 with the declared body.
REFUSED = {
    "/api/v1/releases/": [
        {"lang": "xx"},
        {"page_size": "0"},
        {"page_size": "many"},
        {"field": "no-such-field"},
        {"type": "poem"},
        {"date_from": "2021-02-31"},
        {"sort": "sideways"},
        {"cursor": "not-a-cursor"},
    ],
    "/api/v1/releases/{slug}/": [{"lang": "xx"}],
    "/api/v1/releases/export/": [{"format": "xml"}, {"country": "atlantis"}, {"lang": "xx"}],
    "/api/v1/fields-of-work/": [{"lang": "xx"}],
    "/api/v1/meetings/": [{"lang": "xx"}],
    "/api/v1/structures/": [{"lang": "xx"}],
    "/api/v1/countries/": [{"lang": "xx"}],
    "/api/v1/country-groups/": [{"lang": "xx"}],
}


@pytest.fixture
def schema(client):
    response = client.get(SCHEMA_PATH, HTTP_ACCEPT=OPENAPI_JSON)
    assert response.status_code == 200, f"{SCHEMA_PATH} answered {response.status_code}"
    assert response["Content-Type"].startswith(OPENAPI_JSON)
    return json.loads(response.content)


@pytest.fixture
def archive(russian_open):
    """Releases in both public languages, of every type, under terms the cases ask for."""
    english, _russian = make_translated_pair()
    make_release(type=Release.Type.STATEMENT, fields=("elections",), days_ago=3)
    make_release(type=Release.Type.NEWS, countries=("moldova",), place_slug=None, days_ago=5)
    make_release(sources=("mission-to-moldova",), fields=("elections",), days_ago=7)
    english.meetings.set([Meeting.objects.get(slug="ministerial-council-meetings")])
    return english


def closed(schema):
    """The schema with every object that names its properties closed to others (in a copy):
    OpenAPI leaves objects open, which would let an undeclared field through."""
    schema = copy.deepcopy(schema)
    for component in schema["components"]["schemas"].values():
        if component.get("type") == "object" and "properties" in component:
            component.setdefault("unevaluatedProperties", False)
    return schema


def pointer(*parts):
    """A JSON pointer to ``parts``, escaped (RFC 6901) and quoted as a URI fragment."""
    return "".join("/" + quote(str(p).replace("~", "~0").replace("/", "~1")) for p in parts)


def validator(schema, *parts):
    """A Draft 2020-12 validator for the subschema at ``parts`` of the served schema, its
    ``#/components/schemas/…`` references resolved in that document."""
    registry = Registry().with_resource(BASE, DRAFT202012.create_resource(closed(schema)))
    return Draft202012Validator(
        {"$ref": f"{BASE}#{pointer(*parts)}"},
        registry=registry,
        format_checker=Draft202012Validator.FORMAT_CHECKER,
    )


def problems_of(check, body, limit=5):
    """The first ``limit`` ways ``body`` breaks the schema, each where and how, in words."""
    found = sorted(check.iter_errors(body), key=lambda error: [str(p) for p in error.path])
    return [f"  at {error.json_path}: {said(error)}" for error in found[:limit]]


def said(error):
    if len(error.message) <= 200:
        return error.message
    return f"{error.validator} {error.validator_value!r} fails for {repr(error.instance)[:100]}…"


def operations(schema):
    """(path, GET operation) for every path the schema lists."""
    return [(path, item["get"]) for path, item in schema["paths"].items() if "get" in item]


def address(path, archive, query):
    filled = path.replace("{slug}", archive.slug)
    return f"{filled}?{urlencode(query, doseq=True)}" if query else filled


def undeclared(operation, query):
    """The parameters of ``query`` the operation does not declare."""
    declared = {p["name"] for p in operation.get("parameters", []) if p["in"] == "query"}
    return sorted(set(query) - declared)


def body_of(response):
    content = (
        b"".join(response.streaming_content) if response.streaming else response.content
    ).decode()
    media = response["Content-Type"].split(";")[0].strip()
    return media, json.loads(content) if media == "application/json" else content


def check_answer(schema, path, operation, response, label):
    """The answer's body, and how it differs from what its operation declares for its
    status (nothing: it is as declared)."""
    status = str(response.status_code)
    media, body = body_of(response)
    declared = operation["responses"].get(status)
    where = f"{path} ({label})"
    if declared is None:
        listed = ", ".join(operation["responses"])
        return body, [f"{where} answered {status}, which its schema does not declare ({listed})"]
    if media not in declared.get("content", {}):
        listed = ", ".join(declared.get("content", {})) or "no content"
        return body, [f"{where} answered {status} as {media}; its schema declares {listed}"]
    check = validator(schema, "paths", path, "get", "responses", status, "content", media, "schema")
    problems = problems_of(check, body)
    if problems:
        return body, [f"{where}: its {status} answer is not as declared:", *problems]
    return body, []


def asked(client, schema, archive, cases, status):
    """Each case of ``cases`` asked, and everything wrong with the answers, in words."""
    wrong = []
    for path, operation in operations(schema):
        for query in cases[path]:
            label = urlencode(query, doseq=True) or "no parameters"
            if undeclared(operation, query):
                wrong.append(f"{path} ({label}): {undeclared(operation, query)} not declared")
            response = client.get(address(path, archive, query))
            if response.status_code != status:
                wrong.append(
                    f"{path} ({label}) answered {response.status_code}, not {status}: "
                    f"{response.content[:200]!r}"
                )
                continue
            body, problems = check_answer(schema, path, operation, response, label)
            wrong += problems
            if status == 200 and body == []:
                wrong.append(f"{path} ({label}) answered an empty list: nothing was checked")
            if status == 400 and not set(body.get("errors", {})) & set(query):
                wrong.append(f"{path} ({label}): the errors do not name it: {body}")
            for link in ("next", "previous") if isinstance(body, dict) else ():
                if body.get(link):
                    target = urlsplit(body[link])
                    followed = client.get(f"{target.path}?{target.query}")
                    wrong += check_answer(
                        schema, path, operation, followed, f"{label}, its {link} page"
                    )[1]
    return wrong


def test_schema_is_valid_openapi_3_1(schema):
    """The served schema is an OpenAPI 3.1 document: the specification's JSON Schema holds,
    and every operation has an operationId of its own."""
    assert schema["openapi"].startswith("3.1."), schema["openapi"]
    specification = json.loads(OPENAPI_31.read_text())
    problems = problems_of(Draft202012Validator(specification), schema)
    assert not problems, "the schema is not valid OpenAPI 3.1:\n" + "\n".join(problems)
    ids = {}
    for path, item in schema["paths"].items():
        for method, operation in item.items():
            assert operation.get("operationId"), f"{method.upper()} {path} has no operationId"
            ids.setdefault(operation["operationId"], []).append(f"{method.upper()} {path}")
    repeated = {name: where for name, where in ids.items() if len(where) > 1}
    assert not repeated, f"operationIds used twice: {repeated}"


def test_every_operation_has_cases(schema):
    """The cases below cover every GET the schema lists, and nothing it does not."""
    listed = {path for path, _ in operations(schema)}
    assert listed == set(ANSWERED), (
        f"no cases for {sorted(listed - set(ANSWERED))}; "
        f"cases for paths the schema lacks: {sorted(set(ANSWERED) - listed)}"
    )
    assert set(REFUSED) == set(ANSWERED)


def test_answers_match_the_schema(client, schema, archive):
    """Every operation's 200 answers, for real parameters, are what its schema declares;
    so are the pages a list's next and previous links lead to."""
    wrong = asked(client, schema, archive, ANSWERED, 200)
    assert not wrong, "answers that differ from the schema:\n" + "\n".join(wrong)


def test_answers_cover_the_fields(client, schema, archive):
    """The cases reach the optional shapes: a list page with results and a link onwards, a
    release without a place and one with translations, a node with children."""
    first = client.get("/api/v1/releases/?field=elections&page_size=1").json()
    assert first["results"]
    assert first["next"]
    listed = client.get("/api/v1/releases/?page_size=100").json()["results"]
    assert any(release["place"] is None for release in listed)
    assert any(release["translations"] for release in listed)
    detail = client.get(f"/api/v1/releases/{archive.slug}/").json()
    assert detail["meetings"]
    assert detail["countries"]
    assert any(node["children"] for node in client.get("/api/v1/structures/").json())


def test_refusals_match_the_schema(client, schema, archive):
    """Every refused parameter answers 400 with the error body the operation declares,
    naming the parameter."""
    wrong = asked(client, schema, archive, REFUSED, 400)
    assert not wrong, "refusals that differ from the schema:\n" + "\n".join(wrong)
