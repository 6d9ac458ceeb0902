"""What a tired note-taker expects: the newest minutes in view, entries told apart."""

from __future__ import annotations

from store.forum import open_forum
from tests.pilot_waits import open_tab
from tui.app import MusrenbangApp
from tui.widgets.row_list import RowList


async def test_minutes_open_at_newest_and_first_up_picks_it(demo_forum_path, fixed_clock):
    with open_forum(demo_forum_path, readonly=True) as forum:
        newest = forum.minutes.all()[-1]
    app = MusrenbangApp(demo_forum_path, clock=fixed_clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_tab(pilot, "f3", "NotulenPane")
        await pilot.pause()
        rows = app.screen.query_one("#notulen-list", RowList)
        assert rows.scroll_offset.y == rows.max_scroll_y > 0  # the end is in view
        assert rows.cursor == rows.row_count  # nothing highlighted yet
        await pilot.press("up", "ctrl+e")
        await pilot.pause()
        mode = str(app.screen.query_one("#editor-mode").render())
        assert newest["teks"][:10] in mode  # named by its text, not only its minute
        assert app.screen.query_one("#teks").value == newest["teks"]
    app.close_forums()


async def test_old_toast_does_not_cover_the_next_dialog(demo_forum_path, fixed_clock):
    app = MusrenbangApp(demo_forum_path, clock=fixed_clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_tab(pilot, "f4", "UsulanPane")
        app.notify("Impor selesai: 3 usulan ditambahkan.", timeout=30)
        await pilot.pause()
        assert app._notifications  # the toast is up
        await pilot.press("ctrl+a")
        await pilot.pause()
        assert not app._notifications
    app.close_forums()
