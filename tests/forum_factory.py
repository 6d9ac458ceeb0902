"""Small forums for store tests, built through the public facade with a controllable clock."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

from store import agenda_book
from store.forum import Forum, create_forum
from store.person_names import name_key


class StepClock:
    """A clock the test moves by hand, so timestamps are predictable."""

    def __init__(self, start: datetime = datetime(2026, 2, 12, 9, 0)) -> None:
        self.now = start

    def __call__(self) -> datetime:
        return self.now

    def tick(self, minutes: float = 1) -> None:
        self.now += timedelta(minutes=minutes)


def make_forum(
    path: Path, *, level: str = "kecamatan", clock: StepClock | None = None, **header: object
) -> Forum:
    """A kecamatan (or desa) forum of Sooko with date, time, place and chair set."""
    wilayah = "35.16.13" if level == "kecamatan" else "35.16.13.2009"
    fields = {
        "tanggal": "2026-02-12",
        "pukul": "08:00",
        "tempat": "Pendopo Kecamatan",
        "pimpinan": "Hendro Prasetyo",
        "pagu": 1_000_000_000,
        **header,
    }
    return create_forum(
        path,
        operator="Uji",
        clock=clock or StepClock(),
        level=level,
        wilayah=wilayah,
        tahun=2027,
        **fields,
    )


def make_ready(forum: Forum) -> Forum:
    """Fill what readiness blocks on (store.readiness) in the least a real forum would have:
    people present (the chair, notulis and speakers among them), a decision in the minutes,
    a decided proposal, materi, letter numbers when the office cannot number them, utusan
    (3 for a kecamatan, 1 for a desa) and for a kecamatan pagu."""
    present = [p for p in forum.participants.all() if p.get("hadir_pukul")]
    kecamatan = forum.meta["level"] == "kecamatan"
    needed = 3 if kecamatan else 1  # utusan come from them
    with forum.batch():
        while len(present) < needed:
            rec_id, _ = forum.participants.add(
                nama=f"Peserta Siap {len(present) + 1}",
                jenis_kelamin="P" if len(present) % 2 else "L",
                unsur="Delegasi Desa",
                desa="Japan",
                hadir=True,
            )
            present.append(forum.participants.get(rec_id))
        if not forum.proposals.all():
            forum.proposals.add(desa="Japan", kegiatan="Paving jalan", biaya="1.000.000")
        named = [forum.meta.get("pimpinan") or "", forum.meta.get("notulis") or ""]
        named += [n.get("nama") or "" for n in forum.meta.get("narasumber") or []]
        known = {name_key(p["nama"]) for p in present}
        for nama in (n for n in named if n and name_key(n) not in known):
            forum.participants.add(nama=nama, jenis_kelamin="P", unsur="Lainnya", hadir=True)
        if not any(m.get("jenis") == "keputusan" for m in forum.minutes.all()):
            forum.minutes.add("Usulan prioritas disepakati.", jenis="keputusan", metode="mufakat")
        proposals = forum.proposals.all()
        if all(p.get("status") == "diusulkan" for p in proposals):
            forum.proposals.set_status(proposals[0]["id"], "diakomodir")
        meta = forum.meta
        changes: dict[str, object] = {}
        if not meta.get("materi"):
            changes["materi"] = ["Rekapitulasi usulan desa"]
        blocking = {item.kode for item in forum.signoff.readiness().penghalang}
        keys = ["nomor_surat"] if "nomor-ba" in blocking else []
        if "kode-unit" in blocking:  # typed by hand, as an office without kode unit does
            keys = ["nomor_surat", "nomor_surat_pengantar", "nomor_surat_mandat"]
        with agenda_book.book_of(forum):
            first = agenda_book.next_sequence("keluar", int(str(meta["tanggal"])[:4]))
            booked = {
                key
                for key, (jenis, _) in agenda_book.FORUM_LETTERS.items()
                if agenda_book.forum_letter(forum, jenis) is not None
            }
        for urut, key in enumerate((k for k in keys if not meta.get(k) and k not in booked), first):
            changes[key] = f"050/{urut}/416-313/{str(meta['tanggal'])[:4]}"
        if meta["level"] == "kecamatan" and not meta.get("pagu"):
            changes["tanpa_pagu"] = True
        forum.update_meta(**changes)
        for person in present[len(forum.utusan.all()) : needed]:
            forum.utusan.add_participant(person["id"], "Delegasi")
    return forum


def present_name(forum: Forum) -> str:
    """A participant marked present: who signs as wakil masyarakat (store.room)."""
    return next(p["nama"] for p in forum.participants.all() if p.get("hadir_pukul"))
