"""The shape a forum's records must have before any screen, document or verb reads them.

The storage checks that a file is well-formed JSON Lines; a file edited by hand or damaged
on disk can still hold a meta record emptied, a cost that is text, or an id no JSON writer
accepts. Every reader assumes these shapes, so ``check`` tests them first and the verbs that
read a whole forum (``dump``, ``export``, ``import``) refuse a forum that fails, instead of
failing halfway with a traceback.

A field missing from ``FIELDS`` is not checked (newer versions may add fields); a field
present must have one of the listed kinds.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from store.backup import file_error
from store.forum_schema import REFERENCES, part_problems, reference_problems
from store.forum_values import control_problems, score_problems, value_problems
from store.meta import LEVELS
from store.storage_errors import ForumFileError

#: Ids and integers beyond this are not from this app (JSON readers lose precision past it).
MAX_INT = 2**53

_S, _I, _F, _B, _L, _D, _N = "teks", "bilangan", "pecahan", "ya/tidak", "daftar", "objek", "kosong"

#: table -> field -> the kinds it may hold.
FIELDS: dict[str, dict[str, tuple[str, ...]]] = {
    "meta": {
        "forum_id": (_S,),
        "level": (_S,),
        "wilayah_kode": (_S,),
        "wilayah_nama": (_S,),
        "kabupaten": (_S,),
        "tahun": (_I,),
        "tanggal": (_S, _N),
        "pukul": (_S, _N),
        "tempat": (_S,),
        "pimpinan": (_S,),
        "pimpinan_jabatan": (_S,),
        "notulis": (_S,),
        "notulis_jabatan": (_S,),
        "narasumber": (_L,),
        "pagu": (_I, _N),
        "materi": (_L,),
        "metode_prioritas": (_S,),
        "metode_keputusan": (_S,),
        "hasil_keputusan": (_S,),
        "status": (_S,),
        "target_perempuan": (_F, _I),
        "kuorum": (_D, _N),
        "surat_suara": (_D, _N),
        "aturan_pagu": (_D, _N),
        "pemungutan_ditutup": (_B,),
        "tindak_lanjut": (_S,),
        "judul": (_S,),
        "dibuat": (_S,),
        "nomor_surat": (_S,),
        "nomor_surat_pengantar": (_S,),
        "nomor_surat_mandat": (_S,),
        "tanpa_pagu": (_B,),
        "kantor_contoh": (_D,),
    },
    "participants": {
        "nama": (_S,),
        "jenis_kelamin": (_S, _N),
        "lembaga": (_S,),
        "unsur": (_S,),
        "unsur_asal": (_S,),
        "jabatan": (_S,),
        "desa": (_S,),
        "desa_kode": (_S, _N),
        "delegasi": (_B,),
        "hak_suara": (_B,),
        "disabilitas": (_B,),
        "telepon": (_S,),
        "nik": (_S,),
        "hadir_pukul": (_S, _N),
        "pulang_pukul": (_S, _N),
    },
    "utusan": {
        "nama": (_S,),
        "jabatan": (_S,),
        "lembaga": (_S,),
        "urut": (_I,),
        "peserta_id": (_I, _N),
    },
    "agenda": {
        "judul": (_S,),
        "rencana_mulai": (_S,),
        "rencana_selesai": (_S,),
        "mulai": (_S, _N),
        "selesai": (_S, _N),
        "urut": (_I,),
    },
    "minutes": {
        "jenis": (_S,),
        "teks": (_S,),
        "agenda_id": (_I, _N),
        "pembicara_id": (_I, _N),
        "pembicara_nama": (_S,),
        "pembicara_unsur": (_S,),
        "metode": (_S, _N),
        "hasil": (_S,),
        "waktu": (_S,),
    },
    "proposals": {
        "desa": (_S,),
        "desa_kode": (_S, _N),
        "sumber": (_S,),
        "bidang": (_S,),
        "permasalahan": (_S,),
        "kegiatan": (_S,),
        "lokasi": (_S,),
        "volume": (_I, _F, _N),
        "satuan": (_S,),
        "penerima_manfaat": (_I, _N),
        "biaya": (_I,),
        "sumber_dana": (_L,),
        "opd_tujuan": (_S,),
        "kamus_usulan": (_S,),
        "prioritas_daerah": (_S,),
        "sasaran_daerah": (_S,),
        "program": (_S,),
        "sasaran_kegiatan": (_S,),
        "riwayat": (_L,),
        "foto": (_L,),
        "catatan": (_S,),
        "status": (_S,),
        "alasan": (_S,),
        "asal": (_D, _N),
        "duplikat_dari": (_I, _N),
        "urutan": (_I, _N),
        "dibuat": (_S,),
    },
    "criteria": {
        "kode": (_S,),
        "nama": (_S,),
        "bobot": (_F, _I),
        "skala_min": (_I,),
        "skala_max": (_I,),
        "urut": (_I,),
    },
    "scores": {"usulan_id": (_I,), "kriteria_id": (_I,), "nilai": (_I, _F)},
    "tallies": {"usulan_id": (_I,), "suara": (_I,)},
    "ballots": {"peserta_id": (_I,), "pilihan": (_L,), "waktu": (_S,), "koreksi": (_L,)},
    "signatures": {
        "peran": (_S,),
        "nama": (_S,),
        "nip": (_S,),
        "pangkat": (_S,),
        "jenis": (_S,),
        "waktu": (_S,),
    },
    "documents": {
        "doc_id": (_S,),
        "jenis": (_S,),
        "nomor": (_S,),
        "tanggal": (_S,),
        "digest": (_S,),
        "status": (_S,),
        "diganti_oleh": (_S, _N),
        "dibuat": (_S,),
    },
    "audit": {
        "waktu": (_S,),
        "operator": (_S,),
        "tabel": (_S,),
        "rec_id": (_I,),
        "aksi": (_S,),
        "lama": (_D, _N),
        "baru": (_D, _N),
    },
}
#: Meta fields every reader needs.
REQUIRED_META = ("level", "wilayah_kode", "tahun", "status", "judul")


def kind_of(value: Any) -> str:
    """The kind of a JSON value, in the words of ``FIELDS`` (a bool is not a number)."""
    if value is None:
        return _N
    if isinstance(value, bool):
        return _B
    if isinstance(value, int):
        return _I
    if isinstance(value, float):
        return _F
    if isinstance(value, str):
        return _S
    if isinstance(value, list):
        return _L
    return _D


def shape_problems(
    tables: dict[str, dict[str, dict]],
    next_ids: dict[str, int],
    only: dict[str, set[str]] | None = None,
) -> list[str]:
    """What in a forum's raw tables (``{table: {"id": record}}``) and id counters breaks
    ``FIELDS``, in Indonesian; empty when every record has the shape the readers expect.

    Runs on every open (``store.forum.open_forum``), so it only reads, never copies. With
    ``only`` (per table, the keys changed since a sealed snapshot: ``store.forum_seal``),
    records are read only there and where those changes reach (``checked_scope``); the
    header, the counters and the table names are always read whole.
    """
    problems = [
        f"Penghitung id tabel '{name}' ({str(value)[:20]}) terlalu besar."
        for name, value in next_ids.items()
        if not -MAX_INT <= value <= MAX_INT
    ]
    from store.forum import TABLES

    problems += [
        f"Tabel '{name[:30]}' tidak dikenal (bukan bagian forum)."
        for name in sorted({*tables, *next_ids} - set(TABLES))
    ]
    meta = tables.get("meta", {}).get("1")
    if not meta:
        return [*problems, "Kepala forum (meta) kosong atau tidak ada."]
    problems += _header_problems(meta)
    scope = tables if only is None else checked_scope(tables, only)
    for table, records in scope.items():
        fields = FIELDS.get(table, {})
        for key, record in records.items():
            if len(key) > 15:
                problems.append(f"Tabel '{table}': id {key[:20]} terlalu besar.")
                continue
            if fields:
                problems += _record_problems(table, key, record, fields)
    return problems or (
        reference_problems(scope, tables) + score_problems(scope, tables) + control_problems(scope)
    )


def record_problems(table: str, key: str, record: dict[str, Any]) -> list[str]:
    """What in one record about to be written the check would refuse (its kinds, values,
    parts and texts; the header's own rules for ``meta``), in Indonesian: the write-time
    guard (``store.forum.Forum``) that keeps every writer inside the schema."""
    fields = FIELDS.get(table)
    problems = _header_problems(record) if table == "meta" else []
    if fields:
        problems += _record_problems(table, key, record, fields)
    return problems or control_problems({table: {key: record}})  # every table: see the open


def _header_problems(meta: dict[str, Any]) -> list[str]:
    problems = [f"Kepala forum tidak memuat '{key}'." for key in REQUIRED_META if key not in meta]
    problems += [
        f"Kepala forum: kolom '{str(key)[:30]}' tidak dikenal."
        for key in meta
        if key not in FIELDS["meta"]
    ]
    if meta.get("level", LEVELS[0]) not in LEVELS:
        problems.append(f"Kepala forum: tingkat '{meta.get('level')}' tidak dikenal.")
    return problems


def checked_scope(
    tables: dict[str, dict[str, dict]], only: dict[str, set[str]]
) -> dict[str, dict[str, dict]]:
    """The records a check after a sealed snapshot reads: those ``only`` names that still
    exist; every record pointing into a table the journal removed from (it may now point
    at nothing); every score when a criterion changed (its scale judges them)."""
    scope = {
        table: {key: records[key] for key in keys if key in records}
        for table, keys in only.items()
        if (records := tables.get(table)) is not None
    }
    removed = {table for table, keys in only.items() if len(scope.get(table, ())) < len(keys)}
    for table, fields in REFERENCES.items():
        if removed.intersection(fields.values()):
            scope[table] = tables.get(table, {})
    if "criteria" in only:
        scope["scores"] = tables.get("scores", {})
    return scope


def _record_problems(
    table: str, key: str, record: dict[str, Any], fields: dict[str, tuple[str, ...]]
) -> list[str]:
    problems = []
    allowed = _ALLOWED_TYPES[table]
    for field, value in record.items():
        kind_types = allowed.get(field)
        if kind_types is None:
            continue
        if type(value) not in kind_types:
            wanted = " atau ".join(fields[field])
            problems.append(
                f"Tabel '{table}' #{key}: '{field}' berisi {kind_of(value)}, seharusnya {wanted}."
            )
        elif type(value) is int and not -MAX_INT <= value <= MAX_INT:
            problems.append(f"Tabel '{table}' #{key}: '{field}' terlalu besar.")
    return problems or value_problems(table, key, record) + part_problems(table, key, record)


def damage_error(path: Path, problems: list[str]) -> ForumFileError:
    """The refusal for a forum with ``problems``: the first one, how many more, and the
    newest good backup (the same line as for any other damaged file)."""
    more = f" (dan {len(problems) - 1} masalah lain; lihat: musrenbang check)"
    return file_error(path, problems[0].rstrip(".") + (more if len(problems) > 1 else ""))


_PY_TYPES = {_S: str, _I: int, _F: float, _B: bool, _L: list, _D: dict, _N: type(None)}
#: FIELDS as Python types, so the check on every open is one set lookup per field.
_ALLOWED_TYPES = {
    table: {field: frozenset(_PY_TYPES[kind] for kind in kinds) for field, kinds in spec.items()}
    for table, spec in FIELDS.items()
}
