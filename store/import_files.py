"""Reading proposal and participant rows from .csv and .xlsx files into validated records.

Pure: a file goes in, records and a report come out; nothing touches a forum. The caller
applies the records all or nothing, so a row error means the whole file is refused.

Files come from desa operators' laptops, so the reader is forgiving about form and strict
about content: comma or semicolon (Excel in the Indonesian locale writes ``;``), UTF-8 with
or without BOM or else Windows-1252 (with a warning), header names in any case and order.
Rows are numbered as Excel shows them (header row = 1), so ``baris 5`` is the row the user
will find on screen.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from store.validation import (
    PARTICIPANT_COLUMNS,
    PROPOSAL_COLUMNS,
    RecordInvalid,
    validate_participant,
    validate_proposal,
)
from store.validation_error import ValidationError

Kind = Literal["usulan", "peserta"]

# Common header spellings of the same columns; the contract names always work.
HEADER_ALIASES: dict[str, str] = {
    "l_p": "jenis_kelamin",
    "jk": "jenis_kelamin",
    "telp": "telepon",
    "no_telp": "telepon",
    "no_hp": "telepon",
    "hp": "telepon",
    "sumber_usulan": "sumber",
    "usulan_kegiatan": "kegiatan",
    "perkiraan_biaya": "biaya",
    "lembaga_instansi": "lembaga",
    "desa_pengusul": "desa",
}
_IGNORED_HEADERS = frozenset({"no", "nomor", "no_urut"})  # the row-number column of paper forms
_DELIMITERS = (",", ";", "\t")
EXTRA_CELLS = "_lebih"


@dataclass(frozen=True)
class ImportFile:
    """The data rows of a file keyed by normalised header, with the row number Excel shows
    for each (``row_numbers[i]`` belongs to ``rows[i]``); blank rows are left out.

    Filled cells under no header (usually a comma inside unquoted text that shifted the
    columns) are kept under ``EXTRA_CELLS`` so the row can be refused, not silently cut.
    """

    kind: Kind
    rows: list[dict[str, Any]]
    warnings: list[str] = field(default_factory=list)
    row_numbers: list[int] = field(default_factory=list)


@dataclass(frozen=True)
class RowError:
    """One problem of one row: ``RowError(5, "baris 5: Biaya: ...")``."""

    row: int
    message: str

    def __str__(self) -> str:
        return self.message


@dataclass(frozen=True)
class ImportResult:
    """Valid records, row errors and warnings of one file; ``rows[i]`` is the Excel row
    number of ``records[i]`` (for reports such as a likely duplicate at ``baris 7``)."""

    kind: Kind
    records: list[dict[str, Any]]
    errors: list[RowError]
    warnings: list[str]
    rows: list[int] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


def normalize_header(name: Any) -> str:
    """``Penerima Manfaat`` -> ``penerima_manfaat``; ``L/P`` -> ``jenis_kelamin``."""
    text = re.sub(r"[^0-9a-z]+", "_", str(name or "").replace("\ufeff", "").casefold())
    text = text.strip("_")
    return HEADER_ALIASES.get(text, text)


def _decode(data: bytes, name: str) -> tuple[str, list[str]]:
    """UTF-8 (with or without BOM), UTF-16 with BOM (Excel's "Unicode text"), else
    Windows-1252 with a warning."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16"), []
    try:
        return data.decode("utf-8-sig"), []
    except UnicodeDecodeError:
        pass
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError:
        raise ValidationError(
            "berkas",
            f"{name}: bukan teks UTF-8 maupun Windows-1252; simpan ulang sebagai CSV UTF-8",
        ) from None
    warning = (
        f"{name}: bukan UTF-8, dibaca sebagai Windows-1252; periksa huruf khusus (é, ñ, ...) "
        "atau simpan ulang sebagai CSV UTF-8"
    )
    return text, [warning]


def _csv_rows(path: Path) -> tuple[list[list[Any]], list[str]]:
    text, warnings = _decode(path.read_bytes(), path.name)
    first_line = next((line for line in text.splitlines() if line.strip()), "")
    delimiter = max(_DELIMITERS, key=first_line.count)
    return list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)), warnings


def _xlsx_rows(path: Path) -> tuple[list[list[Any]], list[str]]:
    # openpyxl takes ~0.5 s to import; only imports of spreadsheets pay for it.
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except Exception as error:  # zipfile, XML and openpyxl errors alike: not a usable .xlsx
        raise ValidationError(
            "berkas", f"{path.name}: tidak bisa dibuka sebagai .xlsx ({error})"
        ) from None
    try:
        sheet = workbook.worksheets[0]
        rows = [list(row) for row in sheet.iter_rows(min_row=1, values_only=True)]
        warnings = []
        if len(workbook.worksheets) > 1:
            warnings.append(f"{path.name}: hanya lembar pertama ('{sheet.title}') yang dibaca")
        return rows, warnings
    finally:
        workbook.close()


def _is_blank(cells: Iterable[Any]) -> bool:
    return all(cell is None or (isinstance(cell, str) and not cell.strip()) for cell in cells)


def _cell(value: Any) -> Any:
    return value.strip() if isinstance(value, str) else value


def _kind_of(headers: set[str], name: str) -> Kind:
    if {"kegiatan", "biaya"} <= headers:
        return "usulan"
    if "nama" in headers:
        return "peserta"
    raise ValidationError(
        "berkas",
        f"{name}: judul kolom tidak dikenali; usulan perlu kolom kegiatan dan biaya, "
        "peserta perlu kolom nama",
    )


def read_rows(path: Path) -> ImportFile:
    """The rows of a .csv or .xlsx file, keyed by normalised header names; the kind
    (usulan or peserta) is decided from the header. ValidationError naming the file when
    it cannot be read or its header is not one of ours."""
    path = Path(path)
    suffix = path.suffix.casefold()
    if suffix not in (".csv", ".xlsx"):
        raise ValidationError(
            "berkas",
            f"{path.name}: hanya .csv atau .xlsx yang bisa diimpor (simpan ulang dari Excel)",
        )
    if not path.is_file():
        raise ValidationError("berkas", f"{path.name}: berkas tidak ditemukan")
    table, warnings = _csv_rows(path) if suffix == ".csv" else _xlsx_rows(path)
    numbered = [(n, cells) for n, cells in enumerate(table, start=1) if not _is_blank(cells)]
    if not numbered:
        raise ValidationError("berkas", f"{path.name}: berkas kosong")
    (_, header_cells), data = numbered[0], numbered[1:]
    headers = [normalize_header(cell) for cell in header_cells]
    named = [h for h in headers if h]
    if duplicated := sorted({h for h in named if named.count(h) > 1}):
        raise ValidationError(
            "berkas", f"{path.name}: kolom {', '.join(duplicated)} muncul lebih dari sekali"
        )
    kind = _kind_of(set(named), path.name)
    known = set(PROPOSAL_COLUMNS if kind == "usulan" else PARTICIPANT_COLUMNS)
    if kind == "usulan" and "desa" not in named:
        raise ValidationError("berkas", f"{path.name}: kolom desa wajib ada untuk usulan")
    if unknown := [h for h in named if h not in known and h not in _IGNORED_HEADERS]:
        warnings.append(f"{path.name}: kolom {', '.join(unknown)} tidak dikenal dan diabaikan")
    rows, row_numbers = [], []
    for number, cells in data:
        row = {h: _cell(v) for h, v in zip(headers, cells, strict=False) if h in known}
        extra = [
            cell
            for i, cell in enumerate(cells)
            if (i >= len(headers) or not headers[i]) and not _is_blank([cell])
        ]
        if extra:
            row[EXTRA_CELLS] = extra
        rows.append(row)
        row_numbers.append(number)
    return ImportFile(kind, rows, warnings, row_numbers)


def parse_import(
    path: Path,
    *,
    wilayah_kode: str | None = None,
    sectors: Iterable[str] = (),
    unsur_overrides: Mapping[str, str] | None = None,
) -> ImportResult:
    """Read and validate a whole file: every row error as ``baris N: Field: ...``.

    Pass the forum's region as ``wilayah_kode`` so desa names are matched inside it (a desa
    name like Tempuran exists in two kecamatan). The file is never partly applied: the
    caller adds ``records`` only when ``errors`` is empty.
    """
    source = read_rows(path)
    records: list[dict[str, Any]] = []
    numbers: list[int] = []
    errors: list[RowError] = []
    warnings = list(source.warnings)
    for number, row in zip(source.row_numbers, source.rows, strict=True):
        if EXTRA_CELLS in row:
            errors.append(
                RowError(
                    number,
                    f"baris {number}: ada {len(row[EXTRA_CELLS])} isian di luar kolom judul "
                    "(mungkin koma di dalam teks tanpa tanda kutip)",
                )
            )
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
    return ImportResult(source.kind, records, errors, warnings, numbers)
