"""The data of prioritisation: criteria, scores, hand-count tallies, delegate ballots.

The ranking rules themselves are pure functions in ``store.ranking``; this module only
records what the room said, refuses what it may not say (a second ballot, a vote after the
close), and feeds the records to the rules.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

from store.attendance import is_present
from store.criteria_presets import DEFAULT_PRESET, preset_records
from store.lazy_index import LazyIndex
from store.ranking import RankingResult, rank_records
from store.score_cells import ScoreCells
from store.score_scale import MAX_WEIGHT, SKALA_MAX, SKALA_MIN
from store.validation import MAX_COUNT, ValidationError, clean_text, record_id

if TYPE_CHECKING:
    from store.forum import Forum


class Priority:
    """Criteria, scores, tallies and ballots of one forum."""

    def __init__(self, forum: Forum) -> None:
        self._forum = forum
        self._cells = LazyIndex(forum, "scores", _cell, ScoreCells, self._followed_cells)

    # -- criteria --------------------------------------------------------------------------
    def criteria(self) -> list[dict[str, Any]]:
        return sorted(self._forum.records("criteria"), key=lambda c: c.get("urut", 0))

    def ensure_default_criteria(self) -> None:
        """A new forum starts with the standard criteria so scoring can begin at once."""
        if not self.criteria():
            self.apply_preset(DEFAULT_PRESET)

    def apply_preset(self, name: str) -> None:
        try:
            records = preset_records(name)
        except ValueError as error:
            raise ValidationError("preset", str(error)) from None
        self.set_criteria(records)

    def set_criteria(self, criteria: list[dict[str, Any]]) -> None:
        """Replace the criteria set; scores of removed criteria go with them (audited)."""
        clean = [_clean_criterion(c, urut) for urut, c in enumerate(criteria, start=1)]
        if not clean:
            raise ValidationError("kriteria", "Minimal satu kriteria.")
        if sum(c["bobot"] for c in clean) <= 0:
            raise ValidationError("bobot", "Jumlah bobot kriteria harus lebih dari nol.")
        self._refuse_if_closed()
        existing = {c["id"]: c for c in self.criteria()}
        kept = {c["id"] for c in criteria if c.get("id") in existing}
        with self._forum.batch():
            for rec_id in set(existing) - kept:
                for score in self._forum.records("scores"):
                    if score["kriteria_id"] == rec_id:
                        self._forum._delete("scores", score["id"])
                self._forum._delete("criteria", rec_id)
            for original, record in zip(criteria, clean, strict=True):
                if original.get("id") in existing:
                    self._forum._update("criteria", original["id"], record)
                else:
                    self._forum._insert("criteria", record)

    # -- scores ----------------------------------------------------------------------------
    def scores(self) -> dict[int, dict[int, int]]:
        """{proposal id: {criterion id: score}}."""
        table: dict[int, dict[int, int]] = {}
        with self._forum._reading():  # the stored records read in place: a copy of each
            for score in self._forum._stored("scores").values():  # was 20 MB at 100x
                table.setdefault(score["usulan_id"], {})[score["kriteria_id"]] = score["nilai"]
        return table

    def set_score(self, usulan_id: int, kriteria_id: int, nilai: int | None) -> None:
        """Set (or clear, with None) one cell of the scoring matrix."""
        self._refuse_if_closed()
        criterion = self._forum.record("criteria", kriteria_id)
        self._forum.proposals.get(usulan_id)
        if nilai is not None:
            low, high = criterion.get("skala_min", SKALA_MIN), criterion.get("skala_max", SKALA_MAX)
            if type(nilai) is not int or not low <= nilai <= high:
                raise ValidationError("nilai", f"Skor {criterion['nama']} harus {low}-{high}.")
        existing = self._cells.current().get((usulan_id, kriteria_id))
        if existing is not None and nilai is None:
            self._forum._delete("scores", existing)
        elif existing is not None:
            self._forum._update("scores", existing, {"nilai": nilai})
        elif nilai is not None:
            self._forum._insert(
                "scores", {"usulan_id": usulan_id, "kriteria_id": kriteria_id, "nilai": nilai}
            )

    def warm_index(self) -> None:
        """Build the score cells' index ahead of the first score (``Forum.warm_up``)."""
        self._cells.warm()

    def _followed_cells(self, cells: ScoreCells, changed: set[int]) -> ScoreCells:
        """``cells`` brought up to date with the score records ``changed`` since it looked
        (any writer's: a cell cleared, a proposal or criterion removed with its scores)."""
        stored = self._forum._stored("scores")
        if len(changed) > len(cells) // 4:  # a criterion removed: reading all is cheaper
            return ScoreCells(_cell(key, score) for key, score in stored.items())
        gone = set()
        for rec_id in changed:
            score = stored.get(str(rec_id))
            if score is None:
                gone.add(rec_id)
            else:
                cells[(score["usulan_id"], score["kriteria_id"])] = rec_id
        if gone:
            return cells.without(gone)
        return cells

    # -- hand-count tallies ----------------------------------------------------------------
    def tallies(self) -> dict[int, int]:
        return {t["usulan_id"]: t["suara"] for t in self._forum.records("tallies")}

    def set_tally(self, usulan_id: int, suara: int) -> None:
        self._refuse_if_closed()
        self._forum.proposals.get(usulan_id)
        if type(suara) is not int or not 0 <= suara <= MAX_COUNT:
            raise ValidationError("suara", "Jumlah suara harus bilangan bulat 0 atau lebih.")
        existing = [t for t in self._forum.records("tallies") if t["usulan_id"] == usulan_id]
        if existing:
            self._forum._update("tallies", existing[0]["id"], {"suara": suara})
        else:
            self._forum._insert("tallies", {"usulan_id": usulan_id, "suara": suara})

    # -- delegate ballots ------------------------------------------------------------------
    def ballots(self) -> list[dict[str, Any]]:
        return self._forum.records("ballots")

    def cast_ballot(self, peserta_id: int, pilihan: list[int]) -> int:
        """One ballot per present delegate with a voting right."""
        self._refuse_if_closed()
        peserta_id = record_id(peserta_id, field="peserta", label="Pemilih")
        voter = self._forum.participants.get(peserta_id)
        if not (voter.get("delegasi") and voter.get("hak_suara")):
            raise ValidationError("peserta", f"{voter['nama']} bukan delegasi dengan hak suara.")
        if not is_present(voter):
            raise ValidationError("peserta", f"{voter['nama']} tidak tercatat hadir.")
        if any(b["peserta_id"] == peserta_id for b in self.ballots()):
            raise ValidationError("peserta", f"{voter['nama']} sudah memberikan suara.")
        record = {
            "peserta_id": peserta_id,
            "pilihan": self._clean_choices(pilihan),
            "waktu": self._forum.clock().isoformat(),
            "koreksi": [],
        }
        return self._forum._insert("ballots", record)

    def correct_ballot(self, ballot_id: int, pilihan: list[int], alasan: str) -> None:
        """A mis-typed ballot is corrected, never silently: the reason stays with it."""
        self._refuse_if_closed()
        reason = clean_text(
            alasan or "", field="alasan", label="Alasan koreksi", limit=500, required=True
        )
        ballot = self._forum.record("ballots", ballot_id)
        history = [
            *ballot.get("koreksi", []),
            {
                "waktu": self._forum.clock().isoformat(),
                "sebelum": ballot["pilihan"],
                "alasan": reason,
            },
        ]
        self._forum._update(
            "ballots", ballot_id, {"pilihan": self._clean_choices(pilihan), "koreksi": history}
        )

    def _clean_choices(self, pilihan: list[int]) -> list[int]:
        limit = int(self._forum.meta.get("surat_suara", {}).get("maks_pilihan", 3))
        if not pilihan:
            raise ValidationError("pilihan", "Surat suara kosong: pilih minimal satu usulan.")
        if len(pilihan) > limit:
            raise ValidationError("pilihan", f"Maksimal {limit} pilihan per surat suara.")
        if len(set(pilihan)) != len(pilihan):
            raise ValidationError("pilihan", "Satu usulan hanya boleh dipilih sekali.")
        for usulan_id in pilihan:
            self._forum.proposals.get(record_id(usulan_id, field="pilihan", label="Pilihan"))
        return list(pilihan)

    # -- the ranking -------------------------------------------------------------------------
    def ranking(self) -> RankingResult:
        """The live ranking by the forum's method, cut at the pagu (pure rules, no writes)."""
        return rank_records(
            self._forum.meta,
            self._forum.proposals.all(),
            self.criteria(),
            self.scores(),
            self.tallies(),
            self.ballots(),
        )

    def apply_ranking(self) -> int:
        """Write the ranking's statuses and reasons into the proposals, in one save.

        Proposals the room rejected keep their status; returns how many changed.
        """
        result = self.ranking()
        changed = 0
        with self._forum.batch():
            for row in result.rows:
                diff = self._forum._update(
                    "proposals", row.id, {"status": row.status, "alasan": row.alasan}
                )
                changed += bool(diff)
        return changed

    # -- closing the vote ------------------------------------------------------------------
    @property
    def closed(self) -> bool:
        return bool(self._forum.meta.get("pemungutan_ditutup"))

    def close_voting(self) -> None:
        """Freeze scores, tallies and ballots: the ranking is now the room's decision."""
        with self._forum.batch():
            self._forum._update("meta", 1, {"pemungutan_ditutup": True})
            self._log_voting("tutup", "")

    def reopen_voting(self, alasan: str) -> None:
        reason = clean_text(
            alasan or "", field="alasan", label="Alasan membuka kembali", limit=500, required=True
        )
        with self._forum.batch():
            self._forum._update("meta", 1, {"pemungutan_ditutup": False})
            self._log_voting("buka", reason)

    def voting_log(self) -> list[dict[str, Any]]:
        return self._forum.records("voting_log")

    def _log_voting(self, aksi: str, alasan: str) -> None:
        self._forum._insert_raw(
            "voting_log",
            {
                "waktu": self._forum.clock().isoformat(),
                "aksi": aksi,
                "alasan": alasan,
                "operator": self._forum.operator,
            },
        )

    def _refuse_if_closed(self) -> None:
        if self.closed:
            raise ValidationError(
                "pemungutan", "Pemungutan sudah ditutup: buka kembali dengan alasan untuk mengubah."
            )


def _clean_criterion(criterion: dict[str, Any], urut: int) -> dict[str, Any]:
    name = clean_text(
        criterion.get("nama", ""), field="nama", label="Nama kriteria", limit=100, required=True
    )
    try:
        weight = float(str(criterion.get("bobot", 0)).replace(",", "."))
    except ValueError:
        raise ValidationError("bobot", f"Bobot {name} bukan angka.") from None
    if not math.isfinite(weight) or weight > MAX_WEIGHT:
        raise ValidationError("bobot", f"Bobot {name} paling besar {MAX_WEIGHT} (persen).")
    if weight > 1:
        weight /= 100
    if weight < 0:
        raise ValidationError("bobot", f"Bobot {name} tidak boleh negatif.")
    code = clean_text(criterion.get("kode") or name[:5], field="kode", label="Kode", limit=8)
    return {
        "kode": code,
        "nama": name,
        "bobot": round(weight, 6),
        "skala_min": SKALA_MIN,
        "skala_max": SKALA_MAX,
        "urut": urut,
    }


def _cell(key: str, score: dict[str, Any]) -> tuple[tuple[int, int], int]:
    """A stored score record as the index keeps it: (proposal id, criterion id) -> its id
    (no copy of the record: 90,000 scores at 100x, a copy each was most of the cost)."""
    return (score["usulan_id"], score["kriteria_id"]), int(key)
