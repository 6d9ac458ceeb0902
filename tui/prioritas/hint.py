"""The F5 grid's help line: what the column under the cursor holds and how to fill it.

"Pkt" and "Nilai" are computed, not typed; an operator whose cursor rests there and types a
score needs to read why nothing happens and where scores go. Pure, so it is tested alone.
"""

from __future__ import annotations

from typing import Any

_RANKED_BY = {"skoring": "nilai", "voting": "suara", "surat_suara": "poin"}
_ENTRY = {
    "skoring": "ketik skor 1-5 di kolom kriteria",
    "voting": "ketik jumlah suara di kolom Suara",
    "surat_suara": "catat surat suara dengan ctrl+l",
}


def column_hint(
    metode: str, column: str, criteria: list[dict[str, Any]], *, closed: bool = False
) -> str:
    """One line (at most 78 characters) for the grid column ``column`` (its key: ``k<id>``,
    ``nilai``, ``pkt``, ``suara``, ``poin``, ``pemilih``, or a text column). Once the vote
    is ``closed`` nothing is typed: the line says so instead of how to type."""
    if closed:
        return "Pemungutan ditutup: skor dan suara dibekukan (ctrl+t membuka, dengan alasan)."
    entry = _ENTRY.get(metode, _ENTRY["voting"])
    if column == "pkt":
        return f"Pkt = peringkat menurut {_RANKED_BY.get(metode, 'suara')} (dihitung); {entry}."
    if column == "nilai":
        return "Nilai = skor berbobot 0-100, dihitung dari semua skor kriteria; tidak diketik."
    if column.startswith("k") and column[1:].isdigit():
        crit = next((c for c in criteria if f"k{c['id']}" == column), None)
        name = (crit.get("nama") or crit["kode"]) if crit else "kriteria"
        return f"Skor {name}: ketik 1-5 (1 terendah, 5 tertinggi), Del menghapus."[:78]
    if column == "suara":
        return "Suara: ketik jumlah suara usulan ini, Enter menyimpan lalu ke baris berikut."
    if column in ("poin", "pemilih"):
        return "Poin dan pemilih dihitung dari surat suara delegasi (ctrl+l mencatatnya)."
    return f"Pindahkan kursor ke kanan, lalu {entry}."
