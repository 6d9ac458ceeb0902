"""Likely duplicate proposals: same desa, similar activity, similar location.

A duplicate is never dropped or refused (a real forum often repeats a proposal on
purpose); it is flagged so the room can decide. Similarity is word overlap after removing
words every proposal shares ("desa", "dusun", "rt"...), which catches reordered or
slightly reworded entries without flagging different RTs of the same road programme.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

_WORD = re.compile(r"[a-z0-9]+")
_COMMON = frozenset(
    {
        "desa",
        "dusun",
        "dsn",
        "ds",
        "di",
        "dan",
        "yang",
        "untuk",
        "ke",
        "jalan",
        "jl",
        "kel",
        "kelurahan",
        "kecamatan",
        "kec",
    }
)
ACTIVITY_THRESHOLD = 0.6
LOCATION_THRESHOLD = 0.5


def _words(text: str) -> frozenset[str]:
    return frozenset(w for w in _WORD.findall((text or "").lower()) if w not in _COMMON)


def similarity(a: str, b: str) -> float:
    """Jaccard overlap of meaningful words, 0..1."""
    left, right = _words(a), _words(b)
    if not left and not right:
        return 1.0
    if not left or not right:
        return 0.0
    return len(left & right) / len(left | right)


def is_likely_duplicate(candidate: dict[str, Any], other: dict[str, Any]) -> bool:
    """Same desa, similar kegiatan, and similar lokasi (or either has no lokasi)."""
    if (candidate.get("desa") or "").lower() != (other.get("desa") or "").lower():
        return False
    if similarity(candidate.get("kegiatan", ""), other.get("kegiatan", "")) < ACTIVITY_THRESHOLD:
        return False
    here, there = candidate.get("lokasi") or "", other.get("lokasi") or ""
    return not here or not there or similarity(here, there) >= LOCATION_THRESHOLD


def likely_duplicates(
    candidate: dict[str, Any], existing: Iterable[dict[str, Any]]
) -> list[dict[str, Any]]:
    """Existing proposals the candidate probably repeats (excluding itself by id)."""
    own_id = candidate.get("id")
    return [
        other
        for other in existing
        if other.get("id") != own_id and is_likely_duplicate(candidate, other)
    ]
