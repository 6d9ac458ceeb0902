"""Which import column a spreadsheet header names: one synonym table, easy to extend.

Desa secretaries write "Nama Lengkap", "No. HP/WA", "Biaya (Rp)" or "Jenis Kelamin (L/P)"
where the contract (ARCHITECTURE.md section 4) says ``nama``, ``telepon``, ``biaya`` and
``jenis_kelamin``. Headers are compared after ``normalize_header`` (case, spaces and
punctuation folded to ``_``); a trailing unit in brackets is tried with and without it, so
"Jumlah (Rp)" can mean biaya while a bare "Jumlah" means nothing.

To teach the importer a new spelling, add its normalised form to ``SYNONYMS``.
"""

from __future__ import annotations

import re
from difflib import SequenceMatcher
from typing import Any

from store.validation import PARTICIPANT_COLUMNS, PROPOSAL_COLUMNS

# field -> normalised header spellings (the field name itself always works).
# fmt: off
SYNONYMS: dict[str, tuple[str, ...]] = {
    "nama": ("nama_lengkap", "nama_peserta", "nama_undangan", "peserta"),
    "jenis_kelamin": ("l_p", "jk", "gender", "kelamin", "jenis_kelamin_l_p"),
    "telepon": (
        "telp", "no_telp", "no_telepon", "nomor_telepon", "no_hp", "hp", "no_hp_wa",
        "hp_wa", "no_wa", "wa", "whatsapp", "nomor_hp", "no_telp_hp", "kontak",
    ),
    "nik": ("no_nik", "nomor_nik", "nomor_induk_kependudukan", "no_ktp", "ktp"),
    "lembaga": (
        "lembaga_instansi", "instansi", "nama_lembaga", "lembaga_organisasi", "asal_lembaga",
        # a combined column is read as lembaga: it names an institution as often as a desa
        "asal_desa_lembaga", "desa_lembaga", "asal_lembaga_desa", "asal_desa_instansi",
        "asal_instansi",
    ),
    "unsur": ("unsur_peserta", "kelompok", "unsur_kelompok"),
    "jabatan": ("nama_jabatan", "jabatan_peserta"),
    "delegasi": ("delegasi_desa", "utusan"),
    "hak_suara": ("hak_pilih", "memiliki_hak_suara"),
    "disabilitas": ("penyandang_disabilitas", "difabel"),
    "desa": (
        "desa_pengusul", "nama_desa", "kode_desa", "desa_kelurahan", "desa_kel", "asal_desa",
        "kelurahan",
    ),
    "sumber": ("sumber_usulan", "pengusul", "asal_usulan"),
    "bidang": ("bidang_urusan", "sektor", "urusan"),
    "permasalahan": ("masalah", "uraian_masalah", "permasalahan_kebutuhan"),
    "kegiatan": (
        "usulan_kegiatan", "nama_kegiatan", "uraian_kegiatan", "jenis_kegiatan", "usulan",
        "kegiatan_usulan", "rencana_kegiatan",
        # Daftar Usulan RKP Desa (Permendagri 114/2014): the bidang is a section row above
        "bidang_jenis_kegiatan", "bidang_kegiatan", "jenis_usulan_kegiatan",
    ),
    "lokasi": ("alamat_lokasi", "lokasi_kegiatan", "alamat", "lokasi_dusun_rt_rw"),
    "volume": (
        "vol", "jumlah_volume", "output_kegiatan_volume", "output_volume", "prakiraan_volume",
        "perkiraan_volume",
    ),
    "satuan": ("sat", "output_kegiatan_satuan", "output_satuan"),
    "penerima_manfaat": ("jumlah_penerima_manfaat", "sasaran_penerima_manfaat", "penerima"),
    "biaya": (
        "perkiraan_biaya", "prakiraan_biaya", "kebutuhan_dana", "jumlah_rp", "anggaran",
        "nilai_rp", "rencana_anggaran", "jumlah_biaya", "total_biaya", "biaya_rp",
        "pagu", "pagu_indikatif", "estimasi_biaya", "jumlah_dana",
    ),
    "sumber_dana": ("sumber_pendanaan", "sumber_anggaran", "sumber_biaya", "dana"),
    "opd_tujuan": ("opd", "perangkat_daerah", "opd_pelaksana", "skpd", "skpd_tujuan"),
    "kamus_usulan": ("kamus",),
    # the RKP Desa form's "Sasaran/Manfaat" is text (who benefits), printed as sasaran
    "sasaran_kegiatan": ("sasaran", "sasaran_manfaat", "sasaran_kegiatan_manfaat"),
    "catatan": ("keterangan", "ket"),
}
# fmt: on

#: The row-number column of paper forms: expected, never reported.
ROW_NUMBER_HEADERS = frozenset({"no", "nomor", "no_urut", "nomor_urut"})
IGNORED = "diabaikan"
#: Headers that share a word with a field but mean something else ("Harga Satuan" is a
#: price, not the unit): ignored with a warning like any unknown column, never refused.
NOT_LOOKALIKES = frozenset({"harga_satuan", "harga_satuan_rp", "pelaksana_kegiatan"})
#: Headers starting so are ignored (listed, not refused) whatever follows: the Daftar
#: Usulan RKP Desa columns the store has no field for, with the parts under them
#: ("Pola Pelaksanaan / Kerjasama Antar Desa" is no desa column).
NOT_LOOKALIKE_PREFIXES = ("pola_pelaksanaan", "waktu_pelaksanaan", "rencana_pelaksana")

_FIELD_OF: dict[str, str] = {
    spelling: field for field, spellings in SYNONYMS.items() for spelling in spellings
}
_TRAILING_UNIT = re.compile(r"\s*[\(\[][^()\[\]]*[\)\]]\s*$")
#: Fields whose look-alike refuses a file of either kind (personal data, UU PDP).
PERSONAL_FIELDS = ("nik", "telepon")
#: How close (0..1, difflib ratio) a misspelt header must be to a spelling to look like it.
LOOKALIKE_RATIO = 0.85
_FUZZY_MIN_CHARS = 5  # "vol" vs "col" is chance, not a misspelling


def fields_of(kind: str) -> tuple[str, ...]:
    """The import columns of ``usulan`` or ``peserta``."""
    return PROPOSAL_COLUMNS if kind == "usulan" else PARTICIPANT_COLUMNS


def _fold(text: str) -> str:
    return re.sub(r"[^0-9a-z]+", "_", text.replace("\ufeff", "").casefold()).strip("_")


def normalize_header(name: Any) -> str:
    """``Penerima Manfaat`` -> ``penerima_manfaat``; ``L/P`` -> ``jenis_kelamin``;
    ``Biaya (Rp)`` -> ``biaya``. Unknown names come back folded (``Hobi`` -> ``hobi``)."""
    text = str(name if name is not None else "")
    whole = _fold(text)
    if field := field_for(whole):
        return field
    bare = _fold(_TRAILING_UNIT.sub("", text))
    return field_for(bare) or whole


def field_for(folded: str) -> str | None:
    """The field a folded header names, or None."""
    if folded in _FIELD_OF:
        return _FIELD_OF[folded]
    if folded in SYNONYMS or folded in PROPOSAL_COLUMNS or folded in PARTICIPANT_COLUMNS:
        return folded
    return None


def _spellings(kind: str) -> list[tuple[str, str]]:
    """(folded spelling, field) for the fields of ``kind`` first, then the personal fields
    of participants ("NIK Ketua" in a proposals file is personal data, not a column to drop
    quietly), longest spelling first within each. Other fields of the other kind are not
    look-alikes: "Alamat" or "Keterangan" on an attendance list is ignored, not refused."""
    own = set(fields_of(kind))
    personal = set(PERSONAL_FIELDS) - own
    return _spellings_of(own) + _spellings_of(personal)


def _spellings_of(known: set[str]) -> list[tuple[str, str]]:
    pairs = [(field, field) for field in known]
    pairs += [(spelling, field) for spelling, field in _FIELD_OF.items() if field in known]
    return sorted(pairs, key=lambda pair: -len(pair[0]))


def _contains_words(words: list[str], part: list[str]) -> bool:
    size = len(part)
    return any(words[i : i + size] == part for i in range(len(words) - size + 1))


def lookalike_field(folded: str, kind: str) -> str | None:
    """The field an unmapped header seems meant for, so the file is refused rather than
    imported with that column dropped; None when it looks like nothing we know.

    A header looks like a field when its words contain the words of the field's name or
    of one of its synonyms ("Biaya Lain", "Nama Desa Asal", "No HP Istri", "NIK Ketua"), or
    when it is a near miss of one ("Kegiaatan")."""
    if not folded or folded in NOT_LOOKALIKES or folded.startswith(NOT_LOOKALIKE_PREFIXES):
        return None
    words = folded.split("_")
    spellings = _spellings(kind)
    for spelling, field in spellings:
        if _contains_words(words, spelling.split("_")):
            return field
    for spelling, field in spellings:
        if (
            len(spelling) >= _FUZZY_MIN_CHARS
            and SequenceMatcher(None, folded, spelling).ratio() >= LOOKALIKE_RATIO
        ):
            return field
    return None
