"""Full-text search in the finder: the query syntax, ranking, snippets, and the stored index.

The syntax tests hold on both databases: PostgreSQL matches with the trigger-kept tsvector
and ``websearch_to_tsquery`` (english), SQLite with its plain-matching fallback. The words
are chosen so that stemming and substring matching agree. The tests of the stored vector,
its weights and its GIN index run on PostgreSQL only.
"""

import pytest
from django.contrib.postgres.search import SearchQuery, SearchRank
from django.db import connection, models

from press.models import Release
from press.search import MATCHES_WORK_MEM, Terms, every_match_plan, parse, search, snippet
from tests.helpers.pages import assert_menu, card_titles, main

pytestmark = pytest.mark.django_db

TITLE_MATCH = "Chair welcomes ceasefire talks"
BODY_MATCH = "Observers report on the region"
PHRASE = "Border monitoring team deployed"
WORDS_APART = "Team arrives at the crossing"
UNRELATED = "Youth forum opens"

postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the stored search vector is PostgreSQL's"
)


@pytest.fixture
def releases(make_release):
    """Five releases; newest first they are BODY_MATCH, WORDS_APART, PHRASE, UNRELATED,
    TITLE_MATCH."""
    make_release(title=TITLE_MATCH, body="<p>Talks in Geneva resumed.</p>", days_ago=5)
    make_release(
        title=BODY_MATCH, body="<p>The ceasefire held overnight, observers said.</p>", days_ago=1
    )
    make_release(title=PHRASE, body="<p>The team begins work on Monday.</p>", days_ago=3)
    make_release(
        title=WORDS_APART,
        body="<p>Work starts with monitoring of the border; ceasefire violations noted.</p>",
        days_ago=2,
    )
    make_release(title=UNRELATED, body="<p>Young people debate.</p>", days_ago=4)


def found(client, query, **params):
    """The titles a search finds, newest first unless another order is given."""
    params.setdefault("sort", "newest")
    response = client.get("/press-releases/", {"q": query, **params})
    assert response.status_code == 200, response.content.decode()[:2000]
    return card_titles(response)


# The query syntax, through the page


def test_a_word_finds_releases_with_it_in_the_title_or_the_body(client, releases):
    assert found(client, "ceasefire") == [BODY_MATCH, WORDS_APART, TITLE_MATCH]


def test_a_word_is_matched_whatever_its_case(client, releases):
    assert found(client, "CEASEFIRE") == [BODY_MATCH, WORDS_APART, TITLE_MATCH]


def test_a_word_with_a_capital_beyond_ascii_is_matched_whatever_its_case(client, make_release):
    make_release(title="Österreich hosts the talks", body="<p>ÉLECTIONS observed.</p>")

    assert found(client, "österreich") == ["Österreich hosts the talks"]
    assert found(client, "ÖSTERREICH") == ["Österreich hosts the talks"]
    assert found(client, "élections") == ["Österreich hosts the talks"]


def test_markup_in_a_body_is_not_searched_only_its_text(client, make_release):
    make_release(
        title="Links to the report",
        body='<p>See <a href="https://example.org/">the annex</a> &amp; <strong>more</strong>.</p>',
    )

    assert found(client, "annex") == ["Links to the report"]
    # The link's attributes (rel="noopener" is added on save), tag names and entity names
    # are not words of the release.
    for word in ["noopener", "href", "strong", "amp"]:
        assert found(client, word) == [], word


def test_two_words_must_both_be_there_anywhere(client, releases):
    assert found(client, "border monitoring") == [WORDS_APART, PHRASE]


def test_a_quoted_phrase_matches_only_the_exact_phrase(client, releases):
    # "monitoring of the border" has both words, but not as the phrase.
    assert found(client, '"border monitoring"') == [PHRASE]


def test_a_phrase_does_not_run_from_the_end_of_the_title_into_the_body(client, make_release):
    make_release(title="Team arrives at the border", body="<p>Monitoring starts today.</p>")
    make_release(title="Border monitoring resumes", body="<p>Observers are back.</p>", days_ago=2)

    assert found(client, '"border monitoring"') == ["Border monitoring resumes"]


def test_a_hyphenated_word_finds_the_word_and_a_phrase_with_it_keeps_its_places(
    client, make_release
):
    """On PostgreSQL one hyphenated word is read as its own lexeme, not as the phrase of
    its parts (migration 0016): the same releases, and a phrase with it stays a phrase."""
    make_release(title="Anti-corruption reform adopted", days_ago=1)
    make_release(title="Anti-corruption week", body="<p>A reform of courts.</p>", days_ago=2)
    make_release(title="Corruption and anti-fraud work", days_ago=3)

    assert found(client, "anti-corruption") == [
        "Anti-corruption reform adopted",
        "Anti-corruption week",
    ]
    assert found(client, "Anti-Corruption") == found(client, "anti-corruption")
    assert found(client, '"anti-corruption reform"') == ["Anti-corruption reform adopted"]
    assert found(client, "anti-corruption -week") == ["Anti-corruption reform adopted"]


def test_a_minus_word_excludes_releases_with_that_word(client, releases):
    assert found(client, "ceasefire -violations") == [BODY_MATCH, TITLE_MATCH]


def test_a_minus_phrase_excludes_releases_with_that_phrase(client, releases):
    assert found(client, 'border -"border monitoring"') == [WORDS_APART]


def test_a_query_with_only_an_exclusion_finds_everything_else(client, releases):
    assert found(client, "-ceasefire") == [PHRASE, UNRELATED]


def test_a_word_found_nowhere_finds_nothing_and_says_so(client, releases):
    response = client.get("/press-releases/", {"q": "zeppelin"})

    assert response.status_code == 200
    assert card_titles(response) == []
    assert main(response).find("div", cls="empty").find("strong").text == (
        "No releases match these filters."
    )
    assert_menu(response)


def test_search_combines_with_the_other_filters(client, make_release):
    make_release(title="Ceasefire in the east", sources=("mission-to-moldova",), days_ago=2)
    make_release(title="Ceasefire statement", sources=("secretariat",), days_ago=1)

    assert found(client, "ceasefire", source="field-operations") == ["Ceasefire in the east"]


def test_relevance_puts_a_title_match_above_body_only_matches(client, releases):
    assert found(client, "ceasefire", sort="relevance") == [TITLE_MATCH, BODY_MATCH, WORDS_APART]
    # Newest first, the title match (the oldest release) comes last.
    assert found(client, "ceasefire", sort="newest") == [BODY_MATCH, WORDS_APART, TITLE_MATCH]


def test_relevance_offered_only_with_a_query(client, releases):
    without = main(client.get("/press-releases/")).find("select", id="id_sort")
    with_query = main(client.get("/press-releases/", {"q": "ceasefire"})).find(
        "select", id="id_sort"
    )

    def relevance(select):
        return next(o for o in select.find_all("option") if o.text == "Relevance")

    assert "disabled" in relevance(without).attrs
    assert "disabled" not in relevance(with_query).attrs


def test_the_search_box_keeps_the_query(client, releases):
    response = client.get("/press-releases/", {"q": 'ceasefire "border monitoring"'})

    box = main(response).find("input", id="id_q")
    assert box.attrs["value"] == 'ceasefire "border monitoring"'


# Snippets


def snippets(response):
    """{title: the snippet's HTML as sent} for every card with a snippet."""
    html = response.content.decode()
    found = {}
    for title in card_titles(response):
        card = html[html.index(f">{title}</a></h3>") :]
        card = card[: card.index("</article>")]
        if '<p class="card__snippet">' in card:
            start = card.index('<p class="card__snippet">') + len('<p class="card__snippet">')
            found[title] = card[start : card.index("</p>", start)]
    return found


def test_results_show_a_snippet_with_the_matched_word_marked(client, releases):
    response = client.get("/press-releases/", {"q": "ceasefire"})

    assert snippets(response) == {
        BODY_MATCH: "The <mark>ceasefire</mark> held overnight, observers said.",
        WORDS_APART: (
            "Work starts with monitoring of the border; <mark>ceasefire</mark> violations noted."
        ),
        TITLE_MATCH: "Talks in Geneva resumed.",
    }


def test_no_snippet_without_a_query(client, releases):
    assert snippets(client.get("/press-releases/")) == {}


def test_markup_in_a_body_is_never_interpreted_in_the_snippet(client, make_release):
    make_release(
        title="Markup in the body",
        body=(
            "<p>Use &lt;b&gt;ceasefire&lt;/b&gt; markup, and <b>bold</b> words "
            "&amp; &lt;script&gt;alert(1)&lt;/script&gt;.</p>"
        ),
    )

    response = client.get("/press-releases/", {"q": "ceasefire"})

    assert card_titles(response) == ["Markup in the body"]
    text = snippets(response)["Markup in the body"]
    assert text == (
        "Use &lt;b&gt;<mark>ceasefire</mark>&lt;/b&gt; markup, and bold words "
        "&amp; &lt;script&gt;alert(1)&lt;/script&gt;."
    )
    assert "<b>" not in text
    assert "<script>" not in response.content.decode()


def test_markup_in_the_query_is_escaped_in_the_snippet(client, make_release):
    make_release(title="Plain", body="<p>A ceasefire.</p>")

    response = client.get("/press-releases/", {"q": "ceasefire <i>x</i>"})

    assert "<i>x</i>" not in response.content.decode()


# press.search.parse


@pytest.mark.parametrize(
    ("query", "include", "exclude"),
    [
        ("ceasefire", ["ceasefire"], []),
        ("  ceasefire   talks ", ["ceasefire", "talks"], []),
        ('"border monitoring"', ["border monitoring"], []),
        ('"border   monitoring" team', ["border monitoring", "team"], []),
        ("-violations", [], ["violations"]),
        ('ceasefire -"border monitoring"', ["ceasefire"], ["border monitoring"]),
        ("youth OR elections", ["youth", "elections"], []),
        ("youth or elections", ["youth", "elections"], []),
        ('"unclosed phrase', ["unclosed phrase"], []),
        ('""', [], []),
        ("-", [], []),
        ("--", [], []),
        ("", [], []),
        ("co-operation", ["co-operation"], []),
    ],
)
def test_parse_reads_words_phrases_and_exclusions(query, include, exclude):
    assert parse(query) == Terms(include=include, exclude=exclude)


# press.search.snippet


def test_snippet_marks_every_match_and_escapes_the_rest():
    html = "<p>Ceasefire &amp; talks: the <em>ceasefire</em> holds.</p>"

    assert snippet(html, "ceasefire") == (
        "<mark>Ceasefire</mark> &amp; talks: the <mark>ceasefire</mark> holds."
    )


def test_snippet_marks_words_by_their_beginning():
    assert snippet("<p>Two elections were held.</p>", "election") == (
        "Two <mark>elections</mark> were held."
    )


def test_snippet_does_not_mark_a_word_inside_another():
    assert snippet("<p>Re-election and preelection periods.</p>", "election") == (
        "Re-<mark>election</mark> and preelection periods."
    )


def test_snippet_does_not_mark_excluded_words():
    assert snippet("<p>Ceasefire violations noted.</p>", "ceasefire -violations") == (
        "<mark>Ceasefire</mark> violations noted."
    )


def test_snippet_marks_a_phrase():
    assert snippet("<p>The border monitoring team.</p>", '"border monitoring"') == (
        "The <mark>border monitoring</mark> team."
    )


def test_snippet_cuts_a_long_text_around_the_first_match():
    words = [f"w{n}" for n in range(100)]
    words[60] = "ceasefire"
    html = f"<p>{' '.join(words)}</p>"

    result = snippet(html, "ceasefire")

    # 32 words from 8 before the match.
    expected = [*words[52:60], "<mark>ceasefire</mark>", *words[61:84]]
    assert result == "… " + " ".join(expected) + " …"


def test_snippet_of_a_long_text_without_a_match_is_its_beginning():
    html = "<p>" + " ".join(f"w{n}" for n in range(40)) + "</p>"

    assert snippet(html, "absent") == " ".join(f"w{n}" for n in range(32)) + " …"


def test_snippet_escapes_markup_and_entities_as_text():
    html = "<p>&lt;script&gt;alert('x')&lt;/script&gt; <script>bad()</script> ceasefire</p>"

    result = snippet(html, "ceasefire")

    assert "<script>" not in result
    assert result.startswith("&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;")
    assert result.endswith("<mark>ceasefire</mark>")


def test_snippet_treats_regex_characters_in_the_query_as_text():
    assert snippet("<p>Training in C++ and Python.</p>", "c++") == (
        "Training in <mark>C++</mark> and Python."
    )
    assert snippet("<p>Costs rose [a lot].</p>", "[unclosed") == "Costs rose [a lot]."
    assert snippet("<p>Costs rose.</p>", "co.ts") == "Costs rose."


def test_snippet_of_an_empty_body_is_empty():
    assert snippet("", "ceasefire") == ""
    assert snippet("<p> </p>", "ceasefire") == ""


def test_snippet_with_only_exclusions_is_the_plain_beginning():
    assert snippet("<p>Youth &amp; elections.</p>", "-ceasefire") == "Youth &amp; elections."


# PostgreSQL: the stored vector, its weights, its index


def stored_vector(release):
    return Release.objects.values_list("search_vector", flat=True).get(pk=release.pk)


def matches(release, query):
    ts_query = SearchQuery(query, search_type="websearch", config="english")
    return Release.objects.filter(pk=release.pk, search_vector=ts_query).exists()


@postgres_only
def test_the_trigger_fills_the_vector_on_insert(make_release):
    release = make_release(title="Ceasefire talks", body="<p>Observers gathered.</p>")

    vector = stored_vector(release)
    assert "'ceasefir':1A" in vector
    assert "'talk':2A" in vector
    assert "'observ':4B" in vector  # one position apart from the title: no phrase spans both
    assert matches(release, "ceasefire")


@postgres_only
def test_the_trigger_updates_the_vector_when_the_title_is_saved(make_release):
    release = make_release(title="Ceasefire talks", body="<p>Observers gathered.</p>")

    release.title = "Quorum reached"
    release.save()

    assert matches(release, "quorum")
    assert not matches(release, "ceasefire")
    assert matches(release, "observers")


@postgres_only
def test_the_trigger_updates_the_vector_on_a_queryset_update(make_release):
    release = make_release(title="Ceasefire talks", body="<p>Observers gathered.</p>")

    Release.objects.filter(pk=release.pk).update(title="Quorum reached")
    assert matches(release, "quorum")
    assert not matches(release, "ceasefire")

    Release.objects.filter(pk=release.pk).update(body="<p>Delegates departed.</p>")
    assert matches(release, "delegates")
    assert not matches(release, "observers")
    assert matches(release, "quorum")


@postgres_only
def test_the_title_weighs_more_than_the_body(make_release):
    in_title = make_release(title="Ceasefire talks", body="<p>Observers gathered.</p>")
    in_body = make_release(title="Observers gathered", body="<p>Ceasefire talks.</p>")
    ts_query = SearchQuery("ceasefire", search_type="websearch", config="english")

    ranks = dict(
        Release.objects.annotate(rank=SearchRank(models.F("search_vector"), ts_query))
        .filter(pk__in=[in_title.pk, in_body.pk])
        .values_list("pk", "rank")
    )

    assert ranks[in_title.pk] > ranks[in_body.pk] > 0


@postgres_only
def test_one_hyphenated_word_is_read_as_its_lexeme_and_nothing_else_changes(db):
    """What press_search_query gives, against websearch_to_tsquery's reading."""
    cases = {
        "co-operation": "'co-oper'",
        " Chairperson-in-Office ": "'chairperson-in-offic'",
        "security": "'secur'",
        '"co-operation"': "'co-oper'",
        '"anti-corruption reform"': "'anti-corrupt' <-> 'anti' <-> 'corrupt' <-> 'reform'",
        "anti-corruption reform": "'anti-corrupt' <-> 'anti' <-> 'corrupt' & 'reform'",
        "co-operation -police": "'co-oper' <-> 'co' <-> 'oper' & !'polic'",
    }
    with connection.cursor() as cursor:
        for query, expected in cases.items():
            cursor.execute("SELECT press_search_query('english', %s)::text", [query])
            assert cursor.fetchone()[0] == expected, query


@postgres_only
def test_the_search_query_uses_the_gin_index(make_release):
    make_release(title="Ceasefire talks")
    # The search's own condition, without the publication rule (which has its own index).
    queryset = search(Release.objects.order_by(), "ceasefire -violations").values("pk")
    sql, params = queryset.query.sql_with_params()

    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())

    assert "release_search" in plan, plan


def test_search_annotates_a_rank_on_either_database(make_release):
    make_release(title="Ceasefire talks", body="<p>Observers gathered.</p>")
    make_release(title="Observers gathered", body="<p>Ceasefire talks.</p>")

    ranked = search(Release.objects.all(), "ceasefire").order_by("-rank")

    assert [release.title for release in ranked] == ["Ceasefire talks", "Observers gathered"]
    assert ranked[0].rank > ranked[1].rank


@postgres_only
def test_reading_every_match_plans_through_the_index_then_puts_the_settings_back(db):
    def setting(name):
        with connection.cursor() as cursor:
            cursor.execute(f"SHOW {name}")
            return cursor.fetchone()[0]

    before = setting("work_mem"), setting("enable_seqscan")
    with every_match_plan(connection.alias):
        assert (setting("work_mem"), setting("enable_seqscan")) == (MATCHES_WORK_MEM, "off")
        plan = search(Release.objects.all(), "ceasefire").values_list("pk").explain()
        assert "Seq Scan on press_release" not in plan, plan
    assert (setting("work_mem"), setting("enable_seqscan")) == before
