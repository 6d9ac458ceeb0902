"""The bounds every import file is held to, and the file-level refusal that names it.

Shared by the CSV reader (``store.import_readers``) and the workbook pre-scan
(``store.import_bounds``) so both refuse at the same numbers with the same words.
"""

from __future__ import annotations

from store.validation_error import ValidationError

MAX_DATA_ROWS = 50_000
MAX_DATA_ROWS_TEXT = "50.000"
MAX_GRID_ROWS = MAX_DATA_ROWS + 1_000  # room for titles, headers, totals and blank rows
MAX_COLUMNS = 200
MAX_CELL_CHARS = 10_000
#: Cells of one sheet's rectangle (last row x last column): what the reader allocates.
MAX_CELLS = 3_000_000
#: Characters of every cell of a file together (a shared text counted per use): ~100 MB.
MAX_TEXT_CHARS = 100_000_000
MAX_FILE_BYTES = 64 * 1024 * 1024
MAX_CELL_PROBLEMS = 10_000
UNSAVED_FORMULA = "rumus tanpa nilai tersimpan: buka dan simpan ulang di Excel"


def refuse(name: str, reason: str) -> ValidationError:
    """The file-level refusal: ``usulan.xlsx: <reason>``."""
    return ValidationError("berkas", f"{name}: {reason}")
