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
from store.import_header import HEADER_SEARCH_ROWS, detect_header, folded_name
from store.import_readers import Grid
from store.office import load_office, save_office
from store.validation_error import ValidationError

MAX_REMEMBERED = 50


def signature(names: Sequence[Any]) -> str:
    """The key of a header row: its non-empty cells, folded, joined by ``|``."""
    return "|".join(folded_name(str(n)) for n in names if n is not None and str(n).strip())


def remembered_columns(
    rows: Sequence[Sequence[Any]],
    session: Mapping[str, Mapping[str, str | None]] | None = None,
    kind: str | None = None,
) -> dict[str, str | None]:
    """The remembered mapping for the header of ``rows`` ({} if none): first one changed by
    hand in this ``session`` (header signature -> mapping), then one kept in the office
    settings.

    It applies only to the file's detected header row, and only when that row's signature
    is exactly the remembered one: when the header is found without help, that row and no
    other (a title row above it never matches); when it is not, the first row whose
    signature is remembered and that the mapping makes the header. Its targets must be
    fields of the header's own kind (``usulan`` or ``peserta``; ``kind`` when the caller
    already knows it); what is returned is exactly what is applied.
    """
    saved = {**(load_office().get("impor_kolom") or {}), **(session or {})}
    searched = rows[:HEADER_SEARCH_ROWS]
    try:
        plain = detect_header(rows, "")
    except ValidationError:
        candidates = range(len(searched))
    else:
        candidates = range(plain.first_row - 1, plain.first_row)
    for index in candidates:
        key = signature(searched[index])
        if key and isinstance(saved.get(key), Mapping):
            return _applied(rows, index, saved[key], kind)
    return {}


def _applied(
    rows: Sequence[Sequence[Any]], index: int, mapping: Mapping[Any, Any], kind: str | None
) -> dict[str, str | None]:
    """``mapping`` cut to the columns of header row ``index`` and the fields of its kind;
    {} unless the header detected with it is that very row, of that kind."""
    names = {folded_name(str(c)) for c in rows[index] if c is not None and str(c).strip()}
    columns = {
        str(k): v for k, v in mapping.items() if k in names and (v is None or isinstance(v, str))
    }
    for _ in range(2):  # once to learn the kind, once to check the cut mapping holds
        try:
            header = detect_header(rows, "", columns)
        except ValidationError:
            return {}
        if header.first_row != index + 1 or (kind and header.kind != kind):
            return {}
        fields = set(fields_of(header.kind))
        columns = {k: v for k, v in columns.items() if v is None or v in fields}
    return columns


def recalled_columns(grids: Sequence[Grid]) -> dict[str, str | None]:
    """The mapping remembered for the header of the sheet the import will read ({} if
    none): what ``musrenbang import`` reads a file with when ``--kolom`` says nothing. A
    sheet whose header is found without help is the one read, so the search stops there."""
    for grid in grids:
        if found := remembered_columns(grid.rows):
            return found
        try:
            detect_header(grid.rows, "")
        except ValidationError:
            continue
        return {}
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
