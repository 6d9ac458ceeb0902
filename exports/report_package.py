"""The report to the Kabupaten (SOP step 7): one folder, or one zip, holding

- ``surat-pengantar.docx``: the cover letter, its number taken from the outgoing-letter
  agenda book (the same number again when the package is written again);
- ``rekap.docx``: the recap, signed off (the Sekcam's paraf, then the Camat's signature);
- ``bundel-<kode>-<tahun>.zip``: the kecamatan's own signed bundle, in the same format as
  the desa bundles (``exports.bundle``), which any tool checks with the kecamatan's public
  key.

Only a kecamatan forum that is *ditandatangani* is reported: the SOP sends the recap signed
by the Camat. The step is written into the planning year (``store.planning_year``).
"""

from __future__ import annotations

import zipfile
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from exports.bundle import write_bundle
from exports.documents.context import DocContext
from exports.documents.surat_pengantar import addressee
from exports.export_all import ExportError, export_document
from store import agenda_book
from store.planning_year import PlanningYear
from store.storage_io import replace, temp_path_for

DOCUMENTS = ("surat-pengantar", "rekap")


@dataclass
class ReportPackage:
    """What was written: the folder, its files, the zip if asked, the letter's number."""

    folder: Path
    files: list[Path] = field(default_factory=list)
    nomor_pengantar: str = ""
    archive: Path | None = None


def write_report_package(
    forum: Any,
    out: Path,
    *,
    passphrase: str | None = None,
    archive: bool = False,
    tanggal: date | None = None,
) -> ReportPackage:
    """Write the package into folder ``out`` (and ``out.zip`` too when ``archive``)."""
    meta = forum.meta
    if meta.get("level") != "kecamatan":
        raise ExportError("Paket laporan ke Kabupaten dibuat dari forum kecamatan.")
    if forum.status != "ditandatangani":  # the sign-off itself keeps paraf before signature
        raise ExportError(
            "Rekap belum lengkap diparaf Sekcam dan ditandatangani Camat: paket laporan belum "
            "dapat dibuat."
        )
    folder = Path(out)
    folder.mkdir(parents=True, exist_ok=True)
    ctx = DocContext(forum)
    # The letter is dated as it prints (the forum's day), not the day the package is made.
    letter = _number_letter(forum, ctx, tanggal or ctx.tanggal or forum.clock().date())
    package = ReportPackage(folder, nomor_pengantar=letter["nomor"])
    for kind in DOCUMENTS:
        package.files += export_document(
            forum, kind, folder / f"{kind}.docx", passphrase=passphrase
        )
    package.files.append(write_bundle(forum, folder, passphrase=passphrase))
    with agenda_book.book_of(forum):
        agenda_book.edit_entry(letter["id"], berkas=str(package.files[0].resolve()))
    if archive:
        package.archive = _zip(folder, package.files)
    year = PlanningYear.of_forum(forum)
    year.set_forum(forum.path)
    year.mark(7, selesai=forum.clock(), keluaran=f"Paket laporan: {package.archive or folder}")
    return package


def _number_letter(forum: Any, ctx: DocContext, tanggal: date) -> dict[str, Any]:
    with agenda_book.book_of(forum):
        return _book_letter(forum, ctx, tanggal)


def _book_letter(forum: Any, ctx: DocContext, tanggal: date) -> dict[str, Any]:
    meta = forum.meta
    found = agenda_book.forum_letter(forum, "surat-pengantar")
    if found is not None:
        agenda_book.claim(found["id"], agenda_book.forum_key(meta))
        return found
    return agenda_book.number_outgoing(
        tanggal=tanggal,
        pihak=addressee(ctx)[0],
        perihal=f"Penyampaian Hasil {ctx.forum_name}",
        jenis="surat-pengantar",
        tahun_perencanaan=int(meta["tahun"]),
        wilayah=meta["wilayah_kode"],
        operator=getattr(forum, "operator", None),
        forum_id=agenda_book.forum_key(meta),
    )


def _zip(folder: Path, files: list[Path]) -> Path:
    target = folder.with_name(folder.name + ".zip")
    tmp = temp_path_for(target)
    try:
        with zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as zf:
            for path in files:
                zf.write(path, f"{folder.name}/{path.name}")
        replace(tmp, target)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return target
