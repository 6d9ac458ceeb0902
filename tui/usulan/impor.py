"""Importing proposals (F4) or participants (F2) from a spreadsheet file: preview and error
report first, then all or nothing (ARCHITECTURE.md section 4).

Step 1: pick a file (type a path, with completion, or choose one found nearby). Step 2: the
file is read and checked in a worker thread (a progress bar moves): every row error is
listed as ``baris N: ...`` and every likely duplicate is marked, before anything is added.
Step 3: only a file without errors can be added, all rows in one save (``forum.batch()`` in
``store.importer.import_records``); likely duplicates are added, flagged and counted.

The preview shows the header row found, every column of the file with the field it maps to
("diabaikan" for none) and the rows skipped with their reason. Enter on a column changes
its mapping; the preview and row errors are rebuilt at once from the sheet already read,
and a mapping fixed by hand is remembered for files with the same header
(``store.import_memory``).
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.suggester import Suggester
from textual.widgets import DataTable, Input, Label, OptionList, ProgressBar, Static
from textual.widgets.option_list import Option

from store.amount_sanity import doubt_amount
from store.collector import collector_paused
from store.formatting import format_rupiah
from store.forum import Forum
from store.import_columns import IGNORED, fields_of
from store.import_files import (
    ImportResult,
    RowError,
    own_desa_of,
    parse_grids,
    validate_rows,
)
from store.import_header import COLUMNS_FIELD, Header, folded_name
from store.import_memory import remember_columns, remembered_columns, signature
from store.import_people import ALREADY, PeopleRegistry, sort_people
from store.import_readers import SHEET_SUFFIXES, Grid, read_grids
from store.importer import ImportReport, import_records
from store.sectors import SECTORS
from store.shown_text import MESSAGE, shown
from store.storage_errors import os_reason
from store.validation import ValidationError
from tui.usulan.view import funding_text
from tui.widgets.dialogs import Dialog, ReasonDialog
from tui.widgets.text_input import TextInput

SUFFIXES = (".csv", *SHEET_SUFFIXES)
NEARBY_LIMIT = 12
PROGRESS_EVERY = 25
SESSION_COLUMNS = "impor_kolom_sesi"  # the App attribute holding this session's mappings


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
    """Import files the user probably means: beside the forum, in the working folder, in
    Downloads and Documents (never the project's own test files)."""
    home = Path.home()
    folders = [
        forum_path.parent,
        Path.cwd(),
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
    columns: dict[str, str | None] = field(default_factory=dict)  # the mapping it used
    #: Participants not added because they are registered already ("baris 7: ... sudah
    #: terdaftar: #3 (NIK sama), tidak ditambahkan")
    already: list[str] = field(default_factory=list)

    @property
    def duplicates(self) -> int:
        return sum(1 for r in self.rows if r.duplicate_of)


class ColumnChoice(Dialog[str]):
    """Pick the field a file column maps to; dismisses with the field or ``IGNORED``."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "batal", "Batal")]

    def __init__(self, column: str, kind: str, current: str | None) -> None:
        super().__init__(f"Kolom '{column[:40]}' dipetakan ke")
        self.choices = [IGNORED, *fields_of(kind)]
        self.current = current or IGNORED

    def body(self) -> ComposeResult:
        yield OptionList(*[Option(c, id=c) for c in self.choices], id="pilihan-kolom")

    def on_mount(self) -> None:
        options = self.query_one(OptionList)
        options.highlighted = self.choices.index(self.current)
        options.focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(str(event.option.id))

    def action_batal(self) -> None:
        self.dismiss(None)


class UsulanImport(Dialog[ImportReport]):
    """Dismisses with the ImportReport once rows were added, None when cancelled.
    ``kind`` is what this screen imports: ``usulan`` (F4) or ``peserta`` (F2)."""

    DEFAULT_CSS = """
    UsulanImport > #dialog { height: 90%; max-width: 120; }
    UsulanImport #berkas-dekat { height: auto; max-height: 10; }
    UsulanImport #impor-progres { display: none; }
    UsulanImport #impor-ringkas { height: auto; text-style: bold; }
    UsulanImport #impor-galat-box { height: auto; max-height: 4; display: none; }
    UsulanImport #impor-galat { color: $error; }
    UsulanImport #impor-catatan-ringkas { height: auto; color: $warning; display: none; }
    UsulanImport #impor-catatan-box { height: auto; max-height: 8; display: none; }
    UsulanImport #impor-catatan { color: $warning; }
    UsulanImport #impor-pratinjau { height: 1fr; min-height: 5; display: none; }
    UsulanImport #impor-kolom { height: auto; max-height: 7; display: none; }
    UsulanImport #impor-kolom, UsulanImport #impor-pratinjau {
        border: round $panel-lighten-2; border-title-color: $text-muted;
    }
    UsulanImport #impor-kolom:focus, UsulanImport #impor-pratinjau:focus {
        border: round $accent; border-title-color: $text; border-title-style: bold;
    }
    UsulanImport #impor-galat-box:focus, UsulanImport #impor-catatan-box:focus {
        background: $boost;
    }
    UsulanImport.dimuat #label-berkas, UsulanImport.dimuat #berkas { display: none; }
    UsulanImport.dimuat #impor-galat-box { max-height: 3; }
    UsulanImport.dimuat #impor-kolom { max-height: 6; }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "tambahkan", "Tambahkan semua"),
        Binding("ctrl+k", "ganti_kolom", "Ganti pemetaan kolom"),
        Binding("ctrl+o", "berkas_lain", "Berkas lain", tooltip="Impor: pilih berkas lain"),
        Binding(
            "w",
            "catatan",
            "Peringatan",
            tooltip="Tampilkan atau sembunyikan peringatan impor",
        ),
        Binding("escape", "batal", "Batal"),
    ]

    def __init__(self, forum: Forum, kind: str = "usulan") -> None:
        super().__init__(f"Impor {kind} dari CSV/XLSX/ODS")
        self.forum = forum
        self.kind = kind
        self.preview: Preview | None = None
        self.busy = False
        self.grids: list[Grid] = []
        self.columns: dict[str, str | None] = {}
        self.columns_changed = False
        self.column_rows: list[int] = []
        self.header: Header | None = None  # the header last found, kept when a re-check fails
        self.sheet = ""  # the sheet that header is on
        self.path: Path | None = None
        # Warnings and skipped rows of the preview: folded into one line when there are
        # several (they would push the preview off an 80x24 screen), opened with w.
        self.notes: list[str] = []
        self.notes_summary = ""
        self.notes_open = False
        # Mappings changed by hand in this app session, by header signature: a file refused
        # for another reason keeps them when opened again (``store.import_memory`` keeps
        # them for good once an import with them succeeds). Set on mount, from the app.
        self.session_columns: dict[str, dict[str, str | None]] = {}

    def body(self) -> ComposeResult:
        yield Label("Berkas (ketik jalurnya lalu Enter, atau pilih di bawah):", id="label-berkas")
        yield TextInput(
            placeholder="mis. E:\\usulan-desa.xlsx", id="berkas", suggester=PathSuggester()
        )
        yield OptionList(id="berkas-dekat")
        yield ProgressBar(id="impor-progres", show_eta=False)
        yield Static("", id="impor-ringkas", markup=False)
        with VerticalScroll(id="impor-galat-box"):
            yield Static("", id="impor-galat", markup=False)
        yield Static("", id="impor-catatan-ringkas", markup=False)
        with VerticalScroll(id="impor-catatan-box"):
            yield Static("", id="impor-catatan", markup=False)
        yield DataTable(id="impor-kolom", cursor_type="row")
        yield DataTable(id="impor-pratinjau", cursor_type="row", zebra_stripes=True)

    def on_mount(self) -> None:
        self.session_columns = self.app.__dict__.setdefault(SESSION_COLUMNS, {})
        options = self.query_one("#berkas-dekat", OptionList)
        for path in nearby_files(self.forum.path):
            options.add_option(Option(_short(path), id=str(path)))
        options.display = options.option_count > 0
        table = self.query_one("#impor-pratinjau", DataTable)
        if self.kind == "usulan":
            table.add_columns("Baris", "Mirip", "Desa", "Kegiatan", "Biaya", "Sumber dana")
        else:
            table.add_columns("Baris", "Mirip", "Nama", "L/P", "Lembaga", "Unsur", "Desa")
        self.query_one("#impor-kolom", DataTable).add_columns("Kolom berkas", "Dipetakan ke")
        self.query_one("#berkas", Input).focus()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "tambahkan":
            # Shown greyed out until a file without errors has been previewed.
            ready = self.preview is not None and not self.preview.errors and not self.busy
            return True if ready else None
        if action == "ganti_kolom":
            return True if self.header is not None and not self.busy else None
        if action == "catatan":
            return len(self.notes) > 1
        if action == "berkas_lain":
            return self.has_class("dimuat") and not self.busy
        return True

    # -- step 1: the file ------------------------------------------------------------------
    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        path = str(event.option.id)
        self.query_one("#berkas", Input).value = path
        self.load(Path(path))

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        if event.data_table.id == "impor-kolom":
            event.stop()
            self.action_ganti_kolom()

    def action_ganti_kolom(self) -> None:
        """Change the field the highlighted file column maps to."""
        header, path = self.header, self.path
        if header is None or path is None or self.busy:
            return
        table = self.query_one("#impor-kolom", DataTable)
        index = table.cursor_row
        if not 0 <= index < len(self.column_rows):
            return
        column = header.names[self.column_rows[index]]
        current = header.fields[self.column_rows[index]]

        def chosen(field: str | None) -> None:
            if field is None:
                return
            self.columns[folded_name(column)] = None if field == IGNORED else field
            self.columns_changed = True
            if cells := self._header_cells(header):
                self.session_columns[signature(cells)] = dict(self.columns)
            self._recheck(path)

        self.app.push_screen(ColumnChoice(column, self.kind, current), chosen)

    def action_berkas_lain(self) -> None:
        """Show the file field again (folded away while a file's preview has the room)."""
        if self.busy:
            return
        self.remove_class("dimuat")
        self.query_one("#berkas", Input).focus()
        self.refresh_bindings()

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
        self.grids = []
        self.columns = {}
        self.columns_changed = False
        self.header = None
        self.path = path
        self.notes_open = False
        self._start(path)

    def _recheck(self, path: Path) -> None:
        """Rebuild the preview with the changed mapping, from the sheet already read."""
        self._start(path)

    def _start(self, path: Path) -> None:
        self.preview = None  # never add a preview that is being replaced
        self.busy = True
        self.refresh_bindings()
        self._summary(f"Membaca {shown(path.name, MESSAGE)} ...")
        self._show_errors([])
        self._show_notes([], "")
        self.query_one("#impor-pratinjau", DataTable).display = False
        self._progress(total=None)
        self._check(path)

    # -- step 2: the preview ---------------------------------------------------------------
    @work(thread=True, exclusive=True, group="impor", exit_on_error=False)
    def _check(self, path: Path) -> None:
        try:
            if not self.grids:
                self.grids = read_grids(path)
                rows = self.grids[0].rows if self.grids else []
                self.columns = remembered_columns(rows, self.session_columns)
                self.columns_changed = any(
                    signature(cells) in self.session_columns for cells in rows[:30]
                )
            with collector_paused():
                preview = build_preview(
                    self.forum, path, self._tick, self.grids, self.columns, self.kind
                )
        except ValidationError as error:
            message = shown(error.message, MESSAGE)
            if error.field == COLUMNS_FIELD and self.header is not None:
                message += " ctrl+k: ganti pemetaan kolom yang disorot."
            self.app.call_from_thread(self._failed, message)
            return
        except OSError as error:
            self.app.call_from_thread(
                self._failed,
                f"{shown(path.name, MESSAGE)}: tidak dapat dibaca ({os_reason(error)}).",
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
        if self.header is not None:
            self._show_header(self.header, self.columns)
        self.refresh_bindings()

    def _show_preview(self, preview: Preview) -> None:
        self.busy = False
        if not self.is_attached:
            return
        self.preview = preview
        self.header = preview.result.header or self.header
        self.sheet = preview.result.sheet
        self.query_one("#impor-progres", ProgressBar).display = False
        self.query_one("#berkas-dekat", OptionList).display = False
        name = shown(preview.path.name, MESSAGE)
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
            known = (
                f", {len(preview.already)} {ALREADY} (tidak ditambahkan)" if preview.already else ""
            )
            self._summary(
                f"{name}: {len(preview.rows)} {self.kind} siap ditambahkan{dup}{known}. "
                "ctrl+s: tambahkan semua."
            )
        result = preview.result
        self._show_errors(preview.errors + self._doubtful_amounts(preview))
        self._show_notes(
            [f"Tidak ditambahkan: {line}" for line in preview.already]
            + [f"Dilewati: {line}" for line in result.skipped_lines()]
            + [f"Peringatan: {w}" for w in result.warnings],
            _notes_count(len(result.warnings), len(result.skipped), len(preview.already)),
        )
        if result.header is not None:
            self._show_header(result.header, {})
        table = self.query_one("#impor-pratinjau", DataTable)
        table.clear()
        for row in preview.rows:
            table.add_row(*self._cells(row))
        table.border_title = f"Pratinjau: {len(preview.rows)} baris"
        table.display = bool(preview.rows)
        self.refresh_bindings()

    def _doubtful_amounts(self, preview: Preview) -> list[str]:
        """Costs that look mistyped (store.amount_sanity): said, not refused; the file or
        the proposal (F4, Enter) is corrected by the operator."""
        if self.kind != "usulan":
            return []
        pagu = self.forum.meta.get("pagu") or None
        lines = []
        for row in preview.rows:
            doubt = doubt_amount(int(row.record.get("biaya") or 0), pagu=pagu)
            if doubt is not None:
                lines.append(f"Periksa: baris {row.row}: {doubt.pesan} {doubt.pertanyaan}")
        return lines

    def _cells(self, row: PreviewRow) -> list[str]:
        rec = row.record
        if self.kind == "peserta":
            return [
                str(row.row),
                row.duplicate_of or "-",
                rec.get("nama", ""),
                rec.get("jenis_kelamin") or "-",
                rec.get("lembaga") or "-",
                rec.get("unsur") or "-",
                rec.get("desa") or "-",
            ]
        return [
            str(row.row),
            row.duplicate_of or "-",
            rec.get("desa") or "-",
            rec.get("kegiatan", ""),
            format_rupiah(rec.get("biaya") or 0),
            funding_text(rec),
        ]

    def _show_header(self, header: Header, changed: dict[str, str | None]) -> None:
        """The header row found and each column's mapping (Enter changes one); ``changed``
        overrides what ``header`` says (a re-check that failed still shows the user's
        mapping). The table takes the focus, so Down moves along the columns."""
        table = self.query_one("#impor-kolom", DataTable)
        cursor = table.cursor_row
        table.clear()
        self.column_rows = []
        for i, (name, mapped) in enumerate(zip(header.names, header.fields, strict=True)):
            key = folded_name(name)
            mapped = changed.get(key, mapped)
            if name or mapped:
                self.column_rows.append(i)
                table.add_row(shown(name, MESSAGE) or "(tanpa judul)", mapped or IGNORED)
        table.border_title = f"Judul kolom di {header.rows_text} (Enter: ganti pemetaan)"
        table.display = True
        self.add_class("dimuat")  # the file is read: its columns and rows get the room
        self.refresh_bindings()
        if 0 <= cursor < table.row_count:
            table.move_cursor(row=cursor)
        table.focus()

    def _header_cells(self, header: Header) -> list[Any]:
        """The header row's cells as read (the key a mapping is remembered by)."""
        if not self.grids:
            return []
        grid = next((g for g in self.grids if g.name == self.sheet), self.grids[0])
        return grid.rows[header.first_row - 1] if header.first_row <= len(grid.rows) else []

    def _summary(self, text: str) -> None:
        self.query_one("#impor-ringkas", Static).update(text)

    def _show_errors(self, lines: list[str]) -> None:
        self.query_one("#impor-galat", Static).update("\n".join(lines))
        self.query_one("#impor-galat-box").display = bool(lines)

    def _show_notes(self, lines: list[str], count: str) -> None:
        """Warnings and skipped rows: one shown whole, several as ``count`` and the key."""
        self.notes, self.notes_summary = lines, count
        self._fold_notes()

    def _fold_notes(self) -> None:
        summary = self.query_one("#impor-catatan-ringkas", Static)
        box = self.query_one("#impor-catatan-box", VerticalScroll)
        many = len(self.notes) > 1
        if many:
            verb = "menutup" if self.notes_open else "melihat"
            summary.update(f"{self.notes_summary} — tekan w untuk {verb}")
        else:
            summary.update("".join(self.notes))
        summary.display = bool(self.notes)
        self.query_one("#impor-catatan", Static).update("\n".join(self.notes))
        box.display = many and self.notes_open
        self.refresh_bindings()

    def action_catatan(self) -> None:
        """Open or fold the list of warnings and skipped rows (focus follows, so the
        arrows scroll the open list)."""
        if len(self.notes) <= 1:
            return
        self.notes_open = not self.notes_open
        self._fold_notes()
        if self.notes_open:
            self.query_one("#impor-catatan-box", VerticalScroll).focus()
        else:
            for name in ("#impor-kolom", "#impor-pratinjau", "#berkas"):
                widget = self.query_one(name)
                if widget.display:
                    widget.focus()
                    break

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
        header = preview.result.header
        if self.columns_changed and header is not None and (cells := self._header_cells(header)):
            remember_columns(cells, preview.columns)
        self.busy = True
        self.refresh_bindings()
        self._summary(f"Menambahkan {len(preview.rows)} {self.kind} ...")
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
    forum: Forum,
    path: Path,
    tick: Callable[[int, int], None] | None = None,
    grids: list[Grid] | None = None,
    columns: dict[str, str | None] | None = None,
    kind: str = "usulan",
) -> Preview:
    """Parse ``path`` (or its already read ``grids``) against this forum with the column
    mapping ``columns`` and mark likely duplicates (of saved proposals and of earlier rows
    of the same file); nothing is written. ``tick(done, total)`` reports progress. Raises
    ValidationError for a file that cannot be read at all or holds the other kind."""
    meta = forum.meta
    existing = forum.proposals.all()
    extra = sorted({p["bidang"] for p in existing if p.get("bidang")} - set(SECTORS))
    source = parse_grids(
        grids if grids is not None else read_grids(path),
        shown(path.name, MESSAGE),
        columns,
        own_desa=own_desa_of(meta["wilayah_kode"]),
        tahun=meta.get("tahun"),
    )
    result = validate_rows(source, wilayah_kode=meta["wilayah_kode"], sectors=extra)
    if result.kind != kind:
        where = "Kehadiran (F2)" if result.kind == "peserta" else "Usulan (F4)"
        raise ValidationError(
            "berkas",
            f"{shown(path.name, MESSAGE)} berisi data {result.kind}, bukan {kind}; "
            "impor dari layar "
            f"{where} atau dengan perintah musrenbang import.",
        )
    if kind == "peserta":
        people = sort_people(
            result.records, result.rows, PeopleRegistry.of(forum.participants.index().people)
        )
        rows = [
            PreviewRow(n, r, people.likely_of.get(n, ""))
            for n, r in zip(people.rows, people.records, strict=True)
        ]
        errors = [e.message for e in result.errors]
        return Preview(path, result, rows, errors, dict(columns or {}), people.already)
    errors: list[RowError] = list(result.errors)
    rows: list[PreviewRow] = []
    pool = forum.proposals.duplicate_index()
    total = len(result.records)
    completed = forum.proposals.complete_all(result.records)
    for done, (row, complete) in enumerate(zip(result.rows, completed, strict=True), 1):
        first = pool.first_match(complete)
        rows.append(PreviewRow(row, complete, _origin(first) if first else ""))
        pool.add({**complete, "id": -row, "_baris": row})
        if tick is not None and (done % PROGRESS_EVERY == 0 or done == total):
            tick(done, total)
    errors.sort(key=lambda e: e.row)
    return Preview(path, result, rows, [e.message for e in errors], dict(columns or {}))


def _notes_count(warnings: int, skipped_rows: int, already: int = 0) -> str:
    """``"2 sudah terdaftar, 12 peringatan, 3 baris dilewati"``: what the folded line
    stands for."""
    parts = [f"{already} {ALREADY}"] if already else []
    if warnings:
        parts.append(f"{warnings} peringatan")
    if skipped_rows:
        parts.append(f"{skipped_rows} baris dilewati")
    return ", ".join(parts)


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
