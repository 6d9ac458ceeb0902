"""An index derived from one table of a forum: built once, on first use or ahead of it.

At a Kabupaten's scale (100x) building the duplicate, score or people index takes 0.2-1.5 s,
so the first check-in, score or proposal save after opening paid it inside the user's write.
``LazyIndex`` lets the forum's warm-up (``store.warm_up``) build it on another thread right
after opening, and makes that safe:

- every use holds the storage's mutex (no write, refresh or reload changes the table
  meanwhile) and follows what changed since the index last looked, exactly as before;
- the warm-up takes, under that mutex, only the list of the stored records (references:
  a few ms for 90,000), then indexes them *outside* it, so writes on other threads go on.
  That is sound because a stored record is never changed in place (an update stores a new
  dict, see ``ForumState.apply``): the references are the table as it was at the version
  noted with them, and every change after it is followed on the next use. For the same
  reason an index may keep the references instead of copies (``stored_reference``);
- a use that arrives while the warm-up builds waits for that one build (holding the mutex is
  safe: the build no longer needs it) and never starts a second; a build that fails leaves
  nothing behind, and the next use builds on demand.

Builds run with the collector paused and what they made frozen (``built_to_last``). The lock
order is always the storage mutex first (a batch holds it around its writes), then this
index's own small lock.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from store.collector import built_to_last
from store.storage import ForumDocument

if TYPE_CHECKING:
    from store.forum import Forum

T = TypeVar("T")
R = TypeVar("R")


def stored_copy(key: str, doc: dict[str, Any]) -> dict[str, Any]:
    """A stored record as ``Forum.records`` hands it out: its own copy, with its ``id``."""
    return {**ForumDocument(doc, int(key)), "id": int(key)}


def stored_reference(key: str, doc: dict[str, Any]) -> tuple[int, dict[str, Any]]:
    """A stored record itself with its id, for an index that keeps it as it is and never
    hands it out (only fresh dicts made from it): no copy at all, which at 100x was 18 MB
    of the duplicate index and 8 MB of the people index. Sound because a stored record is
    never changed in place (an update stores a new dict, which the index follows)."""
    return int(key), doc


class LazyIndex(Generic[R, T]):
    """One table's index: ``make`` builds it from ``copy(key, stored record)`` of every
    record in id order; ``follow(index, changed_ids)`` (under the mutex) brings an index up
    to date and returns it, or a new one.

    ``copy`` must not let the stored record itself reach a caller (take a copy or a digest,
    or ``stored_reference`` for an index that only hands out fresh dicts made from it), and
    neither it nor ``make`` may touch the forum: they may run on the warm-up thread while a
    use waits.
    """

    def __init__(
        self,
        forum: Forum,
        table: str,
        copy: Callable[[str, dict[str, Any]], R],
        make: Callable[[list[R]], T],
        follow: Callable[[T, set[int]], T],
    ) -> None:
        self._forum = forum
        self._table = table
        self._copy = copy
        self._make = make
        self._follow = follow
        self._lock = threading.Lock()  # guards the index, its stamp and ``builds``
        self._index: T | None = None
        self._stamp = 0  # the table version the index reflects
        self._built = threading.Event()  # cleared while the warm-up builds
        self._built.set()
        self.builds = 0  # how many times the index was built from the whole table

    def current(self) -> T:
        """The index, up to date with the table (built now if nobody built it yet)."""
        db = self._forum._db
        with self._forum._reading():
            self._built.wait()  # the warm-up's build, if one is under way
            with self._lock:
                index, stamp = self._index, self._stamp
            changed = None if index is None else db.changed_since(self._table, stamp)
            version = db.table_version(self._table)
            built = changed is None
            if built:
                index = self._built_from(list(self._forum._stored(self._table).items()))
            elif changed:
                index = self._follow(index, changed)
            with self._lock:
                self._index, self._stamp = index, version
                self.builds += built
            return index

    def warm(self) -> None:
        """Build the index if nobody has (the warm-up thread); a use waits for it meanwhile."""
        with self._forum._reading():
            with self._lock:
                if self._index is not None or not self._built.is_set():
                    return
                self._built.clear()
            try:
                stored = list(self._forum._stored(self._table).items())
                version = self._forum._db.table_version(self._table)
            except BaseException:
                self._built.set()
                raise
        try:
            index = self._built_from(stored)
            with self._lock:
                self._index, self._stamp = index, version
                self.builds += 1
        finally:
            self._built.set()

    def _built_from(self, stored: list[tuple[str, dict[str, Any]]]) -> T:
        copy = self._copy
        with built_to_last():
            return self._make([copy(key, doc) for key, doc in stored])

    def caught_up(self) -> None:
        """The caller brought the index up to date with the table itself (an import adding
        rows to it inside its batch, which holds the storage mutex): nothing to re-read."""
        with self._forum._reading(), self._lock:
            self._stamp = self._forum._db.table_version(self._table)

    def forget(self) -> None:
        """Drop the index (it may hold what a rolled-back batch never saved): the next use
        builds it again. Waits for a warm-up build under way, so that one is dropped too."""
        with self._forum._reading():
            self._built.wait()
            with self._lock:
                self._index = None
