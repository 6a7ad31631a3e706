"""Lead images: what an upload must be, and the files made from it once, when it is saved.

An upload is decoded whole with Pillow before it is accepted, so that a file that is not
an image, is damaged, or would decode to more pixels than the server should hold
(a decompression bomb: a few kilobytes that claim gigapixels) is refused with its reason.

From an accepted image come a master and its renditions: the upload turned upright (its
EXIF orientation applied), its colours converted to sRGB, and every metadata block left
out (EXIF with any GPS position, XMP, IPTC, comments, the colour profile), so nothing
stored under ``/media/`` tells where or with what a photo was taken. The renditions are
:data:`RENDITION_WIDTHS` wide, never wider than the master, each as WebP and as JPEG.

Their names come from the release and the upload's content: the same upload gives the
same names, another upload other names, so a browser or a CDN may keep a file for ever.
Everything is written through the storage API (a local folder or a bucket, the same code).
"""

import hashlib
import io
import warnings
from dataclasses import dataclass

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from PIL import Image, ImageCms, ImageOps, UnidentifiedImageError

RENDITION_WIDTHS = (480, 800, 1200)
# 50 megapixels: any camera a press office uses, and about 200 MB to decode at most.
# Pillow's own limit (Image.MAX_IMAGE_PIXELS, about 89 megapixels) is above it.
MAX_PIXELS = 50_000_000
# What Pillow must find in a file of each accepted name.
FORMATS = {".jpg": "JPEG", ".jpeg": "JPEG", ".png": "PNG", ".webp": "WEBP"}
JPEG = {"quality": 82, "optimize": True, "progressive": True}
WEBP = {"quality": 80, "method": 4}
MASTER = {"JPEG": {"quality": 90}, "PNG": {"optimize": False}, "WEBP": {"quality": 90}}
SRGB = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB"))


class Refused(ValueError):
    """An upload that is no image we can publish; its message tells the editor why."""


@dataclass(frozen=True)
class Made:
    """What one accepted upload gives: files by storage name, and what a page says of them."""

    files: dict  # storage name: content (bytes)
    master: str  # the master's name
    width: int
    height: int
    renditions: list  # one dict per width, smallest first: what LeadImage.renditions keeps


@dataclass(frozen=True)
class Rendition:
    """One width of a lead image, as ``LeadImage.renditions`` keeps it: its two files."""

    width: int
    height: int
    jpeg: str
    jpeg_bytes: int
    webp: str
    webp_bytes: int

    @property
    def jpeg_url(self):
        return default_storage.url(self.jpeg)

    @property
    def webp_url(self):
        return default_storage.url(self.webp)


def decoded(data, extension):
    """The image in ``data`` (bytes of a file named ``*extension``), decoded to its last
    pixel; :class:`Refused` saying why when it cannot be one of ours."""
    expected = FORMATS.get(extension)
    if expected is None:
        allowed = ", ".join(sorted(FORMATS))
        raise Refused(f"Files of type “{extension or 'none'}” are refused; use {allowed}.")
    kind = "WebP" if expected == "WEBP" else expected
    with warnings.catch_warnings():
        # Pillow only warns between its limit and twice it: a refusal here as well.
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            image = Image.open(io.BytesIO(data), formats=[expected])
        except (Image.DecompressionBombError, Image.DecompressionBombWarning) as bomb:
            raise Refused(_too_large(bomb)) from bomb
        except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as error:
            raise Refused(f"The file's content is not a {kind} image.") from error
        pixels = image.width * image.height
        if pixels > MAX_PIXELS:
            raise Refused(_too_large(None, image.size))
        # A camera's MPO (a JPEG with a second, smaller frame) is read as its first.
        if getattr(image, "n_frames", 1) > 1 and image.format != "MPO":
            raise Refused("The image is animated; a lead image is a still picture.")
        try:
            image.load()
        # Pillow raises many kinds on a damaged file (OSError for a cut one, struct and
        # index errors deeper in a decoder): any of them means the same to the editor.
        except Exception as error:
            raise Refused(
                "The image is damaged or incomplete: it could not be read to its end."
            ) from error
    return image


def _too_large(bomb, size=None):
    limit = f"at most {MAX_PIXELS // 1_000_000} megapixels are accepted"
    if size is None:
        return f"The image has too many pixels to be opened safely; {limit}."
    width, height = size
    megapixels = width * height / 1_000_000
    return f"The image is {width} × {height} pixels ({megapixels:.0f} megapixels); {limit}."


def prepared(data, extension):
    """The upload ``data`` decoded and made :func:`upright`; :class:`Refused` if it cannot be."""
    image = decoded(data, extension)
    try:
        return upright(image)
    except Exception as error:  # an EXIF block Pillow cannot apply, say
        raise Refused("The image's orientation or colour data could not be read.") from error


def upright(image):
    """``image`` turned as its EXIF says, in sRGB, RGB (RGBA if it has transparency), and
    with no metadata at all: a new image made of the pixels alone."""
    image = ImageOps.exif_transpose(image)
    alpha = image.mode in ("RGBA", "LA", "PA", "La", "RGBa") or (
        image.mode == "P" and "transparency" in image.info
    )
    mode = "RGBA" if alpha else "RGB"
    profile = image.info.get("icc_profile")
    converted = None
    if profile and image.mode in ("RGB", "RGBA", "CMYK", "L"):
        try:
            source = ImageCms.ImageCmsProfile(io.BytesIO(profile))
            converted = ImageCms.profileToProfile(image, source, SRGB, outputMode=mode)
        except (ImageCms.PyCMSError, OSError, ValueError):
            converted = None  # a broken profile: the pixels as they are
    if converted is None:
        converted = image.convert(mode)
    clean = Image.new(mode, converted.size)
    clean.paste(converted)
    return clean


def widths_for(width):
    """The renditions' widths for a master ``width`` px wide: never wider than it, and the
    largest as close to the largest wanted as the master allows."""
    largest = min(width, RENDITION_WIDTHS[-1])
    return [*(wanted for wanted in RENDITION_WIDTHS if wanted < largest), largest]


def make(data, extension, folder):
    """The master and renditions of the upload ``data`` (named ``*extension``), to be
    stored under ``folder``: nothing written yet. :class:`Refused` if it is no image."""
    image = prepared(data, extension)
    width, height = image.size
    stem = f"{folder}/{hashlib.sha256(data).hexdigest()[:20]}"
    kind = FORMATS[extension]
    master = f"{stem}{'.jpg' if kind == 'JPEG' else extension}"
    files = {master: _encode(image, kind, MASTER[kind])}
    renditions = []
    for size in widths_for(width):
        scaled = image
        if size != width:
            shape = (size, max(1, round(height * size / width)))
            scaled = image.resize(shape, Image.Resampling.LANCZOS, reducing_gap=3.0)
        jpeg, webp = f"{stem}-{size}w.jpg", f"{stem}-{size}w.webp"
        files[jpeg] = _encode(scaled, "JPEG", JPEG)
        files[webp] = _encode(scaled, "WEBP", WEBP)
        renditions.append(
            {
                "width": scaled.width,
                "height": scaled.height,
                "jpeg": jpeg,
                "jpeg_bytes": len(files[jpeg]),
                "webp": webp,
                "webp_bytes": len(files[webp]),
            }
        )
    return Made(files, master, width, height, renditions)


def _encode(image, kind, options):
    """``image`` as a file of ``kind``: no metadata is passed, so none is written. A JPEG
    has no transparency: a transparent image is laid on white."""
    if kind == "JPEG" and image.mode == "RGBA":
        flat = Image.new("RGB", image.size, "white")
        flat.paste(image, mask=image.getchannel("A"))
        image = flat
    out = io.BytesIO()
    image.save(out, kind, **options)
    return out.getvalue()


def write(files, storage):
    """Write ``files`` ({name: bytes}) through ``storage``, all or none: if one fails,
    those written are removed and the error goes on. A name already there holds the same
    content (names come from it) and is left as it is."""
    written = []
    try:
        for name, content in files.items():
            if storage.exists(name):
                continue
            stored = storage.save(name, ContentFile(content))
            written.append(stored)
            if stored != name:  # a storage that renames: its name would not be ours
                raise OSError(f"The storage kept {name} as {stored}.")
    except Exception:
        remove(written, storage)
        raise


def remove(names, storage):
    """Delete ``names`` from ``storage``; one already gone is no error."""
    for name in names:
        if name:
            storage.delete(name)
