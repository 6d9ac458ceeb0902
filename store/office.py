"""The office (kantor): who we are, who signs, whom we trust, what we opened recently.

It lives in ``kantor.json`` in the data dir, outside any forum file, because it outlives
forums and years. Written atomically (temp file, fsync, rename) so a power cut never leaves
a half-written settings file.
"""

from __future__ import annotations

import contextlib
import copy
import getpass
import logging
import os
from pathlib import Path
from typing import Any

import orjson

from store import paths
from store.office_schema import allowed_entries
from store.storage_io import write_atomic
from store.validation import clean_text
from store.validation_error import ValidationError

ROLES: dict[str, str] = {
    "camat": "Camat",
    "sekcam": "Sekretaris Kecamatan",
    "kepala-desa": "Kepala Desa",
    "ketua-bpd": "Ketua BPD",
    "wakil-masyarakat": "Wakil Masyarakat",
    "pimpinan-sidang": "Pimpinan Sidang",
    "ketua-tim": "Ketua Tim Penyelenggara",
    "notulis": "Notulis",
}

DEFAULT_OFFICE: dict[str, Any] = {
    "nama": "",
    "wilayah_kode": "",
    "kop": {
        "pemerintah": "PEMERINTAH KABUPATEN MOJOKERTO",
        "instansi": "",
        "alamat": "",
        "telepon": "",
        "website": "",
        "email": "",
        "logo": "",
    },
    "penandatangan": {},
    "operator": "",
    "kertas": "A4",
    "huruf": "Arial",
    "tujuan_surat_pengantar": {"kepada": "", "di": ""},
    # Letter numbers: klasifikasi/urut/kode unit/tahun; the kode unit is the office's own
    # (Kecamatan Sooko: 416-313), never its Kemendagri region code.
    "agenda_setelan": {"klasifikasi": "050", "kode_unit": ""},
    # The office's RPJMD mapping over the bundled default (store.rpjmd): T-D.4 columns.
    "pemetaan_rpjmd": {"sektor": {}, "kamus": {}},
    "trusted_keys": [],
    "recent": [],
    "agenda_surat": [],
    "impor_kolom": {},  # store.import_memory: column mappings fixed by hand, per header
}

RECENT_LIMIT = 12
MAX_OFFICE_BYTES = 1_048_576
log = logging.getLogger(__name__)
_warned: set[str] = set()


def load_office() -> dict[str, Any]:
    """The office settings, with defaults filled in for anything missing.

    kantor.json is read through ``store.office_schema``: entries of the wrong shape are
    dropped with one warning line naming the file; a file that is too big, not JSON, nested
    too deep or not an object is refused (ValidationError naming kantor.json), never taken
    for a damaged forum, and never silently replaced by the defaults (saving would erase it).
    """
    office = copy.deepcopy(DEFAULT_OFFICE)
    file = paths.office_file()
    if file.exists():
        stored, dropped = allowed_entries(_read_office(file))
        warning = f"{file.name}: isian {', '.join(sorted(k[:40] for k in dropped)[:5])} " + (
            "bentuknya tidak dikenal dan diabaikan"
        )
        if dropped and warning not in _warned:  # once per process, not per read
            _warned.add(warning)
            log.warning("%s", warning)
        for key, value in stored.items():
            if isinstance(value, dict) and isinstance(office.get(key), dict):
                office[key].update(value)
            else:
                office[key] = value
    return office


def _read_office(file: Path) -> dict[str, Any]:
    """The parsed kantor.json object, size-bounded before reading; orjson bounds the nesting
    itself (a recursion limit, refused as a decode error, never a crash)."""
    fix = "perbaiki atau pindahkan berkas itu (setelan kantor kembali ke bawaan)"
    try:
        with file.open("rb") as stream:
            data = stream.read(MAX_OFFICE_BYTES + 1)
    except OSError as error:
        raise ValidationError("kantor", f"{file}: tidak bisa dibaca ({error.strerror})") from None
    if len(data) > MAX_OFFICE_BYTES:
        raise ValidationError("kantor", f"{file}: terlalu besar (maksimal 1 MB); {fix}")
    try:
        stored = orjson.loads(data)
    except orjson.JSONDecodeError:
        raise ValidationError("kantor", f"{file}: rusak (bukan JSON yang utuh); {fix}") from None
    if not isinstance(stored, dict):
        raise ValidationError("kantor", f"{file}: isinya bukan setelan kantor; {fix}")
    return stored


def office_for(meta: dict[str, Any]) -> dict[str, Any]:
    """The office a forum's documents name: the demo forum carries its own fictional office
    (``kantor_contoh``), so it never writes into, nor reads from, the real settings."""
    example = meta.get("kantor_contoh")
    if not isinstance(example, dict):
        return load_office()
    office = copy.deepcopy(DEFAULT_OFFICE)
    office.update(copy.deepcopy(example))
    return office


def save_office(office: dict[str, Any]) -> None:
    """Persist the office settings durably."""
    paths.data_dir()  # made on the first save
    write_atomic(paths.office_file(), [orjson.dumps(office, option=orjson.OPT_INDENT_2)])


def office_exists() -> bool:
    """Whether the office has been set up on this machine."""
    return paths.office_file().exists()


def remember_forum(path: Path) -> None:
    """Put a forum at the top of the recent list (best effort: never blocks real work).
    Reopening the forum already on top writes nothing (every start used to pay an fsync)."""
    office = load_office()
    resolved = str(Path(path).resolve())
    recent = [p for p in office.get("recent", []) if p != resolved]
    listed = [resolved, *recent][:RECENT_LIMIT]
    if office.get("recent") == listed and office_exists():
        return
    office["recent"] = listed
    with contextlib.suppress(OSError):
        save_office(office)


def resolve_operator(explicit: str | None = None) -> str:
    """Who is making changes: flag, then env, then kantor.json, then the OS user.

    The name is stored in the forum (voting log, amendments), so it is cleaned as typed
    text is: a control or bidi character (``MUSRENBANG_OPERATOR`` set by a script) is a
    ValidationError naming the operator, not a forum the check then refuses to open."""
    return clean_text(_operator_as_given(explicit), field="operator", label="Operator")


def _operator_as_given(explicit: str | None) -> str:
    if explicit:
        return explicit
    env = os.environ.get("MUSRENBANG_OPERATOR")
    if env:
        return env
    office_operator = load_office().get("operator") if office_exists() else ""
    if office_operator:
        return office_operator
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "operator"
