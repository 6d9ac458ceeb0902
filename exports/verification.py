"""Signing a document's record and checking a document or a scanned code, offline.

A document is valid when its code's signature is good, the key is this office's own or one
trusted for the document's region, and the canonical text of the file hashes to the digest
in the code. Anything else fails with the reason, in Indonesian, for ``verify`` to print.
Checks run cheapest first; verify never imports python-docx, qrcode or Pillow (it must start
in well under half a second as a command).
"""

from __future__ import annotations

import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

from exports import keys, register
from exports.canonical import Canonical, canonical_of_file, normalise
from exports.record import SUMMARY_LABELS, Record, RecordError, find_code_line, parse_code

BLOCK_LABEL = "Kode verifikasi dokumen"
DRAFT_WORD = "DRAF"
KEY_LABEL = "Kunci"
CUSTOM_PROPERTY = "KodeVerifikasiMusrenbang"


@dataclass
class VerificationResult:
    """The verdict: ``ok``, why (Indonesian), and what was signed when it could be read."""

    ok: bool
    reason: str
    record: Record | None = None
    key_note: str = ""
    superseded_by: str | None = None
    notes: list[str] = field(default_factory=list)
    bad_input: bool = False  # no such file, or not a Word document at all

    def summary_lines(self) -> list[str]:
        """What the code says was issued, for printing under the verdict."""
        rec = self.record
        if rec is None:
            return []
        lines = [
            f"Dokumen   : {rec.subject}",
            f"Wilayah   : {rec.wilayah}",
            f"Tahun     : {rec.tahun}",
        ]
        if rec.nomor:
            lines.append(f"Nomor     : {rec.nomor}")
        if rec.tanggal:
            lines.append(f"Tanggal   : {_date_text(rec.tanggal)}")
        status = "DRAF (belum final)" if rec.is_draft else "final"
        lines.append(f"Status    : {status}")
        for key, (label, rupiah) in SUMMARY_LABELS.items():
            if key in rec.summary:
                value = rec.summary[key]
                lines.append(f"  {label:<24}: {_rupiah(value) if rupiah else value}")
        lines.append(f"Kode      : {rec.short_code}")
        lines.append(f"Kunci     : {keys.format_key_id(rec.key_id)} {self.key_note}".rstrip())
        lines.extend(self.notes)
        return lines


def key_line(key_id: str, *, wrap: bool = False) -> str:
    """``Kunci: 3F2A 9C01 77BE 4D10``: the issuing office's key as printed in the block, so
    whoever receives the paper can compare it with what ``import --trust`` shows.

    ``wrap`` puts the fingerprint on a line of its own (the block's 40 mm column would split
    it); the break reads as a space, so the canonical line is the same either way.
    """
    separator = "\n" if wrap else " "
    return f"{KEY_LABEL}:{separator}{keys.format_key_id(key_id)}"


def _date_text(iso: str) -> str:
    from datetime import date

    from store.formatting import format_date

    try:
        return format_date(date.fromisoformat(iso))
    except ValueError:
        return iso


def _rupiah(amount: int) -> str:
    from store.formatting import format_rupiah

    return format_rupiah(amount)


# --------------------------------------------------------------------------- signing


def sign(record: Record, passphrase: str | None = None) -> Record:
    """The record signed with this office's private key (whose id it must carry)."""
    private = keys.private_key(passphrase)
    if keys.key_id(private.public_key()) != record.key_id:
        raise keys.KeyProblem("Kunci privat tidak cocok dengan kunci publik kantor.")
    return record.with_signature(private.sign(record.signed_message()))


# --------------------------------------------------------------------------- checking a code


def verify_code(text: str) -> VerificationResult:
    """Check the text of a scanned QR (or only its ``MSR1:`` line)."""
    try:
        plain, line = find_code_line(text)
        record = parse_code(line)
    except RecordError as exc:
        return VerificationResult(False, str(exc))
    known = keys.known_key(record.key_id, record.wilayah)
    if known is None:
        return VerificationResult(
            False,
            f"Kunci penerbit {keys.format_key_id(record.key_id)} tidak dikenal: bukan kunci "
            f"kantor ini dan tidak dipercaya untuk wilayah {record.wilayah} "
            "(lihat `musrenbang keys trust`).",
            record,
        )
    public, note = known
    if not keys.verify_signature(public, record.signature, record.signed_message()):
        return VerificationResult(
            False,
            "Kode tidak sah: isinya tidak cocok dengan tanda tangan digitalnya "
            "(dipalsukan atau diubah).",
            record,
            f"({note})",
        )
    result = VerificationResult(True, "Kode sah.", record, f"({note})")
    if plain is not None and normalise(plain) != normalise(record.plain_line()):
        result.ok = False
        result.reason = (
            "Baris pertama QR tidak sesuai dengan isi yang ditandatangani: "
            f"tertulis '{plain}', seharusnya '{record.plain_line()}'."
        )
        return result
    _check_register(result)
    return result


def _check_register(result: VerificationResult) -> None:
    """Flag a document this office's register knows was replaced."""
    entry = register.lookup(result.record.doc_id)
    if entry is None:
        result.notes.append("Catatan   : dokumen ini tidak ada di register kantor ini.")
        return
    if entry.get("status") == "diganti":
        result.ok = False
        result.superseded_by = entry.get("diganti_oleh") or ""
        newer = f" oleh dokumen {result.superseded_by}" if result.superseded_by else ""
        result.reason = (
            f"Dokumen sudah diganti{newer} (perubahan setelah diterbitkan): gunakan versi terbaru."
        )


# --------------------------------------------------------------------------- checking a file


def verify_docx(path: Path) -> VerificationResult:
    """Check a .docx: code present and valid, text unchanged, nothing added to the block."""
    path = Path(path)
    if not path.is_file():
        return VerificationResult(False, f"Berkas {path} tidak ditemukan.", bad_input=True)
    try:
        canon = canonical_of_file(path)
    except ValueError as exc:
        return VerificationResult(False, str(exc), bad_input=True)
    code = _code_in(canon) or _custom_property(path)
    if not code:
        return VerificationResult(
            False, f"{path.name} tidak memuat kode verifikasi dokumen musrenbang."
        )
    result = verify_code(code)
    if result.record is None or (not result.ok and result.superseded_by is None):
        return result
    record = result.record
    if canon.digest != record.digest:
        result.ok = False
        result.reason = (
            "Isi dokumen berubah sejak diterbitkan: ada kata atau angka di badan dokumen yang "
            "tidak sama dengan yang ditandatangani."
        )
        return result
    extra = _extra_block_text(canon, record)
    if extra:
        result.ok = False
        result.reason = f"Blok kode verifikasi memuat teks tambahan: '{extra}'."
        return result
    if result.ok:
        result.reason = "SAH: isi dokumen sama dengan yang diterbitkan."
    return result


def _code_in(canon: Canonical) -> str | None:
    """The QR text kept as the QR picture's description (alt text) in the block."""
    for description in canon.block_descriptions:
        if "MSR" in description:
            return description
    return None


def _extra_block_text(canon: Canonical, record: Record) -> str | None:
    """Text in the verification block other than the label, the ID line, the line with the
    key that signed this very code, and DRAF (drafts only)."""
    allowed = {
        "",
        BLOCK_LABEL,
        record.short_code,
        key_line(record.key_id),
        DRAFT_WORD if record.is_draft else "",
    }
    for line in canon.block_lines:
        if line not in allowed:
            return line
    return None


_CUSTOM = "http://schemas.openxmlformats.org/officeDocument/2006/custom-properties"


def _custom_property(path: Path) -> str | None:
    """The code kept as a custom document property (fallback if the picture was lost)."""
    try:
        with zipfile.ZipFile(path) as zf:
            if "docProps/custom.xml" not in zf.namelist():
                return None
            root = etree.fromstring(zf.read("docProps/custom.xml"))
    except (zipfile.BadZipFile, OSError, etree.XMLSyntaxError):
        return None
    for prop in root.iter(f"{{{_CUSTOM}}}property"):
        if prop.get("name") == CUSTOM_PROPERTY and len(prop):
            return prop[0].text
    return None
