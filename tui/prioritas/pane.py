"""The note-taker's Prioritas tab (F5): score, count or collect ballots, watch the ranking.

The room agrees a score, the note-taker types one digit, and it is saved at once through
``forum.priority`` (the store refuses what may not change, e.g. after the vote is closed). The
pane never computes a rule itself: it reads the forum, asks ``store.ranking`` for the result
and redraws only the cells whose value changed, so typing stays fast at 1,500 proposals.

Two views share the tab (ctrl+g switches): *Penilaian*, the entry grid in entry order so the
cursor never jumps while ranks move; and *Hasil*, the ranking in rank order with the pagu line
and the reason for every status.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.coordinate import Coordinate
from textual.widgets import ContentSwitcher, DataTable, Static
from textual.widgets.data_table import CellDoesNotExist, RowKey

from store.closing import check_close, has_measure
from store.formatting import (
    format_decimal_id,
    format_percent,
    format_rupiah,
)
from store.forum import Forum
from store.meta import PRIORITY_METHODS
from store.ranking import DIAKOMODIR, RankedRow, RankingResult
from store.short_names import distinct_cuts
from tui.ekspor.amend import apply_change
from tui.prioritas.data import VOTE_TABLES, PriorityData
from tui.prioritas.hint import column_hint
from tui.widgets.clip import clip
from tui.widgets.dialogs import ConfirmDialog, ReasonDialog
from tui.widgets.forum_view import ForumView, touches

STATUS_STYLE = {
    DIAKOMODIR: "bold green",
    "cadangan": "bold yellow",
    "tidak diakomodir": "bold red",
    "diusulkan": "",
}
CUT_KEY = "garis-pagu"
RESULT_HINT = "Hasil: Pkt = peringkat; garis kuning = batas pagu. ctrl+g kembali menilai."
NAME_WIDTH = 30
#: From this terminal width the results view shows full Rupiah and wide names.
WIDE_RESULTS = 110
MAX_TALLY_DIGITS = 5


@lru_cache(maxsize=1024)
def nilai_text(nilai: float) -> str:
    """ "77,5": at most 1,001 distinct values, and Babel takes ~50 µs each (x 1,500 rows)."""
    return format_decimal_id(nilai)


def measure_text(row: RankedRow) -> str:
    if row.nilai is not None:
        return nilai_text(row.nilai)
    return "–" if row.suara is None else str(row.suara)


def _grid_view(row: RankedRow | None) -> tuple[Any, ...] | None:
    """What of a ranked row the grid shows (not the running total, which moves often)."""
    return None if row is None else (row.rank, row.nilai, row.suara, row.sebutan, row.status)


def status_text(row: RankedRow) -> Text:
    return Text(row.status, style=STATUS_STYLE.get(row.status, ""))


@dataclass(frozen=True)
class GridLayout:
    """Column widths for the pane's width; the grid pads by hand (cell padding 0)."""

    name: int
    desa: int
    status: bool

    #: Two spaces of gap, then the longest status ("tidak diakomodir") whole.
    STATUS_WIDTH: ClassVar[int] = 2 + max(len(status) for status in STATUS_STYLE)

    @classmethod
    def for_width(cls, width: int, values_width: int) -> GridLayout:
        rest = width - 4 - values_width
        desa = 12 if rest >= 60 else 9
        status = rest - desa - cls.STATUS_WIDTH >= 24
        if status:
            rest -= cls.STATUS_WIDTH
        return cls(name=max(14, min(40, rest - desa)), desa=desa, status=status)


# -- the entry grid -----------------------------------------------------------------------------
RIGHT = "right"

#: DataTable's own keys, described in Indonesian (the help screen and palette list them).
TABLE_KEYS: list[BindingType] = [
    Binding("up", "cursor_up", "Baris atas", show=False),
    Binding("down", "cursor_down", "Baris bawah", show=False),
    Binding("left", "cursor_left", "Kolom kiri", show=False),
    Binding("right", "cursor_right", "Kolom kanan", show=False),
    Binding("pageup", "page_up", "Halaman atas", show=False),
    Binding("pagedown", "page_down", "Halaman bawah", show=False),
    Binding("ctrl+home", "scroll_top", "Paling atas", show=False),
    Binding("ctrl+end", "scroll_bottom", "Paling bawah", show=False),
    Binding("home", "scroll_home", "Kolom pertama", show=False),
    Binding("end", "scroll_end", "Kolom terakhir", show=False),
]


class ScoreGrid(DataTable):
    """Scores (skoring), hand counts (voting) or ballot points (surat suara), one row each."""

    BINDINGS: ClassVar[list[BindingType]] = [
        *TABLE_KEYS,
        Binding(
            "1",
            "skor(1)",
            "Skor",
            key_display="1-5",
            tooltip="Skor sel ini: ketik 1 sampai 5 (kursor lalu pindah ke kanan)",
        ),
        *(Binding(str(n), f"skor({n})", f"Skor {n}", show=False) for n in range(2, 6)),
        Binding(
            "delete",
            "hapus_skor",
            "Hapus skor",
            key_display="Del",
            show=False,  # F1 lists it: the footer keeps the keys of the moment
            tooltip="Hapus skor sel ini",
        ),
        Binding(
            "0",
            "angka(0)",
            "Ketik suara",
            key_display="0-9",
            tooltip="Ketik jumlah suara usulan ini (angka 0-9)",
        ),
        *(Binding(str(n), f"angka({n})", f"Ketik {n}", show=False) for n in range(1, 10)),
        Binding(
            "enter",
            "simpan_suara",
            "Simpan suara",
            tooltip="Simpan jumlah suara yang diketik, lalu ke baris berikut",
        ),
        Binding("backspace", "hapus_angka", "Hapus angka", tooltip="Hapus angka terakhir"),
        Binding("escape", "batal_angka", "Batal ketik", tooltip="Batalkan angka yang diketik"),
    ]

    def __init__(self, forum: Forum, **kwargs: Any) -> None:
        super().__init__(cursor_type="cell", zebra_stripes=True, cell_padding=0, **kwargs)
        self.forum = forum
        self.data: PriorityData | None = None
        self.layout_for: GridLayout | None = None
        self._shown: dict[tuple[str, str], str] = {}
        self._buffer = ""
        self._buffer_row: int | None = None

    # -- drawing ---------------------------------------------------------------------------
    def show(self, data: PriorityData) -> None:
        """Rebuild when rows, columns or widths differ, else update only the changed cells."""
        previous, self.data = self.data, data
        if (
            previous is None
            or previous.shape() != data.shape()
            or self._layout() != self.layout_for
        ):
            self._rebuild(data)
        else:
            self._update_values(data, previous)

    def on_resize(self) -> None:
        if self.data is not None and self._layout() != self.layout_for:
            self._rebuild(self.data)

    def _value_columns(self, data: PriorityData) -> list[tuple[str, str, int]]:
        """(key, label, width) of the value columns, each with a one-space gap on the left."""
        rank = ("pkt", "Pkt", rank_width(len(data.proposals)) + 1)
        if data.metode == "skoring":
            crit = [(f"k{c['id']}", c["kode"], max(3, len(c["kode"])) + 1) for c in data.criteria]
            return [*crit, ("nilai", "Nilai", 6), rank]
        if data.metode == "voting":
            return [("suara", "Suara", 7), rank]
        return [("poin", "Poin", 6), ("pemilih", "Pemilih", 8), rank]

    def _layout(self) -> GridLayout | None:
        if self.data is None:
            return None
        width = (self.size.width or self.app.size.width) - 2  # the scrollbar
        values = sum(w for *_, w in self._value_columns(self.data))
        return GridLayout.for_width(width, values)

    def _rebuild(self, data: PriorityData) -> None:
        cursor = self._cursor_keys()
        layout = self._layout()
        assert layout is not None
        self.layout_for = layout
        self.clear(columns=True)
        self._shown = {}
        self.add_column(Text("No", justify=RIGHT), key="no", width=4)
        self.add_column(" Usulan", key="usulan", width=layout.name)
        self.add_column(" Desa", key="desa", width=layout.desa)
        for key, label, width in self._value_columns(data):
            self.add_column(Text(label, justify=RIGHT), key=key, width=width)
        if layout.status:
            self.add_column("  Status", key="status", width=GridLayout.STATUS_WIDTH)
        rows = data.rows_by_id()
        names = distinct_cuts([p.get("kegiatan", "") for p in data.proposals], layout.name - 2)
        for proposal, name in zip(data.proposals, names, strict=True):
            pid = proposal["id"]
            values = self._values(data, proposal, rows[pid])
            self._shown.update({(str(pid), key): value for key, value in values.items()})
            self.add_row(
                Text(f"{proposal.get('urutan', pid)} ", justify=RIGHT),
                " " + name,
                " " + clip(proposal.get("desa") or "-", layout.desa - 2),
                *(self._cell_text(key, value) for key, value in values.items()),
                key=str(pid),
            )
        self._restore_cursor(cursor)

    def _cell_text(self, key: str, value: str) -> Text:
        if key == "status":
            return Text("  " + value, style=STATUS_STYLE.get(value, ""))
        return Text(value, justify=RIGHT)

    def _values(self, data: PriorityData, proposal: Mapping[str, Any], row: RankedRow) -> dict:
        """The value cells of one row as plain text, keyed by column."""
        pid = proposal["id"]
        values: dict[str, str] = {}
        if data.metode == "skoring":
            own = data.scores.get(pid, {})
            for c in data.criteria:
                score = own.get(c["id"])
                values[f"k{c['id']}"] = "·" if score is None else str(score)
            values["nilai"] = measure_text(row)
        elif data.metode == "voting":
            values["suara"] = measure_text(row)
        else:
            values["poin"] = measure_text(row)
            values["pemilih"] = str(row.sebutan)
        values["pkt"] = str(row.rank or "") if has_measure(data.metode, row) else ""
        if self.layout_for is not None and self.layout_for.status:
            values["status"] = row.status
        return values

    def _update_values(self, data: PriorityData, previous: PriorityData | None = None) -> None:
        """Update the cells that differ; with ``previous``, look only at rows that changed."""
        rows = data.rows_by_id()
        before = previous.rows_by_id() if previous is not None else {}
        for proposal in data.proposals:
            pid = proposal["id"]
            if (
                previous is not None
                and _grid_view(before.get(pid)) == _grid_view(rows[pid])
                and previous.scores.get(pid) == data.scores.get(pid)
            ):
                continue
            row_key = str(pid)
            for key, value in self._values(data, proposal, rows[pid]).items():
                if self._shown.get((row_key, key)) != value:
                    self._shown[(row_key, key)] = value
                    self.update_cell(row_key, key, self._cell_text(key, value))
        if self._buffer:
            self._show_buffer()

    def _cursor_keys(self) -> tuple[str, str] | None:
        try:
            row, column = self.coordinate_to_cell_key(self.cursor_coordinate)
        except CellDoesNotExist:
            return None
        return str(row.value), str(column.value)

    def _restore_cursor(self, keys: tuple[str, str] | None) -> None:
        first_value = 3
        if keys is None:
            self.move_cursor(row=0, column=first_value)
            return
        try:
            row = self.get_row_index(keys[0])
        except Exception:
            row = 0
        try:
            column = self.get_column_index(keys[1])
        except Exception:
            column = first_value
        self.move_cursor(row=row, column=column)

    # -- which keys are live ---------------------------------------------------------------
    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        metode = self.data.metode if self.data else None
        open_vote = not (self.data and self.data.closed)  # closed: nothing may be typed
        if action in ("skor", "hapus_skor"):
            return metode == "skoring" and open_vote
        if action == "angka":
            return metode == "voting" and open_vote
        if action in ("simpan_suara", "hapus_angka", "batal_angka"):
            return metode == "voting" and bool(self._buffer)
        return True

    # -- scoring ---------------------------------------------------------------------------
    def _cursor_proposal(self) -> int | None:
        keys = self._cursor_keys()
        return int(keys[0]) if keys else None

    def _cursor_criterion(self) -> int | None:
        keys = self._cursor_keys()
        if keys is None or not keys[1].startswith("k"):
            return None
        return int(keys[1][1:])

    def action_skor(self, value: int) -> None:
        self._set_score(value)

    def action_hapus_skor(self) -> None:
        self._set_score(None)

    def _set_score(self, value: int | None) -> None:
        pid, cid = self._cursor_proposal(), self._cursor_criterion()
        if pid is None:
            return
        if cid is None:
            self.app.notify(
                "Kolom ini tidak diisi skor (Pkt = peringkat dan Nilai dihitung): pindahkan "
                "kursor ke kolom kriteria lalu ketik 1-5."
            )
            return
        apply_change(
            self.app,
            self.forum,
            lambda: self.forum.priority.set_score(pid, cid, value),
            on_done=lambda _: self._advance() if value is not None else None,
            what=f"skor usulan #{self._row_number()}",
        )

    def _row_number(self) -> str:
        return str(self.get_cell_at(Coordinate(self.cursor_row, 0)))

    def _advance(self) -> None:
        """Next criterion to the right, or the first criterion of the next row."""
        assert self.data is not None
        last = 2 + len(self.data.criteria)
        if self.cursor_column < last:
            self.move_cursor(column=self.cursor_column + 1)
        elif self.cursor_row + 1 < self.row_count:
            self.move_cursor(row=self.cursor_row + 1, column=3)

    # -- hand counts -----------------------------------------------------------------------
    def action_angka(self, digit: int) -> None:
        row = self.cursor_row
        if self._buffer_row != row:
            self._buffer, self._buffer_row = "", row
        if len(self._buffer) < MAX_TALLY_DIGITS:
            self._buffer = (self._buffer + str(digit)).lstrip("0") or "0"
        self._show_buffer()
        self.refresh_bindings()

    def action_hapus_angka(self) -> None:
        self._buffer = self._buffer[:-1]
        self._show_buffer()
        self.refresh_bindings()

    def action_batal_angka(self) -> None:
        self._drop_buffer()

    def action_simpan_suara(self) -> None:
        if self._commit_tally():
            self.move_cursor(row=self.cursor_row + 1)

    def _show_buffer(self) -> None:
        if self._buffer_row is None or self._buffer_row >= self.row_count:
            return
        key = self.coordinate_to_cell_key(Coordinate(self._buffer_row, 0)).row_key
        cell = Text(f"{self._buffer}▏", style="bold reverse", justify=RIGHT)
        self.update_cell(key, "suara", cell)
        self._shown.pop((str(key.value), "suara"), None)

    def _drop_buffer(self) -> None:
        row, self._buffer, self._buffer_row = self._buffer_row, "", None
        if row is not None and self.data is not None:
            self._update_values(self.data)
        self.refresh_bindings()

    def _commit_tally(self) -> bool:
        """Save the typed count for its row; False if nothing was typed."""
        if not self._buffer or self._buffer_row is None:
            return False
        key = self.coordinate_to_cell_key(Coordinate(self._buffer_row, 0)).row_key
        pid, count = int(str(key.value)), int(self._buffer)
        self._drop_buffer()
        apply_change(
            self.app,
            self.forum,
            lambda: self.forum.priority.set_tally(pid, count),
            what=f"suara usulan #{pid}",
        )
        return True

    @on(DataTable.CellHighlighted)
    def _moved(self, event: DataTable.CellHighlighted) -> None:
        """Moving off a row with a typed count saves it: arrows never lose a number."""
        if self._buffer and event.coordinate.row != self._buffer_row:
            self._commit_tally()


# -- the result view ----------------------------------------------------------------------------
class ResultTable(DataTable):
    """The ranking in rank order, with the pagu line and each status's reason."""

    BINDINGS: ClassVar[list[BindingType]] = [
        *TABLE_KEYS,
        Binding("enter", "select_cursor", "Pilih baris", show=False),
    ]

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(cursor_type="row", zebra_stripes=True, **kwargs)

    def show(self, data: PriorityData) -> None:
        """Rank order, money always exact (the room decides on it). Below 110 columns the
        columns give way in this order: Alasan and Kumulatif go (the pagu line still says
        what is used and left), then the names and the desa get narrower, with an ellipsis."""
        cursor = self.cursor_row
        width = self.app.size.width
        narrow = width < WIDE_RESULTS
        money = format_rupiah
        self.clear(columns=True)
        measure = {"skoring": "Nilai", "voting": "Suara"}.get(data.metode, "Poin")
        columns = [
            ("Pkt", "pkt", rank_width(len(data.result.rows))),
            ("Usulan", "usulan", NAME_WIDTH),
            ("Desa", "desa", 12),
            (measure, "ukuran", 5),
            ("Status", "status", len("tidak diakomodir")),
            ("Biaya", "biaya", len("Rp1.250.000.000")),
        ]
        if narrow:  # each column pads one space either side; 2 for the scrollbar
            fixed = sum(w + 2 for _, key, w in columns if key not in ("usulan", "desa")) + 2
            desa_width = 10
            name_width = max(12, width - fixed - (desa_width + 2) - 2)
        else:
            columns += [("Kumulatif", "kumulatif", 15), ("Alasan", "alasan", 0)]
            desa_width, name_width = 12, NAME_WIDTH
        for label, key, column_width in columns:
            fixed_width = {"usulan": name_width, "desa": desa_width}.get(key, column_width)
            self.add_column(label, key=key, width=fixed_width or None)
        result = data.result
        kegiatan = {p["id"]: p.get("kegiatan", "") for p in data.proposals}
        names = dict(
            zip(
                [row.id for row in result.rows],
                distinct_cuts([kegiatan.get(row.id, "") for row in result.rows], name_width),
                strict=True,
            )
        )
        for index, row in enumerate(result.rows):
            if result.pagu is not None and index == result.cut:
                self._add_cut_line(result, money, narrow, name_width)
            cells: list[Any] = [
                str(row.rank or "") if has_measure(data.metode, row) else "",
                names[row.id],
                clip(row.desa or "-", desa_width),
                measure_text(row),
                status_text(row),
                Text(money(row.biaya), justify="right"),
            ]
            if not narrow:
                kumulatif = money(row.kumulatif) if row.status == DIAKOMODIR else ""
                cells += [Text(kumulatif, justify="right"), row.alasan]
            self.add_row(*cells, key=str(row.id))
        if result.pagu is not None and result.cut == len(result.rows):
            self._add_cut_line(result, money, narrow, name_width)
        self.move_cursor(row=min(cursor, max(0, self.row_count - 1)))

    def _add_cut_line(
        self, result: RankingResult, money: Callable[[int], str], narrow: bool, name_width: int
    ) -> None:
        """A full-width row where the money runs out: used and left beside the line, each
        cell whole in its column (narrow: "sisa" in the measure column, the amount left in
        the Status column)."""
        assert result.pagu is not None and result.sisa_pagu is not None
        style = "bold black on yellow"
        cells = [
            "━━━",
            rule_with("batas pagu", name_width),
            "━━━━━",
            "sisa" if narrow else "━━━",
            money(result.sisa_pagu) if narrow else "terpakai",
            money(result.total_diakomodir),
        ]
        if not narrow:
            cells += [f"sisa {money(result.sisa_pagu)}", ""]
        self.add_row(*(Text(cell, style=style) for cell in cells), key=CUT_KEY)


def rank_width(count: int) -> int:
    """Columns a rank of ``count`` proposals needs: "Pkt" fits 999; a Kabupaten's 1,990 needs
    four, or the rank runs into the value beside it."""
    return max(3, len(str(count)))


def rule_with(label: str, width: int) -> str:
    """``━━ batas pagu ━━`` exactly ``width`` cells wide (the label alone when no room)."""
    inner = f" {label} "
    if len(inner) > width:
        return label[:width]
    left = (width - len(inner)) // 2
    return "━" * left + inner + "━" * (width - len(inner) - left)


# -- the pane -----------------------------------------------------------------------------------
class PrioritasPane(ForumView):
    """The F5 tab: mounted by the app as ``PrioritasPane(forum)``."""

    DEFAULT_CSS = """
    PrioritasPane { height: 1fr; }
    PrioritasPane #prio-info { height: auto; padding: 0 1; background: $boost; }
    PrioritasPane #prio-petunjuk { height: 1; padding: 0 1; color: $text-muted; }
    PrioritasPane ContentSwitcher { height: 1fr; }
    PrioritasPane DataTable { height: 1fr; }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "ctrl+k",
            "pengaturan",
            "Kriteria",
            tooltip="Atur metode prioritas, kriteria dan bobot, surat suara, pagu",
        ),
        Binding(
            "ctrl+g",
            "ganti_tampilan",
            "Hasil",
            tooltip="Ganti tampilan: penilaian atau hasil peringkat dengan garis pagu",
        ),
        Binding(
            "ctrl+l",  # not ctrl+b: tmux's prefix key never reaches the app
            "surat_suara",
            "Surat suara",
            tooltip="Catat surat suara delegasi (satu per delegasi hadir berhak suara)",
        ),
        Binding(
            "ctrl+e",
            "koreksi",
            "Koreksi surat",
            tooltip="Koreksi surat suara seorang delegasi, dengan alasan",
        ),
        Binding(
            "ctrl+u",
            "status",
            "Status",
            show=False,  # F1 and the palette
            tooltip="Ubah status usulan terpilih (mis. tidak diakomodir dengan alasan)",
        ),
        Binding(
            "ctrl+t",
            "tutup",
            "Tutup pemungutan",
            tooltip="Tutup pemungutan: bekukan skor dan suara, tetapkan status usulan",
        ),
        Binding(
            "ctrl+t",
            "buka",
            "Buka pemungutan",
            tooltip="Buka kembali pemungutan yang sudah ditutup (wajib alasan)",
        ),
    ]

    def __init__(self, forum: Forum, **kwargs: Any) -> None:
        super().__init__(forum, **kwargs)
        self.data: PriorityData | None = None
        self._result_stale = True

    def compose(self) -> ComposeResult:
        yield Static("", id="prio-info", markup=False)
        yield Static("", id="prio-petunjuk", markup=False)
        with ContentSwitcher(initial="penilaian"):
            yield ScoreGrid(self.forum, id="penilaian")
            yield ResultTable(id="hasil")

    def on_mount(self) -> None:
        super().on_mount()
        self.reload()

    def focus_default(self) -> None:
        """Focus the table on show (the app may call this before the pane composed)."""
        if not self.query(ContentSwitcher):
            self.call_after_refresh(self.focus_default)
            return
        self._visible_table().focus()

    def _visible_table(self) -> DataTable:
        current = self.query_one(ContentSwitcher).current or "penilaian"
        return self.query_one(f"#{current}", DataTable)

    # -- redrawing -------------------------------------------------------------------------
    def forum_changed(self, changes: dict[str, set[int]]) -> None:
        if self.data is None or touches(changes, "meta", "proposals", "criteria"):
            self.reload()
        elif any(table in changes for table in VOTE_TABLES):
            self._show(self.data.updated(self.forum, changes))
        elif "participants" in changes:  # who may vote: the surat suara line
            self._write_info()

    def reload(self) -> None:
        self._show(PriorityData.read(self.forum))

    def _show(self, data: PriorityData) -> None:
        self.data = data
        self.query_one(ScoreGrid).show(data)
        self._result_stale = True
        if self._showing_result:
            self._show_result()
        self._write_info()
        self._explain_column()  # a closed vote changes what the line may offer
        self.refresh_bindings()

    @on(DataTable.CellHighlighted, "#penilaian")
    def _explain_column(self) -> None:
        """Say what the column under the cursor holds (Pkt and Nilai are computed)."""
        grid = self.query_one(ScoreGrid)
        if self.data is None or not grid.row_count:
            return
        try:
            cell = grid.coordinate_to_cell_key(grid.cursor_coordinate)
        except CellDoesNotExist:
            return
        hint = column_hint(
            self.data.metode,
            str(cell.column_key.value),
            self.data.criteria,
            closed=self.data.closed,
        )
        self.query_one("#prio-petunjuk", Static).update(hint)

    @property
    def _showing_result(self) -> bool:
        return self.query_one(ContentSwitcher).current == "hasil"

    def _show_result(self) -> None:
        if self._result_stale and self.data is not None:
            self.query_one(ResultTable).show(self.data)
            self._result_stale = False

    def _write_info(self) -> None:
        data = self.data
        assert data is not None
        result = data.result
        wide = self.size.width >= 110
        money = format_rupiah  # pagu and what is used of it: exact, the room decides on them
        metode = PRIORITY_METHODS.get(data.metode, data.metode)
        line = [
            f"Metode: {metode}" if wide else metode.split(" (")[0],
            f"pemungutan {'DITUTUP' if data.closed else 'dibuka'}",
        ]
        if result.pagu is None:
            line.append("tanpa pagu" if data.meta.get("tanpa_pagu") else "pagu belum ditetapkan")
        else:
            line.append(f"pagu {money(result.pagu)}, terpakai {money(result.total_diakomodir)}")
        second = self._method_line(data)
        self.query_one("#prio-info", Static).update(" · ".join(line) + "\n" + second)

    def _method_line(self, data: PriorityData) -> str:
        if data.metode == "skoring":
            weights = sum(c["bobot"] for c in data.criteria) or 1
            named = [
                f"{c['kode']}={c.get('nama') or c['kode']} {format_percent(c['bobot'] / weights)}"
                for c in data.criteria
            ]
            line = "Bobot: " + ", ".join(named) + "; Pkt=peringkat"
            if len(line) <= self.size.width:  # the codes in words, when there is room
                return line
            parts = [f"{c['kode']} {format_percent(c['bobot'] / weights)}" for c in data.criteria]
            return "Bobot: " + "  ".join(parts) + "  (^k: arti)"
        if data.metode == "voting":
            return "Ketik jumlah suara usulan yang dipilih, Enter menyimpan. Pkt=peringkat."
        voters = self.forum.participants.voters_present()
        voted = {b["peserta_id"] for b in data.ballots}
        rule = data.meta.get("surat_suara") or {}
        already = sum(1 for v in voters if v["id"] in voted)
        return (
            f"Surat suara: {already} dari {len(voters)} delegasi hadir berhak suara sudah memilih"
            f" · maks {rule.get('maks_pilihan', 3)} pilihan, bobot {rule.get('bobot', '3-2-1')}"
        )

    # -- which keys are live ---------------------------------------------------------------
    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        data = self.data
        if data is None:
            return True
        if action in ("surat_suara", "koreksi"):
            return data.metode == "surat_suara"
        if action == "tutup":
            return not data.closed
        if action == "buka":
            return data.closed
        return True

    # -- actions ---------------------------------------------------------------------------
    def action_ganti_tampilan(self) -> None:
        switcher = self.query_one(ContentSwitcher)
        switcher.current = "penilaian" if self._showing_result else "hasil"
        if self._showing_result:
            self._show_result()
            self.query_one("#prio-petunjuk", Static).update(RESULT_HINT)
        self._visible_table().focus()

    def _selected_proposal(self) -> int | None:
        table = self._visible_table()
        try:
            row_key: RowKey = table.coordinate_to_cell_key(table.cursor_coordinate).row_key
        except CellDoesNotExist:
            return None
        return None if row_key.value == CUT_KEY else int(str(row_key.value))

    def action_status(self) -> None:
        from tui.usulan.status import UsulanStatus

        pid = self._selected_proposal()
        if pid is not None:
            self.app.push_screen(UsulanStatus(self.forum, self.forum.proposals.get(pid)))

    def action_pengaturan(self) -> None:
        from tui.prioritas.dialogs import PengaturanDialog

        self.app.push_screen(PengaturanDialog(self.forum))

    def action_surat_suara(self) -> None:
        from tui.prioritas.dialogs import SuratSuaraDialog

        self.app.push_screen(SuratSuaraDialog(self.forum))

    def action_koreksi(self) -> None:
        from tui.prioritas.dialogs import SuratSuaraDialog

        self.app.push_screen(SuratSuaraDialog(self.forum, koreksi=True))

    def action_tutup(self) -> None:
        data = self.data or PriorityData.read(self.forum)
        check = check_close(data.metode, data.result.rows)
        if check.penolakan:  # a vote without a result is never filed as the decision
            self.app.notify(
                check.penolakan, title="Pemungutan belum dapat ditutup", severity="error"
            )
            return
        lines = [
            *check.catatan,
            "Skor, hitungan suara dan surat suara dibekukan.",
            "Status setiap usulan ditetapkan menurut peringkat dan pagu, dengan alasannya.",
            "Membuka kembali nanti wajib disertai alasan (dicatat).",
        ]

        def close(agreed: bool | None) -> None:
            if agreed:
                apply_change(self.app, self.forum, self._close_and_decide, what="tutup pemungutan")

        self.app.push_screen(ConfirmDialog("Tutup pemungutan?", lines), close)

    def _close_and_decide(self) -> None:
        with self.forum.batch():
            self.forum.priority.close_voting()
            self.forum.priority.apply_ranking()

    def action_buka(self) -> None:
        def reopen(alasan: str | None) -> None:
            if alasan:
                apply_change(
                    self.app,
                    self.forum,
                    lambda: self.forum.priority.reopen_voting(alasan),
                    what="buka kembali pemungutan",
                )

        prompt = "Pemungutan sudah ditutup. Tulis alasan membukanya kembali (dicatat)."
        self.app.push_screen(ReasonDialog("Buka kembali pemungutan", prompt), reopen)
