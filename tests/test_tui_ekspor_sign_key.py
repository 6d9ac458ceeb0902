"""ctrl+t (signing) is offered on F6 of a draft forum too: footer, F1 and palette name it, and
pressing it says in one line why it cannot be done yet."""

from __future__ import annotations

from textual.widgets._footer import FooterKey

from tests.pilot_waits import open_tab, wait_for_forum, wait_until
from tui.app import MusrenbangApp
from tui.commands import app_actions
from tui.ekspor.sign import EksporSign
from tui.widgets.footer import KeyFooter


async def test_sign_key_on_a_draft_forum_is_shown_and_explains(demo_forum_path, fixed_clock):
    app = MusrenbangApp(demo_forum_path, clock=fixed_clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for_forum(pilot)
        assert app.screen.forum.status == "draf"
        await open_tab(pilot, "f6", "EksporPane")
        await pilot.pause()
        footer = app.screen.query_one(KeyFooter)
        await wait_until(pilot, lambda: bool(footer.query(FooterKey)))
        assert "ctrl+t" in [key.key for key in footer.query(FooterKey)]  # whole, at 80 cols
        listed = {action.binding.action for action in app_actions(app.screen)}  # F1, palette
        assert "tanda_tangan" in listed
        await pilot.press("ctrl+t")
        await pilot.pause()
        assert not isinstance(app.screen, EksporSign)
        said = [n.message for n in app._notifications]
        assert any("setelah forum final" in m and "ctrl+l" in m for m in said)
        assert all("\n" not in m for m in said if "ctrl+l" in m)
    app.close_forums()
