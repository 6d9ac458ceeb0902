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

from store.lock import HolderInfo, holder_path, read_holder
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
    assert "operator tak dikenal" in text and "komputer tak dikenal" in text
