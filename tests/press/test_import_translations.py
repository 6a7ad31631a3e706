"""Importing Russian pages: ``import_releases --language``, Russian names resolved through
the reference data, and a translation linked to its original.

The English and Russian sample pages are copied to pytest's ``tmp_path``; the command runs
through ``call_command``. A translation is linked only when it is told its original (its
Original line, or ``--translation-of``): a release of the same day, place and source is
not taken for it, since the archive has Russian-only releases beside English-only ones.
"""

import shutil
from pathlib import Path

import pytest

from institutions.models import Structure
from press.importer import Importer
from press.models import Release
from taxonomy.models import Country, Place
from tests.helpers.importer import run_import as run

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = ROOT / "press" / "sample_pages"
ENGLISH_SAMPLE = SAMPLES / "minsk-group-statement-2021-09-24.txt"
RUSSIAN_SAMPLE = SAMPLES / "minsk-group-statement-2021-09-24-ru.txt"
ENGLISH_TITLE = "Statement by the Co-Chairs of the OSCE Minsk Group"
ENGLISH_SLUG = "statement-by-the-co-chairs-of-the-osce-minsk-group"
RUSSIAN_TITLE = "Заявление сопредседателей Минской группы ОБСЕ"
ORIGINAL_LINES = f"- Оригинал:\n- {ENGLISH_TITLE}\n"

# A Russian original: no English page says the same.
RUSSIAN_NEWS = """Новость
Программный офис ОБСЕ в Бишкеке провел семинар по кибербезопасности для госслужащих
- Дата:
- 5 марта 2024 г.
- Место:
- Бишкек
- Источник:
- Программный офис ОБСЕ в Бишкеке
- Направления деятельности:
- Кибербезопасность/безопасность ИКТ
- Страны:
- Кыргызстан
БИШКЕК, 5 марта 2024 г. – Программный офис ОБСЕ в Бишкеке провел двухдневный семинар.
Участники обсудили меры укрепления доверия в сфере использования ИКТ.
"""


def russian_text():
    return RUSSIAN_SAMPLE.read_text(encoding="utf-8")


def edit(text, old, new):
    assert text.count(old) == 1, f"the page should contain {old!r} once"
    return text.replace(old, new)


def write(folder, name, text):
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def both(tmp_path):
    """The sample folder: the Russian page's name sorts before the English one's."""
    for sample in (ENGLISH_SAMPLE, RUSSIAN_SAMPLE):
        shutil.copy(sample, tmp_path / sample.name)
    assert sorted(p.name for p in tmp_path.iterdir())[0] == RUSSIAN_SAMPLE.name
    return tmp_path


@pytest.fixture
def english(tmp_path):
    """The English original, imported."""
    assert Importer().import_path(ENGLISH_SAMPLE).status == "created"
    return Release.objects.get(title=ENGLISH_TITLE)


def test_a_folder_with_an_original_and_its_translation_links_them_in_one_run(both):
    out, err, error = run(both)

    assert error is None, err
    assert "2 page(s): 2 created, 0 updated, 0 unchanged, 0 failed." in out
    english = Release.objects.get(title=ENGLISH_TITLE)
    russian = Release.objects.get(title=RUSSIAN_TITLE)
    assert (english.language, english.translation_of) == ("en", None)
    assert (russian.language, russian.translation_of) == ("ru", english)
    assert russian.slug == f"{ENGLISH_SLUG}-ru"
    assert russian.imported_from == RUSSIAN_SAMPLE.name
    assert out.index(ENGLISH_SAMPLE.name) < out.index(RUSSIAN_SAMPLE.name)


def test_a_translation_shares_its_original_s_type_place_and_terms(both):
    out, _err, _error = run(both)

    english = Release.objects.get(title=ENGLISH_TITLE)
    russian = Release.objects.get(title=RUSSIAN_TITLE)
    assert russian.place == english.place
    assert russian.type == english.type
    for relation in ("sources", "fields_of_work", "countries", "meetings"):
        assert set(getattr(russian, relation).all()) == set(getattr(english, relation).all())
    # "Минская группа" has no Russian name yet: it is reported, and no term is made of it.
    assert not Structure.objects.filter(name="Минская группа").exists()
    assert not Place.objects.filter(name="Нью-Йорк").exists()
    assert "kept the original's sources (Minsk Group)" in out
    assert "the page gives Минская группа" in out


def test_running_again_reports_both_pages_unchanged(both):
    run(both)
    before = Release.objects.count()

    out, _err, error = run(both)

    assert error is None
    assert "2 page(s): 0 created, 0 updated, 2 unchanged, 0 failed." in out
    assert Release.objects.count() == before


def test_a_dry_run_links_in_its_report_and_writes_nothing(both):
    before = Release.objects.count()

    out, err, error = run(both, "--dry-run")

    assert error is None, err
    assert "2 created" in out
    assert Release.objects.count() == before


def test_a_translation_whose_original_is_missing_fails_and_writes_nothing(tmp_path):
    before = (Release.objects.count(), Structure.objects.count(), Place.objects.count())
    page = write(tmp_path, "ru.txt", russian_text())

    _out, err, error = run(page)

    assert error is not None
    assert f"FAILED {page}: its original “{ENGLISH_TITLE}” is not in the database" in err
    assert (Release.objects.count(), Structure.objects.count(), Place.objects.count()) == before


@pytest.mark.parametrize(
    "named",
    [ENGLISH_SLUG, f"/press-releases/{ENGLISH_SLUG}/", ENGLISH_TITLE.upper()],
    ids=["slug", "address", "title"],
)
def test_the_original_line_names_it_by_slug_address_or_title(tmp_path, english, named):
    page = write(
        tmp_path, "ru.txt", edit(russian_text(), ORIGINAL_LINES, f"- Оригинал:\n- {named}\n")
    )
    _out, err, error = run(page)
    assert error is None, err
    assert Release.objects.get(title=RUSSIAN_TITLE).translation_of == english


def test_translation_of_links_a_page_that_does_not_name_its_original(tmp_path, english):
    page = write(tmp_path, "ru.txt", edit(russian_text(), ORIGINAL_LINES, ""))

    _out, err, error = run(page, "--translation-of", ENGLISH_SLUG)

    assert error is None, err
    assert Release.objects.get(title=RUSSIAN_TITLE).translation_of == english


def test_translation_of_names_the_original_of_one_page_only(both):
    _out, _err, error = run(both, "--translation-of", ENGLISH_SLUG)
    assert "--translation-of names the original of one page; 2 were given" in str(error)
    assert not Release.objects.filter(title=RUSSIAN_TITLE).exists()


def test_a_page_without_an_original_is_not_linked_by_its_day_place_and_source(tmp_path, english):
    page = write(tmp_path, "ru.txt", edit(russian_text(), ORIGINAL_LINES, ""))

    _out, err, error = run(page)

    assert error is None, err
    russian = Release.objects.get(title=RUSSIAN_TITLE)
    assert (russian.language, russian.translation_of) == ("ru", None)


def test_a_link_made_before_stays_when_the_page_is_imported_again(tmp_path, english):
    page = write(tmp_path, "ru.txt", edit(russian_text(), ORIGINAL_LINES, ""))
    run(page, "--translation-of", ENGLISH_SLUG)

    out, _err, error = run(page)

    assert error is None
    assert "0 created, 0 updated, 1 unchanged" in out
    assert Release.objects.get(title=RUSSIAN_TITLE).translation_of == english


def test_a_second_russian_translation_of_one_original_fails(tmp_path, english):
    run(write(tmp_path, "ru.txt", russian_text()))
    other = edit(
        russian_text(), "\nЗаявление сопредседателей", "\nЕще одно заявление сопредседателей"
    )

    _out, err, error = run(write(tmp_path, "ru-2.txt", other))

    assert error is not None
    assert f"“{ENGLISH_TITLE}” already has a translation in Русский" in err
    assert not Release.objects.filter(title__startswith="Еще одно").exists()


def test_an_original_named_in_its_own_language_fails(tmp_path):
    run(write(tmp_path, "news.txt", RUSSIAN_NEWS))
    news_title = RUSSIAN_NEWS.splitlines()[1]
    page = edit(russian_text(), ORIGINAL_LINES, f"- Оригинал:\n- {news_title}\n")

    _out, err, error = run(write(tmp_path, "ru.txt", page))

    assert error is not None
    assert "is not in the database" in err  # only releases in another language are looked at


def test_an_original_s_new_terms_reach_its_translation(both):
    run(both)
    english_page = ENGLISH_SAMPLE.read_text(encoding="utf-8")
    fields = "- Fields of work:\n- Conflict prevention and resolution\n"
    changed = edit(english_page, fields, fields + "- Countries:\n- Armenia\n- Azerbaijan\n")
    (both / ENGLISH_SAMPLE.name).write_text(changed, encoding="utf-8")

    _out, _err, error = run(both)

    assert error is None
    russian = Release.objects.get(title=RUSSIAN_TITLE)
    assert {c.iso_code for c in russian.countries.all()} == {"AM", "AZ"}


def test_a_russian_original_is_filed_under_its_russian_names(tmp_path):
    _out, err, error = run(write(tmp_path, "news.txt", RUSSIAN_NEWS), "--language", "ru")

    assert error is None, err
    release = Release.objects.get(imported_from="news.txt")
    assert (release.language, release.translation_of) == ("ru", None)
    assert release.type == Release.Type.NEWS
    assert release.place.name == "Bishkek"
    assert [s.name for s in release.sources.all()] == ["Programme Office in Bishkek"]
    assert [f.name for f in release.fields_of_work.all()] == ["Cyber/ICT Security"]
    assert [c.iso_code for c in release.countries.all()] == ["KG"]


def test_a_country_is_known_by_cldr_s_russian_name_too(tmp_path):
    text = edit(RUSSIAN_NEWS, "- Кыргызстан\n", "- Кыргызстан\n- Армения\n")
    _out, err, error = run(write(tmp_path, "news.txt", text))
    assert error is None, err
    release = Release.objects.get(imported_from="news.txt")
    assert {c.iso_code for c in release.countries.all()} == {"KG", "AM"}


def test_an_unknown_russian_name_fails_the_page_like_an_english_one(tmp_path):
    before = (Release.objects.count(), Country.objects.count())
    text = edit(RUSSIAN_NEWS, "- Кибербезопасность/безопасность ИКТ\n", "- Исследование космоса\n")

    _out, err, error = run(write(tmp_path, "bad.txt", text))

    assert error is not None
    assert "FAILED" in err
    assert "bad.txt" in err
    assert "unknown field of work: “Исследование космоса”" in err
    assert (Release.objects.count(), Country.objects.count()) == before


def test_a_new_place_from_a_russian_original_is_named_in_russian_and_reported(tmp_path):
    text = edit(RUSSIAN_NEWS, "- Бишкек\n", "- Ош\n")

    out, _err, error = run(write(tmp_path, "news.txt", text))

    assert error is None
    place = Place.objects.get(name="Ош")
    assert place.name_ru == "Ош"
    assert "created the place “Ош”: review it in the admin, and give it its English name" in out


def test_a_russian_page_imported_as_english_fails_naming_why(tmp_path):
    page = write(tmp_path, "news.txt", RUSSIAN_NEWS)

    _out, err, error = run(page, "--language", "en")

    assert error is not None
    assert "the page is not in English: its labels are in Русский" in err
    assert not Release.objects.filter(imported_from="news.txt").exists()


def test_english_pages_are_still_english_by_default(tmp_path):
    run(ENGLISH_SAMPLE)
    assert Release.objects.get(title=ENGLISH_TITLE).language == "en"


def test_the_sample_folder_imports_cleanly():
    """``make run`` imports press/sample_pages: both pages, linked."""
    _out, err, error = run(SAMPLES)
    assert error is None, err
    assert Release.objects.get(title=RUSSIAN_TITLE).translation_of.title == ENGLISH_TITLE


def test_a_page_naming_a_translation_is_filed_under_that_translation_s_original(both, tmp_path):
    run(both)
    english = Release.objects.get(title=ENGLISH_TITLE)
    french = (
        "Press release\nDéclaration des coprésidents du Groupe de Minsk de l'OSCE\n"
        f"- Language:\n- français\n- Original:\n- {ENGLISH_SLUG}-ru\n"
        "NEW YORK, 24 September 2021 – Les coprésidents ont fait la déclaration suivante.\n"
    )

    out, err, error = run(write(tmp_path, "fr.txt", french))

    assert error is None, err
    release = Release.objects.get(imported_from="fr.txt")
    assert (release.language, release.translation_of) == ("fr", english)
    assert f"“{RUSSIAN_TITLE}” is itself a translation" in out


def test_an_original_with_translations_cannot_become_a_translation(both, tmp_path):
    run(both)
    run(write(tmp_path, "news.txt", RUSSIAN_NEWS))
    news_title = RUSSIAN_NEWS.splitlines()[1]
    english_page = ENGLISH_SAMPLE.read_text(encoding="utf-8")
    text = edit(english_page, "- Date:\n", f"- Original:\n- {news_title}\n- Date:\n")

    _out, err, error = run(write(tmp_path, "en.txt", text))

    assert error is not None
    assert "has translations of its own" in err
    assert Release.objects.get(title=ENGLISH_TITLE).translation_of is None
