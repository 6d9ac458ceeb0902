"""Who came: participants, check-in and check-out, the counts the BA needs, the utusan.

The counts (present, per unsur, per desa, women's share, delegates, quorum) are a pure
function of the participant records (``store.attendance_counts``) so the app, the display
and the documents agree; the check-in desk keeps them running in its ``PeopleIndex``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from store.attendance_counts import (
    AttendanceSummary,
    attended,
    is_present,
    quorum_status,
    summarize_attendance,
)
from store.collector import collector_paused
from store.lazy_index import LazyIndex, stored_reference
from store.people_index import PeopleIndex, door_order
from store.record_area import RecordArea
from store.validation import ValidationError, clean_text, record_id, validate_participant

if TYPE_CHECKING:
    from store.forum import Forum

#: Utusan the forum mandates: 3 to the Musrenbang Kabupaten (DOMAIN.md section 3); a desa
#: sends at least one to the Musrenbang Kecamatan (no fixed number there). Readiness reads it.
UTUSAN_REQUIRED = {"kecamatan": 3, "desa": 1}
UTUSAN_TO = {"kecamatan": "Musrenbang Kabupaten", "desa": "Musrenbang Kecamatan"}


def utusan_to(level: str | None) -> str:
    """Where a forum of ``level`` ("desa" / "kecamatan") sends its utusan: the next forum up."""
    return UTUSAN_TO.get(level or "kecamatan", "forum berikutnya")


__all__ = [
    "UTUSAN_REQUIRED",
    "UTUSAN_TO",
    "AttendanceSummary",
    "Participants",
    "PeopleIndex",
    "Utusan",
    "attended",
    "door_order",
    "is_present",
    "quorum_status",
    "summarize_attendance",
    "utusan_to",
]

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


class Participants(RecordArea):
    """Participant records and the check-in desk."""

    table = "participants"

    def __init__(self, forum: Forum) -> None:
        super().__init__(forum)
        self._live = LazyIndex(
            forum, self.table, stored_reference, PeopleIndex.of_stored, self._followed
        )

    def remove(self, rec_id: int) -> None:
        """Remove a participant, unless a ballot names them: the vote stays accountable."""
        if any(b.get("peserta_id") == rec_id for b in self._forum.records("ballots")):
            name = self.get(rec_id).get("nama", "")
            raise ValidationError(
                "peserta", f"{name} sudah memberikan suara; datanya tidak dapat dihapus."
            )
        super().remove(rec_id)

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
        return self.index().search(text, limit)  # fresh dicts: an index of stored records

    def index(self) -> PeopleIndex:
        """Everyone registered, indexed for search and kept current: after a change only
        the people it touched are read again (a check-in costs one record, not the list).
        Treat the records it holds as read-only."""
        return self._live.current()

    def warm_index(self) -> None:
        """Build the index ahead of the first check-in or search (``Forum.warm_up``)."""
        self._live.warm()

    def _followed(self, index: PeopleIndex, changed: set[int]) -> PeopleIndex:
        """``index`` brought up to date with the people ``changed`` since it last looked."""
        stored = self._forum._stored(self.table)  # a use holds the storage mutex
        if len(changed) > len(index) // 4:  # an import: reading all is cheaper
            with collector_paused():
                return PeopleIndex.of_stored(stored_reference(k, p) for k, p in stored.items())
        for rec_id in sorted(changed):
            person = stored.get(str(rec_id))
            if person is None:
                index.discard(rec_id)
            else:
                index.put_stored(rec_id, person)
        return index

    def summary(self, *, in_room: bool = False) -> AttendanceSummary:
        """The counters under this forum's rules, from the index's running tally (a change
        costs the people it touched); ``in_room``: only who has not checked out."""
        meta = self._forum.meta
        return self.index().tally.summary(
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
        if peserta_id is not None:
            peserta_id = record_id(peserta_id, field="utusan", label="Peserta utusan")
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
