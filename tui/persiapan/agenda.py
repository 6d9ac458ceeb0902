"""Susunan acara: the running order, editable before and during the forum.

Items are added, edited (title and planned times), removed (only while nothing refers to
them: not started, no minutes) and moved up or down; every change is saved as made. The
item dialog checks all three fields at once (``store.agenda.item_errors``).
"""

from __future__ import annotations

from collections import Counter
from typing import Any, ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.screen import Screen
from textual.widgets import DataTable, Input, Label, Static
from textual.widgets.data_table import ColumnKey

from store.agenda import item_errors
from store.forum import Forum
from store.validation import ValidationError
from tui.widgets.clip import clip
from tui.widgets.dialogs import ConfirmDialog, Dialog, show_message
from tui.widgets.footer import KeyFooter
from tui.widgets.forum_view import ForumView, save_failed, touches

ITEM_FIELDS = {
    "judul": ("Acara", "mis. Paparan narasumber"),
    "rencana_mulai": ("Mulai", "mis. 09.00"),
    "rencana_selesai": ("Selesai", "mis. 09.30"),
}


class AgendaItemDialog(Dialog[dict[str, str]]):
    """Title and planned times of one item; dismisses with the three values when valid."""

    DEFAULT_CSS = """
    AgendaItemDialog .baris { height: auto; }
    AgendaItemDialog .baris > Label { width: 10; }
    AgendaItemDialog .baris > Input { width: 1fr; }
    AgendaItemDialog .galat { margin-left: 10; }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "simpan", "Simpan"),
        Binding("escape", "batal", "Batal"),
    ]

    def __init__(self, title: str, item: dict[str, Any] | None = None) -> None:
        super().__init__(title)
        self.item = item or {}

    def body(self) -> ComposeResult:
        for key, (label, hint) in ITEM_FIELDS.items():
            with Horizontal(classes="baris"):
                yield Label(label)
                value = str(self.item.get(key) or "").replace(":", ".")
                yield Input(value, placeholder=hint, id=key, compact=True)
            yield Label("", id=f"galat-{key}", classes="galat")
        yield Label("Enter: kolom berikut   ctrl+s: simpan   Esc: batal", classes="petunjuk")

    def on_mount(self) -> None:
        self.query_one("#judul", Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if event.input.id == "rencana_selesai":
            self.action_simpan()
        else:
            self.focus_next()

    def action_simpan(self) -> None:
        values = {key: self.query_one(f"#{key}", Input).value.strip() for key in ITEM_FIELDS}
        errors = item_errors(**values)
        for key in ITEM_FIELDS:
            show_message(self.query_one(f"#galat-{key}", Label), errors.get(key, ""))
        if errors:
            self.query_one(f"#{next(k for k in ITEM_FIELDS if k in errors)}", Input).focus()
            return
        self.dismiss(values)


def agenda_state(item: dict[str, Any], entries: int) -> str:
    """The Keadaan column (at most 10 cells): selesai, berjalan, else how many minutes
    entries were logged under the item (an item never started may still have some)."""
    if item.get("selesai"):
        return "selesai"
    if item.get("mulai"):
        return "berjalan"
    return f"{entries} catatan" if entries else ""


class AgendaList(ForumView):
    """The running order, redrawn as it changes; the cursor follows a moved item."""

    DEFAULT_CSS = """
    AgendaList { height: 1fr; }
    AgendaList DataTable { height: 1fr; }
    """

    def compose(self) -> ComposeResult:
        yield DataTable(id="acara", cursor_type="row", zebra_stripes=True)

    def on_mount(self) -> None:
        super().on_mount()
        table = self.query_one(DataTable)
        for label, width in (("No", 3), ("Acara", 44), ("Rencana", 13), ("Keadaan", 10)):
            table.add_column(label, width=width, key=label.lower())
        self.mark_all_changed()

    def forum_changed(self, changes: dict[str, set[int]]) -> None:
        if touches(changes, "agenda"):
            self.show()

    def show(self, select: int | None = None) -> None:
        """Redraw; the cursor stays on its row, or moves to item ``select``."""
        table = self.query_one(DataTable)
        row = table.cursor_row
        table.clear()
        items = self.forum.agenda.all()
        logged = Counter(m.get("agenda_id") for m in self.forum.minutes.all())
        title_width = table.columns[ColumnKey("acara")].width
        for number, item in enumerate(items, start=1):
            planned = "-".join(
                str(item.get(k) or "").replace(":", ".")
                for k in ("rencana_mulai", "rencana_selesai")
            )
            table.add_row(
                str(number),
                clip(item["judul"], title_width),
                planned,
                agenda_state(item, logged[item["id"]]),
                key=str(item["id"]),
            )
        if select is not None:
            row = next((i for i, a in enumerate(items) if a["id"] == select), row)
        if items:
            table.move_cursor(row=max(0, min(row, len(items) - 1)))


class AgendaScreen(Screen[None]):
    """Pushed from the forum screen (alt+a)."""

    DEFAULT_CSS = """
    AgendaScreen #acara-judul { text-style: bold; padding: 0 1; }
    AgendaScreen #acara-pesan { color: $error; text-style: bold; padding: 0 1; display: none; }
    AgendaScreen #acara-petunjuk { color: $text-muted; padding: 0 1; }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+t", "tambah", "Tambah", tooltip="Acara: tambah acara di bawah yang dipilih"),
        Binding("ctrl+e", "ubah", "Ubah", tooltip="Acara: ubah judul dan jam rencana"),
        Binding("ctrl+d", "hapus", "Hapus", tooltip="Acara: hapus acara yang dipilih"),
        Binding("alt+up", "pindah(-1)", "Naik", tooltip="Acara: pindahkan ke atas"),
        Binding("alt+down", "pindah(1)", "Turun", tooltip="Acara: pindahkan ke bawah"),
        Binding("escape", "tutup", "Tutup", tooltip="Acara: tutup susunan acara"),
    ]

    def __init__(self, forum: Forum) -> None:
        super().__init__()
        self.forum = forum

    def compose(self) -> ComposeResult:
        yield Static(f"Susunan acara: {self.forum.meta.get('judul', '')}", id="acara-judul")
        yield AgendaList(self.forum)
        yield Label("", id="acara-pesan", markup=False)
        yield Static(
            "Enter/ctrl+e ubah   ctrl+t tambah   ctrl+d hapus   alt+panah naik/turun",
            id="acara-petunjuk",
        )
        yield KeyFooter()

    def on_mount(self) -> None:
        self.query_one("#acara", DataTable).focus()

    def _show(self, select: int | None = None) -> None:
        self.query_one(AgendaList).show(select)

    def _selected(self) -> dict[str, Any] | None:
        items = self.forum.agenda.all()
        row = self.query_one("#acara", DataTable).cursor_row
        return items[row] if items and 0 <= row < len(items) else None

    def _message(self, text: str) -> None:
        show_message(self.query_one("#acara-pesan", Label), text)

    def _run(self, change: Any) -> Any:
        """Apply one change; the store's refusal is shown, never raised."""
        self._message("")
        try:
            return change()
        except ValidationError as error:
            self._message(error.message)
        except OSError as error:
            self._message(save_failed(error))
        return None

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.action_ubah()

    def action_tambah(self) -> None:
        after = self._selected()

        def added(values: dict[str, str] | None) -> None:
            if not values:
                return
            new_id = self._run(lambda: self._insert_after(after, values))
            if new_id:
                self._show(select=new_id)

        self.app.push_screen(AgendaItemDialog("Tambah acara"), added)

    def _insert_after(self, after: dict[str, Any] | None, values: dict[str, str]) -> int:
        """Add at the end, then move up until it sits below ``after``, in one save."""
        agenda = self.forum.agenda
        with self.forum.batch():
            new_id = agenda.add(**values)
            if after is not None:
                ids = [a["id"] for a in agenda.all()]
                for _ in range(len(ids) - 1 - ids.index(after["id"]) - 1):
                    agenda.move(new_id, -1)
        return new_id

    def action_ubah(self) -> None:
        item = self._selected()
        if item is None:
            self._message("Belum ada acara: tambah dengan ctrl+t.")
            return

        def edited(values: dict[str, str] | None) -> None:
            if values:
                self._run(lambda: self.forum.agenda.update(item["id"], **values))

        self.app.push_screen(AgendaItemDialog("Ubah acara", item), edited)

    def action_hapus(self) -> None:
        item = self._selected()
        if item is None:
            return

        def confirmed(yes: bool | None) -> None:
            if yes:
                self._run(lambda: self.forum.agenda.remove(item["id"]))

        self.app.push_screen(
            ConfirmDialog("Hapus acara", [f"Hapus acara \u201c{item['judul']}\u201d?"]), confirmed
        )

    def action_pindah(self, offset: int) -> None:
        item = self._selected()
        if item is not None and self._run(lambda: self.forum.agenda.move(item["id"], offset)):
            self._show(select=item["id"])

    def action_tutup(self) -> None:
        self.dismiss(None)
