"""The importer: parsing a page in the seed's format, and filing it as one release.

Variants of the seed page are made by string edits of its text, so every test starts from
the real archive page and changes one thing.
"""

import datetime as dt
import re

import pytest
from django.utils import timezone

from institutions.models import Structure
from press.importer import Importer, PageError, parse_page
from press.models import Release
from taxonomy.models import FieldOfWork, Place

SEED_TITLE = "Statement by the Co-Chairs of the OSCE Minsk Group"
SEED_SLUG = "statement-by-the-co-chairs-of-the-osce-minsk-group"
SEED_DATELINE = "NEW YORK, 24 September 2021 – The Co-Chairs"
SEED_FIELDS = "- Fields of work:\n- Conflict prevention and resolution\n"
SEED_METADATA = (
    "- Date:\n- Place:\n- NEW YORK\n- Source:\n- Minsk Group\n"
    "- Fields of work:\n- Conflict prevention and resolution\n"
)


def edit(text, old, new, count=1):
    """``text`` with ``old`` replaced; fails loudly if the seed no longer contains ``old``."""
    assert text.count(old) == count, f"the seed should contain {old!r} {count} time(s)"
    return text.replace(old, new)


def after_first_paragraph(text, lines):
    """The seed page with ``lines`` added to its body after the dateline paragraph."""
    end = "made the following statement:\n"
    return edit(text, end, end + lines)


def without_menu(text):
    """Only the type line and what follows it: the page as it is without the site menu."""
    return text[text.index("Press release\n") :]


def local_day(release):
    return timezone.localtime(release.published_at).date()


def counts():
    return (Release.objects.count(), Structure.objects.count(), Place.objects.count())


@pytest.fixture
def importer(db):
    return Importer()


@pytest.fixture
def import_page(importer):
    """Import a page's text under a file name and return (outcome, release or None)."""

    def run(text, name="page.txt"):
        outcome = importer.import_text(text, name)
        release = Release.objects.filter(imported_from=name).first()
        return outcome, release

    return run


@pytest.fixture
def assert_fails_cleanly(import_page):
    """Import a page that must fail; check the reason and that nothing was written."""

    def run(text, *reason_words):
        before = counts()
        outcome, _ = import_page(text, "bad.txt")
        assert outcome.status == "failed", outcome
        assert outcome.name == "bad.txt"
        for word in reason_words:
            assert word.lower() in outcome.reason.lower(), outcome.reason
        assert counts() == before
        return outcome

    return run


# parse_page: text to Page, without the database


def test_parse_page_reads_the_seed_field_by_field(seed_text):
    page = parse_page(seed_text)
    assert page.title == SEED_TITLE
    assert page.type == Release.Type.PRESS_RELEASE
    assert timezone.localtime(page.published_at).date() == dt.date(2021, 9, 24)
    assert page.place == "New York"
    assert page.sources == ["Minsk Group"]
    assert page.fields == ["Conflict prevention and resolution"]
    assert page.countries == []
    assert page.meetings == []
    assert page.body.startswith(f"<p>{SEED_DATELINE}")
    assert page.body.count("<p>") == 5
    assert "Fields of work" not in page.body
    assert "About us" not in page.body


def test_parse_page_dates_a_page_at_noon_local_time(seed_text):
    published = timezone.localtime(parse_page(seed_text).published_at)
    assert (published.date(), published.time()) == (dt.date(2021, 9, 24), dt.time(12, 0))


def test_parse_page_without_a_menu_reads_the_same(seed_text):
    assert parse_page(without_menu(seed_text)) == parse_page(seed_text)


def test_parse_page_accepts_crlf_line_endings(seed_text):
    assert parse_page(seed_text.replace("\n", "\r\n")) == parse_page(seed_text)


def test_parse_page_ignores_a_byte_order_mark(seed_text):
    assert parse_page("\ufeff" + seed_text) == parse_page(seed_text)


def test_parse_page_reads_a_dateline_with_a_hyphen(seed_text):
    page = parse_page(edit(seed_text, "24 September 2021 –", "24 September 2021 -"))
    assert timezone.localtime(page.published_at).date() == dt.date(2021, 9, 24)
    assert page.place == "New York"


@pytest.mark.parametrize("written", ["12 March 2023", "2023-03-12", "12 Mar 2023", "12.03.2023"])
def test_parse_page_prefers_the_date_field_to_the_dateline(seed_text, written):
    page = parse_page(edit(seed_text, "- Date:\n", f"- Date:\n- {written}\n"))
    assert timezone.localtime(page.published_at).date() == dt.date(2023, 3, 12)


def test_parse_page_reads_a_date_on_the_key_line(seed_text):
    page = parse_page(edit(seed_text, "- Date:\n", "- Date: 12 March 2023\n"))
    assert timezone.localtime(page.published_at).date() == dt.date(2023, 3, 12)


def test_parse_page_takes_the_place_from_the_dateline_when_the_field_is_empty(seed_text):
    page = parse_page(edit(seed_text, "- Place:\n- NEW YORK\n", "- Place:\n"))
    assert page.place == "New York"


@pytest.mark.parametrize(
    ("type_line", "expected"),
    [
        ("Press release", Release.Type.PRESS_RELEASE),
        ("News item", Release.Type.NEWS),
        ("News", Release.Type.NEWS),
        ("Statement", Release.Type.STATEMENT),
        ("STATEMENT", Release.Type.STATEMENT),
    ],
)
def test_parse_page_reads_the_type_line(seed_text, type_line, expected):
    page = parse_page(edit(seed_text, "Press release\n", f"{type_line}\n"))
    assert page.type == expected
    assert page.title == SEED_TITLE


def test_parse_page_escapes_html_in_the_body(seed_text):
    page = parse_page(after_first_paragraph(seed_text, "<script>alert(1)</script> & <b>bold</b>\n"))
    assert "<script" not in page.body
    assert "<b>" not in page.body
    assert "<p>&lt;script&gt;alert(1)&lt;/script&gt; &amp; &lt;b&gt;bold&lt;/b&gt;</p>" in page.body


def test_parse_page_turns_consecutive_dash_lines_in_the_body_into_a_list(seed_text):
    page = parse_page(
        after_first_paragraph(seed_text, "- first point\n- second point\n- third point\n")
    )
    assert "<ul><li>first point</li><li>second point</li><li>third point</li></ul>" in page.body
    assert page.body.count("<ul>") == 1
    assert page.body.count("<p>") == 5
    # The list sits between the paragraphs it was written between.
    assert page.body.index("made the following statement:") < page.body.index("<ul>")
    assert page.body.index("</ul>") < page.body.index("On the sidelines")


@pytest.mark.parametrize(
    ("text_edit", "reason"),
    [
        pytest.param(lambda t: edit(t, SEED_METADATA, ""), "metadata", id="no-metadata"),
        pytest.param(lambda t: edit(t, SEED_TITLE + "\n", ""), "title", id="no-title"),
        pytest.param(
            lambda t: edit(without_menu(t), SEED_TITLE + "\n", ""), "title", id="no-title-no-menu"
        ),
        pytest.param(lambda t: edit(t, "Press release\n", "Op-ed\n"), "Op-ed", id="unknown-type"),
        pytest.param(
            lambda t: edit(t, "- Date:\n", "- Date:\n- 31 February 2021\n"),
            "31 February 2021",
            id="impossible-date",
        ),
        pytest.param(
            lambda t: edit(t, "- Date:\n", "- Date:\n- yesterday\n"), "yesterday", id="not-a-date"
        ),
        pytest.param(
            lambda t: edit(t, "NEW YORK, 24 September 2021 – ", ""), "no date", id="no-date"
        ),
        pytest.param(
            lambda t: edit(t, "- NEW YORK\n", "- NEW YORK\n- Vienna\n"), "places", id="two-places"
        ),
        pytest.param(lambda t: t.replace("Co-Chairs", "Co\x00Chairs"), "binary", id="nul-bytes"),
    ],
)
def test_parse_page_rejects_a_malformed_page_with_its_reason(seed_text, text_edit, reason):
    with pytest.raises(PageError) as error:
        parse_page(text_edit(seed_text))
    assert reason.lower() in str(error.value).lower()


def test_parse_page_rejects_a_title_too_long_for_a_release(seed_text):
    with pytest.raises(PageError, match="longer than 300"):
        parse_page(edit(seed_text, SEED_TITLE, "Statement " * 40))


# Importer: the seed page filed as a release


def test_importing_the_seed_creates_one_published_release(importer, seed_path):
    before = Release.objects.count()
    outcome = importer.import_path(seed_path)

    assert outcome.status == "created"
    assert outcome.title == SEED_TITLE
    assert Release.objects.count() == before + 1
    release = Release.objects.get(import_key__isnull=False, title=SEED_TITLE)
    assert release.type == Release.Type.PRESS_RELEASE
    assert release.status == Release.Status.PUBLISHED
    assert release.is_published()
    assert release.slug == SEED_SLUG
    assert local_day(release) == dt.date(2021, 9, 24)
    assert release.place.name == "New York"
    assert release.place.country is None
    assert [s.name for s in release.sources.all()] == ["Minsk Group"]
    assert [f.name for f in release.fields_of_work.all()] == ["Conflict prevention and resolution"]
    assert list(release.countries.all()) == []
    assert list(release.meetings.all()) == []
    assert release.body.startswith(f"<p>{SEED_DATELINE}")
    assert len(re.findall(r"<p>", release.body)) == 5
    assert release.body.rstrip().endswith("in accordance with their mandate.</p>")
    assert release.imported_from == seed_path.name


def test_importing_the_seed_creates_its_new_place_and_source_and_says_so(importer, seed_path):
    assert not Place.objects.filter(name="New York").exists()
    assert not Structure.objects.filter(name="Minsk Group").exists()
    places, structures = Place.objects.count(), Structure.objects.count()

    outcome = importer.import_path(seed_path)

    assert Place.objects.count() == places + 1
    assert Structure.objects.count() == structures + 1
    new_york = Place.objects.get(name="New York")
    assert new_york.slug == "new-york"
    assert new_york.country is None
    assert Structure.objects.get(name="Minsk Group").slug == "minsk-group"
    assert any("New York" in note for note in outcome.notes)
    assert any("Minsk Group" in note for note in outcome.notes)


def test_the_imported_seed_has_its_public_page(importer, seed_path, client):
    importer.import_path(seed_path)
    response = client.get(f"/press-releases/{SEED_SLUG}/")
    assert response.status_code == 200
    html = response.content.decode()
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))
    assert SEED_TITLE in text
    assert "Date 24 September 2021 " in text
    assert "Place New York " in text
    assert "Source Minsk Group " in text
    assert "Fields of work Conflict prevention and resolution " in text
    assert "The Co-Chairs of the OSCE Minsk Group (Stephane Visconti of France" in text


# Importer: importing again


def test_importing_the_same_file_again_changes_nothing(importer, seed_path):
    importer.import_path(seed_path)
    release = Release.objects.get(title=SEED_TITLE)
    before = counts()

    outcome = Importer().import_path(seed_path)

    assert outcome.status == "unchanged"
    assert counts() == before
    again = Release.objects.get(pk=release.pk)
    assert again.updated_at == release.updated_at
    assert again.body == release.body
    assert again.slug == SEED_SLUG


def test_importing_the_same_file_twice_with_one_importer_changes_nothing(importer, seed_path):
    assert importer.import_path(seed_path).status == "created"
    before = counts()
    assert importer.import_path(seed_path).status == "unchanged"
    assert counts() == before


def test_importing_a_changed_body_updates_the_one_release(import_page, seed_text):
    _, release = import_page(seed_text)
    changed = edit(seed_text, "in accordance with their mandate.", "in line with their mandate.")

    outcome, updated = import_page(changed)

    assert outcome.status == "updated"
    assert Release.objects.filter(title=SEED_TITLE).count() == 1
    assert updated.pk == release.pk
    assert updated.slug == SEED_SLUG
    assert "in line with their mandate." in updated.body
    assert "in accordance with their mandate." not in updated.body
    assert updated.updated_at > release.updated_at


def test_importing_changed_terms_updates_the_release(import_page, seed_text):
    _, release = import_page(seed_text)
    changed = edit(seed_text, SEED_FIELDS, "- Fields of work:\n- Human rights\n- Elections\n")

    outcome, updated = import_page(changed)

    assert outcome.status == "updated"
    assert updated.pk == release.pk
    assert sorted(f.name for f in updated.fields_of_work.all()) == ["Elections", "Human rights"]


def test_the_same_page_under_another_file_name_is_not_duplicated(import_page, seed_text):
    _, first = import_page(seed_text, "first.txt")
    before = Release.objects.count()

    outcome, second = import_page(seed_text, "second.txt")

    assert outcome.status == "updated"  # imported_from now names the second file
    assert Release.objects.count() == before
    assert second is not None
    assert second.pk == first.pk
    assert second.slug == SEED_SLUG


def test_a_new_page_with_a_title_used_before_gets_a_dated_slug(import_page, seed_text):
    import_page(seed_text, "2021.txt")
    later = edit(seed_text, "- Date:\n", "- Date:\n- 12 March 2023\n")

    outcome, release = import_page(later, "2023.txt")

    assert outcome.status == "created"
    assert Release.objects.filter(title=SEED_TITLE).count() == 2
    assert release.slug == f"{SEED_SLUG}-2023-03-12"


# Importer: variants of the seed page


def test_crlf_line_endings_import_like_the_seed(import_page, seed_text):
    outcome, release = import_page(seed_text.replace("\n", "\r\n"))
    assert outcome.status == "created"
    assert release.title == SEED_TITLE
    assert local_day(release) == dt.date(2021, 9, 24)
    assert release.place.name == "New York"
    assert [s.name for s in release.sources.all()] == ["Minsk Group"]
    assert release.body.count("<p>") == 5
    assert "\r" not in release.body


def test_a_hyphen_in_the_dateline_still_dates_the_page(import_page, seed_text):
    text = edit(seed_text, "24 September 2021 – The", "24 September 2021 - The")
    outcome, release = import_page(text)
    assert outcome.status == "created"
    assert local_day(release) == dt.date(2021, 9, 24)


@pytest.mark.parametrize("written", ["12 March 2023", "2023-03-12"])
def test_a_date_in_the_metadata_wins_over_the_dateline(import_page, seed_text, written):
    outcome, release = import_page(edit(seed_text, "- Date:\n", f"- Date:\n- {written}\n"))
    assert outcome.status == "created"
    assert local_day(release) == dt.date(2023, 3, 12)


def test_several_sources_resolve_through_names_and_aliases(import_page, seed_text):
    text = edit(
        seed_text,
        "- Minsk Group\n",
        "- Chairmanship\n- OSCE Mission to Moldova\n- Mission to Skopje\n",
    )
    structures = Structure.objects.count()

    outcome, release = import_page(text)

    assert outcome.status == "created"
    assert Structure.objects.count() == structures
    assert sorted(s.name for s in release.sources.all()) == [
        "Chairpersonship",
        "Mission to Moldova",
        "Mission to Skopje",
    ]
    assert not any("source" in note for note in outcome.notes)


def test_a_source_named_twice_is_filed_once(import_page, seed_text):
    text = edit(seed_text, "- Minsk Group\n", "- Chairpersonship\n- Chairmanship\n")
    outcome, release = import_page(text)
    assert outcome.status == "created"
    assert [s.name for s in release.sources.all()] == ["Chairpersonship"]


def test_several_fields_of_work_are_all_filed(import_page, seed_text):
    text = edit(
        seed_text,
        SEED_FIELDS,
        SEED_FIELDS + "- Human rights\n- ELECTIONS\n",
    )
    outcome, release = import_page(text)
    assert outcome.status == "created"
    assert sorted(f.name for f in release.fields_of_work.all()) == [
        "Conflict prevention and resolution",
        "Elections",
        "Human rights",
    ]


@pytest.mark.parametrize(
    "fields_block",
    ["- Fields of work:\n", ""],
    ids=["empty-field", "no-field-line"],
)
def test_a_page_without_fields_of_work_is_filed_without_them(import_page, seed_text, fields_block):
    fields = FieldOfWork.objects.count()
    text = edit(seed_text, SEED_FIELDS, fields_block)
    outcome, release = import_page(text)
    assert outcome.status == "created"
    assert list(release.fields_of_work.all()) == []
    assert FieldOfWork.objects.count() == fields
    assert release.body.startswith(f"<p>{SEED_DATELINE}")


def test_a_known_capital_written_in_capitals_is_the_existing_place(import_page, seed_text):
    vienna = Place.objects.get(name="Vienna")
    places = Place.objects.count()
    text = edit(seed_text, "- NEW YORK\n", "- VIENNA\n")

    outcome, release = import_page(text)

    assert outcome.status == "created"
    assert release.place == vienna
    assert release.place.country.name == "Austria"
    assert Place.objects.count() == places
    assert not any("place" in note for note in outcome.notes)


def test_a_capital_in_the_dateline_is_the_existing_place(import_page, seed_text):
    vienna = Place.objects.get(name="Vienna")
    places = Place.objects.count()
    text = edit(seed_text, "- Place:\n- NEW YORK\n", "- Place:\n")
    text = edit(text, "NEW YORK, 24 September", "VIENNA, 24 September")

    outcome, release = import_page(text)

    assert outcome.status == "created"
    assert release.place == vienna
    assert Place.objects.count() == places


def test_a_page_without_the_menu_imports_like_the_seed(import_page, seed_text):
    outcome, release = import_page(without_menu(seed_text))
    assert outcome.status == "created"
    assert release.title == SEED_TITLE
    assert release.type == Release.Type.PRESS_RELEASE
    assert local_day(release) == dt.date(2021, 9, 24)
    assert release.place.name == "New York"
    assert [s.name for s in release.sources.all()] == ["Minsk Group"]
    assert [f.name for f in release.fields_of_work.all()] == ["Conflict prevention and resolution"]
    assert release.body.count("<p>") == 5


@pytest.mark.parametrize(
    ("type_line", "expected"),
    [("News item", Release.Type.NEWS), ("Statement", Release.Type.STATEMENT)],
)
def test_news_items_and_statements_keep_their_type(import_page, seed_text, type_line, expected):
    outcome, release = import_page(edit(seed_text, "Press release\n", f"{type_line}\n"))
    assert outcome.status == "created"
    assert release.type == expected
    assert release.title == SEED_TITLE


def test_html_in_the_body_is_stored_as_text(import_page, seed_text, client):
    text = after_first_paragraph(
        seed_text, '<script>alert(1)</script><img src=x onerror="alert(2)">\n'
    )
    outcome, release = import_page(text)
    assert outcome.status == "created"
    assert "<script" not in release.body
    assert "<img" not in release.body
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in release.body

    html = client.get(release.get_absolute_url()).content.decode()
    assert "<script>alert(1)" not in html
    assert "<img src=x" not in html
    assert '<img src="x"' not in html


def test_dash_lines_in_the_body_become_a_list(import_page, seed_text):
    text = after_first_paragraph(seed_text, "- a ceasefire\n- talks <soon>\n")
    outcome, release = import_page(text)
    assert outcome.status == "created"
    assert "<ul><li>a ceasefire</li><li>talks &lt;soon&gt;</li></ul>" in release.body
    assert release.body.count("<p>") == 5


# Importer: malformed pages fail alone, with their reason, and leave nothing behind


def test_a_page_without_metadata_fails(assert_fails_cleanly, seed_text):
    assert_fails_cleanly(edit(seed_text, SEED_METADATA, ""), "metadata")


@pytest.mark.parametrize("menu", [True, False], ids=["with-menu", "without-menu"])
def test_a_page_without_a_title_fails(assert_fails_cleanly, seed_text, menu):
    text = seed_text if menu else without_menu(seed_text)
    assert_fails_cleanly(edit(text, SEED_TITLE + "\n", ""), "title")


def test_a_page_that_starts_with_its_metadata_fails_for_want_of_a_title(
    assert_fails_cleanly, seed_text
):
    text = seed_text[seed_text.index("- Date:") :]
    assert_fails_cleanly(text, "title")


def test_an_unknown_type_fails(assert_fails_cleanly, seed_text):
    assert_fails_cleanly(edit(seed_text, "Press release\n", "Op-ed\n"), "type", "Op-ed")


def test_an_unknown_field_of_work_fails(assert_fails_cleanly, seed_text):
    text = edit(seed_text, SEED_FIELDS, "- Fields of work:\n- Space exploration\n")
    assert_fails_cleanly(text, "field of work", "Space exploration")


def test_an_unknown_field_of_work_leaves_no_new_source_or_place_behind(
    assert_fails_cleanly, seed_text
):
    text = edit(seed_text, "- NEW YORK\n", "- ATLANTIS\n")
    text = edit(text, "- Minsk Group\n", "- Ministry of Silly Walks\n")
    text = edit(text, SEED_FIELDS, "- Fields of work:\n- Space exploration\n")

    assert_fails_cleanly(text, "Space exploration")

    assert not Place.objects.filter(name__iexact="Atlantis").exists()
    assert not Structure.objects.filter(name="Ministry of Silly Walks").exists()
    assert not Release.objects.filter(title=SEED_TITLE).exists()


def test_an_unknown_country_leaves_no_new_source_or_place_behind(assert_fails_cleanly, seed_text):
    text = edit(seed_text, "- Fields of work:", "- Countries:\n- Atlantis\n- Fields of work:")
    assert_fails_cleanly(text, "country", "Atlantis")
    assert not Place.objects.filter(name="New York").exists()
    assert not Structure.objects.filter(name="Minsk Group").exists()


def test_a_failed_page_does_not_spoil_the_next_one(importer, seed_text):
    bad = edit(seed_text, SEED_FIELDS, "- Fields of work:\n- Space exploration\n")
    assert importer.import_text(bad, "bad.txt").status == "failed"

    outcome = importer.import_text(seed_text, "good.txt")

    assert outcome.status == "created"
    release = Release.objects.get(imported_from="good.txt")
    assert release.place == Place.objects.get(name="New York")
    assert list(release.sources.all()) == [Structure.objects.get(name="Minsk Group")]


def test_one_importer_reuses_the_place_and_source_it_created(importer, seed_text):
    assert importer.import_text(seed_text, "first.txt").status == "created"
    places, structures = Place.objects.count(), Structure.objects.count()
    other = edit(seed_text, SEED_TITLE, "Another statement by the Co-Chairs")

    outcome = importer.import_text(other, "other.txt")

    assert outcome.status == "created"
    assert outcome.notes == []
    assert (Place.objects.count(), Structure.objects.count()) == (places, structures)
    release = Release.objects.get(imported_from="other.txt")
    assert release.place == Place.objects.get(name="New York")
    assert list(release.sources.all()) == [Structure.objects.get(name="Minsk Group")]


def test_a_place_name_too_long_for_a_place_fails(assert_fails_cleanly, seed_text):
    """A place may name 200 characters; a longer one is the page's fault, not a crash."""
    text = edit(seed_text, "- NEW YORK\n", "- " + "Somewhere " * 25 + "\n")
    assert_fails_cleanly(text, "place")
    assert not Place.objects.filter(name__startswith="Somewhere").exists()


@pytest.mark.parametrize("date", ["31 February 2021", "yesterday", "2021-02-31"])
def test_a_date_that_is_not_a_date_fails(assert_fails_cleanly, seed_text, date):
    text = edit(seed_text, "- Date:\n", f"- Date:\n- {date}\n")
    assert_fails_cleanly(text, "date", date)


def test_a_page_with_no_date_anywhere_fails(assert_fails_cleanly, seed_text):
    text = edit(seed_text, "NEW YORK, 24 September 2021 – ", "")
    assert_fails_cleanly(text, "no date")


def test_a_page_with_several_places_fails(assert_fails_cleanly, seed_text):
    text = edit(seed_text, "- NEW YORK\n", "- NEW YORK\n- Washington\n")
    outcome = assert_fails_cleanly(text, "places")
    assert "NEW YORK" in outcome.reason
    assert "Washington" in outcome.reason


def test_a_title_too_long_fails(assert_fails_cleanly, seed_text):
    assert_fails_cleanly(edit(seed_text, SEED_TITLE, "Statement " * 40), "title", "300")


# Importer: files


def test_a_binary_file_fails(importer, tmp_path):
    path = tmp_path / "binary.txt"
    path.write_bytes(b"Press release\x00\x00\x01\x02\n- Date:\n- 12 March 2023\n\x00")
    before = counts()

    outcome = importer.import_path(path)

    assert outcome.status == "failed"
    assert outcome.name == str(path)
    assert "binary" in outcome.reason
    assert counts() == before


def test_a_file_that_is_not_utf8_fails(importer, tmp_path, seed_text):
    path = tmp_path / "latin.txt"
    path.write_bytes(seed_text.encode("cp1252"))
    before = counts()

    outcome = importer.import_path(path)

    assert outcome.status == "failed"
    assert outcome.name == str(path)
    assert "UTF-8" in outcome.reason
    assert counts() == before


def test_a_missing_file_fails(importer, tmp_path):
    path = tmp_path / "missing.txt"
    before = counts()

    outcome = importer.import_path(path)

    assert outcome.status == "failed"
    assert outcome.name == str(path)
    assert "No such file" in outcome.reason
    assert counts() == before


def test_a_utf8_file_with_a_byte_order_mark_imports(importer, tmp_path, seed_text):
    path = tmp_path / "bom.txt"
    path.write_bytes(seed_text.encode("utf-8-sig"))
    outcome = importer.import_path(path)
    assert outcome.status == "created"
    assert Release.objects.get(imported_from="bom.txt").title == SEED_TITLE
