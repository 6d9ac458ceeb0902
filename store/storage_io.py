"""Durable file primitives for the forum storage.

Why a module of its own: durability on Linux, macOS and Windows each needs a small twist
(``F_FULLFSYNC`` on macOS, no directory fsync and sharing violations on Windows). Keeping them
here lets the storage code read as "append, then replace atomically" on every platform.
"""

from __future__ import annotations

import contextlib
import os
import sys
import time
from collections.abc import Callable, Iterable
from pathlib import Path

#: Windows refuses ``os.replace`` while another process has the target open (a reader
#: copying it, an antivirus scan). Such holds are short, so a few retries usually succeed.
REPLACE_ATTEMPTS = 10
REPLACE_PAUSE_S = 0.05


def fsync_fd(fd: int) -> None:
    """Flush a file's data to the disk itself, not just to the OS cache."""
    if sys.platform == "darwin":
        import fcntl  # macOS only: plain fsync there leaves data in the drive's cache

        with contextlib.suppress(OSError):
            fcntl.fcntl(fd, fcntl.F_FULLFSYNC)
            return
    os.fsync(fd)


def fsync_dir(directory: Path) -> None:
    """Make a rename inside ``directory`` durable where the OS allows it (not on Windows)."""
    if os.name == "nt":
        return
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass  # some file systems (network, FAT on a flash disk) refuse; the data is fsynced
    finally:
        os.close(fd)


def replace(src: Path, dst: Path) -> None:
    """``os.replace`` retried on a Windows sharing violation (PermissionError)."""
    for attempt in range(REPLACE_ATTEMPTS):
        try:
            os.replace(src, dst)
            return
        except PermissionError:
            if attempt == REPLACE_ATTEMPTS - 1:
                raise
            time.sleep(REPLACE_PAUSE_S * (attempt + 1))


def temp_path_for(path: Path) -> Path:
    """The scratch name a new version of ``path`` is written under before the rename."""
    return path.with_name(path.name + ".tmp")


def write_atomic(
    path: Path,
    chunks: Iterable[bytes],
    replace_with: Callable[[Path, Path], None] = replace,
) -> None:
    """Write ``path`` so that it is either its old content or all of ``chunks``, never a mix.

    Written to ``path.tmp``, fsynced, renamed over ``path`` (by ``replace_with``: a forum's
    writer passes its lock's ``replace_file``, which moves the lock to the new file), then
    the directory is fsynced so the rename itself survives a power loss.
    """
    tmp = temp_path_for(path)
    try:
        with open(tmp, "wb") as handle:
            for chunk in chunks:
                handle.write(chunk)
            handle.flush()
            fsync_fd(handle.fileno())
        replace_with(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise
    fsync_dir(path.parent)


class AppendOnlyFile:
    """The forum file opened for appending whole lines, each durable before ``append`` returns.

    One ``os.write`` per line (so a crash leaves at most one torn line at the end) followed by
    an fsync. When writing or syncing fails, the file is cut back to its previous length so
    the in-memory state that the caller rolls back matches the file again.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self._fd = os.open(path, os.O_WRONLY | os.O_APPEND | getattr(os, "O_BINARY", 0))
        self.size = os.fstat(self._fd).st_size

    def append(self, line: bytes) -> None:
        start = self.size
        try:
            view = memoryview(line)
            while view:
                written = os.write(self._fd, view)
                view = view[written:]
            fsync_fd(self._fd)
        except BaseException:
            with contextlib.suppress(OSError):
                os.ftruncate(self._fd, start)
                fsync_fd(self._fd)
            raise
        self.size = start + len(line)

    def close(self) -> None:
        if self._fd >= 0:
            os.close(self._fd)
            self._fd = -1


def truncate_file(path: Path, length: int) -> None:
    """Cut ``path`` to ``length`` bytes durably (drops a torn last line)."""
    fd = os.open(path, os.O_WRONLY | getattr(os, "O_BINARY", 0))
    try:
        os.ftruncate(fd, length)
        fsync_fd(fd)
    finally:
        os.close(fd)


def real_path(path: Path) -> Path:
    """The file a path names in the end: symlinks (and ``..``) resolved, once, at open.

    Locking, compaction and backups all go through this path, so a forum reached through a
    symlink has one lock, stays a symlink after a compaction, and never splits in two.
    """
    return Path(os.path.realpath(path))


def link_count(path: Path) -> int:
    """How many names (hard links) the file has; 0 when it does not exist."""
    try:
        return os.stat(path).st_nlink
    except FileNotFoundError:
        return 0
