"""Pilot tests of the planning-year screen: steps with overdue marks, the desa table, reload."""

from __future__ import annotations

from datetime import datetime, timedelta

from textual.app import App
from textual.widgets import DataTable, Static

from store.planning_year import PlanningYear
from tests.sop_helpers import SOOKO
from tui.tahun.screen import PlanningYearScreen, duration_text

NOW = datetime(2026, 2, 20, 10, 0)


class Host(App):
    def on_mount(self) -> None:
        self.push_screen(PlanningYearScreen(SOOKO, 2027, clock=lambda: NOW))


def cells(table: DataTable, row: int) -> list[str]:
    return [str(cell) for cell in table.get_row_at(row)]


def test_durations_read_as_people_say_them() -> None:
    assert duration_text(timedelta(minutes=25)) == "25 menit"
    assert duration_text(timedelta(hours=2, minutes=5)) == "2 jam 5 menit"
    assert duration_text(timedelta(days=2, hours=3, minutes=7)) == "2 hari 3 jam"
    assert duration_text(None) == "-"


async def test_steps_overdue_marks_and_desa_rows() -> None:
    year = PlanningYear(SOOKO, 2027)
    start = datetime(2026, 1, 6, 8, 0)
    year.mark(1, mulai=start, selesai=start + timedelta(minutes=45), keluaran="15 surat ke desa")
    year.record_desa(
        "35.16.13.2001",
        musrenbangdes=datetime(2026, 1, 20, 9, 0),
        diterima=datetime(2026, 1, 21, 10, 0),
    )
    app = Host()
    async with app.run_test(size=(160, 50)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, PlanningYearScreen)
        steps = screen.query_one("#langkah", DataTable)
        assert steps.row_count == 7
        first = cells(steps, 0)
        assert first[2] == "30 menit" and first[3] == "06-01-2026 08.00"
        assert first[5] == "45 menit" and first[6] == "15 surat ke desa"
        assert "selesai" in first[7] and "TERLAMBAT" in first[7]
        assert "TERLAMBAT" not in cells(steps, 4)[7]
        desa = screen.query_one("#desa", DataTable)
        assert desa.row_count == 15
        assert cells(desa, 0)[1] == "Gemekan" and cells(desa, 0)[6] == "usulan diterima"
        assert cells(desa, 1)[6] == "belum ada surat"
        summary = screen.query_one("#desa-ringkas", Static)
        assert "1 dari 15" in str(summary.content)

        year.record_desa("35.16.13.2009", diterima=datetime(2026, 1, 22, 9, 0))
        await pilot.press("r")
        await pilot.pause()
        assert cells(desa, 8)[1] == "Japan" and cells(desa, 8)[6] == "usulan diterima"
        assert "2 dari 15" in str(summary.content)

        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, PlanningYearScreen)
