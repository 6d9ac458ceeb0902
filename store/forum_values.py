"""The values a forum's records must hold, beyond their JSON kinds.

``store.forum_shape`` checks that a date is text; readers then call
``date.fromisoformat`` on it, so a hand-edited ``"2026-13-45"`` passed ``check`` and
crashed ``export``. This checks the values the store itself writes: ISO dates and
date-times, ``HH:MM`` times, money within ``MAX_RUPIAH`` and not negative, and the closed
lists (statuses, sexes; the level is checked with the header). Only values present and not
empty are checked: an empty date is "not set yet", which every reader handles.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, time
from typing import Any

from store.sectors import PROPOSAL_STATUSES
from store.validation import MAX_RUPIAH

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


def _one_of(choices: tuple[str, ...]) -> Callable[[Any], bool]:
    return lambda value: value in choices


_DATE = (_is_date, "tanggal (contoh: 2026-02-12)")
_DATETIME = (_is_datetime, "waktu (contoh: 2026-02-12T08:00:00)")
_TIME = (_is_time, "jam (contoh: 08:00)")
_MONEY = (_is_rupiah, f"rupiah 0 sampai {MAX_RUPIAH}")


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
    },
    "signatures": {"waktu": _DATETIME},
    "documents": {
        "tanggal": _DATE,
        "status": _choice(DOCUMENT_STATUSES),
    },
    "audit": {"waktu": _DATETIME},
}


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
    return problems
