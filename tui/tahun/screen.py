"""The planning-year screen: the SOP's seven steps for one kecamatan and year, desa by desa.

What it shows comes whole from ``store.planning_year`` (derived from the agenda book, the
kecamatan forum and the intake records), so the screen holds no state of its own: ``r``
reads it again, ``escape`` closes. Overdue steps are marked TERLAMBAT in red, with the time
standard beside the time taken.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import DataTable, Static

from store.forum import Forum
from store.planning_year import DesaStatus, PlanningYear, StepStatus, YearView
from store.regions import region_title
from tui.widgets.footer import KeyFooter

STEP_COLUMNS = ("No", "Kegiatan", "Standar", "Mulai", "Selesai", "Lama", "Keluaran", "Keadaan")
DESA_COLUMNS = ("Kode", "Desa", "Surat", "Musrenbang Desa", "Diterima", "Usulan", "Keadaan")


def moment_text(value: datetime | None) -> str:
    """``12-02-2026 08.00`` (the app's short form), or a dash."""
    return value.strftime("%d-%m-%Y %H.%M") if value else "-"


def duration_text(value: timedelta | None) -> str:
    """``2 hari 3 jam``, ``25 menit``; a dash when the step has not finished."""
    if value is None:
        return "-"
    minutes = max(0, int(value.total_seconds() // 60))
    days, rest = divmod(minutes, 24 * 60)
    hours, mins = divmod(rest, 60)
    parts = [f"{days} hari" if days else "", f"{hours} jam" if hours else ""]
    if not days:
        parts.append(f"{mins} menit" if mins or not hours else "")
    return " ".join(p for p in parts if p)


def step_state(status: StepStatus) -> Text:
    text = Text(status.keadaan, style="green" if status.keadaan == "selesai" else "")
    if status.terlambat:
        text.append(" TERLAMBAT", style="bold red")
    return text


def desa_row(desa: DesaStatus) -> tuple[str | Text, ...]:
    state = Text(desa.keadaan, style="green" if desa.keadaan == "usulan diterima" else "")
    if desa.terlambat_kirim:
        state.append(" (terlambat kirim)", style="red")
    return (
        desa.kode,
        desa.nama,
        desa.surat_nomor or "-",
        moment_text(desa.musrenbangdes),
        moment_text(desa.diterima),
        str(desa.usulan) if desa.usulan else "-",
        state,
    )


class PlanningYearScreen(Screen):
    """Steps, times, outputs and overdue marks; then one row per desa."""

    DEFAULT_CSS = """
    PlanningYearScreen #tahun-judul { text-style: bold; padding: 0 1; }
    PlanningYearScreen .subjudul { text-style: bold; padding: 1 1 0 1; }
    PlanningYearScreen #tahun-catatan { color: $warning; padding: 0 1; }
    PlanningYearScreen DataTable { height: auto; max-height: 20; margin: 0 1; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("r", "muat_ulang", "Muat ulang"),
        Binding("escape", "tutup", "Tutup"),
    ]

    def __init__(
        self,
        kecamatan_code: str,
        tahun: int,
        *,
        forum: Forum | None = None,
        clock: Callable[[], datetime] = datetime.now,
    ) -> None:
        super().__init__()
        self.year = (
            PlanningYear.of_forum(forum, tahun)
            if forum is not None
            else PlanningYear(kecamatan_code, tahun)
        )
        self.forum = forum
        self.clock = clock
        self.year_view: YearView | None = None

    def compose(self) -> ComposeResult:
        title = f"Tahun perencanaan {self.year.tahun}: {region_title(self.year.kecamatan)}"
        with VerticalScroll():
            yield Static(title, id="tahun-judul")
            yield Static("", id="tahun-catatan")
            yield Static("Langkah SOP", classes="subjudul")
            yield DataTable(id="langkah", cursor_type="row", zebra_stripes=True)
            yield Static("", id="desa-ringkas", classes="subjudul")
            yield DataTable(id="desa", cursor_type="row", zebra_stripes=True)
        yield KeyFooter()

    def on_mount(self) -> None:
        steps = self.query_one("#langkah", DataTable)
        steps.add_columns(*STEP_COLUMNS)
        desa = self.query_one("#desa", DataTable)
        desa.add_columns(*DESA_COLUMNS)
        self.action_muat_ulang()

    def action_muat_ulang(self) -> None:
        """Read the year again (after an import, a signature, a letter)."""
        self.year_view = self.year.view(self.forum, now=self.clock())
        steps = self.query_one("#langkah", DataTable)
        steps.clear()
        for status in self.year_view.steps:
            step = status.step
            steps.add_row(
                str(step.nomor),
                step.kegiatan,
                step.standar_teks,
                moment_text(status.mulai),
                moment_text(status.selesai),
                duration_text(status.durasi),
                status.keluaran or f"({step.keluaran})",
                step_state(status),
                key=str(step.nomor),
            )
        desa = self.query_one("#desa", DataTable)
        desa.clear()
        for row in self.year_view.desa:
            desa.add_row(*desa_row(row), key=row.kode)
        self.query_one("#desa-ringkas", Static).update(
            f"Desa: usulan {self.year_view.diterima} dari {len(self.year_view.desa)} desa diterima"
        )
        notes = self.query_one("#tahun-catatan", Static)
        notes.update("\n".join(self.year_view.notes))
        notes.display = bool(self.year_view.notes)

    def action_tutup(self) -> None:
        self.dismiss()
