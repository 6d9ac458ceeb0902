"""Kecamatan intake (SOP step 4): a desa's signed bundle becomes that desa's proposals here.

The bundle's signature and the signer's trust are checked before this module sees anything
(``exports.bundle.read_bundle``); what it gets is the verified content of ``bundle.json``.
It checks what only the kecamatan forum can (the desa lies in this kecamatan, same planning
year, the desa forum was signed, this forum is still draf), then plans the intake so the
preview and the command line show the same thing before anything changes:

- **Which proposals come up.** The desa forum's proposals it decided to forward: status
  *diakomodir*, or *diusulkan* when the desa took no decision (a desa often forwards its whole
  list). What the desa itself kept as *cadangan* or refused stays at the desa (it is carried
  over there, see ``store.carry_over``) and is only counted.
- **A newer bundle of the same desa** replaces that desa's proposals only, matched by the
  desa forum's proposal id kept in ``asal.usulan_id``: added, removed, changed (fields), the
  rest untouched, so the kecamatan's scores on unchanged proposals stay. Proposals typed or
  imported here by hand for that desa are never removed by a bundle. An older bundle than
  the one already applied is refused.
- **Likely duplicates** are flagged, never dropped (ARCHITECTURE.md section 4): within the desa
  and against what is already here for it (a UPT proposal for the same road) through
  ``store.duplicates`` (``duplikat_dari``); across desa, a similar activity that names the
  other desa (a boundary road proposed by both), as ``duplikat_lintas_desa``.
- **Repeated from last year**: the proposal's own ``riwayat`` (carried over at the desa), and
  a likely duplicate among last year's kecamatan forum proposals (the forum the planning
  year of ``tahun - 1`` remembers), added to ``riwayat`` with last year's status and reason.

Everything is written in one ``forum.batch()``: all of it, or nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from store.duplicates import ACTIVITY_THRESHOLD, DuplicateIndex, similarity
from store.planning_year import PlanningYear
from store.proposals import PROPOSAL_FIELDS
from store.regions import UnknownRegion, is_within, normalize_code, region
from store.validation import ValidationError, clean_text, record_id

if TYPE_CHECKING:
    from store.forum import Forum

RECEIPTS = "bundles"  # forum table: one receipt per desa whose bundle was applied
CLOCK_TOLERANCE = timedelta(minutes=10)
FORMAT = "musrenbang-bundel"
FORWARDED = ("diakomodir", "diusulkan")


@dataclass(frozen=True)
class Changed:
    """A proposal the newer bundle changed: the record here and the fields that differ."""

    existing: dict[str, Any]
    record: dict[str, Any]
    fields: tuple[str, ...]


@dataclass(frozen=True)
class Flag:
    """A proposal of the bundle worth a second look, and why (Indonesian)."""

    record: dict[str, Any]
    jenis: str  # "duplikat dalam desa" | "duplikat lintas desa" | "usulan ulang"
    keterangan: str


@dataclass
class IntakePlan:
    """What applying a bundle would do; nothing has changed yet."""

    payload: dict[str, Any]
    desa_kode: str
    desa_nama: str
    tahun: int
    kunci: str
    digest: str
    added: list[dict[str, Any]] = field(default_factory=list)
    removed: list[dict[str, Any]] = field(default_factory=list)
    changed: list[Changed] = field(default_factory=list)
    unchanged: int = 0
    kept_at_desa: int = 0
    flags: list[Flag] = field(default_factory=list)
    previous: dict[str, Any] = field(default_factory=dict)
    previous_year: list[dict[str, Any]] = field(default_factory=list)
    signer: str = ""  # the signing public key (base64 of its raw bytes), kept in the receipt

    @property
    def is_update(self) -> bool:
        """A bundle of this desa was applied before: this one replaces it."""
        return (
            bool(self.previous) or bool(self.removed) or bool(self.changed) or bool(self.unchanged)
        )

    @property
    def has_changes(self) -> bool:
        return bool(self.added or self.removed or self.changed)

    def flagged(self, jenis: str) -> list[Flag]:
        return [f for f in self.flags if f.jenis == jenis]

    def describe(self) -> list[str]:
        """The plan in Indonesian, one line each (the CLI prints it, the preview shows it)."""
        head = f"Desa {self.desa_nama} ({self.desa_kode}), tahun {self.tahun}"
        lines = [head]
        if self.is_update:
            lines.append(
                f"  Bundel pengganti: {len(self.added)} usulan baru, {len(self.removed)} "
                f"dihapus, {len(self.changed)} berubah, {self.unchanged} tetap."
            )
        else:
            lines.append(f"  {len(self.added)} usulan diterima.")
        for item in self.changed:
            lines.append(f"  Berubah: {item.record['kegiatan']} ({', '.join(item.fields)})")
        for item in self.removed:
            lines.append(f"  Dihapus: {item['kegiatan']}")
        if self.kept_at_desa:
            lines.append(
                f"  {self.kept_at_desa} usulan cadangan/tidak diakomodir tetap di desa "
                "(tidak diteruskan)."
            )
        for flag in self.flags:
            lines.append(f"  Tandai ({flag.jenis}): {flag.record['kegiatan']}: {flag.keterangan}")
        return lines


@dataclass
class IntakeResult:
    """What applying did."""

    plan: IntakePlan
    ids: list[int] = field(default_factory=list)

    def describe(self) -> str:
        plan = self.plan
        if not plan.has_changes:
            return (
                f"Desa {plan.desa_nama}: bundel sama dengan yang sudah diterima, "
                "tidak ada perubahan."
            )
        lines = plan.describe()
        lines[0] += ": diterapkan."
        return "\n".join(lines)


# --------------------------------------------------------------------------- checks


def check_bundle(payload: dict[str, Any], kecamatan: str, tahun: int) -> tuple[str, str]:
    """Refuse (ValidationError, exit 2) a bundle that is not a signed desa forum of this
    kecamatan and year; returns the desa's code and name."""
    if payload.get("format") != FORMAT or not isinstance(payload.get("forum"), dict):
        raise ValidationError("bundel", "Berkas ini bukan bundel musrenbang.")
    forum = payload["forum"]
    try:
        code = normalize_code(str(forum.get("wilayah_kode", "")))
        place = region(code)
    except UnknownRegion:
        raise ValidationError(
            "bundel", f"Kode wilayah bundel '{forum.get('wilayah_kode')}' tidak dikenal."
        ) from None
    if forum.get("level") != "desa" or place.level != "desa":
        raise ValidationError("bundel", f"Bundel dari {place.title} bukan bundel Musrenbang Desa.")
    if not is_within(code, kecamatan):
        raise ValidationError(
            "wilayah",
            f"{place.title} ({code}) bukan bagian dari {region(kecamatan).title} ({kecamatan}): "
            "bundel ditolak.",
        )
    if int(forum.get("tahun") or 0) != int(tahun):
        raise ValidationError(
            "tahun",
            f"Bundel {place.title} untuk tahun {forum.get('tahun')}, forum ini tahun {tahun}: "
            "bundel ditolak.",
        )
    if forum.get("status") != "ditandatangani":
        raise ValidationError(
            "status",
            f"Musrenbang {place.title} belum ditandatangani (status {forum.get('status')}): "
            "bundel ditolak.",
        )
    return code, place.name


def _check_forum(forum: Forum) -> None:
    meta = forum.meta
    if meta.get("level") != "kecamatan":
        raise ValidationError("forum", "Bundel desa hanya dapat diimpor ke forum kecamatan.")
    if forum.status != "draf":
        raise ValidationError(
            "status",
            f"Forum kecamatan berstatus {forum.status}: usulan desa tidak dapat ditambahkan lagi.",
        )


# --------------------------------------------------------------------------- planning


def plan_intake(
    forum: Forum,
    payload: dict[str, Any],
    *,
    digest: str = "",
    previous_year: list[dict[str, Any]] | None = None,
    signer: str = "",
) -> IntakePlan:
    """Check the bundle against this forum and work out what applying it would change.

    ``signer``: the bundle's public key (base64 of the raw key), kept in the forum's receipt.
    """
    _check_forum(forum)
    meta = forum.meta
    desa_kode, desa_nama = check_bundle(payload, meta["wilayah_kode"], meta["tahun"])
    year = PlanningYear.of_forum(forum)
    previous = year.desa_record(desa_kode)
    _refuse_future(payload, forum.clock(), desa_nama)
    _refuse_older(payload, received_bundle(forum, desa_kode) or {}, desa_nama)
    plan = IntakePlan(
        payload=payload,
        desa_kode=desa_kode,
        desa_nama=desa_nama,
        tahun=int(meta["tahun"]),
        kunci=str(payload.get("kunci") or ""),
        digest=digest,
        previous=previous,
        previous_year=list(previous_year or []),
        signer=signer,
    )
    incoming = _incoming(forum, payload, desa_kode, desa_nama, plan)
    existing = forum.proposals.all()
    from_bundle = {
        (p.get("asal") or {}).get("usulan_id"): p
        for p in existing
        if _from_desa_bundle(p, desa_kode)
    }
    for key, record in incoming.items():
        here = from_bundle.pop(key, None)
        if here is None:
            plan.added.append(record)
            continue
        fields = tuple(f for f in PROPOSAL_FIELDS if _norm(here.get(f)) != _norm(record.get(f)))
        if fields:
            plan.changed.append(Changed(here, record, fields))
        else:
            plan.unchanged += 1
    plan.removed = list(from_bundle.values())
    _flag(plan, existing)
    return plan


def received_bundle(forum: Forum, desa_kode: str) -> dict[str, Any] | None:
    """The forum file's receipt of the last bundle applied for this desa (its date, digest
    and signing key), or None. Kept in the forum, not on the laptop: a copied forum carries
    it, so a replayed older bundle or another key is refused there too."""
    return next((r for r in forum.records(RECEIPTS) if r.get("desa_kode") == desa_kode), None)


def _refuse_future(payload: dict[str, Any], now: datetime, desa: str) -> None:
    """A bundle dated ahead of this laptop's clock (beyond the tolerance) is refused:
    accepted, it would make every later genuine bundle look older and lock the desa out."""
    made = _moment(payload.get("dibuat"))
    if made is not None and made > now.replace(tzinfo=None) + CLOCK_TOLERANCE:
        raise ValidationError(
            "bundel",
            f"Bundel Desa {desa} bertanggal {payload.get('dibuat')}, di masa depan menurut jam "
            f"laptop ini ({now:%Y-%m-%d %H:%M}): periksa jam laptop desa atau laptop ini; "
            "bundel ditolak.",
        )


def _moment(value: Any) -> datetime | None:
    try:
        return datetime.fromisoformat(str(value)).replace(tzinfo=None)
    except ValueError:
        return None


def _refuse_older(payload: dict[str, Any], receipt: dict[str, Any], desa: str) -> None:
    made, before = _moment(payload.get("dibuat")), _moment(receipt.get("dibuat"))
    if before is not None and made is not None and made < before:
        made, before = payload.get("dibuat"), receipt.get("dibuat")
        raise ValidationError(
            "bundel",
            f"Bundel Desa {desa} ini dibuat {made}, lebih lama dari bundel yang sudah diterima "
            f"({before}): bundel ditolak.",
        )


def _incoming(
    forum: Forum, payload: dict[str, Any], desa_kode: str, desa_nama: str, plan: IntakePlan
) -> dict[int, dict[str, Any]]:
    """The forwarded proposals, validated as this forum's records, by desa proposal id."""
    judul = clean_text(
        str(payload["forum"].get("judul") or f"Musrenbang Desa {desa_nama}"), field="judul"
    )
    records: dict[int, dict[str, Any]] = {}
    for n, item in enumerate(payload.get("usulan") or [], start=1):
        if item.get("status") not in FORWARDED:
            plan.kept_at_desa += 1
            continue
        if problem := _item_problem(item):
            raise ValidationError("usulan", f"Usulan ke-{n} bundel Desa {desa_nama}: {problem}")
        fields = {key: item.get(key) for key in PROPOSAL_FIELDS}
        fields["desa"] = desa_kode
        usulan_id = record_id(
            item.get("id", n), field="usulan", label=f"Usulan ke-{n} bundel Desa {desa_nama}"
        )
        fields["asal"] = {
            "jenis": "desa",
            "nama": desa_nama,
            "kode": desa_kode,
            "usulan_id": usulan_id,
            "forum": judul,
        }
        try:
            record = forum.proposals.prepare(fields)
        except ValidationError as error:
            raise ValidationError(
                "usulan",
                f"Usulan ke-{n} bundel Desa {desa_nama} ({item.get('kegiatan', '')}): "
                f"{error.message}",
            ) from None
        record["riwayat"] = list(item.get("riwayat") or [])
        records[record["asal"]["usulan_id"]] = record
    return records


#: Kinds a forwarded proposal's fields may hold in a bundle (more is refused, not guessed).
_ITEM_KINDS = {"volume": (int, float), "penerima_manfaat": (int,), "biaya": (int, str)}


def _item_problem(item: Any) -> str | None:
    """What in one bundle proposal has a shape no field of this forum takes, in Indonesian:
    texts are texts, numbers numbers, ``sumber_dana`` a text or a list of {sumber, jumlah},
    ``riwayat`` a list of entries whose ``tahun`` is a whole number."""
    if not isinstance(item, dict):
        return "bukan data usulan."
    for key in PROPOSAL_FIELDS:
        value = item.get(key)
        kinds = _ITEM_KINDS.get(key, (str,))
        if key == "sumber_dana":
            good = _text_or_list_of(
                value, lambda s: isinstance(s, dict) and isinstance(s.get("sumber"), str)
            )
        elif key == "foto":
            good = _text_or_list_of(value, lambda f: isinstance(f, str))
        else:
            good = isinstance(value, kinds) and not isinstance(value, bool)
        if value is not None and not good:
            return f"isian '{key}' tidak berbentuk yang dikenal."
    history = item.get("riwayat")
    if history is not None and not (
        isinstance(history, list)
        and all(
            isinstance(h, dict)
            and type(h.get("tahun", 0)) is int
            and all(
                (isinstance(v, (str, int)) and not isinstance(v, bool)) or v is None
                for v in h.values()
            )
            for h in history
        )
    ):
        return "riwayat usulan tidak berbentuk yang dikenal."
    return None


def _text_or_list_of(value: Any, good_item: Callable[[Any], bool]) -> bool:
    return isinstance(value, str) or (isinstance(value, list) and all(map(good_item, value)))


def _from_desa_bundle(proposal: dict[str, Any], desa_kode: str) -> bool:
    asal = proposal.get("asal") or {}
    return (
        asal.get("jenis") == "desa"
        and asal.get("kode") == desa_kode
        and (asal.get("usulan_id") is not None)
    )


def _norm(value: Any) -> Any:
    return "" if value is None or value == [] else value


def _flag(plan: IntakePlan, existing: list[dict[str, Any]]) -> None:
    """Duplicates within the desa, across desa, and repeats of last year's proposals."""
    replaced = {p["id"] for p in plan.removed} | {c.existing["id"] for c in plan.changed}
    pool = [p for p in existing if p["id"] not in replaced]
    pool += [c.record | {"id": c.existing["id"]} for c in plan.changed]
    same_desa = DuplicateIndex(p for p in pool if p.get("desa") == plan.desa_nama)
    across = _AcrossDesa(plan.desa_nama, [p for p in pool if p.get("desa") != plan.desa_nama])
    earlier = DuplicateIndex()
    last_year = DuplicateIndex(plan.previous_year)
    for record in plan.added:
        here = same_desa.first_match(record)
        within = earlier.first_match(record)
        if here is not None or within is not None:
            where = f"usulan #{here['id']}" if here is not None else "usulan lain di bundel ini"
            other = here if here is not None else within
            plan.flags.append(
                Flag(record, "duplikat dalam desa", f"mirip {where} ({other['kegiatan']})")
            )
        match = across.match(record)
        if match is not None:
            record["duplikat_lintas_desa"] = match["id"]
            plan.flags.append(
                Flag(
                    record,
                    "duplikat lintas desa",
                    f"mirip usulan #{match['id']} Desa {match['desa']} ({match['kegiatan']})",
                )
            )
        earlier.add(record)
    for record in [*plan.added, *(c.record for c in plan.changed)]:
        _mark_repeat(record, plan, last_year)


class _AcrossDesa:
    """A similar activity in another desa where one of the two names the other desa: the
    same boundary road or bridge proposed from both sides. Generic titles ("Paving jalan
    Dusun Lor") recur in every desa and are not flagged. Texts are read once per bundle."""

    def __init__(self, desa: str, others: list[dict[str, Any]]) -> None:
        self.desa = desa.casefold()
        self.by_desa: dict[str, list[dict[str, Any]]] = {}
        self.naming_us: list[dict[str, Any]] = []
        for other in others:
            self.by_desa.setdefault((other.get("desa") or "").casefold(), []).append(other)
            if self.desa and self.desa in _text(other):
                self.naming_us.append(other)
        self.by_desa.pop("", None)

    def match(self, record: dict[str, Any]) -> dict[str, Any] | None:
        text = _text(record)
        named = [o for desa, group in self.by_desa.items() if desa in text for o in group]
        kegiatan = record.get("kegiatan", "")
        return next(
            (
                other
                for other in (*self.naming_us, *named)
                if similarity(kegiatan, other.get("kegiatan", "")) >= ACTIVITY_THRESHOLD
            ),
            None,
        )


def _text(record: dict[str, Any]) -> str:
    return f"{record.get('kegiatan', '')} {record.get('lokasi', '')}".casefold()


def _mark_repeat(record: dict[str, Any], plan: IntakePlan, last_year_index: DuplicateIndex) -> None:
    history = record["riwayat"]
    last_year = plan.tahun - 1
    if not any(h.get("tahun") == last_year for h in history):
        match = last_year_index.first_match(record)
        if match is not None:
            history.append(
                {
                    "tahun": last_year,
                    "forum": (match.get("_forum") or f"Musrenbang Kecamatan Tahun {last_year}"),
                    "tingkat": "kecamatan",
                    "status": match.get("status", ""),
                    "alasan": match.get("alasan", ""),
                    "usulan_id": match.get("id"),
                    "dikenali": "kemiripan",
                }
            )
    if history:
        latest = max(history, key=lambda h: h.get("tahun", 0))
        reason = f", {latest['alasan']}" if latest.get("alasan") else ""
        plan.flags.append(
            Flag(
                record,
                "usulan ulang",
                f"pernah diusulkan tahun {latest.get('tahun')} ({latest.get('status')}{reason})",
            )
        )


def load_previous_year(kecamatan: str, tahun: int) -> list[dict[str, Any]]:
    """Last year's kecamatan proposals, from the forum that year's planning year remembers
    (empty when there is none on this laptop)."""
    from store.forum import open_forum
    from store.storage_errors import ForumFileError

    path = PlanningYear(kecamatan, int(tahun) - 1).forum_path()
    if path is None or not path.exists():
        return []
    try:
        with open_forum(path, readonly=True) as forum:
            judul = forum.meta.get("judul", "")
            return [{**p, "_forum": judul} for p in forum.proposals.all()]
    except ForumFileError:
        return []


# --------------------------------------------------------------------------- applying


def apply_intake(forum: Forum, plan: IntakePlan) -> IntakeResult:
    """Apply a previewed plan, planned again now so a preview cannot go stale."""
    again = plan_intake(
        forum,
        plan.payload,
        digest=plan.digest,
        previous_year=plan.previous_year,
        signer=plan.signer,
    )
    return _apply(forum, again)


def import_payload(
    forum: Forum,
    payload: dict[str, Any],
    *,
    digest: str = "",
    previous_year: list[dict[str, Any]] | None = None,
    signer: str = "",
) -> IntakeResult:
    """Plan and apply at once (the command line: nothing to preview)."""
    plan = plan_intake(forum, payload, digest=digest, previous_year=previous_year, signer=signer)
    return _apply(forum, plan)


def _apply(forum: Forum, plan: IntakePlan) -> IntakeResult:
    """Write the plan in one save: removed, changed, then added proposals, and the
    forum's receipt of this bundle."""
    result = IntakeResult(plan)
    with forum.batch():
        for old in plan.removed:
            forum.proposals.remove(old["id"])
        for item in plan.changed:
            forum.proposals.update(
                item.existing["id"], **{f: item.record.get(f) for f in item.fields}
            )
        for record in plan.added:
            rec_id, _ = forum.proposals.add_prepared(record)
            result.ids.append(rec_id)
        _keep_receipt(forum, plan)
    _remember(forum, plan)
    return result


def _made_at(value: Any) -> str | None:
    """The bundle's ``dibuat`` as a plain ISO timestamp (None when absent); anything else is
    refused: it is kept in the forum file, which stores only what its check accepts."""
    if value is None:
        return None
    try:
        if isinstance(value, str) and value.isascii():
            return datetime.fromisoformat(value).isoformat()
    except ValueError:
        pass
    raise ValidationError("bundel", "Bundel: waktu pembuatannya ('dibuat') tidak sah.")


def _keep_receipt(forum: Forum, plan: IntakePlan) -> None:
    """Write (in the forum file) which bundle of this desa was applied last."""
    receipt = {
        "desa_kode": plan.desa_kode,
        "dibuat": _made_at(plan.payload.get("dibuat")),
        "digest": plan.digest,
        "kunci": plan.kunci,
        "kunci_publik": plan.signer,
        "diterima": forum.clock().isoformat(timespec="seconds"),
    }
    current = received_bundle(forum, plan.desa_kode)
    if current is None:
        forum._insert(RECEIPTS, receipt)
    elif current.get("digest") != plan.digest:
        forum._update(RECEIPTS, current["id"], receipt)


def _remember(forum: Forum, plan: IntakePlan) -> None:
    """Note in the planning year when this desa held its forum and when its bundle came
    (a bundle identical to the one applied before changes nothing, not even the date)."""
    year = PlanningYear.of_forum(forum, plan.tahun)
    header = plan.payload["forum"]
    signed = max((s.get("waktu", "") for s in plan.payload.get("penandatangan") or []), default="")
    fresh = plan.has_changes or not plan.previous
    year.record_desa(
        plan.desa_kode,
        musrenbangdes=(
            f"{header['tanggal']}T{header.get('pukul') or '00:00'}"
            if header.get("tanggal")
            else None
        ),
        ditandatangani=signed or None,
        diterima=forum.clock() if fresh else plan.previous.get("diterima"),
        kunci=plan.kunci,
        bundel=plan.digest,
        bundel_dibuat=plan.payload.get("dibuat"),
        bundel_ke=int(plan.previous.get("bundel_ke", 0)) + int(fresh),
        usulan=len(plan.added) + len(plan.changed) + plan.unchanged,
    )
    year.set_forum(Path(forum.path))


# --------------------------------------------------------------------------- UPT / agencies


def add_agency_proposal(forum: Forum, nama: str, **fields: Any) -> tuple[int, list[str]]:
    """A proposal of a UPT Dinas or agency in the kecamatan, entered directly and marked so
    (``asal.jenis = "upt"``); duplicates against the desa proposals are flagged as usual."""
    _check_forum(forum)
    name = clean_text(nama, field="asal", label="Nama UPT/instansi pengusul")
    if not name:
        raise ValidationError("asal", "Nama UPT/instansi pengusul wajib diisi.")
    fields.setdefault("sumber", name)
    record = forum.proposals.prepare({**fields, "asal": {"jenis": "upt", "nama": name}})
    return forum.proposals.add_prepared(record)
