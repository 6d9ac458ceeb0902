"""Everyone registered, indexed for the check-in desk and kept current person by person.

A change costs the people it touched, not the list: the search text, the running attendance
tally and the door order (who just came in first, then everyone else by name) are all
updated for that one person. ``door_order`` is the door order's rule over a whole list, so
the running one can be checked against it.
"""

from __future__ import annotations

from bisect import bisect_left, insort
from collections.abc import Callable, Iterable
from heapq import nsmallest
from itertools import islice
from operator import itemgetter
from typing import Any

from store.attendance_counts import AttendanceTally, is_present


def door_order(people: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """With nothing typed: the latest check-ins first, then everyone else by name (ties in
    ``id`` order)."""
    present = sorted(
        (p for p in people if is_present(p)),
        key=lambda p: (p["hadir_pukul"], -p["id"]),
        reverse=True,
    )
    others = sorted(
        (p for p in people if not is_present(p)), key=lambda p: (p["nama"].lower(), p["id"])
    )
    return present + others


class PeopleIndex:
    """Everyone registered with their search text, tally and place in the door order.

    A keypress costs one substring test per person. The rule: every typed word appears
    in name, lembaga, desa, jabatan or unsur; names that start with the first word come
    first, then alphabetical, so "sit" puts the Sitis at the top.

    Memory (12,000 people at 100x: 12.9 MB before): the forum's live index
    (``of_stored``) keeps a reference to each stored record, not a copy, and hands out
    fresh dicts with ``id``; the door order keeps ids ordered by a key read from the
    indexed person (no tuple per person).
    """

    def __init__(self, people: Iterable[dict[str, Any]] = ()) -> None:
        # id -> (search text, lowered name, id, record): the name kept as a string (1.4 MB at
        # 100x) because slicing it from the text made a keypress a third slower
        self._keys: dict[Any, tuple[str, str, Any, dict[str, Any]]] = {}
        self._stored = False  # records are the forum's stored ones (no ``id``): hand copies
        self.tally = AttendanceTally()
        self._came: list[Any] = []  # ids of who is in the room, by (hadir_pukul, -id)
        self._others: list[Any] = []  # ids of everyone else, by (name, id)
        for person in people:
            self.put(person)

    @classmethod
    def of_stored(cls, people: Iterable[tuple[int, dict[str, Any]]]) -> PeopleIndex:
        """The index of a forum's stored records ``(id, record)``, which are never changed
        in place: kept by reference and handed out as fresh dicts with their ``id``."""
        index = cls()
        index._stored = True
        for rec_id, person in people:
            index._put(rec_id, person)
        return index

    def __len__(self) -> int:
        return len(self._keys)

    @property
    def people(self) -> list[dict[str, Any]]:
        """Everyone, in the order they were first indexed (the table's id order)."""
        return [self._handed(key, person) for _, _, key, person in self._keys.values()]

    def put(self, person: dict[str, Any]) -> None:
        """Index a new person, or re-index one whose record changed (same ``id``, same
        place in the search's tie order)."""
        if self._stored:
            raise TypeError("an index of stored records takes put_stored")
        self._put(person.get("id", id(person)), person)

    def put_stored(self, rec_id: int, person: dict[str, Any]) -> None:
        """``put`` for an index made by ``of_stored``: the stored record of ``rec_id``."""
        if not self._stored:
            raise TypeError("put_stored is for an index made by of_stored")
        self._put(rec_id, person)

    def _put(self, key: Any, person: dict[str, Any]) -> None:
        if key in self._keys:
            self._uncount(key)
        haystack = " ".join(
            str(person.get(k) or "") for k in ("nama", "lembaga", "desa", "jabatan", "unsur")
        ).lower()
        self._keys[key] = (haystack, person["nama"].lower(), key, person)
        self.tally.add(person)
        places, order = self._door_place(person)
        insort(places, key, key=order)

    def discard(self, rec_id: Any) -> None:
        if rec_id in self._keys:
            self._uncount(rec_id)
            del self._keys[rec_id]

    def _uncount(self, key: Any) -> None:
        """Take an indexed person out of the tally and the door order (while still in
        ``_keys``: the order's key reads the indexed record)."""
        person = self._keys[key][3]
        self.tally.remove(person)
        places, order = self._door_place(person)
        del places[bisect_left(places, order(key), key=order)]

    def _door_place(self, person: dict[str, Any]) -> tuple[list[Any], Callable[[Any], tuple]]:
        if is_present(person):
            return self._came, self._came_order
        return self._others, self._name_order

    def _came_order(self, key: Any) -> tuple[str, Any]:
        return self._keys[key][3]["hadir_pukul"], -key

    def _name_order(self, key: Any) -> tuple[str, Any]:
        return self._keys[key][1], key

    def _handed(self, key: Any, person: dict[str, Any]) -> dict[str, Any]:
        return {**person, "id": key} if self._stored else person

    def door(self, limit: int) -> list[dict[str, Any]]:
        """The first ``limit`` of ``door_order`` over everyone indexed."""
        keys = [*islice(reversed(self._came), limit)]
        keys += islice(self._others, limit - len(keys))
        return [self._handed(key, self._keys[key][3]) for key in keys]

    def search(self, text: str, limit: int | None = None) -> list[dict[str, Any]]:
        words = text.lower().split()
        first = words[0] if words else ""
        rest = words[1:]
        # entries are read by index, not unpacked: unpacking touches the ids and stored
        # records (cold memory, away from the texts) for every person, a keypress 50% slower
        found = [
            (not (name := entry[1]).startswith(first), name, entry[2])
            for entry in self._keys.values()
            if first in (haystack := entry[0]) and all(word in haystack for word in rest)
        ]
        order = itemgetter(0, 1)
        if limit is not None and limit < len(found):  # only the best few are shown
            found = nsmallest(limit, found, key=order)
        else:
            found.sort(key=order)
        return [self._handed(key, self._keys[key][3]) for _, _, key in found]
