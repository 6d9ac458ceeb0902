"""Reading the QR picture of a document back, without Pillow (verify must start fast).

The picture is what a phone scans from the paper, so verify reads the code from it rather
than from the picture's alt text alone: a swapped picture (another document's QR, or a code
whose signed summary says something else) is caught. PNG is decoded here with zlib (all
colour types and bit depths 1-8, no interlacing: what the qrcode package, Word and
LibreOffice write) into one grey byte per pixel, and zxing-cpp reads the symbol.
"""

from __future__ import annotations

import struct
import zlib

MAX_SIDE = 4000  # pixels; our QR is about 300
_SIGNATURE = b"\x89PNG\r\n\x1a\n"
_CHANNELS = {0: 1, 2: 3, 3: 1, 4: 2, 6: 4}


class PictureError(ValueError):
    """The picture is not a PNG this reader can decode (Indonesian message)."""


def read_qr(png: bytes) -> str | None:
    """The text of the one QR code in ``png``, or None when none can be read."""
    import zxingcpp

    width, height, grey = _decode_png(png)
    view = memoryview(grey).cast("B", (height, width))
    found = zxingcpp.read_barcodes(view, formats=zxingcpp.BarcodeFormat.QRCode)
    if len(found) != 1 or not _fills_picture(found[0].position, width, height):
        return None
    return found[0].text


MIN_COVER = 0.7  # share of the picture's width and height the symbol must span


def _fills_picture(position, width: int, height: int) -> bool:
    """The symbol spans the picture: no room beside it for text drawn in the pixels."""
    corners = (position.top_left, position.top_right, position.bottom_left, position.bottom_right)
    xs, ys = [p.x for p in corners], [p.y for p in corners]
    return max(xs) - min(xs) >= MIN_COVER * width and max(ys) - min(ys) >= MIN_COVER * height


def _decode_png(data: bytes) -> tuple[int, int, bytes]:
    if not data.startswith(_SIGNATURE):
        raise PictureError("gambar QR bukan berkas PNG")
    pos, header, palette, idat = len(_SIGNATURE), None, b"", []
    while pos + 8 <= len(data):
        length, kind = struct.unpack(">I4s", data[pos : pos + 8])
        chunk = data[pos + 8 : pos + 8 + length]
        pos += 12 + length
        if kind == b"IHDR":
            header = struct.unpack(">IIBBBBB", chunk)
        elif kind == b"PLTE":
            palette = chunk
        elif kind == b"tRNS":
            raise PictureError("gambar QR memakai transparansi")
        elif kind == b"IDAT":
            idat.append(chunk)
        elif kind == b"IEND":
            break
    if header is None:
        raise PictureError("gambar QR rusak (tanpa IHDR)")
    width, height, depth, colour, _comp, _filter, interlace = header
    if (
        not (0 < width <= MAX_SIDE and 0 < height <= MAX_SIDE)
        or colour not in _CHANNELS
        or depth not in (1, 2, 4, 8)
        or interlace
    ):
        raise PictureError("gambar QR berformat PNG yang tidak dikenal")
    bits = depth * _CHANNELS[colour]
    stride = (width * bits + 7) // 8
    expected = (stride + 1) * height
    inflater = zlib.decompressobj()
    try:
        raw = inflater.decompress(b"".join(idat), expected + 1)
    except zlib.error as exc:
        raise PictureError("gambar QR rusak") from exc
    if len(raw) != expected:
        raise PictureError("gambar QR rusak (ukuran piksel)")
    rows = _unfilter(raw, stride, height, max(1, bits // 8))
    return width, height, _to_grey(rows, width, depth, colour, palette)


def _unfilter(raw: bytes, stride: int, height: int, bpp: int) -> list[bytearray]:
    rows: list[bytearray] = []
    previous = bytearray(stride)
    for y in range(height):
        start = y * (stride + 1)
        kind, row = raw[start], bytearray(raw[start + 1 : start + 1 + stride])
        for i in range(stride):
            left = row[i - bpp] if i >= bpp else 0
            up = previous[i]
            if kind == 1:
                row[i] = (row[i] + left) & 0xFF
            elif kind == 2:
                row[i] = (row[i] + up) & 0xFF
            elif kind == 3:
                row[i] = (row[i] + ((left + up) >> 1)) & 0xFF
            elif kind == 4:
                corner = previous[i - bpp] if i >= bpp else 0
                row[i] = (row[i] + _paeth(left, up, corner)) & 0xFF
            elif kind != 0:
                raise PictureError("gambar QR rusak (filter)")
        rows.append(row)
        previous = row
    return rows


def _paeth(a: int, b: int, c: int) -> int:
    p = a + b - c
    pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
    if pa <= pb and pa <= pc:
        return a
    return b if pb <= pc else c


def _to_grey(rows: list[bytearray], width: int, depth: int, colour: int, palette: bytes) -> bytes:
    out = bytearray()
    channels = _CHANNELS[colour]
    scale = 255 // ((1 << depth) - 1)
    for row in rows:
        if depth < 8:
            per_byte = 8 // depth
            mask = (1 << depth) - 1
            samples = [
                (row[i // per_byte] >> (8 - depth * (i % per_byte + 1))) & mask
                for i in range(width * channels)
            ]
        else:
            samples = list(row)
        for x in range(width):
            pixel = samples[x * channels : (x + 1) * channels]
            if colour in (4, 6) and pixel[-1] != (1 << depth) - 1:
                raise PictureError("gambar QR memakai transparansi")
            if colour == 3:
                index = pixel[0] * 3
                rgb = palette[index : index + 3] or b"\0\0\0"
                out.append((rgb[0] * 3 + rgb[1] * 6 + rgb[2]) // 10)
            elif colour in (2, 6):
                out.append((pixel[0] * 3 + pixel[1] * 6 + pixel[2]) // 10)
            else:
                out.append(pixel[0] * scale if depth < 8 else pixel[0])
    return bytes(out)
