"""Import messages safe to show: no full NIK or phone number, no terminal control codes.

A report quotes the bad cell so the user can find it, but file text is untrusted: a cell of
escape codes would clear or retitle the terminal, a NIK typed in the phone column would be
printed in full (UU PDP), and a 5,000-character cell would flood the screen. Every message
of the importer passes through ``safe_message``.
"""

from __future__ import annotations

import re
import unicodedata

from store.nik import mask_nik

MAX_MESSAGE_CHARS = 300
_ESCAPE_SEQUENCE = re.compile(r"\x1b(\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(\x07|\x1b\\)?|.)?")
_DIGIT_RUN = re.compile(r"\+?\d[\d \-.()]{4,}\d")
_DATE_LIKE = re.compile(r"\d{1,2}[-/.]\d{1,2}[-/.]\d{2,4}|\d{4}[-/.]\d{1,2}[-/.]\d{1,2}")
_THOUSANDS = re.compile(r"\d{1,3}(\.\d{3})+")
_LINE_BREAKS = frozenset("\n\r\t\v\f\x1c\x1d\x1e\x85\u2028\u2029")
_UNSAFE = ("Cc", "Cf", "Cs", "Co")
_EXAMPLE_PHONE = "0812 3456 7890"  # the example our own messages give


def _control_free(text: str) -> str:
    """One line: escape sequences, control, format (bidi overrides, zero-width) and
    surrogate characters removed; line breaks and tabs become a space, so a file name
    holding a newline cannot print a line of its own."""
    text = _ESCAPE_SEQUENCE.sub("", text)
    return "".join(
        " " if c in _LINE_BREAKS else "" if unicodedata.category(c) in _UNSAFE else c for c in text
    )


def _masked_number(match: re.Match[str]) -> str:
    written = match.group(0)
    digits = re.sub(r"\D", "", written)
    if len(digits) >= 15:
        return mask_nik(digits[:16]) if len(digits) >= 16 else digits[:2] + "…"
    if _THOUSANDS.fullmatch(written.strip()) or written == _EXAMPLE_PHONE:
        return written  # money written with thousands dots (140.000.000)
    if _DATE_LIKE.fullmatch(written.strip()):
        return written
    if digits.startswith(("08", "628")) or (
        len(digits) >= 9 and digits.startswith(("0", "62", "8"))
    ):  # a phone, valid or not (a mistyped one is still someone's number): never in full
        return digits[:4] + "…" + digits[-2:] if len(digits) > 10 else digits[:2] + "…"
    return written


def safe_message(text: str) -> str:
    """``text`` on one line, without control characters, full NIKs or phone numbers, cut
    to ``MAX_MESSAGE_CHARS`` characters with "…". Every text of a file that is echoed (file
    names, headers, cell values) goes through here."""
    text = _DIGIT_RUN.sub(_masked_number, _control_free(text))
    return text if len(text) <= MAX_MESSAGE_CHARS else text[: MAX_MESSAGE_CHARS - 1] + "…"
