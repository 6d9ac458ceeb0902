"""Colour themes under Indonesian names, for the palette's "Tema" command.

Textual's own theme list shows the themes' English names ("textual-dark", "rose-pine-dawn").
This provider offers a chosen few of them, each named by how it looks, so the palette says
nothing in English; a theme not listed here is not offered.
"""

from __future__ import annotations

from functools import partial

from textual.command import DiscoveryHit, Hit, Hits, Provider

#: (Indonesian name, Textual theme name), the default first, then the light ones for a
#: bright room or a projector.
THEMES: tuple[tuple[str, str], ...] = (
    ("Gelap (bawaan)", "textual-dark"),
    ("Terang", "textual-light"),
    ("Terang krem", "solarized-light"),
    ("Terang pastel", "catppuccin-latte"),
    ("Terang fajar", "rose-pine-dawn"),
    ("Terang lembut", "atom-one-light"),
    ("Warna terminal, terang", "ansi-light"),
    ("Warna terminal, gelap", "ansi-dark"),
    ("Gelap biru laut", "nord"),
    ("Gelap malam kota", "tokyo-night"),
    ("Gelap kayu", "gruvbox"),
    ("Gelap ungu", "dracula"),
    ("Gelap arang", "monokai"),
    ("Gelap hijau laut", "solarized-dark"),
)


def theme_label(theme: str) -> str:
    """The Indonesian name of Textual theme ``theme`` (the name itself if not listed)."""
    return next((label for label, name in THEMES if name == theme), theme)


class ThemeCommands(Provider):
    """Palette entries that switch the app's colour theme."""

    def _entries(self) -> list[tuple[str, str]]:
        available = self.app.available_themes
        return [(label, name) for label, name in THEMES if name in available]

    def _pick(self, name: str) -> None:
        self.app.theme = name

    def _help(self, name: str) -> str:
        return "tema yang dipakai sekarang" if self.app.theme == name else "pakai tema ini"

    async def discover(self) -> Hits:
        for label, name in self._entries():
            yield DiscoveryHit(label, partial(self._pick, name), help=self._help(name))

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for label, name in self._entries():
            score = matcher.match(label)
            if score > 0:
                yield Hit(
                    score,
                    matcher.highlight(label),
                    partial(self._pick, name),
                    text=label,
                    help=self._help(name),
                )
