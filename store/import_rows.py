"""Telling data rows from the rest of a form: number rows, JUMLAH rows, template rows.

Below the header of an official form come a row of column numbers ("1 2 3" or
"(1) (2) (3)"), rows numbered in advance but never filled, JUMLAH / TOTAL / subtotal rows
and trailing blank rows. None of them is data; each is skipped and named in the report,
and a total is checked against the rows above it so a stale JUMLAH is noticed.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence, Set
from dataclasses import dataclass, field
from typing import Any

from store.formatting import format_rupiah
from store.import_header import Header
from store.typed_numbers import read_typed_count, read_typed_rupiah
from store.validation import parse_int, parse_rupiah
from store.validation_error import ValidationError

NUMBER_ROW = "nomor kolom"
TOTAL_ROW = "baris jumlah"
NUMBERED_EMPTY = "bernomor tanpa isi"
BLANK = "kosong"
SECTION = "baris bidang"
HIDDEN = "baris tersembunyi di Excel (tampilkan lalu impor lagi bila itu data)"

CLOSING_BLOCK = "blok tanda tangan di bawah tabel"
_CLOSING_PHRASE = re.compile(
    r"^(mengetahui|menyetujui|disetujui|disahkan|terbilang|kepala\s+desa|kades|lurah|camat|"
    r"sekretaris|ketua|nip\b|catatan|keterangan|dibuat\s+oleh|ttd|tanda\s+tangan|a\.?\s*n\.?\s)",
    re.I,
)
_PLACE_DATE = re.compile(
    r"^[A-Za-z][\w .'-]*,\s*(\d{1,2}\s+[A-Za-z]+\s+\d{4}|\d{1,2}[-/.]\d{1,2}[-/.]\d{2,4})\s*$"
)
_BLOCK_MAX_CELLS = 3  # a signature block is sparse: a phrase, a role, a name
_REQUIRED = {"usulan": ("kegiatan", "biaya"), "peserta": ("nama",)}
_TOTAL_LABEL = re.compile(r"^(sub\s*-?\s*(total|jumlah)|grand\s*total|total|jumlah)\b", re.I)
_COLUMN_NUMBER = re.compile(r"^\(?(\d{1,3})\)?$")
_SUMMED = ("biaya", "penerima_manfaat")
#: A section marker before a bidang title: "A", "II", "1", "1." or "(a)".
_MARKER = r"\(?(?:[A-Za-z]|[IVXLivxl]{1,6}|\d{1,2})[.)]?"
_SECTION_MARK = re.compile(rf"^{_MARKER}$")
_SECTION_TITLE = re.compile(rf"^(?:{_MARKER}\s+)?bidang\b\s*\S", re.I)


@dataclass(frozen=True)
class SkippedRow:
    """A row that is not data: ``SkippedRow(9, "baris jumlah")``."""

    row: int
    reason: str


@dataclass
class SortedRows:
    """Data rows as ``(excel_row, cells)``, the skipped rows, and total-check warnings."""

    data: list[tuple[int, Sequence[Any]]] = field(default_factory=list)
    skipped: list[SkippedRow] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def _filled(cell: Any) -> bool:
    return cell is not None and not (isinstance(cell, str) and not cell.strip())


def _is_number_row(cells: Sequence[Any]) -> bool:
    numbers = []
    for cell in cells:
        if not _filled(cell):
            continue
        if isinstance(cell, int | float) and not isinstance(cell, bool):
            if float(cell) != int(cell):
                return False
            numbers.append(int(cell))
        elif match := _COLUMN_NUMBER.match(str(cell).strip()):
            numbers.append(int(match.group(1)))
        else:
            return False
    return len(numbers) >= 2 and numbers == list(range(numbers[0], numbers[0] + len(numbers)))


def _is_numeric(cell: Any) -> bool:
    if isinstance(cell, int | float) and not isinstance(cell, bool):
        return True
    return bool(re.fullmatch(r"(rp\.?\s*)?[\d.,\s]+", str(cell).strip(), re.I))


def _is_section_row(cells: Sequence[Any]) -> bool:
    """A bidang heading inside the table ("A | BIDANG INFRASTRUKTUR", "1. Bidang
    Pelaksanaan Pembangunan Desa"): one bidang title, at most a marker beside it, nothing
    else (a proposal has at least an activity and a cost)."""
    texts = [str(c).strip() for c in cells if _filled(c)]
    if not 1 <= len(texts) <= 2:
        return False
    titles = [t for t in texts if _SECTION_TITLE.match(t)]
    marks = [t for t in texts if _SECTION_MARK.match(t) or _is_marker_number(t)]
    return len(titles) == 1 and len(marks) == len(texts) - 1


def _is_marker_number(text: str) -> bool:
    try:
        value = float(text)
    except ValueError:
        return False
    return value.is_integer() and 0 < value < 100


def _total_label(cells: Sequence[Any]) -> str | None:
    """The label of a total row: one JUMLAH/TOTAL text, every other filled cell a number."""
    texts = [c for c in cells if _filled(c) and not _is_numeric(c)]
    if len(texts) == 1 and _TOTAL_LABEL.match(str(texts[0]).strip()):
        return str(texts[0]).strip()
    return None


def _value(field_name: str, cell: Any) -> int | None:
    """A summed cell read as the importer reads it ("150 juta", "250 jiwa"), None if not."""
    try:
        if field_name == "biaya":
            return read_typed_rupiah(cell) if isinstance(cell, str) else parse_rupiah(cell)
        if isinstance(cell, str):
            return read_typed_count(cell, field=field_name)
        return parse_int(cell, field=field_name)
    except ValidationError:
        return None


def _shown(field_name: str, value: int) -> str:
    return format_rupiah(value) if field_name == "biaya" else str(value)


class _Totals:
    """Sums of the summed columns over all data rows and since the last total row."""

    def __init__(self, header: Header) -> None:
        self.columns = {f: header.fields.index(f) for f in _SUMMED if f in header.fields}
        self.all = dict.fromkeys(self.columns, 0)
        self.since = dict.fromkeys(self.columns, 0)

    def add(self, cells: Sequence[Any]) -> None:
        for name, i in self.columns.items():
            value = _value(name, cells[i]) if i < len(cells) and _filled(cells[i]) else None
            self.all[name] += value or 0
            self.since[name] += value or 0

    def check(
        self,
        number: int,
        label: str,
        cells: Sequence[Any],
        problems: Mapping[tuple[int, int], str],
    ) -> list[str]:
        """Warnings for this total row: a stated total that differs from the rows above, or
        one that cannot be checked (``problems``: a formula saved without its value)."""
        warnings = []
        for name, i in self.columns.items():
            if (number, i) in problems:
                warnings.append(
                    f"baris {number}: {label} {name.replace('_', ' ')} tidak diperiksa: "
                    f"{problems[number, i]}"
                )
                continue
            stated = _value(name, cells[i]) if i < len(cells) and _filled(cells[i]) else None
            if stated is not None and stated not in (self.all[name], self.since[name]):
                expected = self.since[name]
                warnings.append(
                    f"baris {number}: {label} {name.replace('_', ' ')} "
                    f"{_shown(name, stated)} tidak sama dengan jumlah baris di atasnya "
                    f"({_shown(name, expected)}); periksa berkasnya"
                )
        self.since = dict.fromkeys(self.columns, 0)
        return warnings


def _opens_closing_block(cells: Sequence[Any], after_blank: bool, header: Header) -> bool:
    """A row that starts the text under a table: a closing phrase ("Mengetahui,", "Sooko,
    10 Januari 2026", "Terbilang: ..."), or after a blank row one or two text cells outside
    the required columns."""
    filled = [(i, c) for i, c in enumerate(cells) if _filled(c)]
    if not filled or len(filled) > _BLOCK_MAX_CELLS:
        return False
    first = str(filled[0][1]).strip()
    if _CLOSING_PHRASE.match(first) or _PLACE_DATE.match(first):
        return True
    required = {i for i, f in enumerate(header.fields) if f in _REQUIRED[header.kind]}
    return (
        after_blank
        and len(filled) <= 2
        and not any(i in required for i, _ in filled)
        and not all(_is_numeric(c) for _, c in filled)
    )


def closing_block_start(table: Sequence[Sequence[Any]], header: Header) -> int | None:
    """The index of the first row of the signature block under the table ("Mengetahui," /
    "Camat Sooko" / name / NIP), or None. The block must follow a data row and run, sparse,
    to the end of the sheet: a full row after it means it was data after all."""
    start: int | None = None
    seen_data = after_blank = False
    for index in range(header.last_row, len(table)):
        cells = table[index]
        filled = sum(1 for c in cells if _filled(c))
        if not filled:
            after_blank = True
            continue
        if start is None and seen_data and _opens_closing_block(cells, after_blank, header):
            start = index
        elif start is None or filled > _BLOCK_MAX_CELLS:
            start, seen_data = None, True
        after_blank = False
    return start


def sort_rows(
    table: Sequence[Sequence[Any]],
    header: Header,
    hidden: Set[int] = frozenset(),
    problems: Mapping[tuple[int, int], str] | None = None,
) -> SortedRows:
    """Split the rows under ``header`` into data and skipped rows (Excel numbering).

    ``hidden`` rows (hidden in Excel) are skipped and named: in a desa template they hold
    scratch figures or last year's rows, which the note-taker never saw on screen.
    ``problems`` (``Grid.cell_problems``) tell a total that could not be checked."""
    problems = problems or {}
    result = SortedRows()
    mapped = [i for i, f in enumerate(header.fields) if f]
    unnamed = [i for i, name in enumerate(header.names) if not name]
    totals = _Totals(header)
    block = closing_block_start(table, header)
    for index in range(header.last_row, len(table)):
        number, cells = index + 1, table[index]
        if block is not None and index >= block and any(_filled(c) for c in cells):
            result.skipped.append(SkippedRow(number, CLOSING_BLOCK))
        elif not any(_filled(c) for c in cells):
            result.skipped.append(SkippedRow(number, BLANK))
        elif number in hidden:
            result.skipped.append(SkippedRow(number, HIDDEN))
        elif not result.data and _is_number_row(cells):
            result.skipped.append(SkippedRow(number, NUMBER_ROW))
        elif _is_section_row(cells):
            result.skipped.append(SkippedRow(number, SECTION))
        elif label := _total_label(cells):
            result.skipped.append(SkippedRow(number, TOTAL_ROW))
            result.warnings += totals.check(number, label.upper(), cells, problems)
        elif not any(_filled(cells[i]) for i in mapped + unnamed if i < len(cells)) and not any(
            _filled(c) for c in cells[len(header.names) :]
        ):
            result.skipped.append(SkippedRow(number, NUMBERED_EMPTY))
        else:
            result.data.append((number, cells))
            totals.add(cells)
    return result


def is_total_or_section(cells: Sequence[Any]) -> bool:
    """A JUMLAH/TOTAL row or a bidang heading: never data, never filled from a merge."""
    return _total_label(cells) is not None or _is_section_row(cells)


def describe_skipped(skipped: Sequence[SkippedRow]) -> list[str]:
    """``["baris 4: nomor kolom", "baris 9-15: kosong"]``: runs of one reason as a range."""
    lines: list[str] = []
    run: list[SkippedRow] = []
    for row in [*skipped, None]:
        if run and (row is None or row.reason != run[-1].reason or row.row != run[-1].row + 1):
            first, last = run[0].row, run[-1].row
            where = f"baris {first}" if first == last else f"baris {first}-{last}"
            lines.append(f"{where}: {run[0].reason}")
            run = []
        if row is not None:
            run.append(row)
    return lines
