"""SVG snapshots of the Prioritas tab (F5): the scoring grid and the ranking with its pagu line.

Same recipe as ``test_tui_snapshots``: a fixed clock, the deterministic demo forum, a fixed
host name, at 80x24 and 120x40. Update with ``--snapshot-update`` and look at the SVGs.
"""

from __future__ import annotations

import socket

import pytest

from tests.pilot_waits import open_tab
from tui.app import MusrenbangApp
from tui.prioritas.pane import PrioritasPane, ResultTable, ScoreGrid

SIZES = [pytest.param((80, 24), id="80x24"), pytest.param((120, 40), id="120x40")]


@pytest.fixture(autouse=True)
def fixed_host(monkeypatch: pytest.MonkeyPatch) -> None:
    """The status bar names the host holding the forum; make it the same everywhere."""
    monkeypatch.setattr(socket, "gethostname", lambda: "laptop-kasi")


async def open_prioritas(pilot) -> None:
    """F5, then wait until the pane has read the forum and its grid has rows."""
    await open_tab(pilot, "f5", "PrioritasPane")
    await pilot.app.workers.wait_for_complete()
    for _ in range(50):
        await pilot.pause()
        grids = pilot.app.screen.query(ScoreGrid)
        if grids and grids.first().row_count:
            break
    assert pilot.app.screen.query_one(PrioritasPane).data is not None
    await pilot.pause()


@pytest.mark.parametrize("size", SIZES)
def test_penilaian(snap_compare, demo_forum_path, fixed_clock, size):
    app = MusrenbangApp(demo_forum_path, clock=fixed_clock)
    assert snap_compare(app, terminal_size=size, run_before=open_prioritas)
    app.close_forums()


@pytest.mark.parametrize("size", SIZES)
def test_hasil(snap_compare, demo_forum_path, fixed_clock, size):
    async def hasil(pilot) -> None:
        await open_prioritas(pilot)
        await pilot.press("ctrl+g")
        await pilot.pause()
        assert pilot.app.screen.query_one(ResultTable).row_count
        await pilot.pause()

    app = MusrenbangApp(demo_forum_path, clock=fixed_clock)
    assert snap_compare(app, terminal_size=size, run_before=hasil)
    app.close_forums()
