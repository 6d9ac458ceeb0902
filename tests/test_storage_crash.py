"""kill -9 a writer at random moments: every acknowledged change survives, nothing is torn."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from store.storage import ForumDatabase

pytestmark = pytest.mark.skipif(os.name == "nt", reason="SIGKILL is POSIX; Windows has no kill -9")

CHILD = Path(__file__).with_name("storage_writer_child.py")
RANDOM_KILLS = 30
TEARING_KILLS = 15
COMPACTION_KILLS = 15


class Child:
    """A writer child whose stdout is collected by a thread, so the parent can kill it any time."""

    def __init__(self, *args: str) -> None:
        self.process = subprocess.Popen(
            [sys.executable, str(CHILD), *args],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        self.acks: list[int] = []
        self.compacting = threading.Event()
        self.half_written = threading.Event()
        self.first_ack = threading.Event()
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        for line in self.process.stdout:
            if line.startswith("ack "):
                self.acks.append(int(line.split()[1]))
                self.first_ack.set()
            elif line.startswith("compacting"):
                self.compacting.set()
            elif line.startswith("half-written") and self.acks:
                self.half_written.set()

    def kill(self) -> int:
        """SIGKILL, then the highest change the child had acknowledged before dying."""
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=10)
        self._reader.join(timeout=10)
        return max(self.acks, default=0)


def assert_consistent(path: Path, acknowledged: int) -> int:
    """The file opens (read-only and as writer) and holds exactly changes 1..counter."""
    reader = ForumDatabase.open(path, readonly=True)
    seen_by_reader = reader.table("counter").get(doc_id=1)["value"]
    db = ForumDatabase.open(path, operator="pemeriksa")  # takes over the dead child's lock
    try:
        counter = db.table("counter").get(doc_id=1)["value"]
        numbers = sorted(doc["n"] for doc in db.table("items").all())
    finally:
        db.close()
    assert counter >= acknowledged
    assert seen_by_reader == counter
    assert numbers == list(range(1, counter + 1))
    return counter


def test_kill_9_at_random_moments_loses_no_acknowledged_change(tmp_path: Path) -> None:
    path = tmp_path / "crash.musrenbang"
    ForumDatabase.create(path, {"items": {}, "counter": {1: {"value": 0}}}, operator="uji").close()
    rng = random.Random(20240611)
    total_acks = 0
    for _ in range(RANDOM_KILLS):
        child = Child("write", str(path), "100000", "--compact-every", "40")
        assert child.first_ack.wait(timeout=30), child.process.stderr.read()
        threading.Event().wait(rng.uniform(0, 0.03))
        acknowledged = child.kill()
        total_acks += len(child.acks)
        assert_consistent(path, acknowledged)
    assert total_acks > RANDOM_KILLS  # the kills landed amid real writing


def test_kill_9_mid_line_leaves_a_torn_line_that_is_ignored_then_cut(tmp_path: Path) -> None:
    path = tmp_path / "torn.musrenbang"
    ForumDatabase.create(path, {"items": {}, "counter": {1: {"value": 0}}}, operator="uji").close()
    rng = random.Random(99)
    torn = 0
    for _ in range(TEARING_KILLS):
        child = Child("write", str(path), "100000", "--tear")
        assert child.half_written.wait(timeout=30), child.process.stderr.read()
        threading.Event().wait(rng.uniform(0, 0.004))
        acknowledged = child.kill()
        torn += not path.read_bytes().endswith(b"\n")
        assert_consistent(path, acknowledged)
        assert path.read_bytes().endswith(b"\n")  # the writer cut the torn line off
    assert torn > 0


def test_kill_9_during_compaction_loses_no_acknowledged_change(tmp_path: Path) -> None:
    path = tmp_path / "compaction.musrenbang"
    ForumDatabase.create(path, {"items": {}, "counter": {1: {"value": 0}}}, operator="uji").close()
    rng = random.Random(7)
    leftovers = 0
    for _ in range(COMPACTION_KILLS):
        child = Child("write", str(path), "100000", "--compact-every", "15", "--slow-compaction")
        assert child.compacting.wait(timeout=30), child.process.stderr.read()
        threading.Event().wait(rng.uniform(0, 0.05))
        acknowledged = child.kill()
        leftovers += path.with_name(path.name + ".tmp").exists()
        assert_consistent(path, acknowledged)
        assert not path.with_name(path.name + ".tmp").exists()  # the next writer cleaned up
    assert leftovers > 0  # some kills really hit a compaction half-way


def test_writes_are_acknowledged_while_a_compaction_runs(tmp_path: Path) -> None:
    """Compaction is off the writer's path: changes keep being made durable meanwhile."""
    path = tmp_path / "background.musrenbang"
    ForumDatabase.create(path, {"items": {}, "counter": {1: {"value": 0}}}, operator="uji").close()
    child = Child("write", str(path), "100000", "--compact-every", "15", "--slow-compaction")
    assert child.compacting.wait(timeout=30), child.process.stderr.read()
    at_start = len(child.acks)
    threading.Event().wait(0.05)  # the paced compaction is still writing its pieces
    acknowledged = child.kill()
    assert len(child.acks) > at_start
    assert_consistent(path, acknowledged)


def test_a_follower_across_kills_mid_compaction_always_matches_a_fresh_open(
    tmp_path: Path,
) -> None:
    """One display-like follower for the whole run: each kill mid-compaction, each takeover
    (which compacts on close) leaves it equal to a fresh open, read on or re-read."""
    path = tmp_path / "follow.musrenbang"
    ForumDatabase.create(path, {"items": {}, "counter": {1: {"value": 0}}}, operator="uji").close()
    follower = ForumDatabase.open(path, readonly=True)
    rng = random.Random(14)
    went_on = 0

    def follow() -> None:
        nonlocal went_on
        generation = follower._header["generation"]
        follower.refresh()
        went_on += (
            follower._header["generation"] != generation and follower.changed_tables is not None
        )
        fresh = ForumDatabase.open(path, readonly=True)
        assert follower.raw_state() == fresh.raw_state()
        fresh.close()

    for _ in range(COMPACTION_KILLS // 2):
        child = Child("write", str(path), "100000", "--compact-every", "15", "--slow-compaction")
        assert child.compacting.wait(timeout=30), child.process.stderr.read()
        for _ in range(rng.randint(0, 6)):  # the display reads on while the snapshot is written
            follower.refresh()
            threading.Event().wait(0.01)
        acknowledged = child.kill()
        follow()
        assert_consistent(path, acknowledged)
        follow()
    follower.close()
    assert went_on > 0  # some compactions were read on, not re-read
