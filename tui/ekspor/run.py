"""Writing documents in a worker thread, with a progress bar, one document per step.

The dialog stays open while the worker writes (issuing a document also records it in the
forum's register), so nothing else writes to the forum meanwhile; it closes by itself with
the files written, or shows why nothing (more) could be written.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import Label, ProgressBar, Static

from store.forum import Forum
from store.storage_errors import os_reason
from store.validation import ValidationError
from tui.ekspor.state import DOC_TITLES, exports_module
from tui.widgets.dialogs import Dialog, show_message


@dataclass(frozen=True)
class Job:
    """One document to write: ``out`` is a folder (``<kind>.<fmt>`` inside) or a file."""

    kind: str
    out: Path
    fmt: str = "docx"
    blanko: bool = False

    @property
    def title(self) -> str:
        blanko = " (blanko)" if self.blanko else ""
        return f"{DOC_TITLES[self.kind]}{blanko} .{self.fmt}"


class EksporRun(Dialog[list[Path]]):
    """Runs ``jobs``; dismisses with every file written (None if nothing was)."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "tutup", "Tutup")]

    def __init__(
        self, forum: Forum, jobs: list[Job], folder: Path, passphrase: str | None = None
    ) -> None:
        super().__init__("Mengekspor dokumen")
        self.forum = forum
        self.jobs = jobs
        self.folder = folder
        self.passphrase = passphrase
        self.written: list[Path] = []
        self.running = True

    def body(self) -> ComposeResult:
        yield Static(f"Folder: {self.folder}", markup=False)
        yield ProgressBar(total=len(self.jobs), show_eta=False, id="ekspor-progres")
        yield Label("", id="ekspor-langkah")
        yield Label("", id="galat-ekspor", classes="galat")

    def on_mount(self) -> None:
        self._run()

    @work(thread=True, exclusive=True, group="ekspor", exit_on_error=False)
    def _run(self) -> None:
        export_all = exports_module("export_all")
        if export_all is None:
            self.app.call_from_thread(self._failed, "Ekspor dokumen belum tersedia di versi ini.")
            return
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            self.app.call_from_thread(
                self._failed, f"Folder {self.folder} tidak dapat dibuat: {os_reason(error)}."
            )
            return
        for done, job in enumerate(self.jobs):
            self.app.call_from_thread(self._step, done, f"Menulis {job.title} ...")
            try:
                paths = export_all.export_document(
                    self.forum, job.kind, job.out, job.fmt, job.blanko, passphrase=self.passphrase
                )
            except (export_all.ExportError, ValidationError, OSError) as error:
                message = getattr(error, "message", None) or str(error)
                self.app.call_from_thread(self._failed, f"{job.title}: {message}")
                return
            except Exception as error:  # a key or document problem: say what, keep the app
                self.app.call_from_thread(self._failed, f"{job.title}: {error}")
                return
            self.written += paths
        self.app.call_from_thread(self._finished)

    def _step(self, done: int, text: str) -> None:
        if self.is_attached:
            self.query_one(ProgressBar).update(progress=done)
            self.query_one("#ekspor-langkah", Label).update(text)

    def _failed(self, message: str) -> None:
        self.running = False
        if not self.is_attached:
            return
        done = f" ({len(self.written)} berkas sudah ditulis)" if self.written else ""
        show_message(self.query_one("#galat-ekspor", Label), message + done)
        self.query_one("#ekspor-langkah", Label).update("Esc: tutup")

    def _finished(self) -> None:
        self.running = False
        self.dismiss(self.written)

    def action_tutup(self) -> None:
        if self.running:
            self.notify("Ekspor sedang berjalan; tunggu sampai selesai.", severity="warning")
            return
        self.dismiss(self.written or None)
