"""A DataTable that reports its width, so its owner can size the columns to fill it.

A pane's own Resize arrives before its children are laid out, so the table's width is only
known reliably in the table's own Resize; this forwards it as a message.
"""

from __future__ import annotations

from textual import events
from textual.message import Message
from textual.widgets import DataTable


class FittedTable(DataTable):
    class Resized(Message):
        """The table's width changed (``width`` in cells, scrollbar included)."""

        def __init__(self, table: FittedTable, width: int) -> None:
            super().__init__()
            self.table = table
            self.width = width

        @property
        def control(self) -> FittedTable:
            return self.table

    def on_resize(self, event: events.Resize) -> None:
        self.post_message(self.Resized(self, event.size.width))
