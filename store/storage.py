"""The forum file as a TinyDB database: durable, single-writer, cheap per write.

TinyDB's stock ``JSONStorage`` re-reads and rewrites the whole file on every operation, and its
``Table`` rebuilds a table's dict per write. Here TinyDB keeps its query API but sits on two
extension points: ``JournalStorage`` (a ``Storage`` holding the parsed forum in memory) and
``JournalTable`` (a ``Table`` whose writes become single-document ops). Each committed write
is one fsynced journal line appended to the file, so a write costs what changed; the file is
compacted atomically when the journal outgrows the snapshot (see ``storage_format``).

Only this module and its ``storage_*`` helpers import tinydb.
"""

from __future__ import annotations

import contextlib
import errno
import gc
import os
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import Any, BinaryIO

import orjson
from tinydb import Query, TinyDB
from tinydb.storages import Storage
from tinydb.table import Document, Table

from store.backup import (
    BACKUP_INTERVAL_S,
    backup_dir,
    backup_if_changed,
    file_error,
    make_backup,
    refuse_backup_target,
)
from store.file_mounts import refuse_file_mount_point, refuse_replaced_copy
from store.forum_seal import Sealer, installation_sealer
from store.lock import ForumLocked, HolderInfo, WriteLock, read_holder
from store.migrations import CURRENT_SCHEMA, MigrationMissing, migrate
from store.reader import JournalFollower
from store.storage_compaction import FrozenState, encode_snapshot_pieces, table_picture
from store.storage_continuation import HeaderDraft
from store.storage_errors import ForumFileError, ForumPathError, ForumReadOnlyError, os_reason
from store.storage_format import (
    FormatProblem,
    ForumImage,
    encode_change,
    encode_forum,
    header_fields,
    now_iso,
    parse_forum_file,
)
from store.storage_io import (
    AppendOnlyFile,
    fsync_dir,
    fsync_fd,
    link_count,
    real_path,
    temp_path_for,
    truncate_file,
    write_atomic,
)
from store.storage_state import ChangeError, ForumState, clone_value

#: ``(tables, next_ids, only)`` -> problems: ``store.forum_shape.shape_problems``, passed in
#: so the storage stays below the domain's rules.
ShapeChecker = Callable[[dict[str, dict[str, dict]], dict[str, int], dict[str, set[str]]], list]

__all__ = [
    "ForumDatabase",
    "ForumDocument",
    "ForumFileError",
    "ForumLocked",
    "ForumReadOnlyError",
    "HolderInfo",
    "JournalTable",
    "Query",
]

#: Compact when the journal has this many lines...
COMPACT_LINES = 2000
#: ...or holds more bytes than the snapshot (but never for a journal this small).
COMPACT_MIN_BYTES = 256 * 1024
#: An unchanged forum this big is rewritten (sealed) on close when its snapshot is not
#: sealed yet: checking it in full on each open would cost more (``store.forum_seal``).
SEAL_ON_CLOSE_MIN_BYTES = 1_000_000
#: After a failed compaction (e.g. Windows kept the file busy), retry this many lines later.
COMPACT_RETRY_LINES = 100


class ForumDocument(Document):
    """A document handed to callers: its own copy, so editing it never edits the forum.

    Top-level fields are copied by ``dict``; a document holding lists or dicts is deep-copied
    (through orjson, the fastest deep copy of JSON data), since changing those in place would
    otherwise change memory without a journal line. Flat documents, the common case, are
    recognised by a check that runs in C and cost no more than TinyDB's own ``Document``.
    """

    def __init__(self, value: Mapping, doc_id: int) -> None:
        if not _CONTAINERS.isdisjoint(map(type, value.values())):
            value = orjson.loads(orjson.dumps(value))
        super().__init__(value, doc_id)


_CONTAINERS = frozenset({dict, list})


class JournalStorage(Storage):
    """TinyDB storage over a ``ForumState``: reads are free, writes go op by op.

    ``commit`` (None when read-only) makes one journal line durable; ``after_commit`` runs
    maintenance (compaction, backups) once the line is safe.
    """

    def __init__(
        self,
        state: ForumState,
        commit: Callable[[bytes], None] | None,
        after_commit: Callable[[], None] | None = None,
    ) -> None:
        self.state = state
        self.commit = commit
        self.after_commit = after_commit
        #: Run once before the first op is applied (the file's migration), then dropped.
        self.before_first_write: Callable[[], None] | None = None
        #: Bumped on every change of the state; tables drop their query cache when it moves.
        self.version = 0
        #: Serialises writers across threads and keeps reads from seeing a table mid-write.
        self.mutex = threading.RLock()
        self._pending: list[bytes] | None = None
        self._undo: list[tuple] = []
        #: Per table, keys written since the state was last known to pass the shape check
        #: (``ForumDatabase.seal_snapshots``): what must be checked before a seal.
        self.unchecked: dict[str, set[str]] = {}

    def read(self) -> dict[str, dict[str, Any]]:
        return self.state.tables

    def write(self, data: dict[str, dict[str, Any]]) -> None:
        raise NotImplementedError("JournalStorage hanya menerima perubahan per dokumen")

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """All ops inside become one journal line; on an exception none of them happened.

        Nested use joins the outer transaction; an exception escaping the inner block takes
        back only the inner block's ops (a savepoint) before it propagates.
        """
        with self.mutex:
            outer = self._pending is None
            if outer:
                self._pending = []
                self._undo = []
            marks = (len(self._pending), len(self._undo))
            try:
                yield
                if outer and self._pending:
                    self._commit_pending()
            except BaseException:
                del self._pending[marks[0] :]
                self.state.rollback(self._undo, marks[1])
                self.version += 1
                raise
            finally:
                if outer:
                    self._pending = None
                    self._undo = []

    def apply(self, op: dict[str, Any]) -> None:
        """Journal and apply one op (within the current transaction, or as its own)."""
        if self.commit is None:
            raise ForumReadOnlyError("Forum ini dibuka hanya-baca atau sudah ditutup.")
        with self.transaction():
            if self.before_first_write is not None:  # no op applied yet: none to rewrite
                self.before_first_write()  # raises: nothing written, tried again next time
                self.before_first_write = None
            encoded = orjson.dumps(op)  # before touching memory: a bad value changes nothing
            self.state.apply(op, self._undo)
            self.unchecked.setdefault(op["table"], set()).add(str(op["doc_id"]))
            self._pending.append(encoded)
            self.version += 1

    def _commit_pending(self) -> None:
        at = now_iso()
        self.commit(encode_change(at, self._pending))
        self.state.last_write_at = at
        self._undo = []  # durable now: nothing to take back even if maintenance fails
        if self.after_commit is not None:
            self.after_commit()


class JournalTable(Table):
    """A TinyDB table whose writes touch only the documents they change.

    Every write method of ``Table`` is overridden so that TinyDB's ``_update_table`` (which
    rebuilds the whole table dict) never runs; multi-document writes are one transaction.
    Document ids are never reused, even after a removal or ``truncate``.
    """

    document_class = ForumDocument
    _storage: JournalStorage

    def __init__(self, storage: JournalStorage, name: str, **kwargs: Any) -> None:
        super().__init__(storage, name, **kwargs)
        self._seen_version = storage.version

    # -- reads -------------------------------------------------------------------------
    # Reads hold the storage mutex so a write (or a refresh) on another thread never
    # changes a table while it is being iterated.

    def search(self, cond) -> list[Document]:
        with self._storage.mutex:
            if self._seen_version != self._storage.version:
                self.clear_cache()
                self._seen_version = self._storage.version
            return super().search(cond)

    def get(self, cond=None, doc_id=None, doc_ids=None):
        """As ``Table.get``; ``doc_ids`` are looked up directly, in the order given."""
        with self._storage.mutex:
            if doc_id is None and doc_ids is not None:
                docs = self._read_table()
                keys = dict.fromkeys(str(one) for one in doc_ids)
                return [self.document_class(docs[key], int(key)) for key in keys if key in docs]
            return super().get(cond, doc_id, doc_ids)

    def __iter__(self) -> Iterator[Document]:
        with self._storage.mutex:
            documents = [
                self.document_class(doc, int(key)) for key, doc in self._read_table().items()
            ]
        return iter(documents)

    # -- writes ------------------------------------------------------------------------

    def insert(self, document: Mapping) -> int:
        if not isinstance(document, Mapping):
            raise ValueError("Document is not a Mapping")
        if isinstance(document, Document):
            doc_id = document.doc_id
        else:
            doc_id = self._storage.state.next_id(self.name)
        self._apply("insert", doc_id, doc=clone_value(document))
        return doc_id

    def insert_multiple(self, documents: Iterable[Mapping]) -> list[int]:
        with self._storage.transaction():
            return [self.insert(document) for document in documents]

    def update(self, fields, cond=None, doc_ids=None) -> list[int]:
        with self._storage.transaction():
            ids = self._matching_ids(cond, doc_ids)
            for doc_id in ids:
                self._update_one(doc_id, fields)
        return ids

    def update_multiple(self, updates) -> list[int]:
        updated = []
        with self._storage.transaction():
            for key in list(self._read_table()):
                for fields, cond in updates:
                    if cond(self._read_table()[key]):
                        updated.append(int(key))
                        self._update_one(int(key), fields)
        return updated

    def upsert(self, document: Mapping, cond=None) -> list[int]:
        with self._storage.transaction():
            return super().upsert(document, cond)

    def remove(self, cond=None, doc_ids=None) -> list[int]:
        if cond is None and doc_ids is None:
            raise RuntimeError("Use truncate() to remove all documents")
        with self._storage.transaction():
            ids = self._matching_ids(cond, doc_ids)
            for doc_id in ids:
                self._apply("remove", doc_id)
        return ids

    def truncate(self) -> None:
        with self._storage.transaction():
            for doc_id in self._matching_ids(None, None):
                self._apply("remove", doc_id)

    def _update_table(self, updater) -> None:
        raise NotImplementedError("JournalTable menulis per dokumen, bukan seluruh tabel")

    # -- helpers -------------------------------------------------------------------------

    def _matching_ids(self, cond, doc_ids) -> list[int]:
        docs = self._read_table()
        if doc_ids is not None:
            return [int(key) for key in dict.fromkeys(str(one) for one in doc_ids) if key in docs]
        if cond is not None:
            return [int(key) for key, doc in docs.items() if cond(doc)]
        return [int(key) for key in docs]

    def _update_one(self, doc_id: int, fields) -> None:
        if callable(fields):
            doc = clone_value(self._read_table()[str(doc_id)])
            fields(doc)
            self._apply("replace", doc_id, doc=clone_value(doc))
        else:
            self._apply("update", doc_id, fields=clone_value(fields))

    def _apply(self, kind: str, doc_id: int, **payload: Any) -> None:
        self._storage.apply({"table": self.name, "op": kind, "doc_id": doc_id, **payload})


class _ForumTinyDB(TinyDB):
    table_class = JournalTable


class _Background:
    """One maintenance job at a time (a compaction or a backup) on a thread of its own.

    Jobs only ever write whole new files and rename them into place, so a process that dies
    (or exits without ``close``) mid-job leaves the forum as it was: daemon threads are safe.
    """

    def __init__(self) -> None:
        self._thread: threading.Thread | None = None

    @property
    def busy(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def start(self, job: Callable[[], None]) -> None:
        self._thread = threading.Thread(target=job, name="forum-maintenance", daemon=True)
        self._thread.start()

    def wait(self) -> None:
        thread = self._thread  # read once: another thread may wait at the same time
        if thread is not None:
            thread.join()
            self._thread = None


class ForumDatabase:
    """One open forum file: TinyDB tables plus transactions, durability and the lock.

    Open it with ``create`` or ``open``; a writer holds the lock until ``close``.
    """

    def __init__(
        self,
        path: Path,
        image: ForumImage,
        *,
        lock: WriteLock | None = None,
        follower: JournalFollower | None = None,
    ) -> None:
        self.path = path
        self.readonly = lock is None
        self.schema_version = CURRENT_SCHEMA
        self._lock = lock
        self._follower = follower
        #: Tables the last ``refresh`` touched; None: all may have changed.
        self.changed_tables: frozenset[str] | None = None
        self._header = image.header
        self._journal_lines = image.journal_lines
        self._journal_bytes = image.journal_bytes
        self._snapshot_bytes = image.snapshot_bytes
        self.torn_tail = image.torn  # a torn last line was ignored (cut off by a writer)
        self._compaction_postponed_until = 0  # journal line count; set after a failure
        #: The file's snapshot carries this installation's valid seal (``store.forum_seal``):
        #: only the records ``_journal_keys`` names need the open's shape check.
        self.snapshot_sealed = image.sealed
        self._journal_keys = image.journal_keys
        #: Set by ``seal_snapshots`` once the forum passed its check: compactions seal.
        self._sealer: Sealer | None = None
        self._checker: ShapeChecker | None = None
        self._journal = None if lock is None else AppendOnlyFile(path)
        self._last_backup = time.monotonic()
        self._changed_since_backup = False
        #: Why the last backup could not be written (e.g. its folder is read-only), in
        #: Indonesian; None once one is written. The status bar shows it: a backup that
        #: fails in the background must not fail silently.
        self.backup_problem: str | None = None
        self._closed = False
        self._background = _Background()
        self._open_backup = _Background()  # the backup of the file as opened
        #: How much of the file ``back_up_as_opened`` keeps: the bytes as opened.
        self._opened_size: int | None = None
        #: The file is of an older schema: rewritten at the current one just before the
        #: first write (``_migrate``) or by a compaction, never by an open that only reads.
        self._migration_due = image.header.get("schema") != CURRENT_SCHEMA
        self._storage = JournalStorage(
            image.state,
            None if self._journal is None else self._append,
            self._maintain,
        )
        self._db = _ForumTinyDB(storage=lambda: self._storage)

    # -- opening -------------------------------------------------------------------------

    @classmethod
    def create(
        cls, path: Path, tables: dict[str, dict[int, dict]], *, operator: str
    ) -> ForumDatabase:
        """Write a new forum file holding ``tables`` and open it for writing.

        Refuses (``ForumFileError``) when ``path`` exists (a forum is never overwritten) or
        cannot hold a forum (a folder like ``/proc``, a full disk), naming the file and why.
        """
        _refuse_existing(Path(path))  # also a dangling symlink: never write through one
        path = real_path(Path(path))
        refuse_backup_target(path)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise _cannot_create(path, error) from error
        _refuse_existing(path)
        state = ForumState(
            {
                name: {str(_doc_id(doc_id)): clone_value(doc) for doc_id, doc in docs.items()}
                for name, docs in tables.items()
            }
        )
        try:
            lock = _acquire(path, operator)
        except ForumFileError as error:
            raise _cannot_create(path, error.__cause__) from error
        try:
            _refuse_existing(path)  # another process may have created it meanwhile
            write_atomic(path, encode_forum(state), lock.replace_file)
            created = cls._open_writer(path, lock)
            created.back_up_as_opened()
            return created
        except OSError as error:
            lock.release()
            raise _cannot_create(path, error) from error
        except BaseException:
            lock.release()
            raise

    @classmethod
    def open(
        cls, path: Path, *, readonly: bool = False, operator: str = "", back_up: bool = True
    ) -> ForumDatabase:
        """Open a forum: for writing (takes the lock), or read-only (no lock, never writes).

        A writer backs the file up as opened (in the background) unless ``back_up`` is
        False: then the caller does it with ``back_up_as_opened`` once it has checked the
        forum (a refused file must not rotate a good backup out).

        ``path`` is resolved to the real file first (see ``real_path``); a file with more
        than one hard link, or bind-mounted at its path (``store.file_mounts``), is refused
        for writing (``ForumFileError``): the atomic rename of a compaction would split the
        names into two diverging forums. A reader is refused such a path too when it may
        show a copy the forum has replaced (``store.file_mounts.refuse_replaced_copy``).
        """
        path = real_path(Path(path))
        if readonly:
            refuse_replaced_copy(path)
            follower = JournalFollower(path)
            image = _load(path, lambda: follower.load(installation_sealer(make=False)))
            return cls(path, image, follower=follower)
        if not path.is_file():
            raise _missing(path)
        refuse_backup_target(path)
        _refuse_hard_links(path)
        refuse_file_mount_point(path)
        lock = _acquire(path, operator)
        try:
            opened = cls._open_writer(path, lock)
        except OSError as error:
            lock.release()
            raise _not_writable(path, error) from error
        except BaseException:
            lock.release()
            raise
        if back_up:
            opened.back_up_as_opened()
        return opened

    @classmethod
    def _open_writer(cls, path: Path, lock: WriteLock) -> ForumDatabase:
        """Parse the file under the lock and open it (an older schema is migrated in memory;
        the file itself is left as it is until the open is accepted: ``back_up_as_opened``)."""
        image = _load(path, lambda: _parse_path(path))
        opened = cls(path, image, lock=lock)
        opened._opened_size = image.good_end
        return opened

    def back_up_as_opened(self) -> None:
        """Back up the file as it was opened, in the background (a 65 MB forum takes ~0.3 s;
        compactions wait for it, ``close`` too): called once the open's check passed.

        A file of an older schema is backed up as ``sebelum-migrasi``, and rewritten at the
        current schema only before the first write (or a compaction): an open that only
        reads, or a verb refused, leaves it as it found it."""
        size, self._opened_size = self._opened_size, None
        if size is None:
            return
        # What a crash left, cleared only now that the open is accepted (a refused open
        # leaves the file byte for byte): a torn last line (before any line is appended
        # after it), the compaction's temporary file, half-written backups.
        if self.torn_tail:
            self._journal.close()
            truncate_file(self.path, size)
            self._journal = AppendOnlyFile(self.path)
        temp_path_for(self.path).unlink(missing_ok=True)
        _drop_half_written_backups(self.path)
        tag = "sebelum-migrasi" if self._migration_due else ""
        if self._migration_due:
            self._storage.before_first_write = self._migrate
        self._open_backup.start(
            lambda: self._backing_up(lambda: backup_if_changed(self.path, size=size, tag=tag))
        )

    def _migrate(self) -> None:
        """Rewrite an older schema's file at the current one (under the storage mutex, before
        the first write), once its backup as opened is written. ``OSError`` when it cannot
        be: the write is refused, and the file stays as it was."""
        self._open_backup.wait()
        if self._migration_due:
            self._compact()

    # -- use -------------------------------------------------------------------------------

    def table(self, name: str) -> JournalTable:
        return self._db.table(name)

    def table_version(self, name: str) -> int:
        """A stamp that changes whenever table ``name`` changes (a write, a rollback, a
        refresh, a reload): caches derived from one table compare it instead of re-reading."""
        with self._storage.mutex:
            return self._storage.state.version(name)

    def changed_since(self, name: str, stamp: int) -> set[int] | None:
        """Ids of table ``name`` changed after ``table_version`` gave ``stamp``; None when
        unknown (the forum was reloaded, or too much changed): the caller re-reads all."""
        with self._storage.mutex:
            keys = self._storage.state.changed_since(name, stamp)
        return None if keys is None else {int(key) for key in keys}

    def unchecked_keys(self) -> dict[str, set[str]] | None:
        """What an open's shape check must still read: None (everything) unless the snapshot
        is sealed, else per table the keys the journal changed after it."""
        return self._journal_keys if self.snapshot_sealed else None

    def seal_snapshots(self, checker: ShapeChecker) -> None:
        """The forum passed its shape check: from now on a snapshot this writer writes is
        sealed (``store.forum_seal``) when ``checker`` (``store.forum_shape.shape_problems``)
        also passes the records written since, so later opens check only what changed.

        The writes are checked again at the seal, not trusted: a writer that stored a value
        the check refuses leaves the file unsealed (checked in full, and refused, on open)."""
        self._journal_keys = {}
        self._storage.unchecked = {}
        if self._journal is not None:
            self._checker = checker
            self._sealer = installation_sealer()

    def table_names(self) -> list[str]:
        """Names of the tables that hold or ever held documents."""
        return sorted(self._storage.state.tables)

    def raw_state(self) -> tuple[dict[str, dict[str, dict]], dict[str, int]]:
        """The tables as stored (``{table: {"id": record}}``) and the id counters: for a
        shape check on open, which must not pay for copies. Never change what is returned."""
        return self._storage.state.tables, self._storage.state.next_ids

    def table_picture(self, name: str) -> Mapping[str, dict[str, Any]]:
        """Table ``name`` as it is now (``{"id": record}``), unchanged by later writes: to
        read a long table outside the storage lock. Never change the records."""
        with self._storage.mutex:
            return table_picture(name, self._storage.state.tables.get(name, {}))

    def transaction(self):
        """Context manager: every write inside becomes one durable journal line."""
        return self._storage.transaction()

    @property
    def holder(self) -> HolderInfo | None:
        """Who holds the write lock: this process for a writer, else whoever is recorded."""
        if self._lock is not None:
            return self._lock.holder
        return read_holder(self.path)

    @property
    def last_write_at(self) -> datetime | None:
        stamp = self._storage.state.last_write_at
        return datetime.fromisoformat(stamp) if stamp else None

    def refresh(self) -> bool:
        """Read-only: take in what the writer saved since the last read; True if anything did.

        ``changed_tables`` then names the tables those changes touched (None: the file was
        replaced and re-read, e.g. restored, so everything may have changed). A compaction
        that continues what was read keeps the state: only the changes after it count.

        A change is taken whole or not at all; reads on other threads wait for it.
        """
        if self._follower is None:
            return False
        try:
            poll = self._follower.poll()
        except FormatProblem as problem:
            raise file_error(self.path, str(problem)) from None
        with self._storage.mutex:
            self.changed_tables = None
            if poll.header is not None:  # went on into a compacted file: the state holds
                self._header = poll.header
            if poll.image is not None:
                self._install(poll.image)
                return True
            if not poll.changes:
                self.changed_tables = frozenset()
                return False
            state = self._storage.state
            touched: set[str] = set()
            for change in poll.changes:
                undo: list[tuple] = []
                try:
                    for op in change["ops"]:
                        state.apply(op, undo)
                        touched.add(op["table"])
                except ChangeError:
                    state.rollback(undo)
                    self._install(_load(self.path, self._follower.load))
                    return True
                state.last_write_at = change["at"]
            self._storage.version += 1
            self.changed_tables = frozenset(touched)
            return True

    def wait_for_maintenance(self) -> None:
        """Block until a compaction or backup running in the background has finished."""
        self._open_backup.wait()
        self._background.wait()

    def close(self) -> None:
        """Compact if worthwhile, back up if changed, release the lock. Idempotent."""
        self._finish(tidy=True)

    def abandon(self) -> None:
        """Release the lock and write nothing: no compaction, no backup (an open refused
        after its check leaves the file byte for byte as it found it). Idempotent."""
        self._finish(tidy=False)

    def _finish(self, *, tidy: bool) -> None:
        if self._closed:
            return
        self._closed = True
        self._follower = None
        if self._journal is None:
            return
        self._open_backup.wait()
        self._background.wait()  # outside the lock: a compaction takes it to finish
        with self._storage.transaction():  # waits for a write in progress on another thread
            self._storage.commit = None
            try:
                if tidy and self._closing_compaction_due():
                    self._compact()
                if tidy and self._changed_since_backup:
                    make_backup(self.path)
            except OSError:
                pass  # every change is already durable in the journal
            finally:
                self._journal.close()
                self._lock.release()

    def _closing_compaction_due(self) -> bool:
        """Compact on close when the journal is worth folding in, or to seal a snapshot
        that is not sealed yet: after changes, or unchanged when the file is big enough
        that checking it in full on every open costs more than writing it once."""
        worthwhile = self._journal_lines and self._journal_bytes * 10 > self._snapshot_bytes
        if worthwhile:
            return True
        if self._sealer is None or self.snapshot_sealed:
            return False
        return bool(self._journal_lines) or self._snapshot_bytes >= SEAL_ON_CLOSE_MIN_BYTES

    def __enter__(self) -> ForumDatabase:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- internals -------------------------------------------------------------------------

    def _install(self, image: ForumImage) -> None:
        self._storage.state = _migrated(self.path, image).state
        self._header = image.header
        self._storage.version += 1

    def _append(self, line: bytes) -> None:
        self._journal.append(line)
        self._journal_lines += 1
        self._journal_bytes += len(line)
        self._changed_since_backup = True

    def _maintain(self) -> None:
        """After a durable commit: start a compaction or a backup when due, in the background.

        Nothing here runs on the writer's path for longer than a copy of the table dicts;
        failures lose nothing (the change is already durable) and are retried later.
        """
        if self._closed or self._background.busy:
            return
        if self._compaction_due():
            try:
                self._start_compaction()
            except (TypeError, ValueError):  # never into the writer: its change is saved
                self._compaction_postponed_until = self._journal_lines + COMPACT_RETRY_LINES
        elif time.monotonic() - self._last_backup >= BACKUP_INTERVAL_S:
            self._last_backup = time.monotonic()
            self._changed_since_backup = False
            size = self._journal.size  # whole lines: the change just committed included
            self._background.start(
                lambda: self._backing_up(lambda: make_backup(self.path, size=size))
            )

    def backup_folder_problem(self) -> str | None:
        """Why the next backup cannot be written, seen without writing one (a stat): the
        backup folder's name taken by a file. None for a reader or a usable folder."""
        if self._journal is None:
            return None
        folder = backup_dir(self.path)
        if os.path.lexists(folder) and not folder.is_dir():
            return os_reason(OSError(errno.EEXIST, "backup folder is a file"))
        return None

    def _backing_up(self, write: Callable[[], object]) -> None:
        """Run one backup ``write``, noting in ``backup_problem`` whether it failed (every
        change is already durable in the forum file: a failed backup loses nothing)."""
        try:
            write()
        except OSError as error:
            self.backup_problem = os_reason(error)
        else:
            self.backup_problem = None

    def _compaction_due(self) -> bool:
        grown = self._journal_lines >= COMPACT_LINES or (
            self._journal_bytes > max(self._snapshot_bytes, COMPACT_MIN_BYTES)
        )
        return grown and self._journal_lines >= self._compaction_postponed_until

    def compact(self) -> None:
        """Rewrite the file now, so that no journal line keeps an erased value (a writer only;
        ``OSError`` when the file cannot be rewritten, the forum then unchanged)."""
        self._open_backup.wait()  # so a purge's scrub of the backups comes after it
        self._background.wait()  # a background compaction in flight finishes first
        with self._storage.transaction():  # waits for a write in progress on another thread
            if self._storage.commit is None:
                raise ForumReadOnlyError("Forum ini dibuka hanya-baca atau sudah ditutup.")
            self._compact()

    def _start_compaction(self) -> None:
        """Freeze the state at the current journal end; a thread writes the new file."""
        frozen = FrozenState.take(self._storage.state)
        mark = (self._journal.size, self._journal_lines, self._journal_bytes)
        header = self._header_draft()
        unchecked, self._storage.unchecked = self._storage.unchecked, {}
        self._background.start(lambda: self._compact_from(frozen, header, mark, unchecked))

    def _compact_from(
        self,
        frozen: FrozenState,
        header: HeaderDraft,
        mark: tuple[int, int, int],
        unchecked: dict[str, set[str]],
    ) -> None:
        """Write header + snapshot of ``frozen`` to NAME.tmp, then, under the lock, append
        the journal lines written since ``mark``, fsync and rename over the forum.

        The header, written last over its placeholder, says the new file continues the old
        one from ``mark`` (``storage_continuation``): followers keep their state across it.
        """
        offset = mark[0]
        self._open_backup.wait()  # it copies the file as opened: never swap it meanwhile
        tmp = temp_path_for(self.path)
        sealer = self._sealer_for(frozen.tables, frozen.next_ids, unchecked)
        try:
            _refuse_new_hard_link(self.path)
            with open(tmp, "wb") as handle:
                header_line, snapshot_bytes = _write_snapshot(handle, header, frozen, sealer)
                handle.flush()
                fsync_fd(handle.fileno())  # the big write, outside the lock
                with self._storage.mutex:
                    if self._journal is None or self._closed:
                        raise OSError("forum ditutup selama pemadatan")
                    _refuse_new_hard_link(self.path)
                    with open(self.path, "rb") as source:
                        source.seek(offset)
                        handle.write(source.read(self._journal.size - offset))
                    handle.flush()
                    fsync_fd(handle.fileno())
                    handle.close()
                    self._swap_in(tmp)
                    self._now_the_file(frozen, header_line, snapshot_bytes, sealer, mark)
        except (OSError, ValueError, TypeError):  # never a traceback from a background thread
            with contextlib.suppress(OSError):
                tmp.unlink()
            self._compaction_postponed_until = self._journal_lines + COMPACT_RETRY_LINES
            sealer = None
        if sealer is None:  # not checked at this mark: check those writes at the next seal
            with self._storage.mutex:
                for table, keys in unchecked.items():
                    self._storage.unchecked.setdefault(table, set()).update(keys)

    def _sealer_for(
        self, tables: dict[str, dict[str, dict]], next_ids: dict[str, int], unchecked
    ) -> Sealer | None:
        """The sealer for a snapshot of ``tables``, or None: sealing is off, or the records
        written since the last check do not pass it now."""
        if self._sealer is None or self._checker is None:
            return None
        try:
            problems = self._checker(tables, next_ids, unchecked)
        except Exception:  # a check that cannot run proves nothing: write unsealed
            return None
        return None if problems else self._sealer

    def _header_draft(self) -> HeaderDraft:
        """The new file's header (fresh generation, same creation time), saying it continues
        this file from the journal's current end (``storage_continuation``)."""
        return HeaderDraft(
            header_fields(self._header.get("created_at")),
            self._header.get("generation"),
            self._journal.size,
        )

    def _swap_in(self, tmp: Path) -> None:
        """Rename ``tmp`` over the forum and reopen the journal on it (under the lock)."""
        self._journal.close()
        try:
            self._lock.replace_file(tmp, self.path)
        finally:
            self._journal = AppendOnlyFile(self.path)
        fsync_dir(self.path.parent)

    def _compact(self) -> None:
        """Rewrite the file as header + snapshot, atomically, now (on close, and for
        ``compact``); the header says it continues the old file from its end, so a follower
        that has read everything keeps its state. Streamed: the new file is never in memory
        whole. A file of an older schema is rewritten only once its backup was written."""
        if self._migration_due and self.backup_problem is not None:  # shown as is (no errno)
            raise OSError(None, f"cadangan sebelum pemutakhiran gagal: {self.backup_problem}")
        _refuse_new_hard_link(self.path)
        state = self._storage.state
        sealer = self._sealer_for(state.tables, state.next_ids, self._storage.unchecked)
        frozen = FrozenState.take(state)
        tmp = temp_path_for(self.path)
        try:
            with open(tmp, "wb") as handle:
                header_line, snapshot_bytes = _write_snapshot(
                    handle, self._header_draft(), frozen, sealer
                )
                handle.flush()
                fsync_fd(handle.fileno())
            self._swap_in(tmp)
        except BaseException:
            with contextlib.suppress(OSError):
                tmp.unlink()
            raise
        mark = (self._journal.size, self._journal_lines, self._journal_bytes)  # all folded in
        self._now_the_file(frozen, header_line, snapshot_bytes, sealer, mark)
        if sealer is not None:
            self._storage.unchecked = {}

    def _now_the_file(
        self,
        frozen: FrozenState,
        header_line: bytes,
        snapshot_bytes: int,
        sealer: Sealer | None,
        mark: tuple[int, int, int],
    ) -> None:
        """Once the compacted file of ``frozen`` (the state at journal ``mark``) is the
        forum, under the storage lock: its header, size and seal, the journal lines it
        folded in; the records it wrote of packed tables are packed again; an older
        schema's file is now of the current one."""
        frozen.adopt_written(self._storage.state)
        self._migration_due = False
        self._header = orjson.loads(header_line)
        self._snapshot_bytes = snapshot_bytes
        self.snapshot_sealed = sealer is not None
        self._journal_lines -= mark[1]
        self._journal_bytes -= mark[2]
        self._compaction_postponed_until = 0


def _write_snapshot(
    handle: BinaryIO, header: HeaderDraft, frozen: FrozenState, sealer: Sealer | None
) -> tuple[bytes, int]:
    """Write header and snapshot of ``frozen`` to ``handle`` (a new, empty file), piece by
    piece; the header goes last, over its placeholder. Returns the header line and the
    snapshot's size in bytes."""
    handle.write(header.placeholder())
    for piece in encode_snapshot_pieces(frozen, sealer):
        handle.write(piece)
    snapshot_bytes = handle.tell() - header.width
    header_line = header.line(snapshot_bytes)
    handle.seek(0)
    handle.write(header_line)
    handle.seek(0, os.SEEK_END)
    return header_line, snapshot_bytes


def _parse_path(path: Path) -> ForumImage:
    """The forum at ``path``, read a line at a time; its seal checked with this
    installation's key."""
    with open(path, "rb") as handle:
        return parse_forum_file(handle, installation_sealer())


def _drop_half_written_backups(path: Path) -> None:
    """Remove backups a crash left half-written (``*.tmp``, each up to the forum's size):
    with the lock held, no other backup of this forum is being written."""
    folder = backup_dir(path)
    if folder.is_dir():
        for leftover in folder.glob("*.tmp"):
            with contextlib.suppress(OSError):
                leftover.unlink()


def _refuse_new_hard_link(path: Path) -> None:
    """``OSError`` while the forum file has a second hard link made after it was opened: a
    rename over it would leave that other name holding the old copy, quietly stale."""
    if link_count(path) > 1:
        raise OSError(errno.EMLINK, "forum file gained a hard link", str(path))


def _load(path: Path, loader: Callable[[], ForumImage]) -> ForumImage:
    """Parse and migrate a forum, turning every problem into a ForumFileError."""
    try:
        image = loader()
    except FileNotFoundError:
        raise _missing(path) from None
    except FormatProblem as problem:
        raise file_error(path, str(problem)) from None
    # The forum's documents live as long as it is open and hold no cycles: keep the
    # collector from walking them again on every full pass (seconds over a session at 100x).
    gc.freeze()
    return _migrated(path, image)


def _migrated(path: Path, image: ForumImage) -> ForumImage:
    if image.schema < CURRENT_SCHEMA:
        try:
            tables = migrate(image.state.tables, image.schema)
        except MigrationMissing as problem:
            raise file_error(path, str(problem)) from None
        image.state = ForumState(tables, image.state.next_ids, image.state.last_write_at)
        image.schema = CURRENT_SCHEMA
    return image


def _acquire(path: Path, operator: str) -> WriteLock:
    """The forum's write lock, or ForumLocked; a folder we cannot write to is a file error."""
    lock = WriteLock(path)
    try:
        lock.acquire(operator)
    except OSError as error:
        raise _not_writable(path, error) from error
    return lock


def _not_writable(path: Path, error: OSError) -> ForumFileError:
    reason = os_reason(error)
    return ForumFileError(
        f'Forum "{path}" tidak dapat dibuka untuk ditulis ({reason}). '
        "Salin dahulu ke folder yang dapat ditulis, atau buka dengan --hanya-baca.",
        path,
    )


def _cannot_create(path: Path, error: BaseException | None) -> ForumFileError:
    reason = os_reason(error) if isinstance(error, OSError) else str(error)
    return ForumFileError(f'Forum baru "{path}" tidak dapat dibuat di sini ({reason}).', path)


def _refuse_hard_links(path: Path) -> None:
    links = link_count(path)
    if links > 1:
        raise ForumFileError(
            f'Berkas forum "{path}" punya {links} nama (tautan keras), sehingga perubahan '
            "dapat terpecah ke dua berkas. Salin forum itu menjadi berkas tersendiri "
            "(bukan tautan), lalu buka salinannya.",
            path,
        )


def _doc_id(value: object) -> int:
    doc_id = int(value)  # type: ignore[call-overload]
    if doc_id <= 0:
        raise ValueError(f"id dokumen harus bilangan bulat positif, bukan {value!r}")
    return doc_id


def _missing(path: Path) -> ForumFileError:
    from store.paths import not_found_message

    return ForumPathError(not_found_message(path), path)


def _refuse_existing(path: Path) -> None:
    if os.path.lexists(path):
        raise ForumFileError(
            f'Berkas "{path}" sudah ada; forum baru tidak menimpa berkas yang ada.', path
        )
