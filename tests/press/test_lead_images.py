"""A release's lead image: uploaded in the release's form with its alt text, caption and
credit; turned upright, stripped of everything but its pixels, and made once into
renditions of several widths in WebP and JPEG, stored through the storage API; shown on
the release's page (``<picture>`` with ``srcset``), on the cards, in link previews, in the
JSON-LD and in the feed. A file that is no image, is damaged or is too large in pixels is
refused with the reason and leaves nothing behind; a replaced or removed image takes its
files with it. Lists cost no query more for their images.
"""

import re
import xml.etree.ElementTree as ET

import pytest
import reversion
from django.core.files.storage import InMemoryStorage, default_storage
from django.urls import reverse
from reversion.models import Version

from osce_site.backup import media_names
from press import images
from press.models import LeadImage, Release
from tests.helpers import images as pictures
from tests.helpers.admin_forms import change_url, form_data, form_errors, new_release_data
from tests.helpers.pages import page
from tests.helpers.queries import CACHED_PAGE_QUERIES, assert_no_query_per_release, cold_visit
from tests.helpers.users import PUBLISHERS, WRITERS, client_for, make_user

pytestmark = pytest.mark.django_db

ALT = "The Secretary General greets delegates at the Hofburg"
CAPTION = "Opening of the Ministerial Council, Vienna"
CREDIT = "OSCE/Micky Kroell"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    """The media storage in a folder of the test's own."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def files_in(folder):
    return sorted(str(path.relative_to(folder)) for path in folder.rglob("*") if path.is_file())


@pytest.fixture
def writer():
    return client_for(make_user("writer", WRITERS))


@pytest.fixture
def publisher():
    return client_for(make_user("publisher", PUBLISHERS))


def with_lead_image(data, alt=ALT, caption=CAPTION, credit=CREDIT, name="photo.jpg"):
    return {
        "lead_image-TOTAL_FORMS": "1",
        "lead_image-INITIAL_FORMS": "0",
        "lead_image-0-file": pictures.upload(data, name),
        "lead_image-0-alt": alt,
        "lead_image-0-caption": caption,
        "lead_image-0-credit": credit,
    }


def add_release(client, data=None, **image):
    """Post a new release with a lead image from ``data`` (a camera's photo by default)."""
    values = new_release_data(**with_lead_image(data or pictures.photo(), **image))
    return client.post(reverse("admin:press_release_add"), values)


def lead_image_errors(response):
    """The lead image form's errors on a page sent back, as text."""
    for inline in response.context["inline_admin_formsets"]:
        if inline.formset.prefix == "lead_image":
            return " ".join(str(e) for errors in inline.formset.errors for e in errors.values())
    raise AssertionError("no lead image form on the page")


def edit(client, release, **changes):
    data = form_data(client.get(change_url(release)))
    data.update(changes)
    return client.post(change_url(release), data)


# ---------------------------------------------------------------------------------------
# Upload and renditions


UPLOADS = {
    "jpeg": ("photo.jpg", {}),
    "jpeg without a colour profile": ("photo.jpg", {"profile": False}),
    "png": ("photo.png", {"kind": "PNG"}),
    "webp": ("photo.webp", {"kind": "WEBP", "profile": False}),
}


@pytest.mark.parametrize("upload", list(UPLOADS))
def test_a_writer_uploads_a_lead_image_and_gets_renditions_without_metadata(writer, media, upload):
    name, kind = UPLOADS[upload]
    response = add_release(writer, pictures.photo(**kind), name=name)

    assert response.status_code == 302, form_errors(response)
    image = Release.objects.get(slug="talks-on-the-dniester-bridge").lead_image
    assert (image.alt, image.caption, image.credit) == (ALT, CAPTION, CREDIT)
    assert (image.width, image.height) == (2000, 1333)
    sizes = [(size.width, size.height) for size in image.sizes]
    assert sizes == [(480, 320), (800, 533), (1200, 800)]
    for size in image.sizes:
        assert pictures.opened(size.jpeg).format == "JPEG"
        assert pictures.opened(size.webp).format == "WEBP"
        assert pictures.opened(size.jpeg).size == pictures.opened(size.webp).size
        assert (size.width, size.height) == pictures.opened(size.jpeg).size
        assert size.jpeg_bytes == default_storage.size(size.jpeg)
        assert size.webp_bytes == default_storage.size(size.webp)
    stored = pictures.stored_names(image)
    assert len(stored) == 1 + 3 * 2
    for name in stored:
        assert pictures.metadata_left(name) == set(), name
    # Only these went to the storage: the upload itself, with its GPS, never did.
    assert files_in(media) == sorted(stored)


@pytest.mark.parametrize("upload", list(UPLOADS))
def test_the_upload_before_stripping_does_carry_the_metadata(media, upload):
    """What the test above finds gone was there: the same check finds it in the upload."""
    name, kind = UPLOADS[upload]
    default_storage.save(name, pictures.upload(pictures.photo(**kind)))

    left = pictures.metadata_left(name)

    assert {"exif", pictures.XMP, pictures.CAMERA.encode()} <= left
    assert ("icc_profile" in left) == kind.get("profile", True)
    assert {"gps 1", "gps 2", "gps 3", "gps 4"} <= left  # latitude and longitude


def test_the_exif_orientation_is_applied_before_it_is_stripped(make_release):
    """A portrait the camera stored on its side (orientation 6): upright in every file."""
    sideways = pictures.photo(1500, 1000, orientation=pictures.ROTATE_CLOCKWISE)

    image = pictures.add_lead_image(make_release(), sideways)

    assert (image.width, image.height) == (1000, 1500)
    for name in pictures.stored_names(image):
        stored = pictures.opened(name).convert("RGB")
        width, height = stored.size
        assert height > width, name
        # The left half (red) turned clockwise is the top half.
        top, bottom = (
            stored.getpixel((width // 2, height // 4)),
            stored.getpixel((width // 2, 3 * height // 4)),
        )
        assert top[0] > 150 > top[2], (name, top)
        assert bottom[2] > 150 > bottom[0], (name, bottom)


def test_a_small_image_is_never_upscaled(make_release):
    image = pictures.add_lead_image(make_release(), pictures.photo(640, 480))

    assert [(size.width, size.height) for size in image.sizes] == [(480, 360), (640, 480)]
    assert pictures.opened(image.largest.jpeg).size == (640, 480)


def test_a_transparent_png_is_laid_on_white_in_jpeg_and_stays_transparent_in_webp(
    make_release,
):
    image = pictures.add_lead_image(make_release(), pictures.transparent_png(), "map.png")

    assert image.file.name.endswith(".png")
    jpeg, webp = pictures.opened(image.largest.jpeg), pictures.opened(image.largest.webp)
    assert jpeg.convert("RGB").getpixel((image.largest.width - 5, 5))[:3] >= (250, 250, 250)
    assert webp.mode == "RGBA"
    assert webp.getpixel((image.largest.width - 5, 5))[3] == 0


def test_renditions_are_made_once_not_when_pages_are_shown_or_the_text_changes(
    client, publisher, media, make_release
):
    release = make_release()
    image = pictures.add_lead_image(release)
    written = {path: path.stat().st_mtime_ns for path in media.rglob("*") if path.is_file()}

    for url in (release.get_absolute_url(), "/", "/press-releases/", "/press-releases/feed/"):
        assert client.get(url).status_code == 200
    response = edit(publisher, release, **{"lead_image-0-alt": "Delegates at the table"})
    assert response.status_code == 302, form_errors(response)

    image.refresh_from_db()
    assert image.alt == "Delegates at the table"
    assert {path: path.stat().st_mtime_ns for path in media.rglob("*") if path.is_file()} == (
        written
    )


def test_the_renditions_names_come_from_the_release_and_the_image(make_release):
    release = make_release()

    image = pictures.add_lead_image(release)

    stem = image.file.name.rsplit(".", 1)[0]
    assert re.fullmatch(rf"lead-images/{release.pk}/[0-9a-f]{{20}}", stem)
    assert [size.jpeg for size in image.sizes] == [f"{stem}-{w}w.jpg" for w in (480, 800, 1200)]
    assert [size.webp for size in image.sizes] == [f"{stem}-{w}w.webp" for w in (480, 800, 1200)]


def test_renditions_are_in_the_backup_with_the_other_media(make_release):
    """They are derived, but stored like any upload: a restore needs no rebuilding."""
    image = pictures.add_lead_image(make_release())

    assert pictures.stored_names(image) <= set(media_names())


# ---------------------------------------------------------------------------------------
# Refusals


def test_the_form_offers_only_the_accepted_types(writer):
    form = page(writer.get(reverse("admin:press_release_add")))

    field = form.find("input", type="file", name="lead_image-0-file")
    assert field.attrs["accept"] == ".jpg,.jpeg,.png,.webp"


def test_alt_text_is_required(writer, media):
    response = add_release(writer, alt="")

    assert response.status_code == 200
    assert "This field is required." in lead_image_errors(response)
    assert not Release.objects.exists()
    assert files_in(media) == []


def test_a_file_name_is_no_alt_text(writer, media):
    response = add_release(writer, alt="IMG_2041.JPG")

    assert response.status_code == 200
    assert "describe what the image shows" in lead_image_errors(response)
    assert files_in(media) == []


BAD_FILES = [
    ("notes.jpg", b"Minutes of the meeting, not a picture.", "not a JPG file"),
    ("report.pdf", b"%PDF-1.4\n%%EOF\n", "Files of type “.pdf” are refused"),
    ("icon.gif", b"GIF89a" + b"\x00" * 40, "Files of type “.gif” are refused"),
    ("drawing.png", b'<svg xmlns="http://www.w3.org/2000/svg"/>', "not a PNG file"),
    ("photo.png", pictures.photo(200, 100), "not a PNG file"),  # a JPEG named .png
    ("cut.jpg", pictures.photo(800, 600)[:2000], "damaged or incomplete"),
    ("bomb.png", pictures.png_header_only(100_000, 100_000), "too many pixels"),
    ("huge.png", pictures.png_header_only(10_000, 6_000), "10000 × 6000 pixels (60 megapixels)"),
    ("moving.webp", pictures.animated("WEBP"), "animated"),
    ("moving.png", pictures.animated("PNG"), "animated"),
    ("broken.webp", b"RIFF\x10\x00\x00\x00WEBPVP8 " + b"\x00" * 20, "not a WebP image"),
]


@pytest.mark.parametrize(
    ("name", "content", "reason"), BAD_FILES, ids=[name for name, _, _ in BAD_FILES]
)
def test_a_bad_file_is_refused_with_its_reason_and_leaves_nothing(
    writer, media, name, content, reason
):
    response = add_release(writer, content, name=name)

    assert response.status_code == 200
    assert reason in lead_image_errors(response)
    assert not Release.objects.exists()
    assert not LeadImage.objects.exists()
    assert files_in(media) == []


def test_a_storage_that_fails_midway_keeps_none_of_the_files():
    """Written all or none: what was written before the failure is removed again."""

    class FullAfterThree(InMemoryStorage):
        saves = 0

        def _save(self, name, content):
            self.saves += 1
            if self.saves > 3:
                raise OSError("No space left on device")
            return super()._save(name, content)

    storage = FullAfterThree()
    made = images.make(pictures.photo(1000, 700), ".jpg", "lead-images/1")

    with pytest.raises(OSError, match="No space left"):
        images.write(made.files, storage)

    assert storage.listdir("lead-images/1") == ([], [])


# ---------------------------------------------------------------------------------------
# Replacing and removing


def test_replacing_the_image_removes_the_old_files(
    publisher, media, make_release, django_capture_on_commit_callbacks
):
    release = make_release()
    old = pictures.stored_names(pictures.add_lead_image(release))

    with django_capture_on_commit_callbacks(execute=True):
        response = edit(
            publisher,
            release,
            **{"lead_image-0-file": pictures.upload(pictures.photo(1600, 900), "new.jpg")},
        )

    assert response.status_code == 302, form_errors(response)
    image = LeadImage.objects.get(release=release)
    assert image.alt == "Delegates at the table in the Hofburg"  # the text stays
    assert [size.width for size in image.sizes] == [480, 800, 1200]
    assert image.largest.height == 675
    assert files_in(media) == sorted(pictures.stored_names(image))
    assert not old & pictures.stored_names(image)


def test_removing_the_image_removes_its_files_and_its_figure(
    client, publisher, media, make_release, django_capture_on_commit_callbacks
):
    release = make_release()
    pictures.add_lead_image(release)

    with django_capture_on_commit_callbacks(execute=True):
        response = edit(publisher, release, **{"lead_image-0-DELETE": "on"})

    assert response.status_code == 302, form_errors(response)
    assert not LeadImage.objects.exists()
    assert files_in(media) == []
    assert not page(client.get(release.get_absolute_url())).find_all("figure")


def test_deleting_the_release_removes_its_image_files(
    media, make_release, django_capture_on_commit_callbacks
):
    release = make_release()
    pictures.add_lead_image(release)
    other = pictures.add_lead_image(make_release())

    with django_capture_on_commit_callbacks(execute=True):
        release.delete()

    assert files_in(media) == sorted(pictures.stored_names(other))


def test_files_of_a_rolled_back_removal_are_kept(media, make_release):
    """The files go once the removal is committed: not before, and not if it is undone."""
    release = make_release()
    image = pictures.add_lead_image(release)

    image.delete()  # inside the test's transaction, never committed

    assert files_in(media) == sorted(pictures.stored_names(image))


def test_reverting_a_release_keeps_its_current_image(publisher, make_release):
    """The lead image is not versioned: restoring a version of the text cannot bring back
    an image whose files are gone."""
    release = make_release()
    assert edit(publisher, release, title="First title").status_code == 302
    assert edit(publisher, release, title="Second title").status_code == 302
    first = Version.objects.get_for_object(release).last()
    image = pictures.add_lead_image(release)
    url = reverse("admin:press_release_revision", args=[release.pk, first.pk])

    response = publisher.post(url, form_data(publisher.get(url)))

    assert response.status_code == 302, form_errors(response)
    release.refresh_from_db()
    assert release.title == "First title"
    assert LeadImage.objects.get(release=release).file.name == image.file.name
    assert not reversion.is_registered(LeadImage)


# ---------------------------------------------------------------------------------------
# Where it shows


@pytest.fixture
def pictured(make_release):
    release = make_release(title="Ministerial Council opens", fields=("human-rights",))
    pictures.add_lead_image(release, alt=ALT, caption=CAPTION, credit=CREDIT)
    return release


def test_a_cached_page_shows_a_new_or_changed_image_on_the_next_visit(
    client, make_release, django_assert_max_num_queries
):
    """Lead images move the content version like releases do (any write, even raw SQL)."""
    release = make_release()
    url = release.get_absolute_url()
    client.get(url)
    with django_assert_max_num_queries(CACHED_PAGE_QUERIES):
        assert not page(client.get(url)).find_all("figure")  # from the cache

    image = pictures.add_lead_image(release)
    assert page(client.get(url)).find("figure").find("img").attrs["alt"] == image.alt

    LeadImage.objects.filter(pk=image.pk).update(alt="The hall before the session")
    assert page(client.get(url)).find("figure").find("img").attrs["alt"] == (
        "The hall before the session"
    )


def srcset(value):
    """A srcset as [(url, width)]."""
    pairs = [item.strip().rsplit(" ", 1) for item in value.split(",")]
    return [(url, int(width.rstrip("w"))) for url, width in pairs]


def test_the_release_page_shows_a_picture_with_srcset_sizes_and_its_caption(client, pictured):
    image = pictured.lead_image

    figure = page(client.get(pictured.get_absolute_url())).find("figure", cls="release__image")

    source = figure.find("picture").find("source")
    assert source.attrs["type"] == "image/webp"
    assert srcset(source.attrs["srcset"]) == [(f"/media/{s.webp}", s.width) for s in image.sizes]
    assert source.attrs["sizes"]
    img = figure.find("img")
    assert srcset(img.attrs["srcset"]) == [(f"/media/{s.jpeg}", s.width) for s in image.sizes]
    assert img.attrs["sizes"] == source.attrs["sizes"]
    assert img.attrs["src"] == f"/media/{image.largest.jpeg}"
    assert (img.attrs["width"], img.attrs["height"]) == ("1200", "800")
    assert img.attrs["alt"] == ALT
    assert figure.find("figcaption").text == f"{CAPTION} ({CREDIT})"


def test_every_address_on_the_page_serves_its_file(client, pictured, media):
    """The srcsets lead to the stored files (served under /media/ by the site)."""
    figure = page(client.get(pictured.get_absolute_url())).find("figure")
    urls = [url for tag in ("source", "img") for url, _ in srcset(figure.find(tag).attrs["srcset"])]

    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        expected = b"\xff\xd8\xff" if url.endswith(".jpg") else b"RIFF"
        assert b"".join(response.streaming_content).startswith(expected), url


def test_alt_text_caption_and_credit_are_text_not_markup(client, make_release):
    release = make_release()
    hostile = '"><script>alert(1)</script>'
    pictures.add_lead_image(release, alt=f"Delegates {hostile}", credit=hostile)

    response = client.get(release.get_absolute_url())

    assert "<script>alert(1)" not in response.content.decode()
    figure = page(response).find("figure")
    assert figure.find("img").attrs["alt"] == f"Delegates {hostile}"
    assert figure.find("span", cls="release__credit").text == f"({hostile})"


@pytest.mark.parametrize("url", ["/", "/press-releases/", "/fields-of-work/human-rights/"])
def test_cards_show_the_small_rendition_lazily(client, pictured, url):
    small = pictured.lead_image.smallest

    card = page(client.get(url)).find("article", cls="card--with-image")

    assert card.find("source").attrs == {"srcset": f"/media/{small.webp}", "type": "image/webp"}
    img = card.find("img")
    assert img.attrs["src"] == f"/media/{small.jpeg}"
    assert img.attrs["loading"] == "lazy"
    assert (img.attrs["width"], img.attrs["height"]) == ("480", "320")
    assert img.attrs["alt"] == ALT


def test_a_card_without_an_image_has_no_picture(client, make_release):
    make_release(title="Plain release")

    card = page(client.get("/press-releases/")).find("article", cls="card")

    assert "card--with-image" not in card.attrs["class"]
    assert not card.find_all("picture")


def test_the_feed_item_encloses_the_largest_jpeg(client, pictured, make_release):
    make_release(title="Release without an image")
    largest = pictured.lead_image.largest

    root = ET.fromstring(client.get("/press-releases/feed/").content)

    items = {item.findtext("title"): item for item in root.iter("item")}
    enclosure = items["Ministerial Council opens"].find("enclosure")
    assert enclosure.attrib == {
        "url": f"http://testserver/media/{largest.jpeg}",
        "length": str(default_storage.size(largest.jpeg)),
        "type": "image/jpeg",
    }
    assert items["Release without an image"].find("enclosure") is None


def test_a_storage_elsewhere_gives_its_own_absolute_addresses(client, settings, make_release):
    """With a bucket the pages and the feed link the bucket's URLs, unchanged."""
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.InMemoryStorage",
            "OPTIONS": {"base_url": "https://media.newsroom.example.org/"},
        },
    }
    release = make_release(title="Stored in a bucket")
    largest = pictures.add_lead_image(release).largest
    expected = f"https://media.newsroom.example.org/{largest.jpeg}"

    root = ET.fromstring(client.get("/press-releases/feed/").content)
    detail = page(client.get(release.get_absolute_url()))

    assert next(root.iter("enclosure")).attrib["url"] == expected
    assert detail.find("meta", property="og:image").attrs["content"] == expected
    assert detail.find("figure").find("img").attrs["src"] == expected


# ---------------------------------------------------------------------------------------
# Queries: the images come with the releases


SOURCES = ("conflict-prevention-centre",)
LIST_PAGES = [
    "/",
    "/press-releases/",
    "/structures/secretariat/",
    "/fields-of-work/human-rights/",
    "/countries/moldova/",
]


def add_releases(make_release, count, start=0):
    return [
        make_release(
            title=f"Pictured release {n:02d}",
            sources=SOURCES,
            fields=("human-rights",),
            countries=("moldova",),
            place_slug="chisinau",
            days_ago=n + 1,
        )
        for n in range(start, start + count)
    ]


def copy_image(image, releases):
    """``image`` on each of ``releases`` too (its rows alone: what a list reads)."""
    fields = ["file", "alt", "width", "height", "renditions"]
    LeadImage.objects.bulk_create(
        LeadImage(release=release, **{name: getattr(image, name) for name in fields})
        for release in releases
    )


def test_lists_read_every_lead_image_with_their_releases(
    client, make_release, django_assert_max_num_queries
):
    """The same queries with 3 releases pictured and with 25 (a full page): none per image,
    whatever the page size. A finder page whose releases have pictures reads them in one
    query more than a page with none (the index knows which have one: none, no query)."""
    first, *others = add_releases(make_release, 3)
    plain = {url: cold_visit(client, url)[1] for url in LIST_PAGES}
    image = pictures.add_lead_image(first, pictures.photo(960, 640))
    copy_image(image, others)
    three = {url: cold_visit(client, url)[1] for url in LIST_PAGES}
    copy_image(image, add_releases(make_release, 22, start=3))

    for url in LIST_PAGES:
        extra = 0 if url == "/" else 1  # the home page's latest are read with their images
        with django_assert_max_num_queries(len(plain[url]) + extra):
            response, many = cold_visit(client, url)
        assert len(page(response).find_all("article", cls="card--with-image")) == (
            10 if url == "/" else 20
        )
        assert_no_query_per_release(three[url], many, url)
        assert len(many) == len(plain[url]) + extra, url


def test_the_release_page_reads_its_image_with_the_release(client, make_release):
    release = make_release()
    _, plain = cold_visit(client, release.get_absolute_url())
    pictures.add_lead_image(release)

    response, pictured = cold_visit(client, release.get_absolute_url())

    assert page(response).find("figure", cls="release__image")
    assert len(pictured) == len(plain)
