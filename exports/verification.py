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

from exports import keys, register
from exports.canonical import VERIFICATION_STYLE, Canonical, canonical_of_stories, normalise
from exports.docx_allowlist import Stories, check_package
from exports.docx_package import DocxPackage, NotADocx, Unverifiable
from exports.page_marks import DRAFT_WORD, legacy_page_problem
from exports.qr_reading import PictureError, read_qr
from exports.record import SUMMARY_LABELS, Record, RecordError, find_code_line, parse_code

BLOCK_LABEL = "Kode verifikasi dokumen"
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
    """Check a .docx: nothing outside the allow-list, the QR picture's code valid and the
    same as its alt text, the text unchanged, the verification block and (old documents)
    the headers and footers holding only what we write."""
    path = Path(path)
    if not path.is_file():
        return VerificationResult(False, f"Berkas {path} tidak ditemukan.", bad_input=True)
    try:
        with DocxPackage(path) as pkg:
            stories = check_package(pkg, VERIFICATION_STYLE)
            code = _code_of(pkg, stories)
    except NotADocx as exc:
        return VerificationResult(False, str(exc), bad_input=True)
    except Unverifiable as exc:
        if not _may_hold_code(path):
            return _no_code(path)
        return VerificationResult(False, f"{UNVERIFIABLE}: {exc}.")
    if not code:
        return _no_code(path)
    result = verify_code(code)
    if result.record is None or (not result.ok and result.superseded_by is None):
        return result
    record = result.record
    canon = canonical_of_stories(stories.body, stories.sections, stories.style_names, record.scheme)
    problem = _content_problem(canon, record)
    if problem:
        result.ok = False
        result.reason = problem
    elif result.ok:
        result.reason = "SAH: isi dokumen sama dengan yang diterbitkan."
    return result


UNVERIFIABLE = "tidak dapat diverifikasi"


def _no_code(path: Path) -> VerificationResult:
    return VerificationResult(
        False, f"{path.name} tidak memuat kode verifikasi dokumen musrenbang."
    )


def _may_hold_code(path: Path) -> bool:
    """Whether the zip holds a picture or custom properties, where our code lives: a Word
    file with neither (any letter from elsewhere) is told it has no code rather than what
    in its layout differs from ours. Reads the central directory only."""
    try:
        with zipfile.ZipFile(path) as zf:
            names = zf.namelist()
    except (zipfile.BadZipFile, OSError, ValueError):
        return True
    return any(n.startswith("word/media/") or n == "docProps/custom.xml" for n in names)


def _code_of(pkg: DocxPackage, stories: Stories) -> str | None:
    """The code the QR picture holds (what a phone scans); its alt text, if it has one,
    must say the same. Without a picture: the custom property (older files)."""
    if stories.picture_part is None:
        return _code_line(_custom_property(pkg))
    try:
        scanned = read_qr(pkg.read(stories.picture_part))
    except PictureError as exc:
        raise Unverifiable(str(exc)) from exc
    if scanned is None:
        raise Unverifiable("gambar QR tidak dapat dibaca sebagai satu kode QR utuh")
    for description in stories.picture_descriptions:
        if description.strip() and _code_line(description) != _code_line(scanned):
            raise Unverifiable("keterangan gambar QR tidak sama dengan isi QR-nya")
    return scanned


def _code_line(text: str | None) -> str | None:
    if not text:
        return None
    try:
        plain, line = find_code_line(text)
    except RecordError:
        return normalise(text)
    return f"{normalise(plain or '')}\n{line}"


def _content_problem(canon: Canonical, record: Record) -> str | None:
    """Why the text read differs from what was signed, or None."""
    if canon.digest != record.digest:
        where = "badan dokumen" if record.scheme == 1 else "badan, kepala atau kaki halaman"
        return (
            f"Isi dokumen berubah sejak diterbitkan: ada kata atau angka di {where} yang "
            "tidak sama dengan yang ditandatangani."
        )
    extra = _extra_block_text(canon, record)
    if extra:
        return f"Blok kode verifikasi memuat teks tambahan: '{extra}'."
    if record.is_draft and DRAFT_WORD not in canon.block_lines:
        return f"{UNVERIFIABLE}: tanda DRAF di bawah QR hilang dari dokumen draf."
    if record.scheme == 1:
        return legacy_page_problem(canon, record)
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


def _custom_property(pkg: DocxPackage) -> str | None:
    """The code kept as a custom document property (fallback if the picture was lost)."""
    if "docProps/custom.xml" not in pkg.names:
        return None
    for prop in pkg.xml("docProps/custom.xml").iter(f"{{{_CUSTOM}}}property"):
        if prop.get("name") == CUSTOM_PROPERTY and len(prop):
            return prop[0].text
    return None
