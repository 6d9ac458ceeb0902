"""Small modal dialogs shared by the Usulan and the Ekspor & Tanda tangan panes.

``Dialog`` is the frame (a centred box, its own footer so its keys are visible); on it,
``ConfirmDialog`` asks yes/no before something that cannot be taken back (a likely duplicate
saved anyway, personal data erased) and ``ReasonDialog`` asks the reason a change needs (an
amendment of a final forum). Both are keyboard only: Enter agrees, Escape cancels;
``DiscardDialog`` turns that round: throwing typing away takes the explicit key b.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from typing import ClassVar, TypeVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.suggester import SuggestFromList
from textual.widgets import Input, Label, Static

from tui.widgets.footer import KeyFooter
from tui.widgets.modal import HelpModal
from tui.widgets.text_input import TextInput

ResultType = TypeVar("ResultType")


def show_message(label: Label, message: str) -> None:
    """Put a field's message beside it; an empty message takes no room."""
    label.update(message)
    label.display = bool(message)


class Dialog(HelpModal[ResultType]):
    """A centred box with a title; subclasses yield its body from ``body()``."""

    DEFAULT_CSS = """
    Dialog {
        align: center middle;
    }
    Dialog > #dialog {
        width: 90%;
        max-width: 96;
        height: auto;
        max-height: 90%;
        border: round $primary;
        background: $surface;
        padding: 0 1;
    }
    Dialog #dialog-title {
        text-style: bold;
        color: $text-primary;
        width: 100%;
        margin-bottom: 1;
    }
    Dialog .galat {
        width: 1fr;  /* a long message wraps under its field, never cut */
        height: auto;
        color: $error;
        text-style: bold;
        display: none;
    }
    Dialog Input, Dialog TextArea, Dialog Select > SelectCurrent {
        background: $boost;
    }
    Dialog .petunjuk {
        color: $text-muted;
        width: 1fr;  /* a long key hint wraps inside the box, never runs past it */
        height: auto;
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "batal", "Batal")]

    def __init__(self, title: str) -> None:
        super().__init__()
        self.dialog_title = title

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Label(self.dialog_title, id="dialog-title")
            yield from self.body()
        yield KeyFooter()

    def body(self) -> ComposeResult:
        yield from ()

    def on_screen_resume(self) -> None:
        """A toast of what came before ("Impor selesai") must not cover this dialog (on its
        first showing only: later toasts are about this dialog)."""
        if not getattr(self, "_toasts_cleared", False):
            self._toasts_cleared = True
            self.app.clear_notifications()

    def action_batal(self) -> None:
        self.dismiss(None)


class ConfirmDialog(Dialog[bool]):
    """Yes or no, with the consequences spelled out in ``lines``."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "ya", "Ya, lanjutkan"),
        Binding("escape", "batal", "Batal"),
    ]

    def __init__(
        self, title: str, lines: Iterable[str], *, yes: str = "ya, lanjutkan", no: str = "batal"
    ) -> None:
        """``yes``/``no``: what Enter and Esc do, in words (shown under the question)."""
        super().__init__(title)
        self.lines = list(lines)
        self.yes, self.no = yes, no
        self._name_keys({"ya": yes, "batal": no})

    def _name_keys(self, words: dict[str, str]) -> None:
        """The footer names what Enter and Esc do here, in this dialog's words."""
        for key, bindings in self._bindings.key_to_bindings.items():
            self._bindings.key_to_bindings[key] = [
                dataclasses.replace(b, description=words[b.action].capitalize())
                if b.action in words
                else b
                for b in bindings
            ]

    def body(self) -> ComposeResult:
        yield Static("\n".join(self.lines), id="confirm-text", markup=False)
        yield Label(f"Enter: {self.yes}   Esc: {self.no}", classes="petunjuk")

    def action_ya(self) -> None:
        self.dismiss(True)

    def action_batal(self) -> None:
        self.dismiss(False)


class DiscardDialog(ConfirmDialog):
    """Throw away what was typed? Enter and Esc both keep it (a reflex Enter must never
    lose a half-filled form); discarding takes the explicit key ``b`` or ctrl+d."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("b", "ya", "Buang isian"),
        Binding("ctrl+d", "ya", "Buang isian", show=False),
        Binding("enter", "batal", "Kembali ke formulir"),
        Binding("escape", "batal", "Kembali ke formulir", show=False),
    ]

    def __init__(self, title: str, lines: Iterable[str]) -> None:
        super().__init__(title, lines, yes="buang isian", no="kembali ke formulir")

    def body(self) -> ComposeResult:
        yield Static("\n".join(self.lines), id="confirm-text", markup=False)
        yield Label(f"Enter/Esc: {self.no}   b: {self.yes}", classes="petunjuk")


class ReasonDialog(Dialog[str]):
    """Asks one required line (a reason; with ``secret``, the key's passphrase, typed
    hidden and kept as typed); dismisses with it, or None when cancelled."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "batal", "Batal")]

    def __init__(
        self,
        title: str,
        prompt: str,
        suggestions: Iterable[str] = (),
        value: str = "",
        *,
        secret: bool = False,
        placeholder: str = "alasan",
    ) -> None:
        super().__init__(title)
        self.prompt = prompt
        self.suggestions = list(suggestions)
        self.value = value
        self.secret = secret
        self.placeholder = placeholder

    def body(self) -> ComposeResult:
        yield Static(self.prompt, markup=False)
        suggester = SuggestFromList(self.suggestions, case_sensitive=False)
        yield TextInput(
            self.value,
            placeholder="frasa sandi" if self.secret else self.placeholder,
            id="alasan",
            password=self.secret,
            suggester=None if self.secret else suggester,
        )
        yield Label("", id="galat-alasan", classes="galat")
        yield Label("Enter: lanjut   Esc: batal", classes="petunjuk")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        text = event.value if self.secret else " ".join(event.value.split())
        if not text:
            message = "Frasa sandi wajib diisi." if self.secret else "Alasan wajib diisi."
            show_message(self.query_one("#galat-alasan", Label), message)
            return
        self.dismiss(text)
