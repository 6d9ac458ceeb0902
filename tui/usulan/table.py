"""The proposals table: a DataTable kept in step with the forum row by row.

Textual's DataTable measures every cell of every row it is given, so refilling 1,500 rows
costs the better part of a second. This table therefore never refills for an edit or a
new sort: an edit updates the changed cells, a new or removed proposal adds or removes
its one row, a new order reorders the rows in place (``DataTable.sort``, nothing
re-measured). Only a filter that hides or shows many rows at once, or new columns, rebuild.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any, ClassVar

from textual.binding import Binding, BindingType
from textual.coordinate import Coordinate
from textual.geometry import Size
from textual.widgets import DataTable
from textual.widgets.data_table import RowKey

from tui.usulan.view import Column

#: Above this many rows to hide, one rebuild is cheaper than removing them one by one
#: (each removal re-indexes every row).
REBUILD_ABOVE = 60

Cells = Mapping[str, Any]
OrderKey = Callable[[int], Any]


class ProposalTable(DataTable[Any]):
    """Rows keyed by proposal id; the pane decides what is shown and in which order."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "select_cursor", "Ubah", tooltip="Usulan: ubah usulan yang dipilih")
    ]

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(cursor_type="row", zebra_stripes=True, **kwargs)
        self.shown_ids: set[int] = set()
        self._keys: list[str] = []
        self._ids_by_number: dict[str, int] = {}

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """No editing from a read-only forum (the pane says why)."""
        forum = getattr(self.parent, "forum", None)
        return not (action == "select_cursor" and forum is not None and forum.readonly)

    def _update_dimensions(self, new_rows: Iterable[RowKey]) -> None:
        """Skip DataTable's measuring of every new cell: all columns here have fixed widths
        and all rows one line, so only the scrollable size changes. (Overrides a Textual
        8.2 internal; the measuring made showing 1,500 rows take most of a second.)"""
        if any(column.auto_width for column in self.columns.values()):
            super()._update_dimensions(new_rows)
            return
        width = sum(column.get_render_width(self) for column in self.columns.values())
        header = self.header_height if self.show_header else 0
        self.virtual_size = Size(
            width + self._row_label_column_width, self._total_row_height + header
        )

    # -- where the cursor is ------------------------------------------------------------------
    def current_id(self) -> int | None:
        if self.row_count == 0:
            return None
        row = min(max(self.cursor_row, 0), self.row_count - 1)
        return int(self.coordinate_to_cell_key(Coordinate(row, 0)).row_key.value or 0)

    def move_to(self, rec_id: int | None) -> None:
        if rec_id is not None and rec_id in self.shown_ids:
            self.move_cursor(row=self.get_row_index(str(rec_id)))

    # -- building ---------------------------------------------------------------------------
    def set_columns(self, columns: Iterable[Column], widths: Mapping[str, int]) -> None:
        """New columns (the pane's width changed): the caller rebuilds the rows next."""
        self.clear(columns=True)
        self.shown_ids = set()
        self._keys = []
        for column in columns:
            self.add_column(column.label, key=column.key, width=widths[column.key])
            self._keys.append(column.key)

    def rebuild(self, ordered: list[int], cells: Mapping[int, Cells], keep: int | None) -> None:
        """Show exactly ``ordered`` (ids, in order)."""
        self.clear()
        self.shown_ids = set()
        for rec_id in ordered:
            self._add(rec_id, cells[rec_id])
        self.move_to(keep)

    def _add(self, rec_id: int, row: Cells) -> None:
        self.add_row(*(row[k] for k in self._keys), key=str(rec_id))
        self.shown_ids.add(rec_id)
        self._ids_by_number[str(row["no"])] = rec_id

    def _remove(self, rec_id: int) -> None:
        self.remove_row(str(rec_id))
        self.shown_ids.discard(rec_id)

    # -- keeping in step ------------------------------------------------------------------------
    def show(
        self,
        wanted: set[int],
        cells: Mapping[int, Cells],
        order: OrderKey,
        keep: int | None,
    ) -> None:
        """Show the ``wanted`` ids in ``order``, touching only the rows that differ."""
        hide = self.shown_ids - wanted
        add = wanted - self.shown_ids
        if len(hide) > REBUILD_ABOVE:
            self.rebuild(sorted(wanted, key=order), cells, keep)
            return
        for rec_id in hide:
            self._remove(rec_id)
        for rec_id in add:
            self._add(rec_id, cells[rec_id])
        self.reorder(order, keep)

    def reorder(self, order: OrderKey, keep: int | None) -> None:
        """Put the rows in ``order`` without re-adding them (nothing is re-measured)."""
        ids = self._ids_by_number
        self.sort("no", key=lambda number: order(ids[str(number)]))
        self.move_to(keep)

    def update(self, rec_id: int, old: Cells, fresh: Cells) -> None:
        """Redraw the cells of one shown row that changed."""
        if rec_id not in self.shown_ids:
            return
        self._ids_by_number[str(fresh["no"])] = rec_id
        for key in self._keys:
            if old[key] != fresh[key]:
                self.update_cell(str(rec_id), key, fresh[key])
