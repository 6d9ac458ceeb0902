"""Checking a zip's central directory before anything in it is inflated.

A zip can declare a member of 2 GB in a file of 2 MB, hold the same name twice (readers
disagree on which one counts) or hold thousands of members. Every zip that comes from
outside (a document to verify, a bundle to import) is checked here first: member count,
duplicate names (case folded, as Windows and Word fold them), each declared size against
the limit for its name, the total, and the compression ratio. Reading a member afterwards
never returns more than its declared size (:func:`read_member`).
"""

from __future__ import annotations

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
