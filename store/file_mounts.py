"""Is a forum file bind-mounted at its path (Linux)? Then it cannot be written safely.

A single file mounted at another path (``mount --bind /a/x.musrenbang /b/y.musrenbang``)
pins the file it was mounted from: after the first compaction renames a new file over
``/a/x.musrenbang``, ``/b/y.musrenbang`` still shows the old one, now deleted, and every
change written through it is lost; renaming over ``/b/y.musrenbang`` itself fails (a mount
point cannot be replaced). So such a path is refused for writing, and for reading too:
a reader there cannot tell the current forum from a copy the forum has since replaced
(``export --hanya-baca`` made an official document from such stale data). A file with no
name left at all (link count 0: replaced or deleted while a path still shows it) likewise.

The kernel lists mounts in ``/proc/self/mountinfo`` (field 5: the mount point, with space,
tab, newline and backslash written as octal escapes). Elsewhere (no ``/proc``) nothing is
detected: the lock on the file's own identity (``store.lock``) is then the only guard.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from store.storage_errors import ForumFileError, ForumPathError

MOUNTINFO = Path("/proc/self/mountinfo")
#: Read at most this much of the mount table (a container host may list thousands of mounts).
MAX_MOUNTINFO_BYTES = 16 * 1024 * 1024
_OCTAL_ESCAPE = re.compile(rb"\\([0-7]{3})")


def mount_points(table: bytes) -> set[bytes]:
    """The mount points a ``mountinfo`` text lists, unescaped, as raw path bytes."""
    points = set()
    for line in table.splitlines():
        fields = line.split(b" ")
        if len(fields) > 4:
            points.add(_OCTAL_ESCAPE.sub(lambda m: bytes([int(m.group(1), 8)]), fields[4]))
    return points


def is_file_mount_point(path: Path) -> bool:
    """True when ``path`` (resolved) is a regular file that is itself a mount point; False
    when it is not, or when this system does not tell (no ``/proc``)."""
    if not os.path.isfile(path):
        return False
    try:
        with open(MOUNTINFO, "rb") as table:
            text = table.read(MAX_MOUNTINFO_BYTES)
    except OSError:
        return False
    return os.fsencode(os.path.realpath(path)) in mount_points(text)


def refuse_file_mount_point(path: Path) -> None:
    """``ForumFileError`` (one Indonesian line saying why and what to do) when ``path`` is a
    bind-mounted file; nothing otherwise."""
    if is_file_mount_point(path):
        raise ForumFileError(
            f'Berkas forum "{path}" dipasang (mount) dari lokasi lain, sehingga pemadatan '
            "tidak dapat menggantinya dan perubahan akan masuk ke salinan yang sudah terhapus. "
            "Buka forum itu lewat lokasi aslinya, atau salin menjadi berkas tersendiri lalu "
            "buka salinannya (membaca saja dapat dengan --hanya-baca).",
            path,
        )


def refuse_replaced_copy(path: Path) -> None:
    """``ForumPathError`` (one Indonesian line) when what ``path`` shows may not be the
    forum's current file: a file with no name left (link count 0), or one bind-mounted at
    ``path``; nothing otherwise (a missing file is the opener's to report)."""
    try:
        deleted = os.stat(path).st_nlink == 0
    except OSError:
        return
    if deleted or is_file_mount_point(path):
        raise ForumPathError(
            f'Berkas forum "{path}" mungkin salinan lama yang sudah diganti (berkas itu '
            "dipasang/mount dari lokasi lain atau sudah dihapus): isinya tidak dibaca. Buka "
            "forum itu lewat lokasi aslinya.",
            path,
        )
