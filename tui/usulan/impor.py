"""Importing proposals from a .csv/.xlsx file: preview and error report first, then all or
nothing (ARCHITECTURE.md section 4).

Step 1: pick a file (type a path, with completion, or choose one found nearby). Step 2: the
file is read and checked in a worker thread (a progress bar moves): every row error is
listed as ``baris N: ...`` and every likely duplicate is marked, before anything is added.
Step 3: only a file without errors can be added, all rows in one save (``forum.batch()`` in
``store.importer.import_records``); likely duplicates are added, flagged and counted.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, ClassVar

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.suggester import Suggester
from textual.widgets import DataTable, Input, Label, OptionList, ProgressBar, Static
from textual.widgets.option_list import Option

from store.formatting import format_rupiah
from store.forum import Forum
from store.import_files import ImportResult, RowError, parse_import
from store.importer import ImportReport, import_records
from store.sectors import SECTORS
from store.validation import ValidationError
from tui.usulan.view import funding_text
from tui.widgets.dialogs import Dialog, ReasonDialog

SUFFIXES = (".csv", ".xlsx")
NEARBY_LIMIT = 12
PROGRESS_EVERY = 25


class PathSuggester(Suggester):
    """Completes a typed path with the first matching folder or .csv/.xlsx file."""

    def __init__(self) -> None:
        super().__init__(use_cache=False, case_sensitive=True)

    async def get_suggestion(self, value: str) -> str | None:
        if not value:
            return None
        typed = Path(value).expanduser()
        folder, prefix = (
            (typed, "") if value.endswith(("/", os.sep)) else (typed.parent, typed.name)
        )
        try:
            names = sorted(os.listdir(folder))
        except OSError:
            return None
        for name in names:
            candidate = folder / name
            if (
                name.startswith(prefix)
                and not name.startswith(".")
                and (candidate.is_dir() or candidate.suffix.lower() in SUFFIXES)
            ):
                shown = value + name[len(prefix) :]
                return shown + os.sep if candidate.is_dir() else shown
        return None


def nearby_files(forum_path: Path) -> list[Path]:
    """Import files the user probably means: beside the forum, in the working folder and its
    tests/data (the demo's sample files), in Downloads and Documents."""
    home = Path.home()
    folders = [
        forum_path.parent,
        Path.cwd(),
        Path.cwd() / "tests" / "data",
        home / "Downloads",
        home / "Documents",
    ]
    found: list[Path] = []
    for folder in dict.fromkeys(f.resolve() for f in folders):
        try:
            entries = sorted(folder.iterdir())
        except OSError:
            continue
        found += [p for p in entries if p.suffix.lower() in SUFFIXES and p.is_file()]
    found.sort(key=lambda p: "usulan" not in p.name.casefold())  # proposal files first
    return found[:NEARBY_LIMIT]


@dataclass(frozen=True)
class PreviewRow:
    """One row as it would be added, and what it probably repeats."""

    row: int
    record: dict[str, Any]
    duplicate_of: str  # "#12" (a saved proposal), "baris 5" (earlier in the file), or ""


@dataclass(frozen=True)
class Preview:
    """A checked file: ready rows, or the errors that stop it."""

    path: Path
    result: ImportResult
    rows: list[PreviewRow]
    errors: list[str]

    @property
    def duplicates(self) -> int:
        return sum(1 for r in self.rows if r.duplicate_of)


class UsulanImport(Dialog[ImportReport]):
    """Dismisses with the ImportReport once rows were added, None when cancelled."""

    DEFAULT_CSS = """
    UsulanImport > #dialog { height: 90%; max-width: 120; }
    UsulanImport #berkas-dekat { height: auto; max-height: 10; }
    UsulanImport #impor-progres { display: none; }
    UsulanImport #impor-ringkas { height: auto; text-style: bold; }
    UsulanImport #impor-galat-box { height: auto; max-height: 7; display: none; }
    UsulanImport #impor-galat { color: $error; }
    UsulanImport #impor-pratinjau { height: 1fr; display: none; }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "tambahkan", "Tambahkan semua"),
        Binding("escape", "batal", "Batal"),
    ]

    def __init__(self, forum: Forum) -> None:
        super().__init__("Impor usulan dari CSV/XLSX")
        self.forum = forum
        self.preview: Preview | None = None
        self.busy = False

    def body(self) -> ComposeResult:
        yield Label("Berkas (ketik jalurnya lalu Enter, atau pilih di bawah):")
        yield Input(
            placeholder="mis. tests/data/usulan-contoh.csv", id="berkas", suggester=PathSuggester()
        )
        yield OptionList(id="berkas-dekat")
        yield ProgressBar(id="impor-progres", show_eta=False)
        yield Static("", id="impor-ringkas", markup=False)
        with VerticalScroll(id="impor-galat-box"):
            yield Static("", id="impor-galat", markup=False)
        yield DataTable(id="impor-pratinjau", cursor_type="row", zebra_stripes=True)

    def on_mount(self) -> None:
        options = self.query_one("#berkas-dekat", OptionList)
        for path in nearby_files(self.forum.path):
            options.add_option(Option(_short(path), id=str(path)))
        options.display = options.option_count > 0
        table = self.query_one("#impor-pratinjau", DataTable)
        table.add_columns("Baris", "Mirip", "Desa", "Kegiatan", "Biaya", "Sumber dana")
        self.query_one("#berkas", Input).focus()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "tambahkan":
            # Shown greyed out until a file without errors has been previewed.
            ready = self.preview is not None and not self.preview.errors and not self.busy
            return True if ready else None
        return True

    # -- step 1: the file ------------------------------------------------------------------
    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        path = str(event.option.id)
        self.query_one("#berkas", Input).value = path
        self.load(Path(path))

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        text = event.value.strip()
        if not text:
            self._summary("Tulis jalur berkas .csv atau .xlsx.")
            return
        self.load(Path(text).expanduser())

    def load(self, path: Path) -> None:
        """Read and check ``path`` in a worker; the preview replaces any earlier one."""
        self.preview = None
        self.busy = True
        self.refresh_bindings()
        self._summary(f"Membaca {path.name} ...")
        self._show_errors([])
        self.query_one("#impor-pratinjau", DataTable).display = False
        self._progress(total=None)
        self._check(path)

    # -- step 2: the preview ---------------------------------------------------------------
    @work(thread=True, exclusive=True, group="impor", exit_on_error=False)
    def _check(self, path: Path) -> None:
        try:
            preview = build_preview(self.forum, path, self._tick)
        except ValidationError as error:
            self.app.call_from_thread(self._failed, error.message)
            return
        except OSError as error:
            self.app.call_from_thread(
                self._failed, f"{path.name}: tidak dapat dibaca ({error.strerror})."
            )
            return
        self.app.call_from_thread(self._show_preview, preview)

    def _tick(self, done: int, total: int) -> None:
        self.app.call_from_thread(self._progress, total=total, progress=done)

    def _progress(self, **update: Any) -> None:
        if not self.is_attached:
            return
        bar = self.query_one("#impor-progres", ProgressBar)
        bar.display = True
        bar.update(**update)

    def _failed(self, message: str) -> None:
        self.busy = False
        if not self.is_attached:
            return
        self.query_one("#impor-progres", ProgressBar).display = False
        self._summary(f"DITOLAK: {message} Tidak ada yang ditambahkan.")
        self.refresh_bindings()

    def _show_preview(self, preview: Preview) -> None:
        self.busy = False
        if not self.is_attached:
            return
        self.preview = preview
        self.query_one("#impor-progres", ProgressBar).display = False
        self.query_one("#berkas-dekat", OptionList).display = False
        name = preview.path.name
        if preview.errors:
            self._summary(
                f"{name}: {len(preview.errors)} kesalahan. Berkas ditolak seluruhnya, tidak "
                "ada yang ditambahkan; perbaiki baris berikut lalu impor lagi."
            )
        else:
            dup = (
                (f", {preview.duplicates} kemungkinan duplikat (tetap ditambahkan dan ditandai)")
                if preview.duplicates
                else ""
            )
            self._summary(
                f"{name}: {len(preview.rows)} usulan siap ditambahkan{dup}. "
                "ctrl+s: tambahkan semua."
            )
        self._show_errors(preview.errors + [f"Peringatan: {w}" for w in preview.result.warnings])
        table = self.query_one("#impor-pratinjau", DataTable)
        table.clear()
        for row in preview.rows:
            rec = row.record
            table.add_row(
                str(row.row),
                row.duplicate_of or "-",
                rec.get("desa") or "-",
                rec.get("kegiatan", ""),
                format_rupiah(rec.get("biaya") or 0),
                funding_text(rec),
            )
        table.display = bool(preview.rows)
        self.refresh_bindings()

    def _summary(self, text: str) -> None:
        self.query_one("#impor-ringkas", Static).update(text)

    def _show_errors(self, lines: list[str]) -> None:
        self.query_one("#impor-galat", Static).update("\n".join(lines))
        self.query_one("#impor-galat-box").display = bool(lines)

    # -- step 3: adding ---------------------------------------------------------------------
    def action_tambahkan(self) -> None:
        preview = self.preview
        if preview is None or preview.errors or self.busy:
            return
        if self.forum.status == "draf":
            self._add(preview, None)
            return
        prompt = (
            f"Forum sudah {self.forum.status}: impor dicatat sebagai amandemen. "
            "Tulis alasan perubahan."
        )

        def with_reason(reason: str | None) -> None:
            if reason:
                self._add(preview, reason)

        self.app.push_screen(ReasonDialog("Amandemen forum", prompt), with_reason)

    def _add(self, preview: Preview, reason: str | None) -> None:
        self.busy = True
        self.refresh_bindings()
        self._summary(f"Menambahkan {len(preview.rows)} usulan ...")
        self._progress(total=None)
        self._write(preview, reason)

    @work(thread=True, exclusive=True, group="impor", exit_on_error=False)
    def _write(self, preview: Preview, reason: str | None) -> None:
        try:
            if reason:
                with self.forum.amendment(reason):
                    report = import_records(self.forum, preview.result, preview.path)
            else:
                report = import_records(self.forum, preview.result, preview.path)
        except ValidationError as error:
            self.app.call_from_thread(self._failed, error.message)
            return
        self.app.call_from_thread(self._finished, report)

    def _finished(self, report: ImportReport) -> None:
        if not report.ok:
            self._failed(" ".join(report.errors))
            return
        self.dismiss(report)

    def action_batal(self) -> None:
        if self.busy and self.preview is not None:
            self.notify("Impor sedang berjalan; tunggu sampai selesai.", severity="warning")
            return
        self.dismiss(None)


def build_preview(
    forum: Forum, path: Path, tick: Callable[[int, int], None] | None = None
) -> Preview:
    """Parse ``path`` against this forum and mark likely duplicates (of saved proposals and
    of earlier rows of the same file); nothing is written. ``tick(done, total)`` reports
    progress. Raises ValidationError for a file that cannot be read at all."""
    meta = forum.meta
    existing = forum.proposals.all()
    extra = sorted({p["bidang"] for p in existing if p.get("bidang")} - set(SECTORS))
    result = parse_import(path, wilayah_kode=meta["wilayah_kode"], sectors=extra)
    if result.kind != "usulan":
        raise ValidationError(
            "berkas",
            f"{path.name} berisi data peserta, bukan usulan; impor dari layar "
            "Kehadiran atau dengan perintah musrenbang import.",
        )
    errors: list[RowError] = list(result.errors)
    rows: list[PreviewRow] = []
    pool = forum.proposals.duplicate_index()
    total = len(result.records)
    for done, (row, record) in enumerate(zip(result.rows, result.records, strict=True), 1):
        try:
            complete = forum.proposals.complete(record)
        except ValidationError as error:
            errors.append(RowError(row, f"baris {row}: {error.message}"))
            continue
        matches = pool.matches(complete)
        rows.append(PreviewRow(row, complete, _origin(matches[0]) if matches else ""))
        pool.add({**complete, "id": -row, "_baris": row})
        if tick is not None and (done % PROGRESS_EVERY == 0 or done == total):
            tick(done, total)
    errors.sort(key=lambda e: e.row)
    return Preview(path, result, rows, [e.message for e in errors])


def _origin(match: dict[str, Any]) -> str:
    if match.get("_baris"):
        return f"baris {match['_baris']}"
    return f"#{match.get('urutan', match['id'])}"


def _short(path: Path) -> str:
    """A path as short as it can be shown: relative to the working folder or to home."""
    for base, prefix in ((Path.cwd(), ""), (Path.home(), "~/")):
        try:
            return prefix + str(path.relative_to(base))
        except ValueError:
            continue
    return str(path)
