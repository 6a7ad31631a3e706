"""Images made for the tests with Pillow: photos carrying what a camera writes (EXIF with
a GPS position, an orientation, a comment, XMP, a colour profile), files that only look
like images, and the lead image of a release made the way the admin makes it."""

import io
import struct
import zlib

from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import ExifTags, Image, ImageCms, PngImagePlugin

from press.models import LeadImage

CAMERA = "SecretCam X100"
COMMENT = b"taken at the safe house"
XMP = b'<x:xmpmeta xmlns:x="adobe:ns:meta/">where it was taken</x:xmpmeta>'
# Vienna, to the second: what a stripped file must not give away.
GPS = {
    ExifTags.GPS.GPSLatitudeRef: "N",
    ExifTags.GPS.GPSLatitude: (48.0, 12.0, 30.0),
    ExifTags.GPS.GPSLongitudeRef: "E",
    ExifTags.GPS.GPSLongitude: (16.0, 22.0, 0.0),
}
ROTATE_CLOCKWISE = 6  # EXIF orientation: turn 90° clockwise to show it upright
RED, BLUE = (220, 0, 0), (0, 0, 220)
# What Pillow reads from a file that is not about the picture's origin: the JPEG's JFIF
# header (pixel density), its progressive scan, a WebP's frame timing and background.
HARMLESS_INFO = {"jfif", "jfif_version", "jfif_unit", "jfif_density", "dpi", "progressive",
                 "progression", "loop", "background", "duration", "timestamp"}  # fmt: skip


def two_halves(width, height, mode="RGB"):
    """Red on the left half, blue on the right: which way up it is shows in the pixels."""
    image = Image.new(mode, (width, height), RED)
    image.paste(BLUE, (width // 2, 0, width, height))
    return image


def camera_exif(orientation=1):
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = CAMERA
    exif[ExifTags.Base.Orientation] = orientation
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    gps.update(GPS)
    return exif


def photo(width=2000, height=1333, *, orientation=1, kind="JPEG", profile=True):
    """A photo as a camera leaves it: EXIF (maker, orientation, GPS), comment, XMP, and
    an sRGB profile unless ``profile`` is false."""
    extra = {"comment": COMMENT} if kind == "JPEG" else {}
    if kind == "PNG":  # Pillow writes a PNG's XMP as text of its own
        extra["pnginfo"] = PngImagePlugin.PngInfo()
        extra["pnginfo"].add_itxt("XML:com.adobe.xmp", XMP.decode())
    if profile:
        extra["icc_profile"] = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    out = io.BytesIO()
    two_halves(width, height).save(out, kind, exif=camera_exif(orientation), xmp=XMP, **extra)
    return out.getvalue()


def transparent_png(width=900, height=600):
    image = Image.new("RGBA", (width, height), (0, 0, 0, 0))
    image.paste((0, 0, 220, 255), (0, 0, width // 2, height))
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


def animated(kind="WEBP"):
    frames = [Image.new("RGB", (64, 64), colour) for colour in (RED, BLUE)]
    out = io.BytesIO()
    frames[0].save(out, kind, save_all=True, append_images=frames[1:], duration=100, loop=0)
    return out.getvalue()


def png_header_only(width, height):
    """A PNG that claims ``width`` by ``height`` pixels in a few bytes: a decompression bomb
    as Pillow sees it when it reads the header."""

    def chunk(kind, data):
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\x00" * 64))
        + chunk(b"IEND", b"")
    )


def upload(data, name="photo.jpg"):
    return SimpleUploadedFile(name, data, "application/octet-stream")


def add_lead_image(release, data=None, name="photo.jpg", **values):
    """``release``'s lead image from ``data`` (a photo by default), made as the admin makes
    it (renditions and all)."""
    values.setdefault("alt", "Delegates at the table in the Hofburg")
    image = LeadImage(release=release, file=upload(data or photo(), name), **values)
    image.save()
    return image


def stored_names(image):
    """Every file a lead image has in the storage: its master and each rendition."""
    return {
        image.file.name,
        *(rendition[kind] for rendition in image.renditions for kind in ("jpeg", "webp")),
    }


def opened(name):
    """A stored file, decoded by Pillow."""
    with default_storage.open(name, "rb") as stored:
        image = Image.open(io.BytesIO(stored.read()))
        image.load()
    return image


def metadata_left(name):
    """What a stored image still says beyond its pixels: its EXIF tags, GPS tags, every
    block Pillow reads (EXIF, XMP, comment, colour profile, text), and the camera's words
    anywhere in its bytes. Empty when stripped."""
    image = opened(name)
    exif = image.getexif()
    with default_storage.open(name, "rb") as stored:
        raw = stored.read()
    found = {f"exif {tag}" for tag in exif}
    found |= {f"gps {tag}" for tag in exif.get_ifd(ExifTags.IFD.GPSInfo)}
    found |= set(image.info) - HARMLESS_INFO
    found |= {text for text in (CAMERA.encode(), COMMENT, XMP) if text in raw}
    return found
