"""Applying import files to a forum: each file whole or not at all.

Parsing and row validation are pure (``store.import_files``); this module adds what only a
forum can check (the desa belongs to this forum's region) and then writes every row of a
file in one durable batch. Likely duplicates are added, flagged and counted, never dropped.
"""

from __future__ import annotations

import dataclasses
import zipfile
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from store.collector import collector_paused
from store.forum import Forum, open_forum
from store.import_files import COLUMNS_ROW, ImportResult, parse_import
from store.import_header import COLUMNS_FIELD
from store.import_memory import recalled_columns
from store.import_people import ALREADY, PeopleRegistry, sort_people
from store.shown_text import MESSAGE, shown
from store.validation import ValidationError

#: Signed desa bundles: imported by ``tui.cli.sop_verbs`` (signature and trust checks), not here.
BUNDLE_SUFFIXES = (".zip", ".musrenbang-bundle")

PROGRESS_EVERY = 25
COLUMNS_HINT = 'Petakan kolom dengan --kolom "Judul=kolom", atau abaikan dengan --kolom "Judul=-".'
_BUNDLE_MEMBER = "bundle.json"  # exports.bundle.BUNDLE_JSON; store may not import exports


def is_bundle(file: Path) -> bool:
    """A signed desa bundle, by its suffix or else by its content (a zip holding
    ``bundle.json``), so ``--out NAME.bundle`` or any other name imports as a bundle."""
    if file.suffix.lower() in BUNDLE_SUFFIXES:
        return True
    if file.suffix.lower() in (".xlsx", ".xlsm", ".ods", ".csv", ".xls"):
        return False
    try:
        with zipfile.ZipFile(file) as archive:
            return _BUNDLE_MEMBER in archive.namelist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        return False


@dataclass
class ImportReport:
    """What happened to one file; ``ok`` False means nothing of it was added."""

    file: Path
    kind: str = ""
    added: int = 0
    duplicates: int = 0
    warnings: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    header: str = ""
    mapping: list[str] = field(default_factory=list)
    recalled: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    needs_mapping: bool = False
    #: Rows not added because the person is already registered (``store.import_people``)
    already: list[str] = field(default_factory=list)
    #: Likely duplicates, added and flagged
    likely: list[str] = field(default_factory=list)
    #: A good file of a multi-file import that was not added because another was refused
    held_back: bool = False

    @property
    def ok(self) -> bool:
        return not self.errors

    def counts(self) -> str:
        """``"3 baru, 2 sudah terdaftar, 1 mirip"``: what an added file did, short enough
        for a status line at 80 columns (``describe`` has the rows)."""
        parts = [f"{self.added} baru"]
        if self.already:
            parts.append(f"{len(self.already)} {ALREADY}")
        if self.duplicates:
            parts.append(f"{self.duplicates} mirip")
        return ", ".join(parts)

    def describe(self) -> str:
        """The report in Indonesian, one line per problem."""
        what = {"usulan": "usulan", "peserta": "peserta"}.get(self.kind, "baris")
        if not self.ok:
            lines = [
                f"{shown(self.file.name, MESSAGE)}: DITOLAK, tidak ada yang ditambahkan "
                f"({len(self.errors)} kesalahan):"
            ]
            lines += [f"  {error}" for error in self.errors]
            if self.needs_mapping:
                lines.append(f"  {COLUMNS_HINT}")
        elif self.held_back:
            lines = [
                f"{shown(self.file.name, MESSAGE)}: tidak ada kesalahan, tetapi TIDAK "
                "ditambahkan karena berkas lain dalam perintah ini ditolak (semua atau tidak "
                "sama sekali); perbaiki berkas itu lalu impor lagi semuanya."
            ]
        else:
            duplicate_note = (
                f", {self.duplicates} kemungkinan duplikat ditandai" if self.duplicates else ""
            )
            already_note = (
                f", {len(self.already)} {ALREADY} (tidak ditambahkan)" if self.already else ""
            )
            lines = [
                f"{shown(self.file.name, MESSAGE)}: {self.added} {what} "
                f"ditambahkan{duplicate_note}{already_note}."
            ]
        if self.header:
            lines.append(f"  Judul kolom di {self.header}: " + "; ".join(self.mapping))
        if self.recalled:
            lines.append(
                "  Pemetaan tersimpan dipakai: "
                + "; ".join(self.recalled)
                + ' (ubah dengan --kolom "Judul=kolom")'
            )
        lines += [f"  Dilewati: {line}" for line in self.skipped]
        lines += [f"  Tidak ditambahkan: {line}" for line in self.already]
        lines += [f"  Ditandai: {line}" for line in self.likely]
        lines += [f"  Peringatan: {warning}" for warning in self.warnings]
        return "\n".join(lines)


def import_files(
    path: Path,
    files: list[Path],
    *,
    operator: str | None = None,
    columns: Mapping[str, str | None] | None = None,
) -> list[ImportReport]:
    """``musrenbang import PATH FILE... [--kolom "Judul=kolom"]``: all the files or none.

    Every file is read and checked first; only when none is refused are they added, in the
    order given, in one durable batch. Otherwise nothing is added: each refused file's
    report has its errors, each good one is marked ``held_back``. ``columns`` are mappings
    fixed by hand."""
    with open_forum(path, operator=operator) as forum:
        parsed = [(file, parse_file(forum, file, columns)) for file in files]
        refused = [report for _, report in parsed if isinstance(report, ImportReport)]
        if refused:
            return [
                outcome
                if isinstance(outcome, ImportReport)
                else dataclasses.replace(_checked_report(outcome, file), held_back=True)
                for file, outcome in parsed
            ]
        registry = PeopleRegistry.of(forum.participants.index().people)
        with forum.batch():
            return [
                import_records(forum, result, file, registry=registry)
                for file, result in parsed
                if isinstance(result, ImportResult)
            ]


def parse_file(
    forum: Forum, file: Path, columns: Mapping[str, str | None] | None = None
) -> ImportResult | ImportReport:
    """The checked rows of one file, or the report refusing it (nothing is written)."""
    try:
        result = parse_import(
            file,
            wilayah_kode=forum.meta["wilayah_kode"],
            columns=columns,
            recall=recalled_columns,
            tahun=forum.meta.get("tahun"),
        )
    except ValidationError as error:
        return ImportReport(
            file, errors=[error.message], needs_mapping=error.field == COLUMNS_FIELD
        )
    except OSError as error:
        return ImportReport(file, errors=[f"Berkas tidak dapat dibaca: {error.strerror}."])
    report = _checked_report(result, file)
    return report if report.errors else result


def import_file(
    forum: Forum, file: Path, columns: Mapping[str, str | None] | None = None
) -> ImportReport:
    """Parse, check against the forum, and add one file's rows in a single save."""
    parsed = parse_file(forum, file, columns)
    if isinstance(parsed, ImportReport):
        return parsed
    return import_records(forum, parsed, file)


def _checked_report(result: ImportResult, file: Path) -> ImportReport:
    """The report of a parsed file before anything is added: mapping, skipped rows, errors."""
    report = ImportReport(file, kind=result.kind, warnings=list(result.warnings))
    if result.header is not None:
        report.header = result.header.rows_text
        report.mapping = result.mapping_lines()
        report.recalled = result.recalled_lines()
        report.skipped = result.skipped_lines()
    report.errors = [e.message for e in result.errors]
    report.needs_mapping = any(e.row == COLUMNS_ROW for e in result.errors)
    return report


def import_records(
    forum: Forum,
    result: ImportResult,
    file: Path,
    progress: Callable[[int, int], None] | None = None,
    *,
    registry: PeopleRegistry | None = None,
) -> ImportReport:
    """Add an already parsed file (the app's import preview calls this after the user agrees).

    ``progress(done, total)`` is called every ``PROGRESS_EVERY`` rows and at the end, for
    the app's progress bar. Participants already registered (same NIK in ``registry``,
    by default the forum's people, or earlier in the file) are not added again.
    """
    report = _checked_report(result, file)
    if report.errors:
        return report
    if result.kind == "usulan":
        prepared = forum.proposals.complete_all(result.records)
    else:
        if registry is None:
            registry = PeopleRegistry.of(forum.participants.index().people)
        people = sort_people(result.records, result.rows, registry)
        prepared = people.records
        report.already, report.likely = people.already, people.likely
        report.duplicates = len(people.likely)

    def every_few_rows(done: int, total: int) -> None:
        if progress and (done % PROGRESS_EVERY == 0 or done == total):
            progress(done, total)

    with collector_paused():
        if result.kind == "usulan":
            added = forum.proposals.add_all(prepared, every_few_rows)
            report.duplicates = sum(bool(warnings) for _, warnings in added)
        else:
            with forum.batch():
                for done, record in enumerate(prepared, start=1):
                    forum.participants.add_validated(record)
                    every_few_rows(done, len(prepared))
    report.added = len(prepared)
    return report
