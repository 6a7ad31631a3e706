"""What a reader's browser does with a lead image: takes the WebP of the width it needs
from the release page's picture, keeps the image's place before it arrives (the width and
height attributes), and leaves a card's image until it nears the screen."""

import pytest
from playwright.sync_api import expect

from tests.helpers.factories import make_release
from tests.helpers.images import add_lead_image, photo

pytestmark = pytest.mark.e2e

ALT = "Delegates at the table in the Hofburg"


@pytest.fixture
def pictured(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    release = make_release(title="Ministerial Council opens in Vienna")
    add_lead_image(release, photo(2000, 1333), alt=ALT, caption="The opening session")
    return release


def test_the_release_page_shows_the_webp_of_the_width_it_needs(page, pictured):
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(pictured.get_absolute_url())

    image = page.get_by_role("img", name=ALT)
    expect(image).to_be_visible()
    page.wait_for_function("document.querySelector('.release__image img').naturalWidth > 0")
    # 390 px wide at one device pixel a CSS pixel: the 480 px WebP, not the 1200 px one.
    assert image.evaluate("img => img.currentSrc").endswith("-480w.webp")
    box = image.bounding_box()
    assert abs(box["height"] - box["width"] * 1333 / 2000) < 2  # its shape, not stretched
    expect(page.locator(".release__image figcaption")).to_have_text("The opening session")


@pytest.mark.parametrize(
    ("url", "selector", "shape"),
    [
        ("/press-releases/", "article.card--with-image img", 320 / 480),
        ("release", ".release__image img", 800 / 1200),
    ],
)
def test_an_image_keeps_its_place_before_it_arrives(page, pictured, url, selector, shape):
    """With every image held back, the page already gives each its box: nothing moves
    when they arrive."""
    page.route("**/media/**", lambda route: route.abort())
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto(pictured.get_absolute_url() if url == "release" else url)

    image = page.locator(selector)
    assert image.evaluate("img => img.naturalWidth") == 0  # not arrived
    box = image.bounding_box()
    assert box["width"] > 50
    assert abs(box["height"] - box["width"] * shape) < 2
