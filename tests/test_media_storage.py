"""Media go through Django's storage API: another backend (S3 in production) is a setting.

Attachments are uploaded through the admin with the default storage swapped for Django's
in-memory one, served from a media host: nothing reaches the local media folder, and the
release page links to the storage's URLs. The ``S3_BUCKET`` settings are checked as the
production settings build them.
"""

import json

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile

from press.models import Release
from tests.helpers.admin_forms import add_with_attachments, attachment_errors, form_errors
from tests.helpers.files import TINY_PDF, TINY_PNG
from tests.helpers.settings import PRODUCTION, manage

pytestmark = pytest.mark.django_db

MEDIA_HOST = "https://media.newsroom.example.org/"


@pytest.fixture
def elsewhere(settings, tmp_path):
    """The default storage in memory, its URLs on a media host; the local folder empty."""
    settings.MEDIA_ROOT = tmp_path / "local-media"
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.InMemoryStorage",
            "OPTIONS": {"base_url": MEDIA_HOST},
        },
    }
    return settings.MEDIA_ROOT


def test_attachments_are_stored_and_linked_through_the_storage_api(client, elsewhere, admin_client):
    response = add_with_attachments(
        admin_client,
        ("Map", SimpleUploadedFile("map.png", TINY_PNG, "image/png")),
        ("Report", SimpleUploadedFile("report.pdf", TINY_PDF, "application/pdf")),
    )
    assert response.status_code == 302, form_errors(response) or attachment_errors(response)

    release = Release.objects.get(slug="report-published")
    image, pdf = release.attachments.all()
    assert default_storage.open(image.file.name).read() == TINY_PNG
    assert default_storage.open(pdf.file.name).read() == TINY_PDF
    assert not elsewhere.exists()  # nothing written to the local media folder

    page = client.get(release.get_absolute_url()).content.decode()
    assert f'<img src="{MEDIA_HOST}{image.file.name}"' in page
    assert f'<a href="{MEDIA_HOST}{pdf.file.name}">Report</a>' in page


def storages_in_production(tmp_path, **env):
    code = "import json; from django.conf import settings; print(json.dumps(settings.STORAGES))"
    result = manage(
        "shell", "--no-imports", "-c", code, env={**PRODUCTION, **env}, tmp_path=tmp_path
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_local_files_by_default(tmp_path):
    storages = storages_in_production(tmp_path)
    assert storages["default"] == {"BACKEND": "django.core.files.storage.FileSystemStorage"}


def test_a_bucket_named_in_the_environment_is_the_media_store(tmp_path):
    storages = storages_in_production(
        tmp_path,
        S3_BUCKET="osce-media",
        S3_ENDPOINT_URL="https://s3.example.org",
        S3_CUSTOM_DOMAIN="media.newsroom.example.org",
    )
    assert storages["default"] == {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": "osce-media",
            "endpoint_url": "https://s3.example.org",
            "custom_domain": "media.newsroom.example.org",
            "file_overwrite": False,
            "querystring_auth": False,
        },
    }
    # Static files stay with the app (WhiteNoise), whatever holds the media.
    assert storages["staticfiles"]["BACKEND"].startswith("whitenoise.")
