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
from collections.abc import Iterator
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path
from typing import Any
from xml.etree.ElementTree import ParseError, XMLPullParser

from store.validation_error import ValidationError

CSV_SUFFIXES = (".csv",)
SHEET_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".ods")
MAX_DATA_ROWS = 50_000
MAX_DATA_ROWS_TEXT = "50.000"
MAX_GRID_ROWS = MAX_DATA_ROWS + 1_000  # room for titles, headers, totals and blank rows
MAX_COLUMNS = 200
MAX_CELL_CHARS = 10_000
MAX_FILE_BYTES = 64 * 1024 * 1024
MAX_MEMBER_BYTES = 256 * 1024 * 1024  # one inflated zip member
MAX_INFLATED_BYTES = 512 * 1024 * 1024
MAX_RATIO = 150  # inflated / compressed; real sheets stay well under 50
MAX_MEMBERS = 2_000
_CELL_REF = re.compile(r"([A-Z]{1,3})(\d{1,7})$")
_DELIMITERS = (";", ",", "\t", "|")
_ERROR_CHARS = 12  # "#DIV/0!", "#GETTING_DATA"
UNSAVED_FORMULA = "rumus tanpa nilai tersimpan: buka dan simpan ulang di Excel"
MAX_CELL_PROBLEMS = 10_000


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


@dataclass
class _SheetScan:
    """What the bounded pre-scan of one sheet learnt that calamine does not say."""

    problems: dict[tuple[int, int], str] = field(default_factory=dict)
    hidden: set[int] = field(default_factory=set)


def refuse(name: str, reason: str) -> ValidationError:
    """The file-level refusal: ``usulan.xlsx: <reason>``."""
    return ValidationError("berkas", f"{name}: {reason}")


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
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
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


def _delimiter(lines: list[str]) -> str:
    sample = "\n".join(lines[:30])
    return max(_DELIMITERS, key=sample.count)


def _csv_grid(path: Path) -> Grid:
    name = path.name
    text, warnings = _decode(path.read_bytes(), name)
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
    scans: dict[str, _SheetScan] = {}
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
            scan = scans.get(meta.name, _SheetScan())
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


def _check_zip(path: Path, name: str, suffix: str) -> dict[str, _SheetScan]:
    """Bounds of a zip-based workbook, checked on the declared sizes before inflating; then
    the unsaved formula cells of each sheet (by sheet name) and, for .xlsx/.xlsm, hidden
    rows, Excel error cells and shared-string references that are not a plain index."""
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        raise refuse(
            name, f"tidak bisa dibuka sebagai {suffix} (rusak atau bukan lembar kerja)"
        ) from None
    with archive:
        members = archive.infolist()
        if len(members) > MAX_MEMBERS:
            raise refuse(name, "isi berkas tidak wajar (terlalu banyak bagian)")
        total = 0
        for member in members:
            total += member.file_size
            ratio = member.file_size / max(member.compress_size, 1)
            if (
                member.file_size > MAX_MEMBER_BYTES
                or total > MAX_INFLATED_BYTES
                or (member.file_size > 1_048_576 and ratio > MAX_RATIO)
            ):
                raise refuse(name, "isi berkas terlalu besar setelah dibuka (mungkin bom zip)")
        try:
            if suffix == ".ods":
                return _check_ods(archive, name)
            return _scan_xlsx(archive, name)
        except ValidationError:
            raise
        except (
            ParseError,
            KeyError,
            zipfile.BadZipFile,
            OSError,
            EOFError,
            ValueError,
            RuntimeError,
        ):
            raise refuse(
                name, f"tidak bisa dibuka sebagai {suffix} (rusak atau bukan lembar kerja)"
            ) from None
        except Exception as error:  # zlib.error and friends from a damaged member
            if error.__class__.__module__ == "zlib":
                raise refuse(name, f"tidak bisa dibuka sebagai {suffix} (rusak)") from None
            raise


def _events(archive: zipfile.ZipFile, member: str) -> Iterator[tuple[str, Any]]:
    """Streamed XML events of one member: memory stays bounded by the chunk size."""
    parser = XMLPullParser(events=("start", "end"))
    with archive.open(member) as stream:
        while chunk := stream.read(65_536):
            parser.feed(chunk)
            yield from parser.read_events()
    parser.close()
    yield from parser.read_events()


def _local(tag: str) -> str:
    return tag.rpartition("}")[2]


def _sheet_paths(archive: zipfile.ZipFile) -> dict[str, str]:
    """Sheet name -> its XML member, from workbook.xml and its relationships."""
    targets = {}
    for event, element in _events(archive, "xl/_rels/workbook.xml.rels"):
        if event == "end" and _local(element.tag) == "Relationship":
            target = element.get("Target", "").lstrip("/")
            targets[element.get("Id")] = target if target.startswith("xl/") else f"xl/{target}"
    paths = {}
    for event, element in _events(archive, "xl/workbook.xml"):
        if event == "end" and _local(element.tag) == "sheet":
            rel = next((v for k, v in element.attrib.items() if _local(k) == "id"), None)
            if rel in targets:
                paths[element.get("name", "")] = targets[rel]
    return paths


def _column_index(letters: str) -> int:
    index = 0
    for letter in letters:
        index = index * 26 + ord(letter) - 64
    return index - 1


def _scan_xlsx(archive: zipfile.ZipFile, name: str) -> dict[str, _SheetScan]:
    names = set(archive.namelist())
    found: dict[str, _SheetScan] = {}
    for sheet, member in _sheet_paths(archive).items():
        if member not in names:
            continue
        scan = _SheetScan()
        ref, has_formula, has_value, kind = "", False, False, ""
        for event, element in _events(archive, member):
            tag = _local(element.tag)
            if event == "start" and tag == "c":
                ref, has_formula, has_value = element.get("r", ""), False, False
                kind = element.get("t", "")
                if match := _CELL_REF.match(ref):
                    row, column = int(match.group(2)), _column_index(match.group(1))
                    if row > MAX_GRID_ROWS or column >= MAX_COLUMNS * 2:
                        raise refuse(
                            name,
                            f"lembar '{sheet}' terlalu besar (sel {ref}); maksimal "
                            f"{MAX_DATA_ROWS_TEXT} baris",
                        )
            elif event == "end" and tag == "f":
                has_formula = True
            elif event == "end" and tag in ("v", "is"):
                has_value = has_value or bool(element.text) or tag == "is"
                if kind == "e" and tag == "v" and (match := _CELL_REF.match(ref)):
                    where = (int(match.group(2)), _column_index(match.group(1)))
                    error = (element.text or "").strip()[:_ERROR_CHARS]
                    _mark(scan, where, f"sel berisi galat Excel ({error})", name)
                if kind == "s" and tag == "v" and not (element.text or "").strip().isdigit():
                    raise refuse(
                        name,
                        f"lembar '{sheet}' sel {ref}: rujukan teks bersama tidak sah "
                        "(berkas rusak atau dibuat-buat)",
                    )
            elif event == "end" and tag == "c":
                if has_formula and not has_value and (match := _CELL_REF.match(ref)):
                    where = (int(match.group(2)), _column_index(match.group(1)))
                    _mark(scan, where, UNSAVED_FORMULA, name)
                element.clear()
            elif tag == "row":
                number = int(element.get("r", "0") or 0) if event == "start" else 0
                if number > MAX_GRID_ROWS:
                    raise refuse(
                        name, f"lembar '{sheet}' terlalu besar; maksimal {MAX_DATA_ROWS_TEXT} baris"
                    )
                if number and element.get("hidden") in ("1", "true"):
                    scan.hidden.add(number)
                if event == "end":
                    element.clear()
        found[sheet] = scan
    return found


#: Attributes an .ods cell keeps its computed value in (text results sit in <text:p>).
_ODS_VALUES = frozenset({"value", "date-value", "time-value", "boolean-value", "string-value"})


def _check_ods(archive: zipfile.ZipFile, name: str) -> dict[str, _SheetScan]:
    """An .ods repeats rows and cells by attribute; a filled one repeated past the bounds
    would make the reader build a huge grid. Also the cells holding a formula with no saved
    value (``table:formula`` without an ``office:*value`` or text), by sheet name, at the
    Excel row number and column index the reader gives them."""
    found: dict[str, _SheetScan] = {}
    scan, rows, row_number, column, row_filled, unsaved = _SheetScan(), 0, 0, 0, False, []
    for event, element in _events(archive, "content.xml"):
        tag = _local(element.tag)
        if event == "start":
            if tag == "table":
                scan = found.setdefault(_attribute(element, "name"), _SheetScan())
                rows = row_number = 0
            elif tag == "table-row":
                column, row_filled, unsaved = 0, False, []
            continue
        if tag == "table-cell" or tag == "covered-table-cell":
            repeat = _repeat(element, "number-columns-repeated")
            filled = bool(len(element) or element.text)
            if repeat > MAX_COLUMNS and filled:
                raise refuse(name, "lembar terlalu lebar (isian diulang ke ribuan kolom)")
            if _attribute(element, "formula") and not _saved_value(element, filled):
                unsaved.extend(range(column, min(column + repeat, MAX_COLUMNS * 2)))
            row_filled = row_filled or filled or bool(unsaved)
            column += repeat
            element.clear()
        elif tag == "table-row":
            repeat = _repeat(element, "number-rows-repeated")
            rows += repeat if row_filled else 1
            if rows > MAX_GRID_ROWS:
                raise refuse(name, f"lebih dari {MAX_DATA_ROWS_TEXT} baris data")
            for number in range(row_number + 1, row_number + 1 + (repeat if unsaved else 0)):
                for index in unsaved:
                    _mark(scan, (number, index), UNSAVED_FORMULA, name)
            row_number += repeat
            element.clear()
        elif tag == "table":
            element.clear()
    return found


def _saved_value(cell: Any, filled: bool) -> bool:
    """A typed value the reader can show: ``office:value-type`` with a value attribute or
    text (a cell with text but no type is read as empty, so it counts as unsaved)."""
    typed = bool(_attribute(cell, "value-type"))
    return typed and (filled or any(_local(key) in _ODS_VALUES for key in cell.attrib))


def _mark(scan: _SheetScan, where: tuple[int, int], problem: str, name: str) -> None:
    """Note a cell the reader shows empty; a file with a great many of them is refused
    whole (it needs saving again anyway), so the notes stay bounded."""
    if len(scan.problems) >= MAX_CELL_PROBLEMS:
        raise refuse(name, f"lebih dari {MAX_CELL_PROBLEMS} sel bermasalah: {problem}")
    scan.problems[where] = problem


def _attribute(element: Any, attribute: str) -> str:
    return next((v for k, v in element.attrib.items() if _local(k) == attribute), "")


def _repeat(element: Any, attribute: str) -> int:
    value = _attribute(element, attribute)
    return int(value) if value.isdigit() else 1
