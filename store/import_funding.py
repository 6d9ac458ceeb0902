"""Funding-source cells as desa write them, mapped to the standard names.

"Dana Desa (DD)" is DD; "DD/ADD", "DD + Swadaya", "DD, ADD" and "DD & ADD" are two sources
written with another separator, so they become "DD; ADD" and follow the rule of
``store.validation.parse_funding`` (several sources need an amount each). A source that is
none of ``FUNDING_SOURCES`` is reported by name, never created silently from a spelling.
"""

from __future__ import annotations

import re
from typing import Any

from store.validation import FUNDING_SOURCES, canonical_funding_source

_SEPARATORS = re.compile(r"\s*(?:/|\+|,|&|\bdan\b)\s*", re.I)
_BRACKETED = re.compile(r"^(?P<outer>[^()]*)\((?P<inner>[^()]*)\)\s*$")
# Other names desa write for a standard source (folded: letters only), and names that
# contain a separator but are one source. Bantuan keuangan (BK, BKK) and DAK are spent
# through the kabupaten or province budget; PADes is part of the APBDes. Bare "PAD" (whose
# own revenue?) and "CSR" (not a public budget) stay unknown: the desa must say.
# fmt: off
_ALIASES: dict[str, str] = {
    "apbdkabkota": "APBD Kab", "apbdkabupatenkota": "APBD Kab",
    "bkkab": "APBD Kab", "bkkabupaten": "APBD Kab", "bkk": "APBD Kab",
    "bantuankeuangan": "APBD Kab", "bantuankeuangankabupaten": "APBD Kab",
    "bantuankeuangankab": "APBD Kab", "dak": "APBD Kab", "danaalokasikhusus": "APBD Kab",
    "bkprov": "APBD Prov", "bkprovinsi": "APBD Prov", "bkp": "APBD Prov",
    "bantuankeuanganprovinsi": "APBD Prov", "bantuankeuanganprov": "APBD Prov",
    "pades": "APBDes", "padesa": "APBDes", "pendapatanaslidesa": "APBDes",
}
# fmt: on


def _standard(name: str) -> str | None:
    """The standard name of one written source, or None when it is unknown."""
    if re.search(r"\d", name):
        return None  # "DD 081234567890": a number is no part of a source's name
    folded = re.sub(r"[^a-z]", "", name.casefold())
    if folded in _ALIASES:
        return _ALIASES[folded]
    if (match := _BRACKETED.match(name)) is not None:
        outer = _standard(match["outer"]) if match["outer"].strip() else None
        inner = _standard(match["inner"])
        return outer or inner
    canonical = canonical_funding_source(name)
    return canonical if canonical in FUNDING_SOURCES else None


def standardize_funding(value: Any) -> tuple[Any, list[str]]:
    """``("Dana Desa (DD)")`` -> ``("DD", [])``; ``"DD/ADD"`` -> ``("DD; ADD", [])``;
    ``"CSR"`` -> ``("CSR", ["CSR"])`` (the unknown names, for the report). Cells that are not
    text come back unchanged."""
    if not isinstance(value, str) or not value.strip():
        return value, []
    parts, unknown = [], []
    for part in (p.strip() for p in value.split(";")):
        if not part:
            continue
        name, colon, amount = part.partition(":")
        names = [name.strip()] if _standard(name.strip()) else _SEPARATORS.split(name.strip())
        for one in (n for n in names if n):
            standard = _standard(one)
            if standard is None:
                unknown.append(one)
            parts.append((standard or one) + (colon + amount if len(names) == 1 else ""))
    return "; ".join(parts), unknown
