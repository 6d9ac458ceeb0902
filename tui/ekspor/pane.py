"""The Ekspor & Tanda tangan tab (F6): what leaves the room, and its sign-off.

A checklist of the six SOP documents with their state (belum / draf / final /
ditandatangani / diganti), verification code and file; who has signed or initialled; and
the actions of the sign-off: fill in the document header, finalise, record signatures,
export one document or all (docx, or xlsx/csv for the table documents; the blanko daftar
hadir), amend a final forum with a reason, erase personal data after sign-off.

``run_amendment`` and ``apply_change`` (see ``tui.ekspor.amend``) are re-exported here for
other screens: any content edit on a final forum goes through them.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any, ClassVar

from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import DataTable, Input, Label, Select, Static
from textual.widgets.data_table import ColumnKey

from store.forum import Forum
from store.personal import mask_in_text
from store.storage_errors import ForumFileError
from store.validation import ValidationError
from tui.ekspor.amend import apply_change, run_amendment
from tui.ekspor.header import EksporHeader
from tui.ekspor.readiness import ReadinessDialog, notice_lines
from tui.ekspor.run import EksporRun, Job
from tui.ekspor.sign import EksporSign
from tui.ekspor.state import (
    DOC_TITLES,
    STATE_STYLES,
    TABLE_KINDS,
    default_folder,
    document_rows,
    exports_module,
    office_entries,
    short_code,
    signature_rows,
)
from tui.widgets.dialogs import ConfirmDialog, ReasonDialog
from tui.widgets.forum_view import ForumView, touches
from tui.widgets.text_input import TextInput

__all__ = ["EksporPane", "apply_change", "run_amendment"]

WATCHED = frozenset({"meta", "signatures", "documents", "amendments", "proposals"})
# What else the readiness notice reads (store.readiness): only the notice is redrawn.
READINESS_TABLES = ("participants", "utusan", "minutes", "tallies", "ballots")
WRITE_ACTIONS = frozenset({"finalkan", "tanda_tangan", "kepala", "amandemen", "hapus_pribadi"})
#: Format id -> what the Select shows (plain words, not file extensions).
FORMATS = {"docx": "berkas Word", "xlsx": "Excel", "csv": "CSV"}
NAME_WIDTH = 18  # the signatory name column at 80 columns


class EksporPane(ForumView):
    """Documents and sign-off of one forum; see the module docstring."""

    DEFAULT_CSS = """
    EksporPane { height: 1fr; }
    EksporPane #ekspor-status { height: auto; padding: 0 1; text-style: bold; }
    EksporPane #ekspor-pesan { height: auto; padding: 0 1; background: $warning 20%; }
    EksporPane .judul { padding: 0 1; color: $text-muted; }
    EksporPane #ekspor-dokumen { height: auto; max-height: 8; }
    EksporPane #ekspor-ttd { height: auto; max-height: 6; overflow-x: hidden; }
    EksporPane #ekspor-opsi { height: auto; padding: 0 1; }
    EksporPane #ekspor-opsi Label { padding: 0 1 0 0; }
    EksporPane #ekspor-folder { width: 1fr; }
    EksporPane #ekspor-format { width: 16; }
    EksporPane #ekspor-hasil { height: auto; padding: 0 1; }
    EksporPane #ekspor-isi { height: 1fr; }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("f7", "ekspor", "Ekspor", tooltip="Ekspor: tulis dokumen yang dipilih"),
        Binding(
            "f9",
            "ekspor_semua",
            "Semua",  # next to "f7 Ekspor"; short so ^t TTD fits at 80 columns
            tooltip="Ekspor: tulis semua dokumen (berkas Word, atau Excel/CSV dokumen tabel)",
        ),
        Binding(
            "ctrl+f",  # not ctrl+b: tmux's prefix key never reaches the app
            "blanko",
            "Blanko DH",
            show=False,  # F1 and the palette: the footer keeps the keys of the moment
            tooltip="Ekspor: blanko daftar hadir untuk ditandatangani di pintu masuk",
        ),
        Binding(
            "ctrl+n",
            "kepala",
            "Kepala dok.",
            tooltip="Ekspor: kepala dokumen (nomor BA, tanggal, pukul, tempat, pimpinan)",
        ),
        Binding(
            "ctrl+n",
            "amandemen",
            "Amandemen",
            tooltip="Ekspor: amandemen forum yang sudah final, dengan alasan",
        ),
        Binding(
            "ctrl+l",
            "finalkan",
            "Finalkan",
            tooltip="Ekspor: finalkan forum (draf menjadi final, isi dibekukan)",
        ),
        Binding(
            "ctrl+t",
            "tanda_tangan",
            "TTD",
            tooltip="Ekspor: catat tanda tangan atau paraf penanda tangan",
        ),
        Binding(
            "w",
            "rincian",
            "Rincian",
            show=False,  # named in the notice line itself; F1 and the palette list it
            tooltip="Ekspor: tampilkan atau ringkas daftar yang belum siap final",
        ),
        Binding(
            "ctrl+y",
            "hapus_pribadi",
            "Hapus data pribadi",
            show=False,
            tooltip="Ekspor: hapus NIK dan telepon peserta setelah ditandatangani",
        ),
    ]

    def __init__(self, forum: Forum, *, id: str | None = "ekspor-pane") -> None:
        super().__init__(forum, id=id)
        self._unfolded = False  # the readiness notice: one line, or its first items (w)

    # -- layout ---------------------------------------------------------------------------
    def compose(self) -> ComposeResult:
        yield Static("", id="ekspor-status", markup=False)
        yield Static("", id="ekspor-pesan", markup=False)
        # Below the status: everything scrolls, so at 80x24 the list of written files is
        # scrolled into view after an export instead of running off the screen.
        with VerticalScroll(id="ekspor-isi"):
            yield Label("Dokumen", classes="judul")
            documents = DataTable(id="ekspor-dokumen", cursor_type="row")
            documents.add_column("Dokumen", key="dokumen", width=20)
            documents.add_column("Status", key="status", width=14)
            documents.add_column("Kode verifikasi", key="kode", width=15)
            documents.add_column("Berkas", key="berkas")
            yield documents
            yield Label("Tanda tangan", classes="judul")
            signatures = DataTable(id="ekspor-ttd", cursor_type="row", show_cursor=False)
            signatures.can_focus = False  # a record to read; signing is ctrl+t
            signatures.add_column("Peran", key="peran", width=20)
            signatures.add_column("Jenis", key="jenis", width=5)
            signatures.add_column("Nama", key="nama", width=NAME_WIDTH)
            signatures.add_column("NIP", key="nip", width=21)
            signatures.add_column("Pukul", key="waktu", width=5)
            yield signatures
            with Horizontal(id="ekspor-opsi"):
                yield Label("Folder")
                yield TextInput(str(default_folder(self.forum)), id="ekspor-folder", compact=True)
                yield Select(
                    [(label, fmt) for fmt, label in FORMATS.items()],
                    value="docx",
                    allow_blank=False,
                    id="ekspor-format",
                    compact=True,
                )
            yield Static("", id="ekspor-hasil", markup=False)

    def on_mount(self) -> None:
        # ForumView.on_mount (called by Textual as well) subscribes to the forum.
        self.refresh_state()

    def on_resize(self, event: events.Resize) -> None:
        """Names get what the fixed columns leave (signatory names with titles are long)."""
        signatures = self.query_one("#ekspor-ttd", DataTable)
        fixed = sum(c.width for k, c in signatures.columns.items() if k.value != "nama")
        padding = 2 * signatures.cell_padding * len(signatures.columns)
        name = signatures.columns[ColumnKey("nama")]
        width = max(NAME_WIDTH, event.size.width - fixed - padding - 4)  # 2: a scrollbar
        if name.width != width:
            name.width = width
            self.refresh_state()

    def focus_default(self) -> None:
        """What the app focuses when the tab is chosen: the document checklist."""
        self.query_one("#ekspor-dokumen", DataTable).focus()

    # -- state ----------------------------------------------------------------------------
    def forum_changed(self, changes: dict[str, set[int]]) -> None:
        if touches(changes, *WATCHED):
            self.refresh_state()
        elif self.forum.status == "draf" and touches(changes, *READINESS_TABLES):
            self._show_notice([])  # a draf forum's notice does not read the document rows

    def refresh_state(self) -> None:
        """Redraw the checklist, signatures and status line from the forum."""
        forum = self.forum
        available = exports_module("export_all") is not None
        rows = document_rows(forum, office_entries(forum))
        table = self.query_one("#ekspor-dokumen", DataTable)
        cursor = table.cursor_row
        table.clear()
        for row in rows:
            state = row.state if available or row.state != "belum" else "belum tersedia"
            table.add_row(
                row.title,
                Text(state, style=STATE_STYLES.get(row.state, "")),
                row.code or "-",
                Text(self._shown_path(row.path)),
                key=row.kind,
            )
        table.move_cursor(row=cursor)
        signed_rows = signature_rows(forum)
        signatures = self.query_one("#ekspor-ttd", DataTable)
        signatures.clear()
        for sig in signed_rows:
            wajib = "" if sig.required else " (pilihan)"
            signatures.add_row(
                f"{sig.title}{wajib}",
                sig.jenis,
                sig.nama or "(belum)",
                sig.nip or "-",
                sig.waktu or "-",
                key=sig.role,
            )
        required = [s for s in signed_rows if s.required]
        done = sum(1 for s in required if s.nama)
        issued = sum(1 for r in rows if r.state not in ("belum", "diganti"))
        self.query_one("#ekspor-status", Static).update(
            f"Status forum: {forum.status.upper()}   Dokumen terbit {issued}/{len(rows)}   "
            f"Tanda tangan wajib {done}/{len(required)}"
        )
        self._show_notice(rows)
        self.refresh_bindings()

    def _show_notice(self, rows: list[Any]) -> None:
        forum = self.forum
        lines = []
        if forum.readonly:
            lines.append(
                "Forum dibuka hanya-baca: ekspor dapat dilakukan, tanda tangan dan "
                "finalisasi tidak."
            )
        if exports_module("export_all") is None:
            lines.append("Ekspor dokumen belum tersedia di versi ini.")
        if forum.status == "draf":
            lines += notice_lines(forum.signoff.readiness(), unfolded=self._unfolded)
        elif any(r.state in ("draf", "diganti") for r in rows):
            lines.append(
                "Ada dokumen draf atau diganti: ekspor ulang agar sesuai status "
                f"forum ({forum.status})."
            )
        amendments = forum.amendments()
        if amendments:
            last = amendments[-1]
            # masked when written since F3; a file of an earlier version may hold it clear
            reason = mask_in_text(last["alasan"])
            lines.append(f"{len(amendments)} amandemen; terakhir: {reason}")
        self._notice("\n".join(lines))

    def _notice(self, text: str) -> None:
        notice = self.query_one("#ekspor-pesan", Static)
        notice.update(text)
        notice.display = bool(text)

    # -- actions: sign-off ------------------------------------------------------------------
    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        forum = self.forum
        if action in WRITE_ACTIONS and forum.readonly:
            return False
        status = forum.status
        if action in ("kepala", "finalkan"):
            return status == "draf"
        if action == "amandemen":
            return status != "draf"
        # tanda_tangan stays offered on a draft too: it says in one line why not yet.
        if action == "rincian":
            return status == "draf"
        if action == "hapus_pribadi":
            return status == "ditandatangani"
        return True

    def action_rincian(self) -> None:
        self._unfolded = not self._unfolded
        self._show_notice([])  # only a draf forum's notice folds: it reads no document rows

    def action_finalkan(self) -> None:
        """The readiness list first: blocking items to read, or warnings to confirm."""
        self.app.push_screen(ReadinessDialog(self.forum.signoff.readiness()), self._finalize)

    def _finalize(self, confirmed: bool | None) -> None:
        if not confirmed:
            return
        try:
            warnings = self.forum.signoff.finalize()
        except ValidationError as error:
            self._notice(error.message)
            self.notify(error.message, title="Belum difinalkan", severity="error")
            return
        text = "Forum final. Ekspor dokumen, lalu catat tanda tangan."
        self.notify("\n".join([text, *warnings]), severity="warning" if warnings else "information")

    def action_tanda_tangan(self) -> None:
        if self.forum.status == "draf":
            self.notify(
                "Tanda tangan dicatat setelah forum final: finalkan dahulu (ctrl+l).",
                severity="warning",
            )
            return
        self.app.push_screen(EksporSign(self.forum), self._signed)

    def _signed(self, status: str | None) -> None:
        if status:
            self.notify(f"Tanda tangan dicatat. Status forum: {status}.")

    def action_kepala(self) -> None:
        """The header dialog; on a final forum saving it is an amendment (reason asked)."""
        self.app.push_screen(EksporHeader(self.forum))

    action_amandemen = action_kepala  # same dialog, named for what it does on a final forum

    def action_hapus_pribadi(self) -> None:
        if self.forum.status != "ditandatangani":
            self.notify("Data pribadi dihapus setelah forum ditandatangani.", severity="warning")
            return
        lines = [
            "Hapus NIK dan nomor telepon semua peserta (UU PDP)?",
            "Tidak dapat dibatalkan; penghapusan dicatat.",
        ]
        self.app.push_screen(ConfirmDialog("Hapus data pribadi", lines), self._purge)

    def _purge(self, confirmed: bool | None) -> None:
        if not confirmed:
            return
        try:
            erased = self.forum.signoff.purge_personal()
        except ValidationError as error:
            self.notify(error.message, severity="error")
            return
        except ForumFileError as error:
            self.notify(error.message, severity="error", timeout=20)
            return
        self.notify(f"NIK dan telepon {erased} peserta dihapus.")

    # -- actions: export ----------------------------------------------------------------------
    def _folder(self) -> Path:
        text = self.query_one("#ekspor-folder", Input).value.strip()
        return Path(text).expanduser() if text else default_folder(self.forum)

    def _format(self) -> str:
        value = self.query_one("#ekspor-format", Select).value
        return value if isinstance(value, str) else "docx"

    def _shown_path(self, path: str) -> str:
        """A written file as short as it stays clear: its name when it is in the folder the
        Folder field names, else relative to the forum's folder."""
        if not path:
            return "-"
        written = Path(path)
        if written.parent == self._folder().resolve():  # the folder the Folder field names
            return written.name
        try:
            return str(written.relative_to(self.forum.path.parent.resolve()))
        except ValueError:
            return path

    def _selected_kind(self) -> str:
        table = self.query_one("#ekspor-dokumen", DataTable)
        return list(DOC_TITLES)[max(0, min(table.cursor_row, len(DOC_TITLES) - 1))]

    def _run(self, jobs: list[Job]) -> None:
        if exports_module("export_all") is None:
            self.notify("Ekspor dokumen belum tersedia di versi ini.", severity="warning")
            return
        folder = self._folder()

        def start(passphrase: str | None = None) -> None:
            self.app.push_screen(EksporRun(self.forum, jobs, folder, passphrase), self._exported)

        if any(job.fmt == "docx" and not job.blanko for job in jobs) and _key_needs_passphrase():
            prompt = "Kunci kantor dilindungi frasa sandi. Ketik frasa sandinya untuk menandai "
            prompt += "kode verifikasi dokumen (tidak disimpan)."

            def with_passphrase(passphrase: str | None) -> None:
                if passphrase:
                    start(passphrase)

            self.app.push_screen(
                ReasonDialog("Frasa sandi kunci", prompt, secret=True), with_passphrase
            )
            return
        start()

    def action_ekspor(self) -> None:
        kind, fmt = self._selected_kind(), self._format()
        if fmt != "docx" and kind not in TABLE_KINDS:
            self.notify(
                f"{DOC_TITLES[kind]} hanya tersedia sebagai berkas Word; Excel/CSV untuk daftar "
                "hadir, notulen dan rekap.",
                severity="warning",
            )
            return
        self._run([Job(kind, self._folder(), fmt)])

    def action_ekspor_semua(self) -> None:
        fmt = self._format()
        kinds = list(DOC_TITLES) if fmt == "docx" else list(TABLE_KINDS)
        self._run([Job(kind, self._folder(), fmt) for kind in kinds])

    def action_blanko(self) -> None:
        target = self._folder() / "daftar-hadir-blanko.docx"
        self._run([Job("daftar-hadir", target, "docx", blanko=True)])

    def _exported(self, written: list[Path] | None) -> None:
        if not written:
            return
        codes = {e.get("berkas"): short_code(e["doc_id"]) for e in office_entries(self.forum)}
        lines = [f"Ditulis {len(written)} berkas ke {written[0].parent}:"]
        for path in written:
            code = codes.get(str(path.resolve()), "")
            lines.append(f"  {path.name}" + (f"  kode {code}" if code else ""))
        result = self.query_one("#ekspor-hasil", Static)
        result.update("\n".join(lines))
        self.notify(f"{len(written)} berkas ditulis ke {written[0].parent}.")
        self.refresh_state()
        body = self.query_one("#ekspor-isi", VerticalScroll)
        self.call_after_refresh(body.scroll_end, animate=False)  # the files list: last


def _key_needs_passphrase() -> bool:
    """Whether signing the codes needs a passphrase the environment does not give."""
    keys = exports_module("keys")
    if keys is None or not keys.has_key() or os.environ.get(keys.PASSPHRASE_ENV):
        return False
    return bool(keys.is_encrypted())
