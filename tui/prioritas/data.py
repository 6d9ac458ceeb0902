"""The forum's prioritisation data read once, with the ranking computed from it.

The Prioritas tab and the projector display both show the ranking next to the records it
came from (names, scores, counts). Reading each table once and ranking from those same
records (instead of calling ``forum.priority.ranking()``, which reads them again) halves the
cost of a redraw at 1,500 proposals and guarantees the figures and the ranking agree.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from typing import Any

from store.forum import Forum
from store.ranking import RankedRow, RankingResult, rank_records
from store.validation import ValidationError

#: Tables a keystroke in the Prioritas tab changes; ``updated`` re-reads only these.
VOTE_TABLES = ("scores", "tallies", "ballots")
#: Every table the ranking reads; a change elsewhere (check-ins, minutes) leaves it as is.
RANKING_INPUTS = frozenset({"meta", "proposals", "criteria", *VOTE_TABLES})


@dataclass(frozen=True)
class PriorityData:
    """The forum's prioritisation data read once, with the ranking computed from it."""

    meta: dict[str, Any]
    proposals: list[dict[str, Any]]  # entry order
    criteria: list[dict[str, Any]]
    scores: dict[int, dict[int, int]]
    tallies: dict[int, int]
    ballots: list[dict[str, Any]]
    result: RankingResult

    @classmethod
    def read(cls, forum: Forum) -> PriorityData:
        meta = forum.meta
        proposals = sorted(forum.proposals.all(), key=lambda p: (p.get("urutan", 0), p["id"]))
        criteria = forum.priority.criteria()
        scores = forum.priority.scores()
        tallies = forum.priority.tallies()
        ballots = forum.priority.ballots()
        result = rank_records(meta, proposals, criteria, scores, tallies, ballots)
        return cls(meta, proposals, criteria, scores, tallies, ballots, result)

    def updated(self, forum: Forum, changes: dict[str, set[int]]) -> PriorityData:
        """This data after changes to ``VOTE_TABLES`` only, without re-reading the rest.

        A typed score changes one record: reading it alone keeps a keystroke cheap at 1,500
        proposals (a full read takes ~100 ms there). A removed score cannot be read back, so
        then all scores are re-read.
        """
        scores = self.scores
        if "scores" in changes:
            scores = dict(self.scores)  # the rows touched get new dicts; the rest are shared
            for rec_id in changes["scores"]:
                try:
                    record = forum.record("scores", rec_id)
                except ValidationError:
                    scores = forum.priority.scores()
                    break
                pid = record["usulan_id"]
                scores[pid] = {**scores.get(pid, {}), record["kriteria_id"]: record["nilai"]}
        tallies = forum.priority.tallies() if "tallies" in changes else self.tallies
        ballots = forum.priority.ballots() if "ballots" in changes else self.ballots
        result = rank_records(self.meta, self.proposals, self.criteria, scores, tallies, ballots)
        return replace(self, scores=scores, tallies=tallies, ballots=ballots, result=result)

    def followed(self, forum: Forum, tables: Iterable[str]) -> PriorityData:
        """This data after a refresh that touched ``tables`` (which records is unknown).

        Only the ranking's inputs among them are read again, and nothing at all when none
        is: a vote costs re-reading the votes and re-ranking, not copying every proposal.
        """
        touched = RANKING_INPUTS.intersection(tables)
        if not touched:
            return self
        if not touched <= set(VOTE_TABLES):
            return PriorityData.read(forum)
        scores = forum.priority.scores() if "scores" in touched else self.scores
        tallies = forum.priority.tallies() if "tallies" in touched else self.tallies
        ballots = forum.priority.ballots() if "ballots" in touched else self.ballots
        result = rank_records(self.meta, self.proposals, self.criteria, scores, tallies, ballots)
        return replace(self, scores=scores, tallies=tallies, ballots=ballots, result=result)

    @property
    def metode(self) -> str:
        return self.meta.get("metode_prioritas") or "skoring"

    @property
    def closed(self) -> bool:
        return bool(self.meta.get("pemungutan_ditutup"))

    def rows_by_id(self) -> dict[int, RankedRow]:
        return {row.id: row for row in self.result.rows}

    def shape(self) -> tuple[Any, ...]:
        """What decides the grid's rows and columns; values inside change without a rebuild."""
        return (
            self.metode,
            tuple(p["id"] for p in self.proposals),
            tuple((c["id"], c["kode"]) for c in self.criteria),
        )
