"""SVG snapshots of the home, attendance and minutes screens at 80x24 and 120x40.

Stable by construction: a fixed clock, the deterministic demo forum, a fixed host name in
the lock holder, no blinking cursor. Update with ``--snapshot-update`` and look at the SVGs.
"""

from __future__ import annotations

import socket

import pytest
from textual.widgets import Input

from tests.pilot_waits import minutes_at_newest, open_tab, press, wait_for_forum, wait_until
from tui.app import MusrenbangApp

SIZES = [pytest.param((80, 24), id="80x24"), pytest.param((120, 40), id="120x40")]


@pytest.fixture(autouse=True)
def fixed_host(monkeypatch: pytest.MonkeyPatch) -> None:
    """The status bar names the host holding the forum; make it the same everywhere."""
    monkeypatch.setattr(socket, "gethostname", lambda: "laptop-kasi")


async def steady(pilot) -> None:
    """Let lists load and stop cursors blinking, so the picture does not depend on timing."""
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    for _ in range(100):  # the home list fills from a thread, whose start may come late
        tables = pilot.app.screen.query("#home-table")
        if not tables or tables.first().row_count:
            break
        await pilot.pause(0.02)
        await pilot.app.workers.wait_for_complete()
    for field in pilot.app.screen.query(Input):
        field.cursor_blink = False
    await pilot.pause()


@pytest.mark.parametrize("size", SIZES)
def test_home(snap_compare, demo_forum_path, fixed_clock, size):
    app = MusrenbangApp(clock=fixed_clock)
    assert snap_compare(app, terminal_size=size, run_before=steady)
    app.close_forums()


@pytest.mark.parametrize("size", SIZES)
def test_kehadiran(snap_compare, demo_forum_path, fixed_clock, size):
    async def ready(pilot) -> None:  # keys typed before the first tab has the focus are lost
        await wait_for_forum(pilot)
        await steady(pilot)

    app = MusrenbangApp(demo_forum_path, clock=fixed_clock)
    assert snap_compare(app, terminal_size=size, run_before=ready, press=["s", "i", "t"])
    app.close_forums()


@pytest.mark.parametrize("size", SIZES)
def test_notulen(snap_compare, demo_forum_path, fixed_clock, size):
    async def notulen(pilot) -> None:
        await open_tab(pilot, "f3", "NotulenPane")
        await wait_until(pilot, lambda: minutes_at_newest(pilot.app.screen))
        await press(pilot, "ctrl+s")  # the speaker picker: typed into once it is up
        await press(pilot, *"agus", "enter")
        await pilot.press(*"Jalan tani Dusun Kulon rusak berat")
        await steady(pilot)

    app = MusrenbangApp(demo_forum_path, clock=fixed_clock)
    assert snap_compare(app, terminal_size=size, run_before=notulen)
    app.close_forums()
