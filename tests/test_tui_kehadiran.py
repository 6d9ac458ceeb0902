"""The check-in desk (F2) driven by keys through Pilot: check-ins, a walk-in, undo, leave."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Select, Static

from store.attendance import is_present
from store.forum import open_forum
from tests.conftest import FIXED_NOW
from tests.pilot_waits import wait_for_screen
from tui.app import MusrenbangApp
from tui.widgets.peserta_form import WalkInScreen

NOW = FIXED_NOW.isoformat()


def absent_people(path: Path, count: int) -> list[dict]:
    """Participants of the demo forum not yet checked in, with a name unique enough to type."""
    with open_forum(path, readonly=True) as forum:
        people = forum.participants.all()
    names = [p["nama"] for p in people]
    return [p for p in people if not p["hadir_pukul"] and names.count(p["nama"]) == 1][:count]


def participants(path: Path) -> dict[int, dict]:
    with open_forum(path, readonly=True) as forum:
        return {p["id"]: p for p in forum.participants.all()}


def shown(app: MusrenbangApp, selector: str) -> str:
    """The plain text a Static shows (markup applied)."""
    return app.screen.query_one(selector, Static).render().plain


async def test_three_people_checked_in_by_name_and_enter(demo_forum_path, fixed_clock):
    people = absent_people(demo_forum_path, 3)
    app = MusrenbangApp(demo_forum_path, clock=fixed_clock)
    async with app.run_test(size=(100, 30)) as pilot:
        before = app.first_forum.participants.summary().hadir
        for person in people:
            await pilot.press(*person["nama"])
            await pilot.press("enter")
            await pilot.pause()
        assert f"Di ruangan   {before + 3} /" in shown(app, "#hadir-counters")
        info = shown(app, "#hadir-info")
        assert people[-1]["nama"] in info and "09.41.07" in info
    app.close_forums()
    stored = participants(demo_forum_path)
    for person in people:
        assert stored[person["id"]]["hadir_pukul"] == NOW


async def test_search_shows_only_matches_and_enter_on_present_changes_nothing(
    demo_forum_path, fixed_clock
):
    with open_forum(demo_forum_path, readonly=True) as forum:
        present = next(p for p in forum.participants.all() if is_present(p))
        audit_before = len(forum.audit())
    app = MusrenbangApp(demo_forum_path, clock=fixed_clock)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press(*present["nama"], "enter")
        await pilot.pause()
        info = shown(app, "#hadir-info")
        assert "sudah hadir" in info
        pane = app.screen.query_one("KehadiranPane")
        assert all(present["nama"].split()[0].lower() in p["nama"].lower() for p in pane._shown)
    app.close_forums()
    with open_forum(demo_forum_path, readonly=True) as forum:
        assert len(forum.audit()) == audit_before


async def test_undo_check_in_and_check_out(demo_forum_path, fixed_clock):
    person = absent_people(demo_forum_path, 1)[0]
    app = MusrenbangApp(demo_forum_path, clock=fixed_clock)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press(*person["nama"], "enter")
        await pilot.pause()
        await pilot.press("ctrl+z")  # the one just checked in is on top and highlighted
        await pilot.pause()
        assert participants(demo_forum_path)[person["id"]]["hadir_pukul"] is None
        await pilot.press(*person["nama"], "enter")
        await pilot.pause()
        in_room = shown(app, "#hadir-counters")
        await pilot.press("ctrl+o")
        await pilot.pause()
        assert "dicatat pulang pukul 09.41" in shown(app, "#hadir-info")  # with the time
        after = shown(app, "#hadir-counters")
        count = int(in_room.split("Di ruangan")[1].split("/")[0])
        assert f"Di ruangan   {count - 1} /" in after  # who left is not in the room
        assert "sudah pulang" in after
    app.close_forums()
    stored = participants(demo_forum_path)[person["id"]]
    assert stored["hadir_pukul"] == NOW and stored["pulang_pukul"] == NOW


async def test_walk_in_form_shows_error_beside_field_then_saves(demo_forum_path, fixed_clock):
    count_before = len(participants(demo_forum_path))
    app = MusrenbangApp(demo_forum_path, clock=fixed_clock)
    async with app.run_test(size=(100, 36)) as pilot:
        await pilot.press("ctrl+n")
        await pilot.pause()
        await wait_for_screen(pilot, WalkInScreen)
        form = app.screen
        assert isinstance(form, WalkInScreen)
        await pilot.press(*"Sri Mulyani")
        form.query_one("#jenis_kelamin", Select).value = "P"
        form.query_one("#unsur", Select).value = "Kelompok Perempuan"
        form.query_one("#desa", Select).value = "Japan"
        form.query_one("#nik").focus()
        await pilot.press(*"3516", "ctrl+s")
        await pilot.pause()
        error = form.query_one("#err-nik", Static)
        assert error.has_class("-shown") and "NIK" in error.render().plain
        assert len(app.first_forum.participants.all()) == count_before  # nothing saved
        form.query_one("#nik").value = ""
        await pilot.press(*"3516135203850003")
        mask = form.query_one("#nik-mask", Static).render().plain
        assert "351613********0003" in mask
        assert "3516135203850003" not in app.export_screenshot()
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert not isinstance(app.screen, WalkInScreen)
        info = shown(app, "#hadir-info")
        assert "Sri Mulyani" in info and "hadir" in info
    app.close_forums()
    added = [p for p in participants(demo_forum_path).values() if p["nama"] == "Sri Mulyani"]
    assert len(added) == 1
    assert added[0]["jenis_kelamin"] == "P" and added[0]["desa"] == "Japan"
    assert added[0]["unsur"] == "Kelompok Perempuan" and added[0]["hadir_pukul"] == NOW
    assert added[0]["nik"] == "3516135203850003"


async def test_walk_in_cancel_saves_nothing(demo_forum_path, fixed_clock):
    count_before = len(participants(demo_forum_path))
    app = MusrenbangApp(demo_forum_path, clock=fixed_clock)
    async with app.run_test(size=(100, 36)) as pilot:
        await pilot.press(*"Tamu", "ctrl+n")
        await pilot.pause()
        assert app.screen.query_one("#nama").value == "Tamu"  # what was typed comes along
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, WalkInScreen)
    app.close_forums()
    assert len(participants(demo_forum_path)) == count_before


async def test_a_failing_disk_is_reported_not_a_traceback(demo_forum_path, fixed_clock):
    person = absent_people(demo_forum_path, 1)[0]
    app = MusrenbangApp(demo_forum_path, clock=fixed_clock)
    async with app.run_test(size=(100, 30)) as pilot:

        def disk_full(rec_id: int) -> None:
            raise OSError(28, "No space left on device", str(demo_forum_path))

        app.first_forum.participants.check_in = disk_full
        await pilot.press(*person["nama"], "enter")
        await pilot.pause()
        assert app.is_running
        assert any("TIDAK tersimpan" in n.message for n in app._notifications)
        assert "hadir" not in shown(app, "#hadir-info")  # no false "checked in"
    app.close_forums()
    assert participants(demo_forum_path)[person["id"]]["hadir_pukul"] is None


async def test_undo_right_after_check_out_undoes_only_the_check_out(demo_forum_path, fixed_clock):
    """The search still typed after ctrl+o: the receipt stays, ctrl+z keeps the arrival."""
    person = absent_people(demo_forum_path, 1)[0]
    app = MusrenbangApp(demo_forum_path, clock=fixed_clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press(*person["nama"], "enter")
        await pilot.pause()
        await pilot.press(*person["nama"])  # searched again, as the desk does
        await pilot.pause()
        await pilot.press("ctrl+o")
        await pilot.pause()
        assert "pulang pukul 09.41" in shown(app, "#hadir-info")
        await pilot.press("ctrl+z")
        await pilot.pause()
        stored = participants(demo_forum_path)[person["id"]]
        assert stored["hadir_pukul"] == NOW and stored["pulang_pukul"] is None
        assert "Batal pulang" in shown(app, "#hadir-info")
        await pilot.press("ctrl+z")  # a second undo takes back the arrival itself
        await pilot.pause()
        assert participants(demo_forum_path)[person["id"]]["hadir_pukul"] is None
    app.close_forums()


async def test_walk_in_checkboxes_show_a_mark_only_when_ticked(demo_forum_path, fixed_clock):
    """Told apart without colour: ticked ``▐X▌``, unticked ``▐ ▌`` (and back when toggled)."""
    app = MusrenbangApp(demo_forum_path, clock=fixed_clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("ctrl+n")
        await pilot.pause()
        await wait_for_screen(pilot, WalkInScreen)
        form = app.screen
        assert isinstance(form, WalkInScreen)
        assert str(form.query_one("#hadir").render()).startswith("▐X▌")  # on by default
        disabilitas = form.query_one("#disabilitas")
        assert str(disabilitas.render()).startswith("▐ ▌")
        disabilitas.toggle()
        await pilot.pause()
        assert str(disabilitas.render()).startswith("▐X▌")
    app.close_forums()
