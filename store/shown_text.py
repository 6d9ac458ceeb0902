"""Text from outside (paths, file names, cell values, stored names) as it may be shown.

Such text is untrusted: ``esc\\x1b]0;PWNED\\x07`` would retitle the terminal, ``a\\nForum
dibuat: /palsu`` would print a forged line of its own, a NIK typed into a phone cell would be
printed in full (UU PDP) and a 5,000-character cell would flood the screen. Everything that
echoes such text goes through ``shown``, in one of two modes:

- ``"escaped"`` (command-line lines: paths, names): every control, format (bidi override,
  zero-width), surrogate, private-use or line/paragraph-separator character is written
  visibly as its escape (``\\x1b``, ``\\n``, ``\\u202e``), so the reader sees that the name
  holds something odd instead of having it acted upon; nothing else changes.
- ``"message"`` (the importer's messages quoting a file's cells, shown on screen and in
  reports): one line without any of those characters (escape sequences removed whole, line
  breaks as spaces), every number that could be someone's NIK or phone masked
  (``store.personal.mask_number_runs``), cut to ``MAX_MESSAGE_CHARS`` with "…".
"""

from __future__ import annotations

import re
import unicodedata
from typing import Literal

from store.personal import mask_number_runs

ShowMode = Literal["escaped", "message"]
ESCAPED: ShowMode = "escaped"
MESSAGE: ShowMode = "message"

MAX_MESSAGE_CHARS = 300
_UNSAFE_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Co", "Zl", "Zp"})
_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}
_ESCAPE_SEQUENCE = re.compile(r"\x1b(\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(\x07|\x1b\\)?|.)?")
_LINE_BREAKS = frozenset("\n\r\t\v\f\x1c\x1d\x1e\x85\u2028\u2029")


def is_unsafe(char: str) -> bool:
    """True for a character a terminal acts on instead of showing it."""
    return unicodedata.category(char) in _UNSAFE_CATEGORIES


def has_unsafe(text: object) -> bool:
    """True when ``text`` holds a character ``shown`` would escape (a name to refuse)."""
    return any(is_unsafe(c) for c in str(text))


def shown(text: object, mode: ShowMode = ESCAPED) -> str:
    """``text`` (a str or a path) safe to show on one line, in ``mode`` (see the module)."""
    if mode == MESSAGE:
        one_line = mask_number_runs(_without_controls(str(text)))
        if len(one_line) <= MAX_MESSAGE_CHARS:
            return one_line
        return one_line[: MAX_MESSAGE_CHARS - 1] + "…"
    return "".join(_escape(c) if is_unsafe(c) else c for c in str(text))


def _escape(char: str) -> str:
    if char in _NAMED:
        return _NAMED[char]
    code = ord(char)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def _without_controls(text: str) -> str:
    """Escape sequences and unsafe characters removed; line breaks and tabs become a space,
    so a file name holding a newline cannot print a line of its own."""
    text = _ESCAPE_SEQUENCE.sub("", text)
    return "".join(" " if c in _LINE_BREAKS else "" if is_unsafe(c) else c for c in text)


#: Characters JSON may hold raw that a terminal acts on or that reorder what it shows: DEL
#: and C1 controls, bidi marks, embeddings, overrides and isolates, line/paragraph separators.
_JSON_UNSAFE = re.compile("[\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def json_for_terminal(data: bytes) -> bytes:
    """UTF-8 JSON (as orjson writes it) with every ``_JSON_UNSAFE`` character written as its
    ``\\uXXXX`` escape: the same JSON to a reader, nothing a terminal acts on (``dump``
    prints tables ``check`` does not scan for them, such as the audit)."""
    text = data.decode()
    return _JSON_UNSAFE.sub(lambda hit: f"\\u{ord(hit.group()):04x}", text).encode()
