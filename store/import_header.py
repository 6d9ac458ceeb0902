"""Finding the header row of an import table, wherever the desa put it.

Official forms carry a title block, blank rows or Excel's ``sep=;`` line above the header,
and sometimes a two-row header: a merged parent ("Output Kegiatan") over its parts
("Volume | Satuan"). The header is the first row within ``HEADER_SEARCH_ROWS`` that names
the required columns of proposals (kegiatan and biaya) or participants (nama).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from store.import_columns import field_for, fields_of, lookalike_field, normalize_header
from store.validation_error import ValidationError

HEADER_SEARCH_ROWS = 30
#: ValidationError.field of a refusal fixed by mapping columns by hand (ctrl+k, --kolom).
COLUMNS_FIELD = "kolom"


@dataclass(frozen=True)
class Header:
    """The detected header: ``first_row``..``last_row`` are Excel row numbers (equal for a
    one-row header); ``names[i]`` is column i's header as written and ``fields[i]`` the
    import column it maps to (None: ignored)."""

    kind: str
    first_row: int
    last_row: int
    names: list[str]
    fields: list[str | None]

    @property
    def rows_text(self) -> str:
        """``baris 5`` or ``baris 5-6``, as shown in the preview and the report."""
        if self.first_row == self.last_row:
            return f"baris {self.first_row}"
        return f"baris {self.first_row}-{self.last_row}"


def folded_name(name: str) -> str:
    """The key a header is remembered and overridden by (``--kolom "Nama Lengkap=nama"``)."""
    return " ".join(name.casefold().split())


def _text(cell: Any) -> str:
    return " ".join(str(cell).split()) if cell is not None else ""


def _raw_field(name: str, overrides: Mapping[str, str | None]) -> str | None:
    key = folded_name(name)
    if key in overrides:
        return overrides[key]
    return field_for(normalize_header(name)) if name else None


def _kind(fields: Sequence[str | None]) -> str | None:
    present = set(fields)
    if {"kegiatan", "biaya"} <= present:
        return "usulan"
    if "nama" in present:
        return "peserta"
    return None


def _two_row_names(top: Sequence[Any], bottom: Sequence[Any]) -> list[str]:
    """One name per column of a two-row header; a merged parent spans the empty cells to
    its right that have a part below them."""
    names: list[str] = []
    parent = ""
    for i in range(max(len(top), len(bottom))):
        upper = _text(top[i]) if i < len(top) else ""
        lower = _text(bottom[i]) if i < len(bottom) else ""
        if upper:
            parent = upper
        elif not lower:
            parent = ""
        names.append(_joined(upper or parent, lower))
    return names


def _spans_parts(top: Sequence[Any], bottom: Sequence[Any]) -> bool:
    """A merged parent over parts: some part below sits under an empty cell to the right of
    a named parent ("Pola Pelaksanaan" over "Swakelola | Kerjasama Antar Desa")."""
    parent = False
    for i in range(len(bottom)):
        upper = _text(top[i]) if i < len(top) else ""
        if upper:
            parent = True
        elif parent and _text(bottom[i]):
            return True
    return False


def _joined(parent: str, child: str) -> str:
    if not child:
        return parent
    if not parent or field_for(normalize_header(child)):
        return child if not parent else f"{parent} / {child}"
    return f"{parent} {child}"


def _fields(names: Sequence[str], overrides: Mapping[str, str | None]) -> list[str | None]:
    fields = []
    for name in names:
        key = folded_name(name)
        if key in overrides:
            fields.append(overrides[key])
            continue
        # "Output Kegiatan / Volume": the part below names the field.
        part = name.rsplit(" / ", 1)[-1]
        fields.append(_raw_field(part, overrides))
    return fields


def _score(fields: Sequence[str | None]) -> int:
    return len({f for f in fields if f})


def _all_text(cells: Sequence[Any]) -> bool:
    filled = [c for c in cells if _text(c)]
    return bool(filled) and all(
        isinstance(c, str) and not c.strip().strip("()").isdigit() for c in filled
    )


def detect_header(
    table: Sequence[Sequence[Any]],
    name: str,
    overrides: Mapping[str, str | None] | None = None,
) -> Header:
    """The header of ``table`` (``table[0]`` is Excel row 1). ``overrides`` maps a
    ``folded_name`` to a field (or None to ignore the column). ValidationError naming the
    file ``name`` when no row in the first ``HEADER_SEARCH_ROWS`` names our columns."""
    overrides = overrides or {}
    searched = table[:HEADER_SEARCH_ROWS]
    # The row holding a column mapped by hand is the header: once the user remapped its
    # required column, a data row below must not be taken for it.
    chosen_rows = {
        i
        for i, cells in enumerate(searched)
        if any(folded_name(_text(c)) in overrides for c in cells)
    }
    for index, cells in enumerate(searched):
        names = [_text(c) for c in cells]
        if not any(names) or (chosen_rows and index not in chosen_rows):
            continue
        fields = _fields(names, overrides)
        chosen, last = (names, fields), index
        below = table[index + 1] if index + 1 < len(table) else []
        if _all_text(below) and len([n for n in names if n]) > 1:
            # A lone cell above is a title, not the parent of a two-row header.
            pair_names = _two_row_names(cells, below)
            pair_fields = _fields(pair_names, overrides)
            better = _score(pair_fields) > _score(fields)
            same = _score(pair_fields) == _score(fields) and _spans_parts(cells, below)
            if _kind(pair_fields) and (better or same):
                chosen, last = (pair_names, pair_fields), index + 1
        kind = _kind(chosen[1])
        if kind is None:
            continue
        known = set(fields_of(kind))
        kept = [f if f in known else None for f in chosen[1]]
        return Header(kind, index + 1, last + 1, list(chosen[0]), kept)
    raise ValidationError(
        COLUMNS_FIELD,
        f"{name}: judul kolom tidak dikenali di {HEADER_SEARCH_ROWS} baris pertama; usulan "
        "perlu kolom kegiatan dan biaya, peserta perlu kolom nama"
        + _lookalike_hint(table[:HEADER_SEARCH_ROWS]),
    )


def _lookalike_hint(rows: Sequence[Sequence[Any]]) -> str:
    """``; kolom 'Biaya Lain' mirip biaya``: the header cells that nearly named a field,
    looked for only in rows that name at least one field (a data cell is no header)."""
    for cells in rows:
        if not any(field_for(normalize_header(_text(c))) for c in cells if _text(c)):
            continue
        for cell in cells:
            text = _text(cell)
            folded = normalize_header(text)
            if text and not field_for(folded):
                looks = lookalike_field(folded, "usulan") or lookalike_field(folded, "peserta")
                if looks:
                    return f"; kolom '{text[:40]}' mirip {looks}"
    return ""
