"""Properties of the importer: a table survives any decoration around it, garbage never
escapes as a traceback, and what the app exports it imports back."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from store.import_files import parse_import
from store.validation_error import ValidationError

SOOKO = "35.16.13"
DESA = ["Japan", "Sooko", "Gemekan", "Brangkal"]
HEADER = ["No", "Desa", "Kegiatan", "Volume", "Satuan", "Biaya (Rp)"]

rows = st.lists(
    st.tuples(
        st.sampled_from(DESA),
        st.text(alphabet="abcdefghij klmnop", min_size=3, max_size=20).filter(str.strip),
        st.integers(1, 999),
        st.sampled_from(["m", "m2", "unit"]),
        st.integers(1_000, 10**9),
    ),
    min_size=1,
    max_size=8,
)
titles = st.lists(
    st.sampled_from(["DAFTAR USULAN", "DESA JAPAN KECAMATAN SOOKO", "TAHUN 2027", ""]),
    max_size=5,
)


def _save(path: Path, table: list[list[object]]) -> None:
    book = Workbook()
    for row in table:
        book.active.append(row)
    book.save(path)


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    rows=rows,
    titles=titles,
    blanks=st.integers(0, 3),
    number_row=st.booleans(),
    total_row=st.booleans(),
    trailing=st.integers(0, 3),
)
def test_decorated_table_imports_the_same_records(
    tmp_path, rows, titles, blanks, number_row, total_row, trailing
):
    data = [[i, *row] for i, row in enumerate(rows, start=1)]
    plain = tmp_path / "plain.xlsx"
    _save(plain, [HEADER, *data])
    decorated_table = [[t] if t else [None] for t in titles] + [[None]] * blanks + [HEADER]
    if number_row:
        decorated_table.append([f"({i})" for i in range(1, len(HEADER) + 1)])
    decorated_table += data
    if total_row:
        decorated_table.append([None, "JUMLAH", None, None, None, sum(r[4] for r in rows)])
    decorated_table += [[None]] * trailing
    decorated = tmp_path / "decorated.xlsx"
    _save(decorated, decorated_table)
    expected = parse_import(plain, wilayah_kode=SOOKO)
    got = parse_import(decorated, wilayah_kode=SOOKO)
    assert expected.ok and got.ok, got.errors
    assert got.records == expected.records
    assert not any("JUMLAH" in w for w in got.warnings)


def _zip_with(member: str, content: bytes) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(member, content)
    return buffer.getvalue()


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    suffix=st.sampled_from([".csv", ".xlsx", ".xlsm", ".xls", ".ods"]),
    content=st.one_of(
        st.binary(max_size=400),
        st.text(max_size=300).map(lambda t: t.encode("utf-8", "surrogatepass")),
        st.binary(max_size=200).map(lambda b: _zip_with("xl/workbook.xml", b)),
        st.binary(max_size=200).map(lambda b: _zip_with("content.xml", b)),
        st.binary(max_size=200).map(lambda b: b"PK\x03\x04" + b),
    ),
)
def test_garbage_files_give_one_message_never_a_traceback(tmp_path, suffix, content):
    path = tmp_path / f"acak{suffix}"
    path.write_bytes(content)
    try:
        result = parse_import(path, wilayah_kode=SOOKO)
    except ValidationError as error:
        assert error.message.startswith("acak")
        assert "\n" not in error.message
    else:
        assert all(m.message.startswith("baris ") for m in result.errors)


def _corrupted_xlsx(tmp_path: Path, seed: int) -> Path:
    book = Workbook()
    book.active.append(["desa", "kegiatan", "biaya"])
    book.active.append(["Japan", "Paving", 1000])
    buffer = io.BytesIO()
    book.save(buffer)
    data = bytearray(buffer.getvalue())
    for i in range(0, len(data), 97 + seed):
        data[i] ^= 0x5A
    path = tmp_path / f"rusak{seed}.xlsx"
    path.write_bytes(bytes(data))
    return path


def test_corrupted_workbooks_are_refused_cleanly(tmp_path):
    for seed in range(20):
        path = _corrupted_xlsx(tmp_path, seed)
        try:
            parse_import(path)
        except ValidationError as error:
            assert error.message.startswith(path.name)


def test_exported_sheets_import_back(demo_forum_path, tmp_path):
    from exports.export_all import export_document
    from store.forum import open_forum
    from store.import_files import parse_import as parse
    from tests.forum_factory import make_forum

    with open_forum(demo_forum_path) as forum:
        proposals = forum.proposals.all()
        people = forum.participants.all()
        for kind in ("rekap", "daftar-hadir"):
            for fmt in ("xlsx", "csv"):
                export_document(forum, kind, tmp_path / f"{kind}.{fmt}", fmt)
    keys = ("desa", "kegiatan", "biaya", "lokasi", "volume", "satuan", "sumber_dana", "bidang")
    want = sorted(tuple(str(p.get(k)) for k in keys) for p in proposals)
    people_keys = ("nama", "jenis_kelamin", "lembaga", "desa", "jabatan", "delegasi")
    want_people = sorted(tuple(str(p.get(k)) for k in people_keys) for p in people)
    target = make_forum(tmp_path / "baru.musrenbang")
    target.close()
    for fmt in ("xlsx", "csv"):
        rekap = parse(tmp_path / f"rekap.{fmt}", wilayah_kode=SOOKO)
        assert rekap.ok, rekap.errors[:3]
        assert sorted(tuple(str(r.get(k)) for k in keys) for r in rekap.records) == want
        hadir = parse(tmp_path / f"daftar-hadir.{fmt}", wilayah_kode=SOOKO)
        assert hadir.ok, hadir.errors[:3]
        # the daftar hadir lists who attended: each imported person is one of the forum's
        got = [tuple(str(r.get(k)) for k in people_keys) for r in hadir.records]
        assert got and set(got) <= set(want_people) and len(set(got)) == len(got)
