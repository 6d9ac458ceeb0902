"""Where a compacted forum file continues the file it replaced: the header's ``"continues"``.

A compaction freezes the state at journal offset ``offset`` of generation ``generation``,
writes header + snapshot of that state, then copies the old file's bytes from ``offset`` on.
So the new file's bytes from ``at`` (just past its snapshot line) on are the old file's bytes
from ``offset`` on, and its snapshot is the old file's state at ``offset``::

    {"format":"musrenbang",…,"continues":{"generation":"<old>","offset":MARK,"at":SNAPSHOT_END}}

A follower that has applied the old file up to a line end ``R >= offset`` is then exactly
at ``at + (R - offset)`` in the new file and goes on reading from there, keeping its state
(``store.reader``). The field is only a hint: a follower checks it against the bytes it has
read and re-reads the whole file whenever anything disagrees.

``at`` is known only once the snapshot is written, after the header: the header is first
written as a placeholder of a fixed width, then rewritten in place (``HeaderDraft``), padded
with spaces (JSON allows whitespace after a value, so the line parses as any other).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import orjson

CONTINUES = "continues"
#: ``at`` is written over a placeholder this wide: no file is near 10**16 bytes.
_AT_PLACEHOLDER = 10**16 - 1


@dataclass(frozen=True)
class Continuation:
    """The new file from ``at`` on is generation ``generation`` from ``offset`` on."""

    generation: str
    offset: int
    at: int

    @classmethod
    def of(cls, header: dict[str, Any]) -> Continuation | None:
        """The header's continuation, or None when absent or not well formed."""
        link = header.get(CONTINUES)
        if not isinstance(link, dict) or link.keys() != {"generation", "offset", "at"}:
            return None
        generation, offset, at = link["generation"], link["offset"], link["at"]
        if type(generation) is not str or type(offset) is not int or type(at) is not int:
            return None
        if offset <= 0 or at <= 0:
            return None
        return cls(generation, offset, at)


class HeaderDraft:
    """A compacted file's header, written before its snapshot and completed after it.

    ``fields``: the new header (``storage_format.header_fields``, or a header
    ``encode_forum`` made), to which the continuation of generation ``generation`` from
    ``offset`` is added. ``width``: the header line's length in bytes (newline included),
    fixed from the start; ``line(snapshot_bytes)`` gives the finished line, exactly ``width``
    bytes long. Without a ``generation`` (an old file's header may lack one) the header says
    nothing continues.
    """

    def __init__(self, fields: dict[str, Any], generation: object, offset: int) -> None:
        self._fields = dict(fields)
        self._continues = isinstance(generation, str)
        if self._continues:
            self._fields[CONTINUES] = {
                "generation": generation,
                "offset": offset,
                "at": _AT_PLACEHOLDER,
            }
        self.width = len(orjson.dumps(self._fields)) + 1

    def placeholder(self) -> bytes:
        """Bytes holding the header's place until ``line`` can be written over them."""
        return b" " * (self.width - 1) + b"\n"

    def line(self, snapshot_bytes: int) -> bytes:
        """The header line when the snapshot line (newline included) is ``snapshot_bytes``."""
        if self._continues:
            at = self.width + snapshot_bytes
            if at > _AT_PLACEHOLDER:
                raise ValueError("berkas terlalu besar untuk dipadatkan")
            self._fields[CONTINUES]["at"] = at
        encoded = orjson.dumps(self._fields)
        return encoded + b" " * (self.width - 1 - len(encoded)) + b"\n"
