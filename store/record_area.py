"""The common ground of the forum's areas (participants, proposals, agenda...).

Each area reads and writes one table of the forum through the forum's core, so validation,
audit and notification stay in one place (``store.forum``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from store.forum import Forum


class RecordArea:
    """One table of a forum, seen through the forum's core."""

    table: str = ""

    def __init__(self, forum: Forum) -> None:
        self._forum = forum

    def all(self) -> list[dict[str, Any]]:
        return self._forum.records(self.table)

    def get(self, rec_id: int) -> dict[str, Any]:
        return self._forum.record(self.table, rec_id)

    def remove(self, rec_id: int) -> None:
        self._forum._delete(self.table, rec_id)
