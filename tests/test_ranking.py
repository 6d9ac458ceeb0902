"""The ranking and pagu rules (store.ranking, store.criteria_presets): examples and properties."""

from __future__ import annotations

import math
import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from store.criteria_presets import PRESETS, preset_records
from store.ranking import (
    ALASAN_DITOLAK_TANPA_ALASAN,
    ALASAN_MELEBIHI_PAGU,
    ALASAN_TERGESER,
    CADANGAN,
    DIAKOMODIR,
    DIUSULKAN,
    TIDAK_DIAKOMODIR,
    BallotRule,
    Candidate,
    Criterion,
    apply_pagu,
    ballot_points,
    nilai,
    rank,
    rank_records,
)


def criteria_of(preset: str) -> list[Criterion]:
    return [
        Criterion.from_record({**rec, "id": i})
        for i, rec in enumerate(preset_records(preset), start=1)
    ]


def two_criteria(w1: float = 0.5, w2: float = 0.5) -> list[Criterion]:
    return [Criterion(1, "A", "Kriteria A", w1), Criterion(2, "B", "Kriteria B", w2)]


def cand(pid: int, desa: str = "Japan", biaya: int = 100, **kw: object) -> Candidate:
    return Candidate(id=pid, desa=desa, biaya=biaya, urutan=kw.pop("urutan", pid), **kw)


def tally_result(tallies: dict[int, int], candidates: list[Candidate], pagu: int | None, **rules):
    standings = rank(candidates, metode="voting", tallies=tallies)
    return apply_pagu(standings, pagu, metode="voting", **rules)


# -- presets ------------------------------------------------------------------------------------
def test_standard_preset_has_the_domain_weights() -> None:
    recs = preset_records("standar")
    assert [(r["kode"], r["bobot"]) for r in recs] == [
        ("Urg", 0.25),
        ("Manf", 0.20),
        ("Rent", 0.20),
        ("RPJM", 0.15),
        ("Lahan", 0.10),
        ("Swa", 0.10),
    ]
    assert all((r["skala_min"], r["skala_max"]) == (1, 5) for r in recs)
    assert [r["urut"] for r in recs] == [1, 2, 3, 4, 5, 6]


def test_usg_preset_has_three_equal_weights() -> None:
    recs = preset_records("usg")
    assert [r["nama"].split()[0] for r in recs] == ["Urgensi", "Keseriusan", "Pertumbuhan"]
    assert len({r["bobot"] for r in recs}) == 1


def test_urgensi_preset_weights() -> None:
    assert [r["bobot"] for r in preset_records("urgensi")] == [0.40, 0.30, 0.20, 0.10]


@pytest.mark.parametrize("name", sorted(PRESETS))
def test_every_preset_sums_to_one(name: str) -> None:
    assert math.isclose(sum(r["bobot"] for r in preset_records(name)), 1.0)


def test_unknown_preset_is_refused_in_indonesian() -> None:
    with pytest.raises(ValueError, match="tidak dikenal"):
        preset_records("rahasia")


# -- nilai --------------------------------------------------------------------------------------
def test_nilai_matches_the_screen_sketch() -> None:
    crit = criteria_of("standar")
    assert nilai(dict(zip(range(1, 7), [5, 4, 3, 5, 4, 3], strict=True)), crit) == 77.5
    assert nilai(dict(zip(range(1, 7), [4, 4, 2, 4, 5, 2], strict=True)), crit) == 62.5


def test_nilai_spans_zero_to_hundred() -> None:
    crit = criteria_of("standar")
    assert nilai(dict.fromkeys(range(1, 7), 1), crit) == 0.0
    assert nilai(dict.fromkeys(range(1, 7), 5), crit) == 100.0


def test_weights_are_normalised() -> None:
    scores = {1: 5, 2: 2}
    assert nilai(scores, two_criteria(2, 2)) == nilai(scores, two_criteria(0.5, 0.5)) == 62.5


def test_nilai_rounds_half_up_to_one_decimal() -> None:
    # 100 x 0.25 x (2 - 1) / 4 = 6.25: half up gives 6.3 where round() would give 6.2.
    assert nilai({1: 2, 2: 1}, two_criteria(0.25, 0.75)) == 6.3
    # 100 x 0.15 x 1/4 = 3.75 is 3.7499999... in floating point; still 3.8.
    assert nilai({1: 2, 2: 1}, two_criteria(0.15, 0.85)) == 3.8


def test_partly_scored_is_unscored() -> None:
    assert nilai({1: 5}, two_criteria()) is None
    assert nilai({}, two_criteria()) is None


def test_zero_weight_criterion_is_not_needed() -> None:
    assert nilai({1: 5}, two_criteria(1, 0)) == 100.0


def test_scores_of_removed_criteria_are_ignored() -> None:
    assert nilai({1: 5, 2: 5, 99: 1}, two_criteria()) == 100.0


def test_no_weighted_criterion_means_no_nilai() -> None:
    assert nilai({1: 5}, []) is None
    assert nilai({1: 5, 2: 5}, two_criteria(0, 0)) is None


def test_score_outside_the_scale_is_refused() -> None:
    with pytest.raises(ValueError, match="di luar skala"):
        nilai({1: 6, 2: 1}, two_criteria())


def test_negative_weight_is_refused() -> None:
    with pytest.raises(ValueError, match="negatif"):
        nilai({1: 1, 2: 1}, two_criteria(-1, 2))


# -- ballots ------------------------------------------------------------------------------------
def test_ballots_count_three_two_one() -> None:
    points, mentions = ballot_points([[10, 20, 30], [20, 10]], BallotRule(3, "3-2-1"))
    assert points == {10: 5, 20: 5, 30: 1}
    assert mentions == {10: 2, 20: 2, 30: 1}


def test_ballot_weights_generalise_to_n_choices() -> None:
    points, _ = ballot_points([[1, 2], [3, 4, 5, 6, 7]], BallotRule(5, "3-2-1"))
    assert points == {1: 5, 2: 4, 3: 5, 4: 4, 5: 3, 6: 2, 7: 1}


def test_equal_ballot_weights() -> None:
    points, _ = ballot_points([[1, 2, 3], [3]], BallotRule(3, "sama"))
    assert points == {1: 1, 2: 1, 3: 2}


def test_repeated_pick_counts_once_and_long_ballot_is_cut() -> None:
    points, mentions = ballot_points([[1, 1, 2, 3, 4]], BallotRule(3, "3-2-1"))
    assert points == {1: 3, 2: 2, 3: 1}
    assert 4 not in mentions


def test_bad_ballot_rule_is_refused() -> None:
    with pytest.raises(ValueError):
        BallotRule(0)
    with pytest.raises(ValueError):
        BallotRule(3, "4-2-1")


# -- rank ---------------------------------------------------------------------------------------
def ids(standings) -> list[int]:
    return [s.candidate.id for s in standings]


def test_skoring_ranks_by_nilai_unscored_last() -> None:
    cands = [cand(1), cand(2), cand(3)]
    scores = {1: {1: 2, 2: 2}, 2: {1: 5, 2: 5}, 3: {1: 5}}
    standings = rank(cands, metode="skoring", criteria=two_criteria(), scores=scores)
    assert ids(standings) == [2, 1, 3]
    assert [s.rank for s in standings] == [1, 2, 3]
    assert [s.measured for s in standings] == [True, True, False]


def test_tie_break_order_votes_beneficiaries_cost_entry() -> None:
    same = {1: 3, 2: 3}
    cands = [
        cand(1, biaya=100, penerima_manfaat=10, urutan=5),
        cand(2, biaya=100, penerima_manfaat=10, urutan=4),  # earlier entry beats 1
        cand(3, biaya=90, penerima_manfaat=10, urutan=9),  # cheaper beats 1 and 2
        cand(4, biaya=500, penerima_manfaat=50, urutan=9),  # more beneficiaries beats 1-3
        cand(5, biaya=900, penerima_manfaat=0, urutan=9),  # a hand count beats them all
    ]
    standings = rank(
        cands,
        metode="skoring",
        criteria=two_criteria(),
        scores=dict.fromkeys(range(1, 6), same),
        tallies={5: 7},
    )
    assert ids(standings) == [5, 4, 3, 2, 1]


def test_ties_on_the_shown_nilai_use_the_tie_break() -> None:
    # 100/3 x ... both show 8.3 though the exact values differ: the room sees a tie.
    crit = [Criterion(i, str(i), str(i), 1) for i in (1, 2, 3)]
    cands = [cand(1, penerima_manfaat=1), cand(2, penerima_manfaat=9)]
    scores = {1: {1: 2, 2: 1, 3: 1}, 2: {1: 1, 2: 2, 3: 1}}
    standings = rank(cands, metode="skoring", criteria=crit, scores=scores)
    assert [s.nilai for s in standings] == [8.3, 8.3]
    assert ids(standings) == [2, 1]


def test_rejected_proposals_are_outside_the_ranking() -> None:
    cands = [cand(1), cand(2, status=TIDAK_DIAKOMODIR, alasan="lahan sengketa"), cand(3)]
    standings = rank(cands, metode="voting", tallies={1: 1, 2: 99, 3: 5})
    assert ids(standings) == [3, 1, 2]
    assert standings[-1].rank is None
    assert not standings[-1].measured


def test_voting_without_a_count_is_unmeasured_but_zero_counts() -> None:
    standings = rank([cand(1), cand(2)], metode="voting", tallies={2: 0})
    assert ids(standings) == [2, 1]
    assert [s.measured for s in standings] == [True, False]


def test_surat_suara_ranks_by_points_then_by_ballots_naming_it() -> None:
    # 1: 3 points from one ballot; 2: 1 + 2 = 3 points from two ballots.
    ballots = [[1, 3, 2], [3, 2]]
    standings = rank([cand(1), cand(2), cand(3)], metode="surat_suara", ballots=ballots)
    assert ids(standings) == [3, 2, 1]
    assert [(s.suara, s.sebutan) for s in standings] == [(5, 2), (3, 2), (3, 1)]


def test_surat_suara_without_ballots_is_unmeasured() -> None:
    standings = rank([cand(1)], metode="surat_suara", ballots=[])
    assert not standings[0].measured


def test_surat_suara_proposal_no_ballot_named_is_last_and_outside_the_pagu() -> None:
    standings = rank([cand(1), cand(2), cand(3)], metode="surat_suara", ballots=[[2]])
    assert ids(standings)[0] == 2
    assert [s.measured for s in standings] == [True, False, False]
    result = apply_pagu(standings, 1_000, metode="surat_suara")
    by_id = {row.id: row for row in result.rows}
    assert by_id[2].status == DIAKOMODIR
    for unvoted in (1, 3):
        assert by_id[unvoted].status == DIUSULKAN
        assert by_id[unvoted].alasan == "belum ada suara"
    assert result.rows[0].id == 2  # the voted one first, the others after


def test_unknown_method_is_refused() -> None:
    with pytest.raises(ValueError, match="tidak dikenal"):
        rank([cand(1)], metode="undian")


# -- pagu ---------------------------------------------------------------------------------------
def statuses(result) -> dict[int, tuple[str, str]]:
    return {r.id: (r.status, r.alasan) for r in result.rows}


def test_what_does_not_fit_is_skipped_and_the_next_tried() -> None:
    cands = [cand(1, biaya=600), cand(2, biaya=500), cand(3, biaya=300), cand(4, biaya=200)]
    result = tally_result({1: 9, 2: 8, 3: 7, 4: 6}, cands, pagu=1000)
    assert statuses(result) == {
        1: (DIAKOMODIR, "peringkat 1, dalam pagu"),
        2: (CADANGAN, ALASAN_MELEBIHI_PAGU),
        3: (DIAKOMODIR, "peringkat 3, dalam pagu"),
        4: (CADANGAN, ALASAN_MELEBIHI_PAGU),
    }
    assert [r.kumulatif for r in result.rows] == [600, 600, 900, 900]
    assert result.total_diakomodir == 900
    assert result.sisa_pagu == 100
    assert result.cut == 3


def test_exact_fit_is_accepted() -> None:
    result = tally_result({1: 2, 2: 1}, [cand(1, biaya=400), cand(2, biaya=600)], pagu=1000)
    assert [r.status for r in result.rows] == [DIAKOMODIR, DIAKOMODIR]
    assert result.sisa_pagu == 0


def test_no_pagu_accepts_every_measured_proposal() -> None:
    result = tally_result({1: 2, 2: 1}, [cand(1), cand(2), cand(3)], pagu=None)
    assert statuses(result) == {
        1: (DIAKOMODIR, "peringkat 1 (pagu belum ditetapkan)"),
        2: (DIAKOMODIR, "peringkat 2 (pagu belum ditetapkan)"),
        3: (DIUSULKAN, "suara belum dihitung"),
    }
    assert result.sisa_pagu is None
    assert result.cut == 2


def test_rejection_by_the_room_keeps_its_reason() -> None:
    cands = [
        cand(1, status=TIDAK_DIAKOMODIR, alasan="aset belum diserahkan"),
        cand(2, status=TIDAK_DIAKOMODIR),
        cand(3),
    ]
    result = tally_result({1: 50, 2: 40, 3: 1}, cands, pagu=10_000)
    assert statuses(result) == {
        1: (TIDAK_DIAKOMODIR, "aset belum diserahkan"),
        2: (TIDAK_DIAKOMODIR, ALASAN_DITOLAK_TANPA_ALASAN),
        3: (DIAKOMODIR, "peringkat 1, dalam pagu"),
    }
    assert [r.rank for r in result.rows] == [1, None, None]


def test_unscored_stays_proposed_with_a_reason() -> None:
    standings = rank([cand(1)], metode="skoring", criteria=two_criteria(), scores={1: {1: 3}})
    result = apply_pagu(standings, 1000, metode="skoring")
    assert statuses(result) == {1: (DIUSULKAN, "belum dinilai lengkap")}
    assert result.cut == 0


def test_current_status_other_than_rejection_is_recomputed() -> None:
    cands = [cand(1, biaya=900, status=CADANGAN, alasan="lama"), cand(2, status=DIAKOMODIR)]
    result = tally_result({1: 5, 2: 1}, cands, pagu=1000)
    assert statuses(result) == {
        1: (DIAKOMODIR, "peringkat 1, dalam pagu"),
        2: (DIAKOMODIR, "peringkat 2, dalam pagu"),
    }


def test_minimal_one_per_desa_reorders_what_fits() -> None:
    cands = [
        cand(1, "Japan", 400),
        cand(2, "Japan", 300),
        cand(3, "Japan", 300),
        cand(4, "Sooko", 200),
    ]
    tallies = {1: 9, 2: 8, 3: 7, 4: 1}
    plain = tally_result(tallies, cands, pagu=1000)
    assert plain.row(4).status == CADANGAN
    result = tally_result(tallies, cands, pagu=1000, minimal_satu_per_desa=True)
    assert statuses(result) == {
        1: (DIAKOMODIR, "peringkat 1, dalam pagu"),
        2: (DIAKOMODIR, "peringkat 2, dalam pagu"),
        3: (CADANGAN, ALASAN_TERGESER),
        4: (DIAKOMODIR, "peringkat 4, jaminan minimal satu usulan per desa"),
    }
    assert result.total_diakomodir == 900
    assert result.cut == 4


def test_minimal_one_per_desa_takes_the_desa_best_that_fits() -> None:
    cands = [cand(1, "Japan", 700), cand(2, "Sooko", 500), cand(3, "Sooko", 300)]
    result = tally_result({1: 9, 2: 8, 3: 1}, cands, pagu=1000, minimal_satu_per_desa=True)
    assert [r.status for r in result.rows] == [DIAKOMODIR, CADANGAN, DIAKOMODIR]


def test_the_pagu_wins_over_minimal_one_per_desa() -> None:
    cands = [cand(1, "Japan", 900), cand(2, "Sooko", 200)]
    result = tally_result({1: 9, 2: 1}, cands, pagu=1000, minimal_satu_per_desa=True)
    assert statuses(result)[2] == (CADANGAN, ALASAN_MELEBIHI_PAGU)
    assert result.total_diakomodir == 900


def test_proposals_without_desa_get_no_guarantee() -> None:
    cands = [cand(1, "Japan", 900), cand(2, "", 100)]
    result = tally_result({1: 9, 2: 1}, cands, pagu=950, minimal_satu_per_desa=True)
    assert result.row(2).status == CADANGAN


def test_cap_per_desa_counts_proposals() -> None:
    cands = [cand(1, "Japan"), cand(2, "Japan"), cand(3, "Japan"), cand(4, "Sooko"), cand(5, "")]
    tallies = {1: 9, 2: 8, 3: 7, 4: 6, 5: 5}
    result = tally_result(tallies, cands, pagu=10_000, batas_per_desa=2)
    assert statuses(result)[3] == (CADANGAN, "melebihi batas 2 usulan per desa")
    assert [r.status for r in result.rows].count(DIAKOMODIR) == 4


def test_cap_below_one_is_refused() -> None:
    with pytest.raises(ValueError, match="minimal 1"):
        tally_result({}, [cand(1)], pagu=100, batas_per_desa=0)


def test_rank_records_reads_forum_records() -> None:
    meta = {
        "metode_prioritas": "skoring",
        "pagu": 500,
        "aturan_pagu": {"minimal_satu_per_desa": False, "batas_per_desa": None},
        "surat_suara": {"maks_pilihan": 3, "bobot": "3-2-1"},
    }
    proposals = [
        {"id": 1, "desa": "Japan", "biaya": 400, "penerima_manfaat": 10, "urutan": 1},
        {"id": 2, "desa": "Sooko", "biaya": 300, "penerima_manfaat": 10, "urutan": 2},
    ]
    criteria = [{**r, "id": i} for i, r in enumerate(preset_records("usg"), start=1)]
    scores = {"1": {"1": 3, "2": 3, "3": 3}, "2": {"1": 5, "2": 5, "3": 5}}  # JSON string keys
    result = rank_records(meta, proposals, criteria, scores, {}, [])
    assert [(r.id, r.nilai, r.status) for r in result.rows] == [
        (2, 100.0, DIAKOMODIR),
        (1, 50.0, CADANGAN),
    ]


def test_rank_records_treats_zero_pagu_as_not_set() -> None:
    meta = {"metode_prioritas": "surat_suara", "pagu": 0}
    ballots = [{"id": 1, "peserta_id": 7, "pilihan": [2, 1]}]
    proposals = [{"id": 1, "biaya": 10}, {"id": 2, "biaya": 10}]
    result = rank_records(meta, proposals, [], {}, {}, ballots)
    assert result.pagu is None
    assert [(r.id, r.suara, r.status) for r in result.rows] == [
        (2, 3, DIAKOMODIR),
        (1, 2, DIAKOMODIR),
    ]


# -- properties ---------------------------------------------------------------------------------
DESA = ["Japan", "Sooko", "Brangkal", ""]


@st.composite
def forums(draw):
    """A random forum: proposals, method, measures and pagu rules."""
    n = draw(st.integers(1, 25))
    cands = [
        Candidate(
            id=pid,
            desa=draw(st.sampled_from(DESA)),
            biaya=draw(st.integers(0, 1000)),
            penerima_manfaat=draw(st.integers(0, 3)),
            urutan=draw(st.integers(0, 5)),
            status=draw(st.sampled_from([DIUSULKAN] * 6 + [TIDAK_DIAKOMODIR, CADANGAN])),
            alasan=draw(st.sampled_from(["", "lahan sengketa"])),
        )
        for pid in range(1, n + 1)
    ]
    criteria = [
        Criterion(cid, f"K{cid}", f"Kriteria {cid}", draw(st.sampled_from([0, 0.1, 0.25, 1, 3])))
        for cid in range(1, draw(st.integers(1, 4)) + 1)
    ]
    score = st.integers(1, 5)
    scores = {
        c.id: {k.id: draw(score) for k in criteria if draw(st.integers(0, 9)) > 0} for c in cands
    }
    tallies = {c.id: draw(st.integers(0, 6)) for c in cands if draw(st.booleans())}
    ballot = st.lists(st.integers(1, n), max_size=4)
    return {
        "candidates": cands,
        "metode": draw(st.sampled_from(["skoring", "voting", "surat_suara"])),
        "criteria": criteria,
        "scores": scores,
        "tallies": tallies,
        "ballots": draw(st.lists(ballot, max_size=8)),
        "ballot_rule": BallotRule(
            draw(st.integers(1, 4)), draw(st.sampled_from(["3-2-1", "sama"]))
        ),
        "pagu": draw(st.one_of(st.none(), st.integers(0, 4000))),
        "minimal_satu_per_desa": draw(st.booleans()),
        "batas_per_desa": draw(st.one_of(st.none(), st.integers(1, 3))),
    }


def compute(f: dict):
    standings = rank(
        f["candidates"],
        metode=f["metode"],
        criteria=f["criteria"],
        scores=f["scores"],
        tallies=f["tallies"],
        ballots=f["ballots"],
        ballot_rule=f["ballot_rule"],
    )
    return apply_pagu(
        standings,
        f["pagu"],
        metode=f["metode"],
        minimal_satu_per_desa=f["minimal_satu_per_desa"],
        batas_per_desa=f["batas_per_desa"],
    )


@given(forums())
def test_diakomodir_total_never_exceeds_the_pagu(f) -> None:
    result = compute(f)
    accepted = [r for r in result.rows if r.status == DIAKOMODIR]
    assert result.total_diakomodir == sum(r.biaya for r in accepted)
    assert result.rows[-1].kumulatif == result.total_diakomodir
    if f["pagu"] is not None:
        assert result.total_diakomodir <= f["pagu"]


@given(forums())
def test_every_status_has_a_reason(f) -> None:
    for row in compute(f).rows:
        assert row.alasan.strip(), row
        assert row.status in (DIUSULKAN, DIAKOMODIR, CADANGAN, TIDAK_DIAKOMODIR)


@given(forums(), st.randoms(use_true_random=False))
def test_same_input_same_order_under_permutation(f, rng: random.Random) -> None:
    first = compute(f)
    assert compute(f) == first
    shuffled = dict(f, candidates=rng.sample(f["candidates"], len(f["candidates"])))
    shuffled["ballots"] = rng.sample(f["ballots"], len(f["ballots"]))
    assert compute(shuffled) == first


@given(forums())
def test_cut_line_follows_the_last_accepted_row(f) -> None:
    result = compute(f)
    statuses_ = [r.status for r in result.rows]
    assert DIAKOMODIR not in statuses_[result.cut :]
    assert result.cut == 0 or statuses_[result.cut - 1] == DIAKOMODIR


@given(forums())
def test_nothing_left_out_fits_in_what_is_left(f) -> None:
    """The greedy walk never leaves money on the table for a proposal it skipped."""
    result = compute(f)
    for row in result.rows:
        if row.status == CADANGAN and row.alasan in (ALASAN_MELEBIHI_PAGU, ALASAN_TERGESER):
            assert row.biaya > result.sisa_pagu


@given(forums())
def test_desa_rules_never_break_the_pagu_or_the_cap(f) -> None:
    f = dict(f, minimal_satu_per_desa=True)
    result = compute(f)
    if f["pagu"] is not None:
        assert result.total_diakomodir <= f["pagu"]
    if f["batas_per_desa"] is not None:
        for desa in DESA[:-1]:
            count = sum(1 for r in result.rows if r.desa == desa and r.status == DIAKOMODIR)
            assert count <= f["batas_per_desa"]


@given(forums())
def test_minimal_one_per_desa_serves_every_desa_it_can(f) -> None:
    """A desa left without any diakomodir had nothing measured that fitted when its turn came."""
    f = dict(f, minimal_satu_per_desa=True, batas_per_desa=None)
    result = compute(f)
    for desa in DESA[:-1]:
        rows = [r for r in result.rows if r.desa == desa]
        if rows and not any(r.status == DIAKOMODIR for r in rows):
            measured = [r for r in rows if r.status == CADANGAN]
            assert all(r.biaya > result.sisa_pagu for r in measured)


@given(forums(), st.data())
def test_raising_one_score_never_lowers_its_rank(f, data) -> None:
    cands = [c for c in f["candidates"] if not c.rejected]
    if not cands:
        return
    target = data.draw(st.sampled_from(cands)).id
    before = compute(f).row(target).rank
    raised = dict(f)
    if f["metode"] == "skoring":
        crit = data.draw(st.sampled_from(f["criteria"])).id
        own = dict(f["scores"][target])
        own[crit] = min(5, own.get(crit, 1) + data.draw(st.integers(0, 4)))
        raised["scores"] = {**f["scores"], target: own}
    elif f["metode"] == "voting":
        raised["tallies"] = {**f["tallies"], target: f["tallies"].get(target, 0) + 1}
    else:
        raised["ballots"] = [*f["ballots"], [target]]
    assert compute(raised).row(target).rank <= before


@settings(max_examples=25)
@given(forums())
def test_rank_records_agrees_with_the_two_steps(f) -> None:
    meta = {
        "metode_prioritas": f["metode"],
        "pagu": f["pagu"] or 0,
        "surat_suara": {
            "maks_pilihan": f["ballot_rule"].maks_pilihan,
            "bobot": f["ballot_rule"].bobot,
        },
        "aturan_pagu": {
            "minimal_satu_per_desa": f["minimal_satu_per_desa"],
            "batas_per_desa": f["batas_per_desa"],
        },
    }
    proposals = [
        {
            "id": c.id,
            "desa": c.desa,
            "biaya": c.biaya,
            "penerima_manfaat": c.penerima_manfaat,
            "urutan": c.urutan,
            "status": c.status,
            "alasan": c.alasan,
        }
        for c in f["candidates"]
    ]
    criteria = [
        {"id": k.id, "kode": k.kode, "nama": k.nama, "bobot": k.bobot} for k in f["criteria"]
    ]
    ballots = [{"id": i, "pilihan": b} for i, b in enumerate(f["ballots"], start=1)]
    result = rank_records(meta, proposals, criteria, f["scores"], f["tallies"], ballots)
    assert result == compute(dict(f, pagu=f["pagu"] or None))
