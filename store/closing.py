"""May the vote be closed now? Closing freezes the ranking as the room's decision, so a vote
with no result at all is refused, and a partial one is said before the operator confirms.

Pure functions of the ranking rows (``store.ranking.RankedRow``), so F5 and the tests agree.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from store.ranking import RankedRow

#: What a proposal lacks until it has a measure, per priority method.
_MISSING = {
    "skoring": "belum dinilai lengkap",
    "voting": "belum ada suara",
    "surat_suara": "belum dipilih di surat suara",
}
_NOTHING_YET = {
    "skoring": "Belum ada usulan yang dinilai lengkap: isi skor setiap kriteria (ketik 1-5 "
    "di kolom kriteria) dahulu.",
    "voting": "Belum ada suara tercatat: ketik jumlah suara tiap usulan (angka lalu Enter) "
    "dahulu; pemungutan suara tanpa hasil tidak dapat ditutup.",
    "surat_suara": "Belum ada surat suara tercatat: catat surat suara delegasi (ctrl+l) "
    "dahulu; pemungutan suara tanpa hasil tidak dapat ditutup.",
}


def has_measure(metode: str, row: RankedRow) -> bool:
    """Whether a proposal has been scored or voted for yet: only then does it have a rank
    to show (an unvoted proposal is not "peringkat 4")."""
    if metode == "skoring":
        return row.nilai is not None
    if metode == "voting":
        return bool(row.suara)
    return bool(row.suara) or bool(row.sebutan)


@dataclass(frozen=True)
class CloseCheck:
    """``penolakan``: why closing is refused (None: it may close); ``catatan``: what the
    confirmation should say first (proposals without a measure rank last)."""

    penolakan: str | None
    catatan: tuple[str, ...]


def check_close(metode: str, rows: Iterable[RankedRow]) -> CloseCheck:
    """Refuse closing with no score or vote at all; name how many still lack one."""
    rows = list(rows)
    if not rows:
        return CloseCheck("Belum ada usulan untuk diputuskan.", ())
    measured = sum(1 for row in rows if has_measure(metode, row))
    if measured == 0:
        return CloseCheck(_NOTHING_YET.get(metode, _NOTHING_YET["voting"]), ())
    missing = len(rows) - measured
    if not missing:
        return CloseCheck(None, ())
    what = _MISSING.get(metode, "belum ada suara")
    return CloseCheck(
        None, (f"{missing} dari {len(rows)} usulan {what}: ditempatkan di peringkat terakhir.",)
    )
