"""A sealed snapshot spares an open the check of what this installation wrote and checked,
and nothing else: an edited, foreign or re-keyed file is checked in full (``store.forum_seal``)."""

from __future__ import annotations

from pathlib import Path

import orjson
import pytest

from store.forum import open_forum
from store.forum_seal import KEY_FILE, installation_sealer
from store.forum_shape import checked_scope, shape_problems
from store.paths import data_dir
from store.storage import ForumDatabase
from store.storage_errors import ForumFileError
from tests.forum_factory import make_forum
from tests.forum_layout import layout


def _sealed_forum(tmp_path: Path) -> Path:
    """A forum with one proposal, closed after a change: its snapshot is sealed."""
    path = tmp_path / "segel.musrenbang"
    with make_forum(path) as forum:
        forum.proposals.add(
            desa="Japan", kegiatan="Paving jalan Krajan", lokasi="RT 01", biaya="312.000.000"
        )
    return path


def _append_changes(path: Path, *ops: dict) -> None:
    """Journal lines written by hand after the file's end, one per op."""
    with path.open("ab") as handle:
        for op in ops:
            handle.write(orjson.dumps({"at": "2026-12-01T08:00:00.000+07:00", "ops": [op]}) + b"\n")


def _first_proposal_id(path: Path) -> int:
    with open_forum(path) as forum:
        return forum.proposals.all()[0]["id"]


def _lines(path: Path) -> list[bytes]:
    return path.read_bytes().splitlines(keepends=True)


def _seal_of(sealer, body: bytes) -> str:
    hasher = sealer.new()
    hasher.update(body)
    return hasher.hexdigest()


def _snapshot_line(path: Path) -> bytes:
    """The snapshot line proper (after the table lines), where the seal is."""
    return layout(path).snapshot_line


def test_a_closed_forum_is_sealed_and_its_next_open_trusts_the_snapshot(tmp_path: Path) -> None:
    path = _sealed_forum(tmp_path)
    snapshot = orjson.loads(_snapshot_line(path))
    assert len(snapshot["segel"]) == 64
    with open_forum(path) as forum:
        assert forum._db.snapshot_sealed
        forum.minutes.add("catatan baru")
    with open_forum(path) as forum:  # closed after a change: sealed again
        assert forum._db.snapshot_sealed
        assert forum.minutes.all()[-1]["teks"] == "catatan baru"


def test_only_the_records_the_journal_changed_are_left_to_check(tmp_path: Path) -> None:
    path = _sealed_forum(tmp_path)
    with open_forum(path) as forum:
        rec_id = forum.proposals.all()[0]["id"]
        forum._db.compact()  # sealed, journal empty
        forum.proposals.update(rec_id, lokasi="RT 02")
        journal_lines = len(layout(path).journal)
    assert journal_lines >= 1
    db = ForumDatabase.open(path, operator="uji")
    try:
        assert db.snapshot_sealed
        keys = db.unchecked_keys()
        assert str(rec_id) in keys["proposals"]
        assert "participants" not in keys
    finally:
        db.close()


def _plant_in_snapshot(path: Path, old: bytes, new: bytes) -> None:
    """A hand edit of the sealed snapshot (its table lines) that keeps the seal as it was."""
    lines = _lines(path)
    snapshot = 1 + len(layout(path).table_lines)
    assert old in b"".join(lines[1:snapshot])
    for number in range(1, snapshot):  # the record and its audited copy
        lines[number] = lines[number].replace(old, new)
    path.write_bytes(b"".join(lines))


def test_an_edited_sealed_snapshot_is_checked_in_full_and_refused(tmp_path: Path) -> None:
    path = _sealed_forum(tmp_path)
    _plant_in_snapshot(path, b'"biaya":312000000', b'"biaya":"tiga ratus"')
    with pytest.raises(ForumFileError) as refused:
        open_forum(path)
    assert "biaya" in str(refused.value)


def test_a_same_length_edit_that_keeps_the_seal_is_still_caught(tmp_path: Path) -> None:
    path = _sealed_forum(tmp_path)
    _plant_in_snapshot(path, b'"biaya":312000000', b'"biaya":[31200000]')
    with pytest.raises(ForumFileError):
        open_forum(path)


def test_another_installation_checks_the_file_in_full(tmp_path: Path, monkeypatch) -> None:
    path = _sealed_forum(tmp_path)
    _plant_in_snapshot(path, b'"biaya":312000000', b'"biaya":"tiga ratus"')
    seal = orjson.loads(_snapshot_line(path))["segel"]
    monkeypatch.setenv("MUSRENBANG_HOME", str(tmp_path / "laptop-lain"))
    assert _seal_of(installation_sealer(), b"x") != seal  # another key
    with pytest.raises(ForumFileError):
        open_forum(path)


def test_a_bad_record_written_to_the_journal_after_a_seal_is_refused(tmp_path: Path) -> None:
    path = _sealed_forum(tmp_path)
    rec_id = _first_proposal_id(path)
    _append_changes(
        path, {"table": "proposals", "op": "update", "doc_id": rec_id, "fields": {"biaya": "x"}}
    )
    with pytest.raises(ForumFileError) as refused:
        open_forum(path)
    assert "biaya" in str(refused.value)


def test_a_criterion_removed_in_the_journal_leaves_its_scores_checked(tmp_path: Path) -> None:
    path = _sealed_forum(tmp_path)
    with open_forum(path) as forum:
        rec_id = forum.proposals.all()[0]["id"]
        criterion = forum.priority.criteria()[0]["id"]
        forum.priority.set_score(rec_id, criterion, 3)
        forum._db.compact()
    _append_changes(path, {"table": "criteria", "op": "remove", "doc_id": criterion})
    with pytest.raises(ForumFileError) as refused:
        open_forum(path)
    assert "menunjuk criteria" in str(refused.value)


def test_checked_scope_reaches_what_a_change_can_break() -> None:
    tables = {
        "criteria": {"1": {"nama": "A"}},
        "scores": {"1": {"usulan_id": 1, "kriteria_id": 1}, "2": {"usulan_id": 2}},
        "proposals": {"1": {}, "2": {}},
        "minutes": {"1": {"agenda_id": 1}},
    }
    assert checked_scope(tables, {"proposals": {"1"}}) == {"proposals": {"1": {}}}
    # a proposal gone: every score and tally pointing into proposals is read again
    gone = checked_scope(tables, {"proposals": {"3"}})
    assert gone["scores"] == tables["scores"] and gone["proposals"] == {}
    # a criterion changed: its scale judges every score
    assert checked_scope(tables, {"criteria": {"1"}})["scores"] == tables["scores"]
    assert "minutes" not in checked_scope(tables, {"criteria": {"1"}})


def test_a_limited_check_still_reads_the_header_whole() -> None:
    tables = {"meta": {"1": {"judul": "x"}}, "proposals": {"1": {"biaya": "x"}}}
    problems = shape_problems(tables, {}, only={})
    assert any("'level'" in problem for problem in problems)
    assert not any("biaya" in problem for problem in problems)


def test_a_key_left_half_made_is_replaced_and_its_seals_void(tmp_path: Path) -> None:
    path = _sealed_forum(tmp_path)
    (data_dir() / KEY_FILE).write_bytes(b"")  # a crash while the key was being made
    with open_forum(path) as forum:
        assert not forum._db.snapshot_sealed  # sealed under the old key: checked in full
        forum.minutes.add("catatan")
    assert len((data_dir() / KEY_FILE).read_bytes()) == 32
    with open_forum(path) as forum:
        assert forum._db.snapshot_sealed
    assert not list(data_dir().glob(".segel-*"))


def test_the_key_is_made_once_and_readable_only_by_its_owner() -> None:
    first = installation_sealer()
    key = data_dir() / KEY_FILE
    assert key.stat().st_mode & 0o777 == 0o600
    assert _seal_of(installation_sealer(), b"x") == _seal_of(first, b"x")


@pytest.mark.parametrize(
    "seal",
    [b"\xc3\xa9" * 32, b"0" * 63, b"A" * 64, b"0" * 65],
    ids=["utf8", "short", "upper", "long"],
)
def test_a_seal_of_another_shape_is_simply_not_honoured(tmp_path: Path, seal: bytes) -> None:
    path = _sealed_forum(tmp_path)
    lines = _lines(path)
    number = len(layout(path).table_lines) + 1
    start = lines[number].index(b',"segel":"') + len(b',"segel":"')
    lines[number] = lines[number][:start] + seal + b'"}\n'
    path.write_bytes(b"".join(lines))
    with open_forum(path) as forum:
        assert not forum._db.snapshot_sealed


def test_writes_are_checked_again_before_a_seal(tmp_path: Path) -> None:
    """A value slipped past every writer (here: straight into the table) is never sealed:
    the compaction writes the snapshot unsealed, and the next open checks it all."""
    path = _sealed_forum(tmp_path)
    with open_forum(path) as forum:
        rec_id = forum.proposals.all()[0]["id"]
        forum._db.table("proposals").update({"biaya": "tiga ratus"}, doc_ids=[rec_id])
        forum._db.compact()
        assert not forum._db.snapshot_sealed
    assert b'"segel"' not in _snapshot_line(path)
    with pytest.raises(ForumFileError):
        open_forum(path)


def test_the_write_guard_refuses_a_record_the_check_would_refuse(tmp_path: Path) -> None:
    from store.validation import ValidationError

    path = _sealed_forum(tmp_path)
    with open_forum(path) as forum:
        rec_id = forum.proposals.all()[0]["id"]
        before = forum.proposals.get(rec_id)
        with pytest.raises(ValidationError) as refused:
            forum._update("proposals", rec_id, {"nama_aneh\u202e": 1, "volume": 10**13})
        assert "volume" in refused.value.message
        assert forum.proposals.get(rec_id) == before
        with pytest.raises(ValidationError):
            forum._insert("minutes", {"teks": "a\u202eb", "jenis": "catatan"})
        assert all("\u202e" not in m["teks"] for m in forum.minutes.all())
    with open_forum(path):  # nothing half-written reached the file
        pass


def test_a_refused_open_leaves_the_file_and_its_backups_as_they_were(tmp_path: Path) -> None:
    from store.backup import list_backups

    path = _sealed_forum(tmp_path)
    rec_id = _first_proposal_id(path)
    lines = [
        {"table": "proposals", "op": "update", "doc_id": rec_id, "fields": {"lokasi": f"RT {n}"}}
        for n in range(200)  # a journal a close would compact
    ]
    lines.append({"table": "proposals", "op": "update", "doc_id": rec_id, "fields": {"biaya": "x"}})
    _append_changes(path, *lines)
    before = path.read_bytes()
    backups = [info.path.name for info in list_backups(path)]
    with pytest.raises(ForumFileError):
        open_forum(path)
    assert path.read_bytes() == before
    assert [info.path.name for info in list_backups(path)] == backups


def test_an_unchanged_big_forum_is_sealed_on_close_and_a_small_one_left_alone(
    tmp_path: Path, monkeypatch
) -> None:
    import store.storage as storage
    from store.storage_format import encode_forum, parse_forum

    path = _sealed_forum(tmp_path)
    image = parse_forum(path.read_bytes())
    path.write_bytes(b"".join(encode_forum(image.state, image.header.get("created_at"))))
    unsealed = path.read_bytes()
    open_forum(path).close()  # small: a full check costs less than a rewrite
    assert path.read_bytes() == unsealed
    monkeypatch.setattr(storage, "SEAL_ON_CLOSE_MIN_BYTES", len(unsealed) // 2)
    open_forum(path).close()
    assert b'"segel"' in _snapshot_line(path)
    with open_forum(path) as forum:
        assert forum._db.snapshot_sealed
