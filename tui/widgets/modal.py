"""The base of every dialog: a modal screen that still offers F1 and the palette.

A ``ModalScreen`` shuts out the app's own keys, so over a dialog F1 (the key list) and
ctrl+p (the palette) did nothing and the footer could not show "f1 Bantuan". Each dialog
binds them again here, for itself: the key list then lists the dialog's keys.
"""

from __future__ import annotations

from typing import ClassVar, TypeVar

from textual.binding import Binding, BindingType
from textual.screen import ModalScreen

ResultType = TypeVar("ResultType")


class HelpModal(ModalScreen[ResultType]):
    """A modal screen with F1 (Bantuan) and ctrl+p (Perintah) working over it."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("f1", "app.bantuan", "Bantuan", tooltip="Daftar tombol pintas jendela ini"),
        Binding(
            "ctrl+p",
            "app.command_palette",
            "Perintah",
            show=False,
            priority=True,
            tooltip="Buka daftar perintah",
        ),
    ]
