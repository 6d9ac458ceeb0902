"""The forum's prioritisation data read once, with the ranking computed from it.

The Prioritas tab and the projector display both show the ranking next to the records it
came from (names, scores, counts). Reading each table once and ranking from those same
records (instead of calling ``forum.priority.ranking()``, which reads them again) halves the
cost of a redraw at 1,500 proposals and guarantees the figures and the ranking agree.
"""

from __future__ import annotations

import gc
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from store.forum import Forum
from store.ranking import RankedRow, RankingResult
from store.ranking_live import LiveRanking
from store.validation import ValidationError

#: Tables a keystroke in the Prioritas tab changes; ``updated`` re-reads only these.
VOTE_TABLES = ("scores", "tallies", "ballots")
#: Every table the ranking reads; a change elsewhere (check-ins, minutes) leaves it as is.
RANKING_INPUTS = frozenset({"meta", "proposals", "criteria", *VOTE_TABLES})
#: From this many proposals a full read is kept out of the garbage collector's walks
#: (``_settle``); a kecamatan's forum is far below it and pays nothing.
SETTLE_FROM = 3000


@dataclass(frozen=True)
class PriorityData:
    """The forum's prioritisation data read once, with the ranking computed from it."""

    meta: dict[str, Any]
    proposals: list[Mapping[str, Any]]  # entry order; read-only views (store.record_view)
    criteria: list[dict[str, Any]]
    scores: dict[int, dict[int, int]]
    tallies: dict[int, int]
    ballots: list[dict[str, Any]]
    result: RankingResult
    #: the ranking kept current vote by vote, and the scores table's stamp it reflects
    live: LiveRanking | None = field(default=None, compare=False, repr=False)
    scores_stamp: int | None = field(default=None, compare=False, repr=False)
    proposals_stamp: int | None = field(default=None, compare=False, repr=False)

    @classmethod
    def read(cls, forum: Forum) -> PriorityData:
        meta = forum.meta
        stamps = forum.table_version("scores"), forum.table_version("proposals")
        # views of the stored records, not copies (43 MB at 100x): kept until the next read
        proposals = sorted(forum.record_views("proposals"), key=_entry_order)
        criteria = forum.priority.criteria()
        scores = forum.priority.scores()
        tallies = forum.priority.tallies()
        ballots = forum.priority.ballots()
        live = LiveRanking.build(meta, proposals, criteria, scores, tallies, ballots)
        data = cls(meta, proposals, criteria, scores, tallies, ballots, live.result, live, *stamps)
        if len(proposals) >= SETTLE_FROM:
            _settle()
        return data

    def updated(self, forum: Forum, changes: dict[str, set[int]]) -> PriorityData:
        """This data after changes to ``VOTE_TABLES`` only, without re-reading the rest.

        A typed score changes one record: reading it alone, and re-measuring only its
        proposal, keeps a keystroke cheap at 15,000 proposals.
        """
        return self._revoted(forum, set(changes).intersection(VOTE_TABLES), changes.get("scores"))

    def followed(self, forum: Forum, tables: Iterable[str]) -> PriorityData:
        """This data after a refresh that touched ``tables``.

        Only the ranking's inputs among them are read again, and nothing at all when none
        is: a vote costs reading the score records that changed (the scores table's change
        log) and re-measuring their proposals, not copying every proposal.
        """
        touched = set(RANKING_INPUTS.intersection(tables))
        if not touched:
            return self
        data = self
        if "proposals" in touched:  # an edit, a status, an import: only those proposals
            changed = None
            if self.proposals_stamp is not None:
                changed = forum.changed_since("proposals", self.proposals_stamp)
            if self.live is None or changed is None or len(changed) > len(self.proposals) // 4:
                return PriorityData.read(forum)
            data = self._reproposed(forum, self.live, changed)
            touched.discard("proposals")
        if not touched:
            return data
        if not touched <= set(VOTE_TABLES):
            return PriorityData.read(forum)
        changed = None
        if "scores" in touched and data.scores_stamp is not None:
            changed = forum.changed_since("scores", data.scores_stamp)
        return data._revoted(forum, touched, changed)

    def _reproposed(self, forum: Forum, live: LiveRanking, ids: set[int]) -> PriorityData:
        """Re-read the proposals ``ids`` (a removed one is dropped) and re-rank them."""
        stamp = forum.table_version("proposals")
        changed: dict[int, Mapping[str, Any] | None] = {}
        for rec_id in ids:
            try:
                changed[rec_id] = forum.record_view("proposals", rec_id)
            except ValidationError:
                changed[rec_id] = None
        kept = [p for p in self.proposals if p["id"] not in changed]
        proposals = sorted([*kept, *filter(None, changed.values())], key=_entry_order)
        live = live.reproposed(changed)
        return replace(
            self, proposals=proposals, result=live.result, live=live, proposals_stamp=stamp
        )

    def _revoted(self, forum: Forum, tables: set[str], score_ids: set[int] | None) -> PriorityData:
        """Re-read the vote ``tables`` (of scores only ``score_ids`` when known) and rank."""
        stamp = forum.table_version("scores")
        scores, scored = self.scores, None
        if "scores" in tables:
            scores, scored = _scores_after(forum, self.scores, score_ids)
        tallies = forum.priority.tallies() if "tallies" in tables else self.tallies
        ballots = forum.priority.ballots() if "ballots" in tables else self.ballots
        live = self.live
        if live is None or (scores is not self.scores and scored is None):
            live = LiveRanking.build(
                self.meta, self.proposals, self.criteria, scores, tallies, ballots
            )
        else:
            live = live.revoted(
                scores=None if scores is self.scores else scores,
                scored=scored,
                tallies=None if tallies is self.tallies else tallies,
                ballots=None if ballots is self.ballots else ballots,
            )
        return replace(
            self,
            scores=scores,
            tallies=tallies,
            ballots=ballots,
            result=live.result,
            live=live,
            scores_stamp=stamp,
        )

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


def _scores_after(
    forum: Forum, scores: dict[int, dict[int, int]], changed: set[int] | None
) -> tuple[dict[int, dict[int, int]], set[int] | None]:
    """The score table after the score records ``changed`` (None: unknown, read all), and
    the proposal ids whose scores changed (None: any may have). A removed score cannot be
    read back, so then all scores are re-read."""
    if changed is None:
        return forum.priority.scores(), None
    scores = dict(scores)  # the rows touched get new dicts; the rest are shared
    scored = set()
    for rec_id in changed:
        try:
            record = forum.record("scores", rec_id)
        except ValidationError:
            return forum.priority.scores(), None
        pid = record["usulan_id"]
        scores[pid] = {**scores.get(pid, {}), record["kriteria_id"]: record["nilai"]}
        scored.add(pid)
    return scores, scored


def _entry_order(proposal: Mapping[str, Any]) -> tuple[int, int]:
    return (proposal.get("urutan", 0), proposal["id"])


def _settle() -> None:
    """Keep the cyclic garbage collector off what was just read.

    A full read at a Kabupaten's scale makes ~90,000 containers that live until the next
    full read and hold no cycles; every vote after it makes thousands more (the new
    ranking's rows), and each time those outnumber a quarter of the long-lived heap Python
    walks all of it again (~0.1-0.2 s at 100x). Freezing after a collection (so no garbage
    is frozen with it: the forum itself was frozen on opening, so this pass walks only
    what was made since) takes the read out of those walks; frozen objects are still freed
    by reference counting when the next read replaces them.
    """
    gc.collect()
    gc.freeze()
