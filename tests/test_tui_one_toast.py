"""The same message shown again replaces the toast on screen instead of stacking."""

from __future__ import annotations

from tests.pilot_waits import open_tab
from tui.app import MusrenbangApp


async def test_scores_typed_on_the_pkt_column_show_one_toast(demo_forum_path, fixed_clock):
    app = MusrenbangApp(demo_forum_path, clock=fixed_clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_tab(pilot, "f5", "PrioritasPane")
        await pilot.press("home")  # the first column: No / Pkt, not a criterion
        await pilot.pause()
        await pilot.press("3", "4", "5", "3", "2", "1")
        await pilot.pause()
        messages = [n.message for n in app._notifications]
        assert messages, "a refused score says why"
        assert len(messages) == len(set(messages)) == 1
        app.notify("lain")  # a different message still shows beside it
        await pilot.pause()
        assert len(list(app._notifications)) == 2
    app.close_forums()
