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

from typing import Any

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
        "notulis": (_S,),
        "narasumber": (_L,),
        "pagu": (_I, _N),
        "materi": (_L,),
        "status": (_S,),
        "target_perempuan": (_F, _I),
        "kuorum": (_D, _N),
        "surat_suara": (_D, _N),
        "aturan_pagu": (_D, _N),
        "pemungutan_ditutup": (_B,),
        "judul": (_S,),
    },
    "participants": {
        "nama": (_S,),
        "jenis_kelamin": (_S,),
        "lembaga": (_S,),
        "unsur": (_S,),
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
    "utusan": {"nama": (_S,), "jabatan": (_S,), "lembaga": (_S,), "urut": (_I,)},
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
LEVELS = ("desa", "kecamatan")


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


def shape_problems(data: dict[str, Any], next_ids: dict[str, int]) -> list[str]:
    """What in a forum's data (``Forum.export_tables()``: meta a dict, every other table a
    list of records with their ``id``) and id counters breaks ``FIELDS``, in Indonesian;
    empty when every record has the shape the readers expect."""
    problems = [
        f"Penghitung id tabel '{name}' ({value}) terlalu besar."
        for name, value in next_ids.items()
        if not -MAX_INT <= value <= MAX_INT
    ]
    meta = data.get("meta") or {}
    if not meta:
        return [*problems, "Kepala forum (meta) kosong atau tidak ada."]
    problems += [f"Kepala forum tidak memuat '{key}'." for key in REQUIRED_META if key not in meta]
    if meta.get("level", LEVELS[0]) not in LEVELS:
        problems.append(f"Kepala forum: tingkat '{meta.get('level')}' tidak dikenal.")
    problems += _record_problems("meta", "1", meta, FIELDS["meta"])
    for table, records in data.items():
        if table == "meta":
            continue
        fields = FIELDS.get(table, {})
        for record in records:
            if record["id"] > MAX_INT:
                problems.append(f"Tabel '{table}': id {str(record['id'])[:20]} terlalu besar.")
                continue
            problems += _record_problems(table, str(record["id"]), record, fields)
    return problems


def _record_problems(
    table: str, key: str, record: dict[str, Any], fields: dict[str, tuple[str, ...]]
) -> list[str]:
    problems = []
    for field, kinds in fields.items():
        if field not in record:
            continue
        value = record[field]
        kind = kind_of(value)
        if kind not in kinds:
            wanted = " atau ".join(kinds)
            problems.append(
                f"Tabel '{table}' #{key}: '{field}' berisi {kind}, seharusnya {wanted}."
            )
        elif kind == _I and not -MAX_INT <= value <= MAX_INT:
            problems.append(f"Tabel '{table}' #{key}: '{field}' terlalu besar.")
    return problems
