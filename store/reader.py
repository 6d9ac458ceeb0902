"""Following a forum file that another process writes (the projector display, ``check``).

A follower reads the whole file once, then on each ``poll`` only the bytes appended since.
It re-reads everything when the writer replaced the file (a compaction, a restore): the header
line carries a fresh ``generation`` on every rewrite, and the file identity or length also
give it away. Only complete lines are taken and each line is one whole transaction, so a
follower never sees half a change. The file is opened only for the moment of reading, which
never blocks the writer (on Windows an open handle would stall its rename).
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from store.storage_format import FormatProblem, ForumImage, iter_changes, parse_forum


@dataclass
class Poll:
    """What changed since the last read: a whole new image, or the changes appended."""

    image: ForumImage | None = None
    changes: list[dict[str, Any]] = field(default_factory=list)


class JournalFollower:
    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self._header_line = b""
        self._identity: tuple[int, int] = (0, 0)
        self._offset = 0
        self._line_number = 0

    def load(self) -> ForumImage:
        """Read and parse the whole file (raises FileNotFoundError, FormatProblem)."""
        with open(self.path, "rb") as handle:
            return self._load_from(handle)

    def poll(self) -> Poll:
        """Changes since the last ``load``/``poll``; a missing file (mid-rename) is no change."""
        try:
            with open(self.path, "rb") as handle:
                stat = os.fstat(handle.fileno())
                head = handle.read(len(self._header_line) + 1)
                if (
                    head != self._header_line + b"\n"
                    or (stat.st_dev, stat.st_ino) != self._identity
                    or stat.st_size < self._offset
                ):
                    return Poll(image=self._load_from(handle))
                handle.seek(self._offset)
                data = handle.read()
                try:
                    changes, consumed = self._complete_changes(data)
                except FormatProblem:
                    # Bytes that do not continue the lines we hold: the file was swapped
                    # in a way the checks above missed. Start over from the file as it is.
                    return Poll(image=self._load_from(handle))
        except FileNotFoundError:
            return Poll()
        self._offset += consumed
        self._line_number += len(changes)
        return Poll(changes=changes)

    def _complete_changes(self, data: bytes) -> tuple[list[dict[str, Any]], int]:
        changes = []
        consumed = 0
        for change, end in iter_changes(data, 0, self._line_number + 1):
            changes.append(change)
            consumed = end
        return changes, consumed

    def _load_from(self, handle) -> ForumImage:
        handle.seek(0)
        image = parse_forum(handle.read())
        stat = os.fstat(handle.fileno())
        self._header_line = image.header_line
        self._identity = (stat.st_dev, stat.st_ino)
        self._offset = image.good_end
        self._line_number = 2 + image.journal_lines
        return image
