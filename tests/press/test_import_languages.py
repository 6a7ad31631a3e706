"""Reading archive pages in Russian: the Russian archive's labels, its dates, and how a
page's language is settled (its Language line, its labels, ``--language``).

Parsing only: no database. Variants are string edits of the Russian sample page.
"""

import datetime as dt
import re
from pathlib import Path

import pytest
from django.utils import timezone

from press.importer import PageError, parse_date, parse_page
from press.models import Release

ROOT = Path(__file__).resolve().parents[2]
RUSSIAN_SAMPLE = ROOT / "press" / "sample_pages" / "minsk-group-statement-2021-09-24-ru.txt"
RUSSIAN_TITLE = "Заявление сопредседателей Минской группы ОБСЕ"
ENGLISH_TITLE = "Statement by the Co-Chairs of the OSCE Minsk Group"
ORIGINAL_LINES = f"- Оригинал:\n- {ENGLISH_TITLE}\n"


@pytest.fixture
def russian_text():
    return RUSSIAN_SAMPLE.read_text(encoding="utf-8")


def edit(text, old, new):
    """``text`` with ``old`` replaced; fails loudly if the page no longer contains it once."""
    assert text.count(old) == 1, f"the page should contain {old!r} once"
    return text.replace(old, new)


def local_day(moment):
    return timezone.localtime(moment).date()


def english_labels(text):
    """The Russian page with the English archive's labels, as some exports write them."""
    for russian, english in [
        ("- Дата:", "- Date:"),
        ("- Место:", "- Place:"),
        ("- Источник:", "- Source:"),
        ("- Направления деятельности:", "- Fields of work:"),
        ("- Оригинал:", "- Original:"),
    ]:
        text = edit(text, russian, english)
    return edit(text, "Пресс-релиз\n", "Press release\n")


def test_the_russian_sample_is_read_field_by_field(russian_text):
    page = parse_page(russian_text)

    assert page.title == RUSSIAN_TITLE
    assert page.type == Release.Type.PRESS_RELEASE
    assert page.language == "ru"
    assert local_day(page.published_at) == dt.date(2021, 9, 24)
    assert page.place == "Нью-Йорк"  # the dateline's capitals, in the case names are shown
    assert page.sources == ["Минская группа"]
    assert page.fields == ["Предотвращение и урегулирование конфликтов"]
    assert page.original == ENGLISH_TITLE
    assert page.body.startswith("<p>НЬЮ-ЙОРК, 24 сентября 2021 г. – Сопредседатели")
    assert page.warnings == []


def test_the_russian_menu_above_the_page_is_left_out(russian_text):
    without_menu = russian_text[russian_text.index("Пресс-релиз\n") :]
    assert parse_page(without_menu) == parse_page(russian_text)


@pytest.mark.parametrize(
    ("written", "day"),
    [
        ("24 сентября 2021 г.", dt.date(2021, 9, 24)),
        ("24 сентября 2021 года", dt.date(2021, 9, 24)),
        ("24 сентября 2021", dt.date(2021, 9, 24)),
        ("24 СЕНТЯБРЯ 2021 г.", dt.date(2021, 9, 24)),
        ("24 сент. 2021 г.", dt.date(2021, 9, 24)),
        ("1 мая 2024 г.", dt.date(2024, 5, 1)),
        ("3 март 2022", dt.date(2022, 3, 3)),
        ("24.09.2021 г.", dt.date(2021, 9, 24)),
        ("24 September 2021", dt.date(2021, 9, 24)),
    ],
)
def test_parse_date_reads_the_russian_archive_s_dates(written, day):
    assert local_day(parse_date(written)) == day


@pytest.mark.parametrize("written", ["24 сентебря 2021 г.", "31 февраля 2021 г.", "сентября 2021"])
def test_parse_date_refuses_what_is_not_a_russian_date(written):
    with pytest.raises(ValueError, match=re.escape(written.removesuffix(" г."))):
        parse_date(written)


def test_the_date_field_in_russian_wins_over_the_dateline(russian_text):
    page = parse_page(edit(russian_text, "- Дата:\n", "- Дата:\n- 25 сентября 2021 г.\n"))
    assert local_day(page.published_at) == dt.date(2021, 9, 25)


def test_a_russian_date_that_is_not_one_fails_the_page_naming_it(russian_text):
    with pytest.raises(PageError, match=re.escape("31 февраля 2021 г.")):
        parse_page(edit(russian_text, "- Дата:\n", "- Дата:\n- 31 февраля 2021 г.\n"))


@pytest.mark.parametrize(
    ("label", "field"),
    [
        ("Страны", "countries"),
        ("Страна", "countries"),
        ("Мероприятия", "meetings"),
        ("Источники", "sources"),
    ],
)
def test_the_russian_archive_s_other_labels_are_read(russian_text, label, field):
    text = edit(russian_text, "- Оригинал:\n", f"- {label}:\n- Что-то\n- Оригинал:\n")
    assert getattr(parse_page(text), field)[-1] == "Что-то"


@pytest.mark.parametrize(
    ("type_line", "release_type"),
    [("Новость", Release.Type.NEWS), ("Заявление", Release.Type.STATEMENT)],
)
def test_the_russian_type_lines_are_read(russian_text, type_line, release_type):
    page = parse_page(edit(russian_text, "Пресс-релиз\n", f"{type_line}\n"))
    assert page.type == release_type


def test_russian_labels_say_the_page_is_russian_whatever_language_is_asked(russian_text):
    assert parse_page(russian_text, "ru").language == "ru"
    with pytest.raises(PageError, match="its labels are in Русский"):
        parse_page(russian_text, "en")


def test_english_labels_leave_the_language_to_the_option(russian_text):
    text = english_labels(russian_text)
    assert parse_page(text).language == "en"
    assert parse_page(text, "ru").language == "ru"


@pytest.mark.parametrize("written", ["Русский", "русский", "Russian", "ru", "russe"])
def test_a_language_line_says_the_language_in_any_official_language(russian_text, written):
    text = edit(english_labels(russian_text), "- Date:\n", f"- Language:\n- {written}\n- Date:\n")
    assert parse_page(text).language == "ru"


def test_a_language_line_wins_over_the_labels(russian_text):
    text = edit(russian_text, "- Дата:\n", "- Язык:\n- английский\n- Дата:\n")
    assert parse_page(text).language == "en"


def test_a_language_line_against_the_option_fails_the_page(russian_text):
    text = edit(russian_text, "- Дата:\n", "- Язык:\n- русский\n- Дата:\n")
    with pytest.raises(PageError, match="its language line says русский"):
        parse_page(text, "fr")


def test_an_unknown_language_fails_the_page(russian_text):
    text = edit(russian_text, "- Дата:\n", "- Язык:\n- клингонский\n- Дата:\n")
    with pytest.raises(PageError, match="unknown language “клингонский”"):
        parse_page(text)


def test_a_page_in_russian_with_a_latin_title_is_imported_with_a_warning(russian_text):
    page = parse_page(edit(russian_text, f"\n{RUSSIAN_TITLE}\n", f"\n{ENGLISH_TITLE}\n"))
    assert page.language == "ru"
    assert page.warnings == ["the title has no Cyrillic letter, for a page in Russian"]


def test_a_page_names_one_original_at_most(russian_text):
    text = edit(russian_text, ORIGINAL_LINES, ORIGINAL_LINES + "- Another statement\n")
    with pytest.raises(PageError, match="several originals"):
        parse_page(text)


def test_a_page_without_an_original_line_is_an_original(russian_text):
    assert parse_page(edit(russian_text, ORIGINAL_LINES, "")).original == ""
