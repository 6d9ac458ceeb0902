"""Messages the app's widgets exchange.

A forum tells its listeners about every applied change, possibly many in a burst (an
import, a batch). ``ForumChanged`` is posted once per burst: a newer one replaces a pending
one (``can_replace``), and the widget keeps the set of tables that changed, so a burst of
writes causes one redraw (the Toolong pattern).
"""

from __future__ import annotations

from textual.message import Message

#: Table name meaning "anything may have changed" (``ForumView.mark_all_changed``).
ALL_TABLES = "*"


class ForumChanged(Message):
    """Something in the forum changed; the receiver redraws what it shows."""

    def can_replace(self, message: Message) -> bool:
        return isinstance(message, ForumChanged)
