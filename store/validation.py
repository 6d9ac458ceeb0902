"""Validation of everything typed or imported: one field at a time (``parse_*``,
``clean_text``) and whole records in the import columns of ARCHITECTURE.md section 4
(``validate_proposal``, ``validate_participant``).

Every refusal is a ``ValidationError`` whose message names the field in Indonesian and says
what is wrong, so the screen and the import report can show it as is. A record with several
bad fields raises ``RecordInvalid`` listing all of them, so an import report shows every
problem of a row at once instead of one per attempt.

Numbers follow Indonesian writing: the dot groups thousands and the comma marks decimals.
Money is whole rupiah; anything that could be read two ways (``1.5``, ``1,5 jt``) is
refused rather than guessed, because a wrong guess moves a budget by a factor of 1,000.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping
from datetime import date, datetime, time
from typing import TYPE_CHECKING, Any, TypeVar

from store.formatting import format_decimal_id, format_rupiah
from store.nik import normalize_nik, validate_nik
from store.personal import EXAMPLE_PHRASE
from store.sectors import canonical_sector
from store.text_controls import BIDI_CONTROLS, control_in
from store.unsur import LAINNYA, map_unsur
from store.validation_error import ValidationError

if TYPE_CHECKING:
    from store.regions import Region

__all__ = [
    "FIELD_LABELS",
    "FUNDING_SOURCES",
    "MAX_COUNT",
    "MAX_ITEMS",
    "MAX_RUPIAH",
    "MAX_VOLUME",
    "MULTILINE_FIELDS",
    "PARTICIPANT_COLUMNS",
    "PROPOSAL_COLUMNS",
    "TEXT_LIMITS",
    "RecordInvalid",
    "ValidationError",
    "canonical_funding_source",
    "clean_text",
    "label_of",
    "match_desa",
    "parse_date",
    "parse_funding",
    "parse_gender",
    "parse_int",
    "parse_nip",
    "parse_phone",
    "parse_rupiah",
    "parse_time",
    "parse_volume",
    "parse_yes_no",
    "record_id",
    "validate_participant",
    "validate_proposal",
]

T = TypeVar("T")

# The import columns (ARCHITECTURE.md section 4), plus the optional T-D.4 recap columns.
# fmt: off
PROPOSAL_COLUMNS: tuple[str, ...] = (
    "desa", "sumber", "bidang", "permasalahan", "kegiatan", "lokasi", "volume", "satuan",
    "penerima_manfaat", "biaya", "sumber_dana", "opd_tujuan", "kamus_usulan", "foto",
    "catatan", "prioritas_daerah", "sasaran_daerah", "program", "sasaran_kegiatan",
)
PARTICIPANT_COLUMNS: tuple[str, ...] = (
    "nama", "jenis_kelamin", "lembaga", "unsur", "desa", "jabatan", "delegasi", "hak_suara",
    "telepon", "nik", "disabilitas",
)
# fmt: on

FIELD_LABELS: dict[str, str] = {
    "desa": "Desa",
    "sumber": "Sumber usulan",
    "bidang": "Bidang",
    "permasalahan": "Permasalahan",
    "kegiatan": "Kegiatan",
    "lokasi": "Lokasi",
    "volume": "Volume",
    "satuan": "Satuan",
    "penerima_manfaat": "Penerima manfaat",
    "biaya": "Biaya",
    "sumber_dana": "Sumber dana",
    "opd_tujuan": "OPD tujuan",
    "kamus_usulan": "Kamus usulan",
    "foto": "Foto",
    "catatan": "Catatan",
    "prioritas_daerah": "Prioritas daerah",
    "sasaran_daerah": "Sasaran daerah",
    "program": "Program",
    "sasaran_kegiatan": "Sasaran kegiatan",
    "nama": "Nama",
    "jenis_kelamin": "Jenis kelamin",
    "lembaga": "Lembaga",
    "unsur": "Unsur",
    "jabatan": "Jabatan",
    "delegasi": "Delegasi",
    "hak_suara": "Hak suara",
    "telepon": "Telepon",
    "nik": "NIK",
    "nip": "NIP",
    "disabilitas": "Disabilitas",
    "tanggal": "Tanggal",
    "pukul": "Pukul",
    "pagu": "Pagu",
}

# Contract limits (nama, kegiatan, lokasi, permasalahan and notes: catatan and a minutes
# entry's teks) and the other text columns; anything else gets DEFAULT_TEXT_LIMIT.
TEXT_LIMITS: dict[str, int] = {
    "nama": 200,
    "kegiatan": 500,
    "lokasi": 300,
    "permasalahan": 4000,
    "catatan": 4000,
    "teks": 4000,
    "kamus_usulan": 500,
    "prioritas_daerah": 500,
    "sasaran_daerah": 500,
    "program": 500,
    "sasaran_kegiatan": 500,
    "foto": 500,
    "satuan": 50,
}
DEFAULT_TEXT_LIMIT = 200
MULTILINE_FIELDS = frozenset({"permasalahan", "catatan", "teks"})  # teks: a minutes entry
MAX_RUPIAH = 10**15 - 1  # a pasted NIK (16 digits) is not a budget
#: The largest volume a proposal may have (no unit counts past it); the forum check
#: (``store.forum_values``) refuses a larger one on open.
MAX_VOLUME = 10**12
#: The largest count of people (beneficiaries): below JSON's exact integers, and above
#: any population.
MAX_COUNT = 10**12
#: A list in the header or a proposal (photos, funding sources) holds no more than this
#: many items; the forum check (``store.forum_schema``) refuses a longer one on open.
MAX_ITEMS = 500
#: More digits than any number here has: refused before Python turns them into an int
#: (which past 4,300 digits raises, and before that takes time on a pasted page).
_MAX_DIGITS = 24

FUNDING_SOURCES: tuple[str, ...] = (
    "APBDes",
    "DD",
    "ADD",
    "APBD Kab",
    "APBD Prov",
    "APBN",
    "Swadaya",
)
_FUNDING_ALIASES: dict[str, str] = {
    "apbdes": "APBDes",
    "apbdesa": "APBDes",
    "dd": "DD",
    "danadesa": "DD",
    "add": "ADD",
    "alokasidanadesa": "ADD",
    "apbdkab": "APBD Kab",
    "apbdkabupaten": "APBD Kab",
    "apbdprov": "APBD Prov",
    "apbdprovinsi": "APBD Prov",
    "apbn": "APBN",
    "swadaya": "Swadaya",
    "swadayamasyarakat": "Swadaya",
}

_YES = frozenset({"ya", "iya", "y", "1", "yes", "true"})
_NO = frozenset({"tidak", "tdk", "t", "0", "no", "n", "false"})
_GENDERS: dict[str, str] = {
    "l": "L",
    "lk": "L",
    "laki-laki": "L",
    "laki laki": "L",
    "lakilaki": "L",
    "laki": "L",
    "laki2": "L",
    "pria": "L",
    "p": "P",
    "pr": "P",
    "prp": "P",
    "perempuan": "P",
    "wanita": "P",
    "w": "P",
}

_GROUPED = r"\d{1,3}(?:\.\d{3})+"
_WHOLE = re.compile(rf"\d+|{_GROUPED}")
_RUPIAH = re.compile(
    r"(?P<minus>-)?\s*(?:rp\.?|idr)?\s*(?P<minus2>-)?\s*(?P<number>[\d.]+)"
    r"(?P<cents>,(?:\d\d|0|-))?",
    re.IGNORECASE,
)
_DECIMAL = re.compile(rf"(?P<whole>\d+|{_GROUPED})(?:,(?P<fraction>\d+))?")
_PHONE_NOISE = re.compile(r"[\s\-.()]")
_PHONE = re.compile(r"0[1-9]\d{7,11}")
_ISO_DATE = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_DMY_DATE = re.compile(r"(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})")
_TIME = re.compile(r"(?:pukul\s*)?(\d{1,2})[:.](\d{2})(?:[:.](\d{2}))?(?:\s*wib)?", re.I)
_TRAILING_NUMBER = re.compile(r"\d[\d.,]*$")


class RecordInvalid(ValidationError):
    """A record with one or more bad fields; ``errors`` has one ValidationError per field."""

    def __init__(self, errors: list[ValidationError]) -> None:
        super().__init__(errors[0].field, "; ".join(e.message for e in errors))
        self.errors = errors


def label_of(field: str) -> str:
    """The Indonesian name of a field as shown in messages (``penerima_manfaat`` ->
    ``Penerima manfaat``)."""
    return FIELD_LABELS.get(field) or field.replace("_", " ").capitalize()


def _as_text(value: Any) -> str:
    """A cell as text: spreadsheets give numbers (a NIK or phone as 3.5e15 or 8.1e10)."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _shown(value: Any) -> str:
    """The value quoted in a message, shortened so one bad cell cannot flood the report."""
    text = _as_text(value).strip()
    return text if len(text) <= 40 else text[:39] + "…"


def clean_text(
    value: Any,
    *,
    field: str,
    label: str | None = None,
    limit: int | None = None,
    required: bool = False,
    multiline: bool | None = None,
) -> str:
    """Text as stored: NFC, trimmed, within the field's limit, no control characters.

    Single-line fields fold every run of whitespace (a tab, an Alt+Enter line break in an
    Excel cell) into one space; ``permasalahan`` and ``catatan`` keep line breaks. Other
    control characters (NUL, escape sequences, the bidi controls that write a name
    backwards: ``store.text_controls``, the set the forum check refuses) and lone
    surrogates (no file can store them) are refused: they corrupt documents and terminals.
    ``limit`` and ``multiline`` default from the field name.
    """
    label = label or label_of(field)
    limit = limit if limit is not None else TEXT_LIMITS.get(field, DEFAULT_TEXT_LIMIT)
    multiline = field in MULTILINE_FIELDS if multiline is None else multiline
    text = unicodedata.normalize("NFC", _as_text(value))
    if multiline:
        text = text.replace("\r\n", "\n").replace("\r", "\n").strip()
    else:
        text = " ".join(text.split())
    bad = control_in(text) or next((c for c in text if "\ud800" <= c <= "\udfff"), None)
    if bad is not None:
        kind = "pengarah teks tersembunyi" if bad in BIDI_CONTROLS else "kendali"
        raise ValidationError(
            field, f"{label}: ada karakter {kind} (U+{ord(bad):04X}) yang tidak boleh dipakai"
        )
    if required and not text:
        raise ValidationError(field, f"{label} wajib diisi")
    if len(text) > limit:
        raise ValidationError(
            field, f"{label}: terlalu panjang ({len(text)} karakter, maksimal {limit})"
        )
    return text


def _number_text(value: Any) -> str:
    """Typed number text: NFKC turns a no-break space into a space and full-width digits
    into digits; the Unicode minus becomes '-'."""
    return unicodedata.normalize("NFKC", _as_text(value)).replace("\u2212", "-").strip()


def parse_rupiah(
    value: str | int | float | None,
    *,
    field: str = "biaya",
    label: str | None = None,
    required: bool = True,
) -> int:
    """Whole rupiah from ``1500000``, ``1.500.000``, ``Rp1.500.000``, ``Rp 1.500.000,00`` or
    ``Rp1.500.000,-``. Refused: ambiguous (``1,5 jt``, ``1.5``), cents, negative, and empty
    when required (empty and not required is 0)."""
    label = label or label_of(field)
    unclear = ValidationError(
        field, f"{label}: '{_shown(value)}' bukan angka rupiah yang jelas (contoh: 1.500.000)"
    )
    if isinstance(value, bool):
        raise unclear
    if isinstance(value, int | float):
        if isinstance(value, float) and not value.is_integer():
            raise ValidationError(field, f"{label}: '{_shown(value)}' harus rupiah bulat tanpa sen")
        amount = int(value)
    else:
        text = _number_text(value)
        if not text:
            if required:
                raise ValidationError(field, f"{label} wajib diisi")
            return 0
        match = _RUPIAH.fullmatch(text)
        if not match or not _WHOLE.fullmatch(match["number"]):
            raise unclear
        if len(match["number"]) > _MAX_DIGITS:
            raise ValidationError(field, f"{label}: '{_shown(value)}' terlalu besar")
        cents = match["cents"] or ""
        if cents.strip(",0-"):
            raise ValidationError(field, f"{label}: '{_shown(value)}' harus rupiah bulat tanpa sen")
        amount = int(match["number"].replace(".", ""))
        if match["minus"] or match["minus2"]:
            amount = -amount
    if amount < 0:
        raise ValidationError(field, f"{label}: '{_shown(value)}' tidak boleh negatif")
    if amount > MAX_RUPIAH:
        raise ValidationError(field, f"{label}: '{_shown(value)}' terlalu besar")
    return amount


def _parse_decimal(value: Any, field: str, label: str, example: str) -> int | float | None:
    """A non-negative Indonesian number: ``1.200`` is twelve hundred, ``1,5`` is one and a
    half, ``1.200,5`` both; ``1.5`` is refused as ambiguous. None when empty."""
    if isinstance(value, bool):
        raise ValidationError(field, f"{label}: '{_shown(value)}' bukan angka")
    if isinstance(value, int | float):
        if isinstance(value, float) and not math.isfinite(value):
            raise ValidationError(field, f"{label}: '{_shown(value)}' bukan angka")
        number: int | float = value
    else:
        text = _number_text(value)
        if not text:
            return None
        if text.startswith("-"):
            raise ValidationError(field, f"{label}: '{_shown(value)}' tidak boleh negatif")
        match = _DECIMAL.fullmatch(text)
        if not match:
            raise ValidationError(
                field,
                f"{label}: '{_shown(value)}' bukan angka yang jelas (contoh: {example}; "
                "titik untuk ribuan, koma untuk desimal)",
            )
        if len(match["whole"]) > _MAX_DIGITS:
            raise ValidationError(field, f"{label}: '{_shown(value)}' terlalu besar")
        whole = int(match["whole"].replace(".", ""))
        number = float(f"{whole}.{match['fraction']}") if match["fraction"] else whole
    if number < 0:
        raise ValidationError(field, f"{label}: '{_shown(value)}' tidak boleh negatif")
    if isinstance(number, float) and number.is_integer():
        return int(number)
    return number


def parse_volume(
    value: Any, *, field: str = "volume", label: str | None = None, required: bool = False
) -> int | float | None:
    """A volume: ``1.200`` (twelve hundred), ``1,5``, ``2.365,25``; int when whole; None
    when empty and not required. ``1.5`` is refused: in Indonesian writing the dot groups
    thousands, so a dot followed by other than three digits is a typing slip, not a decimal.
    Refused past ``MAX_VOLUME`` (and a spreadsheet's NaN or infinity)."""
    label = label or label_of(field)
    number = _parse_decimal(value, field, label, "1.200 atau 1,5")
    if number is None:
        if required:
            raise ValidationError(field, f"{label} wajib diisi")
        return None
    if number > MAX_VOLUME:
        largest = format_decimal_id(MAX_VOLUME, 0)
        raise ValidationError(
            field, f"{label}: '{_shown(value)}' terlalu besar (paling besar {largest})"
        )
    return number


def parse_int(
    value: Any, *, field: str, label: str | None = None, required: bool = False
) -> int | None:
    """A whole non-negative count (``1594`` or ``1.594``) up to ``MAX_COUNT``; None when
    empty and not required."""
    label = label or label_of(field)
    number = _parse_decimal(value, field, label, "1.594")
    if number is None:
        if required:
            raise ValidationError(field, f"{label} wajib diisi")
        return None
    if isinstance(number, float):
        raise ValidationError(field, f"{label}: '{_shown(value)}' harus bilangan bulat")
    if number > MAX_COUNT:
        raise ValidationError(field, f"{label}: '{_shown(value)}' terlalu besar")
    return number


def record_id(value: Any, *, field: str, label: str) -> int:
    """The id of a record another one points at (a speaker, an agenda item, a proposal on a
    ballot): a whole number, never a bool or text, which the forum check refuses to find
    stored in an id field."""
    if type(value) is not int or not 1 <= value <= MAX_COUNT:
        raise ValidationError(field, f"{label}: '{_shown(value)}' bukan nomor data yang sah")
    return value


def parse_yes_no(value: Any, *, field: str, label: str | None = None) -> bool:
    """ya/tidak, y/t, 1/0, yes/no, true/false (any case); empty is tidak."""
    if isinstance(value, bool):
        return value
    text = _as_text(value).strip().casefold()
    if text in _YES:
        return True
    if text in _NO or not text:
        return False
    label = label or label_of(field)
    raise ValidationError(field, f"{label}: '{_shown(value)}' bukan ya/tidak (isi ya atau tidak)")


def parse_gender(value: Any, *, field: str = "jenis_kelamin", label: str | None = None) -> str:
    """``L`` or ``P`` from L/P, Lk/Pr, W, laki-laki/perempuan, pria/wanita (any case, a
    trailing dot as in "Lk." ignored)."""
    label = label or label_of(field)
    text = " ".join(_as_text(value).casefold().split()).rstrip(".")
    if not text:
        raise ValidationError(field, f"{label} wajib diisi (L atau P)")
    if text not in _GENDERS:
        raise ValidationError(field, f"{label}: '{_shown(value)}' bukan L atau P")
    return _GENDERS[text]


def parse_phone(value: Any, *, field: str = "telepon", label: str | None = None) -> str:
    """An Indonesian phone number as digits starting with 0: ``0812-3456-7890``,
    ``+62 812 3456 7890`` and ``812...`` (Excel drops the leading zero of a number cell) all
    become ``081234567890``. Empty stays empty."""
    label = label or label_of(field)
    text = _PHONE_NOISE.sub("", _number_text(value))
    if not text:
        return ""
    if text.startswith("+62"):
        text = "0" + text[3:]
    elif text.startswith("62") and len(text) >= 11:
        text = "0" + text[2:]
    elif text.startswith("8"):
        text = "0" + text
    if not _PHONE.fullmatch(text):
        raise ValidationError(
            field,
            f"{label}: '{_shown(value)}' bukan nomor telepon yang jelas ({EXAMPLE_PHRASE})",
        )
    return text


def parse_nip(value: Any, *, field: str = "nip", label: str | None = None) -> str:
    """An 18-digit NIP (spaces allowed: ``19691119 199803 1 005``) as digits; empty stays
    empty. Refused when the length, the birth month or the gender digit cannot be right."""
    label = label or label_of(field)
    digits = re.sub(r"\s", "", _as_text(value))
    if not digits:
        return ""
    if not digits.isdigit() or len(digits) != 18:
        raise ValidationError(field, f"{label}: harus 18 angka (contoh: 19691119 199803 1 005)")
    if not 1 <= int(digits[4:6]) <= 12 or digits[14] not in "12":
        raise ValidationError(field, f"{label}: '{_shown(value)}' tidak mungkin benar")
    return digits


def parse_date(value: Any, *, field: str = "tanggal", label: str | None = None) -> date:
    """A date from a spreadsheet cell, ``2025-02-26``, ``26-02-2025`` or ``26/02/2025``."""
    label = label or label_of(field)
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = _as_text(value).strip()
    if not text:
        raise ValidationError(field, f"{label} wajib diisi")
    if match := _ISO_DATE.fullmatch(text):
        year, month, day = (int(g) for g in match.groups())
    elif match := _DMY_DATE.fullmatch(text):
        day, month, year = (int(g) for g in match.groups())
    else:
        raise ValidationError(
            field, f"{label}: '{_shown(value)}' bukan tanggal (contoh: 26-02-2025 atau 2025-02-26)"
        )
    try:
        return date(year, month, day)
    except ValueError:
        raise ValidationError(field, f"{label}: '{_shown(value)}' tidak ada di kalender") from None


def parse_time(value: Any, *, field: str = "pukul", label: str | None = None) -> time:
    """A time from ``09:00``, ``9.00``, ``Pukul 09.00 WIB`` or a spreadsheet time cell."""
    label = label or label_of(field)
    if isinstance(value, datetime):
        return value.time().replace(microsecond=0)
    if isinstance(value, time):
        return value
    text = _as_text(value).strip()
    if not text:
        raise ValidationError(field, f"{label} wajib diisi")
    if match := _TIME.fullmatch(text):
        hour, minute, second = (int(g or 0) for g in match.groups())
        if hour <= 23 and minute <= 59 and second <= 59:
            return time(hour, minute, second)
    raise ValidationError(field, f"{label}: '{_shown(value)}' bukan jam (contoh: 09.00)")


def canonical_funding_source(name: str) -> str:
    """``apbd kabupaten`` -> ``APBD Kab``; an unknown source is kept as written (trimmed)."""
    cleaned = " ".join(name.split())
    return _FUNDING_ALIASES.get(re.sub(r"[^a-z]", "", cleaned.casefold()), cleaned)


def parse_funding(value: Any, biaya: int, *, field: str = "sumber_dana") -> list[dict[str, Any]]:
    """``sumber_dana`` as a list of ``{"sumber", "jumlah"}``.

    One source name takes the whole ``biaya``; several need an amount each
    (``DD:50.000.000; APBD Kab:262.000.000``) adding up to ``biaya``. Empty is no source yet.
    """
    label = label_of(field)
    text = clean_text(value, field=field, limit=1000)
    # 1,000 characters hold fewer than MAX_ITEMS sources ("a:1;" each), as the check wants.
    parts = [p.strip() for p in text.split(";") if p.strip()]
    sources: list[dict[str, Any]] = []
    for part in parts:
        name_text, colon, amount_text = part.partition(":")
        written = clean_text(name_text, field=field, label=label, limit=100, required=True)
        if not colon and _TRAILING_NUMBER.search(written):
            raise ValidationError(
                field, f"{label}: tulis jumlah setelah titik dua (contoh: DD:50.000.000)"
            )
        name = canonical_funding_source(written)
        if any(s["sumber"] == name for s in sources):
            raise ValidationError(field, f"{label}: '{name}' disebut lebih dari sekali")
        amount = (
            parse_rupiah(amount_text, field=field, label=f"{label} ({name})") if colon else None
        )
        sources.append({"sumber": name, "jumlah": amount})
    if len(sources) == 1 and sources[0]["jumlah"] is None:
        sources[0]["jumlah"] = biaya
    if len(sources) > 1 and any(s["jumlah"] is None for s in sources):
        raise ValidationError(
            field,
            f"{label}: bila lebih dari satu sumber, tulis jumlah masing-masing "
            "(contoh: DD:50.000.000; APBD Kab:262.000.000)",
        )
    total = sum(s["jumlah"] for s in sources)
    if sources and total != biaya:
        raise ValidationError(
            field,
            f"{label}: jumlahnya {format_rupiah(total)}, tidak sama dengan biaya "
            f"{format_rupiah(biaya)}",
        )
    return sources


def match_desa(
    value: Any, *, wilayah_kode: str | None = None, field: str = "desa", required: bool = True
) -> Region | None:
    """The bundled desa a name (or code) refers to, searched under ``wilayah_kode`` (the
    forum's kecamatan, or its desa) when given. ``Desa`` prefixes, case and spacing do not
    matter. Refused when unknown, outside the forum's region, or ambiguous (``Tempuran`` is
    in Sooko and in Pungging)."""
    # Imported here: opening a forum validates no desa, and the app's start-up skips it.
    from store.regions import find_desa_all, region, region_title

    name = clean_text(value, field=field, required=required)
    if not name:
        return None
    found = find_desa_all(name, wilayah_kode)
    if len(found) == 1:
        return found[0]
    label = label_of(field)
    if found:
        kecamatan = ", ".join(region(r.parent_code or "").name for r in found)
        raise ValidationError(
            field,
            f"{label}: '{name}' ada di beberapa kecamatan ({kecamatan}); tulis kode desanya "
            f"(mis. {found[0].code}) atau impor dari forum kecamatannya",
        )
    where = region_title(wilayah_kode) if wilayah_kode else "daftar wilayah Kabupaten Mojokerto"
    raise ValidationError(field, f"{label}: '{name}' tidak ada di {where}")


class _Fields:
    """Runs field parsers, keeping every error so a record reports all its bad fields."""

    def __init__(self) -> None:
        self.errors: list[ValidationError] = []

    def __call__(self, parse: Callable[..., T], *args: Any, **kwargs: Any) -> T | None:
        try:
            return parse(*args, **kwargs)
        except ValidationError as error:
            self.errors.append(error)
            return None

    def text(self, raw: Mapping[str, Any], field: str, *, required: bool = False) -> str:
        return self(clean_text, raw.get(field), field=field, required=required) or ""

    def check(self) -> None:
        if self.errors:
            raise RecordInvalid(self.errors)


def validate_proposal(
    raw: Mapping[str, Any],
    *,
    wilayah_kode: str | None = None,
    sectors: Iterable[str] = (),
) -> dict[str, Any]:
    """A clean proposal record from import columns (or the form, which speaks the same).

    ``desa``, ``kegiatan`` and ``biaya`` are required. The desa is matched against the
    bundled regions under ``wilayah_kode`` (pass the forum's region) and gains
    ``desa_kode``; ``sumber_dana`` becomes a list of ``{sumber, jumlah}``; ``foto`` (paths
    separated by ``;``) a list; ``volume`` and ``penerima_manfaat`` numbers or None.
    ``sectors`` are the user-added sectors, so ``bidang`` gets their canonical spelling.
    Raises RecordInvalid naming every bad field.
    """
    fields = _Fields()
    record: dict[str, Any] = {}
    desa = fields(match_desa, raw.get("desa"), wilayah_kode=wilayah_kode)
    record["desa"] = desa.name if desa else ""
    record["desa_kode"] = desa.code if desa else None
    for key in ("sumber", "bidang", "permasalahan", "kegiatan", "lokasi"):
        record[key] = fields.text(raw, key, required=key == "kegiatan")
    record["bidang"] = canonical_sector(record["bidang"], sectors) if record["bidang"] else ""
    record["volume"] = fields(parse_volume, raw.get("volume"))
    record["satuan"] = fields.text(raw, "satuan")
    record["penerima_manfaat"] = fields(
        parse_int, raw.get("penerima_manfaat"), field="penerima_manfaat"
    )
    biaya = fields(parse_rupiah, raw.get("biaya"))
    record["biaya"] = biaya
    record["sumber_dana"] = (
        fields(parse_funding, raw.get("sumber_dana"), biaya) if biaya is not None else []
    )
    for key in ("opd_tujuan", "kamus_usulan"):
        record[key] = fields.text(raw, key)
    photos = (
        fields(
            clean_text,
            _as_text(raw.get("foto")).replace("\n", ";"),
            field="foto",
            limit=MAX_ITEMS * (TEXT_LIMITS["foto"] + 2),  # as many as "; ".join(list) makes
        )
        or ""
    )
    record["foto"] = fields(_photo_list, photos) or []
    for key in ("catatan", "prioritas_daerah", "sasaran_daerah", "program", "sasaran_kegiatan"):
        record[key] = fields.text(raw, key)
    fields.check()
    return record


def _photo_list(photos: str) -> list[str]:
    """Photo file names from ``a.jpg; b.jpg`` (a cell's line breaks already read as ``;``),
    at most ``MAX_ITEMS``."""
    paths = [path for path in photos.split(";") if path.strip()]
    if len(paths) > MAX_ITEMS:
        raise ValidationError(
            "foto", f"{label_of('foto')}: {len(paths)} berkas, paling banyak {MAX_ITEMS}"
        )
    return [clean_text(path, field="foto") for path in paths]


def _participant_desa(
    raw: Mapping[str, Any], wilayah_kode: str | None, fields: _Fields, warnings: list[str]
) -> tuple[str, str | None]:
    """A participant's desa is optional and may lie outside the list (a DPRD member, a
    guest): an unknown desa is kept as written, with a warning, not refused."""
    name = fields.text(raw, "desa")
    if not name:
        return "", None
    try:
        found = match_desa(name, wilayah_kode=wilayah_kode)
    except ValidationError as error:
        warnings.append(error.message)
        return name, None
    return (found.name, found.code) if found else (name, None)


def validate_participant(
    raw: Mapping[str, Any],
    *,
    wilayah_kode: str | None = None,
    unsur_overrides: Mapping[str, str] | None = None,
) -> tuple[dict[str, Any], list[str]]:
    """A clean participant record and its warnings, from import columns.

    Only ``nama`` is required. ``unsur`` becomes the standard group and ``unsur_asal`` keeps
    what was written; ``jenis_kelamin`` is ``L``, ``P`` or None (with a warning, since the
    women's share cannot count that person); the NIK is checked (malformed is refused, a
    date/gender mismatch warns). Raises RecordInvalid naming every bad field.
    """
    fields = _Fields()
    warnings: list[str] = []
    record: dict[str, Any] = {"nama": fields.text(raw, "nama", required=True)}
    gender_text = _as_text(raw.get("jenis_kelamin")).strip()
    record["jenis_kelamin"] = fields(parse_gender, gender_text) if gender_text else None
    if not gender_text:
        warnings.append("Jenis kelamin kosong: tidak terhitung dalam keterwakilan perempuan")
    for key in ("lembaga", "unsur", "jabatan"):
        record[key] = fields.text(raw, key)
    written = record["unsur"]
    record["unsur_asal"] = written
    record["unsur"] = map_unsur(written, record["lembaga"], record["jabatan"], unsur_overrides)
    if written and record["unsur"] == LAINNYA and written.casefold() != LAINNYA.casefold():
        warnings.append(f"Unsur: '{written}' tidak dikenali, dihitung sebagai {LAINNYA}")
    record["desa"], record["desa_kode"] = _participant_desa(raw, wilayah_kode, fields, warnings)
    for key in ("delegasi", "hak_suara", "disabilitas"):
        record[key] = bool(fields(parse_yes_no, raw.get(key), field=key))
    record["telepon"] = fields(parse_phone, raw.get("telepon")) or ""
    raw_nik = raw.get("nik")
    record["nik"] = normalize_nik(_as_text(raw_nik).strip())
    if record["nik"]:
        if isinstance(raw_nik, int | float):
            warnings.append(
                "NIK: tersimpan sebagai angka di spreadsheet, angka terakhir bisa berubah; "
                "simpan kolom NIK sebagai teks"
            )
        warnings.extend(fields(validate_nik, record["nik"], gender=record["jenis_kelamin"]) or [])
    fields.check()
    return record, warnings
