"""The Persiapan form's text as header changes, and back: pure, so the rules are tested
without a screen.

Every field is checked before anything is saved, so the operator sees every error at once
(``errors`` maps field to message) and a form with one bad field saves nothing.
"""

from __future__ import annotations

from typing import Any

from store.attendance import UTUSAN_REQUIRED, utusan_to
from store.formatting import format_rupiah
from store.meta import validate_meta_changes
from store.typed_numbers import read_typed_rupiah
from store.validation import ValidationError

SEPARATOR = "|"


def form_values(meta: dict[str, Any]) -> dict[str, Any]:
    """The form's fields from the header: texts as typed, the pagu as Rp1.500.000."""
    return {
        "nomor_surat": meta.get("nomor_surat") or "",
        "pagu": format_rupiah(meta["pagu"]) if meta.get("pagu") else "",
        "tanpa_pagu": bool(meta.get("tanpa_pagu")),
        "materi": "\n".join(meta.get("materi") or []),
        "narasumber": "\n".join(
            f"{n['nama']} {SEPARATOR} {n['jabatan']}" if n.get("jabatan") else n["nama"]
            for n in meta.get("narasumber") or []
        ),
    }


def parse_speakers(text: str) -> list[dict[str, str]]:
    """One narasumber per line, "Nama | Jabatan" (the jabatan may be left out)."""
    speakers = []
    for line in text.splitlines():
        if not line.strip():
            continue
        nama, _, jabatan = line.partition(SEPARATOR)
        speakers.append({"nama": nama.strip(), "jabatan": jabatan.strip()})
    return speakers


def form_changes(
    values: dict[str, Any], meta: dict[str, Any]
) -> tuple[dict[str, Any], dict[str, str]]:
    """(changes to save, errors per field). Changes are only the fields that differ."""
    errors: dict[str, str] = {}
    candidate: dict[str, Any] = {
        "nomor_surat": str(values.get("nomor_surat") or "").strip(),
        "tanpa_pagu": bool(values.get("tanpa_pagu")),
        "materi": [
            line.strip() for line in str(values.get("materi") or "").splitlines() if line.strip()
        ],
        "narasumber": parse_speakers(str(values.get("narasumber") or "")),
    }
    try:
        candidate["pagu"] = read_typed_rupiah(
            str(values.get("pagu") or ""), field="pagu", label="Pagu", required=False
        )
    except ValidationError as error:
        errors["pagu"] = error.message
    if candidate["tanpa_pagu"] and candidate.get("pagu"):
        errors["pagu"] = "Pagu diisi, padahal forum dinyatakan tanpa pagu: pilih salah satu."
    clean: dict[str, Any] = {}
    for key, value in candidate.items():
        try:
            clean.update(validate_meta_changes({key: value}, meta))
        except ValidationError as error:
            errors.setdefault(key, error.message)
    changes = {key: value for key, value in clean.items() if meta.get(key) != value}
    return (changes if not errors else {}), errors


def utusan_heading(level: str | None, limit: int) -> str:
    """The utusan list's heading: where this forum's utusan go and how many, as readiness
    counts them (a desa forum sends to the kecamatan, a kecamatan forum to the Kabupaten)."""
    needed = UTUSAN_REQUIRED.get(level or "kecamatan", 1)
    count = f"{needed} orang" if needed == limit else f"{needed} sampai {limit} orang"
    return f"Utusan ke {utusan_to(level)} ({count}, dari peserta hadir)"


def utusan_picker_title(level: str | None) -> str:
    """The picker names what is chosen; it offers only who is present and not yet chosen."""
    return f"Pilih utusan ke {utusan_to(level)} (hadir, belum dipilih)"


def suggested_jabatan(person: dict[str, Any]) -> str:
    """The title an utusan carries on the surat mandat, from their attendance record:
    jabatan, then lembaga, then desa, each only when it adds words (``Ketua`` + ``BPD`` +
    ``Japan`` -> ``Ketua BPD Japan``; ``Kepala Desa`` + ``Japan`` + ``Japan`` -> ``Kepala
    Desa Japan``). "" when the record names none of them."""
    words: list[str] = []
    for part in (person.get("jabatan"), person.get("lembaga"), person.get("desa")):
        text = " ".join(str(part or "").split())
        if text and text.casefold() not in " ".join(words).casefold():
            words.append(text)
    return " ".join(words)
