"""A stored record read in place, with its id: a read-only mapping instead of a copy.

The Prioritas tab and the projector display keep every proposal between redraws. As copies
(``Forum.records``: a deep copy of each record holding lists, then a dict with its ``id``)
those were 43 MB at 100x (15,000 proposals), more than the ranking itself. A stored record is
never changed in place (an update stores a new dict: the storage contract), so a view of it
is a snapshot as good as a copy, for 56 bytes. It answers as the copy would (``id`` included)
and refuses writes; its nested lists are the store's own, so a reader must not change them
(none does: the views go to screens and the pure ranking rules).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any


class RecordView(Mapping[str, Any]):
    """Record ``rec_id`` of a table as stored, with ``id`` added (read-only)."""

    __slots__ = ("_doc", "_id")

    def __init__(self, rec_id: int, doc: Mapping[str, Any]) -> None:
        self._id = rec_id
        self._doc = doc

    def __getitem__(self, key: str) -> Any:
        if key == "id":
            return self._id
        return self._doc[key]

    def get(self, key: str, default: Any = None) -> Any:
        """``Mapping.get`` in one call (the ranking reads eight fields of every proposal)."""
        if key == "id":
            return self._id
        return self._doc.get(key, default)

    def __contains__(self, key: object) -> bool:
        return key == "id" or key in self._doc

    def __iter__(self) -> Iterator[str]:
        yield from (key for key in self._doc if key != "id")
        yield "id"

    def __len__(self) -> int:
        return len(self._doc) + ("id" not in self._doc)

    def __eq__(self, other: object) -> bool:
        """As a dict compares; two views of the same stored record are equal at once (a
        stored record never changes, so a screen comparing its kept views with fresh ones
        finds what changed without comparing 15,000 records field by field)."""
        if isinstance(other, RecordView) and other._doc is self._doc:
            return other._id == self._id
        return Mapping.__eq__(self, other)

    __hash__ = None  # type: ignore[assignment]  # compares by content, like the dict

    def __repr__(self) -> str:
        return f"RecordView({dict(self)!r})"
