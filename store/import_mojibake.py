"""Text that was UTF-8, read once as Windows-1252 and saved again as UTF-8 ("CafÃ©").

The file itself is valid UTF-8, so the reader cannot tell; the damage happened on a laptop
before the file reached us. It is noticed by undoing the mistake: text whose characters all
exist in Windows-1252 and whose bytes there form valid UTF-8 with fewer characters was
almost certainly double encoded. A warning names the row and the likely repair; the cell
is not changed without the user seeing it.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

_SHOWN_CHARS = 40


def repaired(text: str) -> str | None:
    """``"CafÃ©"`` -> ``"Café"``; None when ``text`` does not look double encoded."""
    if text.isascii():
        return None
    try:
        fixed = text.encode("cp1252").decode("utf-8")
    except UnicodeError:
        return None
    return fixed if fixed != text and not fixed.isascii() else None


def encoding_problem(cells: Sequence[Any]) -> str | None:
    """The warning for the first double-encoded cell of a row, or None."""
    for cell in cells:
        if isinstance(cell, str) and (fixed := repaired(cell)) is not None:
            return (
                f"'{cell[:_SHOWN_CHARS]}' tampaknya salah pengodean huruf (mungkin "
                f"'{fixed[:_SHOWN_CHARS]}'); perbaiki di berkas lalu impor lagi bila perlu"
            )
    return None
