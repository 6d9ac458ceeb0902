"""Compaction off the writer's path: a frozen copy of the state, streamed to disk in pieces.

Documents in a ``ForumState`` are never changed in place (an update puts a new dict in the
table), so a copy of each table's dict (not of its documents) taken under the storage lock
is a consistent picture of the forum at one journal offset, cheap even at 100x. A background
thread then encodes it in small pieces (each ``orjson.dumps`` holds the GIL only for its
piece, so the UI thread keeps running) and writes ``NAME.tmp``; the writer's lock is taken
again only to append the journal lines written meanwhile, fsync, and rename.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import orjson

from store.forum_seal import Sealer, seal_ending
from store.storage_archive import (
    ARCHIVED_TABLES,
    ArchivedTable,
    encode_table_lines,
    has_table_lines,
)
from store.storage_state import ForumState


@dataclass(frozen=True)
class FrozenState:
    """The forum's tables as they were at ``offset`` (a journal line boundary)."""

    tables: dict[str, Any]
    next_ids: dict[str, int]
    last_write_at: str | None

    @classmethod
    def take(cls, state: ForumState) -> FrozenState:
        """Copy the table dicts (call under the storage lock; costs one pointer per record
        held as a dict, nothing for packed lines, which never change)."""
        return cls(
            {name: table_picture(name, docs) for name, docs in state.tables.items()},
            dict(state.next_ids),
            state.last_write_at,
        )

    def adopt_written(self, state: ForumState) -> None:
        """Once this picture is the file (under the storage lock): the records of packed
        tables it wrote are packed again in ``state``, where unchanged since."""
        for name, frozen in self.tables.items():
            if not isinstance(frozen, ArchivedTable) or not frozen.written:
                continue
            table = state.tables.get(name)
            if table is not None and not isinstance(table, ArchivedTable):
                table = state.tables[name] = ArchivedTable(name, (), table)
            if table is not None:
                table.adopt(frozen.written)


def table_picture(name: str, docs: Any) -> Any:
    """A table's picture, which later writes do not change (take it under the storage
    lock): packed lines shared, records copied a pointer each (records are never edited in
    place); a table of ``ARCHIVED_TABLES`` still held as a dict is pictured packed (a
    compaction then packs its records)."""
    if isinstance(docs, ArchivedTable):
        return docs.frozen()
    if name in ARCHIVED_TABLES and docs:
        return ArchivedTable(name, (), docs)
    return dict(docs)


def encode_snapshot_pieces(frozen: FrozenState, sealer: Sealer | None = None) -> Iterator[bytes]:
    """The table lines and the snapshot line of ``frozen`` (``storage_format``), piece by
    piece; sealed by ``sealer`` when given (``store.forum_seal``)."""
    hasher = None if sealer is None else sealer.new()
    for piece in _body_pieces(frozen):
        if hasher is not None:
            hasher.update(piece)
        yield piece
    yield b"}\n" if hasher is None else seal_ending(hasher.hexdigest()) + b"\n"


def _body_pieces(frozen: FrozenState) -> Iterator[bytes]:
    """The table lines, then the snapshot line up to its closing brace. Each table line is
    one ``orjson.dumps`` of at most ``TABLE_LINE_DOCS`` records: short enough never to hold
    the GIL long; a packed line is written as it was read."""
    inline: dict[str, Any] = {}
    lines = 0
    for name, docs in frozen.tables.items():
        if not docs or not has_table_lines(name):
            inline[name] = dict(docs)
            continue
        if isinstance(docs, ArchivedTable):
            pieces = docs.encode()
        else:
            pieces = encode_table_lines(name, docs)
        for piece in pieces:
            lines += 1
            yield piece
    yield (
        b'{"tables":'
        + orjson.dumps(inline)
        + b',"next_ids":'
        + orjson.dumps(frozen.next_ids)
        + b',"last_write_at":'
        + orjson.dumps(frozen.last_write_at)
        + b',"table_lines":%d' % lines
    )
