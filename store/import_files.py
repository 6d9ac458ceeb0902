"""Reading proposal and participant rows from spreadsheet files into validated records.

Pure: a file goes in, records and a report come out; nothing touches a forum. The caller
applies the records all or nothing, so a row error means the whole file is refused.

Files come from desa operators' laptops, so the reader is forgiving about form and strict
about content. ``store.import_readers`` turns the file into a grid of cells (bounded),
``store.import_header`` finds the header wherever it is (``store.import_columns`` maps its
names), ``store.import_rows`` skips number, JUMLAH and template rows, and this module
validates what is left. Rows are numbered as Excel shows them, so ``baris 5`` is the row the
user will find on screen; every message passes ``store.shown_text.shown`` in "message" mode.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from store.collector import collector_paused
from store.import_columns import (
    ROW_NUMBER_HEADERS,
    fields_of,
    lookalike_field,
    normalize_header,
)
from store.import_funding import standardize_funding
from store.import_header import Header, detect_header, folded_name
from store.import_merged import fill_merged_down
from store.import_mojibake import encoding_problem
from store.import_readers import (
    MAX_DATA_ROWS,
    MAX_DATA_ROWS_TEXT,
    Grid,
    read_grids,
    refuse,
)
from store.import_rows import SkippedRow, describe_skipped, sort_rows
from store.import_title_year import title_year_warnings
from store.regions import UnknownRegion, region
from store.shown_text import MESSAGE, shown
from store.text_controls import BIDI_CONTROL
from store.typed_numbers import read_typed_count, read_typed_quantity, read_typed_rupiah
from store.validation import (
    FUNDING_SOURCES,
    RecordInvalid,
    label_of,
    validate_participant,
    validate_proposal,
)
from store.validation_error import ValidationError

__all__ = [
    "EXTRA_CELLS",
    "ImportFile",
    "ImportResult",
    "RowError",
    "normalize_header",
    "parse_grids",
    "parse_import",
    "read_rows",
]

Kind = Literal["usulan", "peserta"]
COLUMNS_ROW = 0
EXTRA_CELLS = "_lebih"
_CODE_AND_NAME = re.compile(r"^\s*([\d.]+)\s*[-\u2013\u2014:]\s*(\S.*)$")


@dataclass(frozen=True)
class ImportFile:
    """The data rows of a file keyed by import column, with the row number Excel shows
    for each (``row_numbers[i]`` belongs to ``rows[i]``); non-data rows are in ``skipped``.

    Filled cells under no header (usually a comma inside unquoted text that shifted the
    columns) are kept under ``EXTRA_CELLS`` so the row can be refused, not silently cut.
    ``unsaved[i]`` lists (field, problem) of row i's cells that the reader shows empty but
    are not: a formula saved without a value, an Excel error (``Grid.cell_problems``).
    """

    kind: Kind
    rows: list[dict[str, Any]]
    warnings: list[str] = field(default_factory=list)
    row_numbers: list[int] = field(default_factory=list)
    header: Header | None = None
    skipped: list[SkippedRow] = field(default_factory=list)
    unsaved: list[list[tuple[str, str]]] = field(default_factory=list)
    sheet: str = ""
    column_errors: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class RowError:
    """One problem of one row: ``RowError(5, "baris 5: Biaya: ...")``; row ``COLUMNS_ROW``
    (0) is a problem of the columns, fixed by mapping them (ctrl+k, ``--kolom``)."""

    row: int
    message: str

    def __str__(self) -> str:
        return self.message


@dataclass(frozen=True)
class ImportResult:
    """Valid records, row errors and warnings of one file; ``rows[i]`` is the Excel row
    number of ``records[i]`` (for reports such as a likely duplicate at ``baris 7``).
    ``header`` and ``skipped`` say what was read as header and what was not data."""

    kind: Kind
    records: list[dict[str, Any]]
    errors: list[RowError]
    warnings: list[str]
    rows: list[int] = field(default_factory=list)
    header: Header | None = None
    skipped: list[SkippedRow] = field(default_factory=list)
    sheet: str = ""
    #: Column mappings remembered for this header and used (folded name -> field or None)
    recalled: dict[str, str | None] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.errors

    def recalled_lines(self) -> list[str]:
        """``["Peserta -> nama"]``: the remembered mappings this file was read with."""
        return self._column_lines(lambda name, _: bool(name) and folded_name(name) in self.recalled)

    def mapping_lines(self) -> list[str]:
        """``["Nama Lengkap -> nama", "Hobi -> diabaikan"]``: the mapping used, for reports."""
        return self._column_lines(lambda name, field: bool(name or field))

    def _column_lines(self, keep: Callable[[str, str | None], bool]) -> list[str]:
        if self.header is None:
            return []
        return [
            f"{shown(name, MESSAGE) or '(tanpa judul)'} -> {field or 'diabaikan'}"
            for name, field in zip(self.header.names, self.header.fields, strict=True)
            if keep(name, field)
        ]

    def skipped_lines(self) -> list[str]:
        """Non-data rows with their reason, runs as ranges."""
        return describe_skipped(self.skipped)


def _is_blank(cells: Iterable[Any]) -> bool:
    return all(cell is None or (isinstance(cell, str) and not cell.strip()) for cell in cells)


_ZERO_WIDTH = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff"))


_TEXT_PREFIXED_NUMBER = re.compile(r"^'(?=[+\d][\d\s.\-]*$)")


def _cell(value: Any) -> Any:
    """A cell as stored: trimmed, without zero-width characters (invisible, they only make
    two equal names differ) and without Excel's text prefix on a number ("'3516..." typed
    so Excel keeps all 16 digits of a NIK)."""
    if not isinstance(value, str):
        return value
    return _TEXT_PREFIXED_NUMBER.sub("", value.translate(_ZERO_WIDTH).strip())


def _hidden_direction(number: int, row: Mapping[str, Any]) -> list[RowError]:
    """Bidi override characters reorder what a screen or document shows ("ABC" can print as
    "CBA"): refused, never stored."""
    return [
        RowError(
            number,
            f"baris {number}: {label_of(f)}: ada karakter pengarah teks tersembunyi "
            f"(U+{ord(found.group()):04X}); hapus lalu impor lagi",
        )
        for f, value in row.items()
        if isinstance(value, str) and (found := BIDI_CONTROL.search(value))
    ]


def _check_overrides(header: Header, overrides: Mapping[str, str | None]) -> list[str]:
    """Hand mappings that cannot apply to this file: a field of the other kind, or a
    column the file does not have (a typo would otherwise be ignored without a word)."""
    present = {folded_name(n) for n in header.names if n}
    present |= {folded_name(n.rsplit(" / ", 1)[-1]) for n in header.names if n}
    known = fields_of(header.kind)
    problems = []
    for column, target in overrides.items():
        if column not in present:
            problems.append(f"pemetaan kolom '{column}': judul itu tidak ada di berkas ini")
        elif target is not None and target not in known:
            problems.append(
                f"pemetaan kolom '{column}={target}': {target} bukan kolom berkas "
                f"{header.kind} (pilih: {', '.join(known)})"
            )
    return problems


def _check_columns(
    header: Header, name: str, overrides: Mapping[str, str | None], own_desa: str | None
) -> tuple[list[str], list[str]]:
    """(errors, warnings) of the columns: duplicated, missing and look-alike columns refuse
    the file; columns that look like nothing we know are ignored with a warning. Without a
    desa column a desa forum's proposals are its own (``own_desa``); a kecamatan forum's
    need the column."""
    errors = [f"{name}: {problem}" for problem in _check_overrides(header, overrides)]
    mapped = [f for f in header.fields if f]
    if duplicated := sorted({f for f in mapped if mapped.count(f) > 1}):
        errors.append(f"{name}: kolom {', '.join(duplicated)} muncul lebih dari sekali")
    if header.kind == "usulan" and "desa" not in mapped and not own_desa:
        errors.append(f"{name}: kolom desa wajib ada untuk usulan")
    ignored = []
    for column, mapped_to in zip(header.names, header.fields, strict=True):
        folded = normalize_header(column)
        if mapped_to or not column or folded in ROW_NUMBER_HEADERS:
            continue
        if folded_name(column) in overrides:
            continue  # the user said: ignore it
        if looks := lookalike_field(folded, header.kind):
            errors.append(
                f"{name}: kolom '{column}' mirip {label_of(looks)} tetapi tidak dipetakan; "
                f"petakan ke kolom yang benar atau abaikan dengan sengaja"
            )
            continue
        ignored.append(column)
    if ignored:
        return errors, [f"{name}: kolom {', '.join(ignored)} tidak dikenal dan diabaikan"]
    return errors, []


def _choose_grid(
    grids: Sequence[Grid], name: str, overrides: Mapping[str, str | None]
) -> tuple[Grid, Header]:
    """The first visible sheet holding a table, and its header."""
    first_error: ValidationError | None = None
    for grid in grids:
        try:
            return grid, detect_header(grid.rows, name, overrides)
        except ValidationError as error:
            first_error = first_error or error
    if all(_is_blank(row) for grid in grids for row in grid.rows):
        raise refuse(name, "berkas kosong")
    assert first_error is not None
    raise first_error


def parse_overrides(
    pairs: Iterable[str], kind_fields: Iterable[str] | None = None
) -> dict[str, str | None]:
    """``["Nama Lengkap=nama", "Hobi=-"]`` -> ``{"nama lengkap": "nama", "hobi": None}``.

    The part after ``=`` is an import column (ARCHITECTURE.md section 4) or ``-`` /
    ``diabaikan`` to ignore the column. ValidationError naming the bad pair."""
    known = (
        set(kind_fields)
        if kind_fields is not None
        else {*fields_of("usulan"), *fields_of("peserta")}
    )
    overrides: dict[str, str | None] = {}
    for pair in pairs:
        column, equals, target = pair.rpartition("=")
        target = target.strip().casefold().replace(" ", "_")
        if not equals or not column.strip() or not target:
            raise ValidationError(
                "kolom",
                f"--kolom '{shown(pair, MESSAGE)}': tulis JUDUL=kolom, atau JUDUL=- untuk "
                "mengabaikan kolom itu",
            )
        if target in ("-", "diabaikan"):
            overrides[folded_name(column)] = None
        elif target in known:
            overrides[folded_name(column)] = target
        else:
            raise ValidationError(
                "kolom",
                f"--kolom '{shown(pair, MESSAGE)}': '{shown(target, MESSAGE)}' bukan kolom impor "
                f"(pilih: {', '.join(sorted(known))})",
            )
    return overrides


def own_desa_of(wilayah_kode: str | None) -> str | None:
    """The forum's desa code when the forum is a desa's, else None (a kecamatan forum)."""
    if not wilayah_kode:
        return None
    try:
        found = region(wilayah_kode)
    except (UnknownRegion, ValueError):
        return None
    return found.code if found.level == "desa" else None


def parse_grids(
    grids: Sequence[Grid],
    name: str,
    overrides: Mapping[str, str | None] | None = None,
    *,
    own_desa: str | None = None,
    tahun: int | None = None,
) -> ImportFile:
    """Header, columns and data rows of already read sheets (the preview re-runs this
    when the user changes a column's mapping, without reading the file again).
    ``own_desa``: a desa forum's code, used for proposals of a file without a desa column;
    ``tahun``: the forum's year, warned when the title above the table names another."""
    overrides = overrides or {}
    grid, header = _choose_grid(grids, name, overrides)
    column_errors, column_warnings = _check_columns(header, name, overrides, own_desa)
    warnings = list(grid.warnings) + column_warnings
    warnings += title_year_warnings(grid.rows, header.first_row, tahun, name)
    if len(grids) > 1:
        warnings.append(f"{name}: hanya lembar '{grid.name}' yang dibaca")
    table, merged_notes = fill_merged_down(grid.rows, grid.merges, header)
    warnings += merged_notes
    sorted_rows = sort_rows(table, header, grid.hidden_rows, grid.cell_problems)
    if len(sorted_rows.data) > MAX_DATA_ROWS:
        raise refuse(
            name, f"lebih dari {MAX_DATA_ROWS_TEXT} baris data; bagi menjadi beberapa berkas"
        )
    if not sorted_rows.data and not column_errors:
        raise refuse(name, f"tidak ada baris data di bawah judul kolom ({header.rows_text})")
    warnings += sorted_rows.warnings
    warnings += [
        f"baris {number}: {problem}"
        for number, cells in sorted_rows.data
        if (problem := encoding_problem(cells))
    ]
    width = len(header.fields)
    rows, numbers, unsaved = [], [], []
    fill_desa = header.kind == "usulan" and "desa" not in header.fields and own_desa
    if fill_desa:
        warnings.append(f"{name}: tanpa kolom desa; semua usulan untuk desa forum ini")
    for number, cells in sorted_rows.data:
        row = {f: _cell(v) for f, v in zip(header.fields, cells, strict=False) if f}
        if fill_desa:
            row["desa"] = own_desa
        extra = [
            cell
            for i, cell in enumerate(cells)
            if (i >= width or not header.names[i]) and not _is_blank([cell])
        ]
        if extra:
            row[EXTRA_CELLS] = extra
        rows.append(row)
        numbers.append(number)
        unsaved.append(
            [
                (f, grid.cell_problems[number, i])
                for i, f in enumerate(header.fields)
                if f and (number, i) in grid.cell_problems
            ]
        )
    return ImportFile(
        header.kind,
        rows,
        warnings,
        numbers,
        header,
        sorted_rows.skipped,
        unsaved,
        grid.name,
        column_errors,
    )


def read_rows(
    path: Path, overrides: Mapping[str, str | None] | None = None, own_desa: str | None = None
) -> ImportFile:
    """The rows of a .csv/.xlsx/.xlsm/.xls/.ods file, keyed by import column; the kind
    (usulan or peserta) is decided from the header. ValidationError naming the file when
    it cannot be read or its header is not one of ours."""
    path = Path(path)
    return parse_grids(read_grids(path), shown(path.name, MESSAGE), overrides, own_desa=own_desa)


def _desa_text(value: Any) -> Any:
    """``"35.16.13.2010 - Sooko"`` -> the code, when the name agrees with it."""
    if not isinstance(value, str) or not (match := _CODE_AND_NAME.match(value)):
        return value
    code, name = match.groups()
    try:
        found = region(code)
    except (UnknownRegion, ValueError):
        return value
    return code if found.name.casefold() == " ".join(name.split()).casefold() else value


def _row_errors(number: int, row: dict[str, Any], unsaved: list[tuple[str, str]]) -> list[RowError]:
    errors = [RowError(number, f"baris {number}: {label_of(f)}: {why}") for f, why in unsaved]
    errors += _hidden_direction(number, row)
    if EXTRA_CELLS in row:
        errors.append(
            RowError(
                number,
                f"baris {number}: ada {len(row[EXTRA_CELLS])} isian di luar kolom judul "
                "(mungkin koma di dalam teks tanpa tanda kutip)",
            )
        )
        return errors  # the columns are shifted: other messages would only mislead
    if "sumber_dana" in row:
        cell = row["sumber_dana"]
        row["sumber_dana"], unknown = standardize_funding(cell)
        for source in unknown:
            whole = "" if source == str(cell).strip() else f" (isian '{_quoted(cell)}')"
            errors.append(
                RowError(
                    number,
                    f"baris {number}: Sumber dana: '{_quoted(source)}'{whole} bukan sumber "
                    f"dana yang dikenal (pilih: {', '.join(FUNDING_SOURCES)})",
                )
            )
    if "desa" in row:
        row["desa"] = _desa_text(row["desa"])
    return errors + [RowError(number, f"baris {number}: {why}") for why in _typed_numbers(row)]


QUOTED_CHARS = 60


def _quoted(cell: Any) -> str:
    """A cell as a message quotes it: one line, NIK and phone masked, cut to
    ``QUOTED_CHARS`` (the whole message is cut later too, but one cell must not fill it)."""
    text = shown(cell, MESSAGE)
    return text if len(text) <= QUOTED_CHARS else text[: QUOTED_CHARS - 1] + "…"


def _typed_numbers(row: dict[str, Any]) -> list[str]:
    """Read number cells typed as text the way the F4 form reads them
    (``store.typed_numbers``: "150 juta", "Rp 1,5 M", "250 jiwa", "150 m"), in place; the
    messages of the cells that cannot be read. A unit written with the volume fills an
    empty satuan; a different satuan is an error, not a silent choice."""
    problems = []
    volume = row.get("volume")
    if isinstance(volume, str) and volume.strip():
        try:
            number, unit = read_typed_quantity(volume)
        except ValidationError as error:
            problems.append(error.message)
        else:
            row["volume"] = number
            satuan = str(row.get("satuan") or "").strip()
            if unit and not satuan:
                row["satuan"] = unit
            elif unit and satuan.casefold() != unit.casefold():
                problems.append(
                    f"Volume: '{volume}' bersatuan '{unit}', tetapi Satuan berisi '{satuan}'"
                )
    for key, read in (("penerima_manfaat", read_typed_count), ("biaya", read_typed_rupiah)):
        value = row.get(key)
        if isinstance(value, str) and value.strip():
            try:
                row[key] = read(value)
            except ValidationError as error:
                problems.append(error.message)
    return problems


def validate_rows(
    source: ImportFile,
    *,
    wilayah_kode: str | None = None,
    sectors: Iterable[str] = (),
    unsur_overrides: Mapping[str, str] | None = None,
) -> ImportResult:
    """Validate every row of ``source``: each error as ``baris N: Field: ...``."""
    records: list[dict[str, Any]] = []
    numbers: list[int] = []
    errors: list[RowError] = []
    warnings = list(source.warnings)
    unsaved_cells = source.unsaved or [[] for _ in source.rows]
    errors += [RowError(COLUMNS_ROW, e) for e in source.column_errors]
    checked = [] if errors else zip(source.row_numbers, source.rows, unsaved_cells, strict=True)
    for number, row, unsaved in checked:
        row = dict(row)
        if row_errors := _row_errors(number, row, unsaved):
            errors += row_errors
            continue
        try:
            if source.kind == "usulan":
                record = validate_proposal(row, wilayah_kode=wilayah_kode, sectors=sectors)
            else:
                record, row_warnings = validate_participant(
                    row, wilayah_kode=wilayah_kode, unsur_overrides=unsur_overrides
                )
                warnings.extend(f"baris {number}: {w}" for w in row_warnings)
        except RecordInvalid as invalid:
            errors.extend(RowError(number, f"baris {number}: {e.message}") for e in invalid.errors)
            continue
        records.append(record)
        numbers.append(number)
    return ImportResult(
        source.kind,
        records,
        [RowError(e.row, shown(e.message, MESSAGE)) for e in errors],
        [shown(w, MESSAGE) for w in warnings],
        numbers,
        source.header,
        source.skipped,
        source.sheet,
    )


def parse_import(
    path: Path,
    *,
    wilayah_kode: str | None = None,
    sectors: Iterable[str] = (),
    unsur_overrides: Mapping[str, str] | None = None,
    columns: Mapping[str, str | None] | None = None,
    recall: Callable[[Sequence[Grid]], Mapping[str, str | None]] | None = None,
    tahun: int | None = None,
) -> ImportResult:
    """Read and validate a whole file: every row error as ``baris N: Field: ...``.

    Pass the forum's region as ``wilayah_kode`` so desa names are matched inside it (a desa
    name like Tempuran exists in two kecamatan); ``columns`` are mappings fixed by hand
    (``parse_overrides``); ``recall(grids)`` gives mappings remembered for the file's
    header (``store.import_memory``), used where ``columns`` says nothing. The file is never
    partly applied: the caller adds ``records`` only when ``errors`` is empty.
    """
    columns = dict(columns or {})
    recalled: dict[str, str | None] = {}
    with collector_paused():
        try:
            grids = read_grids(Path(path))
            recalled = {
                key: value
                for key, value in (recall(grids) if recall else {}).items()
                if key not in columns
            }
            source = parse_grids(
                grids,
                shown(Path(path).name, MESSAGE),
                {**recalled, **columns},
                own_desa=own_desa_of(wilayah_kode),
                tahun=tahun,
            )
        except ValidationError as error:
            used = "; ".join(f"{key} -> {value or 'diabaikan'}" for key, value in recalled.items())
            note = f" (pemetaan tersimpan dipakai: {used})" if used else ""
            raise ValidationError(error.field, shown(error.message + note, MESSAGE)) from None
        result = validate_rows(
            source, wilayah_kode=wilayah_kode, sectors=sectors, unsur_overrides=unsur_overrides
        )
    return dataclasses.replace(result, recalled=recalled)
