"""The attendance counters (present, per unsur, per desa, women's share, delegates, quorum).

One rule for the app, the display and the documents: ``AttendanceTally`` counts people one
at a time, and can take one back, so the check-in desk keeps a running tally (a check-in
costs one person, not the list) while ``summarize_attendance`` counts a whole list with the
same code. Dict orders are canonical (most first, then by name) so a running tally and a
fresh count are equal, not just alike.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class AttendanceSummary:
    """The live counters of the attendance screen and the BA's participant counts."""

    terdaftar: int
    hadir: int
    laki: int
    perempuan: int
    perempuan_persen: float
    target_perempuan: float
    per_unsur: dict[str, int] = field(default_factory=dict)
    per_desa: dict[str, int] = field(default_factory=dict)
    delegasi_hadir: int = 0
    delegasi_total: int = 0
    delegasi_per_desa: dict[str, int] = field(default_factory=dict)
    delegasi_terdaftar_per_desa: dict[str, int] = field(default_factory=dict)
    disabilitas: int = 0
    kuorum_tercapai: bool | None = None
    kuorum_keterangan: str = ""

    @property
    def target_perempuan_tercapai(self) -> bool:
        return self.hadir == 0 or self.perempuan_persen >= self.target_perempuan


def is_present(participant: dict[str, Any]) -> bool:
    """Checked in and not checked out."""
    return bool(participant.get("hadir_pukul")) and not participant.get("pulang_pukul")


def attended(participant: dict[str, Any]) -> bool:
    """Checked in at some point (counts for the BA even after leaving early)."""
    return bool(participant.get("hadir_pukul"))


def quorum_status(
    present: int, delegates_present: int, delegates_total: int, rule: dict[str, Any] | None
) -> tuple[bool | None, str]:
    """No national quorum rule exists, so the forum configures one (or none)."""
    rule = rule or {"aturan": "tidak_ada"}
    kind, value = rule.get("aturan", "tidak_ada"), float(rule.get("nilai") or 0)
    if kind == "persen_delegasi":
        if delegates_total == 0:
            return False, "belum ada delegasi terdaftar"
        share = delegates_present / delegates_total
        return share * 100 >= value, f"delegasi hadir {share:.0%}, syarat {value:.0f}%"
    if kind == "minimal_hadir":
        return present >= value, f"hadir {present}, syarat minimal {value:.0f}"
    return None, "tanpa syarat kuorum"


class _Came:
    """Counts over one notion of "came" (attended, or still in the room)."""

    def __init__(self) -> None:
        self.count = 0
        self.women = 0
        self.men = 0
        self.disabled = 0
        self.delegates = 0
        self.per_unsur: Counter[str] = Counter()
        self.per_desa: Counter[str] = Counter()
        self.delegates_per_desa: Counter[str] = Counter()

    def count_in(self, person: dict[str, Any], sign: int) -> None:
        self.count += sign
        gender = person.get("jenis_kelamin")
        self.women += sign * (gender == "P")
        self.men += sign * (gender == "L")  # no gender: neither
        self.disabled += sign * bool(person.get("disabilitas"))
        desa = person.get("desa") or "-"
        _bump(self.per_unsur, person.get("unsur") or "Lainnya", sign)
        _bump(self.per_desa, desa, sign)
        if person.get("delegasi"):
            self.delegates += sign
            _bump(self.delegates_per_desa, desa, sign)


class AttendanceTally:
    """Running counts over a set of participants: ``add`` one, ``remove`` the same record
    to take it back (a changed record: remove the old, add the new)."""

    def __init__(self, people: list[dict[str, Any]] | None = None) -> None:
        self.registered = 0
        self.delegates = 0
        self.went_home = 0  # checked in, then checked out
        self.delegates_per_desa: Counter[str] = Counter()
        self.attended = _Came()
        self.in_room = _Came()
        for person in people or ():
            self.add(person)

    def add(self, person: dict[str, Any]) -> None:
        self._count(person, 1)

    def remove(self, person: dict[str, Any]) -> None:
        self._count(person, -1)

    def _count(self, person: dict[str, Any], sign: int) -> None:
        self.registered += sign
        if person.get("delegasi"):
            self.delegates += sign
            _bump(self.delegates_per_desa, person.get("desa") or "-", sign)
        if attended(person):
            self.attended.count_in(person, sign)
            if is_present(person):
                self.in_room.count_in(person, sign)
            else:
                self.went_home += sign

    def summary(
        self,
        *,
        target_perempuan: float = 0.30,
        kuorum: dict[str, Any] | None = None,
        in_room: bool = False,
    ) -> AttendanceSummary:
        """The counters over everyone who checked in, or with ``in_room`` over those still
        in the room; quorum per ``kuorum`` (the forum's rule)."""
        came = self.in_room if in_room else self.attended
        reached, explanation = quorum_status(came.count, came.delegates, self.delegates, kuorum)
        return AttendanceSummary(
            terdaftar=self.registered,
            hadir=came.count,
            laki=came.men,
            perempuan=came.women,
            perempuan_persen=(came.women / came.count) if came.count else 0.0,
            target_perempuan=target_perempuan,
            per_unsur=_most_first(came.per_unsur),
            per_desa=_most_first(came.per_desa),
            delegasi_hadir=came.delegates,
            delegasi_total=self.delegates,
            delegasi_per_desa=_most_first(came.delegates_per_desa),
            delegasi_terdaftar_per_desa=dict(sorted(self.delegates_per_desa.items())),
            disabilitas=came.disabled,
            kuorum_tercapai=reached,
            kuorum_keterangan=explanation,
        )


def summarize_attendance(
    participants: list[dict[str, Any]],
    *,
    target_perempuan: float = 0.30,
    kuorum: dict[str, Any] | None = None,
    in_room: bool = False,
) -> AttendanceSummary:
    """Counts over everyone who checked in (the BA), or with ``in_room`` over those still in
    the room (the live counters: who left early no longer counts); quorum per the forum's
    configured rule."""
    return AttendanceTally(participants).summary(
        target_perempuan=target_perempuan, kuorum=kuorum, in_room=in_room
    )


def _bump(counter: Counter[str], key: str, sign: int) -> None:
    """Add ``sign`` to ``key``, dropping it at zero (a fresh count has no zero entries)."""
    value = counter[key] + sign
    if value:
        counter[key] = value
    else:
        del counter[key]


def _most_first(counter: Counter[str]) -> dict[str, int]:
    return dict(sorted(counter.items(), key=lambda item: (-item[1], item[0])))
