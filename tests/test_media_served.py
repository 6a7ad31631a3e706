"""Uploads answer at their address when they live on this machine's disk (``make run``,
``make serve`` without a bucket): as what they are, sandboxed, cacheable, never listed."""

import pytest
from django.core.files.base import ContentFile

from press.models import Attachment

pytestmark = pytest.mark.django_db

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


@pytest.fixture
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.MEDIA_ROOT.mkdir()
    (tmp_path / "secret.txt").write_bytes(b"outside")
    return settings.MEDIA_ROOT


@pytest.fixture
def attachment(make_release, media_root):
    release = make_release(title="With a picture")
    return Attachment.objects.create(
        release=release, title="A picture", file=ContentFile(PNG, name="picture.png")
    )


def body(response):
    return b"".join(response.streaming_content) if response.streaming else response.content


def test_an_uploaded_attachment_is_served_with_safe_headers(client, attachment):
    response = client.get(attachment.file.url)

    assert attachment.file.url.startswith("/media/")
    assert response.status_code == 200
    assert body(response) == PNG
    assert response["Content-Type"] == "image/png"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"].startswith("sandbox;")
    assert "script-src" not in response["Content-Security-Policy"]
    assert response["Cache-Control"] == "public, max-age=86400"


def test_the_release_page_links_to_a_file_that_answers(client, attachment):
    page = client.get(attachment.release.get_absolute_url()).content.decode()
    assert attachment.file.url in page
    assert client.get(attachment.file.url).status_code == 200


@pytest.mark.parametrize("path", ["/media/", "/media/attachments/", "/media/missing.png"])
def test_no_folder_is_listed_and_a_missing_file_is_a_404(client, attachment, path):
    assert client.get(path).status_code == 404


def test_a_conditional_request_for_an_unchanged_file_is_a_304(client, attachment):
    first = client.get(attachment.file.url)
    again = client.get(attachment.file.url, HTTP_IF_MODIFIED_SINCE=first["Last-Modified"])
    assert again.status_code == 304


def test_only_reads_are_answered(client, attachment):
    assert client.post(attachment.file.url).status_code == 405
    assert client.head(attachment.file.url).status_code == 200


def test_production_settings_serve_uploads_too(client, attachment, settings):
    settings.DEBUG = False
    assert client.get(attachment.file.url).status_code == 200
