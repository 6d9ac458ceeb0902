"""Rolling backups beside the forum, restore, and copy to a flash disk."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import store.backup as backup
import store.storage as storage
from store.backup import backup_dir, copy_to, list_backups, restore
from store.forum import open_forum
from store.storage import ForumDatabase, ForumFileError, ForumLocked
from store.storage_format import parse_forum
from tests.forum_factory import make_forum

CHILD = Path(__file__).with_name("storage_writer_child.py")


@pytest.fixture
def path(tmp_path: Path) -> Path:
    path = tmp_path / "cadang.musrenbang"
    ForumDatabase.create(path, {"t": {1: {"v": 0}}}, operator="uji").close()
    return path


def value(forum: Path) -> int:
    return ForumDatabase.open(forum, readonly=True).table("t").get(doc_id=1)["v"]


def set_value(path: Path, v: int) -> None:
    with ForumDatabase.open(path, operator="uji") as db:
        db.table("t").update({"v": v}, doc_ids=[1])


def test_backups_are_made_on_open_and_close_and_are_forum_files(path: Path) -> None:
    first = list_backups(path)
    assert len(first) == 1  # created, then nothing changed until close
    set_value(path, 1)
    backups = list_backups(path)
    assert len(backups) == 2
    assert backups[0].when >= backups[1].when  # newest first
    for info in backups:
        assert info.size == info.path.stat().st_size
        parse_forum(info.path.read_bytes())
    assert value(backups[0].path) == 1


def test_a_plain_reopen_adds_no_duplicate_backup(path: Path) -> None:
    count = len(list_backups(path))
    ForumDatabase.open(path, operator="uji").close()
    ForumDatabase.open(path, operator="uji").close()
    assert len(list_backups(path)) == count


def test_opening_a_forum_changed_elsewhere_backs_it_up_first(path: Path, tmp_path: Path) -> None:
    other = tmp_path / "salinan"
    other.mkdir()
    copy = copy_to(path, other)[0]
    set_value(copy, 5)
    path.write_bytes(copy.read_bytes())  # e.g. copied back from a flash disk
    ForumDatabase.open(path, operator="uji").close()
    assert value(list_backups(path)[0].path) == 5


def test_only_the_newest_backups_are_kept(path: Path, monkeypatch) -> None:
    monkeypatch.setattr(backup, "KEEP_BACKUPS", 4)
    for v in range(1, 8):
        set_value(path, v)
    backups = list_backups(path)
    assert len(backups) == 4
    assert value(backups[0].path) == 7


def test_a_backup_every_interval_while_writing(path: Path, monkeypatch) -> None:
    monkeypatch.setattr(storage, "BACKUP_INTERVAL_S", 0)
    db = ForumDatabase.open(path, operator="uji")
    before = len(list_backups(path))
    db.table("t").update({"v": 1}, doc_ids=[1])
    db.wait_for_maintenance()  # backups are written in the background
    db.table("t").update({"v": 2}, doc_ids=[1])
    db.wait_for_maintenance()
    assert len(list_backups(path)) == before + 2
    assert value(list_backups(path)[0].path) == 2
    db.close()


def test_restore_replaces_the_forum_and_keeps_the_current_one(path: Path) -> None:
    set_value(path, 1)
    old = list_backups(path)[0].path
    set_value(path, 2)
    restore(path, old)
    assert value(path) == 1
    kept = [b for b in list_backups(path) if "sebelum-pulih" in b.path.name]
    assert len(kept) == 1 and value(kept[0].path) == 2
    db = ForumDatabase.open(path, operator="uji")  # restored file opens for writing
    assert db.table("t").get(doc_id=1) == {"v": 1}
    db.close()


def test_restore_rescues_a_damaged_forum(path: Path) -> None:
    set_value(path, 3)
    good = list_backups(path)[0].path
    path.write_bytes(b"\x00garbage")
    with pytest.raises(ForumFileError) as raised:
        ForumDatabase.open(path)
    assert raised.value.backup == good
    restore(path, raised.value.backup)
    assert value(path) == 3


def test_restore_is_refused_while_a_writer_holds_the_forum(path: Path) -> None:
    old = list_backups(path)[0].path
    holder = subprocess.Popen(
        [sys.executable, str(CHILD), "hold", str(path), "Wati"],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "ready"
        before = path.read_bytes()
        with pytest.raises(ForumLocked, match="Wati"):
            restore(path, old)
        assert path.read_bytes() == before
    finally:
        holder.kill()
        holder.wait()


def test_restoring_a_bad_backup_changes_nothing(path: Path, tmp_path: Path) -> None:
    bad = tmp_path / "bukan.musrenbang"
    bad.write_bytes(b'{"a":1}')
    before = path.read_bytes()
    count = len(list_backups(path))
    with pytest.raises(ForumFileError, match="tidak dapat dipulihkan"):
        restore(path, bad)
    assert path.read_bytes() == before
    assert len(list_backups(path)) == count


def test_copy_to_copies_the_forum_and_its_backups(path: Path, tmp_path: Path) -> None:
    set_value(path, 4)
    flash = tmp_path / "flashdisk"
    copies = copy_to(path, flash)
    assert copies[0] == flash / path.name
    assert value(copies[0]) == 4
    assert sorted(p.name for p in backup_dir(copies[0]).iterdir()) == sorted(
        b.path.name for b in list_backups(path)
    )
    assert len(copies) == 1 + len(list_backups(path))
    assert copy_to(path, flash) == copies  # again: same files, nothing duplicated


def test_copy_to_while_a_writer_writes_gets_a_consistent_file(path: Path, tmp_path: Path) -> None:
    db = ForumDatabase.open(path, operator="uji")
    db.table("t").update({"v": 9}, doc_ids=[1])
    with open(path, "ab") as handle:
        handle.write(b'{"at":"2025-01-01","ops":[')  # a line being written right now
    copy = copy_to(path, tmp_path / "usb")[0]
    assert copy.read_bytes().endswith(b"\n")
    assert value(copy) == 9
    db.close()


def test_copy_to_refuses_a_damaged_forum(path: Path, tmp_path: Path) -> None:
    path.write_bytes(b"rusak")
    with pytest.raises(ForumFileError):
        copy_to(path, tmp_path / "usb")
    assert not (tmp_path / "usb").exists()


def test_copy_to_reports_progress_per_file(tmp_path):
    from store.backup import copy_to, list_backups
    from store.storage import ForumDatabase

    path = tmp_path / "f.musrenbang"
    db = ForumDatabase.create(path, {"t": {}}, operator="uji")
    db.table("t").insert({"a": 1})
    db.close()
    with ForumDatabase.open(path, operator="uji") as again:
        again.table("t").insert({"a": 2})
    seen = []
    copies = copy_to(path, tmp_path / "flashdisk", progress=lambda d, t: seen.append((d, t)))
    total = len(list_backups(path)) + 1
    assert len(copies) == total
    assert seen == [(done, total) for done in range(1, total + 1)]


def test_a_kill_while_the_opening_backup_is_written_leaves_forum_and_backups_readable(
    tmp_path: Path,
) -> None:
    """The backup of the file as opened is written in the background: killed at once
    (kill -9 right after "ready", the backup of a few MB most likely mid-write), the forum
    still opens with every record and every backup listed is a whole forum file."""
    path = tmp_path / "besar.musrenbang"
    rows = {n: {"v": n, "teks": "x" * 400} for n in range(1, 8001)}
    ForumDatabase.create(path, {"t": rows}, operator="uji").close()
    set_value(path, 7)  # so the next open's file differs from the newest backup
    for _ in range(3):
        holder = subprocess.Popen(
            [sys.executable, str(CHILD), "hold", str(path), "Wati"],
            stdout=subprocess.PIPE,
            text=True,
        )
        assert holder.stdout.readline().strip() == "ready"
        holder.kill()
        holder.wait()
        set_value(path, 8)
    assert value(path) == 8
    assert len(ForumDatabase.open(path, readonly=True).table("t").all()) == 8000
    for info in list_backups(path):
        parse_forum(info.path.read_bytes())  # raises FormatProblem on a torn backup


def test_a_refusal_never_names_another_forums_backup(tmp_path):
    """A backup copied in from another forum parses and passes the checks, but the restore
    the advice suggests would refuse it: it is never the one named."""
    import shutil

    from store.backup import list_backups, newest_good_backup

    ours = make_forum(tmp_path / "ours.musrenbang")
    ours.close()
    other = make_forum(tmp_path / "other.musrenbang")
    other.close()
    folder = tmp_path / "ours.musrenbang.backup"
    folder.mkdir(exist_ok=True)
    stranger = folder / "ours-20991231-235959-000000.musrenbang"
    shutil.copyfile(tmp_path / "other.musrenbang", stranger)
    assert stranger in [info.path for info in list_backups(tmp_path / "ours.musrenbang")]
    named = newest_good_backup(tmp_path / "ours.musrenbang")
    assert named is None or named.path != stranger


def test_a_backup_that_cannot_be_written_is_named_then_cleared(tmp_path: Path, monkeypatch) -> None:
    """A failed background backup is kept for the status bar, never silent; the next
    backup that succeeds clears it. (A file in the backup folder's place: as root, a mode
    bit would not stop the write.)"""
    path = tmp_path / "cadangan.musrenbang"
    make_forum(path).close()
    folder = backup_dir(path)
    shutil.rmtree(folder)
    folder.write_bytes(b"bukan folder")
    monkeypatch.setattr(storage, "BACKUP_INTERVAL_S", 0)
    with open_forum(path) as forum:
        assert forum.backup_problem == "namanya sudah dipakai berkas lain"  # seen at once
        forum.minutes.add("catatan")
        forum._db.wait_for_maintenance()
        assert forum.backup_problem == "namanya sudah dipakai berkas lain"
        folder.unlink()
        forum.minutes.add("catatan lagi")
        forum._db.wait_for_maintenance()
        assert forum.backup_problem is None
        assert list_backups(path)


def test_same_start_compares_every_byte_past_the_first_megabyte(tmp_path: Path) -> None:
    from store.backup import _same_start

    data = bytes(range(256)) * 9000  # ~2.2 MB: three reads
    forum = tmp_path / "f"
    forum.write_bytes(data + b"appended later")
    stored = tmp_path / "b"
    stored.write_bytes(data)
    assert _same_start(stored, forum, len(data))
    changed = bytearray(data)
    changed[(1 << 20) + 7] ^= 1  # same size, one byte differs in the second read
    stored.write_bytes(bytes(changed))
    assert not _same_start(stored, forum, len(data))
    stored.write_bytes(data + b"x")  # the backup is longer
    assert not _same_start(stored, forum, len(data))
    stored.write_bytes(data[:-1])  # the backup is shorter
    assert not _same_start(stored, forum, len(data))


def test_a_backup_copies_the_file_as_a_writer_knows_it(tmp_path: Path) -> None:
    """``size``: the bytes as opened, never the lines appended meanwhile; a file shorter
    than that (replaced) gives no backup at all."""
    from store.backup import make_backup

    forum = tmp_path / "f.musrenbang"
    forum.write_bytes(b"x" * 3_000_000 + b"appended")
    kept = make_backup(forum, size=3_000_000)
    assert kept.read_bytes() == b"x" * 3_000_000
    with pytest.raises(OSError):
        make_backup(forum, size=4_000_000)
    assert [info.path for info in list_backups(forum)] == [kept]
