"""The import_releases command: files and folders in, a report out, a failing exit status.

Pages are written to pytest's ``tmp_path``; the command runs through ``call_command`` with
its output captured.
"""

import pytest

from institutions.models import Structure
from press.models import Release
from taxonomy.models import Place
from tests.helpers.importer import run_import as run

pytestmark = pytest.mark.django_db

SEED_TITLE = "Statement by the Co-Chairs of the OSCE Minsk Group"
SEED_FIELDS = "- Fields of work:\n- Conflict prevention and resolution\n"


def retitled(text, title):
    assert SEED_TITLE in text
    return text.replace(SEED_TITLE, title)


def counts():
    return (Release.objects.count(), Structure.objects.count(), Place.objects.count())


@pytest.fixture
def bad_text(seed_text):
    """A third page that names an unknown field of work, source and place."""
    text = retitled(seed_text, "A statement about space")
    text = text.replace("- NEW YORK\n", "- ATLANTIS\n").replace(
        "- Minsk Group\n", "- Ministry of Silly Walks\n"
    )
    assert SEED_FIELDS in text
    return text.replace(SEED_FIELDS, "- Fields of work:\n- Space exploration\n")


@pytest.fixture
def mixed_folder(tmp_path, seed_text, bad_text):
    """Two good pages and one bad one."""
    (tmp_path / "a-minsk.txt").write_text(seed_text, encoding="utf-8")
    (tmp_path / "b-other.txt").write_text(
        retitled(seed_text, "Second statement by the Co-Chairs"), encoding="utf-8"
    )
    (tmp_path / "c-bad.txt").write_text(bad_text, encoding="utf-8")
    return tmp_path


@pytest.fixture
def good_folder(tmp_path, seed_text):
    (tmp_path / "a-minsk.txt").write_text(seed_text, encoding="utf-8")
    (tmp_path / "b-other.txt").write_text(
        retitled(seed_text, "Second statement by the Co-Chairs"), encoding="utf-8"
    )
    return tmp_path


def test_a_folder_with_a_bad_page_imports_the_good_ones_and_fails(mixed_folder):
    releases = Release.objects.count()

    out, err, error = run(mixed_folder)

    assert error is not None
    assert error.returncode == 1
    assert "1 page(s) failed" in str(error)
    assert Release.objects.count() == releases + 2
    assert set(
        Release.objects.filter(imported_from__in=["a-minsk.txt", "b-other.txt"]).values_list(
            "title", flat=True
        )
    ) == {SEED_TITLE, "Second statement by the Co-Chairs"}
    assert "3 page(s): 2 created, 0 updated, 0 unchanged, 1 failed." in out
    assert "c-bad.txt" in err
    assert "Space exploration" in err
    assert "c-bad.txt" not in out
    assert "a-minsk.txt" in out
    assert "b-other.txt" in out


def test_a_bad_page_beside_good_ones_leaves_nothing_behind(mixed_folder):
    run(mixed_folder)
    assert not Release.objects.filter(title="A statement about space").exists()
    assert not Release.objects.filter(imported_from="c-bad.txt").exists()
    assert not Structure.objects.filter(name="Ministry of Silly Walks").exists()
    assert not Place.objects.filter(name__iexact="Atlantis").exists()
    # The good pages' new terms were kept, once each.
    assert Place.objects.filter(name="New York").count() == 1
    assert Structure.objects.filter(name="Minsk Group").count() == 1


def test_a_bad_page_before_the_good_ones_does_not_stop_them(tmp_path, seed_text, bad_text):
    (tmp_path / "a-bad.txt").write_text(bad_text, encoding="utf-8")
    (tmp_path / "b-good.txt").write_text(seed_text, encoding="utf-8")

    out, err, error = run(tmp_path)

    assert error is not None
    assert "a-bad.txt" in err
    assert Release.objects.get(imported_from="b-good.txt").title == SEED_TITLE
    assert "2 page(s): 1 created, 0 updated, 0 unchanged, 1 failed." in out


def test_a_folder_of_good_pages_succeeds(good_folder):
    releases = Release.objects.count()

    out, err, error = run(good_folder)

    assert error is None
    assert err == ""
    assert "2 page(s): 2 created, 0 updated, 0 unchanged, 0 failed." in out
    assert Release.objects.count() == releases + 2
    assert "created the place “New York”" in out
    assert "created the source “Minsk Group”" in out


def test_running_again_reports_the_pages_unchanged(good_folder):
    run(good_folder)
    before = counts()

    out, _, error = run(good_folder)

    assert error is None
    assert "2 page(s): 0 created, 0 updated, 2 unchanged, 0 failed." in out
    assert counts() == before


def test_running_again_after_an_edit_updates_the_page(good_folder):
    run(good_folder)
    page = good_folder / "a-minsk.txt"
    text = page.read_text(encoding="utf-8")
    page.write_text(text.replace("their mandate.", "their agreed mandate."), encoding="utf-8")
    before = counts()

    out, _, error = run(good_folder)

    assert error is None
    assert "2 page(s): 0 created, 1 updated, 1 unchanged, 0 failed." in out
    assert counts() == before
    assert "their agreed mandate." in Release.objects.get(title=SEED_TITLE).body


def test_a_single_file_can_be_named(seed_path):
    out, _, error = run(seed_path)
    assert error is None
    assert "1 page(s): 1 created, 0 updated, 0 unchanged, 0 failed." in out
    assert Release.objects.get(title=SEED_TITLE).imported_from == seed_path.name


def test_several_paths_can_be_named(tmp_path, seed_text):
    first, second = tmp_path / "one", tmp_path / "two.txt"
    first.mkdir()
    (first / "page.txt").write_text(seed_text, encoding="utf-8")
    second.write_text(retitled(seed_text, "Second statement by the Co-Chairs"), encoding="utf-8")

    out, _, error = run(first, second)

    assert error is None
    assert "2 page(s): 2 created, 0 updated, 0 unchanged, 0 failed." in out


def test_dry_run_writes_nothing(good_folder):
    before = counts()

    out, _, error = run(good_folder, "--dry-run")

    assert error is None
    assert "Dry run: nothing was written." in out
    assert "2 page(s): 2 created, 0 updated, 0 unchanged, 0 failed." in out
    assert counts() == before
    assert not Release.objects.filter(title=SEED_TITLE).exists()
    assert not Place.objects.filter(name="New York").exists()
    assert not Structure.objects.filter(name="Minsk Group").exists()


def test_dry_run_still_reports_bad_pages_and_fails(mixed_folder):
    before = counts()

    out, err, error = run(mixed_folder, "--dry-run")

    assert error is not None
    assert error.returncode == 1
    assert "c-bad.txt" in err
    assert "3 page(s): 2 created, 0 updated, 0 unchanged, 1 failed." in out
    assert counts() == before


def test_dry_run_then_a_real_run_imports(good_folder):
    run(good_folder, "--dry-run")
    out, _, error = run(good_folder)
    assert error is None
    assert "2 page(s): 2 created, 0 updated, 0 unchanged, 0 failed." in out


def test_folders_are_searched_recursively_for_txt_files_only(tmp_path, seed_text):
    nested = tmp_path / "2021" / "09"
    nested.mkdir(parents=True)
    (nested / "minsk.txt").write_text(seed_text, encoding="utf-8")
    # Files that are not .txt pages are left alone, however page-like their content.
    (tmp_path / "notes.md").write_text(retitled(seed_text, "From markdown"), encoding="utf-8")
    (tmp_path / "page.html").write_text(retitled(seed_text, "From html"), encoding="utf-8")
    (tmp_path / "page.txt.bak").write_text(retitled(seed_text, "From backup"), encoding="utf-8")
    (tmp_path / "image.png").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00")

    out, err, error = run(tmp_path)

    assert error is None
    assert err == ""
    assert "1 page(s): 1 created, 0 updated, 0 unchanged, 0 failed." in out
    assert Release.objects.get(title=SEED_TITLE).imported_from == "minsk.txt"
    assert not Release.objects.filter(title__startswith="From ").exists()


def test_an_empty_folder_is_an_error(tmp_path):
    before = counts()
    _, _, error = run(tmp_path)
    assert error is not None
    assert error.returncode == 1
    assert "No pages found" in str(error)
    assert counts() == before


def test_a_folder_without_txt_files_is_an_error(tmp_path, seed_text):
    (tmp_path / "page.md").write_text(seed_text, encoding="utf-8")
    _, _, error = run(tmp_path)
    assert error is not None
    assert "No pages found" in str(error)
    assert not Release.objects.filter(title=SEED_TITLE).exists()


def test_a_missing_path_is_reported_as_a_failed_page(tmp_path):
    missing = tmp_path / "missing.txt"
    before = counts()

    out, err, error = run(missing)

    assert error is not None
    assert error.returncode == 1
    assert str(missing) in err
    assert "No such file" in err
    assert "1 page(s): 0 created, 0 updated, 0 unchanged, 1 failed." in out
    assert counts() == before


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"Press release\x00\x00\x01binary\n", "binary"),
        ("Press release\nCafé – statement\n".encode("cp1252"), "not UTF-8"),
    ],
    ids=["binary", "not-utf8"],
)
def test_unreadable_files_are_reported_beside_good_pages(tmp_path, seed_text, content, reason):
    (tmp_path / "good.txt").write_text(seed_text, encoding="utf-8")
    (tmp_path / "unreadable.txt").write_bytes(content)

    out, err, error = run(tmp_path)

    assert error is not None
    assert error.returncode == 1
    assert "unreadable.txt" in err
    assert reason in err
    assert "2 page(s): 1 created, 0 updated, 0 unchanged, 1 failed." in out
    assert Release.objects.get(imported_from="good.txt").title == SEED_TITLE


def test_a_page_with_an_over_long_source_name_fails_alone(tmp_path, seed_text):
    """A name longer than a term's 200 characters is the page's fault, not a crash."""
    long_name = "Working group " * 20
    (tmp_path / "a-good.txt").write_text(seed_text, encoding="utf-8")
    (tmp_path / "b-long.txt").write_text(
        retitled(seed_text, "A long source").replace("- Minsk Group\n", f"- {long_name}\n"),
        encoding="utf-8",
    )

    out, err, error = run(tmp_path)

    assert error is not None
    assert "b-long.txt" in err
    assert "2 page(s): 1 created, 0 updated, 0 unchanged, 1 failed." in out
    assert not Release.objects.filter(title="A long source").exists()
    assert not Structure.objects.filter(name__startswith="Working group").exists()
