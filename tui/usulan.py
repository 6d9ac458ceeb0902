"""The Usulan tab (F4): every proposal of the forum, sortable, filterable, with totals.

Built for 1,500 proposals on a slow laptop: each row's cells are computed once and kept;
a forum change (``ForumView``: one coalesced redraw per burst, on the UI thread, whatever
thread wrote) recomputes only the proposals it names, and the table is re-laid out only
when a row appears, disappears or moves (sort or filter membership); otherwise just the
changed cells are updated.
"""

from __future__ import annotations

from typing import Any, ClassVar

from textual import events
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import DataTable, Static

from store.forum import Forum
from store.ranking import RankingResult
from store.sectors import SECTORS
from store.validation import ValidationError
from tui.ekspor_amend import apply_change
from tui.ekspor_dialogs import ConfirmDialog
from tui.messages import ALL_TABLES
from tui.usulan_filter import UsulanFilter
from tui.usulan_form import UsulanForm, desa_choices
from tui.usulan_import import UsulanImport
from tui.usulan_status import UsulanStatus
from tui.usulan_view import (
    SORTS,
    Column,
    Filter,
    activity_width,
    cells,
    columns_for,
    haystack,
    measure_cell,
    measure_text,
    next_sort,
    rank_positions,
    sort_key,
    totals_text,
)
from tui.widgets.forum_view import ForumView

# Tables whose changes move the ranking (the Nilai column and the "peringkat" order).
RANKING_TABLES = frozenset({"criteria", "scores", "tallies", "ballots", "meta"})
EDIT_ACTIONS = frozenset({"tambah", "ubah", "status", "impor", "hapus"})


class ProposalTable(DataTable[Any]):
    """The proposals; Enter opens the highlighted one for editing."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("enter", "select_cursor", "Ubah")]

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        pane = next((a for a in self.ancestors if isinstance(a, UsulanPane)), None)
        return not (action == "select_cursor" and pane is not None and pane.forum.readonly)


class UsulanPane(ForumView):
    """The proposals of one forum; see the module docstring."""

    DEFAULT_CSS = """
    UsulanPane { height: 1fr; }
    UsulanPane #usulan-filter, UsulanPane #usulan-total { height: 1; padding: 0 1; }
    UsulanPane #usulan-total { text-style: bold; }
    UsulanPane #usulan-catatan { height: auto; padding: 0 1; background: $warning 20%; }
    UsulanPane ProposalTable { height: 1fr; }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+a", "tambah", "Tambah", tooltip="Usulan: tambah usulan baru"),
        Binding(
            "ctrl+t",
            "status",
            "Status",
            tooltip="Usulan: ubah status (diakomodir, cadangan, tidak diakomodir)",
        ),
        Binding("f9", "impor", "Impor", tooltip="Usulan: impor dari berkas CSV/XLSX"),
        Binding(
            "ctrl+f",
            "filter",
            "Filter",
            tooltip="Usulan: saring menurut desa, bidang, status atau teks",
        ),
        Binding(
            "ctrl+s",
            "urutkan",
            "Urutkan",
            tooltip="Usulan: ganti urutan (masuk, biaya, desa, status, peringkat)",
        ),
        Binding(
            "ctrl+d",
            "duplikat",
            "Duplikat?",
            tooltip="Usulan: tampilkan hanya kemungkinan duplikat (lagi: semua)",
        ),
        Binding("delete", "hapus", "Hapus", tooltip="Usulan: hapus usulan yang dipilih"),
    ]

    def __init__(self, forum: Forum, *, id: str | None = "usulan-pane") -> None:
        super().__init__(forum, id=id)
        self.filter = Filter()
        self.sort = "urutan"
        self._records: dict[int, dict[str, Any]] = {}
        self._hay: dict[int, str] = {}
        self._cells: dict[int, dict[str, Any]] = {}
        self._ranking: RankingResult | None = None
        self._positions: dict[int, int] = {}
        self._shown: list[int] = []
        self._columns: tuple[Column, ...] = ()
        self._width = 0
        self._ranking_stale = False
        self._focus_id: int | None = None

    # -- layout ---------------------------------------------------------------------------
    def compose(self) -> ComposeResult:
        yield Static("", id="usulan-filter", markup=False)
        yield Static("", id="usulan-total", markup=False)
        yield Static("", id="usulan-catatan", markup=False)
        table = ProposalTable(id="usulan-tabel", cursor_type="row", zebra_stripes=True)
        yield table

    def on_mount(self) -> None:
        # ForumView.on_mount (called by Textual as well) subscribes to the forum.
        self.reload()

    def focus_default(self) -> None:
        """What the app focuses when the tab is chosen: the proposal table."""
        self.table.focus()

    def on_resize(self, event: events.Resize) -> None:
        if event.size.width != self._width:
            self._width = event.size.width
            self._layout_columns()

    @property
    def table(self) -> ProposalTable:
        return self.query_one(ProposalTable)

    def _layout_columns(self) -> None:
        table = self.table
        current = self.current_id()
        self._columns = columns_for(self._width or 80)
        kegiatan = activity_width(self._width or 80, self._columns, table.cell_padding)
        table.clear(columns=True)
        for column in self._columns:
            table.add_column(column.label, key=column.key, width=column.width or kegiatan)
        self._fill(current)

    # -- data -----------------------------------------------------------------------------
    def reload(self) -> None:
        """Read every proposal again (on mount, and after a read-only forum refreshed)."""
        self._records = {p["id"]: p for p in self.forum.proposals.all()}
        self._hay = {i: haystack(p) for i, p in self._records.items()}
        self._compute_ranking()
        self._cells = {i: self._cells_of(i) for i in self._records}
        self._show_notice()
        if self._columns:
            self._fill(self.current_id())

    def _compute_ranking(self) -> None:
        self._ranking = self.forum.priority.ranking()
        self._positions = rank_positions(self._ranking)
        self._ranking_stale = False

    def _cells_of(self, rec_id: int) -> dict[str, Any]:
        return cells(self._records[rec_id], measure_text(self._ranking, rec_id))

    def _visible_ids(self) -> list[int]:
        key = sort_key(self.sort, self._positions)
        chosen = [p for i, p in self._records.items() if self.filter.matches(p, self._hay[i])]
        chosen.sort(key=key, reverse=False)
        return [p["id"] for p in chosen]

    def _fill(self, keep: int | None) -> None:
        """Lay the table out again from the kept cells (order or membership changed)."""
        table = self.table
        self._shown = self._visible_ids()
        table.clear()
        keys = [c.key for c in self._columns]
        for rec_id in self._shown:
            row = self._cells[rec_id]
            table.add_row(*(row[k] for k in keys), key=str(rec_id))
        self._move_to(keep)
        self._show_totals()

    def _move_to(self, rec_id: int | None) -> None:
        if rec_id is not None and rec_id in self._shown:
            self.table.move_cursor(row=self._shown.index(rec_id))

    def current_id(self) -> int | None:
        """The proposal under the cursor, if any."""
        table = self.table
        if not self._shown or table.row_count == 0:
            return None
        row = min(table.cursor_row, len(self._shown) - 1)
        return self._shown[row] if row >= 0 else None

    def _show_totals(self) -> None:
        records = self._records
        shown = [records[i] for i in self._shown]
        accepted = sum(
            p.get("biaya") or 0 for p in records.values() if p.get("status") == "diakomodir"
        )
        totals = {"diakomodir": accepted, "pagu": self.forum.meta.get("pagu") or 0}
        sort_words = f"  urut: {SORTS[self.sort]}"
        self.query_one("#usulan-filter", Static).update(
            f"Filter: {self.filter.describe()}{sort_words}"
        )
        self.query_one("#usulan-total", Static).update(totals_text(shown, len(records), totals))

    def _show_notice(self) -> None:
        notice = self.query_one("#usulan-catatan", Static)
        if self.forum.readonly:
            holder = self.forum.holder
            who = f" oleh {holder.operator or holder.host}" if holder else ""
            text = f"Forum dibuka hanya-baca (sedang dipegang{who}): usulan tidak dapat diubah."
        elif self.forum.status != "draf":
            text = (
                f"Forum berstatus {self.forum.status}: setiap perubahan dicatat sebagai "
                "amandemen dengan alasan."
            )
        else:
            text = ""
        notice.update(text)
        notice.display = bool(text)

    # -- forum changes ----------------------------------------------------------------------
    def on_show(self) -> None:
        """Shown again (its tab chosen): bring the ranking up to date."""
        if self._ranking_stale and self._refresh_measures(set()):
            self._fill(self.current_id())

    def forum_changed(self, changes: dict[str, set[int]]) -> None:
        """Apply a burst of changes: reread the named proposals, then redraw what moved."""
        if ALL_TABLES in changes:
            self.reload()
            return
        if not ({"proposals", *RANKING_TABLES} & changes.keys()):
            return
        ids = set(changes.get("proposals", ()))
        if "meta" in changes:
            self._show_notice()
        before = {i: self._row_state(i) for i in ids}
        for rec_id in ids:
            try:
                record = self.forum.proposals.get(rec_id)
            except ValidationError:
                self._records.pop(rec_id, None)
                self._cells.pop(rec_id, None)
                self._hay.pop(rec_id, None)
                continue
            self._records[rec_id] = record
            self._hay[rec_id] = haystack(record)
        self._ranking_stale = True
        relayout = any(self._row_state(i) != before[i] for i in ids)
        relayout |= self._refresh_measures(ids)
        if relayout or self._focus_id is not None:
            self._fill(self._focus_id if self._focus_id is not None else self.current_id())
            self._focus_id = None
        else:
            self._show_totals()

    def _row_state(self, rec_id: int) -> tuple[Any, ...]:
        """Whether and where a proposal is shown: a difference means the table re-lays out."""
        record = self._records.get(rec_id)
        if record is None:
            return ("absent",)
        shown = self.filter.matches(record, self._hay[rec_id])
        return (shown, sort_key(self.sort, self._positions)(record))

    def _refresh_measures(self, ids: set[int]) -> bool:
        """Recompute the ranking (when the pane is visible) and update the changed cells;
        True when the table must re-lay out (the ranking order is the sort)."""
        if self.is_mounted and not self.is_on_screen and self._ranking is not None:
            for rec_id in ids & set(self._records):
                self._update_cells(rec_id, self._cells_of(rec_id))
            return False
        old_positions = self._positions
        self._compute_ranking()
        moved = self.sort == "nilai" and old_positions != self._positions
        for rec_id in self._records:
            if rec_id in ids:
                fresh = self._cells_of(rec_id)
            else:
                nilai = measure_cell(measure_text(self._ranking, rec_id))
                fresh = {**self._cells[rec_id], "nilai": nilai}
            self._update_cells(rec_id, fresh)
        return moved

    def _update_cells(self, rec_id: int, fresh: dict[str, Any]) -> None:
        old = self._cells.get(rec_id)
        self._cells[rec_id] = fresh
        if old is None or rec_id not in self._shown:
            return
        table = self.table
        for column in self._columns:
            if old[column.key] != fresh[column.key]:
                table.update_cell(str(rec_id), column.key, fresh[column.key])

    # -- actions --------------------------------------------------------------------------
    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        return not (action in EDIT_ACTIONS and self.forum.readonly)

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.action_ubah()

    def _selected(self) -> dict[str, Any] | None:
        rec_id = self.current_id()
        if rec_id is None:
            self.notify("Belum ada usulan yang dipilih.", severity="warning")
            return None
        return self._records[rec_id]

    def _saved(self, result: tuple[int, list[str]] | None) -> None:
        if result is None:
            return
        rec_id, warnings = result
        self._focus_id = rec_id
        number = self._records.get(rec_id, {}).get("urutan", rec_id)
        self.notify(
            "\n".join(warnings) or f"Usulan #{number} tersimpan.",
            severity="warning" if warnings else "information",
        )

    def action_tambah(self) -> None:
        self.app.push_screen(UsulanForm(self.forum), self._saved)

    def action_ubah(self) -> None:
        record = self._selected()
        if record is not None:
            self.app.push_screen(UsulanForm(self.forum, record), self._saved)

    def action_status(self) -> None:
        record = self._selected()
        if record is not None:
            self._focus_id = record["id"]
            self.app.push_screen(UsulanStatus(self.forum, record))

    def action_hapus(self) -> None:
        record = self._selected()
        if record is None:
            return
        number = record.get("urutan", record["id"])

        def remove(yes: bool | None) -> None:
            if yes:
                apply_change(
                    self.app,
                    self.forum,
                    lambda: self.forum.proposals.remove(record["id"]),
                    what=f"hapus usulan #{number}",
                )

        lines = [
            f"Hapus usulan #{number}: {record['kegiatan']} ({record.get('desa') or '-'})?",
            "Penghapusan dicatat di riwayat perubahan.",
        ]
        self.app.push_screen(ConfirmDialog("Hapus usulan", lines), remove)

    def action_impor(self) -> None:
        self.app.push_screen(UsulanImport(self.forum))

    def action_filter(self) -> None:
        sectors = sorted(
            {*SECTORS, *(p["bidang"] for p in self._records.values() if p.get("bidang"))}
        )
        self.app.push_screen(
            UsulanFilter(self.filter, desa_choices(self.forum), sectors), self.set_filter
        )

    def set_filter(self, new: Filter | None) -> None:
        """Show only the proposals matching ``new`` (None: leave the filter as it is)."""
        if new is not None:
            self.filter = new
            self._fill(self.current_id())

    def action_urutkan(self) -> None:
        self.sort = next_sort(self.sort)
        if self.sort == "nilai" and self._ranking_stale:
            self._compute_ranking()
        self._fill(self.current_id())
        self.notify(f"Diurutkan menurut {SORTS[self.sort]}.", timeout=2)

    def action_duplikat(self) -> None:
        self.set_filter(self.filter.toggled_duplicates())
