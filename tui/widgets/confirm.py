"""A yes/no question before something that cannot be undone by a keystroke."""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Static


class ConfirmScreen(ModalScreen[bool]):
    """Returns True when confirmed (Enter on the first button), False on esc."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "batal", "Batal", tooltip="Tidak jadi")
    ]

    def __init__(self, question: str, confirm_label: str) -> None:
        super().__init__()
        self._question = question
        self._label = confirm_label

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog", classes="dialog"):
            yield Static(self._question, markup=False)
            with Horizontal(classes="buttons"):
                yield Button(self._label, id="ya", variant="error", compact=True)
                yield Button("Batal (esc)", id="tidak", compact=True)

    def on_mount(self) -> None:
        self.query_one("#ya", Button).focus()

    @on(Button.Pressed, "#ya")
    def _yes(self) -> None:
        self.dismiss(True)

    @on(Button.Pressed, "#tidak")
    def action_batal(self) -> None:
        self.dismiss(False)
