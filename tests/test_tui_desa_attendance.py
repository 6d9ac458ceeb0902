"""F2 in a desa forum: no per-desa delegate count (a kecamatan notion), a walk-in comes from
the forum's desa unless told otherwise, an empty lembaga shows "-" (never an unsur)."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Select

from tests.forum_factory import StepClock, make_forum
from tui.kehadiran.pane import Columns, counters_markup, person_row
from tui.widgets.peserta_form import WalkInScreen


def test_per_desa_delegates_only_in_a_kecamatan_forum(tmp_path: Path):
    forum = make_forum(tmp_path / "desa.musrenbang", level="desa", clock=StepClock())
    summary = forum.participants.summary(in_room=True)
    assert "per desa" not in counters_markup(summary, per_desa=False)
    assert "per desa" in counters_markup(summary, per_desa=True)
    forum.close()


def test_empty_lembaga_shows_a_dash_not_the_unsur():
    columns: Columns = [("Nama", 20), ("Lembaga", 12)]
    row = person_row({"nama": "Ani", "lembaga": "", "unsur": "Lainnya"}, columns).plain
    assert "Lainnya" not in row and row.split()[-1] == "-"


async def test_walk_in_of_a_desa_forum_comes_from_its_desa(tmp_path: Path):
    from textual.app import App

    forum = make_forum(tmp_path / "desa.musrenbang", level="desa", clock=StepClock())
    desa = forum.meta["wilayah_nama"]

    class Host(App[None]):
        def on_mount(self) -> None:
            self.push_screen(WalkInScreen(forum))

    async with Host().run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert pilot.app.screen.query_one("#desa", Select).value == desa
    forum.close()
