"""Table documents as spreadsheets (xlsx or csv), for re-typing into SIPD and for checking.

Every text cell that comes from users is neutralised: a value starting with ``=``, ``+``,
``-``, ``@`` (or a tab/carriage return) would be run as a formula by Excel or LibreOffice
("CSV injection"), so it gets a leading apostrophe; the text itself is kept. Numbers
(costs, volumes, counts) stay numbers.

CSV is written the way Excel in the Indonesian locale reads it without a wizard: UTF-8 with
a byte-order mark, ``;`` between fields.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from store.storage_io import write_atomic

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
Cell = str | int | float | None


@dataclass
class Sheet:
    """One table: a title, optional lines above it (xlsx only), the header and the rows."""

    title: str
    columns: Sequence[str]
    rows: list[Sequence[Cell]]
    notes: list[str] = field(default_factory=list)
    money_columns: frozenset[str] = frozenset()


def safe_text(value: str) -> str:
    """The text, prefixed with ``'`` if a spreadsheet would take it for a formula."""
    return "'" + value if value.startswith(FORMULA_STARTS) else value


def _safe(value: Cell) -> Cell:
    return safe_text(value) if isinstance(value, str) else value


def write(sheet: Sheet, target: Path, fmt: str) -> None:
    """Write ``sheet`` as ``fmt`` (``xlsx`` or ``csv``), replacing ``target`` atomically."""
    data = _xlsx_bytes(sheet) if fmt == "xlsx" else _csv_bytes(sheet)
    write_atomic(target, [data])


def _csv_bytes(sheet: Sheet) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow([_safe(c) for c in sheet.columns])
    for row in sheet.rows:
        writer.writerow(["" if v is None else _safe(v) for v in row])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def _xlsx_bytes(sheet: Sheet) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    book = Workbook()
    ws = book.active
    ws.title = sheet.title[:31]
    top = 1
    for line in sheet.notes:
        ws.cell(row=top, column=1, value=_safe(line)).font = Font(bold=top == 1)
        top += 1
    if sheet.notes:
        top += 1
    for col, name in enumerate(sheet.columns, start=1):
        cell = ws.cell(row=top, column=col, value=_safe(name))
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    money = {i for i, name in enumerate(sheet.columns, start=1) if name in sheet.money_columns}
    widths = [len(str(name)) for name in sheet.columns]
    for r, row in enumerate(sheet.rows, start=top + 1):
        for c, value in enumerate(row, start=1):
            cell = ws.cell(row=r, column=c, value=_safe(value))
            if c in money and isinstance(value, int):
                cell.number_format = "#,##0"
            widths[c - 1] = max(widths[c - 1], min(60, len(str(value or ""))))
    for c, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(c)].width = width + 2
    ws.freeze_panes = ws.cell(row=top + 1, column=1)
    ws.auto_filter.ref = f"A{top}:{get_column_letter(len(sheet.columns))}{top + len(sheet.rows)}"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
