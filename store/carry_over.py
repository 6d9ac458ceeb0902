"""Carry-over: proposals left *cadangan* or *tidak diakomodir* go into next year's forum of
the same desa, with their history, so nothing said at a forum is lost (DOMAIN.md section 8).

The source is last year's forum of that desa, or last year's kecamatan forum (then only the
proposals of that desa are taken: those the kecamatan could not fund). Each carried proposal
starts again as *diusulkan* in the new forum and keeps a ``riwayat`` list, one entry per
forum it went through: year, forum, level, region, its id there, the status and the reason
it got. Carrying the same source twice adds nothing the second time.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from store.proposals import PROPOSAL_FIELDS
from store.regions import is_within
from store.validation import ValidationError

if TYPE_CHECKING:
    from store.forum import Forum

CARRIED = ("cadangan", "tidak diakomodir")


@dataclass
class CarryReport:
    """What was carried into the target forum."""

    sumber: str
    added: list[int] = field(default_factory=list)
    already: int = 0

    def describe(self) -> str:
        text = f"{len(self.added)} usulan dari {self.sumber} dibawa ke forum ini"
        if self.already:
            text += f" ({self.already} sudah pernah dibawa, dilewati)"
        return text + "."


def history_entry(source: Forum, proposal: dict[str, Any]) -> dict[str, Any]:
    """What one forum did with a proposal, as kept in its ``riwayat``."""
    meta = source.meta
    return {
        "tahun": int(meta["tahun"]),
        "forum": meta.get("judul", ""),
        "tingkat": meta["level"],
        "wilayah": meta["wilayah_kode"],
        "usulan_id": proposal["id"],
        "status": proposal.get("status", ""),
        "alasan": proposal.get("alasan", ""),
    }


def candidates(source: Forum, target: Forum) -> list[dict[str, Any]]:
    """The source's proposals of the target's desa that were not funded (after checks)."""
    _check(source, target)
    desa = target.meta["wilayah_kode"]
    return [
        p
        for p in source.proposals.all()
        if p.get("status") in CARRIED and (p.get("desa_kode") or desa) == desa
    ]


def carry_over(source: Forum, target: Forum, *, ids: Iterable[int] | None = None) -> CarryReport:
    """Add the source's unfunded proposals (or only ``ids`` among them) to ``target``."""
    chosen = candidates(source, target)
    if ids is not None:
        wanted = set(ids)
        chosen = [p for p in chosen if p["id"] in wanted]
    report = CarryReport(source.meta.get("judul", ""))
    done = {_key(h) for p in target.proposals.all() for h in p.get("riwayat") or []}
    records = []
    for proposal in chosen:
        entry = history_entry(source, proposal)
        if _key(entry) in done:
            report.already += 1
            continue
        fields = {key: proposal.get(key) for key in PROPOSAL_FIELDS}
        fields["desa"] = target.meta["wilayah_kode"]
        record = target.proposals.prepare(fields)
        record["riwayat"] = [*(proposal.get("riwayat") or []), entry]
        records.append(record)
    with target.batch():
        for record in records:
            rec_id, _ = target.proposals.add_prepared(record)
            report.added.append(rec_id)
    return report


def _check(source: Forum, target: Forum) -> None:
    src, dst = source.meta, target.meta
    if dst["level"] != "desa":
        raise ValidationError("forum", "Usulan hanya dibawa ke forum Musrenbang Desa.")
    if target.status != "draf":
        raise ValidationError(
            "status", f"Forum tujuan berstatus {target.status}: usulan tidak dapat ditambahkan."
        )
    if int(dst["tahun"]) <= int(src["tahun"]):
        raise ValidationError(
            "tahun",
            f"Forum tujuan tahun {dst['tahun']} tidak lebih baru dari forum asal "
            f"tahun {src['tahun']}.",
        )
    desa = dst["wilayah_kode"]
    same = src["wilayah_kode"] == desa
    parent = src["level"] == "kecamatan" and is_within(desa, src["wilayah_kode"])
    if not (same or parent):
        raise ValidationError(
            "wilayah",
            f"{src.get('judul')} bukan forum desa ini ({dst['wilayah_nama']}) atau kecamatannya.",
        )


def _key(entry: dict[str, Any]) -> tuple[Any, ...]:
    return (entry.get("tingkat"), entry.get("wilayah"), entry.get("tahun"), entry.get("usulan_id"))
