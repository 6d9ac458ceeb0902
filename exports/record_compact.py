"""The compact (``MSR2``) form of a signed record: binary fields written as decimal digits.

Why digits: a QR code stores digits in its numeric mode at 10 bits per 3 digits, denser than
its alphanumeric mode (base32 text: 8.8 bits per byte) and even base45 (8.25, with a space and
``%`` that a URL fragment or a shell mangles). Six bytes become 15 digits (8.33 bits per byte)
and every group stays below 2^53, so the verify page decodes it with plain JavaScript numbers.

Record bytes (big-endian, ``v`` = unsigned LEB128 varint)::

    scheme (1) | flags (1: kind index << 4 | draft << 3 | region segments - 1)
    | region digits (v) | year (v) | date: days since 2000-01-01 + 1, 0 = none (v)
    | number (v length + UTF-8) | region name (v length + UTF-8)
    | summary count (v), each: key (1 ASCII byte) + value (v)
    | digest (32) | key id (8) | Ed25519 signature (64)

signed over ``MSR2`` + everything before the signature. The document id is not carried: it is
derived from the signed fields (see ``Record``), so it cannot disagree with them.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

PREFIX = "MSR2:"
VERSION_TAG = b"MSR2"
DIGEST, KEY_ID, SIGNATURE = 32, 8, 64
_EPOCH = date(2000, 1, 1)
_GROUP = 6  # bytes per digit group
_DIGITS_FOR = {1: 3, 2: 5, 3: 8, 4: 10, 5: 13, 6: 15}  # bytes -> digits (ceil(8n*log10 2))
_BYTES_FOR = {digits: size for size, digits in _DIGITS_FOR.items()}
MAX_TEXT = 200  # bytes of a number or a region name


class CompactError(ValueError):
    """The digits do not decode to a record (the caller words the Indonesian message)."""


# --------------------------------------------------------------------------- digits


def to_digits(data: bytes) -> str:
    """Bytes as decimal digits, 6 bytes per 15 digits (a shorter last group)."""
    groups = (data[i : i + _GROUP] for i in range(0, len(data), _GROUP))
    return "".join(str(int.from_bytes(g, "big")).zfill(_DIGITS_FOR[len(g)]) for g in groups)


def from_digits(text: str) -> bytes:
    """Inverse of :func:`to_digits`; CompactError on a length or value no encoder makes."""
    if not text.isascii() or not text.isdigit():
        raise CompactError("not digits")
    out = bytearray()
    full = _DIGITS_FOR[_GROUP]
    for start in range(0, len(text), full):
        chunk = text[start : start + full]
        size = _BYTES_FOR.get(len(chunk))
        value = int(chunk)
        if size is None or value >= 1 << (8 * size):
            raise CompactError("bad digit group")
        out += value.to_bytes(size, "big")
    return bytes(out)


# --------------------------------------------------------------------------- bytes


def _varint(value: int) -> bytes:
    if value < 0:
        raise CompactError("negative")
    out = bytearray()
    while True:
        byte, value = value & 0x7F, value >> 7
        out.append(byte | (0x80 if value else 0))
        if not value:
            return bytes(out)


def _text(value: str) -> bytes:
    data = value.encode("utf-8")
    if len(data) > MAX_TEXT:
        raise CompactError("text too long")
    return _varint(len(data)) + data


def pack_body(
    *,
    scheme: int,
    kind_index: int,
    draft: bool,
    wilayah: str,
    tahun: int,
    tanggal: str,
    nomor: str,
    wilayah_nama: str,
    summary: dict[str, int],
) -> bytes:
    """The signed fields (everything before digest, key id and signature)."""
    segments = wilayah.split(".")
    if not 1 <= len(segments) <= 4 or not all(s.isdigit() for s in segments):
        raise CompactError("region code")
    days = (date.fromisoformat(tanggal) - _EPOCH).days + 1 if tanggal else 0
    out = bytearray([scheme, kind_index << 4 | int(draft) << 3 | (len(segments) - 1)])
    out += _varint(int("".join(segments)))
    out += _varint(tahun) + _varint(days) + _text(nomor) + _text(wilayah_nama)
    out += _varint(len(summary))
    for key, value in summary.items():
        if len(key) != 1 or not key.isascii():
            raise CompactError("summary key")
        out += key.encode("ascii") + _varint(value)
    return bytes(out)


class _Reader:
    def __init__(self, data: bytes) -> None:
        self.data, self.pos = data, 0

    def byte(self) -> int:
        if self.pos >= len(self.data):
            raise CompactError("truncated")
        self.pos += 1
        return self.data[self.pos - 1]

    def varint(self) -> int:
        value = shift = 0
        while True:
            byte = self.byte()
            value |= (byte & 0x7F) << shift
            if not byte & 0x80:
                return value
            shift += 7
            if shift > 63:
                raise CompactError("varint too long")

    def text(self) -> str:
        size = self.varint()
        if size > MAX_TEXT or self.pos + size > len(self.data):
            raise CompactError("text length")
        self.pos += size
        return self.data[self.pos - size : self.pos].decode("utf-8")


_SEGMENT_WIDTHS = (2, 2, 2, 4)


def unpack(data: bytes) -> dict[str, Any]:
    """Fields of a compact record as keyword arguments for ``Record`` (plus ``kind_index``)."""
    trailer = DIGEST + KEY_ID + SIGNATURE
    if len(data) <= trailer:
        raise CompactError("truncated")
    body, tail = data[:-trailer], data[-trailer:]
    reader = _Reader(body)
    try:
        scheme, flags = reader.byte(), reader.byte()
        count = (flags & 0x03) + 1
        width = sum(_SEGMENT_WIDTHS[:count])
        digits = str(reader.varint()).zfill(width)
        if len(digits) != width or flags & 0x04:
            raise CompactError("region code")
        starts = [sum(_SEGMENT_WIDTHS[:i]) for i in range(count)]
        wilayah = ".".join(digits[s : s + w] for s, w in zip(starts, _SEGMENT_WIDTHS, strict=False))
        tahun, days = reader.varint(), reader.varint()
        tanggal = (_EPOCH + timedelta(days=days - 1)).isoformat() if days else ""
        nomor, nama = reader.text(), reader.text()
        summary = {}
        for _ in range(reader.varint()):
            key = chr(reader.byte())
            summary[key] = reader.varint()
    except (UnicodeDecodeError, OverflowError) as exc:
        raise CompactError("unreadable") from exc
    if reader.pos != len(body):
        raise CompactError("trailing bytes")
    return {
        "scheme": scheme,
        "kind_index": flags >> 4,
        "status": "draf" if flags & 0x08 else "final",
        "wilayah": wilayah,
        "wilayah_nama": nama,
        "tahun": tahun,
        "nomor": nomor,
        "tanggal": tanggal,
        "summary": summary,
        "digest": tail[:DIGEST],
        "key_id": tail[DIGEST : DIGEST + KEY_ID].hex().upper(),
        "signature": tail[DIGEST + KEY_ID :],
    }
