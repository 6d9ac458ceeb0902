"""The forum schema (``store.forum_shape``, ``store.forum_values``, ``store.forum_schema``)
accepts everything the app writes and refuses what would break a reader.

Both directions: every writer the app has (``tests.forum_writers``) leaves a forum ``check``
calls sound; and a random change to a sound forum's header or records is either flagged by
``check`` or harmless (export and finalize still succeed, never an unexpected error).
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from exports.export_all import export_document
from store.backup import list_backups, newest_good_backup
from store.forum import open_forum
from store.forum_shape import shape_problems
from store.integrity import check_forum
from store.storage_archive import plain_tables
from store.storage_errors import ForumFileError
from store.storage_format import encode_forum, parse_forum
from store.storage_state import ForumState
from tests.forum_factory import make_forum, make_ready
from tests.forum_writers import apply_hostile, hostile_session, writers


def test_every_forum_the_app_writes_passes_check(tmp_path: Path) -> None:
    made = 0
    for name, path in writers(tmp_path):
        assert check_forum(path) == [], name
        with open_forum(path, readonly=True) as forum:  # every verb's open accepts it
            assert forum.meta["judul"], name
        made += 1
    assert made >= 25  # demo, each import case, forms, sign-off and purge at both levels


def _edit(path: Path, change) -> None:
    """Rewrite ``path`` as its current state after ``change(tables)`` (a hand edit)."""
    image = parse_forum(path.read_bytes())
    tables = json.loads(json.dumps(plain_tables(image.state.tables)))
    change(tables)
    state = ForumState(tables, image.state.next_ids, image.state.last_write_at)
    path.write_bytes(b"".join(encode_forum(state, image.header.get("created_at"))))


def _meta(**changes: Any):
    return lambda tables: tables["meta"]["1"].update(changes)


def _first(table: str, **changes: Any):
    return lambda tables: next(iter(tables[table].values())).update(changes)


REFUSED = {
    "kuorum nilai teks": _meta(kuorum={"aturan": "persen_delegasi", "nilai": "x"}),
    "kuorum aturan hantu": _meta(kuorum={"aturan": "hantu", "nilai": 1}),
    "maks pilihan negatif": _meta(surat_suara={"maks_pilihan": -5, "bobot": "3-2-1"}),
    "batas per desa negatif": _meta(
        aturan_pagu={"minimal_satu_per_desa": False, "batas_per_desa": -3}
    ),
    "kolom kepala tak dikenal": _meta(zzz=1),
    "ditandatangani tanpa nomor": _meta(status="ditandatangani", nomor_surat=None),
    "metode tak dikenal": _meta(metode_prioritas="undian"),
    "bobot raksasa": _first("criteria", bobot=1e308),
    "utusan peserta teks": _first("utusan", peserta_id="abc"),
    "foto objek": _first("proposals", foto=[{"x": 1}]),
    "asal jenis hantu": _first("proposals", asal={"jenis": "hantu", "nama": "x"}),
    "nama bidi": _first("participants", nama="abc\u202edcba"),
    "catatan isolasi": _first("proposals", catatan="x\u2066y\u2069"),
    "tanda arah": _first("minutes", teks="a\u200fb\u061c"),
}


@pytest.fixture(scope="module")
def ready(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("siap") / "siap.musrenbang"
    with make_forum(path) as forum:
        forum.agenda.add_standard()
        make_ready(forum)
        forum.agenda.start(forum.agenda.all()[0]["id"])
        forum.minutes.add("Pembukaan")
        forum.priority.set_tally(forum.proposals.all()[0]["id"], 3)
    return path


@pytest.mark.parametrize("case", sorted(REFUSED))
def test_a_value_outside_the_schema_is_refused_on_open_naming_the_field(
    ready: Path, tmp_path: Path, case: str
) -> None:
    path = tmp_path / "f.musrenbang"
    shutil.copy(ready, path)
    _edit(path, REFUSED[case])
    problems = check_forum(path)
    assert problems, case
    with pytest.raises(ForumFileError) as refused:
        open_forum(path, readonly=True)
    assert "\n" not in str(refused.value) and problems[0].rstrip(".")[:40] in str(refused.value)


def test_the_backup_named_in_a_refusal_passes_the_same_check(tmp_path: Path) -> None:
    path = tmp_path / "f.musrenbang"
    with make_forum(path) as forum:
        forum.update_meta(tempat="Balai Desa")
    with open_forum(path) as forum:  # an open backs the file up
        forum.update_meta(tempat="Pendopo")
    backups = list_backups(path)
    assert backups
    good = newest_good_backup(path)
    assert good is not None
    for info in backups:  # the same hand edit reached every backup
        _edit(info.path, _meta(zzz=1))
    _edit(path, _meta(zzz=1))
    assert newest_good_backup(path) is None
    with pytest.raises(ForumFileError) as refused:
        open_forum(path, readonly=True)
    assert refused.value.backup is None and "Tidak ada cadangan yang baik" in str(refused.value)


_JSON = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-(2**63), 2**63 - 1)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=8)
    | st.sampled_from(
        [
            "",
            "L",
            "P",
            "draf",
            "final",
            "ditandatangani",
            "diakomodir",
            "voting",
            "surat_suara",
            "persen_delegasi",
            "3-2-1",
            "2026-02-12",
            "08:00",
        ]
    ),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner, max_size=3)
    ),
    max_leaves=6,
)


@st.composite
def _mutation(draw) -> tuple[str, str, str | None, Any]:
    """(table, field, sub-key or None, new value) for one record of the ready forum."""
    table = draw(st.sampled_from(sorted(_FIELDS)))
    return (
        table,
        draw(st.text(max_size=4) | st.sampled_from(_FIELDS[table])),
        draw(
            st.none() | st.sampled_from(["aturan", "nilai", "maks_pilihan", "bobot", "jenis", "x"])
        ),
        draw(_JSON),
    )


def _fields_of(path: Path) -> dict[str, list[str]]:
    tables = parse_forum(path.read_bytes()).state.tables
    return {
        name: sorted({f for r in records.values() for f in r})
        for name, records in tables.items()
        if records
    }


_FIELDS: dict[str, list[str]] = {}


def test_a_random_edit_is_flagged_or_harmless(ready: Path, tmp_path_factory) -> None:
    _FIELDS.update(_fields_of(ready))

    @settings(
        max_examples=25,
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    @given(_mutation())
    def run(mutation) -> None:
        table, field, sub, value = mutation
        folder = tmp_path_factory.mktemp("acak")
        path = folder / "f.musrenbang"
        shutil.copy(ready, path)

        def change(tables: dict) -> None:
            record = next(iter(tables[table].values()))
            if sub is not None and isinstance(record.get(field), dict):
                record[field][sub] = value
            else:
                record[field] = value

        _edit(path, change)
        if check_forum(path):
            return
        with open_forum(path) as forum:  # neither may fail with an unexpected error
            export_document(forum, "all", folder / "dokumen")
            if forum.status == "draf":
                forum.signoff.finalize()

    run()


def test_shape_problems_read_raw_tables_without_copying() -> None:
    meta = {"level": "desa", "wilayah_kode": "x", "tahun": 2027, "status": "draf", "judul": "J"}
    assert shape_problems({"meta": {"1": meta}}, {}) == []
    assert shape_problems({"meta": {"1": {**meta, "aneh": 1}}}, {}) == [
        "Kepala forum: kolom 'aneh' tidak dikenal."
    ]


def test_dump_escapes_bidi_and_c1_characters_in_tables_check_does_not_scan(
    ready: Path, tmp_path: Path
) -> None:
    from tests.test_cli_store import run

    path = tmp_path / "f.musrenbang"
    shutil.copy(ready, path)
    _edit(path, _first("audit", operator="Budi\u202eX\x9b[2J"))
    assert check_forum(path) == []  # the audit is not scanned (only dump prints it, as JSON)
    done = run("dump", str(path), home=tmp_path / "home")
    assert "\u202e" not in done.stdout and "\x9b" not in done.stdout
    assert "Budi\\u202eX\\u009b[2J" in done.stdout
    assert json.loads(done.stdout)["audit"][0]["operator"] == "Budi\u202eX\x9b[2J"


def test_whatever_the_writers_accept_from_a_stranger_passes_check(tmp_path_factory) -> None:
    """Bidi and control characters, digit runs, NaN, too many photos, forged header rules:
    each public writer refuses (``ValidationError``) or stores what ``check`` accepts, so a
    forum the app wrote always opens again."""
    accepted = []

    @settings(
        max_examples=40,
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    @given(hostile_session())
    def run(writes) -> None:
        path = tmp_path_factory.mktemp("asing") / "f.musrenbang"
        with make_forum(path) as forum:
            forum.proposals.add(desa="Japan", kegiatan="Sumur bor", biaya="5000000")
            accepted.append(apply_hostile(forum, writes))
            assert forum.shape_problems(whole=True) == []
        assert check_forum(path) == []
        open_forum(path, readonly=True).close()

    run()
    assert sum(accepted) > 0  # the values are not all refused: the check saw stored ones
