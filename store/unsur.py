"""Participant groups (*unsur*) counted per group in the Berita Acara, and the mapping from
the free text people write on an attendance list to those groups.

The mapping is a list of word rules tried on the written unsur first, then on the lembaga,
then on the jabatan, so ``unsur=PKK, jabatan=Kepala Desa`` counts as PKK: what the person
wrote about their group wins over their title. Users can override any phrase
(``{"kader posyandu": "Lainnya"}``); overrides are tried before the built-in rules.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache

from store.validation_error import ValidationError


@dataclass(frozen=True)
class Unsur:
    """A standard group and the short code used on counters (``TOMAS`` for Tokoh Masyarakat)."""

    name: str
    code: str


UNSUR: tuple[Unsur, ...] = (
    Unsur("Pemerintah Desa", "PEMDES"),
    Unsur("BPD", "BPD"),
    Unsur("LPM", "LPM"),
    Unsur("PKK", "PKK"),
    Unsur("Karang Taruna", "KT"),
    Unsur("Tokoh Masyarakat", "TOMAS"),
    Unsur("Tokoh Agama", "TOGA"),
    Unsur("Kelompok Perempuan", "PRMP"),
    Unsur("Kelompok Tani/Nelayan", "TANI"),
    Unsur("Kelompok Rentan/Disabilitas", "RENTAN"),
    Unsur("Perangkat Daerah/UPTD", "PD"),
    Unsur("Perangkat Kecamatan", "KEC"),
    Unsur("DPRD", "DPRD"),
    Unsur("Delegasi Desa", "DELDES"),
    Unsur("Lainnya", "LAIN"),
)
UNSUR_NAMES: tuple[str, ...] = tuple(u.name for u in UNSUR)
LAINNYA = "Lainnya"

# Ordered: the first rule whose words occur wins, so specific bodies (BPD, PKK) come before
# titles that also appear inside them ("Ketua BPD" is BPD, not a generic ketua).
_RULES: tuple[tuple[str, str], ...] = (
    (r"dprd|anggota dewan", "DPRD"),
    (r"bpd|badan permusyawaratan", "BPD"),
    (r"lpmd?|lpmk|lkmd|lembaga pemberdayaan masyarakat( desa| kelurahan)?", "LPM"),
    (r"pkk|pemberdayaan kesejahteraan keluarga", "PKK"),
    (r"karang ?taruna", "Karang Taruna"),
    (r"delegasi( desa)?|utusan desa", "Delegasi Desa"),
    (
        r"uptd?|dinas|puskesmas|bappeda|opd|perangkat daerah|korwil|koordinator wilayah",
        "Perangkat Daerah/UPTD",
    ),
    (r"camat|sekcam|kecamatan|sekretaris kecamatan", "Perangkat Kecamatan"),
    (
        r"kepala desa|kades|sekdes|sekretaris desa|kaur|perangkat desa|pemerintah desa"
        r"|pemdes|kepala dusun|kasun|kamituwo",
        "Pemerintah Desa",
    ),
    (r"tani|petani|gapoktan|poktan|nelayan|hippa|p3a|kwt", "Kelompok Tani/Nelayan"),
    (
        r"disabilitas|difabel|penyandang|rentan|lansia|forum anak|warga miskin",
        "Kelompok Rentan/Disabilitas",
    ),
    (
        r"perempuan|wanita|kader posyandu|posyandu|kader kesehatan|muslimat|fatayat|aisyiyah"
        r"|dharma wanita",
        "Kelompok Perempuan",
    ),
    (
        r"tokoh agama|toga|ulama|kyai|kiai|ustadz?|ustadzah|pendeta|pastor|takmir|modin",
        "Tokoh Agama",
    ),
    (r"tokoh masyarakat|tomas|tokoh pemuda|ketua rt|ketua rw|rt|rw", "Tokoh Masyarakat"),
)


def _phrase(words: str) -> re.Pattern[str]:
    """Whole words only: ``rt`` must not match inside ``Sukoharto``."""
    return re.compile(rf"(?<![a-z0-9])(?:{words})(?![a-z0-9])")


@cache
def _compiled() -> tuple[tuple[re.Pattern[str], str], ...]:
    """The rules, compiled on first use: start-up shows no free-text unsur (~5 ms saved)."""
    return tuple((_phrase(words), group) for words, group in _RULES)


_BY_KEY = {u.name.casefold(): u for u in UNSUR} | {u.code.casefold(): u for u in UNSUR}


def _clean(text: str) -> str:
    return " ".join(text.casefold().split())


def standard_unsur(name: str) -> Unsur | None:
    """The standard group named (or coded) exactly so, ignoring case and spacing."""
    return _BY_KEY.get(_clean(name))


def unsur_code(name: str) -> str:
    """The short code of a standard group (``Tokoh Masyarakat`` -> ``TOMAS``)."""
    found = standard_unsur(name)
    if found is None:
        raise ValidationError("unsur", f"Unsur '{name}' bukan kelompok baku")
    return found.code


def _override_rules(overrides: Mapping[str, str]) -> list[tuple[re.Pattern[str], str]]:
    rules = []
    for phrase, group in overrides.items():
        target = standard_unsur(group)
        if target is None:
            raise ValidationError(
                "unsur", f"Pemetaan unsur '{phrase}' ke '{group}': '{group}' bukan kelompok baku"
            )
        rules.append((_phrase(re.escape(_clean(phrase))), target.name))
    return rules


def map_unsur(
    free_text: str,
    lembaga: str = "",
    jabatan: str = "",
    overrides: Mapping[str, str] | None = None,
) -> str:
    """The standard group for what was written (``Kader Posyandu`` -> ``Kelompok Perempuan``,
    ``Sekdes`` -> ``Pemerintah Desa``, ``Kelompok Tani`` -> ``Kelompok Tani/Nelayan``);
    ``Lainnya`` when nothing matches."""
    custom = _override_rules(overrides or {})
    for text in (free_text, lembaga, jabatan):
        cleaned = _clean(text or "")
        if not cleaned:
            continue
        exact = standard_unsur(cleaned)
        for pattern, group in custom:
            if pattern.search(cleaned):
                return group
        if exact is not None:
            return exact.name
        for pattern, group in _compiled():
            if pattern.search(cleaned):
                return group
    return LAINNYA
