"""Cells and rows a spreadsheet hides from the reader: forged shared strings, double
encoded text, rows hidden in Excel."""

from pathlib import Path

import pytest
from openpyxl import Workbook

from store.import_files import parse_import
from store.import_mojibake import repaired
from store.import_rows import HIDDEN
from store.validation_error import ValidationError

DATA = Path(__file__).parent / "data" / "import"
SOOKO = "35.16.13"


def test_negative_shared_string_index_is_refused():
    with pytest.raises(ValidationError, match="rujukan teks bersama tidak sah"):
        parse_import(DATA / "usulan-teks-bersama-negatif.xlsx", wilayah_kode=SOOKO)


@pytest.mark.parametrize(
    ("text", "fixed"),
    [("CafÃ©", "Café"), ("Jalan Ã–zil", "Jalan Özil"), ("Café", None), ("Sooko", None)],
)
def test_double_encoded_text_is_recognised(text, fixed):
    assert repaired(text) == fixed


def test_double_encoded_cell_warns_naming_the_row(tmp_path):
    path = tmp_path / "usulan.csv"
    path.write_text(
        "Desa,Kegiatan,Biaya\nSooko,Paving,1000\nSooko,CafÃ© desa,2000\n", encoding="utf-8"
    )
    result = parse_import(path, wilayah_kode=SOOKO)
    assert result.ok
    assert next(w for w in result.warnings if "salah pengodean" in w).startswith("baris 3:")


def test_hidden_rows_are_skipped_and_named(tmp_path):
    book = Workbook()
    sheet = book.active
    sheet.append(["Desa", "Kegiatan", "Biaya"])
    sheet.append(["Sooko", "Paving", 1000])
    sheet.append(["Sooko", "Coretan", 999_999_999])
    sheet.append(["Sooko", "Drainase", 2000])
    sheet.row_dimensions[3].hidden = True
    path = tmp_path / "usulan.xlsx"
    book.save(path)
    result = parse_import(path, wilayah_kode=SOOKO)
    assert [r["kegiatan"] for r in result.records] == ["Paving", "Drainase"]
    assert f"baris 3: {HIDDEN}" in result.skipped_lines()


def test_excel_error_cell_is_named():
    result = parse_import(DATA / "usulan-sel-galat.xlsx", wilayah_kode=SOOKO)
    assert [e.message for e in result.errors] == ["baris 2: Biaya: sel berisi galat Excel (#REF!)"]


@pytest.mark.parametrize(
    "content", ["Desa,Kegiatan,Biaya\n", "Judul\n\nNo,Desa,Kegiatan,Biaya\n,,,\n1,,,\n"]
)
def test_header_without_data_rows_is_refused(tmp_path, content):
    path = tmp_path / "usulan.csv"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(ValidationError, match="tidak ada baris data"):
        parse_import(path, wilayah_kode=SOOKO)


def _fifo(path: Path) -> None:
    import os

    os.mkfifo(path)


@pytest.mark.parametrize(
    "make",
    [
        lambda p: p.mkdir(),
        lambda p: p.symlink_to("/dev/zero"),
        lambda p: p.symlink_to(p.parent / "tidak-ada"),
        _fifo,
    ],
)
def test_not_a_regular_file_says_so(tmp_path, make):
    path = tmp_path / "usulan.csv"
    make(path)
    with pytest.raises(ValidationError, match="bukan berkas biasa"):
        parse_import(path, wilayah_kode=SOOKO)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ('Desa,Kegiatan,Biaya\nSooko,"Paving,1000\nSooko,x,1\n', "tidak ditutup"),
        ('Desa,Kegiatan,Biaya\nSooko,"Paving"x,1000\n', "sesudah tanda kutip penutup"),
    ],
)
def test_quote_problems_have_their_own_message(tmp_path, content, message):
    path = tmp_path / "usulan.csv"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(ValidationError, match=message):
        parse_import(path, wilayah_kode=SOOKO)


@pytest.mark.parametrize("source", ["DD 081234567890", "DD 2027", "APBD Kab 5"])
def test_funding_source_with_trailing_number_is_refused(tmp_path, source):
    path = tmp_path / "usulan.csv"
    path.write_text(f"Desa,Kegiatan,Biaya,Sumber Dana\nSooko,Paving,1000,{source}\n")
    result = parse_import(path, wilayah_kode=SOOKO)
    assert not result.ok
    assert "bukan sumber dana yang dikenal" in result.errors[0].message
    assert "081234567890" not in result.errors[0].message


def test_bidi_override_is_refused_and_zero_width_stripped(tmp_path):
    path = tmp_path / "usulan.csv"
    path.write_text(
        "Desa,Kegiatan,Biaya\nSooko,Pa\u200bving,1000\nSooko,Jalan \u202eabc,2000\n",
        encoding="utf-8",
    )
    result = parse_import(path, wilayah_kode=SOOKO)
    assert [e.row for e in result.errors] == [3]
    assert "U+202E" in result.errors[0].message
    path.write_text("Desa,Kegiatan,Biaya\nSooko,Pa\u200bving,1000\n", encoding="utf-8")
    assert parse_import(path, wilayah_kode=SOOKO).records[0]["kegiatan"] == "Paving"


def test_combined_desa_lembaga_column_and_text_prefixed_nik(tmp_path):
    path = tmp_path / "peserta.csv"
    path.write_text(
        "Nama Lengkap;NIK;Asal Desa/Lembaga\nBudi;'3516132611790001;LPM Sooko\n",
        encoding="utf-8",
    )
    result = parse_import(path, wilayah_kode=SOOKO)
    assert result.ok, result.errors
    assert result.records[0]["nik"] == "3516132611790001"
    assert result.records[0]["lembaga"] == "LPM Sooko"


def test_wholly_windows_1252_file_is_named_as_such(tmp_path):
    path = tmp_path / "peserta.csv"
    path.write_bytes("Nama;L/P\nRené;L\nBudi;L\nHéri;L\n".encode("cp1252"))
    warning = parse_import(path, wilayah_kode=SOOKO).warnings[0]
    assert "berkas ini bukan UTF-8, dibaca sebagai Windows-1252" in warning
    path.write_bytes("Nama;L/P\nRené;L\n".encode() + "Héri;L\n".encode("cp1252"))
    assert "bercampur dengan UTF-8" in parse_import(path, wilayah_kode=SOOKO).warnings[0]


@pytest.mark.parametrize(
    ("written", "standard"),
    [
        ("BK Kab", "APBD Kab"),
        ("Bantuan Keuangan", "APBD Kab"),
        ("BKK", "APBD Kab"),
        ("DAK", "APBD Kab"),
        ("BK Prov", "APBD Prov"),
        ("PADes", "APBDes"),
        ("APBN", "APBN"),
    ],
)
def test_funding_source_synonyms(tmp_path, written, standard):
    path = tmp_path / "usulan.csv"
    path.write_text(f"Desa,Kegiatan,Biaya,Sumber Dana\nSooko,Paving,1000,{written}\n")
    result = parse_import(path, wilayah_kode=SOOKO)
    assert result.ok, result.errors
    assert result.records[0]["sumber_dana"][0]["sumber"] == standard


@pytest.mark.parametrize("written", ["CSR", "PAD", "Hibah X"])
def test_unknown_funding_sources_still_refused(tmp_path, written):
    path = tmp_path / "usulan.csv"
    path.write_text(f"Desa,Kegiatan,Biaya,Sumber Dana\nSooko,Paving,1000,{written}\n")
    result = parse_import(path, wilayah_kode=SOOKO)
    assert "bukan sumber dana yang dikenal" in result.errors[0].message
