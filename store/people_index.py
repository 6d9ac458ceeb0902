"""Everyone registered, indexed for the check-in desk and kept current person by person.

A change costs the people it touched, not the list: the search text, the running attendance
tally and the door order (who just came in first, then everyone else by name) are all
updated for that one person. ``door_order`` is the door order's rule over a whole list, so
the running one can be checked against it.
"""

from __future__ import annotations

from bisect import bisect_left, insort
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
    """

    def __init__(self, people: list[dict[str, Any]]) -> None:
        self._keys: dict[Any, tuple[str, str, dict[str, Any]]] = {}
        self.tally = AttendanceTally()
        self._came: list[tuple[str, int]] = []  # (hadir_pukul, -id) of who is in the room
        self._others: list[tuple[str, Any]] = []  # (name, id) of everyone else
        for person in people:
            self.put(person)

    def __len__(self) -> int:
        return len(self._keys)

    @property
    def people(self) -> list[dict[str, Any]]:
        """Everyone, in the order they were first indexed (the table's id order)."""
        return [person for _, _, person in self._keys.values()]

    def put(self, person: dict[str, Any]) -> None:
        """Index a new person, or re-index one whose record changed (same ``id``, same
        place in the search's tie order)."""
        key = person.get("id", id(person))
        if key in self._keys:
            self._uncount(key, self._keys[key])
        haystack = " ".join(
            str(person.get(k) or "") for k in ("nama", "lembaga", "desa", "jabatan", "unsur")
        ).lower()
        name = person["nama"].lower()
        self._keys[key] = (haystack, name, person)
        self.tally.add(person)
        insort(*self._door_place(key, name, person))

    def discard(self, rec_id: Any) -> None:
        entry = self._keys.pop(rec_id, None)
        if entry is not None:
            self._uncount(rec_id, entry)

    def _uncount(self, key: Any, entry: tuple[str, str, dict[str, Any]]) -> None:
        """Take an indexed person out of the tally and the door order."""
        _, name, person = entry
        self.tally.remove(person)
        places, item = self._door_place(key, name, person)
        del places[bisect_left(places, item)]

    def _door_place(self, key: Any, name: str, person: dict[str, Any]) -> tuple[list, tuple]:
        if is_present(person):
            return self._came, (person["hadir_pukul"], -key)
        return self._others, (name, key)

    def door(self, limit: int) -> list[dict[str, Any]]:
        """The first ``limit`` of ``door_order`` over everyone indexed."""
        latest = [self._keys[-neg][2] for _, neg in islice(reversed(self._came), limit)]
        rest = [self._keys[key][2] for _, key in islice(self._others, limit - len(latest))]
        return latest + rest

    def search(self, text: str, limit: int | None = None) -> list[dict[str, Any]]:
        words = text.lower().split()
        first = words[0] if words else ""
        rest = words[1:]
        found = [
            (not name.startswith(first), name, person)
            for haystack, name, person in self._keys.values()
            if first in haystack and all(word in haystack for word in rest)
        ]
        order = itemgetter(0, 1)
        if limit is not None and limit < len(found):  # only the best few are shown
            return [person for _, _, person in nsmallest(limit, found, key=order)]
        found.sort(key=order)
        return [person for _, _, person in found]
