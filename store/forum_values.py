"""The values a forum's records must hold, beyond their JSON kinds.

``store.forum_shape`` checks that a date is text; readers then call
``date.fromisoformat`` on it, so a hand-edited ``"2026-13-45"`` passed ``check`` and
crashed ``export``. This checks the values the store itself writes: ISO dates and
date-times, ``HH:MM`` times, money within ``MAX_RUPIAH`` and not negative, counts (votes,
beneficiaries, volumes, weights) not negative, the year and the women's target within their
ranges, the closed lists (statuses, sexes; the level is checked with the header), every
score within its criterion's scale, and no control character in any stored text (the store
refuses them on entry; a terminal would act on one that ``dump`` printed). Only values
present and not empty are checked: an empty date is "not set yet", which every reader
handles.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from datetime import date, datetime, time
from typing import Any

import orjson

from store.score_scale import MAX_WEIGHT, SKALA_MAX, SKALA_MIN
from store.sectors import PROPOSAL_STATUSES
from store.text_controls import CONTROL_UTF8, first_control
from store.validation import MAX_RUPIAH, MAX_VOLUME

FORUM_STATUSES = ("draf", "final", "ditandatangani")
SEXES = ("L", "P")
DOCUMENT_STATUSES = ("berlaku", "diganti")


def _is_date(value: str) -> bool:
    try:
        date.fromisoformat(value)
    except ValueError:
        return False
    return len(value) == 10


def _is_datetime(value: str) -> bool:
    try:
        datetime.fromisoformat(value)
    except ValueError:
        return False
    return True


def _is_time(value: str) -> bool:
    try:
        time.fromisoformat(value)
    except ValueError:
        return False
    return len(value) in (5, 8)


def _is_rupiah(value: Any) -> bool:
    return 0 <= value <= MAX_RUPIAH


def _within(low: float, high: float) -> Callable[[Any], bool]:
    return lambda value: low <= value <= high


def _not_negative(value: Any) -> bool:
    return value >= 0


def _finite_within(low: float, high: float) -> Callable[[Any], bool]:
    return lambda value: math.isfinite(value) and low <= value <= high


def _one_of(choices: tuple[str, ...]) -> Callable[[Any], bool]:
    return lambda value: value in choices


_DATE = (_is_date, "tanggal (contoh: 2026-02-12)")
_DATETIME = (_is_datetime, "waktu (contoh: 2026-02-12T08:00:00)")
_TIME = (_is_time, "jam (contoh: 08:00)")
_MONEY = (_is_rupiah, f"rupiah 0 sampai {MAX_RUPIAH}")
_COUNT = (_not_negative, "bilangan 0 atau lebih")
#: The years a forum may plan for (``store.meta`` refuses others on entry).
YEARS = (2000, 2100)
#: The widest scale a criterion may have.
SCALE_LIMITS = (0, 100)
_SCALE = (_within(*SCALE_LIMITS), f"bilangan {SCALE_LIMITS[0]} sampai {SCALE_LIMITS[1]}")


def _choice(choices: tuple[str, ...]) -> tuple[Callable[[Any], bool], str]:
    return _one_of(choices), "salah satu dari: " + ", ".join(choices)


#: table -> field -> (test of a present, non-empty value, what it should be in Indonesian).
VALUES: dict[str, dict[str, tuple[Callable[[Any], bool], str]]] = {
    "meta": {
        "tanggal": _DATE,
        "pukul": _TIME,
        "pagu": _MONEY,
        "status": _choice(FORUM_STATUSES),
        "dibuat": _DATETIME,
        "tahun": (_within(*YEARS), f"tahun {YEARS[0]} sampai {YEARS[1]}"),
        "target_perempuan": (_within(0, 1), "pecahan 0 sampai 1"),
    },
    "participants": {
        "jenis_kelamin": _choice(SEXES),
        "hadir_pukul": _DATETIME,
        "pulang_pukul": _DATETIME,
    },
    "agenda": {
        "rencana_mulai": _TIME,
        "rencana_selesai": _TIME,
        "mulai": _DATETIME,
        "selesai": _DATETIME,
    },
    "minutes": {"waktu": _DATETIME},
    "proposals": {
        "biaya": _MONEY,
        "status": _choice(PROPOSAL_STATUSES),
        "dibuat": _DATETIME,
        "volume": (_finite_within(0, MAX_VOLUME), f"bilangan 0 sampai {MAX_VOLUME}"),
        "penerima_manfaat": _COUNT,
        "urutan": _COUNT,
    },
    "criteria": {
        "bobot": (_finite_within(0, MAX_WEIGHT), f"bilangan 0 sampai {MAX_WEIGHT}"),
        "skala_min": (
            _within(*SCALE_LIMITS),
            f"bilangan {SCALE_LIMITS[0]} sampai {SCALE_LIMITS[1]}",
        ),
        "skala_max": (
            _within(*SCALE_LIMITS),
            f"bilangan {SCALE_LIMITS[0]} sampai {SCALE_LIMITS[1]}",
        ),
    },
    "tallies": {"suara": _COUNT},
    "signatures": {"waktu": _DATETIME},
    "documents": {
        "tanggal": _DATE,
        "status": _choice(DOCUMENT_STATUSES),
    },
    "audit": {"waktu": _DATETIME},
}


#: The same characters as orjson writes them in JSON: ``\b \f \r`` and ``\u0000``-style
#: escapes (the others, ``CONTROL_UTF8``, it writes raw). Searched separately: each has a
#: literal first byte, so the search runs at C speed (an escaped backslash before "b" is a
#: rare false hit that the record walk then clears).
_ESCAPED_CONTROL = re.compile(rb"\\(?:[bfr]|u00[01][0-9a-f])")


#: Tables no screen, document or message shows; only ``dump`` prints them, as JSON, which
#: writes every control character as its escape. Skipped: the audit is most of a big forum.
_ONLY_AS_JSON = frozenset({"audit"})


def _may_hold_control(data: bytes) -> bool:
    return bool(_ESCAPED_CONTROL.search(data) or CONTROL_UTF8.search(data))


def value_problems(table: str, key: str, record: dict[str, Any]) -> list[str]:
    """What in one record (whose kinds already hold) has a value the store never writes,
    in Indonesian; empty when every checked value is one the readers can use."""
    problems = []
    for field, (is_good, wanted) in VALUES.get(table, {}).items():
        value = record.get(field)
        if value in (None, "") or is_good(value):
            continue
        shown = str(value)[:30]
        problems.append(f"Tabel '{table}' #{key}: '{field}' berisi '{shown}', bukan {wanted}.")
    if table == "criteria" and not problems:
        low, high = record.get("skala_min", SKALA_MIN), record.get("skala_max", SKALA_MAX)
        if low >= high:
            problems.append(f"Tabel '{table}' #{key}: skala {low}-{high} terbalik atau kosong.")
    return problems


def control_problems(tables: dict[str, dict[str, dict]]) -> list[str]:
    """Stored texts holding a control character (a name that would clear or retitle the
    terminal ``dump`` prints it on), the first per table, in Indonesian.

    Runs on every open, over every record: each table is scanned as the JSON orjson makes of
    it (C speed); only a table with a hit is walked record by record to name the place.
    """
    problems = []
    for table, records in tables.items():
        if not isinstance(records, dict):
            continue  # a packed history, checked as it was read (store.storage_archive)
        try:
            encoded = orjson.dumps(records)
        except TypeError:  # nested deeper than any record the app writes (orjson: 255)
            problems.append(f"Tabel '{table}' memuat data yang bersarang terlalu dalam.")
            continue
        if table in _ONLY_AS_JSON or not _may_hold_control(encoded):
            continue
        for key, record in records.items():
            if found := first_control(record):
                field, char = found
                problems.append(
                    f"Tabel '{table}' #{key}: '{field}' memuat karakter kendali "
                    f"(U+{ord(char):04X})."
                )
                break
    return problems


def score_problems(
    records: dict[str, dict[str, dict]], tables: dict[str, dict[str, dict]] | None = None
) -> list[str]:
    """Scores in ``records`` outside the scale of their criterion (in ``tables``, by default
    ``records`` itself): a 99 on a 1-5 scale, in Indonesian.

    Call once the records' kinds hold; a score of a criterion that does not exist is the
    integrity check's to report, not this one's.
    """
    criteria = (records if tables is None else tables).get("criteria", {})
    problems = []
    for key, score in records.get("scores", {}).items():
        criterion = criteria.get(str(score.get("kriteria_id")))
        value = score.get("nilai")
        if criterion is None or value is None:
            continue
        low, high = criterion.get("skala_min", SKALA_MIN), criterion.get("skala_max", SKALA_MAX)
        if not low <= value <= high:
            problems.append(
                f"Tabel 'scores' #{key}: nilai {value} di luar skala kriteria {low}-{high}."
            )
    return problems
