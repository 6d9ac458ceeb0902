"""Kehadiran (F2): the check-in desk.

Type a few letters of a name, lembaga or desa, Enter checks in the highlighted person. With
150 people queuing nothing may wait: each keypress shows only the best matches (at most
``SHOWN``), the counters are recomputed only when the forum changes, and after a check-in
the search is cleared for the next person, with the one just checked in on top (so ctrl+z
undoes exactly that).
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.markup import escape
from textual.widgets import DataTable, Input, Static

from store.attendance import AttendanceSummary, is_present
from store.formatting import format_clock, format_clock_seconds, format_percent
from store.unsur import standard_unsur
from tui.widgets.fitted_table import FittedTable
from tui.widgets.forum_view import ForumView, attempt, touches

#: How many matches the list shows; typing narrows it further.
SHOWN = 50


def table_columns(width: int) -> list[tuple[str, int]]:
    """Column labels and widths that fill ``width`` (2 cells of padding per column and 2
    for the scrollbar): more columns as the table widens, the name gets most of the rest."""
    if width >= 100:
        fixed = [("L/P", 3), ("Unsur", 18), ("Lembaga", 0), ("Desa", 15), ("Hadir", 6)]
    elif width >= 66:
        fixed = [("L/P", 3), ("Lembaga", 0), ("Desa", 13), ("Hadir", 6)]
    else:
        fixed = [("L/P", 3), ("Lembaga", 0), ("Hadir", 6)]
    free = width - 2 - 2 * (len(fixed) + 1) - sum(w for _, w in fixed)
    name = max(12, min(free * 3 // 5, 32))
    rest = max(8, free - name)
    return [("Nama", name), *((label, w or rest) for label, w in fixed)]


class SearchInput(Input):
    """The search field; Enter means "this one is here"."""

    BINDINGS = [
        Binding("enter", "submit", "Hadir", tooltip="Catat hadir peserta yang disorot"),
    ]


def _clock_of(iso: str | None) -> str:
    from datetime import datetime

    return format_clock(datetime.fromisoformat(iso)) if iso else ""


def presence_cell(person: dict[str, Any]) -> Text:
    if is_present(person):
        return Text(_clock_of(person["hadir_pukul"]), style="bold green")
    if person.get("pulang_pukul"):
        return Text("pulang", style="dim")
    return Text("-", style="dim")


def door_order(people: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """With nothing typed: the latest check-ins first, then everyone else by name."""
    present = sorted((p for p in people if is_present(p)), key=lambda p: p["hadir_pukul"],
                     reverse=True)
    others = sorted((p for p in people if not is_present(p)), key=lambda p: p["nama"].lower())
    return present + others


def delegate_totals(people: list[dict[str, Any]]) -> dict[str, int]:
    """Registered delegates per desa (the summary counts only those present)."""
    return dict(Counter(p.get("desa") or "-" for p in people if p.get("delegasi")))


def counters_markup(summary: AttendanceSummary, delegates_per_desa: dict[str, int]) -> str:
    """The always-visible counters, as Textual content markup."""
    share = format_percent(summary.perempuan_persen)
    target = format_percent(summary.target_perempuan)
    women_style = "$success" if summary.target_perempuan_tercapai else "$warning"
    women_note = "" if summary.target_perempuan_tercapai else " di bawah target"
    if summary.kuorum_tercapai is None:
        quorum = "[dim]tanpa syarat[/]"
    elif summary.kuorum_tercapai:
        quorum = "[$success]tercapai[/]"
    else:
        quorum = "[$error]belum tercapai[/]"
    lines = [
        f"[b]Hadir[/]        [b]{summary.hadir}[/] / {summary.terdaftar}",
        f"L {summary.laki} · P {summary.perempuan} "
        f"([{women_style}]{share}[/], target {target}){women_note}",
        f"Delegasi     {summary.delegasi_hadir} / {summary.delegasi_total}",
        f"Kuorum       {quorum}",
        f"[dim]{escape(summary.kuorum_keterangan)}[/]",
        f"Disabilitas  {summary.disabilitas}",
        "",
        "[b]Per unsur[/]",
    ]
    lines += _two_columns(
        f"{_unsur_code(name)} {count}" for name, count in summary.per_unsur.items()
    ) or ["[dim]belum ada[/]"]
    lines += ["", "[b]Delegasi hadir per desa[/]"]
    lines += _two_columns(
        f"{escape(desa)} {summary.delegasi_per_desa.get(desa, 0)}/{total}"
        for desa, total in sorted(delegates_per_desa.items())
    ) or ["[dim]belum ada delegasi[/]"]
    return "\n".join(lines)


def _unsur_code(name: str) -> str:
    found = standard_unsur(name)
    return found.code if found else escape(name)


def _two_columns(items: Any, width: int = 17) -> list[str]:
    cells = list(items)
    return [
        "".join(cell.ljust(width - 1) + " " for cell in cells[i : i + 2]).rstrip()
        for i in range(0, len(cells), 2)
    ]


class KehadiranPane(ForumView):
    """Search and check in on the left, live counters on the right."""

    BINDINGS = [
        Binding("ctrl+n", "baru", "Peserta baru", tooltip="Tambah peserta datang langsung"),
        Binding("ctrl+z", "batal", "Batal hadir", tooltip="Batalkan hadir peserta yang disorot"),
        Binding("ctrl+o", "pulang", "Pulang", tooltip="Catat peserta yang disorot pulang"),
        Binding("escape", "kosongkan", "Kosongkan", show=False,
                tooltip="Kosongkan pencarian peserta"),
        Binding("up", "geser(-1)", show=False),
        Binding("down", "geser(1)", show=False),
        Binding("pageup", "geser(-10)", show=False),
        Binding("pagedown", "geser(10)", show=False),
    ]

    def __init__(self, forum, **kwargs) -> None:
        super().__init__(forum, **kwargs)
        self._wide: bool | None = None
        self._unsur = False
        self._name_width = 0
        self._columns: list[tuple[str, int]] = []
        self._focus_id: int | None = None
        self._shown: list[dict[str, Any]] = []

    def compose(self) -> ComposeResult:
        with Horizontal():
            with Vertical(id="hadir-main"):
                with Horizontal(id="hadir-search"):
                    yield Static("Cari", classes="field-label")
                    yield SearchInput(placeholder="nama, lembaga atau desa; Enter = hadir",
                                      id="hadir-cari", compact=True)
                yield Static("", id="hadir-info", markup=True)
                yield FittedTable(id="hadir-table", cursor_type="row", zebra_stripes=True)
            with VerticalScroll(id="hadir-counts"):
                yield Static("", id="hadir-counters")

    def on_mount(self) -> None:
        self._show_counters()

    def focus_default(self) -> None:
        self.query_one(SearchInput).focus()

    # -- drawing ---------------------------------------------------------------------------
    @on(FittedTable.Resized, "#hadir-table")
    def _resized(self, event: FittedTable.Resized) -> None:
        columns = table_columns(event.width)
        if columns != self._columns:
            self._columns = columns
            self._wide = "Desa" in dict(columns)
            self._unsur = "Unsur" in dict(columns)
            self._name_width = columns[0][1]
            table = event.table
            table.clear(columns=True)
            for label, width in columns:
                table.add_column(label, width=width)
            self._show_matches()

    def _row(self, person: dict[str, Any]) -> tuple[Any, ...]:
        name = Text(person["nama"])
        if person.get("delegasi") and len(person["nama"]) + 4 <= self._name_width:
            name.append(" (D)", style="dim")
        cells: list[Any] = [name, person.get("jenis_kelamin") or ""]
        if self._unsur:
            cells += [person.get("unsur") or "", person.get("lembaga") or ""]
        else:
            cells.append(person.get("lembaga") or person.get("unsur") or "")
        if self._wide:
            cells.append(person.get("desa") or "")
        return (*cells, presence_cell(person))

    def _show_matches(self) -> None:
        """Redraw the list for what is typed, keeping the highlighted person if still listed."""
        if self._wide is None:
            return
        query = self.query_one(SearchInput).value.strip()
        participants = self.forum.participants
        if query:
            matches = participants.search(query, limit=SHOWN + 1)
        else:
            matches = door_order(participants.all())
        more = len(matches) > SHOWN
        self._shown = matches[:SHOWN]
        table = self.query_one(DataTable)
        keep = self._focus_id if self._focus_id is not None else self._highlighted_id()
        table.clear()
        table.add_rows([self._row(p) for p in self._shown])
        index = next((i for i, p in enumerate(self._shown) if p["id"] == keep), 0)
        if self._shown:
            table.move_cursor(row=index, animate=False)
        self._focus_id = None
        if not query:
            self._info(f"{len(matches)} peserta terdaftar. Ketik nama untuk mencari.", keep=True)
        elif not self._shown:
            self._info("Tidak ada yang cocok. ctrl+n: tambah peserta baru.")
        elif more:
            self._info(f"Lebih dari {SHOWN} cocok, {SHOWN} teratas ditampilkan.")
        else:
            self._info(f"{len(self._shown)} cocok.")

    def _info(self, text: str, *, keep: bool = False) -> None:
        """One line of feedback; an action's message is kept until the next search."""
        info = self.query_one("#hadir-info", Static)
        if keep and info.has_class("-action"):
            return
        info.remove_class("-action")
        info.update(escape(text))

    def _action_info(self, markup: str) -> None:
        info = self.query_one("#hadir-info", Static)
        info.add_class("-action")
        info.update(markup)

    def _show_counters(self) -> None:
        people = self.forum.participants.all()
        self.query_one("#hadir-counters", Static).update(
            counters_markup(self.forum.participants.summary(), delegate_totals(people))
        )

    def forum_changed(self, changes: dict[str, set[int]]) -> None:
        if touches(changes, "participants", "meta"):
            self._show_counters()
        if touches(changes, "participants"):
            self._show_matches()

    # -- reacting --------------------------------------------------------------------------
    @on(Input.Changed, "#hadir-cari")
    def _typed(self, event: Input.Changed) -> None:
        self.query_one("#hadir-info", Static).remove_class("-action")
        self._show_matches()

    def _highlighted_id(self) -> int | None:
        table = self.query_one(DataTable)
        if not self._shown or table.cursor_row < 0 or table.cursor_row >= len(self._shown):
            return None
        return self._shown[table.cursor_row]["id"]

    def _highlighted(self) -> dict[str, Any] | None:
        rec_id = self._highlighted_id()
        return None if rec_id is None else self.forum.participants.get(rec_id)

    def action_geser(self, rows: int) -> None:
        table = self.query_one(DataTable)
        if self._shown:
            target = max(0, min(len(self._shown) - 1, table.cursor_row + rows))
            table.move_cursor(row=target, animate=False)

    def action_kosongkan(self) -> None:
        self.query_one(SearchInput).value = ""

    @on(Input.Submitted, "#hadir-cari")
    @on(DataTable.RowSelected, "#hadir-table")
    def action_hadir(self) -> None:
        person = self._highlighted()
        if person is None:
            self.app.bell()
            return
        if is_present(person):
            since = _clock_of(person["hadir_pukul"])
            self._action_info(f"{escape(person['nama'])} sudah hadir sejak {since}.")
            return
        if not attempt(self, self.forum.participants.check_in, person["id"]):
            return
        now = self.forum.participants.get(person["id"])["hadir_pukul"]
        from datetime import datetime

        stamp = format_clock_seconds(datetime.fromisoformat(now))
        self._clear_search(focus_id=person["id"])
        self._action_info(
            f"[$success]✓[/] [b]{escape(person['nama'])}[/] hadir {stamp}. "
            "[dim]ctrl+z membatalkan[/]"
        )

    def _clear_search(self, focus_id: int) -> None:
        """Ready for the next person; the redraw after the change puts ``focus_id`` on top."""
        search = self.query_one(SearchInput)
        self._focus_id = focus_id
        with search.prevent(Input.Changed):
            search.value = ""
        search.focus()

    def action_batal(self) -> None:
        person = self._highlighted()
        if person is None:
            return
        if not person.get("hadir_pukul"):
            self._action_info(f"{escape(person['nama'])} belum tercatat hadir.")
            return
        self._focus_id = person["id"]
        if attempt(self, self.forum.participants.undo_check_in, person["id"]):
            self._action_info(f"Hadir {escape(person['nama'])} dibatalkan.")

    def action_pulang(self) -> None:
        person = self._highlighted()
        if person is None:
            return
        self._focus_id = person["id"]
        if attempt(self, self.forum.participants.check_out, person["id"]):
            self._action_info(f"{escape(person['nama'])} dicatat pulang.")

    def action_baru(self) -> None:
        from tui.widgets.peserta_form import WalkInScreen

        typed = self.query_one(SearchInput).value.strip()
        self.app.push_screen(WalkInScreen(self.forum, nama=typed), self._added)

    def _added(self, rec_id: int | None) -> None:
        if rec_id is None:
            return
        person = self.forum.participants.get(rec_id)
        self._clear_search(focus_id=rec_id)
        state = "terdaftar dan hadir" if person.get("hadir_pukul") else "terdaftar"
        self._action_info(f"[$success]✓[/] [b]{escape(person['nama'])}[/] {state}.")
        self._show_matches()
