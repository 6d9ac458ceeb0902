"""Where a proposal sits in the Kabupaten's RPJMD: the T-D.4 columns (2)-(4) of the recap.

Permendagri 86/2017 form T-D.4 lists, for every priority activity of the kecamatan, the
*prioritas daerah*, the *sasaran daerah* and the *program* it serves. A proposal rarely
says so itself, so an office-level mapping fills the gap: first by kamus usulan (the
activity's name in SIPD's dictionary), then by sector; what a proposal states itself always
wins. The default mapping (Kab. Mojokerto) ships as ``data/rpjmd-kab-mojokerto.json``; an
office overrides any entry in its settings (``kantor.json``, key ``pemetaan_rpjmd``, same
shape: ``{"sektor": {...}, "kamus": {...}}``) when its RPJMD changes.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from importlib import resources
from typing import Any

from store.office import load_office

FIELDS = ("prioritas_daerah", "sasaran_daerah", "program")
OFFICE_KEY = "pemetaan_rpjmd"
DEFAULT_FILE = "data/rpjmd-kab-mojokerto.json"

RpjmdMap = dict[str, dict[str, dict[str, str]]]


def default_mapping() -> RpjmdMap:
    """The bundled Kab. Mojokerto mapping: ``{"sektor": {name: fields}, "kamus": {...}}``."""
    text = resources.files("store").joinpath(DEFAULT_FILE).read_text("utf-8")
    data = json.loads(text)
    return {"sektor": data["sektor"], "kamus": data["kamus"]}


def merged(base: RpjmdMap, override: Mapping[str, Any] | None) -> RpjmdMap:
    """``base`` with the office's entries laid over it, field by field."""
    result: RpjmdMap = {part: {k: dict(v) for k, v in base.get(part, {}).items()} for part in base}
    for part in ("sektor", "kamus"):
        entries = override.get(part) if isinstance(override, Mapping) else None
        if not isinstance(entries, Mapping):
            continue  # a hand-edited kantor.json of another shape: the default stands
        for key, fields in entries.items():
            if isinstance(fields, Mapping):
                entry = result.setdefault(part, {}).setdefault(key, {})
                entry.update({f: str(v) for f, v in fields.items() if f in FIELDS and v})
    return result


def office_mapping() -> RpjmdMap:
    """The mapping this office prints with: the default, overridden by ``kantor.json``."""
    return merged(default_mapping(), load_office().get(OFFICE_KEY))


def td4_columns(proposal: Mapping[str, Any], mapping: RpjmdMap) -> dict[str, str]:
    """Prioritas daerah, sasaran daerah and program of one proposal.

    Each field: the proposal's own value; else the kamus usulan entry whose name the
    proposal's kamus usulan (or kegiatan) starts with, longest name first; else the entry of
    its sector; else "".
    """
    sector = _lookup(mapping.get("sektor", {}), proposal.get("bidang") or "", exact=True)
    kamus_text = proposal.get("kamus_usulan") or proposal.get("kegiatan") or ""
    kamus = _lookup(mapping.get("kamus", {}), kamus_text, exact=False)
    return {
        field: proposal.get(field) or kamus.get(field) or sector.get(field) or ""
        for field in FIELDS
    }


def _lookup(entries: Mapping[str, Mapping[str, str]], text: str, *, exact: bool) -> Mapping:
    wanted = " ".join(text.split()).casefold()
    if not wanted:
        return {}
    for name in sorted(entries, key=len, reverse=True):
        key = " ".join(name.split()).casefold()
        if wanted == key or (not exact and wanted.startswith(key)):
            return entries[name]
    return {}
