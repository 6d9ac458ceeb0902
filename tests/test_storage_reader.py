"""Read-only opens follow a live writer and never see half a change."""

from __future__ import annotations

import subprocess
import sys
import threading
from pathlib import Path

import pytest

from store.reader import JournalFollower
from store.storage import ForumDatabase, ForumFileError

CHILD = Path(__file__).with_name("storage_writer_child.py")


def new_counter_forum(path: Path) -> None:
    ForumDatabase.create(path, {"items": {}, "counter": {1: {"value": 0}}}, operator="uji").close()


def assert_whole(reader: ForumDatabase) -> int:
    """Each change inserts item n and sets the counter to n in one transaction."""
    counter = reader.table("counter").get(doc_id=1)["value"]
    numbers = sorted(doc["n"] for doc in reader.table("items").all())
    assert numbers == list(range(1, counter + 1))
    return counter


def test_reader_following_a_writer_process_never_sees_a_torn_state(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "ikut.musrenbang"
    new_counter_forum(path)
    reloads = []
    continued = []
    original = JournalFollower._load_from
    original_continued = JournalFollower._continued

    def counting_load(self, handle):
        reloads.append(1)
        return original(self, handle)

    def counting_continued(self, handle, stat):
        poll = original_continued(self, handle, stat)
        continued.extend([1] if poll is not None else [])
        return poll

    monkeypatch.setattr(JournalFollower, "_load_from", counting_load)
    monkeypatch.setattr(JournalFollower, "_continued", counting_continued)
    reader = ForumDatabase.open(path, readonly=True)
    writer = subprocess.Popen(
        [sys.executable, str(CHILD), "write", str(path), "600", "--compact-every", "50"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    seen = set()
    while writer.poll() is None:
        reader.refresh()
        seen.add(assert_whole(reader))
    assert writer.returncode == 0, writer.stderr.read()
    reader.refresh()
    assert assert_whole(reader) == 600
    assert len(seen) > 20  # really followed the writer, not just read the end
    # and went through compactions: re-read whole, or read on where it continues ours
    assert len(reloads) - 1 + len(continued) > 2


def test_refresh_reports_whether_anything_changed(tmp_path: Path) -> None:
    path = tmp_path / "r.musrenbang"
    writer = ForumDatabase.create(path, {"t": {}}, operator="uji")
    reader = ForumDatabase.open(path, readonly=True)
    assert reader.refresh() is False
    writer.table("t").insert({"a": 1})
    assert reader.refresh() is True
    assert reader.table("t").all() == [{"a": 1}]
    assert reader.last_write_at == writer.last_write_at
    assert reader.refresh() is False
    writer.close()


def test_refresh_drops_the_query_cache(tmp_path: Path) -> None:
    path = tmp_path / "q.musrenbang"
    writer = ForumDatabase.create(path, {"t": {}}, operator="uji")
    reader = ForumDatabase.open(path, readonly=True)

    class HasA:  # a cacheable query (stable hash), like TinyDB's Query objects
        def __call__(self, doc: dict) -> bool:
            return "a" in doc

        def __hash__(self) -> int:
            return 1

        def __eq__(self, other: object) -> bool:
            return isinstance(other, HasA)

    assert reader.table("t").search(HasA()) == []
    writer.table("t").insert({"a": 1})
    reader.refresh()
    assert reader.table("t").search(HasA()) == [{"a": 1}]
    writer.close()


def test_reader_ignores_a_partly_written_line_until_it_is_complete(tmp_path: Path) -> None:
    path = tmp_path / "p.musrenbang"
    ForumDatabase.create(path, {"t": {1: {"v": 0}}}, operator="uji").close()
    reader = ForumDatabase.open(path, readonly=True)
    line = (
        b'{"at":"2025-01-01T08:00:00+07:00","ops":['
        b'{"table":"t","op":"update","doc_id":1,"fields":{"v":1}},'
        b'{"table":"t","op":"insert","doc_id":2,"doc":{"v":2}}]}\n'
    )
    with open(path, "ab") as handle:
        handle.write(line[:60])
    assert reader.refresh() is False
    assert reader.table("t").all() == [{"v": 0}]
    with open(path, "ab") as handle:
        handle.write(line[60:])
    assert reader.refresh() is True
    assert reader.table("t").all() == [{"v": 1}, {"v": 2}]


def test_reader_reloads_after_the_file_was_replaced(tmp_path: Path) -> None:
    path = tmp_path / "c.musrenbang"
    writer = ForumDatabase.create(path, {"t": {}}, operator="uji")
    reader = ForumDatabase.open(path, readonly=True)
    for n in range(3):
        writer.table("t").insert({"n": n})
    writer._compact()
    writer.table("t").insert({"n": 3})
    assert reader.refresh() is True
    assert [d["n"] for d in reader.table("t").all()] == [0, 1, 2, 3]
    writer.close()


def test_reader_survives_the_file_vanishing_for_a_moment(tmp_path: Path) -> None:
    path = tmp_path / "v.musrenbang"
    ForumDatabase.create(path, {"t": {1: {"a": 1}}}, operator="uji").close()
    reader = ForumDatabase.open(path, readonly=True)
    data = path.read_bytes()
    path.unlink()
    assert reader.refresh() is False
    assert reader.table("t").get(doc_id=1) == {"a": 1}
    path.write_bytes(data)
    reader.refresh()
    assert reader.table("t").get(doc_id=1) == {"a": 1}


def test_reader_reports_damage_appearing_in_the_middle(tmp_path: Path) -> None:
    path = tmp_path / "d.musrenbang"
    writer = ForumDatabase.create(path, {"t": {}}, operator="uji")
    reader = ForumDatabase.open(path, readonly=True)
    writer.close()
    with open(path, "ab") as handle:
        handle.write(b"garbage\n" + b'{"at":"x","ops":[]}\n')
    with pytest.raises(ForumFileError, match="rusak"):
        reader.refresh()


@pytest.fixture
def frequent_thread_switches():
    """Switch threads very often, so a read lands in the middle of a write."""
    previous = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)
    yield
    sys.setswitchinterval(previous)


def test_reads_on_another_thread_never_see_a_table_mid_write(
    tmp_path: Path, frequent_thread_switches
) -> None:
    path = tmp_path / "thread.musrenbang"
    db = ForumDatabase.create(path, {"items": {}, "counter": {1: {"value": 0}}}, operator="uji")
    done = threading.Event()
    failures: list[BaseException] = []

    def read_continuously() -> None:
        try:
            while not done.is_set():
                numbers = [doc["n"] for doc in db.table("items").all()]
                assert numbers == list(range(1, len(numbers) + 1))
                assert len(db.table("items").search(lambda doc: doc["n"] > 0)) >= len(numbers)
                with db.transaction():  # holding it gives a view consistent across tables
                    assert_whole(db)
        except BaseException as error:  # reported to the test thread below
            failures.append(error)

    reader = threading.Thread(target=read_continuously)
    reader.start()
    for n in range(1, 301):
        with db.transaction():
            db.table("items").insert({"n": n})
            db.table("counter").update({"value": n}, doc_ids=[1])
        db.table("items").update({"seen": n}, doc_ids=[n])
    done.set()
    reader.join()
    db.close()
    assert failures == []
