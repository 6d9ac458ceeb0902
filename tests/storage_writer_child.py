"""A forum writer run as a separate process by the storage tests (it gets killed on purpose).

Modes:
    write PATH COUNT [--compact-every N] [--tear] [--slow-compaction]
        Each step is one transaction that inserts item ``n`` into ``items`` and sets the
        ``counter`` document (id 1) to ``n``; "ack n" is printed once it returned, i.e. once
        it is durable. So a healthy file always has exactly ``counter`` items, 1..counter.
        ``--tear`` writes each journal line in two halves with a pause between (printing
        "half-written"), so the parent can kill it with a torn last line.
        ``--slow-compaction`` prints "compacting" and pauses between the pieces of each
        compaction's snapshot (written in the background while writes go on), so the parent
        can kill it mid-compaction.
    hold PATH OPERATOR [--blind-to-mounts]
        Open the forum for writing, print "ready", and wait to be killed.
    ``--blind-to-mounts`` hides the mount table from the store, as on a system without
    ``/proc``: only the lock on the file's identity then guards a bind-mounted file.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import store.file_mounts as file_mounts
import store.storage as storage
import store.storage_io as storage_io
from store.storage import ForumDatabase

PAD = "x" * 300  # documents of a realistic size, so compactions take a moment


def say(line: str) -> None:
    """One line in one write: the compaction thread and the writer print concurrently."""
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


def write(path: Path, count: int, compact_every: int, tear: bool, slow: bool) -> None:
    storage.COMPACT_LINES = compact_every
    if tear:
        storage_io.os = _TearingOs()
    if slow:
        _slow_down_compaction()
    db = ForumDatabase.open(path, operator="anak")
    items = db.table("items")
    counter = db.table("counter")
    start = counter.get(doc_id=1)["value"] + 1
    for n in range(start, start + count):
        with db.transaction():
            items.insert({"n": n, "pad": PAD})
            counter.update({"value": n}, doc_ids=[1])
        say(f"ack {n}")
    db.close()


class _TearingOs:
    """``os`` for the storage, except that ``write`` writes half of what it gets, then pauses.

    A kill during a small ``write()`` never tears it (the kernel finishes the call), but a
    short write or a power loss can; this makes that moment reachable on purpose.
    """

    def __getattr__(self, name: str):
        return getattr(os, name)

    def write(self, fd: int, data) -> int:
        if len(data) < 2:
            return os.write(fd, data)
        written = os.write(fd, data[: len(data) // 2])
        say("half-written")
        time.sleep(0.002)
        return written


def _slow_down_compaction() -> None:
    """Pause between the pieces of each compaction's snapshot (written by the storage's
    background thread while this process keeps writing and acknowledging)."""
    original = storage.encode_snapshot_pieces

    def paced(frozen, sealer=None):
        for piece in original(frozen, sealer):
            yield piece
            say("compacting")
            time.sleep(0.02)

    storage.encode_snapshot_pieces = paced


def hold(path: Path, operator: str) -> None:
    db = ForumDatabase.open(path, operator=operator)  # held: a dropped one frees its lock
    print("ready", flush=True)
    time.sleep(600)
    db.close()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("mode", choices=["write", "hold"])
    parser.add_argument("path", type=Path)
    parser.add_argument("arg")
    parser.add_argument("--compact-every", type=int, default=storage.COMPACT_LINES)
    parser.add_argument("--tear", action="store_true")
    parser.add_argument("--slow-compaction", action="store_true")
    parser.add_argument("--blind-to-mounts", action="store_true")
    options = parser.parse_args()
    if options.blind_to_mounts:
        file_mounts.MOUNTINFO = Path("/nonexistent/mountinfo")
    if options.mode == "write":
        write(
            options.path,
            int(options.arg),
            options.compact_every,
            options.tear,
            options.slow_compaction,
        )
    else:
        hold(options.path, options.arg)


if __name__ == "__main__":
    main()
