"""A container that redraws from a forum when it changes.

The forum calls its listeners synchronously, on whatever thread made the change. The
listener here only notes which tables (and records) changed and posts a coalescing
``ForumChanged`` to itself (``post_message`` is thread-safe); the redraw then happens once,
on the UI thread, for however many changes arrived meanwhile.
"""

from __future__ import annotations

from collections.abc import Callable

from textual import on
from textual.containers import Container
from textual.dom import DOMNode

from store.forum import Change, Forum
from store.storage_errors import os_reason
from store.validation_error import ValidationError
from tui.messages import ALL_TABLES, ForumChanged


class ForumView(Container):
    """Subclasses implement ``forum_changed(changes)``; ``changes`` maps table -> ids."""

    def __init__(self, forum: Forum, **kwargs) -> None:
        super().__init__(**kwargs)
        self.forum = forum
        self._dirty: dict[str, set[int]] = {}

    def on_mount(self) -> None:
        self.forum.subscribe(self._heard)

    def on_unmount(self) -> None:
        self.forum.unsubscribe(self._heard)

    def _heard(self, change: Change) -> None:
        self._dirty.setdefault(change.table, set()).update(change.ids)
        self.post_message(ForumChanged())

    def mark_all_changed(self) -> None:
        """Redraw everything, as if every table had changed."""
        self._heard(Change(ALL_TABLES, ()))

    @on(ForumChanged)
    def _redraw(self, event: ForumChanged) -> None:
        event.stop()
        changes, self._dirty = self._dirty, {}
        if changes:
            self.forum_changed(changes)

    def forum_changed(self, changes: dict[str, set[int]]) -> None:
        """Redraw what depends on ``changes`` (``ALL_TABLES`` in it: everything)."""


def touches(changes: dict[str, set[int]], *tables: str) -> bool:
    """Whether any of ``tables`` (or everything) changed."""
    return ALL_TABLES in changes or any(table in changes for table in tables)


def attempt(node: DOMNode, action: Callable[..., object], *args: object, **kwargs: object) -> bool:
    """Run a forum change; if refused or unsavable, say why in Indonesian (data untouched)."""
    try:
        action(*args, **kwargs)
    except ValidationError as error:
        node.app.notify(error.message, severity="error", timeout=8)
        return False
    except OSError as error:
        node.app.notify(save_failed(error), severity="error", timeout=12)
        return False
    return True


def save_failed(error: OSError) -> str:
    """The message when the disk refuses a write (full, removed flash disk, no permission)."""
    where = error.filename or "berkas forum"
    return (
        f"Perubahan TIDAK tersimpan: {os_reason(error)} ({where}). "
        "Periksa disk atau flashdisk, lalu ulangi."
    )
