"""A follower keeps its state across a compaction that continues what it read, and re-reads
the whole file in every other case (issue 14: the display froze seconds after each one)."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from pathlib import Path

import orjson
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import store.migrations as migrations
import store.storage as storage
from store.reader import JournalFollower
from store.storage import ForumDatabase
from tests.forum_layout import layout


class Deferred:
    """Stands in for the storage's background thread: the job runs when ``wait`` is called,
    so a test can write (and let the follower read) between the freeze and the swap."""

    def __init__(self) -> None:
        self.job: Callable[[], None] | None = None

    @property
    def busy(self) -> bool:
        return self.job is not None

    def start(self, job: Callable[[], None]) -> None:
        self.job = job

    def wait(self) -> None:
        job, self.job = self.job, None
        if job is not None:
            job()


@pytest.fixture(autouse=True)
def explicit_compactions(monkeypatch: pytest.MonkeyPatch) -> None:
    """Compactions only when a test asks; no backups in between."""
    monkeypatch.setattr(storage, "COMPACT_LINES", 10**9)
    monkeypatch.setattr(storage, "COMPACT_MIN_BYTES", 10**12)
    monkeypatch.setattr(storage, "BACKUP_INTERVAL_S", 10**9)


@pytest.fixture
def reloads(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """One entry per full re-read of the file by any follower (the first load included)."""
    seen: list[int] = []
    original = JournalFollower._load_from

    def counting(self, handle):
        seen.append(1)
        return original(self, handle)

    monkeypatch.setattr(JournalFollower, "_load_from", counting)
    return seen


def writer_with_deferred_compaction(path: Path) -> tuple[ForumDatabase, Deferred]:
    db = ForumDatabase.create(path, {"a": {}, "b": {}}, operator="uji")
    deferred = db._background = Deferred()
    return db, deferred


def contents(db: ForumDatabase) -> dict:
    tables, next_ids = db.raw_state()
    return {"tables": tables, "next_ids": next_ids, "last": db.last_write_at}


def fresh(path: Path) -> dict:
    reader = ForumDatabase.open(path, readonly=True)
    try:
        return orjson.loads(orjson.dumps(contents(reader)))
    finally:
        reader.close()


def same_as_fresh(reader: ForumDatabase, path: Path) -> None:
    assert orjson.loads(orjson.dumps(contents(reader))) == fresh(path)


def header_of(path: Path) -> dict:
    return orjson.loads(path.read_bytes().split(b"\n", 1)[0])


# -- the writer says where the new file continues the old one ---------------------------------


def test_background_compaction_header_says_where_it_continues(tmp_path: Path) -> None:
    path = tmp_path / "h.musrenbang"
    db, deferred = writer_with_deferred_compaction(path)
    db.table("a").insert({"x": 1})
    old = path.read_bytes()
    old_generation = header_of(path)["generation"]
    db._start_compaction()
    db.table("b").insert({"y": 2})  # written between the freeze and the swap
    tail = path.read_bytes()[len(old) :]
    deferred.wait()
    data = path.read_bytes()
    link = header_of(path)["continues"]
    assert link["generation"] == old_generation
    assert link["offset"] == len(old)
    assert data[link["at"] - 1 : link["at"]] == b"\n"  # the snapshot line ends there
    parts = layout(data[: link["at"]])
    assert not parts.journal  # header, table lines, snapshot line: nothing else
    assert data.count(b"\n", 0, link["at"]) == 2 + len(parts.table_lines)
    assert data[link["at"] :] == tail
    db.close()


def test_sync_compaction_continues_from_the_end(tmp_path: Path) -> None:
    path = tmp_path / "s.musrenbang"
    db, _ = writer_with_deferred_compaction(path)
    db.table("a").insert({"x": 1})
    length = path.stat().st_size
    db.compact()
    link = header_of(path)["continues"]
    assert link["offset"] == length
    assert link["at"] == path.stat().st_size
    db.close()


# -- a follower that has read far enough goes on -------------------------------------------


def test_follower_past_the_mark_keeps_its_state_and_hears_only_new_tables(
    tmp_path: Path, reloads: list[int]
) -> None:
    path = tmp_path / "f.musrenbang"
    db, deferred = writer_with_deferred_compaction(path)
    db.table("a").insert({"x": 1})
    reader = ForumDatabase.open(path, readonly=True)
    stamp = reader.table_version("a")
    db._start_compaction()
    db.table("a").update({"x": 2}, doc_ids=[1])
    assert reader.refresh() and reader.changed_tables == {"a"}  # read past the mark
    stamp_after = reader.table_version("a")
    deferred.wait()
    db.table("b").insert({"y": 3})
    assert reader.refresh() is True
    assert reader.changed_tables == {"b"}  # not None: no full reload
    assert reloads == [1]  # the first open only
    assert reader.changed_since("a", stamp) == {1}  # version stamps still valid
    assert reader.changed_since("a", stamp_after) == set()
    assert reader.changed_since("b", reader.table_version("b")) == set()
    same_as_fresh(reader, path)
    assert reader.refresh() is False and reader.changed_tables == frozenset()
    db.close()


def test_follower_exactly_at_the_mark_goes_on(tmp_path: Path, reloads: list[int]) -> None:
    path = tmp_path / "m.musrenbang"
    db, deferred = writer_with_deferred_compaction(path)
    db.table("a").insert({"x": 1})
    reader = ForumDatabase.open(path, readonly=True)
    db._start_compaction()
    deferred.wait()
    assert reader.refresh() is False  # nothing new: the compaction alone changes nothing
    db.table("a").insert({"x": 2})
    assert reader.refresh() and reader.changed_tables == {"a"}
    assert reloads == [1]
    same_as_fresh(reader, path)
    db.close()


@pytest.mark.parametrize(
    ("writes_unread", "compactions"),
    [(1, 1), (0, 2)],  # behind the mark; or the file continues a generation never seen
    ids=["behind the mark", "two compactions behind"],
)
def test_a_follower_that_lagged_reloads_fully(
    tmp_path: Path, reloads: list[int], writes_unread: int, compactions: int
) -> None:
    path = tmp_path / "l.musrenbang"
    db, deferred = writer_with_deferred_compaction(path)
    db.table("a").insert({"x": 0})
    reader = ForumDatabase.open(path, readonly=True)
    for n in range(writes_unread):  # before the mark, never read by the follower
        db.table("a").insert({"x": n + 1})
    for _ in range(compactions):
        db._start_compaction()
        deferred.wait()
    assert reader.refresh() is True
    assert reader.changed_tables is None
    assert len(reloads) == 2
    same_as_fresh(reader, path)
    db.close()


def test_follower_goes_on_across_close_and_reopen(tmp_path: Path, reloads: list[int]) -> None:
    path = tmp_path / "c.musrenbang"
    db, _ = writer_with_deferred_compaction(path)
    db.table("a").insert({"x": 1})
    reader = ForumDatabase.open(path, readonly=True)
    db.close()  # compacts: the journal outweighs a tenth of the snapshot
    assert "continues" in header_of(path)
    writer = ForumDatabase.open(path, operator="uji")
    writer.table("b").insert({"y": 1})
    assert reader.refresh() and reader.changed_tables == {"b"}
    assert reloads == [1]
    same_as_fresh(reader, path)
    writer.close()


# -- anything odd: re-read everything, never keep a wrong state --------------------------------


def forged(path: Path, header: dict, body: bytes) -> None:
    """Replace the forum with ``header`` + ``body`` (a new file renamed in, as a writer does)."""
    replacement = path.with_suffix(".palsu")
    replacement.write_bytes(orjson.dumps(header) + b"\n" + body)
    os.replace(replacement, path)


def followed_forum(path: Path) -> tuple[ForumDatabase, bytes, dict, bytes]:
    """A follower that has read two journal lines; the file's bytes, header, snapshot line."""
    pad = {"pad": {1: {"text": "x" * 10_000}}}  # so that close does not compact
    db = ForumDatabase.create(path, {"a": {}, **pad}, operator="uji")
    db.table("a").insert({"x": 1})
    db.table("a").insert({"x": 2})
    db.close()
    parts = layout(path)
    assert len(parts.journal) == 2
    reader = ForumDatabase.open(path, readonly=True)
    data = path.read_bytes()
    snapshot = b"".join(line + b"\n" for line in [*parts.table_lines, parts.snapshot_line])
    return reader, data, orjson.loads(parts.header), snapshot


def lying_snapshot(tables: dict) -> bytes:
    return orjson.dumps({"tables": tables, "next_ids": {}, "last_write_at": None}) + b"\n"


def forge_continuation(
    path: Path, header: dict, offset: int, body: bytes, snapshot: bytes, odd=None
) -> None:
    """Replace the forum by ``snapshot`` + ``body`` under a header claiming to continue
    ``header``'s generation from ``offset``; ``odd(header, link)`` may spoil either in place
    (``at`` is right for the header as spoilt, unless ``odd`` sets it)."""
    new_header = {**header, "generation": "baru"}
    at = 0
    for _ in range(3):  # "at" depends on the header's own length
        new_header["continues"] = {"generation": header["generation"], "offset": offset, "at": at}
        if odd is not None:
            odd(new_header, new_header["continues"])
        at = len(orjson.dumps(new_header)) + 1 + len(snapshot)
    forged(path, new_header, snapshot + body)


ODDITIES = {
    "not a dict": lambda header, link: header.update(continues="lanjutan"),
    "other generation": lambda header, link: link.update(generation="f" * 15 + "x"),
    "unknown key": lambda header, link: link.update(extra=1),
    "offset a bool": lambda header, link: link.update(offset=True),
    "offset a string": lambda header, link: link.update(offset=str(link["offset"])),
    "offset past what was read": lambda header, link: link.update(offset=link["offset"] + 1),
    "at inside the header": lambda header, link: link.update(at=5),
    "at not after a newline": lambda header, link: link.update(at=link["at"] - 1),
    "other schema": lambda header, link: header.update(schema=0),
}


@pytest.mark.parametrize("odd", ODDITIES.values(), ids=ODDITIES.keys())
def test_odd_continuation_reloads(tmp_path: Path, odd, reloads: list[int], monkeypatch) -> None:
    monkeypatch.setitem(migrations.MIGRATIONS, 0, lambda tables: tables)  # for "other schema"
    path = tmp_path / "x.musrenbang"
    reader, data, header, _ = followed_forum(path)
    truth = {"9": {"benar": True}}
    forge_continuation(path, header, len(data), b"", lying_snapshot({"a": truth}), odd)
    assert reader.refresh() and reader.changed_tables is None
    assert reader.raw_state()[0] == {"a": truth}
    assert len(reloads) == 2


def test_a_well_formed_continuation_is_taken_at_its_word(
    tmp_path: Path, reloads: list[int]
) -> None:
    """The control of the test above: the same forged file with a sound continuation is
    followed without a re-read (the snapshot's claim is the writer's, not checked)."""
    path = tmp_path / "w.musrenbang"
    reader, data, header, _ = followed_forum(path)
    forge_continuation(path, header, len(data), b"", lying_snapshot({"a": {"9": {}}}))
    assert reader.refresh() is False
    assert len(reloads) == 1
    assert reader.raw_state()[0]["a"] == {"1": {"x": 1}, "2": {"x": 2}}


def last_line_of(data: bytes) -> bytes:
    return data[data.rfind(b"\n", 0, len(data) - 1) + 1 :]


def test_continuation_whose_bytes_differ_from_what_was_read_reloads(
    tmp_path: Path, reloads: list[int]
) -> None:
    path = tmp_path / "d.musrenbang"
    reader, data, header, _ = followed_forum(path)
    last_line = last_line_of(data)
    mark = len(data) - len(last_line)  # claims the follower's last line lies after the mark
    altered = last_line.replace(b'"x":2', b'"x":7')
    forge_continuation(path, header, mark, altered, lying_snapshot({"a": {"1": {"x": 1}}}))
    assert reader.refresh() and reader.changed_tables is None
    assert reader.raw_state()[0]["a"]["2"] == {"x": 7}  # what the file now says, re-read
    assert len(reloads) == 2


def test_continuation_into_a_file_too_short_reloads(tmp_path: Path, reloads: list[int]) -> None:
    path = tmp_path / "p.musrenbang"
    reader, data, header, snapshot = followed_forum(path)
    last_line = last_line_of(data)
    cut = last_line[:-1]  # the line is not all there
    forge_continuation(path, header, len(data) - len(last_line), cut, snapshot)
    reader.refresh()
    assert len(reloads) == 2


def test_a_restored_backup_of_the_same_generation_reloads(
    tmp_path: Path, reloads: list[int]
) -> None:
    path = tmp_path / "r.musrenbang"
    db, _ = writer_with_deferred_compaction(path)
    db.table("a").insert({"x": 1})
    copy = path.read_bytes()
    db.table("a").insert({"x": 2})
    reader = ForumDatabase.open(path, readonly=True)
    db.close()
    replacement = path.with_suffix(".lama")
    replacement.write_bytes(copy)  # same header line, other inode, shorter
    os.replace(replacement, path)
    assert reader.refresh() and reader.changed_tables is None
    assert len(reloads) == 2
    same_as_fresh(reader, path)


# -- an erase leaves no erased value in a follower ------------------------------------------------


def test_erase_compaction_leaves_no_erased_value_in_a_follower(
    tmp_path: Path, reloads: list[int]
) -> None:
    path = tmp_path / "e.musrenbang"
    nik = "3516134107950003"
    db, _ = writer_with_deferred_compaction(path)
    db.table("a").insert({"nik": nik})
    reader = ForumDatabase.open(path, readonly=True)
    db.table("a").update({"nik": ""}, doc_ids=[1])  # the scrub
    assert reader.refresh()  # the follower read the scrub...
    db.compact()  # ...then the erase's compaction
    db.table("b").insert({"after": 1})
    assert reader.refresh() and reader.changed_tables == {"b"}
    assert reloads == [1]
    assert nik not in repr(reader.raw_state())
    assert nik.encode() not in reader._follower._tail  # nor in the bytes it keeps
    assert nik.encode() not in path.read_bytes()
    same_as_fresh(reader, path)
    db.close()


def test_forum_purge_with_a_display_following(forum, monkeypatch, reloads) -> None:
    """The real erase through ``Signoff.purge_personal``, a display having read its scrub."""
    import store.purge
    from store.forum import open_forum
    from tests.forum_factory import make_ready

    nik, phone = "3516134107950003", "081234567890"
    forum.participants.add(nama="Siti", jenis_kelamin="P", nik=nik, telepon=phone)
    display = open_forum(forum.path, readonly=True)
    make_ready(forum).signoff.finalize()
    forum.signoff.sign("sekcam", "S")
    forum.signoff.sign("camat", "C")
    original = store.purge.erase_traces

    def display_reads_then_erase(erasing_forum) -> None:
        display.refresh()  # the display took in the scrubbing updates
        original(erasing_forum)

    monkeypatch.setattr(store.purge, "erase_traces", display_reads_then_erase)
    assert forum.signoff.purge_personal() == 1
    forum.signoff.register_document("A1", "rekap", "050/1", "2026-02-12", "d1")
    loads_before = len(reloads)
    display.refresh()
    assert len(reloads) == loads_before  # went on across the erase's compaction
    for secret in (nik, phone):
        assert secret not in repr(display.export_tables())
        assert secret.encode() not in display._db._follower._tail
    display.close()


# -- property: a follower across random writes, compactions and polls ----------------------------

documents = st.dictionaries(
    st.sampled_from(["x", "y", "nama"]),
    st.integers(min_value=-(2**63), max_value=2**63 - 1) | st.text(max_size=5),
    max_size=3,
)
steps = st.lists(
    st.one_of(
        st.tuples(st.just("write"), st.sampled_from(["a", "b"]), documents),
        st.tuples(st.just("remove"), st.sampled_from(["a", "b"])),
        st.tuples(st.just("transaction"), documents, documents),
        st.just(("poll",)),
        st.just(("freeze",)),
        st.just(("swap",)),
        st.just(("compact",)),
        st.just(("reopen",)),
    ),
    max_size=30,
)


@settings(
    deadline=None, max_examples=60, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(steps=steps)
def test_a_follower_always_matches_a_fresh_open(steps) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "sifat.musrenbang"
        db, deferred = writer_with_deferred_compaction(path)
        reader = ForumDatabase.open(path, readonly=True)
        stamps = {name: reader.table_version(name) for name in ("a", "b")}
        try:
            for step in steps:
                run_step(step, db, deferred, path)
                if step[0] == "reopen":
                    db, deferred = reopened_writer(db, deferred, path)
                if step[0] == "poll":
                    follow_and_compare(reader, path, stamps)
            deferred.wait()
            follow_and_compare(reader, path, stamps)
        finally:
            db.close()
            reader.close()


def run_step(step: tuple, db: ForumDatabase, deferred: Deferred, path: Path) -> None:
    kind = step[0]
    if kind == "write":
        table = db.table(step[1])
        ids = [doc.doc_id for doc in table.all()]
        if ids and len(ids) % 2:
            table.update(step[2], doc_ids=[ids[-1]])
        else:
            table.insert(step[2])
    elif kind == "remove":
        table = db.table(step[1])
        ids = [doc.doc_id for doc in table.all()]
        if ids:
            table.remove(doc_ids=[ids[0]])
    elif kind == "transaction":
        with db.transaction():
            db.table("a").insert(step[1])
            db.table("b").insert(step[2])
    elif kind == "freeze" and not deferred.busy:
        db._start_compaction()
    elif kind == "swap":
        deferred.wait()
    elif kind == "compact":
        db.compact()


def reopened_writer(
    db: ForumDatabase, deferred: Deferred, path: Path
) -> tuple[ForumDatabase, Deferred]:
    deferred.wait()
    db.close()
    reopened = ForumDatabase.open(path, operator="uji")
    reopened.wait_for_maintenance()
    deferred = reopened._background = Deferred()
    return reopened, deferred


def follow_and_compare(reader: ForumDatabase, path: Path, stamps: dict[str, int]) -> None:
    """The follower equals a fresh open; a table it says did not change did not, and the
    ids ``changed_since`` names (when it knows) cover every document that differs."""
    before = {name: dict(reader.raw_state()[0].get(name, {})) for name in stamps}
    reader.refresh()
    same_as_fresh(reader, path)
    tables = reader.raw_state()[0]
    for name, stamp in stamps.items():
        after = tables.get(name, {})
        differing = {int(k) for k in before[name].keys() | after.keys()}
        differing = {k for k in differing if before[name].get(str(k)) != after.get(str(k))}
        changed = reader.changed_since(name, stamp)
        if reader.changed_tables is not None and name not in reader.changed_tables:
            assert not differing
        if changed is not None:
            assert differing <= changed
        stamps[name] = reader.table_version(name)
