"""The parts of a forum's records that hold more than one value: the header's rules
(``kuorum``, ``surat_suara``, ``aturan_pagu``), its lists (``materi``, ``narasumber``), a
proposal's funding, photos and origin; and the references between tables that readers follow.

An allow-list, like ``store.forum_shape.FIELDS`` for plain fields: each part must hold
exactly the keys the app writes, each of its kind and range, so a hand-edited
``{"aturan": "hantu"}`` or ``"maks_pilihan": -5`` is refused on open, naming the field,
instead of reaching the ranking or a document and failing there.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

from store.agenda import MINUTE_KINDS
from store.meta import DECISION_METHODS, PRIORITY_METHODS, QUORUM_MAX, QUORUM_RULES
from store.validation import MAX_ITEMS

#: A record is good when this returns "" and bad with what it should be, in Indonesian.
Check = Callable[[Any], str]
#: The most delegate choices a ballot may have (the priority dialog's range).
BALLOT_CHOICES = (1, 10)
BALLOT_WEIGHTS = ("3-2-1", "sama")
ORIGIN_KINDS = ("desa", "upt", "forum")
_INT_LIMIT = 2**53


def _is_int(value: Any, low: int, high: int = _INT_LIMIT) -> bool:
    return type(value) is int and low <= value <= high


def _is_number(value: Any, low: float, high: float) -> bool:
    return type(value) in (int, float) and math.isfinite(value) and low <= value <= high


def _exact(value: Any, keys: dict[str, Callable[[Any], bool]], wanted: str) -> str:
    """ "" when ``value`` is an object whose keys are among ``keys`` and each passes."""
    if not isinstance(value, dict) or not set(value) <= set(keys):
        return wanted
    return "" if all(keys[key](item) for key, item in value.items()) else wanted


def _quorum(value: Any) -> str:
    wanted = f"aturan ({', '.join(QUORUM_RULES)}) dan nilai angka 0 atau lebih"
    rule = value.get("aturan", "tidak_ada") if isinstance(value, dict) else None
    if rule not in QUORUM_RULES:
        return wanted
    return _exact(
        value,
        {"aturan": lambda _: True, "nilai": lambda n: _is_number(n, 0, QUORUM_MAX[rule])},
        wanted,
    )


def _ballot_rule(value: Any) -> str:
    return _exact(
        value,
        {
            "maks_pilihan": lambda n: _is_int(n, *BALLOT_CHOICES),
            "bobot": lambda b: b in BALLOT_WEIGHTS,
        },
        f"maks_pilihan {BALLOT_CHOICES[0]}-{BALLOT_CHOICES[1]} dan bobot 3-2-1 atau sama",
    )


def _pagu_rule(value: Any) -> str:
    return _exact(
        value,
        {
            "minimal_satu_per_desa": lambda b: isinstance(b, bool),
            "batas_per_desa": lambda n: n is None or _is_int(n, 1),
        },
        "minimal_satu_per_desa ya/tidak dan batas_per_desa kosong atau 1 atau lebih",
    )


def _list_of(item_ok: Callable[[Any], bool], wanted: str) -> Check:
    def check(value: Any) -> str:
        good = isinstance(value, list) and len(value) <= MAX_ITEMS and all(map(item_ok, value))
        return "" if good else wanted

    return check


def _text(value: Any) -> bool:
    return isinstance(value, str)


def _object_of_texts(keys: tuple[str, ...]) -> Callable[[Any], bool]:
    return lambda value: not _exact(value, dict.fromkeys(keys, _text), "x")


def _funding_item(value: Any) -> bool:
    return not _exact(value, {"sumber": _text, "jumlah": lambda n: _is_int(n, 0)}, "x") and {
        "sumber",
        "jumlah",
    } <= set(value)


def _origin(value: Any) -> str:
    wanted = f"asal usulan (jenis: {', '.join(ORIGIN_KINDS)})"
    if not isinstance(value, dict) or value.get("jenis") not in ORIGIN_KINDS:
        return wanted
    keys = {"jenis": _text, "nama": _text, "kode": _text, "forum": _text}
    return _exact(value, {**keys, "usulan_id": lambda n: _is_int(n, 0)}, wanted)


def _choice(choices: Any, label: str) -> Check:
    return lambda value: "" if value in choices else f"{label}: {', '.join(choices)}"


#: table -> field -> check of a present value that is not null (kinds already hold).
PARTS: dict[str, dict[str, Check]] = {
    "meta": {
        "kuorum": _quorum,
        "surat_suara": _ballot_rule,
        "aturan_pagu": _pagu_rule,
        "materi": _list_of(_text, "daftar teks"),
        "narasumber": _list_of(_object_of_texts(("nama", "jabatan")), "daftar nama dan jabatan"),
        "metode_prioritas": _choice(PRIORITY_METHODS, "salah satu dari"),
        "metode_keputusan": _choice(DECISION_METHODS, "salah satu dari"),
    },
    "proposals": {
        "sumber_dana": _list_of(_funding_item, "daftar sumber dan jumlah"),
        "foto": _list_of(_text, "daftar nama berkas foto"),
        "asal": _origin,
    },
    "ballots": {"pilihan": _list_of(lambda n: _is_int(n, 1), "daftar nomor usulan")},
    "minutes": {
        "jenis": _choice(tuple(MINUTE_KINDS), "salah satu dari"),
        "metode": _choice(DECISION_METHODS, "salah satu dari"),
    },
}

#: table -> field -> the table whose record id it names. Only the references the app keeps
#: whole when it deletes (a proposal takes its scores and tally with it, an agenda item with
#: minutes cannot be removed) and readers look up; a removed participant may still be named
#: by a minute or an utusan, which keep the name themselves.
REFERENCES: dict[str, dict[str, str]] = {
    "minutes": {"agenda_id": "agenda"},
    "scores": {"usulan_id": "proposals", "kriteria_id": "criteria"},
    "tallies": {"usulan_id": "proposals"},
}


def part_problems(table: str, key: str, record: dict[str, Any]) -> list[str]:
    """What in one record's composite fields is outside ``PARTS``, in Indonesian."""
    problems = []
    for field, check in PARTS.get(table, {}).items():
        value = record.get(field)
        if value is not None and (wanted := check(value)):
            problems.append(f"Tabel '{table}' #{key}: '{field}' tidak sah (seharusnya {wanted}).")
    return problems


def reference_problems(
    records: dict[str, dict[str, dict]], tables: dict[str, dict[str, dict]] | None = None
) -> list[str]:
    """Ids in ``records`` that name no record of the table (in ``tables``, by default
    ``records`` itself) they point at, in Indonesian."""
    tables = records if tables is None else tables
    problems = []
    for table, fields in REFERENCES.items():
        for key, record in records.get(table, {}).items():
            for field, target in fields.items():
                value = record.get(field)
                if value is not None and str(value) not in tables.get(target, {}):
                    problems.append(
                        f"Tabel '{table}' #{key}: '{field}' menunjuk {target} #{value} "
                        "yang tidak ada."
                    )
    return problems
