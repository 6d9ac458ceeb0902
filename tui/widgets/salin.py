"""F8 "Salin ke flashdisk": the forum and its backups, copied to a folder the user picks.

The copy runs in a thread worker (a slow flash disk must not freeze the desk) with a
progress bar, and reports what was written where. Removable drives found on this computer
are offered; any folder can be typed.
"""

from __future__ import annotations

import getpass
import os
import string
from pathlib import Path
from typing import ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Input, OptionList, ProgressBar, Static

from store.backup import copy_to
from store.formatting import format_decimal_id
from store.storage_errors import ForumFileError, os_reason
from tui.widgets.footer import KeyFooter
from tui.widgets.modal import HelpModal
from tui.widgets.text_input import TextInput

#: Copies go into this folder on the chosen drive, so a flash disk's root stays tidy.
SUBFOLDER = "musrenbang"


def removable_folders() -> list[Path]:
    """Mounted removable drives (flash disks) on this computer, best effort."""
    if os.name == "nt":
        import ctypes

        drive_type = ctypes.windll.kernel32.GetDriveTypeW  # type: ignore[attr-defined]
        drives = (Path(f"{letter}:\\") for letter in string.ascii_uppercase[3:])
        return [d for d in drives if d.exists() and drive_type(str(d)) == 2]  # DRIVE_REMOVABLE
    try:
        user = getpass.getuser()
    except (KeyError, OSError):
        user = ""
    roots = [Path("/media") / user, Path("/run/media") / user, Path("/media"), Path("/Volumes")]
    found: list[Path] = []
    for root in roots:
        try:
            found += [p for p in sorted(root.iterdir()) if p.is_dir() and p not in roots]
        except OSError:
            continue
    return [p for p in found if p != Path("/Volumes/Macintosh HD")]


def megabytes(size: int) -> str:
    return f"{format_decimal_id(size / 1_000_000, 1)} MB"


def copy_report(copies: list[Path]) -> str:
    """What was written: the forum, then how many backups, with sizes."""
    forum, backups = copies[0], copies[1:]
    lines = [f"Forum: {forum} ({megabytes(forum.stat().st_size)})"]
    if backups:
        size = sum(p.stat().st_size for p in backups if p.exists())
        lines.append(f"Cadangan: {len(backups)} berkas ({megabytes(size)}) di {backups[0].parent}")
    return "\n".join(lines)


class CopyScreen(HelpModal[None]):
    """Pick a folder, copy, read the report."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "tutup", "Tutup", tooltip="Tutup jendela salin")
    ]

    def __init__(self, forum_path: Path) -> None:
        super().__init__()
        self.forum_path = Path(forum_path)
        self._drives = removable_folders()

    def compose(self) -> ComposeResult:
        yield KeyFooter()  # this dialog's keys, not the screen's behind
        with Vertical(id="dialog", classes="dialog"):
            yield Static("Salin ke flashdisk", classes="dialog-title")
            yield Static("Forum dan semua cadangannya disalin ke folder berikut.", classes="hint")
            if self._drives:
                yield OptionList(*(str(d) for d in self._drives), id="drives")
            else:
                yield Static("Tidak ada flashdisk terdeteksi: ketik folder tujuan.", classes="hint")
            default = str(self._drives[0] / SUBFOLDER) if self._drives else ""
            yield TextInput(default, placeholder="Folder tujuan, mis. E:\\musrenbang", id="tujuan")
            yield ProgressBar(total=None, show_eta=False, id="progress")
            yield Static("", id="report", markup=False)
            with Horizontal(classes="buttons"):
                yield Button("Salin (enter)", id="salin", variant="primary", compact=True)
                yield Button("Tutup (esc)", id="tutup", compact=True)

    def on_mount(self) -> None:
        self.query_one("#progress").display = False
        self.query_one("#tujuan", Input).focus()

    @on(OptionList.OptionSelected, "#drives")
    def _drive(self, event: OptionList.OptionSelected) -> None:
        target = self.query_one("#tujuan", Input)
        target.value = str(self._drives[event.option_index] / SUBFOLDER)
        target.focus()

    @on(Input.Submitted, "#tujuan")
    @on(Button.Pressed, "#salin")
    def _start(self) -> None:
        folder = self.query_one("#tujuan", Input).value.strip()
        if not folder:
            self._say("Isi dahulu folder tujuan.", error=True)
            return
        self.query_one("#progress").display = True
        self.query_one("#salin", Button).disabled = True
        self._say(f"Menyalin ke {folder} …")
        self.copy(Path(folder).expanduser())

    @work(thread=True, exclusive=True, exit_on_error=False)
    def copy(self, folder: Path) -> None:
        try:
            copies = copy_to(self.forum_path, folder, progress=self._progress_from_thread)
            message, error = (
                f"Selesai, {len(copies)} berkas tersalin.\n{copy_report(copies)}",
                False,
            )
        except ForumFileError as problem:
            message, error = problem.message, True
        except (ValueError, OSError) as problem:
            reason = os_reason(problem) if isinstance(problem, OSError) else str(problem)
            message, error = f"Gagal menyalin ke {folder}: {reason}", True
        self.app.call_from_thread(self._finished, message, error)

    def _progress_from_thread(self, done: int, total: int) -> None:
        self.app.call_from_thread(
            self.query_one("#progress", ProgressBar).update, total=total, progress=done
        )

    def _finished(self, message: str, error: bool) -> None:
        progress = self.query_one("#progress", ProgressBar)
        progress.update(total=1, progress=0 if error else 1)
        self.query_one("#salin", Button).disabled = False
        self._say(message, error=error)
        if not error:
            self.notify("Forum tersalin ke flashdisk.")

    def _say(self, text: str, *, error: bool = False) -> None:
        report = self.query_one("#report", Static)
        report.update(text)
        report.set_class(error, "error")

    @on(Button.Pressed, "#tutup")
    def action_tutup(self) -> None:
        self.dismiss(None)
