"""Following a forum file that another process writes (the projector display, ``check``).

A follower reads the whole file once, then on each ``poll`` only the bytes appended since.
When the writer replaced the file (the header line carries a fresh ``generation`` on every
rewrite; the file identity or length also give it away) the follower keeps what it holds if
the new file says it continues the old one from a point the follower has reached
(``storage_continuation``), and the bytes it has already applied are found there unchanged;
otherwise (a restore, a follower that fell behind the compaction, anything odd) it re-reads
everything. Only complete lines are taken and each line is one whole transaction, so a
follower never sees half a change. The file is opened only for the moment of reading, which
never blocks the writer (on Windows an open handle would stall its rename).
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO

from store.forum_seal import Sealer
from store.storage_continuation import Continuation
from store.storage_format import (
    FormatProblem,
    ForumImage,
    iter_changes,
    parse_forum_file,
    parse_header,
)

#: Bytes of the last lines applied that a follower keeps, to find them again in a compacted
#: file: a compaction continues from where it froze the state, a few seconds of changes back.
TAIL_LIMIT = 1 << 20
_TABLE_LINES = re.compile(rb'"table_lines":([0-9]{1,9})[,}][^\n]*\n?$')
#: A header line longer than this is not looked at for a continuation (the file is re-read).
HEADER_LIMIT = 1 << 16


@dataclass
class Poll:
    """What changed since the last read: a whole new image, or the changes appended.

    ``header``: the new file's header when the follower went on into a compacted file.
    """

    image: ForumImage | None = None
    changes: list[dict[str, Any]] = field(default_factory=list)
    header: dict[str, Any] | None = None


class JournalFollower:
    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self._header_line = b""
        self._generation: object = None
        self._schema: object = None
        self._identity: tuple[int, int] = (0, 0)
        self._offset = 0
        self._line_number = 0
        self._snapshot_line = 2
        #: The bytes just before ``_offset``: whole lines applied (at most ``TAIL_LIMIT``).
        self._tail = b""
        self._sealer: Sealer | None = None

    def load(self, sealer: Sealer | None = None) -> ForumImage:
        """Read and parse the whole file (raises FileNotFoundError, FormatProblem); its seal
        checked with ``sealer`` (``store.forum_seal``), which later reloads use too."""
        self._sealer = sealer
        with open(self.path, "rb") as handle:
            return self._load_from(handle)

    def poll(self) -> Poll:
        """Changes since the last ``load``/``poll``; a missing file (mid-rename) is no change."""
        try:
            with open(self.path, "rb") as handle:
                stat = os.fstat(handle.fileno())
                head = handle.read(len(self._header_line) + 1)
                if head != self._header_line + b"\n":
                    return self._continued(handle, stat) or Poll(image=self._load_from(handle))
                if (stat.st_dev, stat.st_ino) != self._identity or stat.st_size < self._offset:
                    return Poll(image=self._load_from(handle))
                handle.seek(self._offset)
                data = handle.read()
                try:
                    changes, consumed = self._complete_changes(data, self._line_number)
                except FormatProblem:
                    # Bytes that do not continue the lines we hold: the file was swapped
                    # in a way the checks above missed. Start over from the file as it is.
                    return Poll(image=self._load_from(handle))
        except FileNotFoundError:
            return Poll()
        self._took(data[:consumed], len(changes))
        return Poll(changes=changes)

    def _continued(self, handle, stat: os.stat_result) -> Poll | None:
        """The changes after where we are, read on in a compacted file that continues ours;
        None (re-read everything) unless every check holds:

        the new header continues our generation from ``offset`` (a line end we passed, no
        further back than the bytes we kept), has our schema, the byte before ``at`` ends
        the snapshot line, and the bytes from ``at`` to our place in the new file are the
        very bytes we applied after ``offset``.
        """
        handle.seek(0)
        try:
            header, header_line, snapshot_start = parse_header(handle.read(HEADER_LIMIT))
        except FormatProblem:
            return None
        link = Continuation.of(header)
        if (
            link is None
            or self._generation is None
            or link.generation != self._generation
            or header["schema"] != self._schema
            or link.at <= snapshot_start
        ):
            return None
        behind = self._offset - link.offset  # bytes we applied past the frozen point
        if not 0 <= behind <= len(self._tail):
            return None
        applied = self._tail[len(self._tail) - behind :]
        if behind < len(self._tail) and self._tail[-behind - 1] != ord("\n"):
            return None  # ``offset`` is not a line end of ours
        resume = link.at + behind
        if stat.st_size < resume:
            return None
        snapshot_line = _snapshot_line_before(handle, link.at)
        handle.seek(link.at - 1)
        if handle.read(behind + 1) != b"\n" + applied:
            return None
        line_number = snapshot_line + applied.count(b"\n")
        data = handle.read()
        try:
            changes, consumed = self._complete_changes(data, line_number)
        except FormatProblem:
            return None
        self._header_line = header_line
        self._generation = header.get("generation")
        self._identity = (stat.st_dev, stat.st_ino)
        self._offset = resume
        self._line_number = line_number
        self._snapshot_line = snapshot_line
        self._tail = applied
        self._took(data[:consumed], len(changes))
        return Poll(changes=changes, header=header)

    def _complete_changes(self, data: bytes, line_number: int) -> tuple[list[dict[str, Any]], int]:
        changes = []
        consumed = 0
        for change, end in iter_changes(data, 0, line_number + 1):
            changes.append(change)
            consumed = end
        return changes, consumed

    def _took(self, lines: bytes, count: int) -> None:
        """Move past ``count`` whole ``lines`` just applied, keeping the newest as the tail."""
        self._offset += len(lines)
        self._line_number += count
        tail = self._tail + lines
        if len(tail) > TAIL_LIMIT:  # keep whole lines only: cut just after a newline
            tail = tail[tail.find(b"\n", len(tail) - TAIL_LIMIT - 1) + 1 :]
        self._tail = tail

    def _load_from(self, handle: BinaryIO) -> ForumImage:
        handle.seek(0)
        image = parse_forum_file(handle, self._sealer)  # a line at a time
        stat = os.fstat(handle.fileno())
        self._header_line = image.header_line
        self._generation = image.header.get("generation")
        self._schema = image.header["schema"]
        self._identity = (stat.st_dev, stat.st_ino)
        self._offset = image.good_end
        self._snapshot_line = image.snapshot_line
        self._line_number = image.snapshot_line + image.journal_lines
        start = image.good_end - min(image.journal_bytes, TAIL_LIMIT)
        handle.seek(start)
        tail = handle.read(image.good_end - start)
        if start > image.good_end - image.journal_bytes:  # mid-journal: from the next line
            tail = tail[tail.find(b"\n") + 1 :]
        self._tail = tail
        return image


def _snapshot_line_before(handle: BinaryIO, at: int) -> int:
    """The number of the snapshot line that ends just before offset ``at``, read from its
    ``"table_lines"`` (only for the line numbers of messages: 2 when it cannot be read)."""
    handle.seek(max(0, at - 256))
    tail = handle.read(min(at, 256))
    match = _TABLE_LINES.search(tail)
    return 2 + int(match.group(1)) if match else 2
