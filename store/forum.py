"""The forum: one Musrenbang meeting, its people, words, proposals and sign-off.

``Forum`` is the only door the UI and the exports use. Every change goes through
``_insert``/``_update``/``_delete`` here, which validate the forum is writable, write the
change together with its audit record as one durable journal line, and only then tell
listeners (the screens) what changed. Area-specific behaviour lives in small modules
(attendance, agenda, proposals, priority, signoff) that all write through this core.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import orjson

from store.office import resolve_operator
from store.record_view import RecordView
from store.storage import ForumDatabase, HolderInfo
from store.validation import ValidationError
from store.warm_up import WarmUp

if TYPE_CHECKING:
    from store.priority import Priority
    from store.signoff import Signoff

META_ID = 1

# Tables whose content a final forum may only change through an amendment.
CONTENT_TABLES = (
    "meta",
    "participants",
    "utusan",
    "agenda",
    "minutes",
    "proposals",
    "criteria",
    "scores",
    "tallies",
    "ballots",
)
# Every table a forum file holds, in the order a dump shows them.
TABLES = (
    *CONTENT_TABLES,
    "voting_log",
    "signatures",
    "documents",
    "bundles",
    "amendments",
    "audit",
)
# Meta keys that are bookkeeping, not content: of the sign-off itself, and the demo forum's
# own fictional office (its agenda book numbers the demo's letters, see agenda_book.book_of).
SIGNOFF_META_KEYS = frozenset({"status", "pemungutan_ditutup", "kantor_contoh"})
# Audit fields the app itself fills with ids, times and operation names: kept as written.
# Every other field of an audit entry (old/new values, an amendment's reason, the operator's
# name, a field of another version) may hold what someone typed, so it is masked when written
# and scrubbed by the erase (UU PDP).
AUDIT_KEPT_FIELDS = frozenset({"id", "waktu", "tabel", "rec_id", "aksi"})


class ReadOnlyForumError(ValidationError):
    """A write was attempted on a forum opened read-only (held elsewhere, or a display)."""

    def __init__(self, holder: HolderInfo | None) -> None:
        who = f" (dipegang oleh {holder.operator or holder.host})" if holder else ""
        super().__init__("forum", f"Forum dibuka hanya-baca{who}: perubahan tidak disimpan.")


class FrozenForumError(ValidationError):
    """Content of a final forum changes only through an amendment with a reason."""

    def __init__(self, status: str) -> None:
        super().__init__(
            "status",
            f"Forum berstatus {status}: isi hanya dapat diubah melalui perubahan (amandemen) "
            "dengan alasan.",
        )


@dataclass(frozen=True)
class Change:
    """What just changed, for listeners that redraw only what they show."""

    table: str
    ids: tuple[int, ...]


def now_local() -> datetime:
    """The default clock: local wall time to the second (WIB at the forum)."""
    return datetime.now().replace(microsecond=0)


class Forum:
    """A forum file opened for use; see the module docstring."""

    def __init__(
        self,
        db: ForumDatabase,
        *,
        operator: str,
        clock: Callable[[], datetime] = now_local,
    ) -> None:
        from store.agenda import Agenda, Minutes
        from store.attendance import Participants, Utusan
        from store.proposals import Proposals

        self._db = db
        self.operator = operator
        self.clock = clock
        self._listeners: list[Callable[[Change], None]] = []
        self._pending: list[Change] = []
        self._depth = 0
        self._lock = threading.RLock()
        self._amendment: str | None = None
        self._purging = False
        self.last_saved_at: datetime | None = None
        self.participants = Participants(self)
        self.utusan = Utusan(self)
        self.agenda = Agenda(self)
        self.minutes = Minutes(self)
        self.proposals = Proposals(self)
        self._areas_lock = threading.Lock()
        self._priority: Priority | None = None
        self._signoff: Signoff | None = None
        self._warming: WarmUp | None = None

    # Scoring and sign-off are made on first use: their modules (the ranking rules, the
    # criteria presets, the readiness checks; ~7 ms of imports) are not needed to show a
    # forum, and the app's start-up imports them no sooner than a screen uses them.
    @property
    def priority(self) -> Priority:
        """Criteria, scores, votes and the ranking (``store.priority``)."""
        from store.priority import Priority

        return self._area("_priority", lambda: Priority(self))

    @property
    def signoff(self) -> Signoff:
        """Readiness, signatures and the final status (``store.signoff``)."""
        from store.signoff import Signoff

        return self._area("_signoff", lambda: Signoff(self))

    def _area(self, attribute: str, make: Callable[[], Any]) -> Any:
        """The area kept in ``attribute``, made by ``make`` on first use, once (threads
        asking at the same moment get the same one)."""
        area = getattr(self, attribute)
        if area is None:
            with self._areas_lock:
                area = getattr(self, attribute)
                if area is None:
                    area = make()
                    setattr(self, attribute, area)
        return area

    # -- lifecycle -------------------------------------------------------------------------
    @property
    def path(self) -> Path:
        return self._db.path

    @property
    def readonly(self) -> bool:
        return self._db.readonly

    @property
    def torn_tail(self) -> bool:
        """A torn last line (a write cut off by a crash) was ignored on opening."""
        return self._db.torn_tail

    @property
    def holder(self) -> HolderInfo | None:
        return self._db.holder

    @property
    def backup_problem(self) -> str | None:
        """Why the last automatic backup failed, or why the next one cannot be written
        (Indonesian), or None: for the status bar, which looks every few seconds."""
        return self._db.backup_problem or self._db.backup_folder_problem()

    def close(self) -> None:
        if self._warming is not None:
            self._warming.stop()  # never waited for: it holds the storage only to copy
        self._db.close()

    def warm_up(self) -> None:
        """Build, on a background thread, the indexes the first user actions need (people,
        and for a writer the duplicate and score indexes), so the first check-in, score or
        proposal save after opening does not pay for them (0.2-1.5 s at 100x).

        Call it once the first screen is shown. It never writes and never raises (an index
        it fails to build is built on first use, as without it); an action needing an index
        it is building waits for that build. Later calls do nothing.
        """
        if self._warming is not None:
            return
        steps = [self.participants.warm_index]
        if not self.readonly:
            steps += [self.proposals.warm_index, self.priority.warm_index]
        self._warming = WarmUp(steps)
        self._warming.start()

    def wait_until_warm(self, timeout: float | None = None) -> bool:
        """Block until ``warm_up`` has finished (True at once if it never started); False
        when ``timeout`` seconds passed first."""
        return self._warming is None or self._warming.wait(timeout)

    def __enter__(self) -> Forum:
        return self

    def __exit__(self, kind: type[BaseException] | None, *exc: object) -> None:
        """Close; after an error, release without tidying (``ForumDatabase.abandon``): a
        refused verb leaves the file as it found it (what it saved before is durable)."""
        if kind is None:
            self.close()
            return
        if self._warming is not None:
            self._warming.stop()
        self._db.abandon()

    def refresh(self) -> bool:
        """Read-only handles: pick up what the writer saved since the last look.

        Listeners hear one ``Change`` per table the writer touched (every table when the
        file was replaced), so a display redraws only what moved.
        """
        if not self._db.refresh():
            return False
        tables = self._db.changed_tables
        self._tell(Change(table, ()) for table in (TABLES if tables is None else sorted(tables)))
        return True

    def _tell(self, changes: Iterable[Change]) -> None:
        """Hand each change to every listener (outside any lock, see ``batch``)."""
        for change in changes:
            for listener in list(self._listeners):
                listener(change)

    def subscribe(self, listener: Callable[[Change], None]) -> None:
        self._listeners.append(listener)

    def unsubscribe(self, listener: Callable[[Change], None]) -> None:
        with contextlib.suppress(ValueError):
            self._listeners.remove(listener)

    # -- reading ---------------------------------------------------------------------------
    @property
    def meta(self) -> dict[str, Any]:
        return dict(self._db.table("meta").get(doc_id=META_ID) or {})

    @property
    def status(self) -> str:
        return self.meta.get("status", "draf")

    def records(self, table: str) -> list[dict[str, Any]]:
        """Every record of a table, each a fresh dict with its ``id``."""
        return [{**doc, "id": doc.doc_id} for doc in self._db.table(table).all()]

    def record(self, table: str, rec_id: int) -> dict[str, Any]:
        doc = self._db.table(table).get(doc_id=rec_id)
        if doc is None:
            raise ValidationError(table, f"Data {table} nomor {rec_id} tidak ditemukan.")
        return {**doc, "id": rec_id}

    def record_views(self, table: str) -> list[RecordView]:
        """Every record of a table as a read-only view of the stored record with its ``id``
        (``store.record_view``): for what keeps a whole table between redraws, at 56 bytes a
        record instead of a copy. Never change the lists inside."""
        with self._reading():
            return [RecordView(int(key), doc) for key, doc in self._stored(table).items()]

    def record_view(self, table: str, rec_id: int) -> RecordView:
        """One record as ``record_views`` gives it (``ValidationError`` when there is none)."""
        with self._reading():
            doc = self._stored(table).get(str(rec_id))
        if doc is None:
            raise ValidationError(table, f"Data {table} nomor {rec_id} tidak ditemukan.")
        return RecordView(rec_id, doc)

    def count(self, table: str) -> int:
        return len(self._db.table(table))

    def table_version(self, table: str) -> int:
        """A stamp that changes whenever ``table`` changes (see ``changed_since``)."""
        return self._db.table_version(table)

    def changed_since(self, table: str, stamp: int) -> set[int] | None:
        """Ids of ``table`` changed since ``table_version`` gave ``stamp``; None when unknown
        (re-read the table): lets a view follow a change by reading only those records."""
        return self._db.changed_since(table, stamp)

    def _reading(self) -> contextlib.AbstractContextManager:
        """The storage's mutex: while it is held no write, refresh or reload (on any
        thread) changes a table. Held by every read of a table, and by ``_stored``'s users."""
        return self._db._storage.mutex

    def _stored(self, table: str) -> dict[str, dict[str, Any]]:
        """Table ``table`` as stored (``{"id": record}``), to build an index without copying
        every record. Only while holding ``_reading()``; never change or keep what it gives."""
        return self._db.raw_state()[0].get(table, {})

    def export_tables(self) -> dict[str, Any]:
        """Everything in the file as plain data (``dump``, bundles); callers mask NIKs."""
        return {"meta": self.meta, **{t: self.records(t) for t in TABLES if t != "meta"}}

    def shape_problems(self, *, whole: bool = True) -> list[str]:
        """Records whose shape no reader expects (``store.forum_shape``); empty when sound.

        ``whole=False`` (an open) trusts a snapshot this installation sealed and reads only
        the records the journal changed after it (``store.forum_seal``)."""
        from store.forum_shape import shape_problems

        only = None if whole else self._db.unchecked_keys()
        return shape_problems(*self._db.raw_state(), only=only)

    def audit(self, where: Callable[[dict[str, Any]], bool] | None = None) -> list[dict[str, Any]]:
        """The audit entries ``where`` accepts (all without it), oldest first, each a fresh
        copy with its ``id``. The history is read a packed line at a time
        (``store.storage_archive``) and only the entries taken are copied: a Kabupaten
        forum's 146,000 entries are never all in memory as dicts for one question."""
        picture = self._db.table_picture("audit")
        return [  # read outside the lock: 2 s at 100x would stall every write meanwhile
            {**orjson.loads(orjson.dumps(entry)), "id": int(key)}
            for key, entry in picture.items()
            if where is None or where(entry)
        ]

    def amendments(self) -> list[dict[str, Any]]:
        return self.records("amendments")

    # -- writing ---------------------------------------------------------------------------
    @contextlib.contextmanager
    def batch(self) -> Iterator[None]:
        """Group changes into one durable journal line: all of them are saved, or none.

        The app writes from worker threads too (imports, exports): the outermost batch holds
        the forum's lock, so another thread's change waits for it instead of joining it.
        Listeners are told after the lock is released, so a listener that hands work to the
        UI thread can never deadlock against a UI-thread write.
        """
        with self._lock:
            if self._depth:
                self._depth += 1
                try:
                    yield
                finally:
                    self._depth -= 1
                return
            self._depth = 1
            try:
                with self._db.transaction():
                    yield
            except BaseException:
                self._pending.clear()
                raise
            finally:
                self._depth = 0
            self.last_saved_at = self.clock()
            pending, self._pending = self._pending, []
        self._tell(_coalesce(pending))

    @contextlib.contextmanager
    def amendment(self, alasan: str) -> Iterator[None]:
        """Change a final forum's content, recorded with the reason, all in one save."""
        from store.personal import mask_in_text
        from store.validation import clean_text

        # A NIK or phone typed into the reason is kept masked (it is logged, never needed in
        # full): in the amendment record and in each audit entry of the change.
        alasan = mask_in_text(
            clean_text(alasan, field="alasan", label="Alasan perubahan", multiline=True)
        )
        if not alasan:
            raise ValidationError("alasan", "Alasan perubahan wajib diisi.")
        with self.batch():
            self._amendment = alasan
            try:
                yield
                self._insert_raw(
                    "amendments",
                    {
                        "waktu": self.clock().isoformat(),
                        "operator": self.operator,
                        "alasan": alasan,
                    },
                )
            finally:
                self._amendment = None

    @contextlib.contextmanager
    def purging_personal_data(self) -> Iterator[None]:
        """Allow the one post-sign-off erase of NIK and phone numbers (UU PDP)."""
        with self.batch():
            self._purging = True
            try:
                yield
            finally:
                self._purging = False

    def _guard(self, table: str, keys: set[str] | None = None) -> None:
        """Refuse writes to a read-only forum, and to a final forum's content (but amendments)."""
        if self.readonly:
            raise ReadOnlyForumError(self.holder)
        if table not in CONTENT_TABLES or self._amendment or self._purging:
            return
        if table == "meta" and keys is not None and keys <= SIGNOFF_META_KEYS:
            return
        if self.status != "draf":
            raise FrozenForumError(self.status)

    def _insert(self, table: str, doc: dict[str, Any]) -> int:
        with self.batch():
            self._guard(table)
            return self._insert_raw(table, doc)

    def _insert_raw(self, table: str, doc: dict[str, Any]) -> int:
        with self.batch():
            rec_id = self._db.table(table).insert(doc)
            _refuse_unreadable(table, rec_id, doc)
            self._audit(table, rec_id, "tambah", None, doc)
            self._pending.append(Change(table, (rec_id,)))
        return rec_id

    def _update(self, table: str, rec_id: int, changes: dict[str, Any]) -> dict[str, Any]:
        """Apply only what differs; returns the changed fields (empty: nothing saved)."""
        with self.batch():
            current = self.record(table, rec_id)
            diff = {key: value for key, value in changes.items() if current.get(key) != value}
            if not diff:
                return {}
            self._guard(table, set(diff))
            current.pop("id", None)
            _refuse_unreadable(table, rec_id, {**current, **diff})
            self._db.table(table).update(diff, doc_ids=[rec_id])
            self._audit(table, rec_id, "ubah", {k: current.get(k) for k in diff}, diff)
            self._pending.append(Change(table, (rec_id,)))
        return diff

    def _delete(self, table: str, rec_id: int) -> None:
        with self.batch():
            current = self.record(table, rec_id)
            self._guard(table)
            current.pop("id", None)
            self._db.table(table).remove(doc_ids=[rec_id])
            self._audit(table, rec_id, "hapus", current, None)
            self._pending.append(Change(table, (rec_id,)))

    def _audit(self, table: str, rec_id: int, aksi: str, lama: Any, baru: Any) -> None:
        """One audit entry; NIK and phone values in it are masked (the record holds them):
        every field but ``AUDIT_KEPT_FIELDS``, so the amendment's reason and the operator's
        name too, and any field added later."""
        if table == "audit":
            return
        from store.personal import mask_personal

        entry = {
            "waktu": self.clock().isoformat(),
            "operator": self.operator,
            "tabel": table,
            "rec_id": rec_id,
            "aksi": aksi,
            "lama": lama,
            "baru": baru,
            "amandemen": self._amendment,
        }
        self._db.table("audit").insert(
            {
                key: value if key in AUDIT_KEPT_FIELDS else mask_personal(value)
                for key, value in entry.items()
            }
        )

    def _scrub_audit(self) -> None:
        """Blank personal values (masked, or clear in older files) kept in audit entries: in
        every field but ``AUDIT_KEPT_FIELDS``, whatever its name (an amendment's reason, a
        field an older or newer version wrote)."""
        from store.personal import blank_personal

        changes: list[tuple[int, dict[str, Any]]] = []
        with self._reading():  # the history read a packed line at a time, never copied whole
            for key, entry in self._stored("audit").items():
                scrubbed = {}
                for field, stored in entry.items():
                    if field in AUDIT_KEPT_FIELDS:
                        continue
                    value, changed = blank_personal(stored)
                    if changed:
                        scrubbed[field] = value
                if scrubbed:
                    changes.append((int(key), scrubbed))
        audit = self._db.table("audit")
        for rec_id, scrubbed in changes:
            audit.update(scrubbed, doc_ids=[rec_id])

    def compact(self) -> None:
        """Rewrite the forum file as its current state alone (see ``store.purge``)."""
        self._db.compact()

    def update_meta(self, **changes: Any) -> dict[str, Any]:
        """Change forum header fields after validating them."""
        from store.meta import validate_meta_changes

        clean = validate_meta_changes(changes, self.meta)
        return self._update("meta", META_ID, clean)


def _refuse_unreadable(table: str, rec_id: int, record: dict[str, Any]) -> None:
    """ValidationError (nothing saved: the batch rolls back) when ``record`` holds what the
    forum's check refuses: a value no writer may store, or the next open would refuse the
    whole forum (``store.forum_shape.record_problems``)."""
    from store.forum_shape import record_problems

    problems = record_problems(table, str(rec_id), record)
    if problems:
        raise ValidationError(table, f"Tidak disimpan: {problems[0]}")


def _coalesce(changes: list[Change]) -> list[Change]:
    """One Change per table, so a batch of 1,500 imported rows causes one redraw."""
    merged: dict[str, list[int]] = {}
    for change in changes:
        merged.setdefault(change.table, []).extend(change.ids)
    return [Change(table, tuple(ids)) for table, ids in merged.items()]


def open_forum(
    path: Path | str,
    *,
    readonly: bool = False,
    operator: str | None = None,
    clock: Callable[[], datetime] = now_local,
    check_shape: bool = True,
) -> Forum:
    """Open an existing forum file (ForumLocked / ForumFileError from the storage).

    A forum whose records have shapes no reader expects (``store.forum_shape``) is refused
    with the same ``ForumFileError`` as a damaged file, before anything reads or writes it;
    ``check`` alone opens it anyway (``check_shape=False``) to list every problem.
    """
    who = resolve_operator(operator)
    db = ForumDatabase.open(Path(path), readonly=readonly, operator=who, back_up=False)
    forum = Forum(db, operator=who, clock=clock)
    if check_shape:
        problems = forum.shape_problems(whole=False)
        if problems:
            from store.forum_shape import damage_error

            db.abandon()  # the refused file is left as found, and no good backup rotated out
            raise damage_error(forum.path, problems)
        from store.forum_shape import shape_problems

        db.seal_snapshots(shape_problems)
    db.back_up_as_opened()
    return forum


def create_forum(
    path: Path | str,
    *,
    operator: str | None = None,
    clock: Callable[[], datetime] = now_local,
    **header: Any,
) -> Forum:
    """Create a new forum file from validated header fields (see ``store.meta``)."""
    from store.meta import new_meta

    who = resolve_operator(operator)
    meta = new_meta(**header)
    created = clock().isoformat()
    meta["dibuat"] = created
    tables: dict[str, dict[int, dict[str, Any]]] = {
        "meta": {META_ID: meta},
        "audit": {
            1: {
                "waktu": created,
                "operator": who,
                "tabel": "meta",
                "rec_id": META_ID,
                "aksi": "buat",
                "lama": None,
                "baru": {"judul": meta["judul"]},
                "amandemen": None,
            }
        },
    }
    db = ForumDatabase.create(Path(path), tables, operator=who)
    from store.forum_shape import shape_problems

    db.seal_snapshots(shape_problems)  # made from checked header fields
    forum = Forum(db, operator=who, clock=clock)
    forum.priority.ensure_default_criteria()
    return forum
