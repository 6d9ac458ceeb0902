"""Which score record holds each cell of the scoring matrix, in arrays instead of a dict.

``Priority.set_score`` finds the record of a (proposal, criterion) cell in O(1). As a dict of
``(proposal id, criterion id) -> record id`` that index took 12.8 MB at 100x (90,000 scores: a
tuple key, an int value and a dict slot each, ~140 bytes a cell). A forum has a handful of
criteria and its proposal ids are dense (the table's counter), so ``ScoreCells`` keeps one
``array('q')`` per criterion indexed by proposal id, 0 meaning no record (record ids start at
1): 8 bytes a cell, 0.6 MB at 100x. A proposal id an array cannot hold cheaply (not a
positive int, or far past the cells held so far: a file may be odd, and scoring often starts
at high-numbered proposals) goes to a small dict instead, so memory stays bounded by what is
held whatever the ids. It answers exactly as the dict did.
"""

from __future__ import annotations

from array import array
from collections.abc import Iterable, Mapping
from typing import Any

Cell = tuple[Any, Any]

#: A row grows to hold proposal id ``u`` only while ``u`` is at most this many ids past four
#: times the cells held: dense forums go to the arrays, a handful of far ids to the dict.
_SLACK = 1024


class ScoreCells:
    """``(proposal id, criterion id) -> score record id``, with the dict methods
    ``Priority`` uses: ``get``, ``[cell] = rec_id``, ``len``, ``items``, and ``without``
    for the records a change removed."""

    __slots__ = ("_count", "_far", "_rows")

    def __init__(self, cells: Iterable[tuple[Cell, int]] = ()) -> None:
        self._rows: dict[Any, array] = {}  # criterion id -> record id by proposal id, 0: none
        self._far: dict[Cell, int] = {}  # cells whose proposal id no row holds
        self._count = 0
        for cell, rec_id in cells:
            self[cell] = rec_id

    def __len__(self) -> int:
        return self._count

    def __eq__(self, other: object) -> bool:
        """Equal to the dict of the same cells (as the dict it replaced was), or to
        another ``ScoreCells`` holding them."""
        if isinstance(other, ScoreCells):
            other = dict(other.items())
        return isinstance(other, Mapping) and dict(self.items()) == other

    __hash__ = None  # type: ignore[assignment]  # mutable, like the dict

    def get(self, cell: Cell) -> int | None:
        usulan, kriteria = cell
        row = self._rows.get(kriteria)
        if row is not None and _indexable(usulan) and 0 < usulan < len(row) and row[usulan]:
            return row[usulan]
        return self._far.get(cell)

    def __setitem__(self, cell: Cell, rec_id: int) -> None:
        """Record ``rec_id`` (a positive int: a stored record's id) as the cell's record."""
        usulan, kriteria = cell
        row = self._row_for(usulan, kriteria)
        if row is None:
            self._count += cell not in self._far
            self._far[cell] = rec_id
            return
        if not row[usulan]:
            self._count += self._far.pop(cell, None) is None
        row[usulan] = rec_id

    def _row_for(self, usulan: Any, kriteria: Any) -> array | None:
        """The row that holds ``usulan`` in criterion ``kriteria``'s column, grown or made
        for it when the id is near enough; None: the cell goes to the dict."""
        if not _indexable(usulan) or usulan <= 0:
            return None
        row = self._rows.get(kriteria)
        size = 0 if row is None else len(row)
        if usulan < size:
            return row
        if usulan > 4 * self._count + _SLACK:
            return None
        grown = max(usulan + 1, size + size // 4)  # geometric: appends stay amortised O(1)
        if row is None:
            row = self._rows[kriteria] = array("q")
        row.frombytes(bytes(8 * (grown - size)))
        return row

    def items(self) -> list[tuple[Cell, int]]:
        """Every cell with its record (rows by criterion, then the dict's)."""
        found = [
            ((usulan, kriteria), rec_id)
            for kriteria, row in self._rows.items()
            for usulan, rec_id in enumerate(row)
            if rec_id
        ]
        return found + list(self._far.items())

    def without(self, gone: set[int]) -> ScoreCells:
        """Forget every cell held by a record in ``gone`` (removed records: their cells are
        no longer known), in place; returns itself. A row is walked only when it holds one."""
        for row in self._rows.values():
            if gone.isdisjoint(row):
                continue
            for usulan, rec_id in enumerate(row):
                if rec_id in gone:
                    row[usulan] = 0
                    self._count -= 1
        for cell in [cell for cell, rec_id in self._far.items() if rec_id in gone]:
            del self._far[cell]
            self._count -= 1
        return self


def _indexable(value: Any) -> bool:
    """An id an array can be indexed by (ints; bools are ints, as in the dict's keys)."""
    return isinstance(value, int)
