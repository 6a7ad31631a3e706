"""Files in and out: no path leaves its folder, no upload is too large or of the wrong kind.

Out: requests for ``/media/`` and ``/static/`` with ``..`` in every spelling (plain,
percent-encoded, backslashes, overlong UTF-8) answer 404 or 400, never a file from
outside; a secret planted beside the media folder proves it. Uploads on local disk are
served by ``osce_site.media`` (Django's ``serve``, which refuses any way out; a bucket or a
proxy takes over in production), and WhiteNoise serves static files from its own list.

In: the site takes images and PDFs only, checked by name and content: what it publishes
is press material, and anything a browser could run from the site's own address (HTML,
SVG with script, programs) is refused, with a form error and nothing written. A file name
with a path in it is stored under MEDIA_ROOT with a cleaned name. Sizes: attachments stop
at 10 MB (tests/press/test_workflow_publishing.py covers the limit to the byte), a form's
fields at DATA_UPLOAD_MAX_MEMORY_SIZE (400, nothing written).
"""

import re

import pytest
from django.conf import settings as django_settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from press.models import ATTACHMENT_MAX_BYTES, Attachment, Release
from tests.helpers.admin_forms import add_with_attachments, attachment_errors, new_release_data
from tests.helpers.files import TINY_PDF, TINY_PNG

pytestmark = pytest.mark.django_db

SECRET = b"not-for-the-public-4f1c"


@pytest.fixture
def media_root(settings, tmp_path):
    """MEDIA_ROOT in a fresh folder, with a secret file beside it (outside)."""
    (tmp_path / "secret.txt").write_bytes(SECRET)
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.MEDIA_ROOT.mkdir()
    return settings.MEDIA_ROOT


def files_in(folder):
    return [path for path in folder.rglob("*") if path.is_file()]


TRAVERSALS = [
    "{root}../secret.txt",
    "{root}../../etc/passwd",
    "{root}%2e%2e/secret.txt",
    "{root}%2e%2e%2fsecret.txt",
    "{root}..%2fsecret.txt",
    "{root}..%5csecret.txt",
    "{root}..\\secret.txt",
    "{root}%2e%2e%5c%2e%2e%5cetc%5cpasswd",
    "{root}%252e%252e%252fsecret.txt",
    "{root}%c0%ae%c0%ae/secret.txt",
    "{root}....//....//etc/passwd",
    "{root}css/../../osce_site/settings.py",
    "{root}css/%2e%2e/%2e%2e/osce_site/settings.py",
    "{root}/etc/passwd",
    "{root}%2fetc%2fpasswd",
    "{root}css/site.css%00.txt",
]


@pytest.mark.parametrize("root", ["/media/", "/static/"])
@pytest.mark.parametrize("pattern", TRAVERSALS)
def test_a_path_out_of_media_or_static_is_not_served(client, media_root, root, pattern):
    response = client.get(pattern.format(root=root))

    assert response.status_code in (400, 404)
    body = b"".join(response.streaming_content) if response.streaming else response.content
    assert SECRET not in body
    assert b"root:" not in body
    assert b"SECRET_KEY" not in body


def test_the_static_files_are_served_so_the_refusals_above_mean_something(client):
    response = client.get("/static/css/site.css")

    assert response.status_code == 200
    assert b"".join(response.streaming_content)


# Names


@pytest.mark.parametrize(
    ("name", "stored_as"),
    [
        ("../../evil.png", "evil.png"),
        ("..\\..\\evil.png", "evil.png"),
        ("/etc/passwd.png", "passwd.png"),
        ("....//....//x.png", "x.png"),
        ("%2e%2e%2fx.png", "2e2e2fx.png"),
        ("C:\\Windows\\win.png", "win.png"),
        ("a/../../../b/<svg onload=alert(1)>.png", "svg-onloadalert1.png"),
        ("\u202egnp.exe.png", "gnpexe.png"),
        ("CON.png", "con.png"),
        (".png", None),  # a dot file: no type, refused
        ("ｘ．png", None),  # a full-width dot is no dot: no type, refused
    ],
)
def test_a_file_name_with_a_path_is_stored_inside_media_with_a_clean_name(
    admin_client, media_root, name, stored_as
):
    """Each name pinned to its outcome: a change in the cleaning shows here."""
    response = add_with_attachments(admin_client, ("Map", SimpleUploadedFile(name, TINY_PNG)))

    stored = Attachment.objects.first()
    if stored_as is None:  # refused, saying why: nothing kept
        assert response.status_code == 200
        assert attachment_errors(response)
        assert stored is None
        assert files_in(media_root.parent) == [media_root.parent / "secret.txt"]
        return
    assert response.status_code == 302
    assert re.fullmatch(rf"releases/\d{{4}}/\d{{2}}/{re.escape(stored_as)}", stored.file.name)
    path = (media_root / stored.file.name).resolve()
    assert path.is_relative_to(media_root.resolve())
    assert path.read_bytes() == TINY_PNG
    assert files_in(media_root) == [path]


# Kinds


REFUSED = {
    "a script": ("../../evil.py", b"import os\nos.system('id')\n"),
    "a path and no type": ("..\\..\\x", TINY_PDF),
    "HTML": ("page.html", b"<!doctype html><script>alert(1)</script>"),
    "HTML named .png.html": ("map.png.html", TINY_PNG + b"<script>alert(1)</script>"),
    "SVG with script": (
        "map.svg",
        b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><script>alert(2)</script>'
        b"</svg>",
    ),
    "SVG named .png": ("map.png", b'<svg xmlns="http://www.w3.org/2000/svg"></svg>'),
    "a program": ("setup.exe", b"MZ\x90\x00" + b"\x00" * 60),
    "a program named .pdf": ("setup.pdf", b"MZ\x90\x00" + b"\x00" * 60),
    "a WebP that is not one": ("x.webp", b"RIFF\x00\x00\x00\x00WAVEfmt "),
    "empty": ("empty.pdf", b""),
}


@pytest.mark.parametrize("upload", REFUSED.values(), ids=REFUSED.keys())
def test_a_file_that_is_not_an_image_or_pdf_is_refused_and_nothing_written(
    admin_client, media_root, upload
):
    name, content = upload

    response = add_with_attachments(admin_client, ("Annex", SimpleUploadedFile(name, content)))

    assert response.status_code == 200
    assert attachment_errors(response)
    assert not Release.objects.filter(slug="report-published").exists()
    assert not Attachment.objects.exists()
    assert files_in(media_root) == []


# Sizes


def test_the_upload_limits_are_set_and_below_the_attachment_limit():
    assert django_settings.DATA_UPLOAD_MAX_MEMORY_SIZE == 2.5 * 1024 * 1024
    assert django_settings.FILE_UPLOAD_MAX_MEMORY_SIZE <= ATTACHMENT_MAX_BYTES
    assert ATTACHMENT_MAX_BYTES == 10 * 1024 * 1024


def test_an_attachment_over_the_limit_goes_to_disk_then_is_refused(admin_client, media_root):
    """Above FILE_UPLOAD_MAX_MEMORY_SIZE the upload is streamed to a temporary file (not
    held in memory); the validator refuses it and nothing reaches MEDIA_ROOT."""
    content = b"%PDF-" + b"0" * (ATTACHMENT_MAX_BYTES + 1024)

    response = add_with_attachments(
        admin_client, ("Annex", SimpleUploadedFile("big.pdf", content, "application/pdf"))
    )

    assert response.status_code == 200
    assert "at most 10 MB" in attachment_errors(response)
    assert not Release.objects.filter(slug="report-published").exists()
    assert files_in(media_root) == []


def test_form_fields_over_the_limit_answer_400_and_write_nothing(admin_client, media_root):
    body = "<p>" + "word " * (django_settings.DATA_UPLOAD_MAX_MEMORY_SIZE // 5) + "</p>"
    before = Release.objects.count()

    response = admin_client.post(
        reverse("admin:press_release_add"),
        new_release_data(title="Too long", slug="too-long", body=body),
    )

    assert response.status_code == 400
    assert Release.objects.count() == before


def test_too_many_files_in_one_request_answer_400(admin_client, media_root):
    uploads = [(f"Map {n}", SimpleUploadedFile(f"map-{n}.png", TINY_PNG)) for n in range(21)]

    response = add_with_attachments(admin_client, *uploads)

    assert response.status_code == 400
    assert not Attachment.objects.exists()
    assert files_in(media_root) == []
