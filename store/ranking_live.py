"""The ranking kept current vote by vote: a change re-measures only the proposals it touched.

At a Kabupaten's 15,000 proposals a full :func:`store.ranking.rank_records` costs ~0.3 s
(reading every proposal into a ``Candidate``, measuring every one, sorting from scratch). A
vote changes one proposal's measure, so ``LiveRanking`` keeps the candidates, their measures
and the last order, re-measures what changed and re-sorts from the last order (near-linear);
the pagu walk is the same pure :func:`store.ranking.apply_pagu`. Its ``result`` always equals
``rank_records`` over the same records (pinned by a property test).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from store.ranking import (
    Candidate,
    Criterion,
    Measures,
    RankingResult,
    _int_keys,
    _measures,
    _weights,
    ballot_picks,
    ballot_rule_of,
    measure_scored,
    method_of,
    pagu_of,
    rank_measured,
    score_table,
)


@dataclass(frozen=True)
class LiveRanking:
    """One ranking and what it was computed from; ``revoted`` gives the next one."""

    meta: Mapping[str, Any]
    criteria: tuple[Criterion, ...]
    candidates: tuple[Candidate, ...]  # in the order of the last ranking
    scores: Mapping[int, Mapping[int, int]]
    tallies: Mapping[int, int]
    ballots: tuple[tuple[int, ...], ...]
    measures: Measures
    result: RankingResult

    @classmethod
    def build(
        cls,
        meta: Mapping[str, Any],
        proposals: Iterable[Mapping[str, Any]],
        criteria: Iterable[Mapping[str, Any]],
        scores: Mapping[Any, Mapping[Any, int]],
        tallies: Mapping[Any, int],
        ballots: Iterable[Mapping[str, Any]],
    ) -> LiveRanking:
        """From the records ``store.forum`` returns (as ``rank_records`` takes them)."""
        candidates = tuple(Candidate.from_record(p) for p in proposals)
        picks = tuple(tuple(b) for b in ballot_picks(ballots))
        return cls._ranked(
            meta,
            tuple(Criterion.from_record(c) for c in criteria),
            candidates,
            score_table(scores),
            _int_keys(tallies),
            picks,
            None,
        )

    @classmethod
    def _ranked(
        cls,
        meta: Mapping[str, Any],
        criteria: tuple[Criterion, ...],
        candidates: tuple[Candidate, ...],
        scores: Mapping[int, Mapping[int, int]],
        tallies: Mapping[int, int],
        ballots: tuple[tuple[int, ...], ...],
        measures: Measures | None,
    ) -> LiveRanking:
        metode = method_of(meta)
        if measures is None:
            rule = ballot_rule_of(meta)
            measures = _measures(candidates, metode, criteria, scores, tallies, ballots, rule)
        standings = rank_measured(candidates, metode, measures)
        order = tuple(s.candidate for s in standings)
        result = pagu_of(meta, standings)
        return cls(meta, criteria, order, scores, tallies, ballots, measures, result)

    def revoted(
        self,
        *,
        scores: Mapping[Any, Mapping[Any, int]] | None = None,
        scored: Iterable[int] | None = None,
        tallies: Mapping[Any, int] | None = None,
        ballots: Iterable[Mapping[str, Any]] | None = None,
    ) -> LiveRanking:
        """The ranking after votes: ``scores`` (the whole new score table) with ``scored``
        the proposal ids whose scores changed (None: any may have); ``tallies`` and
        ``ballots`` the whole new tables when they changed. Proposals, criteria and meta
        are as before (a change to those: ``build`` afresh)."""
        metode = method_of(self.meta)
        if scores is None:
            new_scores = self.scores
        elif scored is None:
            new_scores = score_table(scores)
        else:  # only the rows of ``scored`` are new
            new_scores = dict(self.scores)
            for pid in scored:
                row = scores.get(pid)
                if row:
                    new_scores[pid] = _int_keys(row)
                else:
                    new_scores.pop(pid, None)
        new_tallies = self.tallies if tallies is None else _int_keys(tallies)
        new_ballots = self.ballots
        if ballots is not None:
            new_ballots = tuple(tuple(b) for b in ballot_picks(ballots))
        measures = None  # measured afresh unless only known proposals' votes changed
        if metode == "skoring" and (scores is None or scored is not None):
            touched = set(scored or ()) if scores is not None else set()
            if tallies is not None:  # a hand count is the skoring tie-break: who changed
                touched |= {
                    pid
                    for pid in set(self.tallies) | set(new_tallies)
                    if self.tallies.get(pid) != new_tallies.get(pid)
                }
            weights = _weights(self.criteria)
            measures = dict(self.measures)
            for pid in touched:
                if pid in measures:  # a vote for a proposal not (or no longer) in the list
                    measures[pid] = measure_scored(pid, new_scores, new_tallies, weights)
        return self._ranked(
            self.meta,
            self.criteria,
            self.candidates,
            new_scores,
            new_tallies,
            new_ballots,
            measures,
        )

    def reproposed(self, changed: Mapping[int, Mapping[str, Any] | None]) -> LiveRanking:
        """The ranking after proposal records changed: ``changed`` maps an id to its new
        record, or to None when it was removed. Only those proposals are measured again
        (the others keep their place as the start of the sort)."""
        kept = [c for c in self.candidates if c.id not in changed]
        added = [Candidate.from_record(r) for r in changed.values() if r is not None]
        candidates = (*kept, *added)
        metode = method_of(self.meta)
        measures: Measures | None = None
        if metode == "skoring":
            weights = _weights(self.criteria)
            fresh = dict(self.measures)
            for pid, record in changed.items():
                fresh.pop(pid, None)
                if record is not None:
                    fresh[pid] = measure_scored(pid, self.scores, self.tallies, weights)
            measures = fresh
        return self._ranked(
            self.meta,
            self.criteria,
            candidates,
            self.scores,
            self.tallies,
            self.ballots,
            measures,
        )
