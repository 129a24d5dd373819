"""A minimal PNG encoder (RGB, 8 bit) for the demo backend's synthetic images, so the
headless server needs no imaging library."""
from __future__ import annotations

import struct
import zlib


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)


def encode_png(width: int, height: int, pixels: bytes | bytearray) -> bytes:
    """``pixels``: width*height*3 bytes, rows top to bottom, RGB."""
    if len(pixels) != width * height * 3:
        raise ValueError(f"expected {width * height * 3} bytes of RGB, got {len(pixels)}")
    stride = width * 3
    raw = b"".join(b"\x00" + bytes(pixels[y * stride:(y + 1) * stride]) for y in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", header)
            + _chunk(b"IDAT", zlib.compress(raw, 6)) + _chunk(b"IEND", b""))


class Canvas:
    """Just enough drawing for a recognisable synthetic camera frame."""

    def __init__(self, width: int, height: int, color=(0, 0, 0)):
        self.width, self.height = width, height
        self.pixels = bytearray(bytes(color) * (width * height))

    def rect(self, x0: int, y0: int, x1: int, y1: int, color) -> None:
        x0, x1 = max(0, x0), min(self.width, x1)
        y0, y1 = max(0, y0), min(self.height, y1)
        if x1 <= x0:
            return
        row = bytes(color) * (x1 - x0)
        for y in range(y0, y1):
            i = (y * self.width + x0) * 3
            self.pixels[i:i + len(row)] = row

    def vgradient(self, y0: int, y1: int, top, bottom) -> None:
        span = max(1, y1 - y0 - 1)
        for y in range(max(0, y0), min(self.height, y1)):
            f = (y - y0) / span
            self.rect(0, y, self.width, y + 1, tuple(int(a + (b - a) * f) for a, b in zip(top, bottom)))

    def png(self) -> bytes:
        return encode_png(self.width, self.height, self.pixels)
