"""Pressing the F-key of the tab on screen keeps the focus in that tab: typing goes on."""

from __future__ import annotations

import pytest
from textual.widgets import Input, TextArea

from tests.pilot_waits import focus_in, wait_for_forum, wait_until
from tui.app import TABS, MusrenbangApp

PANES = {pane: (key, class_name) for pane, key, _, _, class_name in TABS}


@pytest.mark.parametrize("pane", ["kehadiran", "notulen", "usulan", "prioritas", "ekspor"])
async def test_same_f_key_twice_keeps_the_focus(demo_forum_path, fixed_clock, pane):
    key, class_name = PANES[pane]
    app = MusrenbangApp(demo_forum_path, clock=fixed_clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for_forum(pilot)
        await pilot.press(key)
        await wait_until(pilot, lambda: focus_in(app.screen, class_name))
        await pilot.press(key)
        await pilot.pause()
        await pilot.pause()
        assert focus_in(app.screen, class_name), f"{key} twice: nothing focused"
        focused = app.screen.focused
        if isinstance(focused, Input | TextArea):
            before = focused.value if isinstance(focused, Input) else focused.text
            await pilot.press("x", "y")
            after = focused.value if isinstance(focused, Input) else focused.text
            assert after != before and "xy" in after
    app.close_forums()


async def test_same_f_key_on_the_tab_a_forum_opens_on(demo_forum_path, fixed_clock):
    """The first tab is built eagerly (no lazy load, no TabActivated): F2 there too."""
    app = MusrenbangApp(demo_forum_path, clock=fixed_clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for_forum(pilot)
        await wait_until(pilot, lambda: app.screen.focused is not None)
        await pilot.press("f2", "f2", "f2")
        await pilot.pause()
        assert focus_in(app.screen, "KehadiranPane")
    app.close_forums()
