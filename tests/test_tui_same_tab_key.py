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


async def test_a_tab_asked_for_while_another_loads_keeps_the_typing(
    demo_forum_path, fixed_clock, monkeypatch
):
    """F4 then F3 while F4 is still being built (seconds at a Kabupaten's scale): F3 stays on
    screen with the focus, and what is typed lands there (the late F4 load used to take
    the focus, and the tab, back)."""
    import asyncio

    from tui.app import ForumScreen

    load = ForumScreen.load_tab

    async def slow_usulan(self, pane: str) -> None:
        if pane == "usulan":
            await asyncio.sleep(0.5)
        await load(self, pane)

    monkeypatch.setattr(ForumScreen, "load_tab", slow_usulan)
    app = MusrenbangApp(demo_forum_path, clock=fixed_clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_until(pilot, lambda: type(app.screen).__name__ == "ForumScreen")
        await pilot.press("f4")
        await pilot.pause()
        await pilot.press("f3")
        await wait_until(pilot, lambda: focus_in(app.screen, "NotulenPane"))
        await pilot.pause(0.8)  # the F4 load ends meanwhile
        assert focus_in(app.screen, "NotulenPane")
        await pilot.press("x", "y")
        focused = app.screen.focused
        assert isinstance(focused, TextArea | Input)
        assert "xy" in (focused.text if isinstance(focused, TextArea) else focused.value)
    app.close_forums()
