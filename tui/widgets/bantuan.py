"""F1 / "Tombol": the keys of the screen underneath, in Indonesian, with what they do.

Textual's own key panel lists the widgets' built-in English bindings; this one lists only
the app's actions, read from the same bindings the footer shows.
"""

from __future__ import annotations

from typing import ClassVar

from rich.table import Table
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import Static

from tui.commands import app_actions
from tui.widgets.footer import KeyFooter

GENERAL_KEYS = (
    ("tab / shift+tab", "Pindah ke isian berikut / sebelumnya"),
    ("panah atas/bawah", "Pindah baris pada daftar"),
    ("esc", "Tutup jendela ini atau batalkan"),
)


class KeysScreen(ModalScreen[None]):
    """A table of key -> action for ``screen``."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("f1", "dismiss", "Tutup", tooltip="Tutup daftar tombol"),
        Binding("escape", "dismiss", "Tutup", show=False, tooltip="Tutup daftar tombol"),
    ]

    def __init__(self, screen: Screen) -> None:
        super().__init__()
        self._rows = keys_of(screen)

    def compose(self) -> ComposeResult:
        yield KeyFooter()  # this dialog's keys, not the screen's behind
        with VerticalScroll(id="dialog", classes="dialog"):
            yield Static("Tombol pintas", classes="dialog-title")
            yield Static(keys_table([*self._rows, *GENERAL_KEYS]), id="keys-table")
            yield Static("Semua perintah juga ada di ctrl+p (Perintah).", classes="hint")


def keys_table(rows: list[tuple[str, str]]) -> Table:
    """Key and what it does; a long description wraps under itself, never cut."""
    table = Table(box=None, expand=True, show_edge=False, pad_edge=False)
    table.add_column("Tombol", no_wrap=True, style="bold")
    table.add_column("Fungsi", ratio=1)
    for key, what in rows:
        table.add_row(key, what)
    return table


def keys_of(screen: Screen) -> list[tuple[str, str]]:
    """(key as shown, what it does) for each of the app's actions active on ``screen``."""
    return [(action.key, action.title) for action in app_actions(screen)]
