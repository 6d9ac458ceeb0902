"""The characters no stored text may hold, defined once for the writers and the check.

``store.validation.clean_text`` refuses them on entry (typed, pasted or imported) and
``store.forum_values.control_problems`` refuses a forum holding them on open; both read the
set from here, so a text the app accepts is never one its own check refuses.

Refused: C0 controls but tab and line feed (notes keep them), DEL and C1 (an escape
sequence clears or retitles the terminal ``dump`` prints on), and the bidirectional
controls that reorder what a terminal or a document shows (after U+202E a name reads
backwards on the Berita Acara).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from itertools import groupby
from typing import Any


def _span(first: int, last: int) -> str:
    return "".join(map(chr, range(first, last + 1)))


#: ARABIC LETTER MARK, LEFT-TO-RIGHT and RIGHT-TO-LEFT MARK, the embeddings and overrides
#: (U+202A-U+202E) and the isolates (U+2066-U+2069).
BIDI_CONTROLS = "\u061c\u200e\u200f" + _span(0x202A, 0x202E) + _span(0x2066, 0x2069)
_C0 = "".join(c for c in _span(0x00, 0x1F) if c not in "\t\n")
_DEL_C1 = _span(0x7F, 0x9F)
#: One bidirectional control (the import names these apart: "pengarah teks tersembunyi").
BIDI_CONTROL = re.compile("[" + re.escape(BIDI_CONTROLS) + "]")
#: One refused character.
CONTROL = re.compile("[" + re.escape(_C0 + _DEL_C1 + BIDI_CONTROLS) + "]")


def _utf8_search(chars: str) -> re.Pattern[bytes]:
    """A search for ``chars`` in UTF-8 bytes, one branch per lead sequence (``\xc2[\x80-\x9f]``):
    each branch starts with a literal byte, so the search runs at C speed."""
    encoded = sorted(char.encode() for char in chars)
    return re.compile(
        b"|".join(
            re.escape(lead) + b"[" + b"".join(re.escape(bytes([e[-1]])) for e in group) + b"]"
            for lead, group in groupby(encoded, key=lambda e: e[:-1])
        )
    )


#: The refused characters JSON keeps as they are (DEL, C1 and the bidi controls; orjson
#: writes C0 as escapes), for a search over a table's JSON bytes.
CONTROL_UTF8 = _utf8_search(_DEL_C1 + BIDI_CONTROLS)


def control_in(text: str) -> str | None:
    """The first refused character of ``text``, or None."""
    found = CONTROL.search(text)
    return found.group() if found else None


def texts_in(value: Any, field: str = "") -> Iterator[tuple[str, str]]:
    """(field, text) for every string in a stored value, nested lists and objects (their
    keys too) included; ``field`` is the top-level name the string sits under."""
    if isinstance(value, str):
        yield field, value
    elif isinstance(value, dict):
        for name, item in value.items():
            yield from texts_in(name, field or str(name))
            yield from texts_in(item, field or str(name))
    elif isinstance(value, list):
        for item in value:
            yield from texts_in(item, field)


def first_control(value: Any) -> tuple[str, str] | None:
    """(field, character) of the first refused character in a stored value, or None."""
    return next(
        ((field, char) for field, text in texts_in(value) if (char := control_in(text))), None
    )
