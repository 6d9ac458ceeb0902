"""Who in a participant file is already registered: by NIK, or probably by name and desa.

A desa secretary sends the list again after adding two names, or the note-taker imports the
same file twice: every person must stay one record, or the attendance counts, the women's
share and the quorum in the Berita Acara are wrong. A NIK identifies a person, so a row
whose NIK is already in the forum (or in an earlier row of the same import) is the same
person: not added, named in the report. Without a NIK on either side the same name in the
same desa is only probably the same person: added, and flagged for the note-taker.

Lookups are dictionary hits (near-linear in file plus forum size), built once from the
forum's live people index (``Participants.index().people``).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from store.shown_text import MESSAGE, shown

ALREADY = "sudah terdaftar"
LIKELY = "kemungkinan duplikat"


def _name_key(person: Mapping[str, Any]) -> tuple[str, str]:
    """Name and desa folded (case, runs of spaces), the key of a person without a NIK."""
    name = " ".join(str(person.get("nama") or "").split()).casefold()
    desa = " ".join(str(person.get("desa") or "").split()).casefold()
    return name, desa


@dataclass
class PeopleRegistry:
    """Everyone registered or accepted so far in this import, by NIK and by name+desa.

    ``where`` of a person is how a report names them: ``"#12"`` for a saved record,
    ``"baris 5"`` for an earlier row of the file being imported."""

    by_nik: dict[str, str] = field(default_factory=dict)
    by_name: dict[tuple[str, str], list[tuple[str, bool]]] = field(default_factory=dict)

    @classmethod
    def of(cls, people: Iterable[Mapping[str, Any]]) -> PeopleRegistry:
        """The registry of saved participants (each with its ``id``)."""
        registry = cls()
        for person in people:
            registry.note(person, f"#{person.get('id')}")
        return registry

    def note(self, person: Mapping[str, Any], where: str) -> None:
        """Count ``person`` as registered from now on."""
        nik = str(person.get("nik") or "")
        if nik:
            self.by_nik.setdefault(nik, where)
        self.by_name.setdefault(_name_key(person), []).append((where, bool(nik)))

    def same_person(self, person: Mapping[str, Any]) -> str | None:
        """Where the person with this NIK is registered, or None."""
        nik = str(person.get("nik") or "")
        return self.by_nik.get(nik) if nik else None

    def probably_same(self, person: Mapping[str, Any]) -> str | None:
        """Where someone of the same name and desa is registered when a NIK is missing on
        either side (two different NIKs are two people), or None."""
        has_nik = bool(person.get("nik"))
        for where, other_has_nik in self.by_name.get(_name_key(person), ()):
            if not (has_nik and other_has_nik):
                return where
        return None


@dataclass
class SortedPeople:
    """The rows to add (``rows[i]`` is the Excel row of ``records[i]``), the rows not added
    because the person is registered, and the likely duplicates (added, flagged)."""

    records: list[dict[str, Any]] = field(default_factory=list)
    rows: list[int] = field(default_factory=list)
    already: list[str] = field(default_factory=list)
    likely: list[str] = field(default_factory=list)
    #: Excel row -> where the likely duplicate is ("#12", "baris 5")
    likely_of: dict[int, str] = field(default_factory=dict)


def _who(record: Mapping[str, Any]) -> str:
    return shown(str(record.get("nama") or ""), MESSAGE)


def sort_people(
    records: Sequence[dict[str, Any]], rows: Sequence[int], registry: PeopleRegistry
) -> SortedPeople:
    """Split validated participant ``records`` into new people and people already there.

    ``registry`` is updated with every person kept, so a second file of the same import
    is checked against the first. Messages: ``"baris 7: Siti sudah terdaftar: baris 3
    (NIK sama), tidak ditambahkan"``, ``"baris 9: Budi kemungkinan duplikat #4 (nama dan
    desa sama, tanpa NIK), tetap ditambahkan"``."""
    result = SortedPeople()
    for record, row in zip(records, rows, strict=True):
        if where := registry.same_person(record):
            result.already.append(
                f"baris {row}: {_who(record)} {ALREADY}: {where} (NIK sama), tidak ditambahkan"
            )
            continue
        if where := registry.probably_same(record):
            result.likely.append(
                f"baris {row}: {_who(record)} {LIKELY} {where} (nama dan desa sama, "
                "tanpa NIK), tetap ditambahkan"
            )
            result.likely_of[row] = where
        registry.note(record, f"baris {row}")
        result.records.append(record)
        result.rows.append(row)
    return result
