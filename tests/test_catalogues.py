"""The interface's catalogues (issue 18): every message of the public site goes through
gettext, Russian's catalogue translates every one of them, the compiled catalogues are the
written ones, and a Russian page speaks Russian while an English page stays English."""

import os
import re
import shutil
from pathlib import Path

import pytest
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po
from django.conf import settings
from django.core.management import call_command
from django.utils import translation

from tests.helpers.factories import make_translated_pair
from tests.helpers.pages import page

ROOT = Path(settings.BASE_DIR)
LOCALE = ROOT / "locale"
TO_FILL = ("fr", "de", "it", "es")  # listed, not yet translated (README, "Adding a language")
PLACEHOLDER = re.compile(r"%\([a-z_]+\)[sd]|%[sd]|\{[a-z_]*\}")
TAG = re.compile(r"</?[a-z]+[^>]*>")
# What Russian text may hold in Latin letters: these abbreviations, and a date format's letters.
NOT_ENGLISH = {"RSS", "PDF", "JSON"}
LATIN_WORD = re.compile(r"[A-Za-z]{2,}")


def catalogue(language, kind="po"):
    path = LOCALE / language / "LC_MESSAGES" / f"django.{kind}"
    with path.open("rb") as file:
        return read_po(file) if kind == "po" else read_mo(file)


def messages(found):
    """{(context, msgid): msgstr} of a catalogue, the header left out; a plural's forms as
    tuples (read_mo gives lists)."""

    def frozen(value):
        return tuple(value) if isinstance(value, list) else value

    return {
        (message.context, frozen(message.id)): frozen(message.string)
        for message in found
        if message.id
    }


def translated(string):
    """Whether a msgstr (a tuple of plural forms, for a plural) is written."""
    return all(string) if isinstance(string, tuple) else bool(string)


def forms(message):
    """A message's id and its translation as lists: one item, or the plural forms."""
    ids = list(message.id) if message.pluralizable else [message.id]
    strings = list(message.string) if message.pluralizable else [message.string]
    return ids, strings


def placeholders(text):
    return sorted(PLACEHOLDER.findall(text))


def english_left(text):
    """The Latin words of ``text`` outside its placeholders and tags, bar NOT_ENGLISH."""
    plain = TAG.sub(" ", PLACEHOLDER.sub(" ", text))
    return [word for word in LATIN_WORD.findall(plain) if word not in NOT_ENGLISH]


def test_the_russian_catalogue_translates_every_message_in_three_plural_forms():
    russian = catalogue("ru")
    assert russian.num_plurals == 3
    assert russian.plural_expr.replace(" ", "") == (
        "(n%10==1&&n%100!=11?0:n%10>=2&&n%10<=4&&(n%100<10||n%100>=20)?1:2)"
    )
    assert not russian.fuzzy
    listed = [message for message in russian if message.id]
    assert len(listed) > 100
    for message in listed:
        ids, strings = forms(message)
        assert not message.fuzzy, message.id
        assert len(strings) == (3 if message.pluralizable else 1), message.id
        assert all(strings), f"not translated: {message.id!r}"
        for string in strings:
            assert placeholders(string) == placeholders(ids[-1]), (message.id, string)
            assert string not in ids, f"left in English: {message.id!r}"
            assert english_left(string) == [], (message.id, string)


def test_the_other_languages_list_every_message_ready_to_be_filled():
    russian = messages(catalogue("ru")).keys()
    for language in TO_FILL:
        assert messages(catalogue(language)).keys() == russian, language


@pytest.mark.parametrize("language", ["ru", *TO_FILL])
def test_the_compiled_catalogue_carries_exactly_the_written_one(language):
    written = {
        key: string for key, string in messages(catalogue(language)).items() if translated(string)
    }
    assert messages(catalogue(language, "mo")) == written
    if language == "ru":
        assert len(written) == len(messages(catalogue("ru")))


def test_the_russian_plural_forms_follow_the_number():
    with translation.override("ru"):
        labels = [
            translation.npgettext("a release's issuers", "Source", "Sources", n)
            for n in (1, 2, 5, 11, 21, 22, 25)
        ]
        count = translation.ngettext(
            "%(period)s: %(amount)s release", "%(period)s: %(amount)s releases", 3
        )
    assert (
        labels
        == ["Источник", "Источники", "Источники", "Источники", "Источник"] + ["Источники"] * 2
    )
    assert count == "%(period)s: %(amount)s материала"


def copy_sources(target):
    """What makemessages reads (templates and Python, outside the folders it ignores), and
    the Russian catalogue, copied to ``target``: the command writes beside the sources."""
    ignored = shutil.ignore_patterns(".*", "var", "bench", "tests", "node_modules", "locale")

    def skip(directory, names):
        kept_files = {n for n in names if Path(n).suffix in {".py", ".html", ".txt"}}
        folders = {n for n in names if (Path(directory) / n).is_dir()}
        return set(ignored(directory, names)) | (set(names) - kept_files - folders)

    shutil.copytree(ROOT, target, ignore=skip)
    messages_dir = target / "locale" / "ru" / "LC_MESSAGES"
    messages_dir.mkdir(parents=True)
    shutil.copy(LOCALE / "ru" / "LC_MESSAGES" / "django.po", messages_dir)
    return messages_dir / "django.po"


def test_makemessages_finds_no_message_the_russian_catalogue_lacks(tmp_path, monkeypatch, settings):
    missing = [tool for tool in ("xgettext", "msgmerge", "msguniq") if not shutil.which(tool)]
    if missing:
        reason = f"GNU gettext is not installed ({', '.join(missing)}): apt-get install gettext"
        if os.environ.get("CI"):
            pytest.fail(f"CI needs it: {reason}")
        pytest.skip(reason)
    copied = copy_sources(tmp_path / "site")
    monkeypatch.chdir(tmp_path / "site")
    settings.LOCALE_PATHS = [tmp_path / "site" / "locale"]
    call_command("makemessages", locale=["ru"], no_obsolete=True, verbosity=0)
    with copied.open("rb") as file:
        found = messages(read_po(file))
    committed = messages(catalogue("ru"))
    assert sorted(found.keys() - committed.keys(), key=str) == []  # new, untranslated
    assert sorted(committed.keys() - found.keys(), key=str) == []  # no longer used
    assert found == committed


# The interface's words: what a visitor reads of the site's own, not of its data (term
# names and release titles come from the database).
ENGLISH_WORDS = [
    "Newsroom",
    "Press release",
    "Search",
    "Skip to",
    "Filter",
    "Apply filters",
    "Clear all",
    "Sort by",
    "Newest first",
    "For example",
    "Subscribe",
    "Latest releases",
    "All press releases",
    "Fields of work",
    "Participating States",
    "Home",
    "Results",
    "release",
    "From",
    "Type",
    "Main",
]
CYRILLIC = re.compile("[А-яЁё]")


def interface_text(response):
    """The page's interface as read and heard: title, headings, labels (not a facet's
    options, which are terms), legends, buttons, sort options, hints, the count, links of
    the header, breadcrumbs and footer, the cards' types, and the words in attributes."""
    root = page(response)
    options = {id(node) for facet in root.find_all(cls="facet__options") for node in facet.iter()}
    parts = []
    for tag in ("title", "h1", "h2", "legend", "button", "option", "label", "footer"):
        parts += [node.text for node in root.find_all(tag) if id(node) not in options]
    for cls in ("skip-link", "site-name", "site-header__link", "hint", "count", "feed-link"):
        parts += [node.text for node in root.find_all(cls=cls)]
    parts += [node.text for node in root.find_all("span", cls="tag")]
    parts += [crumbs.find("li").text for crumbs in root.find_all("nav", cls="breadcrumbs")]
    for node in root.iter():
        parts += [node.attrs[name] for name in ("placeholder", "aria-label") if name in node.attrs]
    return " | ".join(parts)


@pytest.fixture
def pair(db):
    return make_translated_pair()


@pytest.mark.parametrize(
    ("path", "russian_words"),
    [
        ("/ru/", ["Пресс-центр", "Найти", "Поиск по материалам", "Последние материалы"]),
        (
            "/ru/press-releases/",
            ["Пресс-релизы", "Поиск", "Применить фильтры", "Сначала новые", "1 материал"],
        ),
    ],
)
def test_a_russian_page_speaks_russian(client, russian_open, pair, path, russian_words):
    text = interface_text(client.get(path))
    for word in russian_words:
        assert word in text
    assert "Пресс-релиз" in text  # the card's type
    left = [word for word in ENGLISH_WORDS if re.search(rf"\b{word}\b", text)]
    assert left == [], text


@pytest.mark.parametrize("path", ["/", "/press-releases/"])
def test_an_english_page_stays_english(client, russian_open, pair, path):
    text = interface_text(client.get(path))
    for word in ("Newsroom", "Search", "Press release", "Fields of work"):
        assert word in text
    assert not CYRILLIC.search(text.replace("Русский", "")), text


def test_the_russian_release_page_and_the_error_pages_speak_russian(client, russian_open, pair):
    _english, russian = pair
    release = page(client.get(russian.get_absolute_url()))
    labels = [node.text for node in release.find("dl", cls="release__meta").find_all("dt")]
    assert labels == ["Дата", "Место", "Источник", "Направления деятельности", "Страны"]
    missing = client.get("/ru/nowhere/")
    assert missing.status_code == 404
    assert page(missing).find("h1").text == "Страница не найдена"
    refused = client.get("/ru/press-releases/?type=rumour")
    assert refused.status_code == 400
    alert = page(refused).find(role="alert").text
    assert "Тип: Типа «rumour» нет: выберите пресс-релиз, новость или заявление." in alert


def test_what_the_finder_s_script_writes_comes_from_the_page_in_its_language(
    client, russian_open, make_release
):
    """static/js/finder.js writes no words of its own: the fold buttons', the narrowing
    boxes' and the live count's labels are in the page, in its language."""
    from institutions.models import Structure

    make_release(language="ru", sources=("conflict-prevention-centre",))
    make_release(language="ru", sources=("secretariat",))
    body = page(client.get("/ru/press-releases/"))
    secretariat = Structure.objects.get(slug="secretariat")
    folds = body.find("fieldset", **{"data-facet": "source"}).find_all("ul", cls="facet__children")
    labels = [fold.attrs["data-show-label"] for fold in folds]
    assert any(label.startswith("Показать 1 пункт в разделе «Секретариат»") for label in labels)
    assert secretariat.name_ru == "Секретариат"
    assert (
        body.find("fieldset", **{"data-facet": "country"})
        .find("ul", cls="facet__options")
        .attrs["data-narrow-label"]
        == "Найти в списке стран"
    )
    count = body.find("p", cls="count")
    assert count.attrs["data-show-label"] == "Показать 2 материала"
    assert count.attrs["data-live-label"] == "С этими фильтрами: 2 материала"
    english = page(client.get("/press-releases/")).find("p", cls="count")
    assert english.attrs["data-show-label"] == "Show 0 results"


def test_numbers_are_grouped_as_the_language_writes_them():
    import datetime as dt

    from press.timeline import Bar

    bar = Bar(start=dt.date(2024, 1, 1), label="2024", count=12345, query="")
    with translation.override("en"):
        assert bar.amount == "12,345"
    with translation.override("ru"):
        assert bar.amount == "12\xa0345"
