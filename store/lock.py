"""The single-writer lock of a forum file, and who holds it.

An OS file lock (``filelock``) on ``NAME.musrenbang.lock`` decides who writes: the OS drops it
when the holder dies, so a crashed laptop session never keeps a forum locked. The lock file
itself cannot be read on Windows while locked, so the holder's identity (host, pid, since,
operator) goes into a sidecar ``NAME.musrenbang.lock.json`` that refused writers and readers
read to name who holds the forum.

A sidecar is found by the forum's path, and one file can be reached by paths whose sidecars
differ (a file bind-mounted elsewhere, ``/proc/self/fd/N``). So a writer also holds an OS
lock (``flock``, POSIX) on the forum file's own identity: an open descriptor of the file
itself, never truncated, never written through. A compaction renames a new file over the
forum; the new file is locked before the rename and the old one released only after it, so
the identity lock never lapses (``WriteLock.replace_file``). Where ``flock`` does not exist
(Windows) or the file system refuses it, the sidecar alone decides.
"""

from __future__ import annotations

import contextlib
import errno
import getpass
import os
import socket
import time
from dataclasses import asdict, dataclass
from datetime import datetime
from pathlib import Path

import orjson
from filelock import FileLock, Timeout

from store.storage_io import replace

try:
    import fcntl
except ImportError:  # Windows: the sidecar lock alone decides
    fcntl = None  # type: ignore[assignment]

#: How long a refused writer waits for a just-started holder to write its sidecar.
HOLDER_WAIT_S = 0.5


@dataclass(frozen=True)
class HolderInfo:
    """Who holds a forum's write lock: enough for a person to find that laptop and session."""

    host: str
    pid: int
    since: str  # ISO 8601 with the local UTC offset
    operator: str

    def describe(self) -> str:
        """Indonesian phrase naming the holder, e.g. "Sari di LAPTOP-1 sejak 09.15" (the pid is
        technical detail for ``pid``, not for the message)."""
        if not (self.operator or self.host or self.since):
            return "proses lain (mungkin lewat jalur lain ke berkas yang sama)"
        operator = self.operator or "operator tak dikenal"
        host = self.host or "komputer tak dikenal"
        return f"{operator} di {host} sejak {_clock(self.since)}"


class ForumLocked(Exception):
    """Another live process holds the forum open for writing."""

    def __init__(self, holder: HolderInfo) -> None:
        self.holder = holder
        super().__init__(f"Forum sedang dibuka untuk ditulis oleh {holder.describe()}")


def lock_path(forum: Path) -> Path:
    return forum.with_name(forum.name + ".lock")


def holder_path(forum: Path) -> Path:
    return forum.with_name(forum.name + ".lock.json")


def default_operator() -> str:
    """The OS user, the last fallback for naming who writes."""
    try:
        return getpass.getuser()
    except (OSError, KeyError, ImportError):
        return ""


class WriteLock:
    """The exclusive right to write one forum file, held until ``release``."""

    def __init__(self, forum: Path) -> None:
        self.forum = forum
        self._lock = FileLock(lock_path(forum), thread_local=False)
        self._identity: int | None = None  # descriptor of the forum file, flocked
        self.holder: HolderInfo | None = None

    def acquire(self, operator: str) -> HolderInfo:
        """Take the lock without waiting, or raise ``ForumLocked`` naming the live holder.

        Both the sidecar and, when the forum file exists, the file's own identity; a forum
        file created later is locked by ``replace_file`` as it gets its name.
        """
        try:
            self._lock.acquire(blocking=False)
        except Timeout:
            _raise_if_unlockable(lock_path(self.forum))
            raise ForumLocked(_wait_for_holder(self.forum)) from None
        try:
            self._identity = _lock_identity(self.forum)
        except BaseException:
            self._lock.release()
            raise
        holder = HolderInfo(
            host=socket.gethostname(),
            pid=os.getpid(),
            since=datetime.now().astimezone().isoformat(timespec="seconds"),
            operator=operator or default_operator(),
        )
        try:
            _write_holder(self.forum, holder)
        except BaseException:
            self._release_identity()
            self._lock.release()
            raise
        self.holder = holder
        return holder

    def replace_file(self, new: Path, target: Path) -> None:
        """Rename ``new`` over the forum file ``target`` (a compaction, a restore, a
        migration), moving the identity lock with it: ``new`` is locked before the rename and
        the old file released only after it, so no other path ever finds the forum unlocked.
        On failure the old file stays locked and ``new`` is not."""
        taken = _lock_identity(new)
        try:
            replace(new, target)
        except BaseException:
            _close(taken)
            raise
        self._release_identity()
        self._identity = taken

    def release(self) -> None:
        if self.holder is None:
            return
        with contextlib.suppress(OSError):
            holder_path(self.forum).unlink()
        self._release_identity()
        self._lock.release()
        self.holder = None

    def _release_identity(self) -> None:
        _close(self._identity)
        self._identity = None


#: What ``flock`` answers on a file system that has no locks (some network and FUSE mounts).
_NO_LOCKS = frozenset({errno.ENOLCK, errno.EOPNOTSUPP, errno.ENOSYS, errno.EINVAL})
#: A rename by the holder between our open and our lock: look again this many times.
_IDENTITY_ATTEMPTS = 5


def _lock_identity(path: Path) -> int | None:
    """A descriptor of the file at ``path`` holding an exclusive ``flock`` on it; None where
    there is no such lock (Windows, a file system without locks) or no file yet.

    ``ForumLocked`` when another open (through any path) holds it. Opened read-only: the
    forum file is never truncated or written through this descriptor.
    """
    if fcntl is None:
        return None
    for _ in range(_IDENTITY_ATTEMPTS):
        try:
            fd = os.open(path, os.O_RDONLY | getattr(os, "O_CLOEXEC", 0))
        except FileNotFoundError:
            return None
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            raise ForumLocked(_holder_elsewhere(path)) from None
        except OSError as error:
            os.close(fd)
            if error.errno in _NO_LOCKS:
                return None
            raise
        if _same_file(fd, path):
            return fd
        os.close(fd)  # renamed over meanwhile: lock what the path names now
    raise ForumLocked(_holder_elsewhere(path))


def _same_file(fd: int, path: Path) -> bool:
    """Whether the locked descriptor is the live file ``path`` names: not renamed over
    meanwhile, and not a deleted copy that a bind mount still shows (its holder compacted,
    then released it: locking it would make a second writer of a file nobody reads)."""
    try:
        now = os.stat(path)
    except FileNotFoundError:
        return False
    held = os.fstat(fd)
    if (held.st_dev, held.st_ino) != (now.st_dev, now.st_ino):
        return False
    return held.st_nlink > 0 or not _deleted(fd)


def _deleted(fd: int) -> bool:
    """A file without names: told by Linux's ``/proc/self/fd`` link ("... (deleted)"), since
    some file systems report a link count of 0 for live files; elsewhere assumed live."""
    try:
        return os.readlink(f"/proc/self/fd/{fd}").endswith(" (deleted)")
    except OSError:
        return False


def _holder_elsewhere(path: Path) -> HolderInfo:
    """Who holds the file's identity: recorded beside this path when it is the same path,
    else unknown (the holder's sidecar sits beside the path it opened)."""
    return read_holder(path) or HolderInfo(host="", pid=0, since="", operator="")


def _close(fd: int | None) -> None:
    if fd is not None:
        with contextlib.suppress(OSError):
            os.close(fd)


def read_holder(forum: Path) -> HolderInfo | None:
    """The recorded holder, or None when nobody is recorded or the recorded process is gone.

    Readers never take the lock to find out, so a process that died without cleaning up is
    recognised by its pid when it ran on this computer.
    """
    holder = _load_holder(forum)
    if holder is None:
        return None
    if holder.host == socket.gethostname() and not pid_alive(holder.pid):
        return None
    return holder


def _load_holder(forum: Path) -> HolderInfo | None:
    try:
        raw = orjson.loads(holder_path(forum).read_bytes())
        return HolderInfo(
            host=str(raw["host"]),
            pid=int(raw["pid"]),
            since=str(raw["since"]),
            operator=str(raw["operator"]),
        )
    except (OSError, ValueError, KeyError, TypeError):
        return None


def pid_alive(pid: int) -> bool:
    """Whether a process with this id runs on this computer (never signals it)."""
    if pid <= 0:
        return False
    if os.name == "nt":
        return _windows_pid_alive(pid)
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _windows_pid_alive(pid: int) -> bool:
    # os.kill(pid, 0) would terminate the process on Windows; ask the kernel instead.
    import ctypes

    kernel32 = ctypes.windll.kernel32  # type: ignore[attr-defined]
    handle = kernel32.OpenProcess(0x1000, False, pid)  # PROCESS_QUERY_LIMITED_INFORMATION
    if not handle:
        return False
    try:
        code = ctypes.c_ulong()
        if not kernel32.GetExitCodeProcess(handle, ctypes.byref(code)):
            return False
        return code.value == 259  # STILL_ACTIVE
    finally:
        kernel32.CloseHandle(handle)


def _raise_if_unlockable(lock_file: Path) -> None:
    """filelock reports a folder that cannot hold the lock file (``/proc``, a vanished
    folder) as a timeout, as if someone held it: with no lock file there is no holder, so
    raise the OS error that creating it gives instead."""
    if lock_file.exists():
        return
    fd = os.open(lock_file, os.O_RDWR | os.O_CREAT, 0o644)  # raises the real reason
    os.close(fd)  # it could be made after all: a holder that just left; report as before


def _write_holder(forum: Path, holder: HolderInfo) -> None:
    # Not fsynced on purpose: after a power loss the lock is gone anyway.
    holder_path(forum).write_bytes(orjson.dumps(asdict(holder)))


def _wait_for_holder(forum: Path) -> HolderInfo:
    """The holder as recorded; a holder that just took the lock may not have written it yet."""
    deadline = time.monotonic() + HOLDER_WAIT_S
    while (holder := _load_holder(forum)) is None:
        if time.monotonic() >= deadline:
            return HolderInfo(host="", pid=0, since="", operator="")
        time.sleep(0.05)
    return holder


def _clock(since: str) -> str:
    """``HH.MM`` (Indonesian style), with the date when it was not today."""
    try:
        moment = datetime.fromisoformat(since)
    except ValueError:
        return "waktu tak dikenal"
    if moment.tzinfo is not None:
        moment = moment.astimezone()
    text = moment.strftime("%H.%M")
    if moment.date() != datetime.now().date():
        text += moment.strftime(" tanggal %d-%m-%Y")
    return text
