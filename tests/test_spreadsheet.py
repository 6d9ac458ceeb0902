"""Table documents as xlsx and csv: SIPD column order, numbers kept, formulas neutralised."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import openpyxl
import pytest

from exports.export_all import export_document
from exports.spreadsheet import Sheet, safe_text, write
from store.attendance import attended
from store.forum import open_forum
from tests.forum_factory import make_forum

SIPD_FIRST = [
    "Kamus Usulan",
    "Permasalahan",
    "Alamat/Lokasi",
    "Volume",
    "Satuan",
    "Foto",
    "OPD Tujuan",
]


@pytest.mark.parametrize(
    ("text", "safe"),
    [
        ('=HYPERLINK("http://x")', '\'=HYPERLINK("http://x")'),
        ("+62 812", "'+62 812"),
        ("-masalah", "'-masalah"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tTab", "'\tTab"),
        ("Paving = 300 m", "Paving = 300 m"),
        ("", ""),
    ],
)
def test_formula_starts_are_neutralised_text_kept(text: str, safe: str):
    assert safe_text(text) == safe


def _xlsx_rows(path: Path) -> tuple[list, list[list]]:
    sheet = openpyxl.load_workbook(path).active
    rows = [[c for c in row] for row in sheet.iter_rows()]
    header_at = next(i for i, row in enumerate(rows) if row[0].value in ("Kamus Usulan", "No"))
    return [c.value for c in rows[header_at]], rows[header_at + 1 :]


def test_rekap_xlsx_in_sipd_order_with_every_proposal(demo_forum_path: Path, tmp_path: Path):
    with open_forum(demo_forum_path, readonly=True) as forum:
        path = export_document(forum, "rekap", tmp_path / "rekap.xlsx", "xlsx")[0]
        proposals = forum.proposals.all()
    header, rows = _xlsx_rows(path)
    assert header[:7] == SIPD_FIRST
    assert len(rows) == len(proposals)
    by_column = {name: i for i, name in enumerate(header)}
    costs = sorted(r[by_column["Biaya (Rp)"]].value for r in rows)
    assert costs == sorted(p["biaya"] for p in proposals)
    assert all(r[by_column["Biaya (Rp)"]].data_type == "n" for r in rows)
    first = rows[0]
    assert first[by_column["Peringkat"]].value == 1
    assert first[by_column["Status"]].value == "diakomodir"


def test_user_text_never_becomes_a_formula(tmp_path: Path):
    forum = make_forum(tmp_path / "f.musrenbang")
    forum.proposals.add(
        desa="Japan",
        kegiatan="=1+1",
        permasalahan="@cmd|' /C calc'!A0",
        lokasi="-RT 01",
        biaya=5_000_000,
    )
    xlsx = export_document(forum, "rekap", tmp_path / "r.xlsx", "xlsx")[0]
    csv_path = export_document(forum, "rekap", tmp_path / "r.csv", "csv")[0]
    forum.close()
    sheet = openpyxl.load_workbook(xlsx).active
    cells = [c for row in sheet.iter_rows() for c in row]
    assert not [c for c in cells if c.data_type == "f"]
    values = {c.value for c in cells}
    assert {"'=1+1", "'@cmd|' /C calc'!A0", "'-RT 01"} <= values
    text = csv_path.read_bytes().decode("utf-8-sig")
    row = next(csv.reader(io.StringIO(text), delimiter=";"))
    assert row[:7] == SIPD_FIRST
    assert "'=1+1" in text and ";=1+1" not in text


def test_daftar_hadir_csv_has_no_nik_or_phone(demo_forum_path: Path, tmp_path: Path):
    with open_forum(demo_forum_path, readonly=True) as forum:
        path = export_document(forum, "daftar-hadir", tmp_path, "csv")[0]
        people = forum.participants.all()
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # Excel reads UTF-8 only with the mark
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][:3] == ["No", "Nama", "L/P"]
    assert len(rows) - 1 == sum(1 for p in people if attended(p))
    secrets = [p[k] for p in people for k in ("nik", "telepon") if p.get(k)]
    text = raw.decode("utf-8-sig")
    assert secrets and not [s for s in secrets if s in text]
    assert "NIK" not in rows[0] and "Telepon" not in rows[0]


def test_notulen_xlsx_lists_every_entry(demo_forum_path: Path, tmp_path: Path):
    with open_forum(demo_forum_path, readonly=True) as forum:
        path = export_document(forum, "notulen", tmp_path / "n.xlsx", "xlsx")[0]
        minutes = forum.minutes.all()
    header, rows = _xlsx_rows(path)
    assert header[:4] == ["No", "Pukul", "Acara", "Jenis"]
    assert [r[header.index("Uraian")].value for r in rows] == [m["teks"] for m in minutes]


def test_all_in_a_spreadsheet_format_writes_the_three_tables(demo_forum_path: Path, tmp_path: Path):
    with open_forum(demo_forum_path, readonly=True) as forum:
        written = export_document(forum, "all", tmp_path / "tabel", "xlsx")
    assert sorted(p.name for p in written) == ["daftar-hadir.xlsx", "notulen.xlsx", "rekap.xlsx"]


def test_sheet_notes_sit_above_the_header_and_money_is_formatted(tmp_path: Path):
    sheet = Sheet(
        "Uji",
        ["Nama", "Biaya (Rp)"],
        [["A", 1_500_000]],
        ["Judul", "Tanggal"],
        frozenset({"Biaya (Rp)"}),
    )
    write(sheet, tmp_path / "u.xlsx", "xlsx")
    ws = openpyxl.load_workbook(tmp_path / "u.xlsx").active
    assert ws["A1"].value == "Judul" and ws["A4"].value == "Nama"
    assert ws["B5"].value == 1_500_000 and ws["B5"].number_format == "#,##0"
