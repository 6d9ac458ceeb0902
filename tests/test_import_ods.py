""".ods files: formulas saved without a value are named like xlsx ones, found by a bounded
pre-scan of content.xml (repeated rows and cells counted, never expanded past the bounds)."""

from __future__ import annotations

import shutil
import subprocess
import time
import zipfile
from pathlib import Path

import pytest
from openpyxl import Workbook

from store.import_files import parse_import
from store.import_readers import UNSAVED_FORMULA
from store.validation_error import ValidationError

SOOKO = "35.16.13"
NAMESPACES = (
    'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
    'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
    'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"'
)
MANIFEST = (
    '<?xml version="1.0" encoding="UTF-8"?><manifest:manifest xmlns:manifest='
    '"urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">'
    '<manifest:file-entry manifest:full-path="/" '
    'manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
    '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
    "</manifest:manifest>"
)
EMPTY = "<table:table-cell/>"
FORMULA = '<table:table-cell table:formula="of:=[.C5]*2" office:value-type="float"/>'


def ods(path: Path, rows: str, sheet: str = "Usulan") -> Path:
    """A minimal .ods as a generator that does not compute writes it."""
    content = (
        f'<?xml version="1.0" encoding="UTF-8"?><office:document-content {NAMESPACES} '
        f'office:version="1.2"><office:body><office:spreadsheet><table:table table:name="{sheet}">'
        f"{rows}</table:table></office:spreadsheet></office:body></office:document-content>"
    )
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            zipfile.ZipInfo("mimetype"),
            "application/vnd.oasis.opendocument.spreadsheet",
            compress_type=zipfile.ZIP_STORED,
        )
        archive.writestr("META-INF/manifest.xml", MANIFEST)
        archive.writestr("content.xml", content)
    return path


def text(value: str) -> str:
    return (
        f'<table:table-cell office:value-type="string"><text:p>{value}</text:p></table:table-cell>'
    )


def number(value: int) -> str:
    return (
        f'<table:table-cell office:value-type="float" office:value="{value}">'
        f"<text:p>{value}</text:p></table:table-cell>"
    )


def row(*cells: str, repeat: int = 1) -> str:
    repeated = f' table:number-rows-repeated="{repeat}"' if repeat > 1 else ""
    return f"<table:table-row{repeated}>{''.join(cells)}</table:table-row>"


def usulan(*data: str) -> str:
    """A title, two blank rows, the header at row 4, then ``data``."""
    return (
        row(text("USULAN DESA JAPAN"))
        + row(EMPTY, repeat=2)
        + row(text("Desa"), text("Kegiatan"), text("Volume"), text("Biaya"))
        + "".join(data)
    )


def test_formula_without_a_saved_value_is_named_by_row_and_column(tmp_path):
    path = ods(
        tmp_path / "usulan.ods",
        usulan(
            row(text("Japan"), text("Paving"), number(5), number(1_000_000)),
            row(text("Japan"), text("Sumur"), EMPTY, FORMULA),
        ),
    )
    result = parse_import(path, wilayah_kode=SOOKO)
    assert [e.message for e in result.errors] == [f"baris 6: Biaya: {UNSAVED_FORMULA}"]


def test_formula_with_its_value_saved_imports(tmp_path):
    saved = (
        '<table:table-cell table:formula="of:=[.C5]*2" office:value-type="float" '
        'office:value="2000000"><text:p>2000000</text:p></table:table-cell>'
    )
    text_result = (
        '<table:table-cell table:formula="of:=&quot;Sumur&quot;" office:value-type="string">'
        "<text:p>Sumur</text:p></table:table-cell>"
    )
    path = ods(
        tmp_path / "usulan.ods",
        usulan(row(text("Japan"), text_result, EMPTY, saved)),
    )
    result = parse_import(path, wilayah_kode=SOOKO)
    assert result.ok, result.errors
    assert [(r["kegiatan"], r["biaya"]) for r in result.records] == [("Sumur", 2_000_000)]


def test_formula_text_without_a_value_type_reads_empty_and_is_named(tmp_path):
    """The reader shows a formula's text without ``office:value-type`` as an empty cell:
    named as an unsaved formula, not "Kegiatan wajib diisi"."""
    untyped = (
        '<table:table-cell table:formula="of:=&quot;Sumur&quot;">'
        "<text:p>Sumur</text:p></table:table-cell>"
    )
    path = ods(tmp_path / "usulan.ods", usulan(row(text("Japan"), untyped, EMPTY, number(9))))
    result = parse_import(path, wilayah_kode=SOOKO)
    assert [e.message for e in result.errors] == [f"baris 5: Kegiatan: {UNSAVED_FORMULA}"]


def test_repeated_rows_and_cells_put_the_problem_where_the_reader_shows_it(tmp_path):
    """Columns repeated before the formula and a formula row repeated three times."""
    path = ods(
        tmp_path / "usulan.ods",
        usulan(
            row(text("Japan"), text("Paving"), number(5), number(1_000_000)),
            row(text("Japan"), text("Sumur"), number(3), FORMULA, repeat=3),
        ),
    )
    result = parse_import(path, wilayah_kode=SOOKO)
    assert [e.message for e in result.errors] == [
        f"baris {n}: Biaya: {UNSAVED_FORMULA}" for n in (6, 7, 8)
    ]


def test_a_sea_of_unsaved_formulas_is_refused_at_once(tmp_path):
    """A 3 KB file: one formula repeated over 50 columns and 50,000 rows (within the size
    bounds, so the flood of unsaved formulas is what refuses it)."""
    wide = FORMULA.replace("/>", ' table:number-columns-repeated="50"/>')
    path = ods(tmp_path / "usulan.ods", usulan(row(wide, repeat=50_000)))
    assert path.stat().st_size < 4096
    started = time.perf_counter()
    with pytest.raises(ValidationError, match="sel bermasalah: rumus tanpa nilai tersimpan"):
        parse_import(path, wilayah_kode=SOOKO)
    assert time.perf_counter() - started < 30  # generous: only a guard against a hang


def test_libreoffice_saves_formula_values_and_they_import(tmp_path):
    """No false alarm on a real .ods: LibreOffice computes and saves every formula."""
    book = Workbook()
    book.active.append(["Desa", "Kegiatan", "Volume", "Biaya"])
    book.active.append(["Japan", "Paving", 5, "=C2*200000"])
    book.save(tmp_path / "usulan.xlsx")
    if not shutil.which("soffice"):
        pytest.skip("LibreOffice (soffice) is not installed")
    subprocess.run(
        ["soffice", f"-env:UserInstallation=file://{tmp_path / 'profil'}", "--headless",
         "--convert-to", "ods", "--outdir", str(tmp_path), str(tmp_path / "usulan.xlsx")],
        check=False, capture_output=True, timeout=120,
    )  # fmt: skip
    if not (tmp_path / "usulan.ods").exists():
        pytest.skip("LibreOffice cannot convert spreadsheets here (Calc is not installed)")
    result = parse_import(tmp_path / "usulan.ods", wilayah_kode=SOOKO)
    assert result.ok, result.errors
    assert [r["biaya"] for r in result.records] == [1_000_000]
