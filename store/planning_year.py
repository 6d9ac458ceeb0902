"""The planning year: the SOP's seven steps for one kecamatan and one year, desa by desa.

A Musrenbang is one link of a chain (DOMAIN.md section 2): the Kabupaten's letter, a letter
to every desa, 15 Musrenbangdes, 15 signed bundles, the kecamatan forum, its recap, the
Sekcam's paraf and the Camat's signature, the report to the Kabupaten. This module says
where that chain stands: each step's start, finish, output and whether it took longer than
the SOP's time standard, and per desa whether its Musrenbangdes was held and its proposals
received.

Most of it is *derived*, so it cannot disagree with the records it comes from: the agenda
book (steps 1 and 7), the kecamatan forum (steps 4-6: its date, when it became final, the
recap it issued, the paraf and the signature). What no forum of this office holds (when a
desa held its Musrenbangdes and when its bundle arrived, the report package's file) is
written by the step that learns it into a small state file in the data dir,
``tahun-perencanaan/<kecamatan>-<tahun>.json``. A step recorded by hand there (``mark``)
wins over what is derived, for the days the office worked on paper. The demo forum, which
carries its own fictional office (``kantor_contoh``), keeps its planning years beside
itself instead (``<forum>.contoh/tahun-perencanaan/``, see :meth:`PlanningYear.of_forum`):
a demo never writes into the real office's data dir.

Time standards are wall-clock durations (4 days = 96 hours), as the SOP states them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

import orjson

from store import agenda_book, paths
from store.regions import desa_of, region
from store.storage_io import write_atomic
from store.validation import ValidationError

if TYPE_CHECKING:
    from store.forum import Forum

STATE_DIR = "tahun-perencanaan"


def is_example(meta: dict[str, Any]) -> bool:
    """Whether a forum is the demo (it carries its own fictional office)."""
    return isinstance(meta.get("kantor_contoh"), dict)


def example_home(forum_path: Path) -> Path:
    """The demo forum's own folder for what an office keeps in its data dir."""
    return forum_path.with_name(forum_path.name + ".contoh")


@dataclass(frozen=True)
class Step:
    """One SOP step: number, activity, time standard, the output it should produce."""

    nomor: int
    kegiatan: str
    standar: timedelta
    standar_teks: str
    keluaran: str


STEPS: tuple[Step, ...] = (
    Step(1, "Menindaklanjuti surat Kabupaten: memberitahu setiap desa melaksanakan "
         "Musrenbang Desa", timedelta(minutes=30), "30 menit", "Surat ke setiap desa"),
    Step(2, "Desa melaksanakan Musrenbang Desa", timedelta(days=4), "4 hari",
         "Usulan hasil Musrenbang Desa"),
    Step(3, "Desa menyampaikan hasil Musrenbang Desa ke Kecamatan", timedelta(minutes=30),
         "30 menit", "Berkas usulan ditandatangani Kepala Desa"),
    Step(4, "Musrenbang Kecamatan", timedelta(days=1), "1 hari", "Rekap usulan kecamatan"),
    Step(5, "Rekapitulasi hasil Musrenbang Kecamatan", timedelta(days=2), "2 hari",
         "Berkas rekap"),
    Step(6, "Rekap diparaf Sekcam lalu ditandatangani Camat", timedelta(minutes=10),
         "10 menit", "Rekap ditandatangani Camat"),
    Step(7, "Melaporkan ke Kabupaten", timedelta(minutes=15), "15 menit",
         "Surat pengantar dan rekap bertanda tangan Camat"),
)  # fmt: skip
STEP_BY_NUMBER = {step.nomor: step for step in STEPS}


@dataclass
class StepStatus:
    """Where one step stands; ``terlambat`` when it took (or is taking) longer than allowed."""

    step: Step
    mulai: datetime | None = None
    selesai: datetime | None = None
    keluaran: str = ""
    terlambat: bool = False
    dicatat: bool = False

    @property
    def durasi(self) -> timedelta | None:
        if self.mulai is None or self.selesai is None:
            return None
        return self.selesai - self.mulai

    @property
    def keadaan(self) -> str:
        """``belum``, ``berjalan`` or ``selesai``."""
        if self.selesai is not None:
            return "selesai"
        return "berjalan" if self.mulai is not None else "belum"


@dataclass
class DesaStatus:
    """One desa of the kecamatan in this planning year."""

    kode: str
    nama: str
    surat_nomor: str = ""
    musrenbangdes: datetime | None = None
    ditandatangani: datetime | None = None
    diterima: datetime | None = None
    usulan: int = 0
    kunci: str = ""
    bundel_ke: int = 0
    terlambat_kirim: bool = False

    @property
    def keadaan(self) -> str:
        if self.diterima is not None or self.usulan:
            return "usulan diterima"
        if self.musrenbangdes is not None:
            return "Musrenbang Desa terlaksana"
        if self.surat_nomor:
            return "surat terkirim"
        return "belum ada surat"


@dataclass
class YearView:
    """The planning year as the screen shows it."""

    kecamatan: str
    tahun: int
    steps: list[StepStatus]
    desa: list[DesaStatus]
    forum_path: str | None = None
    notes: list[str] = field(default_factory=list)

    @property
    def diterima(self) -> int:
        return sum(1 for d in self.desa if d.keadaan == "usulan diterima")


class PlanningYear:
    """The state file of one kecamatan's planning year, and the view derived from it."""

    def __init__(self, kecamatan: str, tahun: int, *, home: Path | None = None) -> None:
        """``home``: the folder holding ``tahun-perencanaan/`` (default: the data dir)."""
        place = region(kecamatan)
        if place.level != "kecamatan":
            raise ValidationError("wilayah", f"{place.title} bukan kecamatan.")
        self.kecamatan = place.code
        self.tahun = int(tahun)
        self.home = home

    @classmethod
    def of_forum(cls, forum: Forum, tahun: int | None = None) -> PlanningYear:
        """The planning year of ``forum``'s kecamatan (``tahun``: default the forum's), kept
        where the forum's office keeps it: the data dir, or beside the demo forum."""
        meta = forum.meta
        return cls(meta["wilayah_kode"], meta["tahun"] if tahun is None else tahun,
                   home=example_home(forum.path) if is_example(meta) else None)  # fmt: skip

    @property
    def path(self) -> Path:
        home = self.home if self.home is not None else paths.data_dir(create=False)
        return home / STATE_DIR / f"{self.kecamatan}-{self.tahun}.json"

    # -- the state file ----------------------------------------------------------------------
    def load(self) -> dict[str, Any]:
        try:
            data = orjson.loads(self.path.read_bytes())
        except FileNotFoundError:
            data = {}
        except (OSError, orjson.JSONDecodeError) as error:
            raise ValidationError(
                "tahun", f"Berkas tahun perencanaan {self.path} tidak dapat dibaca: {error}."
            ) from None
        data.setdefault("kecamatan", self.kecamatan)
        data.setdefault("tahun", self.tahun)
        data.setdefault("forum", None)
        data.setdefault("langkah", {})
        data.setdefault("desa", {})
        return data

    def _save(self, data: dict[str, Any]) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(self.path, [orjson.dumps(data, option=orjson.OPT_INDENT_2)])

    def set_forum(self, forum_path: Path | str) -> None:
        """Remember the kecamatan forum of this year (the view reads steps 4-6 from it)."""
        data = self.load()
        resolved = str(Path(forum_path).resolve())
        if data["forum"] != resolved:
            data["forum"] = resolved
            self._save(data)

    def forum_path(self) -> Path | None:
        value = self.load()["forum"]
        return Path(value) if value else None

    def mark(
        self,
        nomor: int,
        *,
        mulai: datetime | None = None,
        selesai: datetime | None = None,
        keluaran: str | None = None,
    ) -> None:
        """Record a step's start, finish or output by hand (or from the step that did it)."""
        if nomor not in STEP_BY_NUMBER:
            raise ValidationError("langkah", f"Langkah {nomor} tidak ada (1-7).")
        data = self.load()
        entry = data["langkah"].setdefault(str(nomor), {})
        for key, value in (("mulai", mulai), ("selesai", selesai)):
            if value is not None:
                entry[key] = value.replace(microsecond=0).isoformat()
        if keluaran is not None:
            entry["keluaran"] = keluaran
        self._save(data)

    def record_desa(self, kode: str, **fields: Any) -> None:
        """Store what was learnt about a desa (Musrenbangdes held, bundle received...)."""
        if not kode.startswith(self.kecamatan + "."):
            raise ValidationError("desa", f"Desa {kode} bukan bagian dari {self.kecamatan}.")
        data = self.load()
        entry = data["desa"].setdefault(kode, {})
        for key, value in fields.items():
            entry[key] = (
                value.replace(microsecond=0).isoformat() if isinstance(value, datetime) else value
            )
        self._save(data)

    def desa_record(self, kode: str) -> dict[str, Any]:
        return dict(self.load()["desa"].get(kode) or {})

    # -- the view --------------------------------------------------------------------------
    def view(self, forum: Forum | None = None, *, now: datetime | None = None) -> YearView:
        """Steps and desa as they stand; ``forum`` is the kecamatan forum (else the one
        remembered is opened read-only, if it still exists)."""
        data = self.load()
        now = now or datetime.now()
        notes: list[str] = []
        if forum is None and data["forum"] and Path(data["forum"]).exists():
            from store.forum import open_forum
            from store.storage_errors import ForumFileError

            try:
                opened = open_forum(data["forum"], readonly=True)
            except ForumFileError as error:  # a damaged forum must not hide the rest
                notes.append(f"Forum kecamatan tidak dapat dibaca: {error}")
            else:
                with opened:
                    return self._view(data, opened, now, notes)
        return self._view(data, forum, now, notes)

    def _view(
        self, data: dict[str, Any], forum: Forum | None, now: datetime, notes: list[str]
    ) -> YearView:
        desa = self._desa(data, forum)
        derived = _derive_steps(self, desa, forum)
        steps = []
        for step in STEPS:
            status = derived.get(step.nomor) or StepStatus(step)
            recorded = data["langkah"].get(str(step.nomor)) or {}
            if recorded:
                status.dicatat = True
                status.mulai = _dt(recorded.get("mulai")) or status.mulai
                status.selesai = _dt(recorded.get("selesai")) or status.selesai
                status.keluaran = recorded.get("keluaran") or status.keluaran
            if status.mulai is not None:
                end = status.selesai or now
                status.terlambat = status.terlambat or end - status.mulai > step.standar
            steps.append(status)
        path = str(forum.path) if forum is not None else data["forum"]
        return YearView(self.kecamatan, self.tahun, steps, desa, path, notes)

    def _desa(self, data: dict[str, Any], forum: Forum | None) -> list[DesaStatus]:
        letters = {
            e.get("tujuan_kode"): e["nomor"]
            for e in agenda_book.entries(
                arah="keluar",
                jenis="surat-desa",
                tahun_perencanaan=self.tahun,
                wilayah=self.kecamatan,
            )
        }
        counts: dict[str, int] = {}
        if forum is not None:
            for proposal in forum.proposals.all():
                asal = proposal.get("asal") or {}
                if asal.get("jenis") == "desa" and asal.get("kode"):
                    counts[asal["kode"]] = counts.get(asal["kode"], 0) + 1
        rows = []
        for place in desa_of(self.kecamatan):
            stored = data["desa"].get(place.code) or {}
            row = DesaStatus(
                kode=place.code,
                nama=place.name,
                surat_nomor=letters.get(place.code, ""),
                musrenbangdes=_dt(stored.get("musrenbangdes")),
                ditandatangani=_dt(stored.get("ditandatangani")),
                diterima=_dt(stored.get("diterima")),
                usulan=counts.get(place.code, 0),
                kunci=stored.get("kunci", ""),
                bundel_ke=int(stored.get("bundel_ke", 0)),
            )
            if row.ditandatangani and row.diterima:
                row.terlambat_kirim = row.diterima - row.ditandatangani > STEP_BY_NUMBER[3].standar
            rows.append(row)
        return rows


# --------------------------------------------------------------------------- derivation


def _derive_steps(
    year: PlanningYear, desa: list[DesaStatus], forum: Forum | None
) -> dict[int, StepStatus]:
    steps = {nomor: StepStatus(step) for nomor, step in STEP_BY_NUMBER.items()}
    _step_letters(year, desa, steps[1])
    _step_desa(desa, steps[1], steps[2], steps[3])
    if forum is not None:
        _step_forum(forum, steps[4], steps[5], steps[6])
    _step_report(year, steps[6], steps[7])
    return steps


def _step_letters(year: PlanningYear, desa: list[DesaStatus], step: StepStatus) -> None:
    incoming = agenda_book.entries(
        arah="masuk", jenis="surat-kabupaten", tahun_perencanaan=year.tahun, wilayah=year.kecamatan
    )
    letters = agenda_book.entries(
        arah="keluar", jenis="surat-desa", tahun_perencanaan=year.tahun, wilayah=year.kecamatan
    )
    if incoming:
        step.mulai = _dt(incoming[0]["dicatat"])
    sent = {e.get("tujuan_kode") for e in letters}
    if letters:
        step.keluaran = f"{len(sent & {d.kode for d in desa})} dari {len(desa)} surat ke desa"
        if step.mulai is None:
            step.mulai = min(_dt(e["dicatat"]) for e in letters)
    if desa and all(d.kode in sent for d in desa):
        step.selesai = max(_dt(e["dicatat"]) for e in letters)


def _step_desa(
    desa: list[DesaStatus], letters: StepStatus, held: StepStatus, sent: StepStatus
) -> None:
    dates = [d.musrenbangdes for d in desa if d.musrenbangdes]
    held.mulai = letters.selesai or (min(dates) if dates else None)
    if dates:
        held.keluaran = f"{len(dates)} dari {len(desa)} desa telah melaksanakan"
    if desa and len(dates) == len(desa):
        held.selesai = max(dates)
    signed = [d.ditandatangani for d in desa if d.ditandatangani]
    received = [d for d in desa if d.diterima]
    if signed:
        sent.mulai = min(signed)
    if received:
        sent.keluaran = f"{len(received)} dari {len(desa)} bundel desa diterima"
    if desa and len(received) == len(desa):
        sent.selesai = max(d.diterima for d in received)
    sent.terlambat = any(d.terlambat_kirim for d in desa)


def _step_forum(forum: Forum, held: StepStatus, recap: StepStatus, signed: StepStatus) -> None:
    meta = forum.meta
    if meta.get("tanggal"):
        held.mulai = datetime.fromisoformat(f"{meta['tanggal']}T{meta.get('pukul') or '00:00'}")
    final_at = _status_reached(forum, "final")
    held.selesai = final_at
    proposals = forum.proposals.all()
    if proposals:
        desa_count = len({p.get("desa_kode") for p in proposals if p.get("desa_kode")})
        held.keluaran = f"{len(proposals)} usulan dari {desa_count} desa"
    recap.mulai = final_at
    recaps = [d for d in forum.signoff.documents() if d.get("jenis") == "rekap"]
    issued = [d for d in recaps if final_at and _dt(d["dibuat"]) >= final_at]
    if issued:
        recap.selesai = _dt(issued[0]["dibuat"])
        recap.keluaran = f"Rekapitulasi usulan, kode {issued[0]['doc_id']}"
    signatures = {s["peran"]: s for s in forum.signoff.signatures()}
    if "sekcam" in signatures:
        signed.mulai = _dt(signatures["sekcam"]["waktu"])
        signed.keluaran = f"Paraf Sekcam {signatures['sekcam']['nama']}"
    if "camat" in signatures:
        signed.selesai = _dt(signatures["camat"]["waktu"])
        signed.keluaran = f"Rekap ditandatangani Camat {signatures['camat']['nama']}"


def _step_report(year: PlanningYear, signed: StepStatus, report: StepStatus) -> None:
    report.mulai = signed.selesai
    letters = agenda_book.entries(
        arah="keluar", jenis="surat-pengantar", tahun_perencanaan=year.tahun, wilayah=year.kecamatan
    )
    if letters:
        report.keluaran = f"Surat pengantar nomor {letters[-1]['nomor']}"


def _status_reached(forum: Forum, status: str) -> datetime | None:
    """When the forum's header last changed to ``status`` (from its audit log)."""
    entries = forum.audit(
        lambda entry: (
            entry.get("tabel") == "meta" and (entry.get("baru") or {}).get("status") == status
        )
    )
    moments = [_dt(entry["waktu"]) for entry in entries]
    return max(moments) if moments else None


def _dt(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        return datetime.fromisoformat(value)
    except ValueError:
        return None
