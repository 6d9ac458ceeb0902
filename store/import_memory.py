"""Column mappings the user fixed in the import preview, remembered per header.

Each desa copies the same template, so once "Peserta" was mapped to ``nama`` for one file
the next file with the same header imports straight. Kept in the office settings
(``kantor.json``, key ``impor_kolom``): header signature -> {folded column name: field or
None}.
"""

from __future__ import annotations

import contextlib
from collections.abc import Mapping, Sequence
from typing import Any

from store.import_columns import fields_of
from store.import_header import HEADER_SEARCH_ROWS, folded_name
from store.import_readers import Grid
from store.office import load_office, save_office

MAX_REMEMBERED = 50


def signature(names: Sequence[Any]) -> str:
    """The key of a header row: its non-empty cells, folded, joined by ``|``."""
    return "|".join(folded_name(str(n)) for n in names if n is not None and str(n).strip())


def remembered_columns(
    rows: Sequence[Sequence[Any]], session: Mapping[str, Mapping[str, str | None]] | None = None
) -> dict[str, str | None]:
    """The mapping remembered for a header among the first rows of ``rows`` ({} if none):
    first one changed by hand in this ``session`` (header signature -> mapping), then one
    kept in the office settings."""
    saved = load_office().get("impor_kolom") or {}
    if not isinstance(saved, dict):
        saved = {}
    saved = {**saved, **(session or {})}
    known = {*fields_of("usulan"), *fields_of("peserta")}
    for cells in rows[:HEADER_SEARCH_ROWS]:
        mapping = saved.get(signature(cells))
        if isinstance(mapping, dict):
            # kantor.json is a file anyone can edit: only mappings of this header's columns
            # to import columns count
            names = {folded_name(str(cell)) for cell in cells if cell is not None}
            return {
                str(k): (v if isinstance(v, str) else None)
                for k, v in mapping.items()
                if k in names and (v is None or v in known)
            }
    return {}


def recalled_columns(grids: Sequence[Grid]) -> dict[str, str | None]:
    """The mapping remembered for the header of the first sheet that has one ({} if none):
    what ``musrenbang import`` reads a file with when ``--kolom`` says nothing."""
    for grid in grids:
        if found := remembered_columns(grid.rows):
            return found
    return {}


def remember_columns(header_cells: Sequence[Any], columns: Mapping[str, str | None]) -> None:
    """Remember ``columns`` for files whose header row is ``header_cells`` (best effort:
    a settings file that cannot be written never stops an import)."""
    if not columns:
        return
    office = load_office()
    saved = dict(office.get("impor_kolom") or {})
    saved.pop(signature(header_cells), None)
    saved[signature(header_cells)] = dict(columns)
    office["impor_kolom"] = dict(list(saved.items())[-MAX_REMEMBERED:])
    with contextlib.suppress(OSError):
        save_office(office)
