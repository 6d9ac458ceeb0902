"""The allow-list kantor.json is read through: a file anyone can edit must not crash the app.

``kantor.json`` is a plain file in the data dir; a hand edit, a half-written copy or a forged
file may hold anything. Each known key has a shape (text, a map of texts, a list of
records...); an entry of another shape is dropped and named in a warning, so the rest of
the settings still work and no screen trips over a list where it expects a map. Unknown
keys are kept only when they hold text (settings added by a newer version). A file that is
not a JSON object at all is refused by ``store.office`` as a whole, naming kantor.json.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

Check = Callable[[Any], bool]


def _text(value: Any) -> bool:
    return isinstance(value, str)


def _map_of(check: Check) -> Check:
    return lambda value: (
        isinstance(value, dict) and all(isinstance(k, str) and check(v) for k, v in value.items())
    )


def _list_of(check: Check) -> Check:
    return lambda value: isinstance(value, list) and all(check(v) for v in value)


def _scalar(value: Any) -> bool:
    return value is None or isinstance(value, str | int | float | bool)


def _record(value: Any) -> bool:
    """A flat record (a trusted key, a letter in the agenda book): scalars or lists of them."""
    return isinstance(value, dict) and all(
        isinstance(k, str) and (_scalar(v) or _list_of(_scalar)(v)) for k, v in value.items()
    )


def _optional_text(value: Any) -> bool:
    return value is None or isinstance(value, str)


#: Top-level key -> the shape its value must have.
SHAPES: dict[str, Check] = {
    "nama": _text,
    "wilayah_kode": _text,
    "operator": _text,
    "kertas": _text,
    "huruf": _text,
    "kop": _map_of(_text),
    "penandatangan": _map_of(_map_of(_text)),
    "tujuan_surat_pengantar": _map_of(_text),
    "agenda_setelan": _map_of(_text),
    "pemetaan_rpjmd": _map_of(_map_of(_map_of(_text))),
    "trusted_keys": _list_of(_record),
    "recent": _list_of(_text),
    "agenda_surat": _list_of(_record),
    # store.import_memory: header signature -> {folded column name: field or None}
    "impor_kolom": _map_of(_map_of(_optional_text)),
}


def allowed_entries(stored: dict[str, Any]) -> tuple[dict[str, Any], list[str]]:
    """The entries of ``stored`` that have their known shape (unknown keys: text only),
    and the keys dropped (for one warning naming kantor.json)."""
    kept: dict[str, Any] = {}
    dropped: list[str] = []
    for key, value in stored.items():
        check = SHAPES.get(key, _text)
        if check(value):
            kept[key] = value
        else:
            dropped.append(key)
    return kept, dropped
