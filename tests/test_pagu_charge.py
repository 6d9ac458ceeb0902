"""Which funding a forum's pagu pays (store.ranking.pagu_charge) and what the cut does with it.

A kecamatan's pagu indikatif is the Kabupaten's own budget: only APBD Kab shares count
against it; a Dana Desa, provincial or swadaya share never uses it.
"""

from __future__ import annotations

from store.ranking import (
    CADANGAN,
    DIAKOMODIR,
    Candidate,
    apply_pagu,
    pagu_charge,
    rank,
    rank_records,
)


def funded(*sources: tuple[str, int]) -> dict:
    return {
        "biaya": sum(amount for _, amount in sources),
        "sumber_dana": [{"sumber": name, "jumlah": amount} for name, amount in sources],
    }


def test_a_kecamatan_pagu_pays_only_the_apbd_kab_share():
    assert pagu_charge(funded(("APBD Kab", 300)), "kecamatan") == 300
    assert pagu_charge(funded(("DD", 300)), "kecamatan") == 0
    assert pagu_charge(funded(("APBD Prov", 300)), "kecamatan") == 0
    assert pagu_charge(funded(("APBD Kab", 270), ("Swadaya", 30)), "kecamatan") == 270


def test_without_funding_the_whole_cost_is_charged():
    assert pagu_charge({"biaya": 500, "sumber_dana": []}, "kecamatan") == 500


def test_a_desa_pagu_pays_the_desa_budget_shares_only():
    """A desa's pagu is its APBDes (with DD and ADD); what it asks the Kabupaten, the
    province or the state for, and the community's swadaya, is not charged to it."""
    assert pagu_charge(funded(("DD", 300)), "desa") == 300
    assert pagu_charge(funded(("ADD", 100), ("APBDes", 50)), "desa") == 150
    assert pagu_charge(funded(("APBD Kab", 300)), "desa") == 0
    assert pagu_charge(funded(("DD", 270), ("Swadaya", 30)), "desa") == 270
    assert pagu_charge({"biaya": 500, "sumber_dana": []}, "desa") == 500


def test_each_level_charges_the_other_levels_share_differently():
    mixed = funded(("DD", 50), ("APBD Kab", 262))
    assert (pagu_charge(mixed, "desa"), pagu_charge(mixed, "kecamatan")) == (50, 262)


def candidate(pid: int, biaya: int, charge: int, sumber: str) -> Candidate:
    return Candidate(id=pid, desa="Japan", biaya=biaya, urutan=pid, beban=charge, sumber=sumber)


def test_a_proposal_the_pagu_does_not_pay_is_accommodated_outside_it():
    candidates = [
        candidate(1, 100, 0, "DD"),  # best ranked, Dana Desa only
        candidate(2, 900, 900, "APBD Kab"),
        candidate(3, 200, 200, "APBD Kab"),
    ]
    standings = rank(candidates, metode="voting", tallies={1: 30, 2: 20, 3: 10})
    result = apply_pagu(standings, 1000, metode="voting")
    by_id = {row.id: row for row in result.rows}
    assert by_id[1].status == DIAKOMODIR
    assert "di luar pagu (sumber dana DD)" in by_id[1].alasan
    assert by_id[2].status == DIAKOMODIR  # the DD proposal left the whole pagu to it
    assert by_id[3].status == CADANGAN
    assert result.total_diakomodir == 900 and result.sisa_pagu == 100
    assert [row.kumulatif for row in result.rows] == [0, 900, 900]


def test_minimal_one_per_desa_is_not_served_by_a_proposal_outside_the_pagu():
    candidates = [
        Candidate(id=1, desa="A", biaya=50, urutan=1, beban=0, sumber="DD"),
        Candidate(id=2, desa="B", biaya=600, urutan=2, beban=600),
        Candidate(id=3, desa="A", biaya=500, urutan=3, beban=500),
        Candidate(id=4, desa="B", biaya=400, urutan=4, beban=400),
    ]
    standings = rank(candidates, metode="voting", tallies={1: 40, 2: 30, 4: 20, 3: 10})
    result = apply_pagu(standings, 1100, metode="voting", minimal_satu_per_desa=True)
    status = {row.id: row.status for row in result.rows}
    # Desa A's DD proposal is outside the pagu: A still gets its best pagu-paid proposal.
    assert status[3] == DIAKOMODIR and status[1] == DIAKOMODIR and status[4] == CADANGAN
    assert result.total_diakomodir == 1100


def test_rank_records_reads_the_level_for_the_charge():
    meta = {"level": "kecamatan", "metode_prioritas": "voting", "pagu": 500}
    proposals = [
        {"id": 1, "urutan": 1, **funded(("DD", 400))},
        {"id": 2, "urutan": 2, **funded(("APBD Kab", 450))},
        {"id": 3, "urutan": 3, **funded(("ADD", 200))},
    ]
    result = rank_records(meta, proposals, [], {}, {1: 9, 2: 8, 3: 7}, [])
    assert [row.status for row in result.rows] == [DIAKOMODIR, DIAKOMODIR, DIAKOMODIR]
    desa = rank_records({**meta, "level": "desa"}, proposals, [], {}, {1: 9, 2: 8, 3: 7}, [])
    # desa: DD 400 fits, APBD Kab is outside the desa's pagu, ADD 200 no longer fits
    assert [row.status for row in desa.rows] == [DIAKOMODIR, DIAKOMODIR, CADANGAN]
