"""The ranking kept current vote by vote equals a full ranking of the same records."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from store.ranking import rank_records
from store.ranking_live import LiveRanking

DESA = ["Japan", "Sooko", ""]


@st.composite
def forums(draw):
    n = draw(st.integers(1, 10))
    proposals = [
        {
            "id": pid,
            "desa": draw(st.sampled_from(DESA)),
            "biaya": draw(st.integers(0, 1000)),
            "penerima_manfaat": draw(st.integers(0, 3)),
            "urutan": draw(st.integers(0, 5)),
            "status": draw(st.sampled_from(["diusulkan"] * 5 + ["tidak diakomodir"])),
        }
        for pid in range(1, n + 1)
    ]
    criteria = [
        {"id": cid, "kode": f"K{cid}", "bobot": draw(st.sampled_from([0, 0.25, 1, 3]))}
        for cid in range(1, draw(st.integers(1, 3)) + 1)
    ]
    meta = {
        "metode_prioritas": draw(st.sampled_from(["skoring", "voting", "surat_suara"])),
        "pagu": draw(st.integers(0, 3000)),
        "aturan_pagu": {
            "minimal_satu_per_desa": draw(st.booleans()),
            "batas_per_desa": draw(st.one_of(st.none(), st.integers(1, 3))),
        },
        "surat_suara": {"maks_pilihan": draw(st.integers(1, 3)), "bobot": "3-2-1"},
    }
    pid = st.integers(1, n + 1)  # n + 1: a vote for a proposal not in the list
    vote = st.one_of(
        st.tuples(st.just("score"), pid, st.integers(1, len(criteria)), st.integers(1, 5)),
        st.tuples(st.just("clear"), pid, st.integers(1, len(criteria))),
        st.tuples(st.just("tally"), pid, st.integers(0, 6)),
        st.tuples(st.just("ballot"), st.lists(st.integers(1, n), max_size=3)),
        st.tuples(
            st.just("proposal"),
            pid,
            st.one_of(st.none(), st.integers(0, 1000)),  # None: removed; else a new cost
            st.sampled_from(["diusulkan", "tidak diakomodir"]),
        ),
    )
    return meta, proposals, criteria, draw(st.lists(vote, max_size=25))


@settings(max_examples=300)
@given(forums(), st.booleans())
def test_revoted_equals_a_full_ranking(forum, known_ids):
    meta, proposals, criteria, votes = forum
    scores: dict[int, dict[int, int]] = {}
    tallies: dict[int, int] = {}
    ballots: list[dict] = []
    live = LiveRanking.build(meta, proposals, criteria, scores, tallies, ballots)
    for vote in votes:
        kind = vote[0]
        if kind in ("score", "clear"):
            row = dict(scores.get(vote[1], {}))
            if kind == "score":
                row[vote[2]] = vote[3]
            else:
                row.pop(vote[2], None)
            scores = {**scores, vote[1]: row}
            scored = {vote[1]} if known_ids else None
            live = live.revoted(scores=scores, scored=scored)
        elif kind == "tally":
            tallies = {**tallies, vote[1]: vote[2]}
            live = live.revoted(tallies=tallies)
        elif kind == "ballot":
            ballots = [*ballots, {"pilihan": vote[1]}]
            live = live.revoted(ballots=ballots)
        else:  # a proposal edited, added (an id not yet listed) or removed
            _, rec_id, biaya, status = vote
            kept = [p for p in proposals if p["id"] != rec_id]
            record = None if biaya is None else {"id": rec_id, "biaya": biaya, "status": status}
            proposals = kept if record is None else [*kept, record]
            live = live.reproposed({rec_id: record})
        assert live.result == rank_records(meta, proposals, criteria, scores, tallies, ballots)
