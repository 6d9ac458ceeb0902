"""Ranking proposals and cutting the ranked list at the budget ceiling (pagu).

The room must be able to see *why* a proposal is in or out, and the same input must always give
the same answer, so everything here is a pure function over plain data: no forum, no storage,
no clock. ``store.priority`` feeds it the forum's records; the note-taker's pane, the projector
display and the berita acara all show the same result. The rules are written up for users in
the README section "Aturan peringkat dan pagu" (kept in ``/work/brief/RANKING_README.md``).

Two steps:

1. :func:`rank` orders the proposals by the forum's method (``skoring``, ``voting`` or
   ``surat_suara``) with a fixed tie-break order, unmeasured proposals last, rejected ones
   (``tidak diakomodir`` set by the room) outside the ranking.
2. :func:`apply_pagu` walks that order and accepts what fits in the pagu, with the optional
   "at least one per desa" and "at most N per desa" rules, giving every proposal a status and
   the reason for it.

:func:`rank_records` does both from the forum's raw records.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

DIUSULKAN = "diusulkan"
DIAKOMODIR = "diakomodir"
CADANGAN = "cadangan"
TIDAK_DIAKOMODIR = "tidak diakomodir"

ALASAN_BELUM_DIUKUR = {
    "skoring": "belum dinilai lengkap",
    "voting": "suara belum dihitung",
    "surat_suara": "belum ada suara",
}
ALASAN_MELEBIHI_PAGU = "melebihi sisa pagu"
ALASAN_TERGESER = "melebihi sisa pagu setelah jaminan satu usulan per desa"
ALASAN_DITOLAK_TANPA_ALASAN = "ditolak forum (alasan belum dicatat)"
#: Which funding sources a forum's pagu indikatif pays, per level of forum (README "Yang
#: dibayar pagu"). A kecamatan's pagu is the Kabupaten's own budget (APBD Kab). A desa's pagu
#: is the desa's own budget for its RKP Desa: the APBDes with its Dana Desa and Alokasi Dana
#: Desa. A share from another budget (what the desa asks the Musrenbang Kecamatan for: APBD
#: Kab, APBD Prov, APBN) or the community's own (swadaya) never uses the forum's pagu.
PAGU_SOURCES = {
    "kecamatan": frozenset({"APBD Kab"}),
    "desa": frozenset({"APBDes", "DD", "ADD"}),
}


# -- inputs -------------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class Criterion:
    """A scoring criterion; ``bobot`` is relative (normalised against the set's total)."""

    id: int
    kode: str
    nama: str
    bobot: float
    skala_min: int = 1
    skala_max: int = 5

    @classmethod
    def from_record(cls, rec: Mapping[str, Any]) -> Criterion:
        return cls(
            id=int(rec["id"]),
            kode=str(rec.get("kode", "")),
            nama=str(rec.get("nama", "")),
            bobot=float(rec.get("bobot", 0.0)),
            skala_min=int(rec.get("skala_min", 1)),
            skala_max=int(rec.get("skala_max", 5)),
        )


@dataclass(slots=True)  # not frozen: built 1,500 at a time, frozen costs 3x
class Candidate:
    """What the rules need to know about one proposal (never the whole forum record)."""

    id: int
    desa: str
    biaya: int
    penerima_manfaat: int = 0
    urutan: int = 0
    status: str = DIUSULKAN
    alasan: str = ""
    beban: int | None = None  # what the pagu pays (pagu_charge); None: the whole biaya
    sumber: str = ""  # funding sources, "DD, Swadaya": named when the pagu pays nothing

    @classmethod
    def from_record(cls, rec: Mapping[str, Any], level: str = "") -> Candidate:
        return cls(
            id=int(rec["id"]),
            desa=str(rec.get("desa") or ""),
            biaya=int(rec.get("biaya") or 0),
            penerima_manfaat=int(rec.get("penerima_manfaat") or 0),
            urutan=int(rec.get("urutan") or 0),
            status=str(rec.get("status") or DIUSULKAN),
            alasan=str(rec.get("alasan") or ""),
            beban=pagu_charge(rec, level),
            sumber=", ".join(
                dict.fromkeys(str(f.get("sumber") or "") for f in rec.get("sumber_dana") or [])
            ),
        )

    @property
    def charge(self) -> int:
        """Rupiah this proposal takes from the pagu when accommodated."""
        return self.biaya if self.beban is None else self.beban

    @property
    def rejected(self) -> bool:
        """Rejected by the room (a hard reason such as disputed land): out of the ranking."""
        return self.status == TIDAK_DIAKOMODIR


@dataclass(frozen=True, slots=True)
class BallotRule:
    """How delegate ballots count: up to ``maks_pilihan`` picks, ``"3-2-1"`` or ``"sama"``."""

    maks_pilihan: int = 3
    bobot: str = "3-2-1"

    def __post_init__(self) -> None:
        if self.maks_pilihan < 1:
            raise ValueError("Jumlah pilihan per surat suara minimal 1.")
        if self.bobot not in ("3-2-1", "sama"):
            raise ValueError(f"Bobot surat suara '{self.bobot}' tidak dikenal (3-2-1 atau sama).")

    def points(self, position: int) -> int:
        """Points for the pick at ``position`` (0 = first choice).

        "3-2-1" generalises to any N as N, N-1, ..., 1 (a Borda count), so the first choice of
        a ballot always weighs N even when the delegate named fewer than N proposals.
        """
        return self.maks_pilihan - position if self.bobot == "3-2-1" else 1


def pagu_charge(proposal: Mapping[str, Any], level: str) -> int:
    """The part of a proposal's cost (rupiah) the pagu indikatif of a ``level`` forum pays.

    The pagu pays only the shares of ``sumber_dana`` (a list of ``{"sumber", "jumlah"}``)
    from the level's own budget (:data:`PAGU_SOURCES`): in a kecamatan forum
    ``DD:50.000.000; APBD Kab:262.000.000`` charges 262.000.000 and Dana Desa alone charges
    0; in a desa forum the same proposal charges 50.000.000 and APBD Kab alone charges 0.
    Without any funding recorded the whole ``biaya`` is charged (the forum's own budget is
    the one asked), as it is for a ``level`` not in :data:`PAGU_SOURCES` (records without
    a level, as some tools pass them).
    """
    biaya = int(proposal.get("biaya") or 0)
    sources = PAGU_SOURCES.get(level)
    funding = proposal.get("sumber_dana") or []
    if sources is None or not funding:
        return biaya
    return sum(int(s.get("jumlah") or 0) for s in funding if s.get("sumber") in sources)


# -- scoring ------------------------------------------------------------------------------------
_Weights = tuple[tuple[int, float, int, int], ...]  # (criterion id, weight / span, min, max)


def pagu_absent_text(meta: Mapping[str, Any]) -> str:
    """What stands where the pagu would: "tanpa pagu" when the forum chose to have none
    (``tanpa_pagu`` in its header), else "belum ditetapkan" (a pagu is still to come)."""
    return "tanpa pagu" if meta.get("tanpa_pagu") else "belum ditetapkan"


def _weights(criteria: Iterable[Criterion]) -> _Weights | None:
    """Normalised weights of the criteria that count (weight > 0); None if none does."""
    counted = []
    for c in criteria:
        if c.bobot < 0 or math.isnan(c.bobot):
            raise ValueError(f"Bobot kriteria '{c.nama or c.kode}' tidak boleh negatif.")
        if c.skala_max <= c.skala_min:
            raise ValueError(f"Skala kriteria '{c.nama or c.kode}' tidak sah.")
        if c.bobot > 0:
            counted.append(c)
    total = math.fsum(c.bobot for c in counted)
    if not counted or total <= 0:
        return None
    return tuple(
        (c.id, c.bobot / total / (c.skala_max - c.skala_min), c.skala_min, c.skala_max)
        for c in counted
    )


def _round1(value: float) -> float:
    """Round half up to one decimal, after removing float noise (62.4999999 -> 62.5)."""
    return math.floor(value * 10 + 0.5 + 1e-9) / 10


def _nilai(scores: Mapping[int, int], weights: _Weights | None) -> float | None:
    if weights is None:
        return None
    total = 0.0
    get = scores.get
    for crit_id, factor, low, high in weights:
        score = get(crit_id)
        if score is None:
            return None
        if not low <= score <= high:
            raise ValueError(f"Skor {score} di luar skala {low}-{high}.")
        total += factor * (score - low)
    return _round1(100 * total)


def nilai(scores: Mapping[int, int], criteria: Iterable[Criterion]) -> float | None:
    """The proposal's *nilai*: 100 x sum(w x (s - min) / (max - min)), one decimal, 0..100.

    Weights are normalised to sum 1. A proposal is scored only when every criterion with a
    positive weight has a score: a partly scored proposal gets None, like an unscored one, so a
    half-finished row never outranks a fully discussed one. Criteria with weight 0 are ignored;
    scores for criteria no longer in the set are ignored. None when no criterion has weight.
    """
    return _nilai(scores, _weights(criteria))


def ballot_points(
    ballots: Iterable[Sequence[int]], rule: BallotRule
) -> tuple[dict[int, int], dict[int, int]]:
    """Points and number of ballots naming each proposal (its "sebutan").

    A proposal named twice on one ballot counts once, at its first position. A ballot longer
    than ``rule.maks_pilihan`` (possible only if the limit was lowered after it was cast)
    counts its first ``maks_pilihan`` picks.
    """
    points: dict[int, int] = {}
    mentions: dict[int, int] = {}
    for pilihan in ballots:
        seen: set[int] = set()
        for pick in pilihan:
            if len(seen) == rule.maks_pilihan:
                break
            if pick in seen:
                continue
            points[pick] = points.get(pick, 0) + rule.points(len(seen))
            mentions[pick] = mentions.get(pick, 0) + 1
            seen.add(pick)
    return points, mentions


# -- ranking ------------------------------------------------------------------------------------
@dataclass(slots=True)  # not frozen: built 1,500 at a time, frozen costs 3x
class Standing:
    """A proposal's place in the ranking, before the pagu is applied."""

    candidate: Candidate
    rank: int | None  # None: rejected by the room, outside the ranking
    nilai: float | None  # skoring only
    suara: int | None  # votes (voting), points (surat_suara), tie-break hand count (skoring)
    sebutan: int  # surat_suara: ballots naming it; otherwise 0
    measured: bool  # has the measure its method ranks by (scored, counted, voted on)


def _measures(
    candidates: Sequence[Candidate],
    metode: str,
    criteria: Iterable[Criterion],
    scores: Mapping[int, Mapping[int, int]],
    tallies: Mapping[int, int],
    ballots: Sequence[Sequence[int]],
    ballot_rule: BallotRule,
) -> dict[int, tuple[float | None, int | None, int]]:
    """(nilai, suara, sebutan) per proposal id for the chosen method."""
    if metode == "skoring":
        weights = _weights(criteria)
        return {c.id: measure_scored(c.id, scores, tallies, weights) for c in candidates}
    if metode == "voting":
        return {c.id: (None, tallies.get(c.id), 0) for c in candidates}
    if metode == "surat_suara":
        if not ballots:
            return {c.id: (None, None, 0) for c in candidates}
        points, mentions = ballot_points(ballots, ballot_rule)
        # A proposal no ballot named has no votes yet: unmeasured (last, "belum ada suara"),
        # never ranked into the pagu on zero points after the first ballot.
        return {c.id: (None, points.get(c.id), mentions.get(c.id, 0)) for c in candidates}
    raise ValueError(f"Metode prioritas '{metode}' tidak dikenal.")


def rank(
    candidates: Iterable[Candidate],
    *,
    metode: str,
    criteria: Iterable[Criterion] = (),
    scores: Mapping[int, Mapping[int, int]] | None = None,
    tallies: Mapping[int, int] | None = None,
    ballots: Sequence[Sequence[int]] = (),
    ballot_rule: BallotRule | None = None,
) -> list[Standing]:
    """Order the proposals; ranked ones first (rank 1, 2, ...), then the rejected (rank None).

    Order: the method's measure, highest first (``skoring``: the *nilai* as shown, one decimal;
    ``voting``: the hand count; ``surat_suara``: ballot points); unmeasured proposals after all
    measured ones. Ties: more votes (``skoring``: a hand count recorded for the proposal;
    ``surat_suara``: more ballots naming it), then more beneficiaries, then lower cost, then
    earlier entry (``urutan``), then the lower id, so the order is total and never depends on
    the order of the input.
    """
    candidates = list(candidates)
    measures = _measures(
        candidates,
        metode,
        criteria,
        scores or {},
        tallies or {},
        ballots,
        ballot_rule or BallotRule(),
    )
    return rank_measured(candidates, metode, measures)


Measures = Mapping[int, tuple[float | None, int | None, int]]


def rank_measured(
    candidates: Sequence[Candidate], metode: str, measures: Measures
) -> list[Standing]:
    """:func:`rank` once each proposal's (nilai, suara, sebutan) is known. The result never
    depends on the order of ``candidates``; given in a previous ranking's order, the sort
    takes near-linear time when only a few measures changed (the display after a vote)."""

    def primary_secondary(c: Candidate) -> tuple[float | None, int]:
        nilai_, suara, sebutan = measures[c.id]
        return (nilai_, suara or 0) if metode == "skoring" else (suara, sebutan)

    def key(c: Candidate) -> tuple[Any, ...]:
        primary, secondary = primary_secondary(c)
        return (
            primary is None,
            -(primary or 0),
            -secondary,
            -c.penerima_manfaat,
            c.biaya,
            c.urutan,
            c.id,
        )

    def standing(c: Candidate, position: int | None) -> Standing:
        measured = position is not None and primary_secondary(c)[0] is not None
        return Standing(c, position, *measures[c.id], measured=measured)

    ranked = sorted((c for c in candidates if not c.rejected), key=key)
    rejected = sorted((c for c in candidates if c.rejected), key=lambda c: (c.urutan, c.id))
    return [standing(c, position) for position, c in enumerate(ranked, start=1)] + [
        standing(c, None) for c in rejected
    ]


def measure_scored(
    candidate_id: int,
    scores: Mapping[int, Mapping[int, int]],
    tallies: Mapping[int, int],
    weights: _Weights | None,
) -> tuple[float | None, int | None, int]:
    """One proposal's (nilai, suara, sebutan) under ``skoring`` (what a score changes)."""
    return (_nilai(scores.get(candidate_id, {}), weights), tallies.get(candidate_id), 0)


# -- the pagu -----------------------------------------------------------------------------------
@dataclass(slots=True)  # not frozen: built 1,500 at a time, frozen costs 3x
class RankedRow:
    """One proposal's result: place, measure, status, the reason for it, running total."""

    id: int
    desa: str
    biaya: int
    rank: int | None
    nilai: float | None
    suara: int | None
    sebutan: int
    status: str
    alasan: str
    kumulatif: int  # pagu charged by the diakomodir rows up to and including this one


@dataclass(frozen=True, slots=True)
class RankingResult:
    """The whole picture the pane, the display and the documents show."""

    metode: str
    rows: tuple[RankedRow, ...]  # rank order; unmeasured after measured; rejected last
    cut: int  # the pagu line goes after this many rows (after the last diakomodir row)
    pagu: int | None  # None: no ceiling set
    total_diakomodir: int  # pagu charged by the diakomodir proposals (pagu_charge)

    @property
    def sisa_pagu(self) -> int | None:
        return None if self.pagu is None else self.pagu - self.total_diakomodir

    def row(self, proposal_id: int) -> RankedRow:
        for r in self.rows:
            if r.id == proposal_id:
                return r
        raise KeyError(proposal_id)


def _greedy(
    order: Sequence[Standing],
    pagu: int | None,
    batas_per_desa: int | None,
    accepted: dict[int, Standing],
) -> dict[int, str]:
    """Accept, in order, what fits and respects the cap; return the refusal reason per id.

    ``accepted`` may hold proposals already reserved (they count against pagu and cap) and
    receives the newly accepted ones.
    """
    remaining = None if pagu is None else pagu - sum(s.candidate.charge for s in accepted.values())
    per_desa: dict[str, int] = {}
    for s in accepted.values():
        per_desa[s.candidate.desa] = per_desa.get(s.candidate.desa, 0) + 1
    refused: dict[int, str] = {}
    for s in order:
        c = s.candidate
        if c.id in accepted:
            continue
        if batas_per_desa is not None and c.desa and per_desa.get(c.desa, 0) >= batas_per_desa:
            refused[c.id] = f"melebihi batas {batas_per_desa} usulan per desa"
        elif remaining is not None and c.charge > remaining:
            refused[c.id] = ALASAN_MELEBIHI_PAGU
        else:
            accepted[c.id] = s
            per_desa[c.desa] = per_desa.get(c.desa, 0) + 1
            if remaining is not None:
                remaining -= c.charge
    return refused


def _reserve_one_per_desa(order: Sequence[Standing], pagu: int | None) -> dict[int, Standing]:
    """Each desa's best-ranked proposal that still fits, desa served in order of that rank."""
    reserved: dict[int, Standing] = {}
    served: set[str] = set()
    remaining = pagu
    for s in order:
        c = s.candidate
        if not c.desa or c.desa in served or not c.charge:
            continue  # a proposal the pagu does not pay is accommodated anyway
        if remaining is not None and c.charge > remaining:
            continue
        reserved[c.id] = s
        served.add(c.desa)
        if remaining is not None:
            remaining -= c.charge
    return reserved


def apply_pagu(
    standings: Sequence[Standing],
    pagu: int | None,
    *,
    metode: str,
    minimal_satu_per_desa: bool = False,
    batas_per_desa: int | None = None,
) -> RankingResult:
    """Give every proposal its status and reason, walking ``standings`` (from :func:`rank`).

    - In rank order a measured proposal is *diakomodir* while it fits in what is left of the
      pagu; one that does not fit becomes *cadangan* ("melebihi sisa pagu") and the next is
      tried. ``pagu`` None means no ceiling has been set: every measured proposal fits.
    - ``batas_per_desa`` caps the *number* of diakomodir proposals per desa; the next one of
      that desa becomes *cadangan* ("melebihi batas N usulan per desa").
    - ``minimal_satu_per_desa`` first reserves, for each desa, its best-ranked proposal that
      still fits (desa taken in the order of that proposal's rank), then fills the rest in rank
      order. It only reorders what fits: the pagu always wins, so a desa whose every proposal
      is too expensive stays out. A proposal that would have fitted without this rule but no
      longer does says so in its reason.
    - Proposals without a desa (kecamatan-wide, UPT) take part in neither desa rule.
    - What a proposal takes from the pagu is its :attr:`Candidate.charge` (see
      :func:`pagu_charge`): one the pagu pays nothing of (a kecamatan forum's Dana Desa or
      provincial proposal) is *diakomodir* "di luar pagu" in rank order; ``kumulatif`` and
      ``total_diakomodir`` add up charges, so they never exceed the pagu.
    - Unmeasured proposals stay *diusulkan* with the reason; rejected ones stay
      *tidak diakomodir* with the room's reason.
    """
    if batas_per_desa is not None and batas_per_desa < 1:
        raise ValueError("Batas usulan per desa minimal 1.")
    measured = [s for s in standings if s.measured]

    natural: dict[int, Standing] = {}
    natural_refused = _greedy(measured, pagu, batas_per_desa, natural)
    if minimal_satu_per_desa and pagu is not None:
        accepted = _reserve_one_per_desa(measured, pagu)
        guaranteed = set(accepted) - set(natural)
        refused = _greedy(measured, pagu, batas_per_desa, accepted)
    else:
        accepted, guaranteed, refused = natural, set(), natural_refused

    rows: list[RankedRow] = []
    total = 0
    cut = 0
    for s in standings:
        c = s.candidate
        if c.rejected:
            status, alasan = TIDAK_DIAKOMODIR, c.alasan or ALASAN_DITOLAK_TANPA_ALASAN
        elif not s.measured:
            status, alasan = DIUSULKAN, ALASAN_BELUM_DIUKUR[metode]
        elif c.id in accepted:
            total += c.charge
            status = DIAKOMODIR
            if pagu is None:
                alasan = f"peringkat {s.rank} (pagu belum ditetapkan)"
            elif c.charge == 0 and c.biaya:
                alasan = f"peringkat {s.rank}, di luar pagu (sumber dana {c.sumber or 'lain'})"
            elif c.id in guaranteed:
                alasan = f"peringkat {s.rank}, jaminan minimal satu usulan per desa"
            else:
                alasan = f"peringkat {s.rank}, dalam pagu"
        else:
            status = CADANGAN
            alasan = refused[c.id]
            if alasan == ALASAN_MELEBIHI_PAGU and c.id in natural:
                alasan = ALASAN_TERGESER
        rows.append(
            RankedRow(
                id=c.id,
                desa=c.desa,
                biaya=c.biaya,
                rank=s.rank,
                nilai=s.nilai,
                suara=s.suara,
                sebutan=s.sebutan,
                status=status,
                alasan=alasan,
                kumulatif=total,
            )
        )
        if status == DIAKOMODIR:
            cut = len(rows)
    return RankingResult(metode, tuple(rows), cut, pagu, total)


# -- from the forum's records -------------------------------------------------------------------
def _int_keys(mapping: Mapping[Any, Any]) -> Mapping[int, Any]:
    """JSON storage may hand back string keys; the rules speak ids.

    A mapping's keys all come from one source, so the first key tells which it is: int-keyed
    mappings (what ``store.priority`` returns) are used as they are, without a copy.
    """
    if isinstance(next(iter(mapping), 0), int):
        return mapping
    return {int(k): v for k, v in mapping.items()}


def rank_records(
    meta: Mapping[str, Any],
    proposals: Iterable[Mapping[str, Any]],
    criteria: Iterable[Mapping[str, Any]],
    scores: Mapping[Any, Mapping[Any, int]],
    tallies: Mapping[Any, int],
    ballots: Iterable[Mapping[str, Any]],
) -> RankingResult:
    """The ranking for a forum, from the records ``store.forum`` returns.

    Reads ``level`` (which funding the pagu pays, :func:`pagu_charge`), ``metode_prioritas``,
    ``pagu`` (0 or missing: no ceiling set yet), ``surat_suara`` and ``aturan_pagu`` from
    ``meta``.
    """
    metode = method_of(meta)
    standings = rank(
        (Candidate.from_record(p, str(meta.get("level") or "")) for p in proposals),
        metode=metode,
        criteria=[Criterion.from_record(c) for c in criteria],
        scores=score_table(scores),
        tallies=_int_keys(tallies),
        ballots=ballot_picks(ballots),
        ballot_rule=ballot_rule_of(meta),
    )
    return pagu_of(meta, standings)


def method_of(meta: Mapping[str, Any]) -> str:
    return meta.get("metode_prioritas") or "skoring"


def ballot_rule_of(meta: Mapping[str, Any]) -> BallotRule:
    surat = meta.get("surat_suara") or {}
    return BallotRule(
        maks_pilihan=int(surat.get("maks_pilihan", 3)), bobot=surat.get("bobot", "3-2-1")
    )


def score_table(scores: Mapping[Any, Mapping[Any, int]]) -> dict[int, Mapping[int, int]]:
    """{proposal id: {criterion id: score}} with int keys, from the records' mapping."""
    return {pid: _int_keys(s) for pid, s in _int_keys(scores).items()}


def ballot_picks(ballots: Iterable[Mapping[str, Any]]) -> list[list[int]]:
    return [[int(i) for i in b.get("pilihan", ())] for b in ballots]


def pagu_of(meta: Mapping[str, Any], standings: Sequence[Standing]) -> RankingResult:
    """:func:`apply_pagu` under the forum's pagu and ``aturan_pagu``."""
    aturan = meta.get("aturan_pagu") or {}
    return apply_pagu(
        standings,
        int(meta.get("pagu") or 0) or None,
        metode=method_of(meta),
        minimal_satu_per_desa=bool(aturan.get("minimal_satu_per_desa")),
        batas_per_desa=aturan.get("batas_per_desa"),
    )
