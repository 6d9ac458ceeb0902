"""A forum file's lines as tests look at them (``store.storage_format``): the header, the
snapshot (its table lines and the snapshot line), and the journal."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import orjson

TABLE_LINE_START = b'{"ids":['


@dataclass
class Layout:
    header: bytes
    table_lines: list[bytes]
    snapshot_line: bytes
    journal: list[bytes]

    @property
    def snapshot(self) -> dict[str, Any]:
        """The snapshot line, its ``tables`` holding the records of the table lines too."""
        snapshot = orjson.loads(self.snapshot_line)
        for line in self.table_lines:
            parsed = orjson.loads(line)
            (name,) = parsed.keys() - {"ids"}
            snapshot["tables"].setdefault(name, {}).update(parsed[name])
        return snapshot


def layout(source: Path | bytes) -> Layout:
    """The parts of a forum file (lines without their newlines; a torn tail included)."""
    data = source if isinstance(source, bytes) else Path(source).read_bytes()
    lines = data.splitlines()
    count = 1
    while count < len(lines) and lines[count].startswith(TABLE_LINE_START):
        count += 1
    return Layout(lines[0], lines[1:count], lines[count], lines[count + 1 :])


def folded_lines(path: Path) -> list[bytes]:
    """The file's lines with its snapshot as one line, as in schema 1: header, snapshot
    (``Layout.snapshot``), journal lines."""
    parts = layout(path)
    return [parts.header, orjson.dumps(parts.snapshot), *parts.journal]
