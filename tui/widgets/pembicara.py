"""Picking who spoke: a quick search over the people present, their unsur shown.

Speakers who are not on the attendance list (a resource person, a guest) can be named as
typed: Enter with no match uses the typed name.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Any, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.widgets import DataTable, Input, Static

from store.attendance import is_present
from store.forum import Forum
from tui.widgets.footer import KeyFooter
from tui.widgets.modal import HelpModal
from tui.widgets.text_input import TextInput

SHOWN = 30


class SpeakerScreen(HelpModal[dict[str, Any] | None]):
    """Returns ``{"id": participant id or None, "nama": ..., "unsur": ...}`` or None."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "dismiss(None)", "Batal", tooltip="Tutup tanpa memilih"),
        Binding("up", "geser(-1)", show=False),
        Binding("down", "geser(1)", show=False),
    ]

    def __init__(
        self,
        forum: Forum,
        *,
        title: str = "Pembicara (peserta yang hadir)",
        exclude: Collection[int] = (),
    ) -> None:
        """``title`` names what is picked (the utusan picker reuses this one); participants
        whose id is in ``exclude`` (e.g. already chosen) are not offered."""
        super().__init__()
        self.forum = forum
        self.heading = title
        self.exclude = frozenset(exclude)
        self._shown: list[dict[str, Any]] = []

    def compose(self) -> ComposeResult:
        yield KeyFooter()  # this dialog's keys, not the screen's behind
        with Vertical(id="dialog", classes="dialog picker"):
            yield Static(self.heading, classes="dialog-title")
            yield TextInput(placeholder="Ketik nama, lembaga atau desa; Enter memilih", id="cari")
            yield DataTable(id="pembicara-table", cursor_type="row", zebra_stripes=True)
            yield Static("", id="pembicara-info", classes="hint")

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_columns("Nama", "Unsur", "Desa / lembaga")
        self._show("")
        self.query_one(TextInput).focus()

    @on(Input.Changed, "#cari")
    def _typed(self, event: Input.Changed) -> None:
        self._show(event.value.strip())

    def _show(self, query: str) -> None:
        people = [
            p
            for p in self.forum.participants.search(query)
            if is_present(p) and p["id"] not in self.exclude
        ]
        self._shown = people[:SHOWN]
        table = self.query_one(DataTable)
        table.clear()
        table.add_rows(
            (p["nama"], p.get("unsur") or "", p.get("desa") or p.get("lembaga") or "")
            for p in self._shown
        )
        info = self.query_one("#pembicara-info", Static)
        if self._shown:
            info.update(f"{len(people)} peserta hadir cocok.")
        elif query:
            info.update(f"Tidak ada peserta hadir yang cocok: Enter memakai nama “{query}”.")
        else:
            info.update("Belum ada peserta yang hadir.")

    def action_geser(self, rows: int) -> None:
        table = self.query_one(DataTable)
        if self._shown:
            table.move_cursor(row=max(0, min(len(self._shown) - 1, table.cursor_row + rows)))

    @on(Input.Submitted, "#cari")
    @on(DataTable.RowSelected, "#pembicara-table")
    def _chosen(self) -> None:
        table = self.query_one(DataTable)
        if self._shown:
            person = self._shown[max(0, table.cursor_row)]
            unsur = " ".join(part for part in (person.get("unsur"), person.get("desa")) if part)
            self.dismiss({"id": person["id"], "nama": person["nama"], "unsur": unsur})
            return
        typed = self.query_one(TextInput).value.strip()
        if typed:
            self.dismiss({"id": None, "nama": typed, "unsur": ""})
