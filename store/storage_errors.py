"""Errors of the forum storage that the command line and the UI show to people."""

from __future__ import annotations

import errno
from pathlib import Path


class ForumFileError(Exception):
    """A file that cannot be opened as a forum; it has been left untouched.

    ``message`` is one Indonesian sentence naming the file, what is wrong, and the newest good
    backup (``backup``) when there is one.
    """

    def __init__(self, message: str, path: Path, backup: Path | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.path = path
        self.backup = backup


class ForumPathError(ForumFileError):
    """The path given does not lead to a forum's current file: nothing there, or a copy the
    forum has since replaced (a bind mount showing a deleted file). The argument is wrong,
    not the file: ``check`` exits 2 for it, as for any other bad argument, not 1."""


class ForumReadOnlyError(RuntimeError):
    """A write was attempted on a forum opened read-only (a programming error)."""


#: Indonesian reasons for the OS errors a forum file meets (strerror is English).
_OS_REASONS = {
    errno.ENOSPC: "disk penuh",
    errno.EDQUOT: "kuota disk habis",
    errno.EROFS: "media hanya-baca",
    errno.EACCES: "tidak ada izin menulis",
    errno.EPERM: "tidak diizinkan oleh sistem",
    errno.ENOENT: "folder tidak ada atau tidak dapat memuat berkas",
    errno.ENOTDIR: "bagian jalurnya bukan folder",
    errno.EISDIR: "jalur itu sebuah folder",
    errno.EEXIST: "namanya sudah dipakai berkas lain",
    errno.EIO: "kesalahan baca/tulis perangkat",
}


def os_reason(error: OSError) -> str:
    """Why an OS call failed, in Indonesian (the errno's own text only as a last resort)."""
    return _OS_REASONS.get(error.errno or 0) or error.strerror or str(error)
