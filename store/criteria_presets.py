"""Ready-made scoring criteria the room can start from and then edit.

There is no national scoring formula for a Musrenbang (DOMAIN.md section 4), so the app offers
the sets forums actually use and lets the room rename and reweigh them. Weights here sum to 1;
``store.ranking.nilai`` normalises whatever the room ends up with, so an edited set need not.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from store.score_scale import SKALA_MAX, SKALA_MIN


@dataclass(frozen=True, slots=True)
class PresetCriterion:
    """One criterion of a preset: a short column label, its name and its weight."""

    kode: str
    nama: str
    bobot: float


@dataclass(frozen=True, slots=True)
class Preset:
    """A named criteria set, as offered in the criteria editor."""

    nama: str
    kriteria: tuple[PresetCriterion, ...]


PRESETS: dict[str, Preset] = {
    "standar": Preset(
        "Standar",
        (
            PresetCriterion("Urg", "Urgensi", 0.25),
            PresetCriterion("Manf", "Jumlah penerima manfaat", 0.20),
            PresetCriterion("Rent", "Manfaat bagi warga miskin dan rentan", 0.20),
            PresetCriterion("RPJM", "Kesesuaian dengan RPJMDes/RPJMD", 0.15),
            PresetCriterion("Lahan", "Kesiapan lahan", 0.10),
            PresetCriterion("Swa", "Swadaya masyarakat", 0.10),
        ),
    ),
    "usg": Preset(
        "USG (Urgensi, Keseriusan, Pertumbuhan)",
        (
            PresetCriterion("U", "Urgensi", 1 / 3),
            PresetCriterion("S", "Keseriusan", 1 / 3),
            PresetCriterion("G", "Pertumbuhan (makin parah bila dibiarkan)", 1 / 3),
        ),
    ),
    "urgensi": Preset(
        "Urgensi dan dampak",
        (
            PresetCriterion("Urg", "Urgensi", 0.40),
            PresetCriterion("Terd", "Warga terdampak", 0.30),
            PresetCriterion("Rusak", "Tingkat kerusakan", 0.20),
            # A higher score must always mean "more deserving", so cost is scored inversely.
            PresetCriterion("Biaya", "Biaya (5 = paling hemat)", 0.10),
        ),
    ),
}

DEFAULT_PRESET = "standar"


def preset_records(name: str) -> list[dict[str, Any]]:
    """The criteria of preset ``name`` as records for ``forum.priority.set_criteria``."""
    preset = PRESETS.get(name)
    if preset is None:
        pilihan = ", ".join(PRESETS)
        raise ValueError(f"Preset kriteria '{name}' tidak dikenal (pilihan: {pilihan}).")
    return [
        {
            "kode": c.kode,
            "nama": c.nama,
            "bobot": c.bobot,
            "skala_min": SKALA_MIN,
            "skala_max": SKALA_MAX,
            "urut": urut,
        }
        for urut, c in enumerate(preset.kriteria, start=1)
    ]
