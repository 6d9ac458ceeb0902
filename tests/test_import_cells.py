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
