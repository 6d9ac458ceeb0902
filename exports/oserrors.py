"""Indonesian wording for file errors (the OS's own ``strerror`` is in English)."""

from __future__ import annotations

import errno


def reason(error: OSError) -> str:
    """Why a file could not be read or written, for a one-line message to the user."""
    if isinstance(error, FileNotFoundError):
        return "tidak ditemukan"
    if isinstance(error, PermissionError):
        return "tidak ada izin akses"
    if isinstance(error, IsADirectoryError):
        return "itu sebuah folder, bukan berkas"
    if error.errno == errno.ENOSPC:
        return "ruang disk penuh"
    return f"galat sistem ({error.strerror or error})"
