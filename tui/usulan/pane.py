"""The Usulan tab (F4): every proposal of the forum, sortable, filterable, with totals.

Built for 1,500 proposals on a slow laptop: each row's cells are computed once and kept;
a forum change (``ForumView``: one coalesced redraw per burst, on the UI thread, whatever
thread wrote) recomputes only the proposals it names, and ``ProposalTable`` then touches
only the rows that changed. The ranking (the Nilai column, the "peringkat" order) is
recomputed only when something it depends on changed, and only while the tab is shown.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, ClassVar

from textual import events
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.widget import Widget
from textual.widgets import DataTable, Static

from store.forum import Forum
from store.importer import ImportReport
from store.ranking import RankedRow, rank_records
from store.sectors import SECTORS
from store.validation import ValidationError
from tui.ekspor.amend import apply_change
from tui.messages import ALL_TABLES
from tui.usulan.filter import UsulanFilter
from tui.usulan.form import UsulanForm, desa_choices
from tui.usulan.impor import UsulanImport
from tui.usulan.status import UsulanStatus
from tui.usulan.table import ProposalTable
from tui.usulan.view import (
    SORTS,
    Filter,
    cells,
    column_widths,
    columns_for,
    haystack,
    measure_cell,
    measure_text,
    next_sort,
    sort_key,
    totals_text,
)
from tui.widgets.dialogs import ConfirmDialog
from tui.widgets.forum_view import ForumView

# Tables whose changes move the ranking (the Nilai column and the "peringkat" order).
RANKING_TABLES = frozenset({"criteria", "scores", "tallies", "ballots", "meta"})
# Proposal fields the ranking reads (store.ranking.Candidate).
RANKED_FIELDS = ("desa", "biaya", "penerima_manfaat", "urutan", "status", "alasan")
EDIT_ACTIONS = frozenset({"tambah", "ubah", "status", "impor", "hapus"})


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
        # views of the stored records, not copies (43 MB at 100x; store.record_view)
        self._records: dict[int, Mapping[str, Any]] = {}
        self._hay: dict[int, str] = {}
        self._cells: dict[int, dict[str, Any]] = {}
        self._metode = "skoring"
        self._ranked: dict[int, RankedRow] = {}
        self._positions: dict[int, int] = {}
        self._ranking_stale = True
        self._width = 0
        self._number_width = 0
        self._name_width = 0
        self._focus_id: int | None = None

    # -- layout ---------------------------------------------------------------------------
    def compose(self) -> ComposeResult:
        yield Static("", id="usulan-filter", markup=False)
        yield Static("", id="usulan-total", markup=False)
        yield Static("", id="usulan-catatan", markup=False)
        yield ProposalTable(id="usulan-tabel")

    def on_mount(self) -> None:
        # ForumView.on_mount (called by Textual as well) subscribes to the forum.
        self.reload()

    def focus_default(self) -> None:
        """What the app focuses when the tab is chosen: the proposal table."""
        self.table.focus()

    def on_resize(self, event: events.Resize) -> None:
        if event.size.width != self._width:
            self._width = event.size.width
            self._layout_columns(self.current_id())

    @property
    def table(self) -> ProposalTable:
        return self.query_one(ProposalTable)

    def current_id(self) -> int | None:
        """The proposal under the cursor, if any."""
        return self.table.current_id()

    def _layout_columns(self, keep: int | None) -> None:
        """(Re)build the columns for the pane's width, then the rows."""
        if not self._width:
            return
        columns = columns_for(self._width)
        widths = column_widths(
            self._width, columns, self._largest_number(), self.table.cell_padding
        )
        self._number_width = widths["no"]
        if widths["kegiatan"] != self._name_width:  # names are cut to the column's width
            self._name_width = widths["kegiatan"]
            self._cells = {i: self._cells_of(i) for i in self._records}
        self.table.set_columns(columns, widths)
        self._rebuild(keep)

    def _largest_number(self) -> int:
        return max((p.get("urutan", 0) for p in self._records.values()), default=0)

    # -- data -----------------------------------------------------------------------------
    def reload(self) -> None:
        """Read every proposal and lay the table out (on mount)."""
        self._records = {p["id"]: p for p in self.forum.record_views("proposals")}
        self._hay = {i: haystack(p) for i, p in self._records.items()}
        self._compute_ranking()
        self._cells = {}  # made by the layout, for the name column's width (not twice)
        self._name_width = 0
        self._show_notice()
        self._layout_columns(self.current_id())

    def _compute_ranking(self) -> None:
        """The store's ranking rules over the proposals already in hand (not re-read)."""
        priority = self.forum.priority
        ranking = rank_records(
            self.forum.meta,
            self._records.values(),
            priority.criteria(),
            priority.scores(),
            priority.tallies(),
            priority.ballots(),
        )
        self._metode = ranking.metode
        self._ranked = {row.id: row for row in ranking.rows}
        self._positions = {row.id: position for position, row in enumerate(ranking.rows)}
        self._ranking_stale = False

    def _measure(self, rec_id: int) -> str:
        return measure_text(self._metode, self._ranked.get(rec_id))

    def _cells_of(self, rec_id: int) -> dict[str, Any]:
        return cells(self._records[rec_id], self._measure(rec_id), self._name_width)

    def _wanted(self) -> set[int]:
        return {i for i, p in self._records.items() if self.filter.matches(p, self._hay[i])}

    def _order(self) -> Callable[[int], Any]:
        """The current order as a key over proposal ids."""
        key, records = sort_key(self.sort, self._positions), self._records
        return lambda rec_id: key(records[rec_id])

    def _rebuild(self, keep: int | None) -> None:
        shown = sorted(self._wanted(), key=self._order())
        for rec_id in shown:  # rows read before the pane had a width
            if rec_id not in self._cells:
                self._cells[rec_id] = self._cells_of(rec_id)
        self.table.rebuild(shown, self._cells, keep)
        self._show_totals()

    def _show(self, keep: int | None) -> None:
        """Bring the rows in step with the filter and the order (only what differs)."""
        self.table.show(self._wanted(), self._cells, self._order(), keep)
        self._show_totals()

    def _show_totals(self) -> None:
        records = self._records
        shown = [records[i] for i in self.table.shown_ids]
        accepted = sum(
            p.get("biaya") or 0 for p in records.values() if p.get("status") == "diakomodir"
        )
        totals = {"diakomodir": accepted, "pagu": self.forum.meta.get("pagu") or 0}
        self.query_one("#usulan-filter", Static).update(
            f"Tampil: {self.filter.describe()} · diurutkan menurut {SORTS[self.sort]}"
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
        if self._ranking_stale and self._records:
            self._refresh_measures()
            self._show(self.current_id())

    def forum_changed(self, changes: dict[str, set[int]]) -> None:
        """Apply a burst of changes: reread the named proposals, then redraw what moved."""
        everything = ALL_TABLES in changes  # a read-only window took in the writer's work
        if not everything and not ({"proposals", *RANKING_TABLES} & changes.keys()):
            return
        if everything or "meta" in changes:
            self._show_notice()
        ranked_before = self._ranking_inputs()
        if everything:
            self._take_all()
        for rec_id in changes.get("proposals", ()):
            self._reread(rec_id)
        if everything or RANKING_TABLES & changes.keys() or self._ranking_inputs() != ranked_before:
            self._ranking_stale = True
            if self._in_shown_tab():
                self._refresh_measures()
        keep = self._focus_id if self._focus_id is not None else self.current_id()
        self._focus_id = None
        if len(str(self._largest_number())) != self._number_width:
            self._layout_columns(keep)  # the # column must widen (or may narrow)
        else:
            self._show(keep)

    def _in_shown_tab(self) -> bool:
        """Whether this pane is in the tab on display (a dialog over it does not count)."""
        return all(node.display for node in self.ancestors_with_self if isinstance(node, Widget))

    def _ranking_inputs(self) -> dict[int, tuple[Any, ...]]:
        return {i: tuple(p.get(k) for k in RANKED_FIELDS) for i, p in self._records.items()}

    def _reread(self, rec_id: int) -> None:
        """Take one proposal's new state (or its removal) into the kept rows."""
        try:
            record = self.forum.record_view("proposals", rec_id)
        except ValidationError:
            self._forget(rec_id)
            return
        self._take(rec_id, record)

    def _take_all(self) -> None:
        """Compare every proposal with the kept ones; take only those that differ."""
        fresh = {p["id"]: p for p in self.forum.record_views("proposals")}
        for rec_id in self._records.keys() - fresh.keys():
            self._forget(rec_id)
        for rec_id, record in fresh.items():
            if self._records.get(rec_id) != record:
                self._take(rec_id, record)

    def _take(self, rec_id: int, record: Mapping[str, Any]) -> None:
        old = self._cells.get(rec_id)
        self._records[rec_id] = record
        self._hay[rec_id] = haystack(record)
        fresh = self._cells_of(rec_id)
        self._cells[rec_id] = fresh
        if old is not None:
            self.table.update(rec_id, old, fresh)

    def _forget(self, rec_id: int) -> None:
        for kept in (self._records, self._cells, self._hay):
            kept.pop(rec_id, None)

    def _refresh_measures(self) -> None:
        """Recompute the ranking and redraw the Nilai cells that changed."""
        self._compute_ranking()
        for rec_id, row in self._cells.items():
            nilai = measure_cell(self._measure(rec_id))
            if nilai != row["nilai"]:
                fresh = {**row, "nilai": nilai}
                self._cells[rec_id] = fresh
                self.table.update(rec_id, row, fresh)

    # -- actions --------------------------------------------------------------------------
    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        return not (action in EDIT_ACTIONS and self.forum.readonly)

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.action_ubah()

    def _selected(self) -> Mapping[str, Any] | None:
        rec_id = self.current_id()
        if rec_id is None:
            self.notify("Belum ada usulan yang dipilih.", severity="warning")
            return None
        return self._records[rec_id]

    def _saved(self, result: tuple[int, list[str]] | None) -> None:
        if result is None:
            return
        rec_id, warnings = result
        if rec_id in self.table.shown_ids:
            self.table.move_to(rec_id)
        else:
            self._focus_id = rec_id  # its row appears with the change notification
        number = self._records.get(rec_id, {}).get("urutan", rec_id)
        self.notify(
            "\n".join(warnings) or f"Usulan #{number} tersimpan.",
            severity="warning" if warnings else "information",
        )

    def action_tambah(self) -> None:
        self.app.push_screen(UsulanForm(self.forum, None, self._records.values()), self._saved)

    def action_ubah(self) -> None:
        record = self._selected()
        if record is not None:
            self.app.push_screen(
                UsulanForm(self.forum, record, self._records.values()), self._saved
            )

    def action_status(self) -> None:
        record = self._selected()
        if record is not None:
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
        self.app.push_screen(UsulanImport(self.forum), self._imported)

    def _imported(self, report: ImportReport | None) -> None:
        if report is not None:
            self.notify(
                report.describe(),
                title="Impor selesai",
                timeout=10,
                severity="warning" if report.duplicates else "information",
            )

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
            self._show(self.current_id())

    def action_urutkan(self) -> None:
        self.sort = next_sort(self.sort)
        if self.sort == "nilai" and self._ranking_stale:
            self._refresh_measures()
        self.table.reorder(self._order(), self.current_id())
        self._show_totals()
        self.notify(f"Diurutkan menurut {SORTS[self.sort]}.", timeout=2)

    def action_duplikat(self) -> None:
        self.set_filter(self.filter.toggled_duplicates())
