"""Personal data in a forum (UU PDP 27/2022): which fields, their masked forms, and erasing.

A participant's NIK and phone number are the personal values a forum keeps. They are shown
and logged only masked: ``dump`` without ``--lengkap`` and every audit entry's old/new values
hold the masked form from the moment they are written, so only the participant record itself
holds the clear value, and ``purge-personal`` can erase that one place (plus what a journal
line or a backup kept of it, see ``store.purge``).
"""

from __future__ import annotations

import re
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
#: 16 digits, maybe grouped by spaces, dots or dashes: a NIK wherever it is written.
_NIK_LIKE = re.compile(r"(?<!\d)\d(?:[ .-]?\d){15}(?!\d)")
#: An Indonesian mobile number (08..., 628..., +62 8...), maybe grouped: 10 to 14 digits.
_PHONE_LIKE = re.compile(r"(?<![\d+])(?:\+62[ .-]?|62|0)8\d(?:[ .-]?\d){6,10}(?!\d)")


def _digits(match: re.Match[str]) -> str:
    return re.sub(r"\D", "", match.group(0))


def mask_niks_in_text(text: str) -> str:
    """``text`` with every NIK-shaped number (16 digits, maybe grouped) masked."""
    return _NIK_LIKE.sub(lambda m: mask_nik(_digits(m)), text)


def mask_in_text(text: str) -> str:
    """``text`` with every NIK-shaped and phone-shaped number masked, whatever field holds
    it (a phone typed into a note, a NIK under a key this version does not know)."""
    return _PHONE_LIKE.sub(lambda m: mask_phone(_digits(m)), mask_niks_in_text(text))


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
    """A copy of ``value`` with every personal value (clear or masked) blanked, and whether
    anything was blanked."""
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
    return value, False
