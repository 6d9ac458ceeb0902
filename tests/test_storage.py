"""The forum storage API: TinyDB semantics, transactions, journal, compaction, migrations."""

from __future__ import annotations

from pathlib import Path

import orjson
import pytest
from tinydb import Query
from tinydb.table import Table

import store.lock
import store.migrations as migrations
import store.storage as storage
from store.storage import (
    ForumDatabase,
    ForumDocument,
    ForumFileError,
    ForumReadOnlyError,
)
from store.storage_format import parse_forum
from tests.forum_layout import folded_lines


@pytest.fixture
def path(tmp_path: Path) -> Path:
    return tmp_path / "forum" / "uji.musrenbang"


@pytest.fixture
def db(path: Path):
    database = ForumDatabase.create(
        path,
        {"participants": {1: {"nama": "Sari", "desa": "Sooko"}, 2: {"nama": "Budi"}}},
        operator="Sari",
    )
    yield database
    database.close()


def lines(path: Path) -> list[bytes]:
    """Header, snapshot (table lines folded in), journal lines."""
    return folded_lines(path)


def reopen(db: ForumDatabase) -> ForumDatabase:
    db.close()
    return ForumDatabase.open(db.path, operator="uji")


def test_create_writes_header_and_snapshot_and_creates_folders(db, path: Path) -> None:
    header, snapshot = (orjson.loads(line) for line in lines(path))
    assert header["format"] == "musrenbang"
    assert header["schema"] == migrations.CURRENT_SCHEMA
    assert snapshot["tables"]["participants"]["1"] == {"nama": "Sari", "desa": "Sooko"}
    assert db.schema_version == migrations.CURRENT_SCHEMA
    assert not db.readonly
    assert db.holder.operator == "Sari"


def test_create_refuses_an_existing_file(db, path: Path) -> None:
    db.close()
    before = path.read_bytes()
    with pytest.raises(ForumFileError, match="sudah ada"):
        ForumDatabase.create(path, {}, operator="x")
    assert path.read_bytes() == before


def test_open_missing_file_is_a_forum_file_error(tmp_path: Path) -> None:
    with pytest.raises(ForumFileError, match="tidak ditemukan"):
        ForumDatabase.open(tmp_path / "tidak-ada.musrenbang")
    with pytest.raises(ForumFileError, match="tidak ditemukan"):
        ForumDatabase.open(tmp_path / "tidak-ada.musrenbang", readonly=True)


def test_tinydb_reads_work(db) -> None:
    people = db.table("participants")
    assert len(people) == 2
    assert people.get(doc_id=1)["nama"] == "Sari"
    assert people.get(doc_id=1).doc_id == 1
    assert people.get(doc_id=99) is None
    assert [d.doc_id for d in people.search(Query().nama == "Budi")] == [2]
    assert people.get(Query().desa == "Sooko").doc_id == 1
    assert people.contains(doc_id=2)
    assert people.count(Query().nama.exists()) == 2
    assert [d.doc_id for d in people.get(doc_ids=[2, 1, 5])] == [2, 1]
    assert db.table("kosong").all() == []


def test_each_write_outside_a_transaction_is_one_journal_line(db, path: Path) -> None:
    people = db.table("participants")
    new_id = people.insert({"nama": "Wati"})
    people.update({"hadir": "09.15"}, doc_ids=[new_id])
    people.remove(doc_ids=[2])
    journal = [orjson.loads(line) for line in lines(path)[2:]]
    assert [[op["op"] for op in change["ops"]] for change in journal] == [
        ["insert"],
        ["update"],
        ["remove"],
    ]
    assert journal[1]["ops"][0] == {
        "table": "participants",
        "op": "update",
        "doc_id": new_id,
        "fields": {"hadir": "09.15"},
    }
    db = reopen(db)
    assert {d.doc_id: d for d in db.table("participants").all()} == {
        1: {"nama": "Sari", "desa": "Sooko"},
        3: {"nama": "Wati", "hadir": "09.15"},
    }
    db.close()


def test_transaction_is_one_line_and_survives_reopen(db, path: Path) -> None:
    with db.transaction():
        db.table("participants").update({"hadir": "08.00"}, doc_ids=[1])
        db.table("audit").insert({"apa": "hadir", "lama": None, "baru": "08.00"})
    assert len(lines(path)) == 3
    db = reopen(db)
    assert db.table("participants").get(doc_id=1)["hadir"] == "08.00"
    assert db.table("audit").get(doc_id=1)["apa"] == "hadir"
    db.close()


def test_failed_transaction_writes_nothing_and_rolls_back_memory(db, path: Path) -> None:
    people = db.table("participants")
    before = path.read_bytes()
    with pytest.raises(RuntimeError), db.transaction():
        people.insert({"nama": "X"})
        people.update({"nama": "Diubah", "baru": 1}, doc_ids=[1])
        people.remove(doc_ids=[2])
        db.table("audit").insert({"apa": "x"})
        raise RuntimeError("batal")
    assert path.read_bytes() == before
    assert {d.doc_id: dict(d) for d in people.all()} == {
        1: {"nama": "Sari", "desa": "Sooko"},
        2: {"nama": "Budi"},
    }
    assert [d.doc_id for d in people.all()] == [1, 2]  # order kept after an undone remove
    assert db.table("audit").all() == []
    assert people.insert({"nama": "Y"}) == 3  # the id counter was rolled back too


def test_nested_transaction_failure_takes_back_only_the_inner_block(db, path: Path) -> None:
    people = db.table("participants")
    with db.transaction():
        people.update({"a": 1}, doc_ids=[1])
        with pytest.raises(KeyError), db.transaction():
            people.update({"b": 2}, doc_ids=[1])
            raise KeyError("dalam")
        people.update({"c": 3}, doc_ids=[1])
    assert len(lines(path)) == 3
    db = reopen(db)
    assert db.table("participants").get(doc_id=1) == {
        "nama": "Sari",
        "desa": "Sooko",
        "a": 1,
        "c": 3,
    }
    db.close()


def test_query_cache_is_dropped_on_writes_and_rollbacks(db) -> None:
    people = db.table("participants")
    budi = Query().nama == "Budi"
    assert len(people.search(budi)) == 1
    people.insert({"nama": "Budi"})
    assert len(people.search(budi)) == 2
    with pytest.raises(ValueError), db.transaction():
        people.insert({"nama": "Budi"})
        assert len(people.search(budi)) == 3
        raise ValueError
    assert len(people.search(budi)) == 2


def test_document_ids_are_never_reused(db) -> None:
    people = db.table("participants")
    people.remove(doc_ids=[2])
    assert people.insert({"nama": "Baru"}) == 3
    people.remove(doc_ids=[3])
    db = reopen(db)
    people = db.table("participants")
    assert people.insert({"nama": "Lagi"}) == 4
    people.truncate()
    assert len(people) == 0
    assert people.insert({"nama": "Setelah truncate"}) == 5
    db.close()


def test_update_with_a_query_a_callable_and_update_multiple(db) -> None:
    people = db.table("participants")
    assert people.update({"desa": "Japan"}, Query().nama == "Budi") == [2]

    def add_tag(doc: dict) -> None:
        doc.setdefault("tags", []).append("hadir")
        del doc["desa"]

    people.update(add_tag, doc_ids=[1])
    assert people.get(doc_id=1) == {"nama": "Sari", "tags": ["hadir"]}
    ids = people.update_multiple(
        [({"x": 1}, Query().nama == "Sari"), ({"x": 2}, Query().nama == "Budi")]
    )
    assert sorted(ids) == [1, 2]
    db = reopen(db)
    assert db.table("participants").get(doc_id=1) == {"nama": "Sari", "tags": ["hadir"], "x": 1}
    assert db.table("participants").get(doc_id=2) == {"nama": "Budi", "desa": "Japan", "x": 2}
    db.close()


def test_upsert_updates_or_inserts_in_one_line(db, path: Path) -> None:
    scores = db.table("scores")
    key = (Query().usulan == 7) & (Query().kriteria == 1)
    assert scores.upsert({"usulan": 7, "kriteria": 1, "nilai": 3}, key) == [1]
    assert scores.upsert({"usulan": 7, "kriteria": 1, "nilai": 4}, key) == [1]
    assert scores.upsert(ForumDocument({"usulan": 8, "nilai": 1}, doc_id=10)) == [10]
    assert len(lines(path)) == 5
    assert scores.get(doc_id=1)["nilai"] == 4
    assert scores.insert({"usulan": 9}) == 11


def test_insert_with_an_existing_id_is_refused_without_writing(db, path: Path) -> None:
    before = path.read_bytes()
    with pytest.raises(ValueError):
        db.table("participants").insert(ForumDocument({"nama": "Dobel"}, doc_id=1))
    assert path.read_bytes() == before


def test_insert_multiple_is_one_transaction(db, path: Path) -> None:
    ids = db.table("minutes").insert_multiple([{"teks": "a"}, {"teks": "b"}])
    assert ids == [1, 2]
    assert len(lines(path)) == 3


@pytest.mark.parametrize(
    "value",
    [
        {"when": __import__("datetime").date(2025, 1, 1)},
        {"set": {1, 2}},
        {"nan": float("nan")},
        {"big": 2**70},
        {"nested": {1: "int key"}},
    ],
)
def test_values_the_file_cannot_hold_are_refused_before_anything_changes(
    db, path: Path, value
) -> None:
    before = path.read_bytes()
    people = db.table("participants")
    with pytest.raises(TypeError):
        people.insert(value)
    with pytest.raises(TypeError):
        people.update(value, doc_ids=[1])
    assert path.read_bytes() == before
    assert len(people) == 2
    assert people.get(doc_id=1) == {"nama": "Sari", "desa": "Sooko"}


def test_returned_documents_are_copies(db) -> None:
    people = db.table("participants")
    people.update({"tags": ["a"]}, doc_ids=[1])
    doc = people.get(doc_id=1)
    doc["tags"].append("b")
    doc["nama"] = "Lain"
    assert people.get(doc_id=1) == {"nama": "Sari", "desa": "Sooko", "tags": ["a"]}
    source = {"daftar": [1, 2]}
    new_id = people.insert(source)
    source["daftar"].append(3)
    assert people.get(doc_id=new_id) == {"daftar": [1, 2]}


def test_tinydb_whole_table_rewrite_is_never_used(db, monkeypatch) -> None:
    def forbidden(self, updater):
        raise AssertionError("Table._update_table must not run")

    monkeypatch.setattr(Table, "_update_table", forbidden)
    people = db.table("participants")
    people.insert({"nama": "A"})
    people.insert_multiple([{"nama": "B"}])
    people.update({"x": 1}, doc_ids=[1])
    people.update({"y": 1}, Query().nama == "A")
    people.upsert({"nama": "C"}, Query().nama == "C")
    people.remove(doc_ids=[2])
    people.remove(Query().nama == "B")
    people.truncate()
    assert len(people) == 0


def test_an_insert_journals_only_the_new_document_however_big_the_table(db, path: Path) -> None:
    audit = db.table("audit")
    with db.transaction():
        audit.insert_multiple({"apa": "x" * 50, "n": n} for n in range(5000))
    size = path.stat().st_size
    audit.insert({"apa": "y", "n": 5001})
    assert path.stat().st_size - size < 150


def test_readonly_refuses_writes_and_never_changes_the_file(db, path: Path) -> None:
    db.close()
    before = path.read_bytes()
    reader = ForumDatabase.open(path, readonly=True)
    assert reader.readonly
    with pytest.raises(ForumReadOnlyError):
        reader.table("participants").insert({"nama": "X"})
    reader.close()
    assert path.read_bytes() == before


def test_writes_after_close_are_refused(db) -> None:
    db.close()
    with pytest.raises(ForumReadOnlyError):
        db.table("participants").insert({"nama": "X"})
    db.close()  # idempotent


def test_last_write_at_follows_the_latest_change(db) -> None:
    assert db.last_write_at is None
    db.table("participants").update({"x": 1}, doc_ids=[1])
    first = db.last_write_at
    assert first is not None and first.tzinfo is not None
    db = reopen(db)
    assert db.last_write_at == first
    db.close()


def test_compaction_keeps_everything_and_resets_the_journal(db, path: Path, monkeypatch) -> None:
    monkeypatch.setattr(storage, "COMPACT_LINES", 10)
    people = db.table("participants")
    header = lines(path)[0]
    for n in range(25):
        people.insert({"nama": f"P{n}"})
        db.wait_for_maintenance()  # compaction runs in the background; let each finish
    assert lines(path)[0] != header  # rewritten with a new generation
    assert len(lines(path)) == 2 + 25 % 10
    expected = {d.doc_id: dict(d) for d in people.all()}
    db = reopen(db)
    assert {d.doc_id: dict(d) for d in db.table("participants").all()} == expected
    assert db.table("participants").insert({"nama": "next"}) == 28
    db.close()


def test_compaction_by_size_when_the_journal_outgrows_the_snapshot(
    db, path: Path, monkeypatch
) -> None:
    monkeypatch.setattr(storage, "COMPACT_MIN_BYTES", 1000)
    db.table("participants").update({"catatan": "x" * 2000}, doc_ids=[1])
    db.wait_for_maintenance()
    assert len(lines(path)) == 2


def test_close_compacts_a_large_journal_and_keeps_a_small_one(path: Path) -> None:
    big = {"participants": {n: {"nama": "x" * 100} for n in range(1, 200)}}
    db = ForumDatabase.create(path, big, operator="uji")
    db.table("participants").update({"a": 1}, doc_ids=[1])
    db.close()
    assert len(lines(path)) == 3  # one small change: not worth a rewrite
    db = ForumDatabase.open(path, operator="uji")
    for n in range(1, 60):
        db.table("participants").update({"a": "y" * 100}, doc_ids=[n])
    db.close()
    assert len(lines(path)) == 2


def test_failed_compaction_loses_nothing_and_is_retried_later(db, path: Path, monkeypatch) -> None:
    monkeypatch.setattr(storage, "COMPACT_LINES", 3)

    def busy(src, dst):
        raise PermissionError("file in use")

    monkeypatch.setattr(store.lock, "replace", busy)  # the rename that ends a compaction
    people = db.table("participants")
    for n in range(5):
        people.insert({"nama": f"P{n}"})
        db.wait_for_maintenance()
    assert len(lines(path)) == 7
    assert not path.with_name(path.name + ".tmp").exists()
    monkeypatch.undo()
    db = reopen(db)
    assert len(db.table("participants")) == 7
    db.close()


def test_a_migration_runs_on_open_keeps_a_backup_and_rewrites_the_file_before_a_write(
    path: Path, monkeypatch
) -> None:
    path.parent.mkdir(parents=True)
    old_header = {"format": "musrenbang", "schema": 0, "created_at": "2024-01-01T08:00:00+07:00"}
    old_tables = {"peserta": {"1": {"nm": "Sari"}}}
    path.write_bytes(
        orjson.dumps(old_header) + b"\n" + orjson.dumps({"tables": old_tables}) + b"\n"
    )

    def rename_table(tables):
        return {
            "participants": {
                key: {"nama": doc["nm"]} for key, doc in tables.pop("peserta").items()
            },
            **tables,
        }

    monkeypatch.setitem(migrations.MIGRATIONS, 0, rename_table)
    reader = ForumDatabase.open(path, readonly=True)
    assert reader.table("participants").get(doc_id=1) == {"nama": "Sari"}
    assert orjson.loads(lines(path)[0])["schema"] == 0  # a reader never rewrites

    db = ForumDatabase.open(path, operator="uji")
    assert db.table("participants").get(doc_id=1) == {"nama": "Sari"}
    assert orjson.loads(lines(path)[0])["schema"] == 0  # reading changes nothing
    db.table("participants").insert({"nama": "Budi"})
    header = orjson.loads(lines(path)[0])
    assert header["schema"] == migrations.CURRENT_SCHEMA
    assert header["created_at"] == old_header["created_at"]
    db.close()
    kept = [b for b in (path.parent / "uji.musrenbang.backup").iterdir() if "migrasi" in b.name]
    assert len(kept) == 1
    assert orjson.loads(kept[0].read_bytes().splitlines()[0])["schema"] == 0


def test_an_old_schema_without_a_migration_is_a_forum_file_error(path: Path) -> None:
    path.parent.mkdir(parents=True)
    path.write_bytes(b'{"format":"musrenbang","schema":0}\n{"tables":{}}\n')
    before = path.read_bytes()
    with pytest.raises(ForumFileError, match="migrasi"):
        ForumDatabase.open(path)
    assert path.read_bytes() == before


def test_journal_replay_equals_the_writer_memory(db, path: Path) -> None:
    people = db.table("participants")
    people.insert({"nama": "A", "x": {"y": [1, 2]}})
    people.update(lambda d: d.update(z=1), doc_ids=[1])
    people.remove(doc_ids=[2])
    image = parse_forum(path.read_bytes())
    assert image.state.tables == db._storage.state.tables
    assert image.state.next_ids == db._storage.state.next_ids


def test_create_refuses_ids_that_are_not_positive_integers(path: Path) -> None:
    with pytest.raises(ValueError):
        ForumDatabase.create(path, {"t": {0: {"a": 1}}}, operator="uji")
    assert not path.exists()


def test_a_forum_that_cannot_be_written_is_a_clear_file_error(db, path: Path, monkeypatch) -> None:
    db.close()

    def refuse(self, operator):
        raise PermissionError(13, "Read-only file system")

    monkeypatch.setattr(storage.WriteLock, "acquire", refuse)
    with pytest.raises(ForumFileError, match="tidak dapat dibuka untuk ditulis"):
        ForumDatabase.open(path, operator="uji")
    assert ForumDatabase.open(path, readonly=True).table("participants").get(doc_id=2)


def test_query_is_available_without_importing_tinydb(db) -> None:
    people = db.table("participants")
    assert [d.doc_id for d in people.search(storage.Query().desa == "Sooko")] == [1]
