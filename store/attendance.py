"""Who came: participants, check-in and check-out, the counts the BA needs, the utusan.

The counts (present, per unsur, per desa, women's share, delegates, quorum) are a pure
function of the participant records so the app, the display and the documents agree.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from store.record_area import RecordArea
from store.validation import ValidationError, clean_text, validate_participant

if TYPE_CHECKING:
    from store.forum import Forum

#: Utusan the forum mandates: 3 to the Musrenbang Kabupaten (DOMAIN.md section 3); a desa
#: sends at least one to the Musrenbang Kecamatan (no fixed number there). Readiness reads it.
UTUSAN_REQUIRED = {"kecamatan": 3, "desa": 1}
UTUSAN_TO = {"kecamatan": "Musrenbang Kabupaten", "desa": "Musrenbang Kecamatan"}


def utusan_to(level: str | None) -> str:
    """Where a forum of ``level`` ("desa" / "kecamatan") sends its utusan: the next forum up."""
    return UTUSAN_TO.get(level or "kecamatan", "forum berikutnya")


PARTICIPANT_FIELDS = (
    "nama",
    "jenis_kelamin",
    "lembaga",
    "unsur",
    "desa",
    "jabatan",
    "delegasi",
    "hak_suara",
    "disabilitas",
    "telepon",
    "nik",
)


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
    counted = is_present if in_room else attended
    came = [p for p in participants if counted(p)]
    women = sum(1 for p in came if p.get("jenis_kelamin") == "P")
    men = sum(1 for p in came if p.get("jenis_kelamin") == "L")  # no gender: neither
    delegates = [p for p in participants if p.get("delegasi")]
    delegates_came = [p for p in delegates if counted(p)]
    reached, explanation = quorum_status(len(came), len(delegates_came), len(delegates), kuorum)
    return AttendanceSummary(
        terdaftar=len(participants),
        hadir=len(came),
        laki=men,
        perempuan=women,
        perempuan_persen=(women / len(came)) if came else 0.0,
        target_perempuan=target_perempuan,
        per_unsur=dict(Counter(p.get("unsur") or "Lainnya" for p in came).most_common()),
        per_desa=dict(Counter(p.get("desa") or "-" for p in came).most_common()),
        delegasi_hadir=len(delegates_came),
        delegasi_total=len(delegates),
        delegasi_per_desa=dict(Counter(p.get("desa") or "-" for p in delegates_came).most_common()),
        delegasi_terdaftar_per_desa=dict(Counter(p.get("desa") or "-" for p in delegates)),
        disabilitas=sum(1 for p in came if p.get("disabilitas")),
        kuorum_tercapai=reached,
        kuorum_keterangan=explanation,
    )


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


class Participants(RecordArea):
    """Participant records and the check-in desk."""

    table = "participants"

    def __init__(self, forum: Forum) -> None:
        super().__init__(forum)
        self._index: PeopleIndex | None = None
        self._stamp = 0  # the table version the index reflects

    def add(self, **fields: Any) -> tuple[int, list[str]]:
        """Register someone (pre-registered or a walk-in); returns id and NIK warnings."""
        record, warnings = validate_participant(
            _as_import_values(fields), wilayah_kode=self._forum.meta["wilayah_kode"]
        )
        if fields.get("hadir"):
            record["hadir_pukul"] = self._forum.clock().isoformat()
        return self.add_validated(record), warnings

    def add_validated(self, record: dict[str, Any]) -> int:
        """Save an already validated participant (imports validate a whole file first)."""
        record = {"hadir_pukul": None, "pulang_pukul": None, **record}
        return self._forum._insert(self.table, record)

    def update(self, rec_id: int, **changes: Any) -> tuple[dict[str, Any], list[str]]:
        """Edit registration fields, re-validating the whole record."""
        current = self.get(rec_id)
        merged = {key: current.get(key) for key in PARTICIPANT_FIELDS}
        merged["unsur"] = current.get("unsur_asal") or current.get("unsur")
        merged.update(changes)
        record, warnings = validate_participant(
            _as_import_values(merged), wilayah_kode=self._forum.meta["wilayah_kode"]
        )
        return self._forum._update(self.table, rec_id, record), warnings

    def check_in(self, rec_id: int) -> None:
        """Mark present now; checking in someone already present changes nothing."""
        person = self.get(rec_id)
        if is_present(person):
            return
        self._forum._update(
            self.table,
            rec_id,
            {"hadir_pukul": self._forum.clock().isoformat(), "pulang_pukul": None},
        )

    def undo_check_in(self, rec_id: int) -> None:
        """A mistaken check-in: back to not present (the audit log keeps the trace)."""
        self._forum._update(self.table, rec_id, {"hadir_pukul": None, "pulang_pukul": None})

    def undo_check_out(self, rec_id: int) -> None:
        """A mistaken check-out: back in the room, the arrival time kept."""
        self._forum._update(self.table, rec_id, {"pulang_pukul": None})

    def check_out(self, rec_id: int) -> None:
        person = self.get(rec_id)
        if not person.get("hadir_pukul"):
            raise ValidationError("pulang_pukul", f"{person['nama']} belum tercatat hadir.")
        self._forum._update(self.table, rec_id, {"pulang_pukul": self._forum.clock().isoformat()})

    def search(self, text: str, limit: int | None = None) -> list[dict[str, Any]]:
        """Type-ahead over everyone registered (see ``PeopleIndex``)."""
        return [dict(person) for person in self.index().search(text, limit)]

    def index(self) -> PeopleIndex:
        """Everyone registered, indexed for search and kept current: after a change only
        the people it touched are read again (a check-in costs one record, not the list).
        Treat the records it holds as read-only."""
        db = self._forum._db
        changed = None if self._index is None else db.changed_since(self.table, self._stamp)
        self._stamp = db.table_version(self.table)
        if changed is None:
            self._index = PeopleIndex(self.all())
            return self._index
        if len(changed) > len(self._index.people) // 4:  # an import: reading all is cheaper
            self._index = PeopleIndex(self.all())
            return self._index
        for rec_id in sorted(changed):
            try:
                self._index.put(self.get(rec_id))
            except ValidationError:
                self._index.discard(rec_id)
        return self._index

    def summary(
        self, people: list[dict[str, Any]] | None = None, *, in_room: bool = False
    ) -> AttendanceSummary:
        """The counters under this forum's rules; ``people`` saves a read when the caller
        already holds the current list; ``in_room``: only who has not checked out."""
        meta = self._forum.meta
        return summarize_attendance(
            self.index().people if people is None else people,
            target_perempuan=meta.get("target_perempuan", 0.30),
            kuorum=meta.get("kuorum"),
            in_room=in_room,
        )

    def voters_present(self) -> list[dict[str, Any]]:
        """Delegates with a voting right who are in the room: the only valid ballot casters."""
        return [
            dict(p)
            for p in self.index().people
            if p.get("delegasi") and p.get("hak_suara") and is_present(p)
        ]


class PeopleIndex:
    """Everyone registered with their search text, kept current person by person.

    A keypress then costs one substring test per person. The rule: every typed word appears
    in name, lembaga, desa, jabatan or unsur; names that start with the first word come
    first, then alphabetical, so "sit" puts the Sitis at the top.
    """

    def __init__(self, people: list[dict[str, Any]]) -> None:
        self._keys: dict[Any, tuple[str, str, dict[str, Any]]] = {}
        for person in people:
            self.put(person)

    @property
    def people(self) -> list[dict[str, Any]]:
        """Everyone, in the order they were first indexed (the table's id order)."""
        return [person for _, _, person in self._keys.values()]

    def put(self, person: dict[str, Any]) -> None:
        """Index a new person, or re-index one whose record changed (same ``id``)."""
        haystack = " ".join(
            str(person.get(k) or "") for k in ("nama", "lembaga", "desa", "jabatan", "unsur")
        ).lower()
        self._keys[person.get("id", id(person))] = (haystack, person["nama"].lower(), person)

    def discard(self, rec_id: Any) -> None:
        self._keys.pop(rec_id, None)

    def search(self, text: str, limit: int | None = None) -> list[dict[str, Any]]:
        words = text.lower().split()
        first = words[0] if words else ""
        found = [
            (not name.startswith(first), name, person)
            for haystack, name, person in self._keys.values()
            if all(word in haystack for word in words)
        ]
        found.sort(key=lambda item: (item[0], item[1]))
        return [person for _, _, person in found[:limit]]


def _as_import_values(fields: dict[str, Any]) -> dict[str, Any]:
    """The UI passes booleans and None; the validator speaks the import columns' strings."""
    values: dict[str, Any] = {}
    for key in PARTICIPANT_FIELDS:
        value = fields.get(key)
        if isinstance(value, bool):
            value = "ya" if value else "tidak"
        values[key] = "" if value is None else value
    return values


class Utusan(RecordArea):
    """The people the forum mandates (surat mandat) to defend its proposals at the next forum
    up: 3 from a kecamatan to the Kabupaten, 1 to 3 from a desa to the kecamatan."""

    table = "utusan"
    LIMIT = 3

    def all(self) -> list[dict[str, Any]]:
        return sorted(self._forum.records(self.table), key=lambda u: u.get("urut", 0))

    def add(
        self, nama: str, jabatan: str = "", lembaga: str = "", peserta_id: int | None = None
    ) -> int:
        """Add an utusan; ``peserta_id`` ties them to the attendance list (readiness checks it)."""
        current = self.all()
        if len(current) >= self.LIMIT:
            raise ValidationError(
                "utusan",
                f"Utusan ke {utusan_to(self._forum.meta.get('level'))} sudah {self.LIMIT} orang.",
            )
        if peserta_id is not None and any(u.get("peserta_id") == peserta_id for u in current):
            raise ValidationError("utusan", f"{nama} sudah menjadi utusan.")
        record = {
            "nama": clean_text(nama, field="nama", label="Nama utusan", limit=200, required=True),
            "jabatan": clean_text(jabatan, field="jabatan", label="Jabatan", limit=200),
            "lembaga": clean_text(lembaga, field="lembaga", label="Lembaga", limit=200),
            "urut": max((u.get("urut", 0) for u in current), default=0) + 1,
        }
        if peserta_id is not None:
            record["peserta_id"] = peserta_id
        return self._forum._insert(self.table, record)

    def add_participant(self, peserta_id: int, jabatan: str = "") -> int:
        """An utusan picked from the participants who came (name and lembaga from their record)."""
        person = self._forum.participants.get(peserta_id)
        if not attended(person):
            raise ValidationError("utusan", f"{person['nama']} tidak tercatat hadir.")
        return self.add(
            person["nama"],
            jabatan or person.get("jabatan") or "",
            person.get("lembaga") or person.get("desa") or "",
            peserta_id=peserta_id,
        )

    def set_jabatan(self, rec_id: int, jabatan: str) -> dict[str, Any]:
        return self._forum._update(
            self.table,
            rec_id,
            {"jabatan": clean_text(jabatan, field="jabatan", label="Jabatan", limit=200)},
        )
