"""The app's actions as the palette (ctrl+p) and the key list (F1) show them, in Indonesian.

Both are read from the key bindings active on the screen, so the footer, the palette and
the key list can never disagree: an action has a key and a palette entry, or neither. The
app's own bindings are the ones with an Indonesian ``tooltip`` (a full phrase, used as the
palette title), and the keys a dialog of the app shows in its footer (titled by their
footer words); Textual's widget bindings (cursor moves, in English) are neither and stay out.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from functools import partial

from textual.binding import Binding
from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.dom import DOMNode
from textual.screen import ModalScreen, Screen

#: Actions the system commands (App.get_system_commands) already offer.
_SYSTEM_ACTIONS = frozenset(
    {"quit", "app.quit", "command_palette", "app.command_palette", "bantuan", "app.bantuan"}
)


@dataclass(frozen=True)
class AppAction:
    """One of the app's actions: its key as shown, its phrase, where it runs."""

    key: str
    title: str
    binding: Binding
    node: DOMNode


def app_actions(screen: Screen) -> Iterator[AppAction]:
    """The app's enabled actions on ``screen``, each once, in the order the footer has."""
    seen: set[str] = set()
    for active in screen.active_bindings.values():
        binding = active.binding
        title = binding.tooltip or (binding.description if _dialog_key(active) else "")
        if not title or binding.system or not active.enabled:
            continue
        if title in seen:
            continue
        seen.add(title)
        key = binding.key_display or screen.app.get_key_display(binding)
        yield AppAction(key, title, binding, active.node)


def _dialog_key(active) -> bool:
    """A key the app's own dialog shows in its footer (named there in Indonesian)."""
    node = active.node
    return (
        active.binding.show and isinstance(node, ModalScreen) and node.__module__.startswith("tui.")
    )


class ActionCommands(Provider):
    """Palette entries for the actions of the screen under the palette."""

    def _entries(self) -> list[tuple[str, str, partial]]:
        app = self.app
        return sorted(
            (
                (
                    action.title,
                    f"Tombol: {action.key}",
                    partial(app.run_action, action.binding.action, action.node),
                )
                for action in app_actions(self.screen)
                if action.binding.action not in _SYSTEM_ACTIONS
            ),
            key=lambda entry: entry[0],
        )

    async def discover(self) -> Hits:
        for title, help_text, command in self._entries():
            yield DiscoveryHit(title, command, help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for title, help_text, command in self._entries():
            score = matcher.match(title)
            if score > 0:
                yield Hit(score, matcher.highlight(title), command, text=title, help=help_text)
