"""Checking a zip's central directory before anything in it is inflated.

A zip can declare a member of 2 GB in a file of 2 MB, hold the same name twice (readers
disagree on which one counts) or hold thousands of members. Every zip that comes from
outside (a document to verify, a bundle to import) is checked here first: member count,
duplicate names (case folded, as Windows and Word fold them), each declared size against
the limit for its name, the total, and the compression ratio. Reading a member afterwards
never returns more than its declared size (:func:`read_member`).
"""

from __future__ import annotations

import os
import struct
import zipfile
from collections.abc import Callable

MAX_RATIO = 250  # inflated / compressed, for members above RATIO_FLOOR bytes
RATIO_FLOOR = 1024 * 1024


class ZipRefused(ValueError):
    """The zip is refused before inflating; the message (Indonesian) names the member."""


def check_members(
    zf: zipfile.ZipFile,
    limit_for: Callable[[str], int | None],
    *,
    max_entries: int,
    max_total: int,
) -> frozenset[str]:
    """The member names, once count, duplicates, names and declared sizes are within bounds.

    ``limit_for(name)`` is the largest size allowed for that member, or None when the name
    is not allowed at all.
    """
    infos = zf.infolist()
    if len(infos) > max_entries:
        raise ZipRefused(f"berkas zip memuat {len(infos)} bagian (paling banyak {max_entries})")
    seen: set[str] = set()
    total = 0
    for info in infos:
        folded = info.filename.lower()
        if folded in seen:
            raise ZipRefused(f"nama bagian ganda di dalam berkas zip: {info.filename}")
        seen.add(folded)
        limit = limit_for(info.filename)
        if limit is None:
            raise ZipRefused(f"bagian tambahan {info.filename} di dalam berkas")
        if info.file_size > limit:
            raise ZipRefused(
                f"bagian {info.filename} menyatakan ukuran {info.file_size} bita "
                f"(paling besar {limit})"
            )
        if info.file_size > RATIO_FLOOR and info.file_size > MAX_RATIO * max(1, info.compress_size):
            raise ZipRefused(f"bagian {info.filename} dimampatkan secara tidak wajar")
        total += info.file_size
    if total > max_total:
        raise ZipRefused(f"isi berkas zip menyatakan {total} bita (paling besar {max_total})")
    return frozenset(info.filename for info in infos)


def read_member(zf: zipfile.ZipFile, name: str) -> bytes:
    """The member's bytes, never more than its declared size (checked by the caller)."""
    info = zf.getinfo(name)
    try:
        with zf.open(info) as member:
            data = member.read(info.file_size + 1)
    except (zipfile.BadZipFile, OSError, EOFError, ValueError, RuntimeError) as exc:
        raise ZipRefused(f"bagian {name} rusak di dalam berkas zip") from exc
    if len(data) != info.file_size:
        raise ZipRefused(f"bagian {name} tidak sebesar yang dinyatakan berkas zip")
    return data


_LOCAL, _CENTRAL_END, _DESCRIPTOR = b"PK\x03\x04", b"PK\x05\x06", b"PK\x07\x08"
_END_RECORD = 22  # the end-of-central-directory record without a comment


def check_layout(zf: zipfile.ZipFile, path: str | os.PathLike[str]) -> None:
    """The file is a zip and nothing else: it starts with a local file header at offset 0,
    the members follow one another without gaps or overlaps exactly where the central
    directory says, the central directory follows the last member, and the file ends with
    the end record and no comment (none of our writers, Word or LibreOffice add one).

    Anything else (an RTF or HTML prefix making a polyglot, a second zip glued in front,
    data hidden between members, a comment) could be read differently by another program.
    Only headers are read here (30 bytes per member), never member data.
    """
    size = os.path.getsize(path)
    infos = sorted(zf.infolist(), key=lambda info: info.header_offset)
    with open(path, "rb") as raw:
        if raw.read(4) != _LOCAL:
            raise ZipRefused("berkas tidak diawali isi zip (ada data lain di depannya)")
        expected = 0
        for info in infos:
            if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
                raise ZipRefused(f"cara pemampatan bagian {info.filename} tidak dikenal")
            if info.header_offset != expected:
                raise ZipRefused(f"letak bagian {info.filename} di dalam berkas zip tidak wajar")
            raw.seek(info.header_offset)
            header = raw.read(30)
            if len(header) != 30 or header[:4] != _LOCAL:
                raise ZipRefused(f"kepala bagian {info.filename} rusak di dalam berkas zip")
            name_len, extra_len = struct.unpack_from("<HH", header, 26)
            encoding = "utf-8" if info.flag_bits & 0x800 else "cp437"
            if raw.read(name_len) != info.orig_filename.encode(encoding, "replace"):
                raise ZipRefused(f"nama bagian {info.filename} berbeda di dalam berkas zip")
            expected = info.header_offset + 30 + name_len + extra_len + info.compress_size
            if info.flag_bits & 0x08:  # a data descriptor follows the data (LibreOffice)
                raw.seek(expected)
                expected += 16 if raw.read(4) == _DESCRIPTOR else 12
        if zf.start_dir != expected:
            raise ZipRefused("ada data tersembunyi di antara isi berkas zip")
        raw.seek(max(0, size - _END_RECORD))
        end = raw.read(_END_RECORD)
    if zf.comment or len(end) != _END_RECORD or end[:4] != _CENTRAL_END:
        raise ZipRefused("berkas zip memuat data tambahan di bagian akhirnya")
    directory_size, directory_offset = struct.unpack_from("<II", end, 12)
    if directory_offset != expected or directory_offset + directory_size != size - _END_RECORD:
        raise ZipRefused("daftar isi berkas zip tidak berada di tempat semestinya")
