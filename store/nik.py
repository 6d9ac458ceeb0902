"""NIK (Nomor Induk Kependudukan): check the shape, read what it encodes, and mask it.

A NIK is ``PPKKCC DDMMYY NNNN``: region of first registration, birth date (day + 40 for
women), sequence. A NIK is never corrected by the Dukcapil office, so a date or gender that
disagrees with what the participant said only warns; a NIK that cannot exist (wrong length,
month 13, day 35) is refused because it is a typing error.

It is protected personal data (Adminduk law, UU PDP 27/2022): show it only through
``mask_nik``.
"""

from __future__ import annotations

import calendar
import re
from datetime import date

from store.validation_error import ValidationError

NIK_LENGTH = 16
FEMALE_DAY_OFFSET = 40
_SEPARATORS = re.compile(r"[\s.\-]")


def normalize_nik(nik: str | int) -> str:
    """Digits only: spaces, dots and dashes some people type are dropped."""
    return _SEPARATORS.sub("", str(nik))


def _birth_parts(digits: str) -> tuple[int, int, int]:
    """(day without the +40, month, two-digit year) from a normalised NIK."""
    return int(digits[6:8]) % FEMALE_DAY_OFFSET, int(digits[8:10]), int(digits[10:12])


def _check(nik: str | int) -> str:
    """The normalised NIK, or ValidationError saying why it cannot exist."""
    digits = normalize_nik(nik)
    if not digits.isdigit() or len(digits) != NIK_LENGTH:
        shown = f"{len(digits)} angka" if digits.isdigit() else "ada huruf atau tanda lain"
        raise ValidationError("nik", f"NIK: harus {NIK_LENGTH} angka ({shown})")
    if int(digits[:2]) < 11:
        raise ValidationError("nik", f"NIK: kode provinsi {digits[:2]} tidak ada")
    raw_day = int(digits[6:8])
    day, month, yy = _birth_parts(digits)
    if not 1 <= month <= 12:
        raise ValidationError("nik", f"NIK: bulan lahir {digits[8:10]} tidak mungkin")
    # 20YY and 19YY are leap years alike except 2000/1900, where 2000 allows 29 Februari.
    longest = calendar.monthrange(2000 + yy, month)[1]
    if raw_day in (0, FEMALE_DAY_OFFSET) or raw_day > FEMALE_DAY_OFFSET + 31 or day > longest:
        raise ValidationError("nik", f"NIK: tanggal lahir {digits[6:8]} tidak mungkin")
    return digits


def nik_gender(nik: str | int) -> str:
    """``P`` when the day is over 40, else ``L``."""
    digits = _check(nik)
    return "P" if int(digits[6:8]) > FEMALE_DAY_OFFSET else "L"


def nik_birth_date(nik: str | int, *, today: date | None = None) -> date:
    """The encoded birth date; the century is the one that keeps the date in the past
    (``05`` is 2005 today, ``79`` is 1979)."""
    day, month, yy = _birth_parts(_check(nik))
    born = date(2000 + yy, month, day)
    return born if born <= (today or date.today()) else born.replace(year=1900 + yy)


def validate_nik(
    nik: str | int,
    *,
    gender: str | None = None,
    birth_date: date | None = None,
    today: date | None = None,
) -> list[str]:
    """Warnings (Indonesian) for a well-formed NIK; ValidationError if it cannot exist.

    ``gender`` (L/P) and ``birth_date`` are what the participant declared; a mismatch with
    what the NIK encodes is reported, never refused.
    """
    _check(nik)
    warnings = []
    encoded_gender = nik_gender(nik)
    if gender in ("L", "P") and gender != encoded_gender:
        said = "perempuan" if encoded_gender == "P" else "laki-laki"
        warnings.append(
            f"NIK: tanggal lahir di NIK menandakan {said}, jenis kelamin tertulis {gender}"
        )
    encoded_birth = nik_birth_date(nik, today=today)
    if birth_date is not None and birth_date != encoded_birth:
        warnings.append(
            f"NIK: tanggal lahir di NIK {encoded_birth:%d-%m-%Y}, "
            f"tanggal lahir tertulis {birth_date:%d-%m-%Y}"
        )
    return warnings


def mask_nik(nik: str | int) -> str:
    """``351613********0003``: first 6 and last 4 digits; the hidden part has a fixed width
    so the mask does not even tell the length. Too short to mask safely: stars only."""
    digits = normalize_nik(nik)
    if not digits:
        return ""
    if len(digits) < 12:
        return "*" * 8
    return f"{digits[:6]}********{digits[-4:]}"
