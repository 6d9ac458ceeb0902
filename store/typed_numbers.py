"""Numbers as a person types them into a form: with their unit word, or a scale word.

An operator types "250 jiwa", "150 m", "Rp 150.000.000" or "150 juta" and means it; a form
that refuses these without a hint loses time in the middle of a forum. These readers accept
what is unambiguous and otherwise say exactly what is expected. They are for forms, where the
person sees the result echoed (``Biaya Rp150.000.000``); imports read text cells with the
same readers (``store.import_files``), so a cell and the form accept the same writing.

Refused on purpose: "40 KK" as beneficiaries (a household is not a person, and the recap
counts people), "150 m" as money (metre or miliar?), "1.5 juta" (in Indonesian writing the
dot groups thousands).
"""

from __future__ import annotations

import re
import unicodedata
from decimal import Decimal

from store.validation import (
    MAX_RUPIAH,
    ValidationError,
    label_of,
    parse_int,
    parse_rupiah,
    parse_volume,
)

#: Scale words after an amount, as written in Indonesian (``Rp1,5 M``, ``150 jt``).
RUPIAH_SCALES = {
    "rb": 1_000,
    "ribu": 1_000,
    "jt": 1_000_000,
    "juta": 1_000_000,
    "M": 1_000_000_000,
    "miliar": 1_000_000_000,
    "milyar": 1_000_000_000,
}
#: Unit words that count people: the beneficiaries field holds people (jiwa).
PEOPLE_UNITS = frozenset({"jiwa", "orang", "org", "warga", "penduduk", "peserta", "anak"})
#: Unit words that count households, not people.
HOUSEHOLD_UNITS = frozenset({"kk", "kepala keluarga", "keluarga", "rumah tangga", "rumah", "ruta"})

_NUMBER = r"\d{1,3}(?:\.\d{3})+(?:,\d+)?|\d+(?:,\d+)?"
_SCALED = re.compile(rf"(?:rp\.?\s*)?(?P<number>{_NUMBER})\s*(?P<scale>[a-z]+)\.?", re.IGNORECASE)
_WITH_UNIT = re.compile(r"(?P<number>[\d.,]+)\s*(?P<unit>[^\d\s.,].*)?")
#: A volume's unit is one word: "m", "m2", "m²", "unit", "km" (not "x 3 m").
_QUANTITY_UNIT = re.compile(r"[^\W\d_]+[\w²³/]*")


def _clean(value: object) -> str:
    text = "" if value is None else str(value)
    return " ".join(unicodedata.normalize("NFKC", text).split())


def _scale_of(word: str) -> int | None:
    """``M`` is miliar only as a capital: a small "m" reads as metre as often as miliar."""
    if word == "M":
        return RUPIAH_SCALES["M"]
    return RUPIAH_SCALES.get(word.lower()) if word.lower() != "m" else None


def read_typed_rupiah(
    value: object, *, field: str = "biaya", label: str | None = None, required: bool = True
) -> int:
    """Whole rupiah from ``150.000.000``, ``Rp 150.000.000``, ``150 juta``, ``1,5 M``,
    ``Rp1,25 miliar``, ``500 rb``. Raises ValidationError naming what is expected."""
    label = label or label_of(field)
    text = _clean(value)
    expected = (
        f"{label}: '{text}' tidak terbaca; tulis angka rupiah, mis. 150.000.000, "
        "Rp150.000.000 atau 150 juta"
    )
    match = _SCALED.fullmatch(text)
    if match is None:
        try:
            return parse_rupiah(text, field=field, label=label, required=required)
        except ValidationError as error:
            if "bukan angka rupiah" in error.message:
                raise ValidationError(field, expected) from None
            raise
    scale = _scale_of(match["scale"])
    if scale is None:
        raise ValidationError(field, expected)
    whole, _, fraction = match["number"].partition(",")
    amount = Decimal(f"{whole.replace('.', '')}.{fraction or 0}") * scale
    if amount != amount.to_integral_value():
        raise ValidationError(field, f"{label}: '{text}' harus rupiah bulat tanpa sen")
    if amount > MAX_RUPIAH:
        raise ValidationError(field, f"{label}: '{text}' terlalu besar")
    return int(amount)


def _number_and_unit(text: str) -> tuple[str, str] | None:
    match = _WITH_UNIT.fullmatch(text)
    if match is None:
        return None
    return match["number"], (match["unit"] or "").strip()


def read_typed_count(
    value: object, *, field: str = "penerima_manfaat", label: str | None = None
) -> int | None:
    """People from ``250``, ``1.200 orang``, ``250 jiwa``; None when empty. Households
    (``40 KK``) are refused with what to write instead."""
    label = label or label_of(field)
    text = _clean(value)
    if not text:
        return None
    parts = _number_and_unit(text)
    expected = f"{label}: '{text}' tidak terbaca; tulis jumlah orang, mis. 250 atau 250 jiwa"
    if parts is None:
        raise ValidationError(field, expected)
    number, unit = parts
    if unit.lower().rstrip(".") in HOUSEHOLD_UNITS:
        raise ValidationError(
            field,
            f"{label}: '{text}' dihitung per keluarga, padahal isian ini jumlah orang (jiwa); "
            "tulis jumlah orangnya, mis. 160 jiwa, dan catat jumlah KK di Catatan",
        )
    if unit and unit.lower().rstrip(".") not in PEOPLE_UNITS:
        raise ValidationError(field, expected)
    return parse_int(number, field=field, label=label)


def read_typed_quantity(
    value: object, *, field: str = "volume", label: str | None = None
) -> tuple[int | float | None, str]:
    """(number, unit) from ``150 m``, ``1.200 m2``, ``2 unit``, ``1,5`` (no unit: "");
    (None, "") when empty. The number reads as ``store.validation.parse_volume`` does."""
    label = label or label_of(field)
    text = _clean(value)
    if not text:
        return None, ""
    parts = _number_and_unit(text)
    if parts is None:
        raise ValidationError(
            field, f"{label}: '{text}' tidak terbaca; tulis angka lalu satuannya, mis. 150 m"
        )
    number, unit = parts
    if unit and not _QUANTITY_UNIT.fullmatch(unit):
        raise ValidationError(
            field,
            f"{label}: '{text}' tidak terbaca; tulis satu angka lalu satuannya, mis. 150 m "
            "(ukuran lain di Lokasi atau Catatan)",
        )
    return parse_volume(number, field=field, label=label), unit


def typed_proposal_fields(fields: dict[str, str]) -> tuple[dict[str, str], dict[str, str]]:
    """The proposal form's typed numbers as the store's plain text, and a message per field
    that cannot be read. A unit typed with the volume fills an empty Satuan; a different
    Satuan already there is a message, not a silent choice."""
    out, errors = dict(fields), {}
    try:
        number, unit = read_typed_quantity(fields.get("volume"))
        if number is not None:
            out["volume"] = str(number).replace(".", ",")
        satuan = _clean(fields.get("satuan"))
        if unit and not satuan:
            out["satuan"] = unit
        elif unit and satuan.casefold() != unit.casefold():
            errors["volume"] = (
                f"Volume: '{_clean(fields.get('volume'))}' bersatuan '{unit}', tetapi Satuan "
                f"berisi '{satuan}': hapus salah satu"
            )
    except ValidationError as error:
        errors[error.field] = error.message
    for key, read in (("penerima_manfaat", read_typed_count), ("biaya", read_typed_rupiah)):
        if not _clean(fields.get(key)) and key != "biaya":
            continue
        try:
            amount = read(fields.get(key))
            out[key] = "" if amount is None else str(amount)
        except ValidationError as error:
            errors[error.field] = error.message
    return out, errors
