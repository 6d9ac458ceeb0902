"""Personal data in a forum (UU PDP 27/2022): which fields, their masked forms, and erasing.

A participant's NIK and phone number are the personal values a forum keeps. They are shown
and logged only masked: ``dump`` without ``--lengkap`` and every audit entry's old/new values
hold the masked form from the moment they are written, so only the participant record itself
holds the clear value, and ``purge-personal`` can erase that one place (plus what a journal
line or a backup kept of it, see ``store.purge``).
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Callable
from typing import Any

from store.nik import mask_nik

#: The record keys that hold personal values, wherever they appear.
PERSONAL_KEYS = ("nik", "telepon")
#: Digits of a phone number shown in its masked form: the operator prefix and the last two.
_PHONE_HEAD, _PHONE_TAIL = 4, 2


def mask_phone(phone: str) -> str:
    """``0812******90``: enough to tell two numbers apart on screen, never the number.

    A fixed-width hidden part, so the mask does not tell the length; short values are stars.
    """
    digits = "".join(ch for ch in str(phone) if ch.isdigit())
    if not digits:
        return ""
    if len(digits) < 9:
        return "*" * 6
    return f"{digits[:_PHONE_HEAD]}******{digits[-_PHONE_TAIL:]}"


_MASKS = {"nik": mask_nik, "telepon": mask_phone}
#: What may stand between the digits of a number as people write it (any dash is read as
#: "-", see ``_fold_char``).
_SEP = r"[ .\-()/_*,]{0,3}"
#: Not inside a longer run of digits. A number glued to letters ("NIK3516…", "…4122²") is
#: still a number; only a hex id, hash or fingerprint around it (``_inside_hex_id``) is not.
_NOT_AFTER_ALNUM, _NOT_BEFORE_ALNUM = r"(?<!\d)", r"(?!\d)"
#: A hex id, hash or fingerprint (``a7a1fd0850484…``): long, hex only, letters and digits.
_HEX_ID = re.compile(r"(?=[0-9a-f]*[a-f])[0-9a-f]{20,}|(?=[0-9A-F]*[A-F])[0-9A-F]{20,}")
#: 16 digits, maybe grouped by spaces, dots or dashes: a NIK wherever it is written.
_NIK_LIKE = re.compile(rf"{_NOT_AFTER_ALNUM}\d(?:[ .\-_]?\d){{15}}{_NOT_BEFORE_ALNUM}")
#: An Indonesian mobile number: +62 / 62 / 0062 / 0, then 8 and 7 to 11 more digits, any of
#: them grouped by spaces, dots, dashes, slashes, brackets, underscores, stars or commas
#: ("+62 (812) 3456-7890"); or 8 and 9 to 11 digits in one run (a spreadsheet dropped the
#: leading 0). A landline: an area code of 2 or 3 digits after 0 (maybe bracketed, or
#: after +62) and 5 to 8 digits ("(021) 555 1234", "0321 123456").
#: Money says so ("Rp 628.000.000.000"); anything else this shape is taken for a phone.
_PHONE_LIKE = re.compile(
    rf"{_NOT_AFTER_ALNUM}(?<![+])(?<!\d[.,])(?<!Rp )(?<!Rp\. )"
    rf"(?:(?:\+ ?62|0{{0,2}}62|0){_SEP}8(?:{_SEP}\d){{7,11}}"
    r"|8\d{9,11}"
    r"|(?:\((?:0|\+62 ?)[1-79]\d{1,2}\)|(?:0|\+62[ \-]?)[1-79]\d{1,2})[ \-.]?\d(?:[ \-.]?\d){4,7}"
    rf"){_NOT_BEFORE_ALNUM}"
)
#: Any run of digits and separators, for messages that quote a cell (``mask_number_runs``).
_DIGIT_RUN = re.compile(r"\+?\d[\d \-.()/]{4,}\d")
#: A desa's region code (``62.80.01.1001``) has a phone's digits but never a phone's shape.
_REGION_CODE = re.compile(r"\d{2}\.\d{2}\.\d{2}\.\d{4}")
_THOUSANDS = re.compile(r"\d{1,3}(?:\.\d{3})+")  # money: 140.000.000
_DATE_LIKE = re.compile(r"\d{1,2}[-/.]\d{1,2}[-/.]\d{2,4}|\d{4}[-/.]\d{1,2}[-/.]\d{1,2}")
EXAMPLE_PHONE = "0812 3456 7890"  # the example the app's own messages give
#: How the app's messages give it: only this phrase is left readable, never the same
#: number quoted from a file's cell.
EXAMPLE_PHRASE = f"contoh: {EXAMPLE_PHONE}"


def _digits(written: str) -> str:
    return re.sub(r"\D", "", written)


@functools.lru_cache(maxsize=4096)
def _fold_char(char: str) -> str:
    """One character as the number rules read it: any script's digit as its ASCII digit,
    any dash (en dash, hyphen, figure dash, minus) as ``-``, a fullwidth ``＋（）．／`` as its
    plain form; others (superscript digits too) unchanged (always one character)."""
    if char.isdecimal():
        return str(unicodedata.decimal(char))
    if char in "\t\n\r\u00ad" or unicodedata.category(char) in ("Cf", "Zl", "Zp"):
        return " "  # invisible between digits (zero-width, soft hyphen, a line break)
    if char == "\u2212" or unicodedata.category(char) == "Pd":  # any dash, the minus sign
        return "-"
    folded = unicodedata.normalize("NFKC", char)
    # A superscript or circled digit (NFKC "²" -> "2") is not how a number is written: it
    # stays a separator, so "…0000²" still ends a NIK's 16 digits.
    return folded if len(folded) == 1 and not folded.isdigit() else char


def _folded(text: str) -> str:
    """``text`` with ``_fold_char`` applied; same length, so a match's span fits ``text``."""
    if text.isascii() and not any(c in text for c in "\t\n\r"):
        return text
    return "".join(_fold_char(c) for c in text)


def _inside_hex_id(folded: str, start: int, end: int) -> bool:
    """Whether ``folded[start:end]`` lies inside an ASCII word that is a hex id."""
    while start > 0 and folded[start - 1].isascii() and folded[start - 1].isalnum():
        start -= 1
    while end < len(folded) and folded[end].isascii() and folded[end].isalnum():
        end += 1
    return _HEX_ID.fullmatch(folded, start, end) is not None


def _sub_folded(pattern: re.Pattern[str], text: str, mask: Callable[[str], str]) -> str:
    """``text`` with every match of ``pattern`` in its folded form replaced by
    ``mask(folded match)``; the rest of ``text`` as it was."""
    folded = _folded(text)
    pieces, end = [], 0
    for match in pattern.finditer(folded):
        if _inside_hex_id(folded, match.start(), match.end()):
            continue
        pieces += [text[end : match.start()], mask(match.group())]
        end = match.end()
    return "".join(pieces) + text[end:] if pieces else text


def mask_niks_in_text(text: str) -> str:
    """``text`` with every NIK-shaped number (16 digits, maybe grouped) masked."""
    return _sub_folded(_NIK_LIKE, text, lambda written: mask_nik(_digits(written)))


def mask_in_text(text: str) -> str:
    """``text`` with every NIK-shaped and phone-shaped number masked, whatever field holds
    it (a phone typed into a note, a NIK under a key this version does not know), in any
    digits (fullwidth ``０８１２`` too). Money (``Rp 150.000.000``), years, dates, NIPs and
    region codes (``35.16.01.2001``) are left as written; a date run into a number
    (``08-12-2026 10.00``) may be masked: a phone never shows, that is the rule that wins."""
    folded = _folded(text)
    found = [
        (match.start(), match.end(), mask_nik(_digits(match.group())))
        for match in _NIK_LIKE.finditer(folded)
    ] + [
        (match.start(), match.end(), _phone_mask(match.group()))
        for match in _PHONE_LIKE.finditer(folded)
        if _phone_mask(match.group()) != match.group()
    ]
    return _masked_spans(text, folded, found)


def _masked_spans(text: str, folded: str, found: list[tuple[int, int, str]]) -> str:
    """``text`` with each found ``(start, end, mask)`` replaced. Spans of the two rules can
    overlap: two phones side by side ("0812-3456-7861 081234567862") also read as one NIK
    across the join. Overlapping spans are masked as one, so no rule's leftover shows."""
    spans: list[list[Any]] = []
    for start, end, mask in sorted(found):
        if _inside_hex_id(folded, start, end):
            continue
        if spans and start < spans[-1][1]:
            spans[-1][1] = max(spans[-1][1], end)
            spans[-1][2] = None  # merged: masked from the digits of the whole span
        else:
            spans.append([start, end, mask])
    pieces, last = [], 0
    for start, end, mask in spans:
        shown = mask if mask is not None else mask_phone(_digits(folded[start:end]))
        pieces += [text[last:start], shown]
        last = end
    return "".join(pieces) + text[last:]


def _phone_mask(written: str) -> str:
    if _REGION_CODE.fullmatch(written) or _DATE_LIKE.fullmatch(written):
        return written
    return mask_phone(_digits(written))


def mask_number_runs(text: str) -> str:
    """``mask_in_text``, then every other run of digits that could be someone's number
    masked too, valid or not: for messages quoting a file's cell (a mistyped phone, a
    15-digit NIK), where a number shown is only ever a hint. Money with thousands dots,
    dates and the app's own example phrase (``EXAMPLE_PHRASE``) stay readable."""
    return EXAMPLE_PHRASE.join(
        _sub_folded(_DIGIT_RUN, mask_in_text(part), _masked_run)
        for part in text.split(EXAMPLE_PHRASE)
    )


def _masked_run(written: str) -> str:
    digits = _digits(written)
    if len(digits) >= 15:
        return mask_nik(digits[:16]) if len(digits) >= 16 else digits[:2] + "…"
    if _THOUSANDS.fullmatch(written.strip()):
        return written
    if _DATE_LIKE.fullmatch(written.strip()):
        return written
    if digits.startswith(("08", "628")) or (
        len(digits) >= 9 and digits.startswith(("0", "62", "8"))
    ):  # a phone, valid or not (a mistyped one is still someone's number): never in full
        return digits[:4] + "…" + digits[-2:] if len(digits) > 10 else digits[:2] + "…"
    return written


def mask_personal(value: Any) -> Any:
    """A copy of ``value`` (JSON-shaped) with every non-empty NIK and phone masked: by
    field name (``PERSONAL_KEYS``), and by shape in any other string (``mask_in_text``)."""
    if isinstance(value, dict):
        return {
            key: _MASKS[key](item)
            if key in _MASKS and isinstance(item, str) and item
            else mask_personal(item)
            for key, item in value.items()
        }
    if isinstance(value, list):
        return [mask_personal(item) for item in value]
    if isinstance(value, str):
        return mask_in_text(value)
    return value


def blank_personal(value: Any) -> tuple[Any, bool]:
    """A copy of ``value`` with every personal value erased, and whether anything was: the
    fields that hold one (``PERSONAL_KEYS``, clear or masked) blanked, and every NIK- or
    phone-shaped number in any other text masked (``mask_in_text``: a phone typed into a
    note, a proposal's location or a minute). What ``purge-personal`` leaves behind."""
    if isinstance(value, dict):
        changed = False
        out = {}
        for key, item in value.items():
            if key in PERSONAL_KEYS and isinstance(item, str) and item:
                out[key] = ""
                changed = True
            else:
                out[key], inner = blank_personal(item)
                changed = changed or inner
        return out, changed
    if isinstance(value, list):
        pairs = [blank_personal(item) for item in value]
        return [item for item, _ in pairs], any(changed for _, changed in pairs)
    if isinstance(value, str):
        masked = mask_in_text(value)
        return masked, masked != value
    return value, False
