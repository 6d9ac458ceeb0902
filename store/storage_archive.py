"""Table lines: a snapshot's records, a thousand to a line, and tables kept packed in memory.

From schema 2 a snapshot writes each table's records as *table lines* before the snapshot
line proper (``storage_format``)::

    {"ids":[FIRST,LAST,COUNT],"<table>":{"<FIRST>":{…},…,"<LAST>":{…}}}

at most ``TABLE_LINE_DOCS`` records each, in increasing id order. Two things follow:

- An open reads the file a line at a time: the bytes of a 65 MB snapshot are never in
  memory at once beside the records parsed from them.
- A table of ``ARCHIVED_TABLES`` (the audit history: 69% of a Kabupaten forum, never read
  while the forum is used) is not parsed at all on open: each of its lines is kept as its
  exact bytes, zlib-compressed (``ArchivedTable``), decoded only when a record in it is read
  and written back verbatim by the next compaction. A Kabupaten forum's 146,000 audit
  records cost ~9 MB instead of ~400 MB of dicts.

The ``ids`` prefix says which records a line holds without parsing it. It is trusted only
for lines whose bytes this installation sealed (``store.forum_seal``); in any other file
``ArchivedTable.verify`` parses every archived line and compares (the open's full check
reads every record anyway).

Sources: zlib (RFC 1950) at level 1: audit JSON packs ~6:1 at ~150 MB/s, with the GIL
released, so packing runs beside the parse on a thread (``LinePacker``).
"""

from __future__ import annotations

import bisect
import heapq
import re
import threading
import zlib
from array import array
from collections.abc import Callable, Iterable, Iterator, MutableMapping
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

import orjson

#: Records per table line: a line is ~300 KB at most, decoded in ~1 ms.
TABLE_LINE_DOCS = 1000
#: Tables kept packed in memory: written on every change, read only by rare screens.
ARCHIVED_TABLES = frozenset({"audit"})
#: A table of another name (not a word of ``[a-z_]``, or a word the snapshot line uses)
#: stays inside the snapshot line, as in schema 1.
_TABLE_NAME = re.compile(r"[a-z_]{1,30}")
_RESERVED = frozenset({"ids", "tables", "next_ids", "last_write_at", "table_lines", "segel"})
_PREFIX = re.compile(
    rb'\{"ids":\[([1-9][0-9]{0,18}),([1-9][0-9]{0,18}),([1-9][0-9]{0,6})\],"([a-z_]{1,30})":\{"'
)
_MAX_ID = 2**63 - 1
#: Batches of lines handed to the packing thread and not yet packed, and a batch's bytes:
#: together they bound the memory an open holds.
_IN_FLIGHT = 8
_BATCH_BYTES = 1 << 16


class TableLineProblem(ValueError):
    """A table line that is not what the writer writes (in Indonesian)."""


def has_table_lines(name: str) -> bool:
    """Whether table ``name`` is written as table lines (else inside the snapshot line)."""
    return _TABLE_NAME.fullmatch(name) is not None and name not in _RESERVED


def is_canonical_id(key: object) -> bool:
    """A record id as the file spells it: digits of a positive 64-bit int, no leading zero
    (``"01"`` would be a second name for record 1)."""
    return (
        type(key) is str
        and 0 < len(key) <= 19
        and key.isascii()
        and key.isdigit()
        and key[0] != "0"
        and int(key) <= _MAX_ID
    )


@dataclass(frozen=True)
class LineClaim:
    """What a table line's ``ids`` prefix says: table, first and last id, record count."""

    table: str
    first: int
    last: int
    count: int

    @property
    def contiguous(self) -> bool:
        return self.last - self.first + 1 == self.count


def read_claim(line: bytes) -> LineClaim | None:
    """The claim a line opens with, or None when it is no table line (a snapshot line)."""
    match = _PREFIX.match(line)
    if match is None:
        return None
    first, last, count = (int(group) for group in match.groups()[:3])
    return LineClaim(match.group(4).decode("ascii"), first, last, count)


def parse_table_line(line: bytes | memoryview, claim: LineClaim) -> dict[str, dict[str, Any]]:
    """The records of a table line, checked against its claim: canonical ids in increasing
    order, the claimed first, last and count, and nothing but records. Raises
    ``TableLineProblem``."""
    try:
        parsed = orjson.loads(line)
    except orjson.JSONDecodeError:
        raise TableLineProblem("bukan JSON yang sah") from None
    if not isinstance(parsed, dict) or parsed.keys() != {"ids", claim.table}:
        raise TableLineProblem("bukan baris tabel forum")
    docs = parsed[claim.table]
    if not isinstance(docs, dict) or len(docs) != claim.count or not docs:
        raise TableLineProblem(f"jumlah data tabel '{claim.table}' tidak sesuai")
    if not all(map(is_canonical_id, docs)) or not set(map(type, docs.values())) <= {dict}:
        raise TableLineProblem(f"tabel '{claim.table}' memuat data yang tidak sah")
    ids = list(map(int, docs))
    if ids[0] != claim.first or ids[-1] != claim.last or any(map(int.__ge__, ids, ids[1:])):
        raise TableLineProblem(f"urutan id tabel '{claim.table}' tidak sah")
    return docs


def encode_table_lines(name: str, docs: dict[str, dict[str, Any]]) -> Iterator[bytes]:
    """The table lines (each ending in a newline) of records ``docs``, in id order."""
    return (line for line, _ in _lines_with_keys(name, docs))


def _lines_with_keys(
    name: str, docs: dict[str, dict[str, Any]]
) -> Iterator[tuple[bytes, list[str]]]:
    """Each table line of ``docs`` with the keys of the records it holds."""
    keys = list(docs)
    numbers = list(map(int, keys))
    if any(map(int.__ge__, numbers, numbers[1:])):
        pairs = sorted(zip(numbers, keys, strict=True))
        numbers, keys = [n for n, _ in pairs], [k for _, k in pairs]
    label = orjson.dumps(name)
    for start in range(0, len(keys), TABLE_LINE_DOCS):
        chunk = keys[start : start + TABLE_LINE_DOCS]
        ids = numbers[start : start + len(chunk)]
        body = orjson.dumps({key: docs[key] for key in chunk})
        yield b'{"ids":[%d,%d,%d],%s:%s}\n' % (ids[0], ids[-1], len(ids), label, body), chunk


@dataclass(frozen=True)
class ArchivedLine:
    """One table line kept packed: its exact bytes (newline included), zlib-compressed,
    holding the records with ids ``first``..``last``: every id between, or only ``ids``
    (a line a removal left with gaps)."""

    packed: bytes
    first: int
    last: int
    ids: array | None = None

    @property
    def count(self) -> int:
        return self.last - self.first + 1 if self.ids is None else len(self.ids)

    def holds(self, number: int) -> bool:
        """Whether the line holds record ``number`` (between ``first`` and ``last``)."""
        if self.ids is None:
            return True
        index = bisect.bisect_left(self.ids, number)
        return index < len(self.ids) and self.ids[index] == number

    def record_keys(self) -> Iterator[str]:
        """The ids of the records held, as the table's keys, in order."""
        numbers = range(self.first, self.last + 1) if self.ids is None else self.ids
        return map(str, numbers)

    def line(self) -> bytes:
        return zlib.decompress(self.packed)

    def docs(self) -> dict[str, dict[str, Any]]:
        line = self.line()
        claim = read_claim(line)
        if claim is None:
            raise TableLineProblem("baris arsip tanpa keterangan id")
        return parse_table_line(line, claim)


def _packed(line: bytes, keys: list[str]) -> ArchivedLine:
    """A table line just encoded, packed: it holds records ``keys`` (in id order)."""
    numbers = array("q", map(int, keys))
    gaps = numbers[-1] - numbers[0] + 1 != len(numbers)
    return ArchivedLine(zlib.compress(line, 1), numbers[0], numbers[-1], numbers if gaps else None)


def pack(line: bytes, claim: LineClaim) -> ArchivedLine:
    """``line`` as read, packed; a line with gaps in its ids is parsed once, to know them."""
    if claim.contiguous:
        return ArchivedLine(zlib.compress(line, 1), claim.first, claim.last)
    return _packed(line, list(parse_table_line(line, claim)))


class ArchivedTable(MutableMapping):
    """A table as ``{"id": record}`` whose records sit packed in ``ArchivedLine``s until
    written: a write to a packed record first moves its whole line into ``live`` (a plain
    dict). Reads decode one line at a time (the last one decoded is kept). Iteration is in
    id order. Safe under the storage lock like the plain dicts it stands in for."""

    def __init__(
        self, name: str, lines: Iterable[ArchivedLine] = (), live: dict | None = None
    ) -> None:
        self._name = name
        self._lines: list[ArchivedLine] = list(lines)
        self._firsts = [line.first for line in self._lines]
        self._packed_count = sum(line.count for line in self._lines)
        self.live: dict[str, dict[str, Any]] = dict(live or {})
        self._decoded: tuple[ArchivedLine, dict[str, dict[str, Any]]] | None = None
        #: What the last ``encode`` wrote of ``live``: packed lines, and the records each holds.
        self.written: list[tuple[ArchivedLine, dict[str, dict[str, Any]]]] = []
        self._decode_lock = threading.Lock()

    # -- what is packed ----------------------------------------------------------------

    @property
    def lines(self) -> tuple[ArchivedLine, ...]:
        return tuple(self._lines)

    def _line_of(self, key: object, *, holding: bool = True) -> int:
        """Index of the packed line holding record ``key`` (``holding=False``: whose id
        range covers it, a gap included), or -1."""
        if not is_canonical_id(key):
            return -1
        number = int(key)  # type: ignore[arg-type]
        index = bisect.bisect_right(self._firsts, number) - 1
        if index < 0 or number > self._lines[index].last:
            return -1
        return index if not holding or self._lines[index].holds(number) else -1

    def _docs_of(self, line: ArchivedLine) -> dict[str, dict[str, Any]]:
        with self._decode_lock:
            decoded = self._decoded
            if decoded is None or decoded[0] is not line:
                decoded = self._decoded = (line, line.docs())
            return decoded[1]

    def _unpack(self, index: int) -> None:
        """Move packed line ``index`` into ``live`` (before a write to one of its records)."""
        line = self._lines.pop(index)
        del self._firsts[index]
        self._packed_count -= line.count
        self.live.update(self._docs_of(line))
        self._decoded = None

    def top_id(self) -> int:
        """The highest id held, 0 when empty."""
        top = self._lines[-1].last if self._lines else 0
        return max(top, max(map(int, self.live), default=0))

    def verify(self) -> None:
        """Parse every packed line and check it against its claim, and that its bytes are
        exactly what this app writes for its records (``TableLineProblem``): for a file
        whose seal does not hold. A compaction writes packed lines back byte for byte, so
        a line must hold nothing its parse does not show (a key given twice, whose first
        value no check or erase would ever see)."""
        for line in self._lines:
            docs = line.docs()
            try:
                (written, _), *more = _lines_with_keys(self._name, docs)
            except TypeError:  # nested deeper than orjson writes
                raise TableLineProblem("data bersarang terlalu dalam") from None
            if more or written != line.line():
                raise TableLineProblem("tidak ditulis seperti aplikasi ini menulisnya")

    # -- the mapping -------------------------------------------------------------------

    def __getitem__(self, key: str) -> dict[str, Any]:
        doc = self.live.get(key)
        if doc is not None:
            return doc
        index = self._line_of(key)
        if index < 0:
            raise KeyError(key)
        return self._docs_of(self._lines[index])[key]

    def __contains__(self, key: object) -> bool:
        return key in self.live or self._line_of(key) >= 0

    def __setitem__(self, key: str, doc: dict[str, Any]) -> None:
        index = self._line_of(key, holding=False)  # live records stay outside packed ranges
        if index >= 0:
            self._unpack(index)
        self.live[key] = doc

    def __delitem__(self, key: str) -> None:
        index = self._line_of(key)
        if index >= 0:
            self._unpack(index)
        del self.live[key]

    def __len__(self) -> int:
        return self._packed_count + len(self.live)

    def __iter__(self) -> Iterator[str]:
        packed = (key for line in self._lines for key in line.record_keys())
        return heapq.merge(packed, sorted(self.live, key=int), key=int)

    def items(self) -> Iterator[tuple[str, dict[str, Any]]]:  # type: ignore[override]
        """``(key, record)`` in id order, decoding each packed line once."""
        live = sorted(self.live.items(), key=lambda item: int(item[0]))
        packed = (item for line in self._lines for item in self._docs_of(line).items())
        return heapq.merge(packed, live, key=lambda item: int(item[0]))

    def values(self) -> Iterator[dict[str, Any]]:  # type: ignore[override]
        return (doc for _, doc in self.items())

    def frozen(self) -> ArchivedTable:
        """A copy that later writes to this table do not change (a compaction's picture):
        the packed lines are shared, never changed; ``live`` is copied (a pointer each)."""
        return ArchivedTable(self._name, self._lines, self.live)

    def encode(self) -> Iterator[bytes]:
        """This table's lines for a snapshot, in id order: packed lines as they were read,
        records in ``live`` encoded afresh between them (and packed: ``written``)."""
        self.written = []
        live = sorted(self.live, key=int)
        start = 0
        for line in self._lines:
            end = bisect.bisect_left(live, line.first, lo=start, key=int)
            yield from self._encode_live(live[start:end])
            start = end
            yield line.line()
        yield from self._encode_live(live[start:])

    def _encode_live(self, keys: list[str]) -> Iterator[bytes]:
        docs = {key: self.live[key] for key in keys}
        for line, held in _lines_with_keys(self._name, docs):
            self.written.append((_packed(line, held), {key: docs[key] for key in held}))
            yield line

    def rewritten(
        self, change: Callable[[dict[str, dict[str, Any]]], tuple[dict[str, dict[str, Any]], bool]]
    ) -> tuple[ArchivedTable, bool]:
        """A copy with ``change`` (records -> records with the same keys, and whether any
        changed) applied a packed line at a time, and whether anything changed: an erase
        rewrites a Kabupaten's history without ever holding it all as dicts."""
        lines: list[ArchivedLine] = []
        changed = False
        for line in self._lines:
            docs, line_changed = change(line.docs())
            if not line_changed:
                lines.append(line)
                continue
            changed = True
            lines += [
                _packed(encoded, held) for encoded, held in _lines_with_keys(self._name, docs)
            ]
        live, live_changed = change(self.live)
        return ArchivedTable(self._name, lines, live), changed or live_changed

    def adopt(self, written: list[tuple[ArchivedLine, dict[str, dict[str, Any]]]]) -> None:
        """Pack again the live records a compaction of a ``frozen`` copy wrote (its
        ``written``), where they are still exactly what it wrote and no other live record
        came between them: a long session's history goes back to ~9 MB a 146,000."""
        numbers = sorted(map(int, self.live))
        for line, docs in written:
            if any(self.live.get(key) is not doc for key, doc in docs.items()):
                continue  # changed since: it stays live
            inside = bisect.bisect_right(numbers, line.last) - bisect.bisect_left(
                numbers, line.first
            )
            if inside != len(docs):
                continue
            for key in docs:
                del self.live[key]
            index = bisect.bisect_left(self._firsts, line.first)
            self._lines.insert(index, line)
            self._firsts.insert(index, line.first)
            self._packed_count += line.count


def plain_tables(tables: dict[str, Any]) -> dict[str, dict[str, dict[str, Any]]]:
    """``tables`` with every packed table as a plain dict (all its records decoded: for a
    rewrite of every record, such as an erase of personal data)."""
    return {
        name: dict(docs.items()) if isinstance(docs, ArchivedTable) else docs
        for name, docs in tables.items()
    }


class LinePacker:
    """Beside an open's parse, on one thread: feeds every line of the sealed span to the
    seal's hasher, in order, and packs archived lines into the lists given. Lines are
    handed over in batches (a file of one record a line costs a job per ~64 KB, not per
    line), and at most ``_IN_FLIGHT`` batches wait, so the bytes an open holds stay bounded
    however fast the file is read."""

    def __init__(self, hasher: Any | None) -> None:
        self._hasher = hasher
        self._pool: ThreadPoolExecutor | None = None
        self._waiting: list[Future] = []
        self._batch: list[tuple[bytes | memoryview, LineClaim | None, list | None]] = []
        self._batch_bytes = 0

    def hash(self, piece: bytes | memoryview) -> None:
        """Feed ``piece`` to the seal's hasher after every piece given before it."""
        if self._hasher is not None:
            self._add((piece, None, None))

    def pack(self, line: bytes, claim: LineClaim, into: list[ArchivedLine]) -> None:
        """``line`` hashed, then packed and appended to ``into`` (in the order given)."""
        self._add((line, claim, into))

    def _add(self, item: tuple[bytes | memoryview, LineClaim | None, list | None]) -> None:
        self._batch.append(item)
        self._batch_bytes += len(item[0])
        if self._batch_bytes >= _BATCH_BYTES:
            self._flush()

    def _flush(self) -> None:
        if not self._batch:
            return
        batch, self._batch, self._batch_bytes = self._batch, [], 0
        if self._pool is None:
            self._pool = ThreadPoolExecutor(1, thread_name_prefix="forum-open")
        if len(self._waiting) >= _IN_FLIGHT:
            self._waiting.pop(0).result()
        self._waiting.append(self._pool.submit(self._run, batch))

    def _run(self, batch: list[tuple[bytes | memoryview, LineClaim | None, list | None]]) -> None:
        for piece, claim, into in batch:
            if self._hasher is not None:
                self._hasher.update(piece)
            if claim is not None and into is not None:
                into.append(pack(bytes(piece), claim))

    def drain(self) -> None:
        """Wait until every line given is hashed and packed (raising what a job raised)."""
        self._flush()
        for future in self._waiting:
            future.result()
        self._waiting = []

    def digest(self) -> str | None:
        """The seal's digest of every piece given (None without a hasher)."""
        self.drain()
        return None if self._hasher is None else self._hasher.hexdigest()

    def close(self) -> None:
        """End the thread (idempotent; after a failure, jobs still waiting are dropped)."""
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None
        self._waiting = []
        self._batch = []
