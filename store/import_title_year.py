"""The year a form's title names, checked against the forum's year.

A desa secretary often sends last year's file: its title still says "DAFTAR USULAN RKP DESA
TAHUN ANGGARAN 2026" while the forum plans 2027. The rows look right, so nothing else would
notice; the title rows above the header are read for a year and a different one is warned.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

_TITLE_YEAR = re.compile(r"\b(?:tahun(?:\s+anggaran)?|t\.?\s?a\.?)\s*:?\s*((?:19|20)\d\d)\b", re.I)


def title_year_warnings(
    rows: Sequence[Sequence[Any]], header_first_row: int, tahun: int | None, name: str
) -> list[str]:
    """``["usulan.xlsx: baris 2: judul menyebut tahun 2026, forum ini tahun 2027; ..."]``
    for each title row above the header (Excel row ``header_first_row``) that names a year
    other than ``tahun``; none when ``tahun`` is None."""
    if tahun is None:
        return []
    warnings = []
    for number, cells in enumerate(rows[: max(header_first_row - 1, 0)], start=1):
        for cell in cells:
            if not isinstance(cell, str):
                continue
            years = {int(y) for y in _TITLE_YEAR.findall(cell)}
            if years and tahun not in years:
                found = ", ".join(map(str, sorted(years)))
                warnings.append(
                    f"{name}: baris {number}: judul menyebut tahun {found}, forum ini tahun "
                    f"{tahun}; pastikan ini usulan untuk tahun {tahun}, bukan berkas lama"
                )
                break
    return warnings
