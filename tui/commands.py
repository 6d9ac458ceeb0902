"""The command palette (ctrl+p): every action of the screen, in Indonesian.

The entries are read from the key bindings active where the palette was opened, so the
palette and the footer can never disagree: an action has a key and a palette entry, or
neither. The palette title is the binding's tooltip (a full Indonesian phrase), the help
line names the key.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import partial

from textual.command import DiscoveryHit, Hit, Hits, Provider

#: Actions the system commands (App.get_system_commands) already offer.
_SYSTEM_ACTIONS = frozenset({"quit", "app.quit", "command_palette", "app.command_palette",
                             "bantuan", "app.bantuan"})


class ActionCommands(Provider):
    """Palette entries for the key bindings active on the screen under the palette."""

    def _entries(self) -> Iterator[tuple[str, str, partial]]:
        app = self.app
        seen: set[str] = set()
        for key, active in self.screen.active_bindings.items():
            binding = active.binding
            if (
                not binding.description
                or binding.system
                or binding.action in _SYSTEM_ACTIONS
                or not active.enabled
            ):
                continue
            title = binding.tooltip or binding.description
            if title in seen:
                continue
            seen.add(title)
            shown = binding.key_display or app.get_key_display(binding)
            help_text = f"Tombol: {shown}" if key else ""
            yield title, help_text, partial(app.run_action, binding.action, active.node)

    async def discover(self) -> Hits:
        for title, help_text, command in sorted(self._entries(), key=lambda entry: entry[0]):
            yield DiscoveryHit(title, command, help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for title, help_text, command in self._entries():
            score = matcher.match(title)
            if score > 0:
                yield Hit(score, matcher.highlight(title), command, text=title, help=help_text)
