"""Likely duplicate proposals: same desa, similar activity, similar location.

A duplicate is never dropped or refused (a real forum often repeats a proposal on
purpose); it is flagged so the room can decide. Similarity is word overlap after removing
words every proposal shares ("desa", "dusun", "rt"...), which catches reordered or
slightly reworded entries without flagging different RTs of the same road programme.

Checking a candidate against every proposal made imports and intake quadratic (15 desa x 300
proposals: seconds), and so did walking every proposal of the desa that shares a common word
("tahap 2") with it. ``DuplicateIndex`` keeps each proposal's words once, grouped by desa and
by how many words its activity and location have, with inverted indexes from words and from
(activity word, location word) pairs to proposals. Set sizes bound how many words two sets
must share to reach a threshold, so a check walks only the postings of a few of the
candidate's rarest words (pairs, when both texts count): the proposals that could possibly
match, each then checked in full, so its answers are exactly those of
``is_likely_duplicate`` at a cost that does not grow with the desa's other proposals.

Memory (a Kabupaten's 15,000 proposals at 100x: 82 MB, now 12): most (activity word,
location word) pairs name one proposal, so a posting of one entry is held bare, and longer
ones are lists, not dicts by key; pairs are nested word -> word -> posting (no tuple per
pair); an indexed proposal's words are a tuple of interned strings (a forum's vocabulary is
small, its proposals many); the forum's live index refers to each stored record instead of
copying it (``add_stored``).
"""

from __future__ import annotations

import math
import re
import sys
from bisect import bisect_left
from collections.abc import Iterable, Iterator
from itertools import chain
from typing import Any

_WORD = re.compile(r"[a-z0-9]+")
_COMMON = frozenset(
    {
        "desa",
        "dusun",
        "dsn",
        "ds",
        "di",
        "dan",
        "yang",
        "untuk",
        "ke",
        "jalan",
        "jl",
        "kel",
        "kelurahan",
        "kecamatan",
        "kec",
    }
)
ACTIVITY_THRESHOLD = 0.6
LOCATION_THRESHOLD = 0.5
#: Most (activity word, location word) pairs a proposal is indexed under; longer texts are
#: walked by activity words alone (still exact, only slower), so memory stays bounded.
PAIR_LIMIT = 64


def _words(text: str) -> frozenset[str]:
    return frozenset(w for w in _WORD.findall((text or "").lower()) if w not in _COMMON)


def _indexed_words(text: str) -> tuple[str, ...]:
    """``_words`` as an indexed proposal keeps them: a tuple (a third of a small frozenset's
    size; only a probe's words need set lookups), each word interned (an index holds every
    proposal's words, and a few hundred words recur across thousands of proposals)."""
    return tuple(sys.intern(w) for w in _words(text))


_SHAPES: dict[tuple[int, int | None], tuple[int, int | None]] = {}


def _shared_shape(shape: tuple[int, int | None]) -> tuple[int, int | None]:
    """One tuple per distinct (activity words, location words) shape: a few dozen in any
    forum, against one per indexed proposal."""
    return _SHAPES.setdefault(shape, shape)


def _overlap(left: frozenset[str], right: frozenset[str]) -> float:
    if not left and not right:
        return 1.0
    if not left or not right:
        return 0.0
    return len(left & right) / len(left | right)


def similarity(a: str, b: str) -> float:
    """Jaccard overlap of meaningful words, 0..1."""
    return _overlap(_words(a), _words(b))


def _desa_key(record: dict[str, Any]) -> str:
    return (record.get("desa") or "").lower()


def _locations_agree(here: str, there: str, here_words: frozenset, there_words: frozenset) -> bool:
    return not here or not there or _overlap(here_words, there_words) >= LOCATION_THRESHOLD


def is_likely_duplicate(candidate: dict[str, Any], other: dict[str, Any]) -> bool:
    """Same desa, similar kegiatan, and similar lokasi (or either has no lokasi)."""
    if _desa_key(candidate) != _desa_key(other):
        return False
    if similarity(candidate.get("kegiatan", ""), other.get("kegiatan", "")) < ACTIVITY_THRESHOLD:
        return False
    here, there = candidate.get("lokasi") or "", other.get("lokasi") or ""
    return _locations_agree(here, there, _words(here), _words(there))


def _overlap_with(words: frozenset[str], other: tuple[str, ...]) -> float:
    """``_overlap(words, frozenset(other))`` for an indexed proposal's words, counting
    instead of building the union: |A | B| = |A| + |B| - |A & B|, the same integers, so the
    same float."""
    if not words and not other:
        return 1.0
    if not words or not other:
        return 0.0
    common = len(words.intersection(other))
    return common / (len(words) + len(other) - common)


def _shape_of(activity: int, location: int, has_location: bool) -> tuple[int, int | None]:
    """(activity words, location words), the location count None when there is no lokasi
    at all (it agrees with any lokasi, while a lokasi without meaningful words does not);
    one shared tuple per distinct shape."""
    return _shared_shape((activity, location if has_location else None))


class _Probe:
    """A proposal being checked: its words as sets, for the lookups a check makes."""

    __slots__ = ("activity", "location", "location_words", "shape")

    def __init__(self, record: dict[str, Any]) -> None:
        self.activity = _words(record.get("kegiatan", ""))
        self.location = record.get("lokasi") or ""
        self.location_words = _words(self.location)
        self.shape = _shape_of(len(self.activity), len(self.location_words), bool(self.location))

    def similar_activity(self, other: _Entry) -> bool:
        if not self.activity:
            return not other.activity  # two empty activities count as equal
        common = len(self.activity.intersection(other.activity))
        union = len(self.activity) + len(other.activity) - common
        return common / union >= ACTIVITY_THRESHOLD

    def agreeing_location(self, other: _Entry) -> bool:
        here, there = self.location, other.location
        if not here or not there:
            return True
        return _overlap_with(self.location_words, other.location_words) >= LOCATION_THRESHOLD


class _Entry:
    """One indexed proposal under its ``key``: the record plus its words, computed once."""

    __slots__ = ("activity", "key", "location", "location_words", "order", "record", "shape")

    def __init__(self, record: dict[str, Any], order: Any, key: Any) -> None:
        self.record = record
        self.key = key
        self.order = order
        self.activity = _indexed_words(record.get("kegiatan", ""))
        self.location = record.get("lokasi") or ""
        self.location_words = _indexed_words(self.location)
        self.shape = _shape_of(len(self.activity), len(self.location_words), bool(self.location))

    def handed(self) -> dict[str, Any]:
        """The record as the index's answers give it."""
        return self.record


class _StoredEntry(_Entry):
    """An entry over a record held elsewhere and never changed in place (a forum's stored
    record, which has no ``id`` field): referenced, not copied, and handed out as a fresh
    dict with its id (answers are a few records; the index holds thousands)."""

    __slots__ = ()

    def handed(self) -> dict[str, Any]:
        return {**self.record, "id": self.key}


def _order(entry: _Entry) -> Any:
    return entry.order


class _Posting(list[_Entry]):
    """Entries in a list (8 bytes each, where a dict by key took ~45: at 100x the postings
    were half the index; one under a token holds two or more), kept in ``order`` (the order
    matches are reported in) so the first match can be found without walking the rest; a
    replaced entry goes to the end, which ``in_order`` repairs the next time the posting is
    walked. An entry is in a posting at most once (a key is discarded before it is indexed
    again)."""

    __slots__ = ("ordered",)

    def __init__(self, entries: Iterable[_Entry] = ()) -> None:
        super().__init__()
        self.ordered = True
        for entry in entries:
            self.put(entry)

    def put(self, entry: _Entry) -> None:
        if self.ordered and self and self[-1].order > entry.order:
            self.ordered = False
        self.append(entry)

    def drop(self, entry: _Entry) -> None:
        """Take ``entry`` out: found by bisection while in order, else by a scan."""
        if self.ordered:
            at = bisect_left(self, entry.order, key=_order)
            if at < len(self) and self[at] is entry:
                del self[at]
                return
        for at, held in enumerate(self):
            if held is entry:
                del self[at]
                return
        raise KeyError(entry.key)

    def in_order(self) -> _Posting:
        if not self.ordered:
            self.sort(key=_order)
            self.ordered = True
        return self


#: A posting: the entries under one token. One entry is held bare (no container of its own:
#: 71,000 of 82,000 pair postings at 100x name a single proposal), two or more in a _Posting.
Posting = _Entry | _Posting
Postings = dict[Any, Posting]


def _post(postings: Postings, token: Any, entry: _Entry) -> None:
    held = postings.get(token)
    if held is None:
        postings[token] = entry
    elif isinstance(held, _Posting):
        held.put(entry)
    else:
        postings[token] = _Posting((held, entry))


def _unpost(postings: Postings, token: Any, entry: _Entry) -> None:
    held = postings[token]
    if not isinstance(held, _Posting):
        del postings[token]
        return
    held.drop(entry)
    if len(held) == 1:  # back to bare (a _Posting always holds two or more)
        postings[token] = held[0]


def _size(held: Posting | None) -> int:
    """How many entries a posting holds (0: no posting)."""
    if held is None:
        return 0
    return len(held) if isinstance(held, _Posting) else 1


def _in_order(held: Posting) -> Iterable[_Entry]:
    """A posting's entries in ``order``."""
    return held.in_order() if isinstance(held, _Posting) else (held,)


def _walk_into(walked: set[_Entry], held: Posting) -> None:
    """Add a posting's entries to ``walked`` (an entry stands for its key: one per key)."""
    if isinstance(held, _Posting):
        walked.update(held)
    else:
        walked.add(held)


class _Shape:
    """The proposals of one desa with the same number of activity and location words.

    Besides word -> entries postings it keeps activity word -> location word -> entries
    when a proposal has at most ``PAIR_LIMIT`` such pairs: a check then walks only the
    entries that share a word of the activity AND of the location with it, which is what
    keeps it cheap when a desa repeats one kind of work ("paving ... tahap 2") in many RTs.
    """

    __slots__ = ("by_activity", "by_location", "by_pair", "entries", "paired", "shape")

    def __init__(self, shape: tuple[int, int | None]) -> None:
        activity, location = self.shape = shape
        self.entries = _Posting()
        self.by_activity: Postings = {}
        self.by_location: Postings = {}
        self.by_pair: dict[str, Postings] = {}
        self.paired = bool(activity and location) and activity * (location or 0) <= PAIR_LIMIT

    def add(self, entry: _Entry) -> None:
        self.entries.put(entry)
        for word in entry.activity:
            _post(self.by_activity, word, entry)
        for word in entry.location_words:
            _post(self.by_location, word, entry)
        if self.paired:
            for word in entry.activity:
                places = self.by_pair.get(word)
                if places is None:
                    places = self.by_pair[word] = {}
                for spot in entry.location_words:
                    _post(places, spot, entry)

    def remove(self, entry: _Entry) -> None:
        self.entries.drop(entry)
        for word in entry.activity:
            _unpost(self.by_activity, word, entry)
        for word in entry.location_words:
            _unpost(self.by_location, word, entry)
        if self.paired:
            for word in entry.activity:
                places = self.by_pair[word]
                for spot in entry.location_words:
                    _unpost(places, spot, entry)
                if not places:
                    del self.by_pair[word]

    def candidates(self, probe: _Probe) -> list[Posting]:
        """Postings holding every entry of this shape that can be a duplicate of ``probe``
        (a superset: each is checked in full after)."""
        activity, location = self.shape
        size, place = probe.shape
        location_free = place is None or location is None or place == location == 0
        if not location_free and not _can_reach(place, location, LOCATION_THRESHOLD):
            return []
        if not probe.activity:  # only wordless activities are left (see _Desa.shapes_for)
            if location_free:
                return [self.entries]
            places = _rarest(self.by_location, probe.location_words, place, location)
            return [self.by_location[word] for word in places if word in self.by_location]
        words = _rarest(self.by_activity, probe.activity, size, activity, ACTIVITY_THRESHOLD)
        if location_free or not self.paired:
            return [self.by_activity[word] for word in words if word in self.by_activity]
        places = _rarest(self.by_location, probe.location_words, place, location)
        found = []
        for word in words:
            spots = self.by_pair.get(word)
            if spots is not None:
                found += [spots[spot] for spot in places if spot in spots]
        return found


def _min_common(size: int, other: int, threshold: float) -> int:
    """Fewest shared words two sets of these sizes need for a Jaccard overlap >= threshold:
    c / (size + other - c) >= t  <=>  c >= t * (size + other) / (1 + t). Rounded down a
    hair, never up, so float error can only widen what is walked, never miss a match."""
    return max(1, math.ceil(threshold * (size + other) / (1 + threshold) - 1e-9))


def _can_reach(size: int, other: int, threshold: float) -> bool:
    """Whether sets of these sizes can overlap enough (empty ones only match empty ones)."""
    if not size or not other:
        return size == other
    return _min_common(size, other, threshold) <= min(size, other)


def _rarest(
    postings: Postings,
    words: frozenset[str],
    size: int,
    other: int,
    threshold: float = LOCATION_THRESHOLD,
) -> list[str]:
    """The rarest words of ``words`` such that any set of ``other`` words reaching the
    threshold with them must contain one: it shares at least ``_min_common`` of them, so it
    misses at most ``size - _min_common`` and cannot miss one more."""
    keep = size - _min_common(size, other, threshold) + 1
    return sorted(words, key=lambda word: _size(postings.get(word)))[:keep]


class _Desa:
    """The proposals of one desa, grouped by shape (activity words, location words)."""

    __slots__ = ("entries", "name", "shapes")

    def __init__(self, name: str) -> None:
        self.name = name  # its key in DuplicateIndex._by_desa (one string, not one per entry)
        self.entries: dict[Any, _Entry] = {}
        self.shapes: dict[int, dict[int | None, _Shape]] = {}

    def add(self, key: Any, entry: _Entry) -> None:
        self.entries[key] = entry
        activity, location = entry.shape
        row = self.shapes.setdefault(activity, {})
        group = row.get(location)
        if group is None:
            group = row[location] = _Shape(entry.shape)
        group.add(entry)

    def remove(self, key: Any) -> _Entry:
        entry = self.entries.pop(key)
        activity, location = entry.shape
        row = self.shapes[activity]
        row[location].remove(entry)
        if not row[location].entries:
            del row[location]
            if not row:
                del self.shapes[activity]
        return entry

    def shapes_for(self, probe: _Probe) -> Iterator[_Shape]:
        """Groups whose activity size can reach the threshold with the probe's."""
        size = probe.shape[0]
        for activity, row in self.shapes.items():
            if _can_reach(size, activity, ACTIVITY_THRESHOLD):
                yield from row.values()


class DuplicateIndex:
    """Proposals indexed for ``matches``: each check costs what shares words, not the forum.

    Records are keyed by ``id`` (records without one get a private key); adding a record
    whose id is already indexed replaces it, keeping its place. Matches come back in the
    order records were first added, as a scan of the same list would return them; with
    ``id_order`` in id order, as a scan of the forum's table would (whatever order later
    changes arrive in).
    """

    def __init__(self, records: Iterable[dict[str, Any]] = (), *, id_order: bool = False) -> None:
        self._by_desa: dict[str, _Desa] = {}
        self._where: dict[Any, _Desa] = {}
        self._order = 0
        self._id_order = id_order
        for record in records:
            self.add(record)

    def __len__(self) -> int:
        return len(self._where)

    def __iter__(self) -> Iterator[dict[str, Any]]:
        entries = chain.from_iterable(desa.entries.values() for desa in self._by_desa.values())
        return (entry.handed() for entry in sorted(entries, key=lambda entry: entry.order))

    def add(self, record: dict[str, Any]) -> None:
        """Index ``record`` (replacing an indexed record with the same ``id``); the index
        keeps it as given and hands it out as it is."""
        key = record.get("id")
        if key is None:
            key = ("anon", self._order)  # as before: orderable among themselves
        self._put(key, record, _Entry)

    def add_stored(self, rec_id: int, stored: dict[str, Any]) -> None:
        """Index a record stored elsewhere and never changed in place (a forum's stored
        record, which has no ``id`` field), replacing one with the same id. The index keeps
        a reference, not a copy (at 100x the copies were 18 MB), and hands it out as a
        fresh dict with ``id`` (sharing its lists: callers copy what they keep)."""
        self._put(rec_id, stored, _StoredEntry)

    def _put(self, key: Any, record: dict[str, Any], kind: type[_Entry]) -> None:
        old = self.discard(key)
        self._order += 1
        first_seen = self._order if old is None else old.order
        entry = kind(record, key if self._id_order else first_seen, key)
        desa_key = _desa_key(record)
        desa = self._by_desa.get(desa_key)
        if desa is None:
            desa = self._by_desa[desa_key] = _Desa(desa_key)
        desa.add(key, entry)
        self._where[key] = desa

    def discard(self, rec_id: Any) -> _Entry | None:
        """Forget the record with this id (no-op when it is not indexed); returns its entry."""
        desa = self._where.pop(rec_id, None)
        if desa is None:
            return None
        entry = desa.remove(rec_id)
        if not desa.entries:
            del self._by_desa[desa.name]
        return entry

    def matches(self, candidate: dict[str, Any]) -> list[dict[str, Any]]:
        """Indexed records ``candidate`` probably repeats (never itself, when it has an ``id``)."""
        desa = self._by_desa.get(_desa_key(candidate))
        if desa is None:
            return []
        probe = _Probe(candidate)
        own_id = candidate.get("id")
        walked: set[_Entry] = set()
        for group in desa.shapes_for(probe):
            for posting in group.candidates(probe):
                _walk_into(walked, posting)
        found = [entry for entry in walked if _repeats(probe, own_id, entry)]
        found.sort(key=lambda entry: entry.order)
        return [entry.handed() for entry in found]

    def first_match(self, candidate: dict[str, Any]) -> dict[str, Any] | None:
        """``matches(candidate)[0]`` (None when there is none), without walking past it:
        each posting is walked in order only up to its first match, so a file that repeats
        one row thousands of times costs a few steps a row, not a walk of all before it."""
        desa = self._by_desa.get(_desa_key(candidate))
        if desa is None:
            return None
        probe = _Probe(candidate)
        own_id = candidate.get("id")
        best: _Entry | None = None
        for group in desa.shapes_for(probe):
            for posting in group.candidates(probe):
                for entry in _in_order(posting):
                    if best is not None and entry.order >= best.order:
                        break
                    if _repeats(probe, own_id, entry):
                        best = entry
                        break
        return None if best is None else best.handed()


def _repeats(probe: _Probe, own_id: Any, entry: _Entry) -> bool:
    """The rule of ``is_likely_duplicate`` on indexed words (the desa already agrees)."""
    return (
        (own_id is None or entry.key != own_id)
        and probe.similar_activity(entry)
        and probe.agreeing_location(entry)
    )


def likely_duplicates(
    candidate: dict[str, Any], existing: Iterable[dict[str, Any]] | DuplicateIndex
) -> list[dict[str, Any]]:
    """Existing proposals the candidate probably repeats (excluding itself by id).

    Pass a ``DuplicateIndex`` when checking many candidates against the same proposals.
    """
    index = existing if isinstance(existing, DuplicateIndex) else DuplicateIndex(existing)
    return index.matches(candidate)
