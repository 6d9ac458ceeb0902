"""The forum header: level, region, year, when and where, who chairs, the pagu, the rules.

Validated here so the CLI's ``new``, the app's create form and later edits all refuse the
same bad input with the same Indonesian message.
"""

from __future__ import annotations

import uuid
from typing import Any

from store.text_controls import first_control
from store.typed_numbers import read_typed_rupiah
from store.validation import ValidationError, clean_text, parse_date, parse_time

LEVELS = ("desa", "kecamatan")
PRIORITY_METHODS = {
    "skoring": "Penilaian (skor) matriks kriteria berbobot",
    "voting": "Pemungutan suara (hitung tangan)",
    "surat_suara": "Pemungutan suara delegasi (surat suara)",
}
DECISION_METHODS = {"mufakat": "musyawarah mufakat", "voting": "pemungutan suara"}
QUORUM_RULES = ("tidak_ada", "persen_delegasi", "minimal_hadir")
#: The largest quorum value per rule: a percentage, or a head count no forum reaches.
QUORUM_MAX = {"tidak_ada": 100_000.0, "persen_delegasi": 100.0, "minimal_hadir": 100_000.0}

DEFAULTS: dict[str, Any] = {
    "tanggal": None,
    "pukul": None,
    "tempat": "",
    "pimpinan": "",
    "pimpinan_jabatan": "",
    "notulis": "",
    "notulis_jabatan": "",
    "narasumber": [],
    "pagu": 0,
    "tanpa_pagu": False,
    "materi": [],
    "metode_prioritas": "skoring",
    "metode_keputusan": "mufakat",
    "hasil_keputusan": "",
    "nomor_surat": "",
    "nomor_surat_pengantar": "",
    "nomor_surat_mandat": "",
    "status": "draf",
    "target_perempuan": 0.30,
    "kuorum": {"aturan": "tidak_ada", "nilai": 0},
    "surat_suara": {"maks_pilihan": 3, "bobot": "3-2-1"},
    "aturan_pagu": {"minimal_satu_per_desa": False, "batas_per_desa": None},
    "pemungutan_ditutup": False,
    "tindak_lanjut": "",
}

TEXT_FIELDS = {
    "tempat": ("Tempat", 300),
    "pimpinan": ("Pimpinan rapat", 200),
    "pimpinan_jabatan": ("Jabatan pimpinan", 200),
    "notulis": ("Notulis", 200),
    "notulis_jabatan": ("Jabatan notulis", 200),
    "hasil_keputusan": ("Hasil keputusan", 4000),
    "nomor_surat": ("Nomor surat", 100),
    "nomor_surat_pengantar": ("Nomor surat pengantar", 100),
    "nomor_surat_mandat": ("Nomor surat mandat", 100),
    "tindak_lanjut": ("Tindak lanjut", 4000),
}


#: Header values the app's own steps set (sign-off, the priority rules, the demo's office)
#: and stores as given, with their Indonesian names; each must pass the forum check
#: (``store.forum_shape``) as is, or the forum would not open again.
STORED_AS_GIVEN = {
    "status": "Status forum",
    "pemungutan_ditutup": "Pemungutan ditutup",
    "surat_suara": "Aturan surat suara",
    "aturan_pagu": "Aturan pagu",
    "kantor_contoh": "Kantor contoh",
}

# A BA lists a handful of these; a bound keeps a pasted file from becoming the header.
LIST_LIMITS = {"materi": 30, "narasumber": 20}


def label_list(key: str) -> str:
    return {"materi": "Materi pembahasan", "narasumber": "Narasumber"}[key]


def forum_title(level: str, wilayah_nama: str, tahun: int) -> str:
    """E.g. "Musrenbang Kecamatan Sooko Tahun 2027"."""
    return f"Musrenbang {level.capitalize()} {wilayah_nama} Tahun {tahun}"


def new_meta(*, level: str, wilayah: str, tahun: int | str, **fields: Any) -> dict[str, Any]:
    """A complete, validated header for a new forum."""
    from store.regions import region  # only a new forum needs it: opening one imports none

    if level not in LEVELS:
        raise ValidationError(
            "level", f"Tingkat '{level}' tidak dikenal: pilih desa atau kecamatan."
        )
    place = region(wilayah)
    if place.level != level:
        raise ValidationError(
            "wilayah",
            f"Kode wilayah {wilayah} adalah {place.level} {place.name}, bukan {level}.",
        )
    kabupaten = region(".".join(place.code.split(".")[:2])).name
    meta: dict[str, Any] = {
        "forum_id": uuid.uuid4().hex,
        "level": level,
        "wilayah_kode": place.code,
        "wilayah_nama": place.name,
        "kabupaten": kabupaten,
        "tahun": _parse_year(tahun),
        **DEFAULTS,
    }
    meta.update(validate_meta_changes(fields, meta))
    meta["judul"] = forum_title(level, place.name, meta["tahun"])
    return meta


def _parse_year(value: int | str) -> int:
    try:
        year = int(str(value).strip())
    except ValueError:
        raise ValidationError("tahun", f"Tahun '{value}' bukan angka tahun.") from None
    if not 2000 <= year <= 2100:
        raise ValidationError("tahun", f"Tahun {year} di luar rentang yang wajar (2000-2100).")
    return year


def validate_meta_changes(changes: dict[str, Any], current: dict[str, Any]) -> dict[str, Any]:
    """Clean header changes; raises ValidationError naming the field for bad input."""
    clean: dict[str, Any] = {}
    for key, value in changes.items():
        if key in TEXT_FIELDS:
            label, limit = TEXT_FIELDS[key]
            clean[key] = clean_text(value or "", field=key, label=label, limit=limit)
        elif key == "tanggal":
            clean[key] = parse_date(value).isoformat() if value else None
        elif key == "pukul":
            clean[key] = parse_time(value).strftime("%H:%M") if value else None
        elif key == "pagu":
            # As typed (Forum baru, ``new --pagu``): "800 juta" as well as 800.000.000.
            clean[key] = (
                read_typed_rupiah(value, field="pagu", label="Pagu")
                if value not in (None, "")
                else 0
            )
        elif key == "tahun":
            clean[key] = _parse_year(value)
        elif key in LIST_LIMITS and not isinstance(value, list):
            raise ValidationError(key, f"{label_list(key)} harus berupa daftar.")
        elif key in LIST_LIMITS and len(value) > LIST_LIMITS[key]:
            raise ValidationError(key, f"{label_list(key)} paling banyak {LIST_LIMITS[key]} baris.")
        elif key == "materi":
            clean[key] = [
                clean_text(item, field=key, label="Materi", limit=500) for item in value if item
            ]
        elif key == "narasumber":
            clean[key] = [_clean_speaker(item) for item in value]
        elif key == "metode_prioritas":
            _require_choice(key, value, PRIORITY_METHODS, "Metode prioritas")
            clean[key] = value
        elif key == "metode_keputusan":
            _require_choice(key, value, DECISION_METHODS, "Metode keputusan")
            clean[key] = value
        elif key == "target_perempuan":
            clean[key] = _fraction(value, "Target keterwakilan perempuan")
        elif key == "kuorum":
            clean[key] = _clean_quorum(value)
        elif key == "tanpa_pagu":
            clean[key] = bool(value)
        elif key in STORED_AS_GIVEN:
            clean[key] = _as_the_check_accepts(key, value)
        else:
            raise ValidationError(key, f"Kolom forum '{key}' tidak dikenal.")
    return clean


def header_errors(fields: dict[str, Any]) -> list[ValidationError]:
    """Every bad field of a new forum's header at once (one error per field, in order), so
    a form shows them all instead of the first only."""
    errors = []
    for key, value in fields.items():
        try:
            if key == "tahun":
                _parse_year(value)
            else:
                validate_meta_changes({key: value}, {})
        except ValidationError as error:
            errors.append(error)
    return errors


def planning_year_question(tahun: int | str, tanggal: str | None) -> str:
    """The question to ask when the planning year does not follow the forum's date: a
    Musrenbang for the RKPD of year N is held in N-1. "" when they agree or one is unknown."""
    if not tanggal:
        return ""
    try:
        year, held = _parse_year(tahun), parse_date(tanggal).year
    except ValidationError:
        return ""
    if year == held + 1:
        return ""
    return (
        f"Forum diadakan tahun {held} untuk tahun perencanaan {year}. Musrenbang untuk RKPD "
        f"tahun N diadakan pada tahun N-1, jadi biasanya tahun perencanaannya {held + 1}."
    )


def _require_choice(key: str, value: Any, choices: dict[str, str], label: str) -> None:
    if value not in choices:
        options = ", ".join(choices)
        raise ValidationError(key, f"{label} '{value}' tidak dikenal (pilihan: {options}).")


def _fraction(value: Any, label: str) -> float:
    try:
        number = float(str(value).replace("%", "").replace(",", "."))
    except ValueError:
        raise ValidationError("target_perempuan", f"{label}: '{value}' bukan angka.") from None
    if number > 1:
        number /= 100
    if not 0 <= number <= 1:
        raise ValidationError("target_perempuan", f"{label} harus 0-100%.")
    return round(number, 4)


def _clean_speaker(item: dict[str, Any]) -> dict[str, str]:
    if not isinstance(item, dict):
        raise ValidationError("narasumber", "Narasumber harus berisi nama dan jabatan.")
    return {
        "nama": clean_text(
            item.get("nama", ""), field="narasumber", label="Narasumber", limit=200, required=True
        ),
        "jabatan": clean_text(
            item.get("jabatan", ""), field="narasumber", label="Jabatan", limit=200
        ),
    }


def _as_the_check_accepts(key: str, value: Any) -> Any:
    """``value`` when the forum check would accept it in the header's ``key``, judged by the
    check's own tables (kinds, closed lists, the rules' parts, control characters), so the
    two never disagree; else a ValidationError naming the field and what it should be.
    ``kantor_contoh`` must also have the shape kantor.json is read through."""
    from store.forum_schema import PARTS
    from store.forum_shape import FIELDS, REQUIRED_META, kind_of
    from store.forum_values import VALUES
    from store.office_schema import allowed_entries

    label = STORED_AS_GIVEN[key]
    kinds = FIELDS["meta"][key]
    if kind_of(value) not in kinds:
        raise ValidationError(
            key, f"{label}: harus {' atau '.join(kinds)}, bukan {kind_of(value)}."
        )
    if key in REQUIRED_META and not value:
        raise ValidationError(key, f"{label} wajib diisi.")
    is_good, wanted = VALUES["meta"].get(key, (lambda _: True, ""))
    wanted = "" if value in (None, "") or is_good(value) else wanted
    wanted = wanted or (
        PARTS["meta"][key](value) if key in PARTS["meta"] and value is not None else ""
    )
    if wanted:
        shown = "" if isinstance(value, dict) else f": '{str(value)[:40]}'"  # a rule: its name
        raise ValidationError(key, f"{label}{shown} tidak sah (seharusnya {wanted}).")
    if key == "kantor_contoh" and (dropped := allowed_entries(value)[1]):
        raise ValidationError(key, f"{label}: isian '{str(dropped[0])[:30]}' tidak sah.")
    if found := first_control(value):
        raise ValidationError(
            key, f"{label}: ada karakter kendali (U+{ord(found[1]):04X}) di '{found[0][:30]}'."
        )
    return value


def _clean_quorum(value: dict[str, Any]) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise ValidationError("kuorum", "Kuorum harus berisi aturan dan nilai.")
    rule = value.get("aturan", "tidak_ada")
    if rule not in QUORUM_RULES:
        raise ValidationError("kuorum", f"Aturan kuorum '{rule}' tidak dikenal.")
    try:
        number = float(value.get("nilai", 0) or 0)
    except (TypeError, ValueError):
        raise ValidationError("kuorum", "Nilai kuorum harus angka.") from None
    if number < 0:
        raise ValidationError("kuorum", "Nilai kuorum tidak boleh negatif.")
    if not number <= QUORUM_MAX[rule]:  # NaN and infinity too
        raise ValidationError("kuorum", f"Nilai kuorum paling besar {QUORUM_MAX[rule]:g}.")
    return {"aturan": rule, "nilai": number}
