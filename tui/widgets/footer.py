"""The footer: the keys of the moment, each shown whole, never cut mid-label.

Textual's ``Footer`` lays every shown key in one row and lets the row run off the screen, so
at 80 columns a tab with many keys ends in "f10 Tut" or "f1 B". ``KeyFooter`` measures
first: it always shows "f1 Bantuan" (where every key of the screen is listed) and the
palette key (ctrl+p, docked right), then as many of the other keys as fit whole, in the
order the bindings give them (the focused field's keys first, then the pane's, the screen's,
the app's). A key left out is still in F1 and in the palette: both read the same bindings.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from rich.cells import cell_len
from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Footer
from textual.widgets._footer import FooterKey

#: The actions whose key is always shown: the key list (F1) names every other key.
PINNED_ACTIONS = frozenset({"bantuan", "app.bantuan"})
#: Cells between two keys (FooterKey's right margin in the compact footer).
GAP = 1
#: Cells the docked palette key takes besides its label (its left border).
PALETTE_BORDER = 1


@dataclass(frozen=True)
class FooterItem:
    """One key as the footer shows it: ``key`` (as displayed) and ``description``."""

    key: str
    display: str
    description: str
    action: str
    enabled: bool
    tooltip: str

    @property
    def width(self) -> int:
        """Cells the key takes in the compact footer, its gap included."""
        label = f"{self.display} {self.description}" if self.description else self.display
        return cell_len(label) + GAP


def choose(items: Sequence[FooterItem], width: int) -> list[FooterItem]:
    """The items to show in ``width`` cells, in their order: every pinned one, then each
    other one, by priority, that still fits whole (a long one left out does not stop a
    shorter, later one)."""
    room = width - sum(item.width for item in items if item.action in PINNED_ACTIONS)
    chosen: set[int] = set()
    for index, item in enumerate(items):
        if item.action in PINNED_ACTIONS:
            continue
        if item.width <= room:
            chosen.add(index)
            room -= item.width
    shown = [item for i, item in enumerate(items) if i in chosen]
    return shown + [item for item in items if item.action in PINNED_ACTIONS]


class KeyFooter(Footer):
    """A compact footer that shows only whole keys (see the module docstring)."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(compact=True, **kwargs)
        self._laid_width = 0

    def footer_items(self) -> tuple[list[FooterItem], FooterItem | None]:
        """The shown keys of the screen (a group as one item), and the palette key."""
        app = self.app
        items: list[FooterItem] = []
        seen_actions: set[str] = set()
        groups: dict[int, list[Binding]] = {}
        palette: FooterItem | None = None
        for _node, binding, enabled, tooltip in self.screen.active_bindings.values():
            if binding.key == app.COMMAND_PALETTE_BINDING or binding.action in {
                "command_palette",
                "app.command_palette",
            }:
                palette = _item(app, binding, enabled, tooltip)
                continue
            if not binding.show or binding.action in seen_actions:
                continue
            seen_actions.add(binding.action)
            group = binding.group
            if group is None:
                items.append(_item(app, binding, enabled, tooltip))
                continue
            members = groups.setdefault(id(group), [])
            members.append(binding)
            display = " ".join(app.get_key_display(b) for b in members)
            item = FooterItem(
                members[0].key, display, group.description, members[0].action, enabled, tooltip
            )
            if len(members) == 1:
                items.append(item)
            else:  # the group's item stays where its first key was
                index = next(i for i, it in enumerate(items) if it.action == members[0].action)
                items[index] = item
        return items, palette

    def compose(self) -> ComposeResult:
        # Composed at once, not only once Textual says the bindings are ready: a form that
        # takes a moment to mount showed a blank footer row meanwhile. The keys known now
        # are shown; the bindings signal recomposes with the focused field's keys.
        items, palette = self.footer_items()
        width = self.size.width or self.app.size.width
        self._laid_width = width
        room = width
        if palette is not None and self.show_command_palette:
            room -= palette.width - GAP + PALETTE_BORDER
        for item in choose(items, room):
            yield _key(item)
        if palette is not None and self.show_command_palette:
            yield _key(palette, classes="-command-palette")

    def on_resize(self, event: events.Resize) -> None:
        if event.size.width != self._laid_width:
            self.call_after_refresh(self.recompose)


def _item(app: Any, binding: Binding, enabled: bool, tooltip: str) -> FooterItem:
    return FooterItem(
        binding.key,
        app.get_key_display(binding),
        binding.description,
        binding.action,
        enabled,
        tooltip or binding.tooltip or binding.description,
    )


def _key(item: FooterItem, classes: str = "") -> FooterKey:
    return FooterKey(
        item.key,
        item.display,
        item.description,
        item.action,
        disabled=not item.enabled,
        tooltip=item.tooltip,
        classes=classes,
    )
