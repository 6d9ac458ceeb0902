"""One writer at a time, named when refused; a dead writer's lock is taken over."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
from datetime import datetime, timedelta
from pathlib import Path

import pytest

try:
    import fcntl
except ImportError:  # Windows: the identity tests below are skipped
    fcntl = None

from store.lock import HolderInfo, WriteLock, holder_path, read_holder
from store.storage import ForumDatabase, ForumLocked

CHILD = Path(__file__).with_name("storage_writer_child.py")
MESSAGE = re.compile(
    r"^Forum sedang dibuka untuk ditulis oleh (?P<op>.+) di (?P<host>.+) "
    r"sejak (?P<clock>\d\d\.\d\d)$"
)


@pytest.fixture
def path(tmp_path: Path) -> Path:
    path = tmp_path / "kunci.musrenbang"
    ForumDatabase.create(path, {"t": {1: {"a": 1}}}, operator="pembuat").close()
    return path


@pytest.fixture
def holder_process(path: Path):
    """A separate process holding the forum open for writing as operator "Wati"."""
    process = subprocess.Popen(
        [sys.executable, str(CHILD), "hold", str(path), "Wati"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert process.stdout.readline().strip() == "ready", process.stderr.read()
    yield process
    process.kill()
    process.wait()


def test_a_second_writer_in_this_process_is_refused_naming_the_holder(path: Path) -> None:
    db = ForumDatabase.open(path, operator="Sari")
    with pytest.raises(ForumLocked) as refused:
        ForumDatabase.open(path, operator="Budi")
    holder = refused.value.holder
    assert (holder.operator, holder.pid, holder.host) == ("Sari", os.getpid(), socket.gethostname())
    match = MESSAGE.match(str(refused.value))
    assert match and match["op"] == "Sari"
    assert match["clock"] == datetime.fromisoformat(holder.since).strftime("%H.%M")
    db.close()
    ForumDatabase.open(path, operator="Budi").close()  # free again after close


def test_a_writer_in_another_process_is_named(path: Path, holder_process) -> None:
    with pytest.raises(ForumLocked) as refused:
        ForumDatabase.open(path, operator="Sari")
    assert refused.value.holder.operator == "Wati"
    assert refused.value.holder.pid == holder_process.pid
    assert "pid" not in str(refused.value)  # technical detail, not for the message


def test_creating_over_a_held_forum_is_refused_without_touching_it(
    path: Path, holder_process
) -> None:
    before = path.read_bytes()
    with pytest.raises(Exception, match="sudah ada"):
        ForumDatabase.create(path, {}, operator="Sari")
    assert path.read_bytes() == before


def test_readers_ignore_the_lock_and_can_name_the_holder(path: Path, holder_process) -> None:
    reader = ForumDatabase.open(path, readonly=True)
    assert reader.table("t").get(doc_id=1) == {"a": 1}
    assert reader.holder.operator == "Wati"
    assert reader.holder.pid == holder_process.pid


def test_a_killed_holder_is_taken_over(path: Path, holder_process) -> None:
    holder_process.kill()
    holder_process.wait()
    reader = ForumDatabase.open(path, readonly=True)
    assert reader.holder is None  # the recorded holder is dead
    db = ForumDatabase.open(path, operator="Sari")
    assert db.holder.operator == "Sari"
    assert read_holder(path).pid == os.getpid()
    db.table("t").insert({"b": 2})
    db.close()
    assert read_holder(path) is None
    assert not holder_path(path).exists()


def test_holder_description_shows_the_date_when_not_today() -> None:
    yesterday = (datetime.now().astimezone() - timedelta(days=1)).replace(hour=9, minute=5)
    holder = HolderInfo(host="LAPTOP-1", pid=42, since=yesterday.isoformat(), operator="Sari")
    text = str(ForumLocked(holder))
    assert text.startswith("Forum sedang dibuka untuk ditulis oleh Sari di LAPTOP-1 sejak")
    assert f"sejak 09.05 tanggal {yesterday:%d-%m-%Y}" in text


def test_an_unknown_holder_is_still_described() -> None:
    text = str(ForumLocked(HolderInfo(host="", pid=0, since="", operator="")))
    assert "proses lain" in text and "tak dikenal" not in text
    partly = str(ForumLocked(HolderInfo(host="", pid=7, since="", operator="Sari")))
    assert "Sari di komputer tak dikenal" in partly


# -- the lock on the file's own identity (one file, whatever path reaches it) ----------------

posix_only = pytest.mark.skipif(os.name == "nt", reason="flock on the file itself: POSIX only")


@pytest.fixture
def other_sidecar(monkeypatch):
    """Locks made inside ``with other_sidecar():`` find their sidecar under another name, as
    a lock taken through a bind-mounted path would: only the file's identity is shared."""
    import contextlib

    import store.lock as lock_module

    original = lock_module.lock_path

    @contextlib.contextmanager
    def elsewhere():
        with monkeypatch.context() as patch:
            patch.setattr(
                lock_module, "lock_path", lambda forum: original(forum).with_suffix(".lain")
            )
            patch.setattr(
                lock_module,
                "holder_path",
                lambda forum: original(forum).with_suffix(".lain.json"),
            )
            yield

    return elsewhere


@posix_only
def test_another_sidecar_to_the_same_file_is_refused_while_held(path: Path, other_sidecar) -> None:
    before = path.read_bytes()
    first = WriteLock(path)
    first.acquire("Sari")
    with other_sidecar():
        second = WriteLock(path)
        with pytest.raises(ForumLocked) as refused:
            second.acquire("Budi")
    assert "proses lain" in str(refused.value)
    assert path.read_bytes() == before  # the forum file is never truncated by its lock
    first.release()
    with other_sidecar():
        second.acquire("Budi")  # free once the holder released it
        second.release()


@posix_only
def test_a_compaction_moves_the_identity_lock_without_a_gap(path: Path, other_sidecar) -> None:
    db = ForumDatabase.open(path, operator="Sari")
    old = os.open(path, os.O_RDONLY)
    try:
        for n in range(20):
            db.table("t").insert({"n": n})
        db.compact()  # renames a new file over the forum
        assert os.stat(path).st_ino != os.fstat(old).st_ino
        with other_sidecar(), pytest.raises(ForumLocked):
            ForumDatabase.open(path, operator="Budi")  # the new file is held
        fcntl.flock(old, fcntl.LOCK_EX | fcntl.LOCK_NB)  # the old file was let go
        db.table("t").insert({"n": 99})
    finally:
        os.close(old)
        db.close()
    with other_sidecar():
        ForumDatabase.open(path, operator="Budi").close()


@posix_only
def test_a_failed_rename_keeps_the_old_file_locked_and_the_new_one_free(
    path: Path, other_sidecar, monkeypatch
) -> None:
    import store.lock as lock_module

    lock = WriteLock(path)
    lock.acquire("Sari")
    new = path.with_name("baru.tmp")
    new.write_bytes(path.read_bytes())

    def refused(src, dst):
        raise PermissionError("in use")

    monkeypatch.setattr(lock_module, "replace", refused)
    with pytest.raises(PermissionError):
        lock.replace_file(new, path)
    monkeypatch.undo()
    with other_sidecar(), pytest.raises(ForumLocked):
        WriteLock(path).acquire("Budi")
    fd = os.open(new, os.O_RDONLY)
    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)  # nobody holds the file that stayed aside
    os.close(fd)
    lock.release()


@posix_only
def test_a_killed_writer_leaves_the_identity_free(
    path: Path, holder_process, other_sidecar
) -> None:
    with other_sidecar():
        with pytest.raises(ForumLocked):
            WriteLock(path).acquire("Budi")
        holder_process.kill()
        holder_process.wait()
        lock = WriteLock(path)
        lock.acquire("Budi")
        lock.release()


@posix_only
def test_a_path_through_proc_fd_reaches_the_same_lock(path: Path) -> None:
    """``/proc/self/fd/N`` names the file by an open descriptor: resolved, it is the
    forum's own path, so the same sidecar and the same identity refuse it."""
    if not Path("/proc/self/fd").is_dir():
        pytest.skip("no /proc/self/fd on this system")
    db = ForumDatabase.open(path, operator="Sari")
    fd = os.open(path, os.O_RDONLY)
    try:
        with pytest.raises(ForumLocked) as refused:
            ForumDatabase.open(Path(f"/proc/self/fd/{fd}"), operator="Budi")
        assert refused.value.holder.operator == "Sari"
    finally:
        os.close(fd)
        db.close()


@posix_only
def test_a_deleted_copy_is_never_locked(path: Path) -> None:
    """A descriptor whose file lost its name (renamed over, still shown by a bind mount) is
    not the live forum: locking it would make a writer of a file nobody reads."""
    from store.lock import _same_file

    fd = os.open(path, os.O_RDONLY)
    try:
        assert _same_file(fd, path)
        replacement = path.with_name("pengganti")
        replacement.write_bytes(path.read_bytes())
        os.replace(replacement, path)
        assert not _same_file(fd, path)
    finally:
        os.close(fd)
