"""Choosing which proposals the Usulan table shows: desa, bidang, status, free text.

Dismisses with a new ``Filter`` (ctrl+s or Enter in the text field), an empty one
(ctrl+r, "semua"), or None when cancelled.
"""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.widgets import Checkbox, Input, Label, Select

from store.sectors import PROPOSAL_STATUSES
from tui.usulan.view import Filter
from tui.widgets.checkbox import CheckBox
from tui.widgets.dialogs import Dialog
from tui.widgets.text_input import TextInput


class UsulanFilter(Dialog[Filter]):
    """The filter fields, prefilled with the current filter."""

    DEFAULT_CSS = """
    UsulanFilter .baris { height: auto; }
    UsulanFilter .baris > Label { width: 10; }
    UsulanFilter .baris > Select, UsulanFilter .baris > Input { width: 1fr; }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "terapkan", "Terapkan"),
        Binding("ctrl+r", "semua", "Tampilkan semua"),
        Binding("escape", "batal", "Batal"),
    ]

    def __init__(self, current: Filter, desa: list[str], sectors: list[str]) -> None:
        super().__init__("Filter usulan")
        self.current = current
        self.desa = desa
        self.sectors = sectors

    def body(self) -> ComposeResult:
        now = self.current
        yield from self._select("Desa", "desa", self.desa, now.desa, "semua desa")
        yield from self._select("Bidang", "bidang", self.sectors, now.bidang, "semua bidang")
        yield from self._select(
            "Status", "status", list(PROPOSAL_STATUSES), now.status, "semua status"
        )
        with Horizontal(classes="baris"):
            yield Label("Teks")
            yield TextInput(
                now.teks,
                placeholder="kata di kegiatan, lokasi, permasalahan...",
                id="teks",
                compact=True,
            )
        yield CheckBox(
            "hanya kemungkinan duplikat", now.hanya_duplikat, id="duplikat", compact=True
        )
        yield Label("ctrl+s / Enter: terapkan   ctrl+r: semua   Esc: batal", classes="petunjuk")

    def _select(
        self, label: str, key: str, options: list[str], value: str, prompt: str
    ) -> ComposeResult:
        with Horizontal(classes="baris"):
            yield Label(label)
            yield Select(
                [(o, o) for o in options],
                prompt=prompt,
                id=key,
                compact=True,
                value=value if value in options else Select.NULL,
            )

    def on_mount(self) -> None:
        self.query_one("#teks", Input).focus()

    def _value(self, key: str) -> str:
        value = self.query_one(f"#{key}", Select).value
        return value if isinstance(value, str) else ""

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_terapkan()

    def action_terapkan(self) -> None:
        self.dismiss(
            Filter(
                desa=self._value("desa"),
                bidang=self._value("bidang"),
                status=self._value("status"),
                teks=" ".join(self.query_one("#teks", Input).value.split()),
                hanya_duplikat=self.query_one("#duplikat", Checkbox).value,
            )
        )

    def action_semua(self) -> None:
        self.dismiss(Filter())
