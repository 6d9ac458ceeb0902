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
    if not _bare_symbol(grey, width, found[0].position):
        raise PictureError(
            "gambar QR memuat lebih dari kode QR-nya (ada yang digambar di dalam gambar)"
        )
    return found[0].text


def _bare_symbol(grey: bytes, width: int, position) -> bool:
    """The picture is the QR symbol and its white quiet zone, nothing else: every pixel
    outside the symbol is white, and every module of the symbol is one flat square of
    black or white (as a QR generator draws it). Text drawn into the picture beside a
    shrunken symbol, or over its modules, is refused, though a reader still decodes it."""
    left, top = position.top_left.x, position.top_left.y
    right, bottom = position.bottom_right.x, position.bottom_right.y
    if (position.top_right.y, position.bottom_left.x) != (top, left) or right <= left:
        return False  # not upright: our pictures never are
    height = len(grey) // width
    finder = grey[(top + 1) * width + left : (top + 1) * width + right]
    run = len(finder) - len(finder.lstrip(b"\x00"))
    module, rest = divmod(run, 7)  # the finder's outer ring: 7 modules of black
    if module == 0 or rest or (right - left) % module or (bottom - top) != (right - left):
        return False
    count = (right - left) // module
    if count < 21 or count % 4 != 1:
        return False
    for y in range(height):
        row = grey[y * width : (y + 1) * width]
        if not top <= y < bottom:
            if row.count(255) != width:
                return False
            continue
        if row[:left].count(255) != left or row[right:].count(255) != width - right:
            return False
        centre = top + ((y - top) // module) * module + module // 2
        centre_row = grey[centre * width : (centre + 1) * width]
        expected = b"".join(
            bytes([centre_row[left + i * module + module // 2]]) * module for i in range(count)
        )
        if row[left:right] != expected or expected.strip(b"\x00\xff"):
            return False
    return True


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


def _unfilter(raw: bytes, stride: int, height: int, bpp: int) -> list[bytes]:
    rows: list[bytes] = []
    previous = bytes(stride)
    for y in range(height):
        start = y * (stride + 1)
        kind, line = raw[start], raw[start + 1 : start + 1 + stride]
        if kind == 0:
            row = line
        elif kind == 2:
            row = bytes((a + b) & 0xFF for a, b in zip(line, previous, strict=True))
        elif kind in (1, 3, 4):
            row = _unfilter_row(kind, bytearray(line), previous, bpp)
        else:
            raise PictureError("gambar QR rusak (filter)")
        rows.append(row)
        previous = row
    return rows


def _unfilter_row(kind: int, row: bytearray, previous: bytes, bpp: int) -> bytes:
    for i in range(len(row)):
        left = row[i - bpp] if i >= bpp else 0
        up = previous[i]
        if kind == 1:
            row[i] = (row[i] + left) & 0xFF
        elif kind == 3:
            row[i] = (row[i] + ((left + up) >> 1)) & 0xFF
        else:
            corner = previous[i - bpp] if i >= bpp else 0
            row[i] = (row[i] + _paeth(left, up, corner)) & 0xFF
    return bytes(row)


def _paeth(a: int, b: int, c: int) -> int:
    p = a + b - c
    pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
    if pa <= pb and pa <= pc:
        return a
    return b if pb <= pc else c


def _unpack_table(depth: int) -> list[bytes]:
    """Byte -> its samples of ``depth`` bits, one byte each (most significant first)."""
    per_byte, mask = 8 // depth, (1 << depth) - 1
    return [
        bytes((value >> (8 - depth * (i + 1))) & mask for i in range(per_byte))
        for value in range(256)
    ]


def _to_grey(rows: list[bytes], width: int, depth: int, colour: int, palette: bytes) -> bytes:
    """One grey byte per pixel; alpha must be opaque (transparency could hide a second
    picture in the pixels a printer draws)."""
    channels = _CHANNELS[colour]
    if colour == 3:
        greys = bytes(
            (palette[i * 3] * 3 + palette[i * 3 + 1] * 6 + palette[i * 3 + 2]) // 10
            if i * 3 + 2 < len(palette)
            else 0
            for i in range(256)
        )
    else:
        scale = 255 // ((1 << depth) - 1)
        greys = bytes(min(255, i * scale) for i in range(256))
    table = _unpack_table(depth) if depth < 8 else None
    out = bytearray()
    for row in rows:
        samples = b"".join(table[b] for b in row) if table else row
        samples = samples[: width * channels]
        if colour in (4, 6):
            opaque = (1 << depth) - 1
            if samples[channels - 1 :: channels].count(opaque) != width:
                raise PictureError("gambar QR memakai transparansi")
        if colour in (2, 6):
            samples = samples[1::channels]  # green: enough for black on white
        elif colour == 4:
            samples = samples[0::2]
        out += samples.translate(greys)
    return bytes(out)
