"""The parsed content of a forum in memory, and the one place where changes are applied to it.

A change is a list of ops (``insert``, ``update``, ``replace``, ``remove``) on single
documents. The writer applies the very op dicts it journals, and readers and the loader replay
the journal through the same ``apply``; so what a writer holds in memory and what any later
reader rebuilds from the file cannot drift apart. Each op costs what it touches (one document),
never what the table holds. A document in the state is never edited in place (an update
installs a new dict), so a shallow copy of the tables is a stable picture (see
``storage_compaction``).
"""

from __future__ import annotations

import bisect
import itertools
import math
from collections.abc import Mapping
from typing import Any

from store.storage_archive import ArchivedTable

#: In memory, as in the file, a table maps the document id *as a string* to the document,
#: which is what TinyDB's read paths (``get(doc_id=)``, iteration) expect. A table of
#: ``storage_archive.ARCHIVED_TABLES`` read from a file is an ``ArchivedTable``, a mapping
#: of the same shape.
Tables = dict[str, dict[str, dict[str, Any]]]

OP_KINDS = frozenset({"insert", "update", "replace", "remove"})

_MAX_INT = 2**63 - 1  # orjson writes 64-bit integers only
#: Stamps for ``ForumState.versions``: unique across every state of the process, so a cache
#: keyed by a stamp never mistakes a reloaded forum for the one it was built from.
_STAMPS = itertools.count(1)
#: Changed keys remembered per table for ``changed_since``; older history is dropped (a
#: cache that far behind rebuilds).
CHANGE_LOG_LIMIT = 4096


class ChangeError(ValueError):
    """An op that does not fit the state (or is malformed): the file is damaged."""


class ForumState:
    """All tables of a forum plus the bookkeeping that must survive compaction."""

    def __init__(
        self,
        tables: Tables,
        next_ids: dict[str, int] | None = None,
        last_write_at: str | None = None,
    ) -> None:
        self.tables = tables
        #: Highest id ever handed out + 1 per table, so a removed document's id is never
        #: reused (the audit log refers to ids).
        self.next_ids = dict(next_ids or {})
        for name, docs in tables.items():
            if docs:
                top = docs.top_id() if isinstance(docs, ArchivedTable) else max(map(int, docs))
                self.next_ids[name] = max(self.next_ids.get(name, 1), top + 1)
        self.last_write_at = last_write_at
        #: Per table, a stamp that changes whenever the table does (an op or a rollback):
        #: caches derived from one table (the people index, the duplicate index) check it.
        self.versions: dict[str, int] = {}
        #: Per table, (stamp, key) of recent changes, oldest first; ``_floors`` is the stamp
        #: before the oldest change still remembered.
        self._log: dict[str, list[tuple[int, str]]] = {}
        self._floors: dict[str, int] = {}
        self._born = next(_STAMPS)

    def changed_since(self, table: str, stamp: int) -> set[str] | None:
        """Keys of ``table`` changed after ``stamp`` (a ``version`` read earlier), or None
        when that history is not known (another state, or too long ago): rebuild then."""
        if stamp == self.versions.get(table):
            return set()
        if stamp < self._floors.get(table, self._born):
            return None
        log = self._log.get(table, [])
        start = bisect.bisect_right(log, (stamp, "\uffff"))
        return {key for _, key in log[start:]}

    def _touched(self, table: str, key: str) -> None:
        stamp = self.versions[table] = next(_STAMPS)
        log = self._log.setdefault(table, [])
        log.append((stamp, key))
        if len(log) > CHANGE_LOG_LIMIT:
            half = len(log) // 2
            self._floors[table] = log[half - 1][0]
            del log[:half]

    def version(self, table: str) -> int:
        """The table's current stamp (see ``versions``); stable while the table is unchanged."""
        stamp = self.versions.get(table)
        if stamp is None:
            stamp = self.versions[table] = next(_STAMPS)
        return stamp

    def next_id(self, table: str) -> int:
        return self.next_ids.get(table, 1)

    def apply(self, op: dict[str, Any], undo: list[tuple] | None) -> None:
        """Apply one op; with ``undo`` given, record how to take it back.

        Raises ``ChangeError`` (leaving the state untouched) when the op is malformed or does
        not fit, e.g. an update of a document that does not exist.
        """
        try:
            table = op["table"]
            kind = op["op"]
            doc_id = op["doc_id"]
        except (KeyError, TypeError):
            raise ChangeError("perubahan tanpa tabel, jenis atau id dokumen") from None
        if not isinstance(table, str) or kind not in OP_KINDS or not _is_doc_id(doc_id):
            raise ChangeError("perubahan dengan tabel, jenis atau id dokumen yang tidak sah")
        key = str(doc_id)
        docs = self.tables.get(table)
        self._touched(table, key)
        if kind == "insert":
            doc = _payload(op, "doc")
            if docs is None:
                docs = self.tables[table] = {}
            if key in docs:
                raise ChangeError(f"dokumen {table}/{key} ditambahkan dua kali")
            previous_next = self.next_ids.get(table)
            docs[key] = doc
            self.next_ids[table] = max(previous_next or 1, doc_id + 1)
            if undo is not None:
                undo.append(("insert", table, key, previous_next))
            return
        if docs is None or key not in docs:
            raise ChangeError(f"dokumen {table}/{key} tidak ada")
        if kind == "update":
            # A new dict, never an edit in place: a compaction may be encoding the old one.
            fields = _payload(op, "fields")
            if undo is not None:
                undo.append(("replace", table, key, docs[key]))
            docs[key] = {**docs[key], **fields}
        elif kind == "replace":
            doc = _payload(op, "doc")
            if undo is not None:
                undo.append(("replace", table, key, docs[key]))
            docs[key] = doc
        else:
            old = docs.pop(key)
            if undo is not None:
                undo.append(("remove", table, key, old))

    def rollback(self, undo: list[tuple], mark: int = 0) -> None:
        """Take back every op recorded in ``undo`` after position ``mark``, newest first."""
        reordered: set[str] = set()
        while len(undo) > mark:
            kind, table, key, old = undo.pop()
            docs = self.tables[table]
            self._touched(table, key)
            if kind == "insert":
                del docs[key]
                if old is None:
                    self.next_ids.pop(table, None)
                else:
                    self.next_ids[table] = old
            else:
                docs[key] = old
                if kind == "remove":
                    reordered.add(table)
        for table in reordered:
            # A restored document went to the end; put documents back in id order, the
            # order the file replays them in (a packed table is always read in id order).
            docs = self.tables[table]
            if not isinstance(docs, ArchivedTable):
                self.tables[table] = dict(sorted(docs.items(), key=lambda item: int(item[0])))


def clone_value(value: Any) -> Any:
    """A deep copy of JSON data that refuses anything the file could not hold as is.

    Refusing early (dates, sets, NaN, non-string keys, huge ints) keeps memory and file equal:
    orjson would silently turn a ``datetime`` into a string or NaN into ``null``.
    """
    kind = type(value)
    if kind is str or kind is bool or value is None:
        return value
    if kind is int:
        if -_MAX_INT - 1 <= value <= _MAX_INT:
            return value
        raise TypeError(f"bilangan bulat terlalu besar untuk disimpan: {value}")
    if kind is float:
        if math.isfinite(value):
            return value
        raise TypeError(f"bilangan tidak terhingga tidak dapat disimpan: {value}")
    if isinstance(value, Mapping):
        copy = {}
        for key, item in value.items():
            if not isinstance(key, str):
                raise TypeError(f"kunci dokumen harus teks, bukan {type(key).__name__}")
            copy[str.__str__(key)] = clone_value(item)
        return copy
    if isinstance(value, list | tuple):
        return [clone_value(item) for item in value]
    if isinstance(value, str):
        return str.__str__(value)  # a str subclass (StrEnum) stored as the plain text
    if isinstance(value, int):
        return clone_value(int(value))  # IntEnum and friends
    if isinstance(value, float):
        return clone_value(float(value))
    raise TypeError(f"nilai jenis {type(value).__name__} tidak dapat disimpan di forum")


def _is_doc_id(value: Any) -> bool:
    return type(value) is int and 0 < value <= _MAX_INT


def _payload(op: dict[str, Any], name: str) -> dict[str, Any]:
    payload = op.get(name)
    if not isinstance(payload, dict):
        raise ChangeError(f"perubahan {op['op']} tanpa '{name}'")
    return payload
