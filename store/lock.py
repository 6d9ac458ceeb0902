"""The single-writer lock of a forum file, and who holds it.

An OS file lock (``filelock``) on ``NAME.musrenbang.lock`` decides who writes: the OS drops it
when the holder dies, so a crashed laptop session never keeps a forum locked. The lock file
itself cannot be read on Windows while locked, so the holder's identity (host, pid, since,
operator) goes into a sidecar ``NAME.musrenbang.lock.json`` that refused writers and readers
read to name who holds the forum.
"""

from __future__ import annotations

import contextlib
import getpass
import os
import socket
import time
from dataclasses import asdict, dataclass
from datetime import datetime
from pathlib import Path

import orjson
from filelock import FileLock, Timeout

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
        self.holder: HolderInfo | None = None

    def acquire(self, operator: str) -> HolderInfo:
        """Take the lock without waiting, or raise ``ForumLocked`` naming the live holder."""
        try:
            self._lock.acquire(blocking=False)
        except Timeout:
            _raise_if_unlockable(lock_path(self.forum))
            raise ForumLocked(_wait_for_holder(self.forum)) from None
        holder = HolderInfo(
            host=socket.gethostname(),
            pid=os.getpid(),
            since=datetime.now().astimezone().isoformat(timespec="seconds"),
            operator=operator or default_operator(),
        )
        try:
            _write_holder(self.forum, holder)
        except BaseException:
            self._lock.release()
            raise
        self.holder = holder
        return holder

    def release(self) -> None:
        if self.holder is None:
            return
        with contextlib.suppress(OSError):
            holder_path(self.forum).unlink()
        self._lock.release()
        self.holder = None


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
