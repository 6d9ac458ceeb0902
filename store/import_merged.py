"""Excel merged cells in a table: a desa name merged down over its rows is every row's desa.

A rekap groups a desa's proposals by merging the Desa cell down over them; a reader sees the
name in the first row only and the others empty ("Desa wajib diisi" for every row but the
first). The merge ranges read from the file (python-calamine ``merged_cell_ranges``) say
which empty cells belong to the name above, so those cells are filled, and the report says
so. Only grouping columns are filled: an amount merged over rows is one amount, not one
per row, and copying it would count it several times.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from store.import_header import Header
from store.import_rows import is_total_or_section

#: Columns whose merged cell names a group the rows below belong to.
FILLED_DOWN = ("desa", "bidang", "sumber", "lembaga", "unsur", "opd_tujuan")

#: (first_row, first_column, last_row, last_column), 0-based and inclusive, as calamine
MergeRange = tuple[int, int, int, int]


def _empty(cell: Any) -> bool:
    return cell is None or (isinstance(cell, str) and not cell.strip())


def fill_merged_down(
    rows: list[list[Any]], merges: Sequence[MergeRange], header: Header
) -> tuple[list[list[Any]], list[str]]:
    """``rows`` with the grouping cells of vertical merges under the header filled from the
    merge's first cell, and one note per filled merge (``"baris 5-7: Desa 'Japan' dari sel
    gabungan"``). The rows are copied where changed, never edited in place."""
    columns = {i: f for i, f in enumerate(header.fields) if f in FILLED_DOWN}
    if not columns or not merges:
        return rows, []
    out = list(rows)
    notes = []
    budget = 2 * len(rows) * len(columns)  # forged overlapping merges cost no more than this
    for first_row, first_col, last_row, last_col in sorted(merges):
        if first_row < header.last_row or last_row <= first_row or first_row >= len(rows):
            continue
        last_row = min(last_row, len(rows) - 1)
        for col in [c for c in columns if first_col <= c <= last_col]:
            if col >= len(rows[first_row]):
                continue
            value = rows[first_row][col]
            if _empty(value):
                continue
            budget -= last_row - first_row
            if budget < 0:
                return out, notes
            for index in range(first_row + 1, last_row + 1):
                cells = out[index]
                if (col < len(cells) and not _empty(cells[col])) or is_total_or_section(cells):
                    continue  # a JUMLAH or bidang row inside the merge stays what it is
                cells = list(cells) + [None] * (col + 1 - len(cells))
                cells[col] = value
                out[index] = cells
            notes.append(
                f"baris {first_row + 1}-{last_row + 1}: {columns[col].replace('_', ' ')} "
                f"'{value}' dari sel gabungan, dipakai untuk semua barisnya"
            )
    return out, notes
