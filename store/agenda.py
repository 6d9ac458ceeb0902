"""The running order of the forum (acara) and what was said under each item (notulen).

The note-taker files an entry with one keystroke, so the current agenda item and the
speaker's unsur are filled in here, not typed.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from store.record_area import RecordArea
from store.validation import ValidationError, clean_text, parse_time, record_id

if TYPE_CHECKING:
    pass

MINUTE_KINDS = {"catatan": "Catatan", "tanggapan": "Tanggapan", "keputusan": "Keputusan"}
DECISION_METHODS = {"mufakat": "Musyawarah mufakat", "voting": "Pemungutan suara"}

STANDARD_AGENDA = (
    ("Registrasi peserta", "08:00", "08:30"),
    ("Pembukaan", "08:30", "08:45"),
    ("Sambutan dan arahan", "08:45", "09:15"),
    ("Paparan narasumber", "09:15", "10:00"),
    ("Penjelasan tata tertib dan mekanisme", "10:00", "10:15"),
    ("Diskusi kelompok dan pembahasan usulan", "10:15", "12:00"),
    ("Penentuan prioritas usulan", "12:30", "14:00"),
    ("Penetapan utusan dan penandatanganan berita acara", "14:00", "14:30"),
    ("Penutupan", "14:30", "14:45"),
)


def standard_agenda(start: str | None) -> list[tuple[str, str, str]]:
    """The standard agenda shifted so registration opens at ``start`` ("HH:MM"); times past
    midnight are clipped to 23:59 (a forum that starts late runs short, it does not wrap)."""
    shift = _minutes(start) - _minutes(STANDARD_AGENDA[0][1]) if start else 0
    return [
        (judul, _hhmm(_minutes(begin) + shift), _hhmm(_minutes(end) + shift))
        for judul, begin, end in STANDARD_AGENDA
    ]


def _minutes(hhmm: str) -> int:
    hours, minutes = hhmm.split(":")
    return int(hours) * 60 + int(minutes)


def _hhmm(total: int) -> str:
    total = max(0, min(total, 23 * 60 + 59))
    return f"{total // 60:02d}:{total % 60:02d}"


class Agenda(RecordArea):
    """Agenda items with planned and actual times; one of them is current."""

    table = "agenda"

    def all(self) -> list[dict[str, Any]]:
        return sorted(self._forum.records(self.table), key=lambda a: a.get("urut", 0))

    def add(self, judul: str, rencana_mulai: str = "", rencana_selesai: str = "") -> int:
        record = {
            "judul": clean_text(judul, field="judul", label="Acara", limit=300, required=True),
            "rencana_mulai": _clock(rencana_mulai, "rencana_mulai"),
            "rencana_selesai": _clock(rencana_selesai, "rencana_selesai"),
            "mulai": None,
            "selesai": None,
            "urut": max((a.get("urut", 0) for a in self.all()), default=0) + 1,
        }
        return self._forum._insert(self.table, record)

    def add_standard(self) -> None:
        """The usual running order, starting at the forum's time (08.00 when none is set)."""
        with self._forum.batch():
            for judul, start, end in standard_agenda(self._forum.meta.get("pukul")):
                self.add(judul, start, end)

    def remove(self, rec_id: int) -> None:
        """Remove an item that nothing refers to yet (started, or with minutes under it)."""
        item = self.get(rec_id)
        if item.get("mulai"):
            raise ValidationError("agenda", f"Acara '{item['judul']}' sudah dimulai.")
        if any(m.get("agenda_id") == rec_id for m in self._forum.minutes.all()):
            raise ValidationError("agenda", f"Acara '{item['judul']}' sudah punya catatan.")
        self._forum._delete(self.table, rec_id)

    def move(self, rec_id: int, offset: int) -> bool:
        """Swap an item with its neighbour (offset -1 up, +1 down); False at either end."""
        items = self.all()
        index = next(i for i, a in enumerate(items) if a["id"] == rec_id)
        target = index + offset
        if offset == 0 or not 0 <= target < len(items):
            return False
        other = items[target]
        mine, theirs = items[index].get("urut", index), other.get("urut", target)
        if mine == theirs:  # old files: make the order explicit first
            mine, theirs = index, target
        with self._forum.batch():
            self._forum._update(self.table, rec_id, {"urut": theirs})
            self._forum._update(self.table, other["id"], {"urut": mine})
        return True

    def current(self) -> dict[str, Any] | None:
        """The item started last and not finished; else the first not started."""
        items = self.all()
        running = [a for a in items if a.get("mulai") and not a.get("selesai")]
        if running:
            return running[-1]
        pending = [a for a in items if not a.get("mulai")]
        return pending[0] if pending else (items[-1] if items else None)

    def start(self, rec_id: int) -> None:
        """Start an item now, closing whichever item was running."""
        now = self._forum.clock().isoformat()
        with self._forum.batch():
            for item in self.all():
                if item["id"] != rec_id and item.get("mulai") and not item.get("selesai"):
                    self._forum._update(self.table, item["id"], {"selesai": now})
            self._forum._update(self.table, rec_id, {"mulai": now, "selesai": None})

    def finish(self, rec_id: int) -> None:
        self._forum._update(self.table, rec_id, {"selesai": self._forum.clock().isoformat()})

    def step(self, offset: int) -> dict[str, Any] | None:
        """Move the current item forward or back (ctrl+right / ctrl+left in the app)."""
        items = self.all()
        current = self.current()
        if not items or current is None:
            return None
        index = next(i for i, a in enumerate(items) if a["id"] == current["id"])
        target = items[max(0, min(len(items) - 1, index + offset))]
        if target["id"] != current["id"]:
            self.start(target["id"])
        return self._forum.record(self.table, target["id"])

    def update(self, rec_id: int, **changes: Any) -> dict[str, Any]:
        clean: dict[str, Any] = {}
        for key, value in changes.items():
            if key == "judul":
                clean[key] = clean_text(value, field=key, label="Acara", limit=300, required=True)
            elif key in {"rencana_mulai", "rencana_selesai"}:
                clean[key] = _clock(value, key)
            else:
                raise ValidationError(key, f"Kolom acara '{key}' tidak dapat diubah.")
        return self._forum._update(self.table, rec_id, clean)


def item_errors(judul: str, rencana_mulai: str, rencana_selesai: str) -> dict[str, str]:
    """Every problem of an agenda item at once (field -> message), for a form to show."""
    errors: dict[str, str] = {}
    try:
        clean_text(judul, field="judul", label="Acara", limit=300, required=True)
    except ValidationError as error:
        errors["judul"] = error.message
    times = {}
    for field, value in (("rencana_mulai", rencana_mulai), ("rencana_selesai", rencana_selesai)):
        try:
            times[field] = _clock(value.strip(), field)
        except ValidationError as error:
            errors[field] = error.message
    start, end = times.get("rencana_mulai"), times.get("rencana_selesai")
    if start and end and end < start:
        errors["rencana_selesai"] = f"Jam selesai {end} sebelum jam mulai {start}."
    return errors


def _clock(value: str, field: str) -> str:
    if not value:
        return ""
    label = {"rencana_mulai": "Jam mulai", "rencana_selesai": "Jam selesai"}.get(field)
    return parse_time(value, field=field, label=label).strftime("%H:%M")


class Minutes(RecordArea):
    """Time-stamped minute entries filed under the current agenda item."""

    table = "minutes"

    def all(self) -> list[dict[str, Any]]:
        return sorted(self._forum.records(self.table), key=lambda m: (m["waktu"], m["id"]))

    def add(
        self,
        teks: str,
        *,
        jenis: str = "catatan",
        agenda_id: int | None = None,
        pembicara_id: int | None = None,
        pembicara_nama: str = "",
        metode: str | None = None,
        hasil: str = "",
    ) -> int:
        if agenda_id is None:
            current = self._forum.agenda.current()
            agenda_id = current["id"] if current else None
        record = self._clean(
            {
                "teks": teks,
                "jenis": jenis,
                "agenda_id": agenda_id,
                "pembicara_id": pembicara_id,
                "pembicara_nama": pembicara_nama,
                "metode": metode,
                "hasil": hasil,
            }
        )
        record["waktu"] = self._forum.clock().isoformat()
        return self._forum._insert(self.table, record)

    def edit(self, rec_id: int, **changes: Any) -> dict[str, Any]:
        current = self._forum.record(self.table, rec_id)
        merged = {key: current.get(key) for key in _MINUTE_KEYS} | changes
        return self._forum._update(self.table, rec_id, self._clean(merged))

    def delete(self, rec_id: int) -> None:
        self._forum._delete(self.table, rec_id)

    def _clean(self, entry: dict[str, Any]) -> dict[str, Any]:
        kind = entry.get("jenis") or "catatan"
        if kind not in MINUTE_KINDS:
            raise ValidationError("jenis", f"Jenis catatan '{kind}' tidak dikenal.")
        text = clean_text(
            entry.get("teks") or "", field="teks", label="Isi notulen", limit=4000, required=True
        )
        speaker_id = entry.get("pembicara_id")
        speaker_name = clean_text(
            entry.get("pembicara_nama") or "", field="pembicara", label="Pembicara", limit=200
        )
        speaker_unsur = ""
        if speaker_id is not None:
            speaker_id = record_id(speaker_id, field="pembicara", label="Pembicara")
            speaker = self._forum.participants.get(speaker_id)
            speaker_name = speaker["nama"]
            speaker_unsur = " ".join(
                part for part in (speaker.get("unsur"), speaker.get("desa")) if part
            )
        if kind == "tanggapan" and not speaker_name:
            raise ValidationError("pembicara", "Tanggapan wajib menyebut pembicara.")
        method = entry.get("metode") if kind == "keputusan" else None
        if kind == "keputusan" and method not in DECISION_METHODS:
            raise ValidationError("metode", "Keputusan wajib menyebut metode: mufakat atau voting.")
        agenda_id = entry.get("agenda_id")
        if agenda_id is not None:
            agenda_id = record_id(agenda_id, field="agenda", label="Acara")
            self._forum.record("agenda", agenda_id)
        return {
            "jenis": kind,
            "teks": text,
            "agenda_id": agenda_id,
            "pembicara_id": speaker_id,
            "pembicara_nama": speaker_name,
            "pembicara_unsur": speaker_unsur,
            "metode": method,
            "hasil": clean_text(entry.get("hasil") or "", field="hasil", label="Hasil", limit=1000)
            if kind == "keputusan"
            else "",
        }


_MINUTE_KEYS = ("teks", "jenis", "agenda_id", "pembicara_id", "pembicara_nama", "metode", "hasil")
