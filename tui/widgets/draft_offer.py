"""Asking what to do with a form's typing kept from the last session.

Enter opens the form again with the typing in it; Esc only puts the question off (the
draft stays kept beside the forum and is offered again next time); throwing the typing
away takes the explicit key ``b`` (or ctrl+d), so a reflex Esc never loses a half-filled
form.
"""

from __future__ import annotations

from typing import ClassVar, Literal

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import Label, Static

from tui.widgets.dialogs import Dialog

Answer = Literal["buka", "nanti", "buang"]


class DraftOfferDialog(Dialog[str]):
    """Dismisses with ``"buka"`` (reopen), ``"nanti"`` (keep it, ask later) or ``"buang"``."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "jawab('buka')", "Buka formulir", tooltip="Buka kembali formulirnya"),
        Binding(
            "escape",
            "jawab('nanti')",
            "Nanti saja",
            tooltip="Simpan isian ini untuk nanti (ditawarkan lagi saat forum dibuka)",
        ),
        Binding("b", "jawab('buang')", "Buang isian", tooltip="Buang isian ini"),
        Binding("ctrl+d", "jawab('buang')", "Buang isian", show=False, tooltip="Buang isian ini"),
    ]

    def __init__(self, line: str) -> None:
        super().__init__("Isian belum disimpan")
        self.line = line

    def body(self) -> ComposeResult:
        yield Static(
            f"Ada isian formulir yang belum disimpan:\n{self.line}", id="confirm-text", markup=False
        )
        yield Label(
            "Enter: buka kembali formulirnya   Esc: nanti saja (isian tetap disimpan)   "
            "b: buang isian ini",
            classes="petunjuk",
        )

    def action_jawab(self, answer: Answer) -> None:
        self.dismiss(answer)

    def action_batal(self) -> None:
        self.dismiss("nanti")
