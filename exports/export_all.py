"""One entry point for every export: a document kind, a format, a destination.

Used by the ``export`` command and the app's Ekspor screen alike, so both write the same
files, sign them the same way and record them in the same registers.
"""

from __future__ import annotations

import importlib
from pathlib import Path
from typing import Any

from exports.oserrors import reason

DOC_KINDS = ("berita-acara", "daftar-hadir", "notulen", "rekap", "surat-pengantar", "surat-mandat")
TABLE_KINDS = ("daftar-hadir", "notulen", "rekap")
FORMATS = ("docx", "xlsx", "csv")
_MODULES = {kind: kind.replace("-", "_") for kind in DOC_KINDS}


class ExportError(Exception):
    """Bad input for an export (Indonesian message; the command exits 2)."""


def export_document(
    forum: Any,
    kind: str,
    out: Path,
    fmt: str = "docx",
    blanko: bool = False,
    *,
    passphrase: str | None = None,
    group_by: str | None = None,
) -> list[Path]:
    """Write document ``kind`` of ``forum`` to ``out``; returns the files written.

    ``kind="all"``: ``out`` is a folder that receives ``<kind>.<fmt>`` for each document
    (the three table documents for xlsx/csv). ``out`` may also be a folder for one kind.
    ``group_by`` (rekap): ``sektor``, ``bidang`` or ``desa``; default by the forum's level.
    """
    out = Path(out)
    if kind == "bundle":
        raise ExportError("Ekspor bundle belum tersedia di versi ini.")
    if fmt not in FORMATS:
        raise ExportError(f"Format '{fmt}' tidak dikenal: pilih {', '.join(FORMATS)}.")
    if kind != "all" and kind not in DOC_KINDS:
        choices = ", ".join((*DOC_KINDS, "all"))
        raise ExportError(f"Jenis dokumen '{kind}' tidak dikenal: pilih {choices}.")
    if blanko and kind != "daftar-hadir":
        raise ExportError("--blanko hanya berlaku untuk daftar-hadir.")
    if fmt != "docx" and kind not in (*TABLE_KINDS, "all"):
        raise ExportError(
            f"{kind} hanya tersedia sebagai docx; xlsx/csv untuk {', '.join(TABLE_KINDS)}."
        )
    kinds = [kind] if kind != "all" else list(DOC_KINDS if fmt == "docx" else TABLE_KINDS)
    folder = out if kind == "all" or out.is_dir() else None
    if folder is not None:
        _make_dir(folder)
    elif not out.parent.exists():
        raise ExportError(f"Folder {out.parent} tidak ada.")

    from exports.documents.context import DocContext

    ctx = DocContext(forum, blanko=blanko)
    written = []
    for one in kinds:
        target = folder / f"{one}.{fmt}" if folder is not None else _with_suffix(out, fmt)
        try:
            _write(ctx, one, target, fmt, passphrase=passphrase, group_by=group_by)
        except OSError as exc:
            raise ExportError(f"Tidak dapat menulis {target}: {reason(exc)}.") from exc
        written.append(target)
    return written


def _write(ctx, kind: str, target: Path, fmt: str, *, passphrase, group_by) -> None:
    module = importlib.import_module(f"exports.documents.{_MODULES[kind]}")
    options = {"group_by": group_by} if kind == "rekap" and group_by else {}
    if fmt == "docx":
        from exports.issuing import issue

        issue(module.build(ctx, **options), ctx, target, passphrase=passphrase)
        return
    from exports import spreadsheet

    sheet = module.sheet(ctx, **options)
    spreadsheet.write(sheet, target, fmt)


def _make_dir(folder: Path) -> None:
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ExportError(f"Folder {folder} tidak dapat dibuat: {reason(exc)}.") from exc


def _with_suffix(path: Path, fmt: str) -> Path:
    return path if path.suffix.lower() == f".{fmt}" else path.with_name(f"{path.name}.{fmt}")
