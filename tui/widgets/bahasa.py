"""Textual's own words on screen, in Bahasa Indonesia.

Textual shows a few English texts of its own: the footer key of an open dropdown
("Dismiss menu"), of the command palette ("Exit the command palette") and the palette's
"No matches found". The first two are binding descriptions, rewritten once at start-up on
the Textual classes and every subclass; the last comes from ``Palette``.
"""

from __future__ import annotations

import dataclasses

from rich.align import Align
from rich.text import Text
from textual.binding import Binding
from textual.command import CommandList, CommandPalette
from textual.dom import DOMNode
from textual.widgets.option_list import Option

#: Textual's English binding descriptions that reach the footer, and what they say here.
BINDING_WORDS = {
    "Dismiss menu": "Tutup daftar",
    "Exit the command palette": "Tutup",
}
NO_MATCHES = "Tidak ada yang cocok"


def _subclasses(cls: type) -> list[type]:
    found = []
    for sub in cls.__subclasses__():
        found += [sub, *_subclasses(sub)]
    return found


def translate_bindings() -> None:
    """Rewrite Textual's English binding descriptions (idempotent)."""
    classes = _subclasses(DOMNode)
    for cls in classes:
        if not cls.__module__.startswith("textual") or "BINDINGS" not in cls.__dict__:
            continue
        translated = []
        for item in cls.__dict__["BINDINGS"]:
            binding = item if isinstance(item, Binding) else Binding(*item)
            words = BINDING_WORDS.get(binding.description)
            translated.append(dataclasses.replace(binding, description=words) if words else item)
        cls.BINDINGS = translated  # type: ignore[attr-defined]
    for cls in classes:  # subclasses merged their bases' bindings when they were defined
        cls._merged_bindings = cls._merge_bindings()  # type: ignore[attr-defined]


class Palette(CommandPalette):
    """The command palette, saying in Indonesian that nothing matched."""

    def _start_no_matches_countdown(self, search_value: str) -> None:
        self._stop_no_matches_countdown()
        if not search_value:
            self._list_visible = False
            return

        def show_no_matches() -> None:
            self.query_one(CommandList).add_option(
                Option(
                    Align.center(Text(NO_MATCHES, style="not bold")),
                    disabled=True,
                    id=self._NO_MATCHES,
                )
            )
            self._list_visible = True

        self._no_matches_timer = self.set_timer(self._NO_MATCHES_COUNTDOWN, show_no_matches)
