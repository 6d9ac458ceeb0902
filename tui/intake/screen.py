"""The intake preview (SOP step 4 in the app): look at a desa bundle before it changes anything.

Shows the bundle (desa, forum, date, status, who signed), the signer's key fingerprint and
whether this office trusts it for that desa, what applying would change (new, removed,
changed proposals when a newer bundle replaces an earlier one) and what deserves a second
look (likely duplicates within and across desa, proposals repeated from last year). Nothing
is written until the user confirms with ``ctrl+s``; a key not yet trusted must first be
accepted with ``t`` after comparing the fingerprint with the desa's paper, and the trust is
recorded only when the import succeeds (the same rule as ``import --trust``).

Dismisses with the ``IntakeResult`` after applying, or None when cancelled or refused.
"""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.widgets import DataTable, Static

from exports.bundle import BundleError, VerifiedBundle, read_bundle
from store.formatting import format_rupiah
from store.forum import Forum
from store.intake import IntakePlan, IntakeResult, apply_intake, load_previous_year, plan_intake
from store.office import ROLES
from store.validation import ValidationError
from tui.widgets.footer import KeyFooter
from tui.widgets.modal import HelpModal

CHANGE_COLUMNS = ("Perubahan", "Kegiatan", "Lokasi", "Biaya", "Keterangan")
FLAG_COLUMNS = ("Tanda", "Kegiatan", "Keterangan")


def change_rows(plan: IntakePlan) -> list[tuple[str | Text, ...]]:
    """One row per proposal the bundle adds, removes or changes."""
    rows: list[tuple[str | Text, ...]] = []
    for record in plan.added:
        rows.append(
            (
                Text("baru", style="green"),
                record["kegiatan"],
                record.get("lokasi") or "",
                format_rupiah(record["biaya"]),
                record.get("sumber") or "",
            )
        )
    for item in plan.changed:
        rows.append(
            (
                Text("berubah", style="yellow"),
                item.record["kegiatan"],
                item.record.get("lokasi") or "",
                format_rupiah(item.record["biaya"]),
                "kolom: " + ", ".join(item.fields),
            )
        )
    for record in plan.removed:
        rows.append(
            (
                Text("dihapus", style="red"),
                record["kegiatan"],
                record.get("lokasi") or "",
                format_rupiah(record["biaya"]),
                "tidak ada lagi di bundel baru",
            )
        )
    return rows


def summary_lines(bundle: VerifiedBundle, plan: IntakePlan) -> list[str]:
    header = bundle.payload["forum"]
    signers = ", ".join(
        f"{ROLES.get(s.get('peran'), s.get('peran'))} {s.get('nama')}"
        for s in bundle.payload.get("penandatangan") or []
    )
    lines = [
        f"Bundel   : {bundle.path.name}",
        f"Forum    : {header.get('judul')} ({header.get('tanggal') or 'tanpa tanggal'})",
        f"Status   : {header.get('status')}; ditandatangani {signers or '-'}",
        f"Dokumen  : {len(bundle.documents)} berkas",
        f"Usulan   : {len(bundle.payload.get('usulan') or [])} di bundel, "
        f"{plan.kept_at_desa} tetap di desa (cadangan/tidak diakomodir)",
    ]
    if plan.is_update:
        lines.append(
            f"Pengganti: bundel ke-{int(plan.previous.get('bundel_ke', 0)) + 1} desa ini; "
            f"{plan.unchanged} usulan tetap"
        )
    return lines


class IntakeScreen(HelpModal[IntakeResult | None]):
    """Preview of one desa bundle for this kecamatan forum; ``ctrl+s`` applies it."""

    DEFAULT_CSS = """
    IntakeScreen { align: center middle; }
    IntakeScreen > VerticalScroll {
        width: 95%; height: 90%; border: thick $primary; background: $surface; padding: 0 1;
    }
    IntakeScreen #intake-judul { text-style: bold; margin-bottom: 1; }
    IntakeScreen #intake-galat { color: $error; text-style: bold; }
    IntakeScreen #intake-kunci.belum { color: $warning; text-style: bold; }
    IntakeScreen .subjudul { text-style: bold; margin-top: 1; }
    IntakeScreen DataTable { height: auto; max-height: 14; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "terapkan", "Terapkan"),
        Binding("t", "percayai", "Percayai kunci"),
        Binding("escape", "batal", "Batal"),
    ]

    def __init__(self, forum: Forum, bundle_path: Path) -> None:
        super().__init__()
        self.forum = forum
        self.bundle_path = Path(bundle_path)
        self.bundle: VerifiedBundle | None = None
        self.plan: IntakePlan | None = None
        self.trust_accepted = False
        self.error = ""

    def compose(self) -> ComposeResult:
        with VerticalScroll():
            yield Static(f"Impor bundel desa: {self.bundle_path.name}", id="intake-judul")
            yield Static("", id="intake-galat")
            yield Static("", id="intake-ringkas")
            yield Static("", id="intake-kunci")
            yield Static("Perubahan pada forum ini", classes="subjudul")
            yield DataTable(id="intake-perubahan", cursor_type="row", zebra_stripes=True)
            yield Static("Perlu diperiksa", classes="subjudul")
            yield DataTable(id="intake-tanda", cursor_type="row", zebra_stripes=True)
        yield KeyFooter()

    def on_mount(self) -> None:
        self.query_one("#intake-perubahan", DataTable).add_columns(*CHANGE_COLUMNS)
        self.query_one("#intake-tanda", DataTable).add_columns(*FLAG_COLUMNS)
        self._load()
        self._show()

    def _load(self) -> None:
        meta = self.forum.meta
        try:
            # trust=True: an untrusted key is shown here and accepted (or not) by the user.
            self.bundle = read_bundle(
                self.bundle_path,
                trust=True,
                expected_kecamatan=meta["wilayah_kode"],
                expected_tahun=meta["tahun"],
                forum=self.forum,
            )
            self.plan = plan_intake(
                self.forum,
                self.bundle.payload,
                digest=self.bundle.digest,
                previous_year=load_previous_year(meta["wilayah_kode"], meta["tahun"]),
                signer=self.bundle.public_raw,
            )
        except BundleError as error:
            self.error = f"DITOLAK: {error.message}"
        except ValidationError as error:
            self.error = f"DITOLAK: {error.message} Tidak ada yang diubah."

    def _show(self) -> None:
        galat = self.query_one("#intake-galat", Static)
        galat.update(self.error)
        galat.display = bool(self.error)
        if self.bundle is None or self.plan is None:
            return
        self.query_one("#intake-ringkas", Static).update(
            "\n".join(summary_lines(self.bundle, self.plan))
        )
        self._show_trust()
        changes = self.query_one("#intake-perubahan", DataTable)
        for row in change_rows(self.plan):
            changes.add_row(*row)
        if not self.plan.has_changes:
            changes.add_row("-", "bundel sama dengan yang sudah diterima", "", "", "")
        flags = self.query_one("#intake-tanda", DataTable)
        for flag in self.plan.flags:
            flags.add_row(flag.jenis, flag.record["kegiatan"], flag.keterangan)

    def _show_trust(self) -> None:
        assert self.bundle is not None
        label = self.query_one("#intake-kunci", Static)
        if self.bundle.trusted:
            text = f"Kunci    : {self.bundle.fingerprint}, dipercaya ({self.bundle.trust_note})"
        elif self.trust_accepted:
            text = (
                f"Kunci    : {self.bundle.fingerprint}, akan dipercaya untuk "
                f"{self.bundle.wilayah} bila impor berhasil"
            )
        else:
            text = (
                f"Kunci    : {self.bundle.fingerprint} BELUM dipercaya untuk "
                f"{self.bundle.wilayah}. Cocokkan dengan sidik kunci pada dokumen desa, lalu "
                "tekan t untuk mempercayainya."
            )
        label.update(text)
        label.set_class(not (self.bundle.trusted or self.trust_accepted), "belum")

    def action_percayai(self) -> None:
        if self.bundle is None or self.bundle.trusted:
            return
        self.trust_accepted = True
        self._show_trust()

    def action_terapkan(self) -> None:
        if self.bundle is None or self.plan is None:
            self.notify("Bundel ini tidak dapat diimpor.", severity="error")
            return
        if not (self.bundle.trusted or self.trust_accepted):
            self.notify(
                "Kunci penanda tangan belum dipercaya: periksa sidik kunci lalu tekan t.",
                severity="warning",
            )
            return
        try:
            result = apply_intake(self.forum, self.plan)
        except ValidationError as error:
            self.error = f"Gagal: {error.message} Tidak ada yang diubah."
            self._show()
            return
        if not self.bundle.trusted:
            self.bundle.record_trust()
        self.notify(result.describe().splitlines()[0])
        self.dismiss(result)

    def action_batal(self) -> None:
        self.dismiss(None)
