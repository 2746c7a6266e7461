"""Draw the site's icons into service/smartmed/web/static/: the brand mark on a square.

Run by hand when the design changes (`python3 scripts/make-icons.py`); the files are
committed. Standard library only: a PNG is a zlib stream of rows, an ICO a header in
front of a PNG. The mark is drawn by sampling each pixel 4x4 times (smooth edges).
"""

from __future__ import annotations

import struct
import zlib
from pathlib import Path

STATIC = Path(__file__).resolve().parent.parent / "service" / "smartmed" / "web" / "static"
ACCENT = (0x1F, 0x6F, 0x5C)  # --accent of site.css
SOFT = (0xE1, 0xEF, 0xE9)  # --accent-soft
CORNER = 0.1875  # corner radius, as a share of the side (12 of 64)
RADIUS = 0.297  # the circle's radius, as in icon.svg (19 of 64)
SAMPLES = 4
SVG = """<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 64 64">\
<rect width="64" height="64" rx="12" fill="#1f6f5c"/>\
<circle cx="32" cy="32" r="19" fill="#e1efe9"/></svg>
"""


def _inside_square(x: float, y: float) -> bool:
    # Distance to the nearest point of the square shrunk by the corner radius.
    dx = max(CORNER - x, 0.0, x - (1 - CORNER))
    dy = max(CORNER - y, 0.0, y - (1 - CORNER))
    return dx * dx + dy * dy <= CORNER * CORNER


def _pixel(px: int, py: int, size: int) -> bytes:
    square = circle = 0
    for sy in range(SAMPLES):
        for sx in range(SAMPLES):
            x = (px + (sx + 0.5) / SAMPLES) / size
            y = (py + (sy + 0.5) / SAMPLES) / size
            if _inside_square(x, y):
                square += 1
                circle += (x - 0.5) ** 2 + (y - 0.5) ** 2 <= RADIUS * RADIUS
    total = SAMPLES * SAMPLES
    if square == 0:
        return b"\0\0\0\0"
    mix = circle / square  # share of the covered samples that are in the circle
    rgb = bytes(round(a + (b - a) * mix) for a, b in zip(ACCENT, SOFT, strict=True))
    return rgb + bytes([round(255 * square / total)])


def png(size: int) -> bytes:
    rows = b"".join(b"\0" + b"".join(_pixel(x, y, size) for x in range(size))
                    for y in range(size))

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (struct.pack(">I", len(data)) + kind + data
                + struct.pack(">I", zlib.crc32(kind + data)))

    header = struct.pack(">IIBBBBB", size, size, 8, 6, 0, 0, 0)  # 8-bit RGBA
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header)
            + chunk(b"IDAT", zlib.compress(rows, 9)) + chunk(b"IEND", b""))


def ico(image: bytes, size: int) -> bytes:
    # One image, stored as PNG (every browser since 2009 reads that inside an ICO).
    entry = struct.pack("<BBBBHHII", size % 256, size % 256, 0, 0, 1, 32, len(image), 22)
    return struct.pack("<HHH", 0, 1, 1) + entry + image


def main() -> None:
    for size in (64, 144, 512):
        (STATIC / f"icon-{size}.png").write_bytes(png(size))
    (STATIC / "favicon.ico").write_bytes(ico(png(32), 32))
    (STATIC / "icon.svg").write_text(SVG, encoding="utf-8")


if __name__ == "__main__":
    main()
