"""One person, one name: how two spellings of a name are recognised as the same person.

Used where a header names someone (the chair, a speaker, a signatory) and the attendance
list or the office settings name them again, often with other titles or case.
"""

from __future__ import annotations

_TITLES = frozenset({"h", "hj", "kh", "dr", "drs", "dra", "ir", "prof"})


def name_key(nama: str) -> str:
    """A person's name without academic and religious titles, case or spacing:
    ``Drs. HENDRO PRASETYO, M.Si`` and ``Hendro Prasetyo`` are the same person."""
    words = nama.split(",")[0].split()
    while len(words) > 1 and (words[0].endswith(".") or words[0].casefold() in _TITLES):
        words = words[1:]
    return " ".join(words).casefold()
