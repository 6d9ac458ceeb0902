"""Kemendagri region codes bundled with the app: Jawa Timur, Kabupaten Mojokerto, its 18
kecamatan and their desa/kelurahan.

Source of ``data/wilayah.json``: the public ``cahyadsn/wilayah`` data, file ``db/wilayah.sql``
at commit 00d2159de447124c862fcf900a018e468afdcc18 ("Data Kode Wilayah sesuai Kepmendagri
No 300.2.2-2138 Tahun 2025"), rows ``35``, ``35.16`` and ``35.16.*`` copied as is (324 rows:
1 provinsi, 1 kabupaten, 18 kecamatan, 299 desa, 5 kelurahan in Mojosari). Verified there:
Jatirejo 35.16.01, Gondang 02, Pacet 03, Trawas 04, Ngoro 05, Pungging 06, Kutorejo 07,
Mojosari 08, Dlanggu 09, Bangsal 10, Puri 11, Trowulan 12, Sooko 13, Gedeg 14, Kemlagi 15,
Jetis 16, Dawarblandong 17, Mojoanyar 18; and Sooko's 15 desa 35.16.13.2001 Gemekan ...
35.16.13.2015 Ngingasrembyong exactly as DOMAIN.md lists them. A second public copy (a
kecamatan table of a Mojokerto mapping project) agrees for the 17 kecamatan it lists.

The level and the parent come from the code itself (2, 4, 6 or 10 digits), so the JSON is a
plain code -> name map. The JSON is read once, on first use: importing this module is free.
"""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Literal

from store.validation_error import ValidationError

Level = Literal["provinsi", "kabupaten", "kecamatan", "desa"]
_LEVELS: dict[int, Level] = {1: "provinsi", 2: "kabupaten", 3: "kecamatan", 4: "desa"}
_SEGMENT_WIDTHS = (2, 2, 2, 4)
_CODE = re.compile(r"\d{2}(\.\d{2}(\.\d{2}(\.\d{4})?)?)?")
_PREFIXES = re.compile(r"^(desa|ds|kelurahan|kel)\b\.?\s*")
KABUPATEN_MOJOKERTO = "35.16"


class UnknownRegion(ValidationError):
    """A region code that is malformed or not in the bundled list."""

    def __init__(self, code: str) -> None:
        super().__init__("wilayah", f"Kode wilayah '{code}' tidak dikenal")


@dataclass(frozen=True)
class Region:
    """One Kemendagri region: ``Region("35.16.13", "Sooko", "kecamatan", "35.16")``."""

    code: str
    name: str
    level: Level
    parent_code: str | None

    @property
    def title(self) -> str:
        """``Kecamatan Sooko``, ``Desa Gemekan``, ``Kelurahan Kauman``, ``Kabupaten Mojokerto``."""
        return f"{_kind(self.code, self.level)} {self.name}"


def _kind(code: str, level: Level) -> str:
    """The administrative word before the name; the code tells desa from kelurahan
    (village segment 1xxx is a kelurahan, 2xxx a desa) and kabupaten from kota (71+)."""
    last = code.rsplit(".", 1)[-1]
    if level == "desa":
        return "Kelurahan" if last.startswith("1") else "Desa"
    if level == "kabupaten":
        return "Kota" if int(last) >= 71 else "Kabupaten"
    return level.capitalize()


def normalize_code(code: str) -> str:
    """``3516132001`` or `` 35.16.13.2001 `` -> ``35.16.13.2001``; UnknownRegion if malformed."""
    text = str(code).strip()
    if text.isdigit() and len(text) in (2, 4, 6, 10):
        parts, start = [], 0
        for width in _SEGMENT_WIDTHS:
            if start < len(text):
                parts.append(text[start : start + width])
                start += width
        text = ".".join(parts)
    if not _CODE.fullmatch(text):
        raise UnknownRegion(code)
    return text


@cache
def _regions() -> dict[str, Region]:
    data = json.loads(resources.files("store").joinpath("data/wilayah.json").read_text("utf-8"))
    regions = {}
    for code, name in data["wilayah"].items():
        depth = code.count(".") + 1
        parent = code.rsplit(".", 1)[0] if depth > 1 else None
        regions[code] = Region(code, name, _LEVELS[depth], parent)
    return regions


def region(code: str) -> Region:
    """The region with this code; UnknownRegion (a ValidationError) if it is not bundled."""
    normalized = normalize_code(code)
    try:
        return _regions()[normalized]
    except KeyError:
        raise UnknownRegion(code) from None


def region_title(code: str) -> str:
    """``Kecamatan Sooko`` / ``Desa Gemekan``."""
    return region(code).title


def children(code: str) -> list[Region]:
    """The regions directly under ``code``, in code order."""
    parent = region(code).code
    return [r for r in _regions().values() if r.parent_code == parent]


def kecamatan_list(kabupaten_code: str = KABUPATEN_MOJOKERTO) -> list[Region]:
    """The kecamatan of the kabupaten (Kab. Mojokerto by default), in code order."""
    return children(kabupaten_code)


def desa_of(kecamatan_code: str) -> list[Region]:
    """The desa and kelurahan of a kecamatan, in code order."""
    return children(kecamatan_code)


def is_within(child_code: str, parent_code: str) -> bool:
    """True if ``child_code`` lies strictly under ``parent_code`` (codes, not names)."""
    child, parent = normalize_code(child_code), normalize_code(parent_code)
    return child.startswith(parent + ".")


def _name_key(name: str) -> str:
    """Case, spaces, hyphens and a leading ``Desa``/``Ds.``/``Kelurahan`` do not matter:
    ``Desa Karang Kedawang`` and ``karangkedawang`` are the same desa."""
    text = unicodedata.normalize("NFKC", name).casefold().strip()
    text = _PREFIXES.sub("", text)
    return re.sub(r"[^0-9a-z]", "", text)


@cache
def _desa_by_name() -> dict[str, list[Region]]:
    index: dict[str, list[Region]] = {}
    for r in _regions().values():
        if r.level == "desa":
            index.setdefault(_name_key(r.name), []).append(r)
    return index


def find_desa_all(name: str, within: str | None = None) -> list[Region]:
    """Every bundled desa/kelurahan matching the name (or its code), optionally only under
    ``within`` (a kecamatan or kabupaten code, or the desa's own code)."""
    scope = normalize_code(within) if within else None
    text = name.strip()
    if _CODE.fullmatch(text) or text.isdigit():
        try:
            found = [region(text)]
        except UnknownRegion:
            found = []
    else:
        found = _desa_by_name().get(_name_key(text), [])
    return [
        r
        for r in found
        if r.level == "desa" and (scope is None or r.code == scope or is_within(r.code, scope))
    ]


def find_desa(name: str, kecamatan_code: str | None = None) -> Region | None:
    """The one desa with this name (in the kecamatan if given); None if there is none or the
    name is ambiguous (``Tempuran`` is in both Sooko and Pungging: give the kecamatan)."""
    found = find_desa_all(name, kecamatan_code)
    return found[0] if len(found) == 1 else None
