"""Bounds of a zip-based workbook (.xlsx .xlsm .ods), checked before python-calamine reads it.

calamine builds a dense grid from the corner of the furthest cell and keeps every text in
memory, so a 2 KB file can ask it for hundreds of gigabytes (it then aborts the process,
leaving the forum locked). Before it runs, this module streams the XML once with expat
(bounded memory: no element tree, no text kept, no DTD or entity allowed) and refuses a file
whose numbers are out of bounds:

- cell positions: a row past ``MAX_GRID_ROWS``, a filled column past ``MAX_COLUMNS``; cells
  written without an ``r=`` reference are placed by counting, as readers do;
- the area calamine would allocate (last row x last column) over ``MAX_CELLS``;
- one cell's text over ``MAX_CELL_CHARS`` (inline strings, shared strings by reference,
  .ods ``<text:s text:c=N/>`` runs counted as the spaces they expand to);
- the sum of every cell's text (a shared string counted each time it is referenced, an .ods
  cell each time it is repeated) over ``MAX_TEXT_CHARS``.

Every sheet of an .xlsx must be accounted for (its relationship id in the officeDocument
relationships namespace, naming a member that exists), otherwise the file is refused: a
sheet the scan cannot find is a sheet it cannot bound. Hidden sheets are bounded too:
calamine parses them when it opens the file. The scan also learns what calamine does not
say: hidden rows, cells holding an Excel error and formulas saved without a value.
"""

from __future__ import annotations

import re
import zipfile
from array import array
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from xml.parsers import expat

from store.import_limits import (
    MAX_CELL_CHARS,
    MAX_CELL_PROBLEMS,
    MAX_CELLS,
    MAX_COLUMNS,
    MAX_DATA_ROWS_TEXT,
    MAX_GRID_ROWS,
    MAX_TEXT_CHARS,
    UNSAVED_FORMULA,
    refuse,
)
from store.validation_error import ValidationError

MAX_MEMBER_BYTES = 256 * 1024 * 1024  # one inflated zip member
MAX_INFLATED_BYTES = 512 * 1024 * 1024
MAX_RATIO = 150  # inflated / compressed; real sheets stay well under 50
MAX_MEMBERS = 2_000
#: Empty styled cells may sit a little right of the table; calamine still counts them.
MAX_POSITION_COLUMNS = MAX_COLUMNS * 2
_CELL_REF = re.compile(r"([A-Za-z]{1,3})([0-9]{1,7})")
_ERROR_CHARS = 12  # "#DIV/0!", "#GETTING_DATA"
_CHUNK = 65_536
_RELATIONSHIP_NS = (
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
    "http://purl.oclc.org/ooxml/officeDocument/relationships",  # strict OOXML
)
_SHARED_STRINGS = "xl/sharedStrings.xml"
_TABLE = "urn:oasis:names:tc:opendocument:xmlns:table:1.0"
_TEXT = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"
_OFFICE = "urn:oasis:names:tc:opendocument:xmlns:office:1.0"
#: Attributes an .ods cell keeps its computed value in (text results sit in <text:p>).
_ODS_VALUES = frozenset(
    f"{_OFFICE} {v}" for v in ("value", "date-value", "time-value", "boolean-value", "string-value")
)
_HIDDEN_ODS_ROWS = frozenset({"collapse", "filter"})


@dataclass
class SheetScan:
    """What the bounded pre-scan of one sheet learnt that calamine does not say:
    ``problems`` maps (excel_row, column_index) to why a cell shown empty is wrong,
    ``hidden`` are hidden row numbers."""

    problems: dict[tuple[int, int], str] = field(default_factory=dict)
    hidden: set[int] = field(default_factory=set)


def scan_workbook(archive: zipfile.ZipFile, name: str, suffix: str) -> dict[str, SheetScan]:
    """Check the bounds of an opened .xlsx/.xlsm/.ods ``archive`` (the file ``name``) and
    give each sheet's scan by sheet name. ValidationError (one line naming the file) when
    the zip itself or any sheet is out of bounds, forged or damaged."""
    _check_members(archive, name)
    try:
        if suffix == ".ods":
            return _OdsScan(name).run(archive)
        return _scan_xlsx(archive, name)
    except ValidationError:
        raise
    except (
        expat.ExpatError,
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


def _check_members(archive: zipfile.ZipFile, name: str) -> None:
    """Zip bombs: member count, declared sizes and compression ratio, before inflating."""
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


def _stream(
    archive: zipfile.ZipFile,
    member: str,
    name: str,
    start: Callable[[str, dict[str, str]], None],
    end: Callable[[str], None] | None = None,
    text: Callable[[str], None] | None = None,
) -> None:
    """Feed ``member`` to expat chunk by chunk: handlers get ``"namespace local"`` names and
    text in pieces of at most the buffer size, so memory stays bounded whatever the file."""
    parser = expat.ParserCreate(namespace_separator=" ")
    parser.buffer_text = True

    def no_dtd(*_: Any) -> None:  # entities are how "billion laughs" files expand
        raise refuse(name, "berkas memuat deklarasi DTD (berkas dibuat-buat)")

    parser.StartDoctypeDeclHandler = no_dtd
    parser.EntityDeclHandler = no_dtd
    parser.StartElementHandler = start
    if end:
        parser.EndElementHandler = end
    if text:
        parser.CharacterDataHandler = text
    with archive.open(member) as stream:
        while chunk := stream.read(_CHUNK):
            parser.Parse(chunk, False)
    parser.Parse(b"", True)


def _local(name: str) -> str:
    return name.rpartition(" ")[2]


def _member_path(target: str) -> str:
    target = target.lstrip("/")
    return target if target.startswith("xl/") else f"xl/{target}"


# --------------------------------------------------------------------------- xlsx


def _sheet_members(archive: zipfile.ZipFile, name: str) -> tuple[dict[str, str], set[str]]:
    """Sheet name -> its XML member, and the shared-strings members, from workbook.xml and
    its relationships. Refused when a sheet's id is missing, ambiguous or names no member."""
    targets: dict[str, str] = {}
    shared = {_SHARED_STRINGS}

    def relationship(tag: str, attrs: dict[str, str]) -> None:
        if _local(tag) == "Relationship":
            target = _member_path(attrs.get("Target", ""))
            targets[attrs.get("Id", "")] = target
            if attrs.get("Type", "").endswith("/sharedStrings"):
                shared.add(target)

    _stream(archive, "xl/_rels/workbook.xml.rels", name, relationship)
    members = set(archive.namelist())
    paths: dict[str, str] = {}

    def sheet(tag: str, attrs: dict[str, str]) -> None:
        if _local(tag) != "sheet":
            return
        sheet_name = attrs.get("name", "")
        ids = {value for key, value in attrs.items() if _local(key) == "id"}
        proper = [v for k, v in attrs.items() if k.rpartition(" ")[0] in _RELATIONSHIP_NS]
        resolved = {targets[i] for i in ids if i in targets}
        if len(proper) != 1 or proper[0] not in targets or len(resolved) != 1:
            raise refuse(name, f"lembar '{sheet_name[:40]}' tidak bisa ditemukan (berkas rusak)")
        member = targets[proper[0]]
        if member not in members or sheet_name in paths:
            raise refuse(name, f"lembar '{sheet_name[:40]}' tidak bisa ditemukan (berkas rusak)")
        paths[sheet_name] = member

    _stream(archive, "xl/workbook.xml", name, sheet)
    return paths, shared & members


def _shared_lengths(archive: zipfile.ZipFile, name: str, members: set[str]) -> array:
    """Characters of each shared string (index -> length), the longest over every
    shared-strings member there is (the reader may pick either)."""
    lengths = array("L")
    for member in sorted(members):
        found = array("L")
        state = {"in": False, "length": 0, "total": 0}

        def start(tag: str, _: dict[str, str], state: dict[str, Any] = state) -> None:
            local = _local(tag)
            if local == "si":
                state["length"] = 0
            state["in"] = local == "t"

        def end(tag: str, found: array = found, state: dict[str, Any] = state) -> None:
            state["in"] = False
            if _local(tag) == "si":
                found.append(min(state["length"], 2**31))
                if len(found) > MAX_CELLS:
                    raise refuse(name, "terlalu banyak teks bersama (berkas dibuat-buat)")

        def text(data: str, state: dict[str, Any] = state) -> None:
            if state["in"]:
                state["length"] += len(data)
                state["total"] += len(data)
                if state["total"] > MAX_TEXT_CHARS:
                    raise refuse(name, _too_much_text())

        _stream(archive, member, name, start, end, text)
        for index, length in enumerate(found):
            if index < len(lengths):
                lengths[index] = max(lengths[index], length)
            else:
                lengths.append(length)
    return lengths


def _scan_xlsx(archive: zipfile.ZipFile, name: str) -> dict[str, SheetScan]:
    paths, shared = _sheet_members(archive, name)
    lengths = _shared_lengths(archive, name, shared)
    budget = _Budget(name)
    found = {}
    for sheet, member in paths.items():
        scan = _XlsxSheetScan(name, sheet, lengths, budget)
        _stream(archive, member, name, scan.start, scan.end, scan.text)
        found[sheet] = scan.scan
    return found


def _column_index(letters: str) -> int:
    index = 0
    for letter in letters.upper():
        index = index * 26 + ord(letter) - 64
    return index - 1


class _Budget:
    """Text of every cell of a workbook together, against ``MAX_TEXT_CHARS``."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.chars = 0

    def spend(self, chars: int) -> None:
        self.chars += chars
        if self.chars > MAX_TEXT_CHARS:
            raise refuse(self.name, _too_much_text())


def _too_much_text() -> str:
    return (
        f"isi teks terlalu banyak (lebih dari {MAX_TEXT_CHARS // 1_000_000} juta karakter); "
        "bagi menjadi beberapa berkas"
    )


class _XlsxSheetScan:
    """expat handlers for one worksheet: positions, area, text and the cell notes."""

    def __init__(self, name: str, sheet: str, lengths: array, budget: _Budget) -> None:
        self.name, self.sheet, self.lengths, self.budget = name, sheet[:40], lengths, budget
        self.scan = SheetScan()
        self.row = 0  # current row number (1-based), counted when a row has no r=
        self.column = -1  # last column index in the current row
        self.last_row = self.last_column = 0
        self.cell: tuple[int, int] = (0, 0)
        self.kind = ""
        self.formula = self.value = False
        self.chars = 0
        self.value_text = ""
        self.reading = ""  # "v" or "t" while inside one
        self.locals: dict[str, str] = {}
        self.columns: dict[str, int] = {}  # column letters -> index
        self.cells = 0

    def _big(self, why: str) -> ValidationError:
        return refuse(self.name, f"lembar '{self.sheet}' terlalu besar ({why})")

    def _local(self, tag: str) -> str:
        """The element's local name (cached: a sheet has a handful of distinct tags)."""
        local = self.locals.get(tag)
        if local is None:
            local = self.locals[tag] = _local(tag)
        return local

    def start(self, tag: str, attrs: dict[str, str]) -> None:
        local = self._local(tag)
        if local == "c":
            self._start_cell(attrs)
        elif local == "v":
            self.reading, self.value = "v", True
        elif local == "row":
            self._start_row(attrs)
        elif local == "is":
            self.value = True
        elif local == "t":
            self.reading = "t"
        elif local == "f":
            self.formula = True

    def _start_row(self, attrs: dict[str, str]) -> None:
        ref = attrs.get("r", "")
        if ref and not (ref.isdigit() and len(ref) <= 7):
            raise refuse(self.name, f"lembar '{self.sheet}': nomor baris tidak sah")
        self.row = int(ref) if ref else self.row + 1
        self.column = -1
        if self.row > MAX_GRID_ROWS:
            raise self._big(f"baris {self.row}; maksimal {MAX_DATA_ROWS_TEXT} baris data")
        if attrs.get("hidden") in ("1", "true"):
            self.scan.hidden.add(self.row)

    def _start_cell(self, attrs: dict[str, str]) -> None:
        ref = attrs.get("r", "")
        if ref:
            digits = ref.lstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz")
            letters = ref[: len(ref) - len(digits)]
            column = self.columns.get(letters)
            if column is None:
                if not _CELL_REF.fullmatch(ref):
                    raise refuse(self.name, f"lembar '{self.sheet}': rujukan sel tidak sah")
                column = self.columns[letters] = _column_index(letters)
            if not (digits.isdigit() and len(digits) <= 7):
                raise refuse(self.name, f"lembar '{self.sheet}': rujukan sel tidak sah")
            row = int(digits)
        else:  # no reference: the next cell of the row, as readers place it
            row, column = max(self.row, 1), self.column + 1
        self.column = column
        self.cells += 1  # the same reference written again still costs the reader a cell
        if row > self.last_row or column > self.last_column or self.cells > MAX_CELLS:
            self._grow(row, column)
        self.cell, self.kind = (row, column), attrs.get("t", "")
        self.formula = self.value = False
        self.chars, self.value_text, self.reading = 0, "", ""

    def _grow(self, row: int, column: int) -> None:
        """The sheet's rectangle reaches ``row`` x ``column``: check it still fits."""
        if row > MAX_GRID_ROWS:
            raise self._big(f"baris {row}; maksimal {MAX_DATA_ROWS_TEXT} baris data")
        if column >= MAX_POSITION_COLUMNS:
            raise self._big(f"kolom ke-{column + 1}; maksimal {MAX_COLUMNS} kolom")
        self.last_row = max(self.last_row, row)
        self.last_column = max(self.last_column, column)
        if self.last_row * (self.last_column + 1) > MAX_CELLS:
            raise self._big(
                f"{self.last_row} baris x {self.last_column + 1} kolom; maksimal "
                f"{MAX_CELLS:,} sel".replace(",", ".")
            )
        if self.cells > MAX_CELLS:
            raise self._big(f"lebih dari {MAX_CELLS:,} sel".replace(",", "."))

    def text(self, data: str) -> None:
        if not self.reading:
            return
        self.chars += len(data)
        if self.chars > MAX_CELL_CHARS:
            raise self._long(self.chars)
        if self.reading == "v" and len(self.value_text) < 32:
            self.value_text += data[:32]

    def _long(self, chars: int) -> ValidationError:
        row, column = self.cell
        return refuse(
            self.name,
            f"baris {row} kolom ke-{column + 1}: ada isian terlalu panjang ({chars} karakter, "
            f"maksimal {MAX_CELL_CHARS})",
        )

    def end(self, tag: str) -> None:
        local = self._local(tag)
        if local in ("v", "t"):
            self.reading = ""
        elif local == "c":
            self._end_cell()

    def _end_cell(self) -> None:
        chars = self.chars
        if self.kind == "s" and self.value:
            index = self.value_text.strip()
            if not index.isdigit() or int(index) >= len(self.lengths):
                raise refuse(
                    self.name,
                    f"lembar '{self.sheet}' baris {self.cell[0]}: rujukan teks bersama tidak "
                    "sah (berkas rusak atau dibuat-buat)",
                )
            chars = self.lengths[int(index)]
            if chars > MAX_CELL_CHARS:
                raise self._long(chars)
        if self.value and self.cell[1] >= MAX_COLUMNS:
            raise self._big(f"kolom ke-{self.cell[1] + 1}; maksimal {MAX_COLUMNS} kolom")
        self.budget.spend(chars)
        if self.kind == "e" and self.value:
            error = self.value_text.strip()[:_ERROR_CHARS]
            _mark(self.scan, self.cell, f"sel berisi galat Excel ({error})", self.name)
        elif self.formula and not (self.value and (self.chars or self.kind in ("s", "inlineStr"))):
            _mark(self.scan, self.cell, UNSAVED_FORMULA, self.name)


def _mark(scan: SheetScan, where: tuple[int, int], problem: str, name: str) -> None:
    """Note a cell the reader shows empty; a file with a great many of them is refused
    whole (it needs saving again anyway), so the notes stay bounded."""
    if len(scan.problems) >= MAX_CELL_PROBLEMS:
        raise refuse(name, f"lebih dari {MAX_CELL_PROBLEMS} sel bermasalah: {problem}")
    scan.problems[where] = problem


# --------------------------------------------------------------------------- ods


def _count(attrs: dict[str, str], attribute: str, name: str) -> int:
    """A repeat or space count; a number too long to be real is refused, not parsed."""
    value = attrs.get(attribute, "")
    if not value:
        return 1
    if not value.isdigit() or len(value) > 9:
        raise refuse(name, "jumlah pengulangan tidak wajar (berkas dibuat-buat)")
    return int(value)


class _OdsScan:
    """expat handlers for content.xml. An .ods repeats rows and cells by attribute and
    expands ``<text:s text:c=N/>`` to N spaces, so everything is counted as calamine will
    expand it. Rows and cells of a table nested inside a cell belong to that cell's text,
    not to the sheet. Row numbers are positions in the sheet, as calamine gives them."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.found: dict[str, SheetScan] = {}
        self.scan = SheetScan()
        self.sheet = ""
        self.budget = _Budget(name)
        self.depth = 0  # table nesting
        self.in_cell = False
        self.row = 0  # rows before the current one
        self.last_row = self.last_column = 0
        self.row_repeat = 1
        self.row_hidden = False
        self.column = 0
        self.row_filled, self.row_chars, self.unsaved = False, 0, []
        self.cell_repeat, self.chars, self.paragraphs = 1, 0, 0
        self.typed = self.valued = self.formula = False

    def run(self, archive: zipfile.ZipFile) -> dict[str, SheetScan]:
        _stream(archive, "content.xml", self.name, self.start, self.end, self.text)
        return self.found

    def start(self, tag: str, attrs: dict[str, str]) -> None:
        if tag == f"{_TABLE} table":
            self.depth += 1
            if self.depth == 1:
                self.sheet = attrs.get(f"{_TABLE} name", "")[:40]
                self.scan = self.found.setdefault(self.sheet, SheetScan())
                self.row = self.last_row = self.last_column = 0
        elif self.depth != 1:
            if self.in_cell:
                self._text_element(tag, attrs)
        elif tag == f"{_TABLE} table-row":
            self.row_repeat = _count(attrs, f"{_TABLE} number-rows-repeated", self.name)
            self.row_hidden = attrs.get(f"{_TABLE} visibility", "") in _HIDDEN_ODS_ROWS
            self.column, self.row_filled, self.row_chars, self.unsaved = 0, False, 0, []
        elif tag in (f"{_TABLE} table-cell", f"{_TABLE} covered-table-cell"):
            self.in_cell = True
            self.cell_repeat = _count(attrs, f"{_TABLE} number-columns-repeated", self.name)
            self.chars = self.paragraphs = 0
            self.typed = bool(attrs.get(f"{_OFFICE} value-type"))
            self.valued = any(key in _ODS_VALUES for key in attrs)
            self.formula = bool(attrs.get(f"{_TABLE} formula"))
        elif self.in_cell:
            self._text_element(tag, attrs)

    def _text_element(self, tag: str, attrs: dict[str, str]) -> None:
        if tag in (f"{_TEXT} p", f"{_TEXT} h"):
            self.paragraphs += 1
            self._add(1 if self.paragraphs > 1 else 0)  # paragraphs are joined by a newline
        elif tag == f"{_TEXT} s":
            self._add(_count(attrs, f"{_TEXT} c", self.name))
        elif tag in (f"{_TEXT} tab", f"{_TEXT} line-break"):
            self._add(1)

    def _add(self, chars: int) -> None:
        self.chars += chars
        if self.chars > MAX_CELL_CHARS:
            raise refuse(
                self.name,
                f"lembar '{self.sheet}' baris {self.row + 1} kolom ke-{self.column + 1}: ada "
                f"isian terlalu panjang (lebih dari {MAX_CELL_CHARS} karakter)",
            )

    def text(self, data: str) -> None:
        if self.in_cell:
            self._add(len(data))

    def end(self, tag: str) -> None:
        if tag == f"{_TABLE} table":
            self.depth -= 1
        elif self.depth != 1:
            return
        elif tag in (f"{_TABLE} table-cell", f"{_TABLE} covered-table-cell"):
            self._end_cell()
        elif tag == f"{_TABLE} table-row":
            self._end_row()

    def _end_cell(self) -> None:
        self.in_cell = False
        filled = self.typed or self.chars > 0 or self.formula
        repeat = self.cell_repeat
        if filled:
            last = self.column + repeat - 1
            if last >= MAX_COLUMNS:
                raise refuse(
                    self.name,
                    f"lembar '{self.sheet}' terlalu lebar (kolom ke-{last + 1} terisi; "
                    f"maksimal {MAX_COLUMNS} kolom)",
                )
            self.last_column = max(self.last_column, last)
            self.row_filled = True
            self.row_chars += self.chars * repeat
        if self.formula and not (self.typed and (self.chars or self.valued)):
            self.unsaved.extend(range(self.column, min(self.column + repeat, MAX_COLUMNS)))
        self.column += repeat

    def _end_row(self) -> None:
        repeat = self.row_repeat
        first = self.row + 1
        self.row += repeat
        if not self.row_filled:
            return
        if self.row > MAX_GRID_ROWS:
            raise refuse(
                self.name,
                f"lembar '{self.sheet}' terlalu besar (baris {self.row} terisi); maksimal "
                f"{MAX_DATA_ROWS_TEXT} baris data",
            )
        self.last_row = self.row
        if self.last_row * (self.last_column + 1) > MAX_CELLS:
            raise refuse(
                self.name,
                f"lembar '{self.sheet}' terlalu besar ({self.last_row} baris x "
                f"{self.last_column + 1} kolom; maksimal {MAX_CELLS:,} sel)".replace(",", "."),
            )
        self.budget.spend(self.row_chars * repeat)
        numbers = range(first, self.row + 1)
        if self.row_hidden:
            self.scan.hidden.update(numbers)
        for number in numbers if self.unsaved else ():
            for index in self.unsaved:
                _mark(self.scan, (number, index), UNSAVED_FORMULA, self.name)
