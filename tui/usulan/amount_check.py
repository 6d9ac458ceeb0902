"""Asking about an implausible amount before saving (store.amount_sanity): keyboard only.

Enter takes the suggested amount (or, without one, keeps the amount as typed), ``t`` keeps
it as typed, Esc goes back to the field. A warning, never a refusal.
"""

from __future__ import annotations

from typing import ClassVar, Literal

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import Label, Static

from store.amount_sanity import AmountDoubt
from store.formatting import format_rupiah
from tui.widgets.dialogs import Dialog

Answer = Literal["saran", "tetap", "ubah"]


class AmountDialog(Dialog[Answer]):
    """Returns "saran" (use the suggestion), "tetap" (keep as typed) or "ubah" (go back)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "jawab('pakai')", "Pakai saran"),
        Binding("t", "jawab('tetap')", "Tetap"),
        Binding("escape", "jawab('ubah')", "Perbaiki"),
    ]

    def __init__(self, doubt: AmountDoubt) -> None:
        super().__init__("Periksa jumlah")
        self.doubt = doubt

    def body(self) -> ComposeResult:
        typed = format_rupiah(self.doubt.jumlah)
        yield Static(f"{self.doubt.pesan}\n{self.doubt.pertanyaan}", markup=False)
        if self.doubt.saran is not None:
            keys = (
                f"Enter: ya, {format_rupiah(self.doubt.saran)}   t: tetap {typed}   "
                "Esc: perbaiki sendiri"
            )
        else:
            keys = f"Enter atau t: tetap {typed}   Esc: perbaiki"
        yield Label(keys, classes="petunjuk")

    def action_jawab(self, answer: str) -> None:
        if answer == "pakai":
            self.dismiss("saran" if self.doubt.saran is not None else "tetap")
        else:
            self.dismiss("tetap" if answer == "tetap" else "ubah")
