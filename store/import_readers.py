"""Reading an import file into a plain grid of cells, bounded before anything is inflated.

``read_grids(path)`` gives every visible worksheet as a list of rows (``rows[0]`` is Excel
row 1), so the caller can pick the first one that holds a table. CSV files are decoded per
line: UTF-8 lines as UTF-8, the rest only when charset-normalizer finds them plausible
Windows-1252 (Excel's "CSV" on an Indonesian Windows), else the file is refused naming the
line; never "CafÃ©". Spreadsheets (.xlsx .xlsm .xls .ods) are read with python-calamine;
zip-based ones are checked first (member count, declared sizes, compression ratio, the
largest cell reference) so a zip bomb or a 1.6 KB file declaring a million-row sheet is
refused at once. Every refusal is a ValidationError naming the file.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
import zipfile
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path
from typing import Any

from store.import_bounds import SheetScan, scan_workbook
from store.import_limits import (
    MAX_CELL_CHARS,
    MAX_COLUMNS,
    MAX_DATA_ROWS,
    MAX_DATA_ROWS_TEXT,
    MAX_FILE_BYTES,
    MAX_GRID_ROWS,
    UNSAVED_FORMULA,
    refuse,
)
from store.validation_error import ValidationError

__all__ = [
    "MAX_DATA_ROWS",
    "MAX_DATA_ROWS_TEXT",
    "UNSAVED_FORMULA",
    "Grid",
    "read_grids",
    "refuse",
]

CSV_SUFFIXES = (".csv",)
SHEET_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".ods")
_DELIMITERS = (";", ",", "\t", "|")
_UTF16_BOMS = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)  # decoded whole, no detection


@dataclass
class Grid:
    """One sheet's cells; ``cell_problems`` maps (excel_row, column_index) to what is wrong
    with a cell the reader shows as empty: a formula saved without a value (the file was
    written by a program that does not compute) or an Excel error such as ``#REF!``;
    ``hidden_rows`` are rows hidden in Excel; ``merges`` the merged ranges as
    (first_row, first_column, last_row, last_column), 0-based, inclusive, at most
    ``MAX_MERGES`` of them."""

    name: str
    rows: list[list[Any]]
    warnings: list[str] = field(default_factory=list)
    cell_problems: dict[tuple[int, int], str] = field(default_factory=dict)
    hidden_rows: set[int] = field(default_factory=set)
    merges: list[tuple[int, int, int, int]] = field(default_factory=list)


def read_grids(path: Path) -> list[Grid]:
    """Every visible sheet of ``path`` (a CSV is one sheet), in workbook order."""
    name = path.name
    suffix = path.suffix.casefold()
    if suffix not in CSV_SUFFIXES + SHEET_SUFFIXES:
        raise refuse(name, "hanya .csv, .xlsx, .xlsm, .xls atau .ods yang bisa diimpor")
    if not path.exists() and not path.is_symlink():
        raise refuse(name, "berkas tidak ditemukan")
    if not path.is_file():  # a folder, a FIFO, a device, a dangling link
        raise refuse(name, "bukan berkas biasa (folder, perangkat atau tautan rusak)")
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        raise refuse(name, f"berkas terlalu besar ({size // 1_048_576} MB, maksimal 64 MB)")
    if suffix in CSV_SUFFIXES:
        return [_csv_grid(path)]
    return _sheet_grids(path)


# --------------------------------------------------------------------------- CSV


def _decode(data: bytes, name: str) -> tuple[str, list[str]]:
    if data.startswith(_UTF16_BOMS):
        try:
            return data.decode("utf-16"), []
        except UnicodeDecodeError:
            raise refuse(
                name, "bukan teks UTF-16 yang utuh; simpan ulang sebagai CSV UTF-8"
            ) from None
    try:
        return data.decode("utf-8-sig"), []
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    lines = data.splitlines(keepends=True)
    legacy: list[int] = []
    text: list[str] = []
    for number, line in enumerate(lines, start=1):
        try:
            text.append(line.decode("utf-8-sig" if number == 1 else "utf-8"))
            continue
        except UnicodeDecodeError:
            pass
        best = from_bytes(line, cp_isolation=["cp1252"]).best()
        if best is None:
            raise refuse(
                name,
                f"baris {number}: huruf tidak bisa dibaca (bukan UTF-8 maupun Windows-1252); "
                "simpan ulang sebagai CSV UTF-8",
            )
        text.append(line.decode("cp1252", errors="strict"))
        legacy.append(number)
    legacy_lines = set(legacy)
    utf8_letters = any(
        not text[i - 1].isascii() for i in range(1, len(lines) + 1) if i not in legacy_lines
    )
    # wholly Windows-1252 (its other lines plain ASCII): the file; mixed: the rows
    where = f"{rows_text(legacy)} (bercampur dengan UTF-8)" if utf8_letters else "berkas ini"
    warning = (
        f"{name}: {where} bukan UTF-8, dibaca sebagai Windows-1252; periksa huruf khusus "
        "(é, ñ, ...) atau simpan ulang sebagai CSV UTF-8"
    )
    return "".join(text), [warning]


#: At most this many row numbers are listed in one message; the rest are counted.
LISTED_ROWS = 10


def rows_text(numbers: list[int]) -> str:
    """``"baris 4, 7, 9"``; past ``LISTED_ROWS``: ``"baris 4, 7, ..., 40 (25 baris)"``."""
    if len(numbers) <= LISTED_ROWS:
        return "baris " + ", ".join(map(str, numbers))
    shown_rows = ", ".join(map(str, numbers[: LISTED_ROWS - 1]))
    return f"baris {shown_rows}, ..., {numbers[-1]} ({len(numbers)} baris)"


def _check_line_count(data: bytes, name: str) -> None:
    """Refuse a file with too many rows before decoding it: charset detection runs per
    line that is not UTF-8, far too slow to spend on a file refused anyway. Rows are
    counted on the bytes: a line break inside a quoted cell (an odd number of ``"`` so far)
    does not end a row; ``"`` is one byte in UTF-8 and Windows-1252 alike."""
    if data.startswith(_UTF16_BOMS):
        return  # decoded whole, without detection; its rows are counted as read
    separator = b"\n" if b"\n" in data else b"\r"
    lines = data.count(separator)
    if lines < MAX_GRID_ROWS:
        return
    if lines > 2 * MAX_GRID_ROWS:  # a quote left open would otherwise hide every line
        raise refuse(
            name,
            f"lebih dari {2 * MAX_GRID_ROWS:,} baris teks; bagi menjadi beberapa berkas".replace(
                ",", "."
            ),
        )
    rows, quoted = 0, False
    for line in data.split(separator):
        if line.count(b'"') % 2:
            quoted = not quoted
        if not quoted:
            rows += 1
            if rows > MAX_GRID_ROWS:
                raise refuse(
                    name,
                    f"lebih dari {MAX_DATA_ROWS_TEXT} baris data; bagi menjadi beberapa berkas",
                )


def _delimiter(lines: list[str]) -> str:
    sample = "\n".join(lines[:30])
    return max(_DELIMITERS, key=sample.count)


def _csv_grid(path: Path) -> Grid:
    name = path.name
    data = path.read_bytes()
    _check_line_count(data, name)
    text, warnings = _decode(data, name)
    first, _, rest = text.partition("\n")
    rows: list[list[Any]] = []
    match = re.fullmatch(r"\s*sep=(.)\s*", first.lstrip("\ufeff"))
    if match:
        delimiter = match.group(1)
        rows.append([])  # Excel's "sep=" line: not data, but it keeps its row number
        body = rest
    else:
        delimiter = _delimiter([line for line in text.splitlines() if line.strip()])
        body = text
    try:
        for cells in csv.reader(io.StringIO(body, newline=""), delimiter=delimiter, strict=True):
            _check_row(name, len(rows) + 1, cells)
            rows.append(cells)
    except csv.Error as error:
        if "unexpected end of data" in str(error):
            raise refuse(
                name,
                f'baris {len(rows) + 1}: tanda kutip (") dibuka tetapi tidak ditutup sampai '
                "akhir berkas; periksa teks yang memuat tanda kutip",
            ) from None
        if "expected after" in str(error):
            raise refuse(
                name,
                f'baris {len(rows) + 1}: ada teks sesudah tanda kutip penutup ("); tulis '
                'tanda kutip di dalam teks sebagai ""',
            ) from None
        raise refuse(
            name,
            f"baris {len(rows) + 1}: isian terlalu panjang atau tanda kutip tidak tertutup",
        ) from None
    return Grid(name, rows, warnings)


def _check_row(name: str, number: int, cells: list[Any]) -> None:
    if number > MAX_GRID_ROWS:
        raise refuse(
            name, f"lebih dari {MAX_DATA_ROWS_TEXT} baris data; bagi menjadi beberapa berkas"
        )
    if len(cells) > MAX_COLUMNS:
        raise refuse(name, f"baris {number}: lebih dari {MAX_COLUMNS} kolom")
    for cell in cells:
        if isinstance(cell, str) and len(cell) > MAX_CELL_CHARS:
            raise refuse(
                name,
                f"baris {number}: ada isian terlalu panjang ({len(cell)} karakter, "
                f"maksimal {MAX_CELL_CHARS})",
            )


# --------------------------------------------------------------------------- spreadsheets


def _sheet_grids(path: Path) -> list[Grid]:
    name = path.name
    suffix = path.suffix.casefold()
    scans: dict[str, SheetScan] = {}
    if suffix in (".xlsx", ".xlsm", ".ods"):
        scans = _check_zip(path, name, suffix)
    from python_calamine import CalamineWorkbook, SheetTypeEnum, SheetVisibleEnum

    try:
        workbook = CalamineWorkbook.from_path(str(path))
    except Exception:  # calamine raises its own errors, ValueError, OSError...
        raise refuse(
            name, f"tidak bisa dibuka sebagai {suffix} (rusak atau bukan lembar kerja)"
        ) from None
    grids = []
    try:
        for meta in workbook.sheets_metadata:
            if meta.visible != SheetVisibleEnum.Visible or meta.typ != SheetTypeEnum.WorkSheet:
                continue
            try:
                sheet = workbook.get_sheet_by_name(meta.name)
                if sheet.end and (sheet.end[0] >= MAX_GRID_ROWS or sheet.end[1] >= MAX_COLUMNS * 2):
                    raise refuse(
                        name,
                        f"lembar '{meta.name}' terlalu besar "
                        f"(lebih dari {MAX_DATA_ROWS_TEXT} baris)",
                    )
                rows = sheet.to_python(skip_empty_area=False, nrows=MAX_GRID_ROWS + 1)
            except ValidationError:
                raise
            except Exception:
                raise refuse(name, f"lembar '{meta.name}' rusak dan tidak bisa dibaca") from None
            grid_rows = []
            for number, cells in enumerate(rows, start=1):
                cells = _trimmed(cells)
                _check_row(name, number, cells)
                grid_rows.append(cells)
            scan = scans.get(meta.name, SheetScan())
            grid = Grid(meta.name, grid_rows, [], scan.problems, scan.hidden, _merges(sheet))
            grids.append(grid)
    finally:
        workbook.close()
    if not grids:
        raise refuse(name, "tidak ada lembar kerja yang terlihat")
    return grids


#: At most this many merge ranges of a sheet are read (a sheet declaring more is odd).
MAX_MERGES = 5_000


def _merges(sheet: Any) -> list[tuple[int, int, int, int]]:
    """The sheet's merged ranges (bounded; none when the reader cannot say)."""
    try:
        ranges = sheet.merged_cell_ranges or []
    except Exception:  # not every format or calamine version knows merges
        return []
    return [
        (int(r0), int(c0), int(r1), int(c1)) for (r0, c0), (r1, c1) in islice(ranges, MAX_MERGES)
    ]


def _trimmed(cells: list[Any]) -> list[Any]:
    end = len(cells)
    while end and (cells[end - 1] is None or cells[end - 1] == ""):
        end -= 1
    return list(cells[:end])


def _check_zip(path: Path, name: str, suffix: str) -> dict[str, SheetScan]:
    """The bounded pre-scan of a zip-based workbook (``store.import_bounds``)."""
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        raise refuse(
            name, f"tidak bisa dibuka sebagai {suffix} (rusak atau bukan lembar kerja)"
        ) from None
    with archive:
        return scan_workbook(archive, name, suffix)
