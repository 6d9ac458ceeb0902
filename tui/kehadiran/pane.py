"""Kehadiran (F2): the check-in desk.

Type a few letters of a name, lembaga or desa, Enter checks in the highlighted person. With
150 people queuing nothing may wait: each keypress shows only the best matches (at most
``SHOWN``, formatted once into a ``RowList``), the counters are recomputed only when the
forum changes, and after a check-in the search is cleared for the next person, with the one
just checked in on top (so ctrl+z undoes exactly that).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.markup import escape
from textual.widgets import Input, Static

from store.attendance import AttendanceSummary, PeopleIndex, is_present
from store.formatting import format_clock, format_clock_seconds, format_percent
from store.unsur import standard_unsur
from tui.widgets.forum_view import ForumView, attempt, touches
from tui.widgets.row_list import RowList, fit
from tui.widgets.text_input import TextInput

#: How many matches the list shows; typing narrows it further.
SHOWN = 50

Columns = list[tuple[str, int]]


def list_columns(width: int) -> Columns:
    """Column labels and widths filling ``width`` (a space between columns, 2 cells for the
    scrollbar): more columns as the list widens, the name gets most of the rest."""
    if width >= 140:
        fixed = [
            ("L/P", 3),
            ("Unsur", 18),
            ("Lembaga", 0),
            ("Jabatan", 22),
            ("Desa", 15),
            ("Hadir", 6),
        ]
    elif width >= 100:
        fixed = [("L/P", 3), ("Unsur", 18), ("Lembaga", 0), ("Desa", 15), ("Hadir", 6)]
    elif width >= 66:
        fixed = [("L/P", 3), ("Lembaga", 0), ("Desa", 13), ("Hadir", 6)]
    else:
        fixed = [("L/P", 3), ("Lembaga", 0), ("Hadir", 6)]
    free = width - 2 - (len(fixed) + 1) - sum(w for _, w in fixed)
    name = max(12, min(free * 3 // 5, 32))
    rest = max(8, free - name)
    return [("Nama", name), *((label, w or rest) for label, w in fixed)]


def clock_of(iso: str | None) -> str:
    return format_clock(datetime.fromisoformat(iso)) if iso else ""


def presence(person: dict[str, Any]) -> tuple[str, str]:
    """What the Hadir column says, and its style."""
    if is_present(person):
        return clock_of(person["hadir_pukul"]), "bold $success"
    if person.get("pulang_pukul"):
        return "pulang", "dim"
    return "-", "dim"


def person_row(person: dict[str, Any], columns: Columns) -> Content:
    """One line of the list, columns padded to their widths."""
    parts: list[str | tuple[str, str]] = []
    for label, width in columns:
        if label == "Nama":
            name = person["nama"]
            if person.get("delegasi") and len(name) + 4 <= width:
                parts += [name, (fit(" (D)", width - len(name)), "dim")]
            else:
                parts.append(fit(name, width))
        elif label == "Hadir":
            text, style = presence(person)
            parts.append((fit(text, width), style))
        else:
            value = {
                "L/P": person.get("jenis_kelamin"),
                "Unsur": person.get("unsur"),
                "Lembaga": person.get("lembaga") or "-",  # never an unsur in its place
                "Jabatan": person.get("jabatan"),
                "Desa": person.get("desa"),
            }[label]
            parts.append(fit(value or "", width))
        parts.append(" ")
    return Content.assemble(*parts[:-1])


def header_row(columns: Columns) -> str:
    return " ".join(fit(label, width) for label, width in columns)


def counters_markup(summary: AttendanceSummary, left: int = 0, *, per_desa: bool = True) -> str:
    """The always-visible counters, as Textual content markup: who is in the room now
    (``summary`` in-room; ``left``: how many checked in and went home). ``per_desa``: the
    delegates per desa, a kecamatan forum's notion (a desa forum has one desa)."""
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
        f"[b]Di ruangan   {summary.hadir}[/] / {summary.terdaftar}",
        *([f"[dim]sudah pulang {left}[/]"] if left else []),
        f"L {summary.laki} · P {summary.perempuan} "
        f"([{women_style}]{share}[/], target {target}){women_note}",
        f"Delegasi     {summary.delegasi_hadir} / {summary.delegasi_total}",
        f"Kuorum       {quorum}",
        *(
            [f"[dim]{escape(summary.kuorum_keterangan)}[/]"]
            if summary.kuorum_tercapai is not None
            else []
        ),
        f"Disabilitas  {summary.disabilitas}",
        "",
        "[b]Per unsur[/]",
    ]
    lines += _two_columns(
        f"{_unsur_code(name)} {count}" for name, count in summary.per_unsur.items()
    ) or ["[dim]belum ada[/]"]
    lines += [f"[dim]{line}[/]" for line in _legend(summary.per_unsur)]
    if not per_desa:
        return "\n".join(lines)
    lines += ["", "[b]Delegasi hadir per desa[/]"]
    lines += _two_columns(
        f"{escape(desa)} {summary.delegasi_per_desa.get(desa, 0)}/{total}"
        for desa, total in sorted(summary.delegasi_terdaftar_per_desa.items())
    ) or ["[dim]belum ada delegasi[/]"]
    return "\n".join(lines)


def _legend(names: Iterable[str]) -> list[str]:
    """``KT = Karang Taruna`` for each short code shown that is not the name itself."""
    legend = []
    for name in names:
        found = standard_unsur(name)
        if found and found.code != found.name:
            legend.append(f"{found.code} = {escape(found.name)}")
    return legend


def _unsur_code(name: str) -> str:
    found = standard_unsur(name)
    return found.code if found else escape(name)


def _two_columns(items: Iterable[str], width: int = 17) -> list[str]:
    cells = list(items)
    return [
        "".join(cell.ljust(width - 1) + " " for cell in cells[i : i + 2]).rstrip()
        for i in range(0, len(cells), 2)
    ]


class SearchInput(TextInput):
    """The search field; Enter means "this one is here"."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "submit", "Hadir", tooltip="Catat hadir peserta yang disorot"),
    ]


class KehadiranPane(ForumView):
    """Search and check in on the left, live counters on the right."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+n", "baru", "Peserta baru", tooltip="Tambah peserta datang langsung"),
        Binding(
            "ctrl+z",
            "batal",
            "Batal hadir",
            tooltip="Batalkan langkah terakhir (hadir atau pulang) peserta yang disorot",
        ),
        Binding("ctrl+o", "pulang", "Pulang", tooltip="Catat peserta yang disorot pulang"),
        Binding("f9", "impor", "Impor", tooltip="Kehadiran: impor peserta dari berkas"),
        Binding(
            "escape", "kosongkan", "Kosongkan", show=False, tooltip="Kosongkan pencarian peserta"
        ),
        Binding("up", "geser(-1)", show=False),
        Binding("down", "geser(1)", show=False),
        Binding("pageup", "geser(-10)", show=False),
        Binding("pagedown", "geser(10)", show=False),
    ]

    def __init__(self, forum, **kwargs) -> None:
        super().__init__(forum, **kwargs)
        self._columns: Columns = []
        self._focus_id: int | None = None
        self._shown: list[dict[str, Any]] = []
        self._index: PeopleIndex | None = None

    def compose(self) -> ComposeResult:
        with Horizontal():
            with Vertical(id="hadir-main"):
                with Horizontal(id="hadir-search"):
                    yield Static("Cari", classes="field-label")
                    yield SearchInput(
                        placeholder="nama, lembaga atau desa; Enter = hadir",
                        id="hadir-cari",
                        compact=True,
                    )
                yield Static("", id="hadir-info")
                yield Static("", id="hadir-head", markup=False)
                yield RowList(id="hadir-list")
            with VerticalScroll(id="hadir-counts"):
                yield Static("", id="hadir-counters")

    def on_mount(self) -> None:
        # After the first paint: the tally builds the people index (~10 ms at 2,000 people)
        # and the shares are Babel's first use (~10 ms of locale data); the screen shows first.
        self.call_after_refresh(self._show_counters)

    def focus_default(self) -> None:
        self.query_one(SearchInput).focus()

    # -- drawing ---------------------------------------------------------------------------
    @on(RowList.Resized, "#hadir-list")
    def _resized(self, event: RowList.Resized) -> None:
        columns = list_columns(event.width)
        if columns != self._columns:
            self._columns = columns
            self.query_one("#hadir-head", Static).update(header_row(columns), layout=False)
            self._show_matches()

    def _show_matches(self, *, keep_action: bool = False) -> None:
        """Redraw the list for what is typed, keeping the highlighted person if still listed;
        ``keep_action``: a redraw after a change keeps the receipt of the action that made it."""
        if not self._columns:
            return
        query = self.query_one(SearchInput).value.strip()
        if self._index is None:
            self._index = self.forum.participants.index()  # kept current by the store
        if query:
            matches = self._index.search(query, limit=SHOWN + 1)
        else:  # the door order, kept by the index: a change costs one person, not the list
            matches = self._index.door(SHOWN + 1)
        more = len(matches) > SHOWN
        keep = self._focus_id if self._focus_id is not None else self._highlighted_id()
        self._shown = matches[:SHOWN]
        self._focus_id = None
        index = next((i for i, p in enumerate(self._shown) if p["id"] == keep), 0)
        self.query_one(RowList).set_rows(
            [person_row(p, self._columns) for p in self._shown], cursor=index
        )
        if not query and not matches:
            self._info(
                "Belum ada peserta. ctrl+n: tambah peserta (atau impor daftar peserta).", keep=True
            )
        elif not query:
            registered = len(self._index)
            self._info(f"{registered} peserta terdaftar. Ketik nama untuk mencari.", keep=True)
        elif not self._shown:
            self._info("Tidak ada yang cocok. ctrl+n: tambah peserta baru.", keep=keep_action)
        elif more:
            self._info(f"Lebih dari {SHOWN} cocok, {SHOWN} teratas ditampilkan.", keep=keep_action)
        else:
            self._info(f"{len(self._shown)} cocok.", keep=keep_action)

    def _info(self, text: str, *, keep: bool = False) -> None:
        """Feedback, wrapped whole under the search; an action's message is kept until the
        next search."""
        info = self.query_one("#hadir-info", Static)
        if keep and info.has_class("-action"):
            return
        info.remove_class("-action")
        info.update(escape(text))  # a longer message takes another line: laid out again

    def _action_info(self, markup: str) -> None:
        info = self.query_one("#hadir-info", Static)
        info.add_class("-action")
        info.update(markup)

    def _show_counters(self) -> None:
        summary = self.forum.participants.summary(in_room=True)  # the index's running tally
        left = self.forum.participants.index().tally.went_home
        self.query_one("#hadir-counters", Static).update(
            counters_markup(summary, left, per_desa=self.forum.meta.get("level") == "kecamatan")
        )

    def forum_changed(self, changes: dict[str, set[int]]) -> None:
        if touches(changes, "participants"):
            self._index = None
            self._show_matches(keep_action=True)
        if touches(changes, "participants", "meta"):
            self._show_counters()

    # -- reacting --------------------------------------------------------------------------
    @on(Input.Changed, "#hadir-cari")
    def _typed(self) -> None:
        self.query_one("#hadir-info", Static).remove_class("-action")
        self._show_matches()

    def _highlighted_id(self) -> int | None:
        cursor = self.query_one(RowList).cursor
        return self._shown[cursor]["id"] if 0 <= cursor < len(self._shown) else None

    def _highlighted(self) -> dict[str, Any] | None:
        rec_id = self._highlighted_id()
        return None if rec_id is None else self.forum.participants.get(rec_id)

    def action_geser(self, rows: int) -> None:
        rows_list = self.query_one(RowList)
        rows_list.move_cursor(rows_list.cursor + rows)

    def action_kosongkan(self) -> None:
        self.query_one(SearchInput).value = ""

    @on(Input.Submitted, "#hadir-cari")
    @on(RowList.Selected, "#hadir-list")
    def action_hadir(self) -> None:
        person = self._highlighted()
        if person is None:
            self.app.bell()
            return
        if is_present(person):
            since = clock_of(person["hadir_pukul"])
            self._action_info(f"{escape(person['nama'])} sudah hadir sejak {since}.")
            return
        if not attempt(self, self.forum.participants.check_in, person["id"]):
            return
        now = self.forum.participants.get(person["id"])["hadir_pukul"]
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
        name = escape(person["nama"])
        if person.get("pulang_pukul"):  # the last step was leaving: undo only that
            if attempt(self, self.forum.participants.undo_check_out, person["id"]):
                since = clock_of(person["hadir_pukul"])
                self._action_info(f"Batal pulang: {name}, hadir {since}.")
            return
        if attempt(self, self.forum.participants.undo_check_in, person["id"]):
            self._action_info(f"Hadir {name} dibatalkan.")

    def action_pulang(self) -> None:
        person = self._highlighted()
        if person is None:
            return
        self._focus_id = person["id"]
        if attempt(self, self.forum.participants.check_out, person["id"]):
            when = clock_of(self.forum.record("participants", person["id"])["pulang_pukul"])
            self._action_info(
                f"[$success]✓[/] [b]{escape(person['nama'])}[/] dicatat pulang pukul {when}. "
                "[dim]ctrl+z membatalkan[/]"
            )

    def action_baru(self) -> None:
        from tui.widgets.peserta_form import WalkInScreen

        typed = self.query_one(SearchInput).value.strip()
        self.app.push_screen(WalkInScreen(self.forum, nama=typed), self._added)

    def action_impor(self) -> None:
        from tui.usulan.impor import UsulanImport

        self.app.push_screen(UsulanImport(self.forum, kind="peserta"), self._imported)

    def _imported(self, report) -> None:
        """The outcome on the status line above the list: a toast would cover the counts
        panel (who is present, the women's share) right when they change."""
        if report is not None:
            self._action_info(f"[$success]✓[/] Impor selesai: {escape(report.counts())}")

    def _added(self, rec_id: int | None) -> None:
        if rec_id is None:
            return
        person = self.forum.participants.get(rec_id)
        self._clear_search(focus_id=rec_id)
        state = "terdaftar dan hadir" if person.get("hadir_pukul") else "terdaftar"
        self._action_info(f"[$success]✓[/] [b]{escape(person['nama'])}[/] {state}.")
        self._show_matches()
