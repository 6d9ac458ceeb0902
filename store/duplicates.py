"""Likely duplicate proposals: same desa, similar activity, similar location.

A duplicate is never dropped or refused (a real forum often repeats a proposal on
purpose); it is flagged so the room can decide. Similarity is word overlap after removing
words every proposal shares ("desa", "dusun", "rt"...), which catches reordered or
slightly reworded entries without flagging different RTs of the same road programme.

Checking a candidate against every proposal made imports and intake quadratic (15 desa x 300
proposals: seconds). ``DuplicateIndex`` keeps each proposal's words once, grouped by desa,
with an inverted index from word to proposals: a check counts shared words only over the
proposals of the same desa that share a word, and computes the exact Jaccard overlap from
those counts, so its answers are those of ``is_likely_duplicate`` at a fraction of the cost.
"""

from __future__ import annotations

import math
import re
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


def _words(text: str) -> frozenset[str]:
    return frozenset(w for w in _WORD.findall((text or "").lower()) if w not in _COMMON)


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


class _Entry:
    """One indexed proposal: the record plus its words, computed once."""

    __slots__ = ("activity", "location", "location_words", "order", "record")

    def __init__(self, record: dict[str, Any], order: int) -> None:
        self.record = record
        self.order = order
        self.activity = _words(record.get("kegiatan", ""))
        self.location = record.get("lokasi") or ""
        self.location_words = _words(self.location)


class _Desa:
    """The proposals of one desa, with word -> entries postings."""

    __slots__ = ("entries", "postings", "wordless")

    def __init__(self) -> None:
        self.entries: dict[Any, _Entry] = {}
        self.postings: dict[str, dict[Any, _Entry]] = {}
        self.wordless: dict[Any, _Entry] = {}  # activity without meaningful words


class DuplicateIndex:
    """Proposals indexed for ``matches``: each check costs what shares a word, not the forum.

    Records are keyed by ``id`` (records without one get a private key); adding a record
    whose id is already indexed replaces it, keeping its place. Matches come back in the
    order records were first added, as a scan of the same list would return them; with
    ``id_order`` in id order, as a scan of the forum's table would (whatever order later
    changes arrive in).
    """

    def __init__(self, records: Iterable[dict[str, Any]] = (), *, id_order: bool = False) -> None:
        self._by_desa: dict[str, _Desa] = {}
        self._where: dict[Any, str] = {}
        self._order = 0
        self._id_order = id_order
        for record in records:
            self.add(record)

    def __len__(self) -> int:
        return len(self._where)

    def __iter__(self) -> Iterator[dict[str, Any]]:
        entries = chain.from_iterable(desa.entries.values() for desa in self._by_desa.values())
        return (entry.record for entry in sorted(entries, key=lambda entry: entry.order))

    def add(self, record: dict[str, Any]) -> None:
        """Index ``record`` (replacing an indexed record with the same ``id``)."""
        key = record.get("id")
        if key is None:
            key = ("anon", self._order)
        old = self.discard(key)
        self._order += 1
        first_seen = self._order if old is None else old.order
        entry = _Entry(record, key if self._id_order else first_seen)
        desa_key = _desa_key(record)
        desa = self._by_desa.get(desa_key)
        if desa is None:
            desa = self._by_desa[desa_key] = _Desa()
        desa.entries[key] = entry
        self._where[key] = desa_key
        if not entry.activity:
            desa.wordless[key] = entry
        for word in entry.activity:
            desa.postings.setdefault(word, {})[key] = entry

    def discard(self, rec_id: Any) -> _Entry | None:
        """Forget the record with this id (no-op when it is not indexed); returns its entry."""
        desa_key = self._where.pop(rec_id, None)
        if desa_key is None:
            return None
        desa = self._by_desa[desa_key]
        entry = desa.entries.pop(rec_id)
        desa.wordless.pop(rec_id, None)
        for word in entry.activity:
            posting = desa.postings[word]
            del posting[rec_id]
            if not posting:
                del desa.postings[word]
        return entry

    def matches(self, candidate: dict[str, Any]) -> list[dict[str, Any]]:
        """Indexed records ``candidate`` probably repeats (never itself, when it has an ``id``)."""
        desa = self._by_desa.get(_desa_key(candidate))
        if desa is None:
            return []
        probe = _Entry(candidate, 0)
        own_id = candidate.get("id")
        if probe.activity:
            size = len(probe.activity)
            similar = []
            for key in _candidates(desa, probe.activity):
                entry = desa.entries[key]
                common = len(probe.activity & entry.activity)
                if common / (size + len(entry.activity) - common) >= ACTIVITY_THRESHOLD:
                    similar.append(entry)
        else:
            similar = list(desa.wordless.values())  # two empty activities count as equal
        found = [
            entry
            for entry in similar
            if (own_id is None or entry.record.get("id") != own_id)
            and _locations_agree(
                probe.location, entry.location, probe.location_words, entry.location_words
            )
        ]
        found.sort(key=lambda entry: entry.order)
        return [entry.record for entry in found]


def _candidates(desa: _Desa, words: frozenset[str]) -> set[Any]:
    """Keys of the entries that can reach the activity threshold with ``words``.

    An entry y with Jaccard(x, y) >= t shares at least ceil(t * |x|) words with x (the
    union is at least |x| long), so it shares at least one word with x even after the
    ceil(t * |x|) - 1 words with the LONGEST postings are left out: only the rarer words'
    postings are walked. Words every proposal of a desa repeats ("paving", "tahap") then
    cost nothing, and the answer stays exact (each candidate is checked in full after)."""
    needed = math.ceil(ACTIVITY_THRESHOLD * len(words) - 1e-9)
    postings = sorted((desa.postings.get(word) or {} for word in words), key=len)
    walked = postings[: len(postings) - max(needed - 1, 0)]
    return set().union(*(posting.keys() for posting in walked))


def likely_duplicates(
    candidate: dict[str, Any], existing: Iterable[dict[str, Any]] | DuplicateIndex
) -> list[dict[str, Any]]:
    """Existing proposals the candidate probably repeats (excluding itself by id).

    Pass a ``DuplicateIndex`` when checking many candidates against the same proposals.
    """
    index = existing if isinstance(existing, DuplicateIndex) else DuplicateIndex(existing)
    return index.matches(candidate)
