"""The vocabulary of a proposal: sectors (*bidang*), the RKP Desa bidang I-V they fall
under, the decision statuses, and the common reasons a proposal is not taken.

Sectors are a standard list that users may extend; a desa recap can be grouped either by
sector or by the five RKP Desa bidang (Permendagri 114/2014), hence the mapping.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from store.validation_error import ValidationError

SECTORS: tuple[str, ...] = (
    "Infrastruktur",
    "Perumahan",
    "Kesehatan",
    "Pendidikan",
    "Ekonomi",
    "Pertanian",
    "Lingkungan",
    "Sosial",
    "Kebencanaan",
    "Pemerintahan",
)

BIDANG_RKPDES: dict[str, str] = {
    "I": "Penyelenggaraan Pemerintahan Desa",
    "II": "Pelaksanaan Pembangunan Desa",
    "III": "Pembinaan Kemasyarakatan",
    "IV": "Pemberdayaan Masyarakat",
    "V": "Penanggulangan Bencana, Keadaan Darurat dan Mendesak",
}

SECTOR_BIDANG: dict[str, str] = {
    "Infrastruktur": "II",
    "Perumahan": "II",
    "Kesehatan": "II",
    "Pendidikan": "II",
    "Lingkungan": "II",
    "Ekonomi": "IV",
    "Pertanian": "IV",
    "Sosial": "III",
    "Kebencanaan": "V",
    "Pemerintahan": "I",
}

PROPOSAL_STATUSES: tuple[str, ...] = ("diusulkan", "diakomodir", "cadangan", "tidak diakomodir")
STATUSES_NEEDING_REASON: frozenset[str] = frozenset({"cadangan", "tidak diakomodir"})

# Hard reasons seen in real Berita Acara (DOMAIN.md section 4), offered as picks; free text
# stays allowed.
COMMON_REJECTION_REASONS: tuple[str, ...] = (
    "Melebihi pagu indikatif",
    "Lahan milik pribadi atau masih sengketa",
    "Aset belum diserahterimakan",
    "Hibah hanya untuk lembaga berbadan hukum",
    "Usulan ganda atau berulang",
    "Bukan kewenangan Perangkat Daerah tujuan",
)


def canonical_sector(name: str, extra: Iterable[str] = ()) -> str:
    """The standard (or user-added) spelling of a sector, matched ignoring case and spacing;
    an unknown sector is returned trimmed, since users may extend the list."""
    cleaned = " ".join(name.split())
    for known in (*SECTORS, *extra):
        if known.casefold() == cleaned.casefold():
            return known
    return cleaned


def bidang_of(sector: str, extra: Mapping[str, str] | None = None) -> str | None:
    """The RKP Desa bidang (``I`` ... ``V``) of a sector; ``extra`` maps user-added sectors.
    None for a sector nobody mapped yet (the recap shows it apart)."""
    mapping = {**SECTOR_BIDANG, **(extra or {})}
    return mapping.get(canonical_sector(sector, mapping))


def bidang_title(bidang: str) -> str:
    """``II`` -> ``II. Pelaksanaan Pembangunan Desa``."""
    return f"{bidang}. {BIDANG_RKPDES[bidang]}"


def parse_status(value: str) -> str:
    """A status as typed (``Tidak Diakomodir``, ``tidak_diakomodir``) -> its canonical form."""
    cleaned = " ".join(str(value).replace("_", " ").casefold().split())
    if cleaned not in PROPOSAL_STATUSES:
        choices = ", ".join(PROPOSAL_STATUSES)
        raise ValidationError("status", f"Status: '{value}' tidak dikenal (pilih: {choices}).")
    return cleaned


def needs_reason(status: str) -> bool:
    """Cadangan and tidak diakomodir must carry a reason in the BA."""
    return status in STATUSES_NEEDING_REASON
