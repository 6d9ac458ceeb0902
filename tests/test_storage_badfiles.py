"""Bad files are refused untouched with a clear message; a torn last line is not bad."""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

import orjson
import pytest
from tinydb import TinyDB
from tinydb.storages import JSONStorage

from store.backup import backup_dir
from store.storage import ForumDatabase, ForumFileError


def good_forum(path: Path) -> bytes:
    """A closed forum with a snapshot and two journal lines; returns its bytes.

    The padding keeps ``close`` from compacting so small a journal away.
    """
    tables = {"participants": {1: {"nama": "Sari"}}, "padding": {1: {"x": "y" * 10_000}}}
    db = ForumDatabase.create(path, tables, operator="uji")
    db.table("participants").insert({"nama": "Budi"})
    db.table("participants").update({"hadir": "08.00"}, doc_ids=[1])
    db.close()
    data = path.read_bytes()
    assert len(data.splitlines()) == 6  # header, 2 table lines, snapshot line, 2 changes
    return data


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def damaged_middle_line(data: bytes) -> bytes:
    lines = data.splitlines(keepends=True)
    lines[4] = lines[4][:10] + b"\n"
    return b"".join(lines)


def inconsistent_line(data: bytes) -> bytes:
    bogus = {
        "at": "2025-01-01T00:00:00+07:00",
        "ops": [{"table": "participants", "op": "update", "doc_id": 99, "fields": {"x": 1}}],
    }
    lines = data.splitlines(keepends=True)
    return b"".join([*lines[:4], orjson.dumps(bogus) + b"\n", *lines[4:]])


def edited_table_line(edit):
    """A case: the first table line (line 2) changed by ``edit``."""

    def damage(data: bytes) -> bytes:
        lines = data.splitlines(keepends=True)
        lines[1] = edit(lines[1])
        return b"".join(lines)

    return damage


def dropped_table_line(data: bytes) -> bytes:
    lines = data.splitlines(keepends=True)
    del lines[2]
    return b"".join(lines)


def future_schema(data: bytes) -> bytes:
    lines = data.splitlines(keepends=True)
    header = orjson.loads(lines[0])
    header["schema"] = 99
    return b"".join([orjson.dumps(header) + b"\n", *lines[1:]])


BAD = {
    "empty": (lambda data: b"", "kosong"),
    "mid-header": (lambda data: data[:30], "terpotong"),
    "header only": (lambda data: data.splitlines(keepends=True)[0], "terpotong"),
    "mid-snapshot": (
        lambda data: data[: len(data.splitlines(keepends=True)[0]) + 20],
        "terpotong",
    ),
    "random bytes": (lambda data: os.urandom(3000).replace(b"\n", b"x"), "bukan berkas forum"),
    "random bytes with newlines": (lambda data: bytes(range(256)) * 20, "bukan berkas forum"),
    "foreign json": (lambda data: b'{"a":1}', "program lain"),
    "a list": (lambda data: b"[1, 2, 3]\n", "bukan berkas forum"),
    "future schema": (future_schema, "lebih baru"),
    "damaged middle line": (damaged_middle_line, "baris 5 rusak"),
    "inconsistent line": (inconsistent_line, "baris 5 tidak cocok"),
    "a table line dropped": (dropped_table_line, "jumlah baris tabel"),
    "a leading zero in an id": (
        edited_table_line(lambda line: line.replace(b'{"1":', b'{"01":')),
        "baris 2",
    ),
    "a table line claiming other ids": (
        edited_table_line(lambda line: line.replace(b"[1,1,1]", b"[1,2,1]")),
        "baris 2",
    ),
    "a table line claiming more records": (
        edited_table_line(lambda line: line.replace(b"[1,1,1]", b"[1,1,2]")),
        "baris 2",
    ),
    "a table line of another shape": (
        edited_table_line(lambda line: line.replace(b'"ids"', b'"idz"')),
        "baris 2",
    ),
    "a table line in a schema 1 file": (
        lambda data: data.replace(b'"schema":2', b'"schema":1', 1),
        "tidak dikenal",
    ),
}


@pytest.mark.parametrize("readonly", [False, True], ids=["writer", "reader"])
@pytest.mark.parametrize("case", sorted(BAD))
def test_bad_file_is_refused_untouched(tmp_path: Path, case: str, readonly: bool) -> None:
    path = tmp_path / "rusak.musrenbang"
    spoil, expected = BAD[case]
    path.write_bytes(spoil(good_forum(tmp_path / "baik.musrenbang")))
    before = digest(path)
    with pytest.raises(ForumFileError) as raised:
        ForumDatabase.open(path, readonly=readonly, operator="uji")
    assert expected in raised.value.message
    assert str(path) in raised.value.message
    assert "Tidak ada cadangan yang baik" in raised.value.message
    assert digest(path) == before
    assert not backup_dir(path).exists()


def test_a_tinydb_json_storage_file_is_foreign(tmp_path: Path) -> None:
    path = tmp_path / "tinydb.musrenbang"
    with TinyDB(path, storage=JSONStorage) as plain:
        plain.insert({"nama": "Sari"})
    before = digest(path)
    with pytest.raises(ForumFileError, match="program lain"):
        ForumDatabase.open(path)
    assert digest(path) == before


def test_pretty_printed_json_is_not_a_forum(tmp_path: Path) -> None:
    path = tmp_path / "pretty.musrenbang"
    path.write_text(json.dumps({"_default": {"1": {"a": 1}}}, indent=2))
    with pytest.raises(ForumFileError, match="bukan berkas forum"):
        ForumDatabase.open(path)


def test_the_message_names_the_newest_good_backup(tmp_path: Path) -> None:
    path = tmp_path / "forum.musrenbang"
    good_forum(path)
    backups = sorted(backup_dir(path).iterdir())
    assert backups
    newest_good = backups[-1]
    broken_newer = backup_dir(path) / "forum-29991231-235959-000000.musrenbang"
    broken_newer.write_bytes(b"rusak")
    path.write_bytes(path.read_bytes()[:40])
    with pytest.raises(ForumFileError) as raised:
        ForumDatabase.open(path)
    assert raised.value.backup == newest_good
    assert str(newest_good) in raised.value.message
    assert "musrenbang restore" in raised.value.message


TORN = {
    "no trailing newline": lambda data: data + b'{"at":"2025-01-01","ops":[{"table"',
    "invalid json last line": lambda data: data + b'{"at":"2025-01-01","op\n',
    "zeros after a power loss": lambda data: data + b"\x00" * 512,
}


@pytest.mark.parametrize("case", sorted(TORN))
def test_torn_last_line_is_ignored_by_readers_and_cut_by_the_writer(
    tmp_path: Path, case: str
) -> None:
    path = tmp_path / "torn.musrenbang"
    good = good_forum(path)
    path.write_bytes(TORN[case](good))
    torn = path.read_bytes()

    reader = ForumDatabase.open(path, readonly=True)
    assert reader.table("participants").get(doc_id=1) == {"nama": "Sari", "hadir": "08.00"}
    assert path.read_bytes() == torn  # readers never write

    db = ForumDatabase.open(path, operator="uji")
    assert path.read_bytes() == good
    db.table("participants").insert({"nama": "Wati"})
    db.close()
    assert ForumDatabase.open(path, readonly=True).table("participants").get(doc_id=3) == {
        "nama": "Wati"
    }
