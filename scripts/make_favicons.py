"""Write the site's raster icons (static/img/favicon-32.png, apple-touch-icon.png).

Why a script and no image library: the icons are the mark of favicon.svg drawn in two
colours on a grid, which zlib and struct can write as PNG; the project needs no Pillow.
Run it again only if the mark changes: python scripts/make_favicons.py
"""

import struct
import zlib
from pathlib import Path

BRAND = (0x0B, 0x4F, 0x8A)
WHITE = (0xFF, 0xFF, 0xFF)
FOLDER = Path(__file__).resolve().parent.parent / "static" / "img"


def pixel(x, y, size):
    """A white ring on the brand's blue: the letter O of the mark, readable at 16 px."""
    centre = (size - 1) / 2
    distance = ((x - centre) ** 2 + (y - centre) ** 2) ** 0.5
    return WHITE if size * 0.22 <= distance <= size * 0.34 else BRAND


def png(size):
    rows = b"".join(
        b"\x00" + bytes(channel for x in range(size) for channel in pixel(x, y, size))
        for y in range(size)
    )

    def chunk(kind, data):
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", size, size, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows, 9))
        + chunk(b"IEND", b"")
    )


if __name__ == "__main__":
    (FOLDER / "favicon-32.png").write_bytes(png(32))
    (FOLDER / "apple-touch-icon.png").write_bytes(png(180))
