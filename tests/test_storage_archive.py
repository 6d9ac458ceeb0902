"""Table lines and packed tables (``store.storage_archive``): an open keeps the audit
history packed, and what is packed reads, writes and rewrites as the plain records would."""

from __future__ import annotations

from pathlib import Path

import orjson
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import store.storage as storage
from store.backup import list_backups
from store.storage import ForumDatabase, ForumFileError
from store.storage_archive import (
    TABLE_LINE_DOCS,
    ArchivedTable,
    encode_table_lines,
    is_canonical_id,
    plain_tables,
)
from store.storage_format import encode_forum, parse_forum
from store.storage_state import ForumState
from tests.forum_layout import layout

AUDIT_RECORDS = 2 * TABLE_LINE_DOCS + 500


def audit_record(n: int) -> dict:
    return {"waktu": f"2026-02-12T09:{n % 60:02d}:00", "aksi": "ubah", "rec_id": n, "lama": None}


def forum_with_history(path: Path) -> ForumDatabase:
    """A closed forum holding ``AUDIT_RECORDS`` audit records, then opened again."""
    tables = {
        "audit": {n: audit_record(n) for n in range(1, AUDIT_RECORDS + 1)},
        "proposals": {1: {"kegiatan": "Paving"}},
    }
    ForumDatabase.create(path, tables, operator="uji").close()
    return ForumDatabase.open(path, operator="uji")


def test_the_history_stays_packed_and_reads_as_written(tmp_path: Path) -> None:
    db = forum_with_history(tmp_path / "a.musrenbang")
    try:
        audit = db.raw_state()[0]["audit"]
        assert isinstance(audit, ArchivedTable)
        assert len(audit.lines) == 3 and not audit.live
        assert len(db.table("audit")) == AUDIT_RECORDS
        assert db.table("audit").get(doc_id=1500) == audit_record(1500)
        assert [doc.doc_id for doc in db.table("audit").all()] == list(range(1, AUDIT_RECORDS + 1))
        assert "01" not in audit and "0" not in audit and str(AUDIT_RECORDS + 1) not in audit
    finally:
        db.close()


def test_a_write_unpacks_one_line_and_survives_a_reopen(tmp_path: Path) -> None:
    path = tmp_path / "b.musrenbang"
    db = forum_with_history(path)
    db.table("audit").update({"aksi": "hapus"}, doc_ids=[1200])
    db.table("audit").remove(doc_ids=[7])
    new_id = db.table("audit").insert(audit_record(0))
    audit = db.raw_state()[0]["audit"]
    assert len(audit.lines) == 1  # lines 1 and 2 went to the live records
    assert new_id == AUDIT_RECORDS + 1
    expected = {doc.doc_id: dict(doc) for doc in db.table("audit").all()}
    assert expected[1200]["aksi"] == "hapus" and 7 not in expected
    db.compact()
    db.close()
    db = ForumDatabase.open(path, operator="uji")
    try:
        assert {doc.doc_id: dict(doc) for doc in db.table("audit").all()} == expected
        assert len(db.raw_state()[0]["audit"].lines) >= 1
    finally:
        db.close()


def test_a_compaction_writes_untouched_lines_as_they_were(tmp_path: Path) -> None:
    path = tmp_path / "c.musrenbang"
    db = forum_with_history(path)
    before = layout(path).table_lines
    db.table("proposals").update({"kegiatan": "Drainase"}, doc_ids=[1])
    db.table("audit").insert(audit_record(9))
    db.compact()
    after = layout(path).table_lines
    db.close()
    audit_before = [line for line in before if b'"audit"' in line[:40]]
    audit_after = [line for line in after if b'"audit"' in line[:40]]
    assert audit_after[: len(audit_before)] == audit_before
    assert orjson.loads(audit_after[-1])["ids"] == [AUDIT_RECORDS + 1] * 2 + [1]


def test_a_rollback_of_a_removal_keeps_the_table_packed_and_in_order(tmp_path: Path) -> None:
    db = forum_with_history(tmp_path / "r.musrenbang")
    try:
        with pytest.raises(RuntimeError), db.transaction():
            db.table("audit").remove(doc_ids=[3])
            raise RuntimeError("batal")
        audit = db.raw_state()[0]["audit"]
        assert isinstance(audit, ArchivedTable)
        assert list(audit)[:4] == ["1", "2", "3", "4"]
        assert audit["3"] == audit_record(3)
    finally:
        db.close()


def _forge_first_audit_line(path: Path, edit) -> None:
    lines = path.read_bytes().splitlines(keepends=True)
    number = next(n for n, line in enumerate(lines) if b'"audit":' in line[:40])
    lines[number] = edit(lines[number])
    path.write_bytes(b"".join(lines))


@pytest.mark.parametrize(
    "edit",
    [
        lambda line: line.replace(b'"5":{', b'"05":{'),  # a second name for record 5
        lambda line: line.replace(b'"5":{', b'"1005":{'),  # out of order
        lambda line: line.replace(b'"5":{', b'"1001":{', 1).replace(b"[1,1000,", b"[1,1001,"),
        lambda line: line[:-3] + b"\n",  # not JSON
        # A key given twice: the parse keeps the last value, the bytes keep both (a NIK
        # hidden there would be written back by every compaction, past every erase).
        lambda line: line.replace(b'"aksi":"ubah"', b'"aksi":"3516134107950003","aksi":"ubah"', 1),
        lambda line: line.replace(b'{"waktu"', b'{ "waktu"', 1),  # not as the app writes
    ],
    ids=["leading zero", "out of order", "claim widened", "cut", "key twice", "spacing"],
)
def test_a_forged_history_line_in_an_unsealed_file_is_refused(tmp_path: Path, edit) -> None:
    """The claims of packed lines are taken on trust only from a sealed file: here the
    seal no longer holds (the edit), so every line is parsed and compared."""
    path = tmp_path / "f.musrenbang"
    forum_with_history(path).close()
    _forge_first_audit_line(path, edit)
    before = path.read_bytes()
    for readonly in (False, True):
        with pytest.raises(ForumFileError, match="tabel"):
            ForumDatabase.open(path, readonly=readonly, operator="uji")
    assert path.read_bytes() == before


def test_a_sealed_file_is_not_parsed_to_check_its_packed_lines(tmp_path: Path, monkeypatch) -> None:
    from store.forum import open_forum
    from tests.forum_factory import make_forum

    path = tmp_path / "s.musrenbang"
    with make_forum(path) as forum:
        for n in range(30):
            forum.minutes.add(f"catatan {n}")
    checked: list[int] = []
    monkeypatch.setattr(ArchivedTable, "verify", lambda self: checked.append(1))
    with open_forum(path) as forum:
        assert forum._db.snapshot_sealed
        assert isinstance(forum._db.raw_state()[0]["audit"], ArchivedTable)
    assert checked == []


def test_a_schema_1_file_is_rewritten_only_to_be_written(tmp_path: Path) -> None:
    """Refused by its check, only read, or a verb refused: the old file is left as it was
    (exit 2 changes nothing); its first write rewrites it, after a backup of it as it was."""
    from store.forum import open_forum
    from tests.forum_factory import make_forum

    good = tmp_path / "lama.musrenbang"
    with make_forum(good) as forum:
        forum.minutes.add("catatan")
    image = parse_forum(good.read_bytes())
    old = schema_1_bytes(image)
    good.write_bytes(old)
    bad = tmp_path / "lama-rusak.musrenbang"
    bad.write_bytes(old.replace(b'"level":"kecamatan"', b'"level":"provinsi"'))
    with pytest.raises(ForumFileError):
        open_forum(bad)
    assert bad.read_bytes() == old.replace(b'"level":"kecamatan"', b'"level":"provinsi"')
    assert not list_backups(bad)
    with open_forum(good) as forum:
        assert forum.minutes.all()[0]["teks"] == "catatan"
    with pytest.raises(ValueError), open_forum(good) as forum:
        raise ValueError("verba ditolak")
    assert good.read_bytes() == old
    with open_forum(good) as forum:
        forum.minutes.add("catatan kedua")
    assert orjson.loads(layout(good).header)["schema"] == 2
    assert layout(good).table_lines
    kept = [info.path for info in list_backups(good) if "sebelum-migrasi" in info.path.name]
    assert len(kept) == 1 and kept[0].read_bytes() == old


def schema_1_bytes(image) -> bytes:
    """The forum of ``image`` as a schema 1 file: header, one snapshot line."""
    header = {**image.header, "schema": 1}
    snapshot = {
        "tables": plain_tables(image.state.tables),
        "next_ids": image.state.next_ids,
        "last_write_at": image.state.last_write_at,
    }
    return orjson.dumps(header) + b"\n" + orjson.dumps(snapshot) + b"\n"


def test_a_backup_is_written_as_the_file_was_opened_while_changes_go_on(
    tmp_path: Path, monkeypatch
) -> None:
    path = tmp_path / "k.musrenbang"
    db = forum_with_history(path)
    db.close()
    opened = path.read_bytes()
    for info in list_backups(path):
        info.path.unlink()
    db = ForumDatabase.open(path, operator="uji")
    db.table("proposals").insert({"kegiatan": "Sumur"})
    db.wait_for_maintenance()
    db.close()
    assert [info.path.read_bytes() for info in list_backups(path)][-1] == opened


# -- the mapping and the lines, as pure functions ----------------------------------------------

ids = st.lists(st.integers(1, 5000), unique=True, max_size=60).map(sorted)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(ids=ids, live=ids, chunk=st.integers(1, 7), gone=st.integers(0, 5000))
def test_a_packed_table_is_the_mapping_of_its_records(ids, live, chunk, gone) -> None:
    """Records spread over packed lines (with gaps too) and live records read, iterate and
    encode like the plain dict of the same records, in id order."""
    import store.storage_archive as archive

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(archive, "TABLE_LINE_DOCS", chunk)
        check_packed_table(ids, live, gone)


def check_packed_table(ids: list[int], live: list[int], gone: int) -> None:
    records = {str(n): {"n": n} for n in ids}
    fresh = {str(n): {"live": n} for n in live if str(n) not in records}
    tables = {"audit": records, "x": {"1": {"a": 1}}}
    data = b"".join(encode_forum(ForumState(tables, {})))
    image = parse_forum(data)
    table = image.state.tables["audit"] if records else ArchivedTable("audit")
    for key, doc in fresh.items():
        table[key] = doc
    expected = dict(sorted({**records, **fresh}.items(), key=lambda item: int(item[0])))
    if str(gone) in expected:
        del table[str(gone)], expected[str(gone)]
    assert dict(table.items()) == expected and list(table) == list(expected)
    assert len(table) == len(expected)
    assert all(key in table for key in expected) and "0" not in table
    reread = parse_forum(b"".join(encode_forum(ForumState({"audit": table}, {}))))
    assert dict(reread.state.tables["audit"].items()) == expected


@pytest.mark.parametrize(
    ("key", "canonical"),
    [("1", True), ("01", False), ("0", False), ("", False), ("١", False), (str(2**63), False)],
)
def test_an_id_has_one_spelling(key: str, canonical: bool) -> None:
    assert is_canonical_id(key) is canonical


def test_table_lines_hold_at_most_a_thousand_records_in_id_order(monkeypatch) -> None:
    docs = {str(n): {"n": n} for n in (5, 3, 2500, 1)}
    monkeypatch.setattr(storage, "COMPACT_LINES", 10)  # irrelevant here: a pure function
    lines = list(encode_table_lines("t", docs))
    assert [orjson.loads(line)["ids"] for line in lines] == [[1, 2500, 4]]
    many = {str(n): {} for n in range(1, 2 * TABLE_LINE_DOCS + 2)}
    assert [orjson.loads(line)["ids"][2] for line in encode_table_lines("t", many)] == [
        TABLE_LINE_DOCS,
        TABLE_LINE_DOCS,
        1,
    ]


def test_what_a_compaction_wrote_is_packed_again_unless_changed_meanwhile(
    tmp_path: Path,
) -> None:
    from tests.test_storage_follow_compaction import Deferred

    db = forum_with_history(tmp_path / "p.musrenbang")
    try:
        deferred = db._background = Deferred()
        new = [db.table("audit").insert(audit_record(n)) for n in range(3)]
        db.table("audit").update({"aksi": "hapus"}, doc_ids=[5])  # line 1 goes live
        audit = db.raw_state()[0]["audit"]
        assert len(audit.live) == TABLE_LINE_DOCS + 3
        db._start_compaction()
        db.table("audit").update({"aksi": "batal"}, doc_ids=[new[1]])  # after the freeze
        later = db.table("audit").insert(audit_record(9))
        deferred.wait()
        # The line holding the record changed meanwhile stays live whole, the rest is packed.
        assert sorted(audit.live, key=int) == [str(n) for n in [*new, later]]
        assert "5" not in audit.live and len(audit.lines) == 3
        assert audit["5"]["aksi"] == "hapus" and audit[str(new[1])]["aksi"] == "batal"
        assert list(audit) == [str(n) for n in range(1, later + 1)]
        expected = {doc.doc_id: dict(doc) for doc in db.table("audit").all()}
        db.compact()  # a sync compaction packs too
        assert not audit.live
    finally:
        db.close()
    db = ForumDatabase.open(tmp_path / "p.musrenbang", operator="uji")
    try:
        assert {doc.doc_id: dict(doc) for doc in db.table("audit").all()} == expected
    finally:
        db.close()


def test_an_erase_brings_a_backup_of_the_old_schema_forward_without_personal_values(
    tmp_path: Path,
) -> None:
    from store.backup import backup_dir
    from store.purge import scrub_backups
    from tests.forum_factory import make_forum

    path = tmp_path / "e.musrenbang"
    nik, phone = "3516134107950003", "081234567890"
    with make_forum(path) as forum:
        forum.participants.add(nama="Siti", jenis_kelamin="P", nik=nik, telepon=phone)
    old = backup_dir(path) / "e-20260101-080000-000000.musrenbang"
    old.write_bytes(schema_1_bytes(parse_forum(path.read_bytes())))
    assert nik.encode() in old.read_bytes()
    scrub_backups(path)
    data = old.read_bytes()
    assert nik.encode() not in data and phone.encode() not in data
    image = parse_forum(data)
    assert image.schema == 2 and layout(data).table_lines
    assert [p["nama"] for p in image.state.tables["participants"].values()] == ["Siti"]


def test_an_erase_rewrites_only_the_history_lines_holding_personal_values(
    tmp_path: Path,
) -> None:
    from store.backup import make_backup
    from store.purge import scrub_backups

    path = tmp_path / "h.musrenbang"
    db = forum_with_history(path)
    db.table("audit").update({"lama": {"catatan": "hubungi 081234567890"}}, doc_ids=[1500])
    db.compact()
    db.close()
    backup = make_backup(path)
    before = layout(backup).table_lines
    scrub_backups(path)
    after = layout(backup).table_lines
    assert b"081234567890" in b"".join(before) and b"081234567890" not in backup.read_bytes()
    changed = [n for n, (old, new) in enumerate(zip(before, after, strict=True)) if old != new]
    assert len(changed) == 1 and b'"1500":' in after[changed[0]]


def deep(levels: int) -> object:
    value: object = "x"
    for _ in range(levels):
        value = [value]
    return value


def test_an_absurdly_nested_value_is_refused_in_one_line_by_every_path(tmp_path: Path) -> None:
    """orjson reads 1,024 levels but writes 255: such a value would crash a rewrite (a
    migration, a compaction, an erase). Refused on open, and a restore refuses it too."""
    from store.backup import restore
    from store.forum import open_forum
    from store.lock import ForumLocked
    from tests.forum_factory import make_forum

    path = tmp_path / "d.musrenbang"
    with make_forum(path) as forum:
        forum.proposals.add(desa="Japan", kegiatan="Paving", biaya="1.000.000")
    image = parse_forum(path.read_bytes())
    for table in ("proposals", "audit"):
        tables = plain_tables(image.state.tables)
        first = next(iter(tables[table].values()))
        first["lama" if table == "audit" else "lokasi"] = deep(300)
        spoilt = tmp_path / f"{table}.musrenbang"
        header = {**image.header, "schema": 1}
        snapshot = {"tables": tables, "next_ids": image.state.next_ids, "last_write_at": None}
        data = orjson.dumps(header) + b"\n" + json_dumps(snapshot) + b"\n"
        spoilt.write_bytes(data)
        for _ in range(2):  # refused each time; never left locked
            with pytest.raises(ForumFileError) as refused:
                open_forum(spoilt)
            assert not isinstance(refused.value, ForumLocked)
            assert "\n" not in str(refused.value)
        assert spoilt.read_bytes() == data and not list_backups(spoilt)
        with pytest.raises(ForumFileError, match="tidak dapat dipulihkan"):
            restore(path, spoilt)


def json_dumps(value: object) -> bytes:
    """JSON of any depth (the standard library writes what orjson refuses to)."""
    import json
    import sys

    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(10_000)
    try:
        return json.dumps(value).encode()
    finally:
        sys.setrecursionlimit(limit)


def test_an_erase_removes_a_backup_it_cannot_rewrite_and_scrubs_the_rest(tmp_path: Path) -> None:
    from store.backup import backup_dir, make_backup
    from store.purge import scrub_backups
    from tests.forum_factory import make_forum

    path = tmp_path / "s.musrenbang"
    with make_forum(path) as forum:
        forum.participants.add(nama="Siti", jenis_kelamin="P", telepon="081234567890")
    good = make_backup(path)
    image = parse_forum(path.read_bytes())
    tables = plain_tables(image.state.tables)
    next(iter(tables["participants"].values()))["catatan"] = deep(300)
    bad = backup_dir(path) / "s-20260101-080000-000000.musrenbang"
    snapshot = {"tables": tables, "next_ids": image.state.next_ids, "last_write_at": None}
    bad.write_bytes(layout(path).header + b"\n" + json_dumps(snapshot) + b"\n")
    scrub_backups(path)
    assert not bad.exists()
    assert b"081234567890" not in good.read_bytes()


def test_a_header_field_that_is_not_what_the_app_writes_is_refused(tmp_path: Path) -> None:
    """``created_at`` is copied into every rewrite: a NIK there would outlive every erase."""
    path = tmp_path / "h.musrenbang"
    forum_with_history(path).close()
    data = path.read_bytes()
    header = orjson.loads(layout(data).header)
    for spoilt in ("3516134107950003", 12, "2026-02-12T09:00:00 " + "x" * 50):
        path.write_bytes(orjson.dumps({**header, "created_at": spoilt}) + data[data.find(b"\n") :])
        with pytest.raises(ForumFileError, match="created_at"):
            ForumDatabase.open(path, operator="uji")


def test_half_written_backups_go_once_an_open_is_accepted(tmp_path: Path) -> None:
    from store.backup import backup_dir

    path = tmp_path / "t.musrenbang"
    forum_with_history(path).close()
    leftover = backup_dir(path) / "t-20260101-080000-000000.musrenbang.tmp"
    leftover.write_bytes(b"half")
    db = ForumDatabase.open(path, operator="uji")
    db.close()
    assert not leftover.exists()


def test_a_reader_makes_no_seal_key(tmp_path: Path, monkeypatch) -> None:
    from store.forum_seal import KEY_FILE
    from store.paths import data_dir

    path = tmp_path / "r.musrenbang"
    forum_with_history(path).close()
    monkeypatch.setenv("MUSRENBANG_HOME", str(tmp_path / "laptop-lain"))
    ForumDatabase.open(path, readonly=True).close()
    assert not (data_dir(create=False) / KEY_FILE).exists()


def test_a_backup_opens_read_only_and_never_for_writing(tmp_path: Path) -> None:
    """A backup kept as it was: a writer would upgrade or change "the forum as it was"."""
    path = tmp_path / "c.musrenbang"
    forum_with_history(path).close()
    kept = list_backups(path)[0].path
    before = kept.read_bytes()
    with pytest.raises(ForumFileError, match="cadangan") as refused:
        ForumDatabase.open(kept, operator="uji")
    assert "musrenbang restore" in str(refused.value)
    ForumDatabase.open(kept, readonly=True).close()
    assert kept.read_bytes() == before and not kept.with_name(kept.name + ".backup").exists()


def test_a_refused_open_leaves_even_a_torn_tail_and_a_backup_is_never_a_target(
    tmp_path: Path,
) -> None:
    from store.backup import restore
    from store.forum import create_forum, open_forum
    from tests.forum_factory import make_forum

    path = tmp_path / "t.musrenbang"
    with make_forum(path) as forum:
        forum.minutes.add("catatan")
    data = path.read_bytes().replace(b'"level":"kecamatan"', b'"level":"provinsi"')
    path.write_bytes(data + b'{"at":"2026-')  # a torn last line, in a file the check refuses
    before = path.read_bytes()
    with pytest.raises(ForumFileError):
        open_forum(path)
    assert path.read_bytes() == before
    good = tmp_path / "c.musrenbang"
    forum_with_history(good).close()
    backup = list_backups(good)[0].path
    inside = backup.parent / "baru.musrenbang"
    with pytest.raises(ForumFileError, match="folder cadangan"):
        restore(backup, good)  # over a backup
    with pytest.raises(ForumFileError, match="folder cadangan"):
        create_forum(inside, level="desa", wilayah="35.16.13.2009", tahun=2027)
    assert not inside.exists()


def test_the_copy_before_a_migration_outlives_the_rotation(tmp_path: Path, monkeypatch) -> None:
    import store.backup as backup

    path = tmp_path / "m.musrenbang"
    forum_with_history(path).close()
    monkeypatch.setattr(backup, "KEEP_BACKUPS", 3)
    first = backup.make_backup(path, "sebelum-migrasi")
    for _ in range(6):
        backup.make_backup(path)
    names = [info.path for info in list_backups(path)]
    assert first in names and len(names) == 4
