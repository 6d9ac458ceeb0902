"""The home screen: the forum list, a new forum, the demo, the office settings."""

from __future__ import annotations

from textual.widgets import DataTable, Input, Select, Static

from store.forum import open_forum
from store.office import load_office
from store.paths import forum_dir
from tests.pilot_waits import wait_for_screen
from tui.app import ForumScreen, MusrenbangApp
from tui.beranda.screen import HomeScreen, NewForumScreen, OfficeScreen, read_entry
from tui.widgets.dialogs import ConfirmDialog


async def home_loaded(app: MusrenbangApp, pilot) -> None:
    await app.workers.wait_for_complete()
    await pilot.pause()


async def test_lists_forums_and_opens_the_highlighted_one(demo_forum_path, fixed_clock):
    app = MusrenbangApp(clock=fixed_clock)
    async with app.run_test(size=(100, 30)) as pilot:
        await home_loaded(app, pilot)
        table = app.screen.query_one(DataTable)
        assert table.row_count == 1
        assert list(table.get_row_at(0)) == [
            "demo-sooko-2027",
            "Kecamatan",
            "Sooko",
            "2027",
            "12-02-2026",
            "DRAF",
        ]
        info = app.screen.query_one("#home-info", Static).render().plain
        assert "forum/demo-sooko-2027.musrenbang" in info
        await pilot.press("enter")
        await pilot.pause()
        await wait_for_screen(pilot, ForumScreen)
        assert isinstance(app.screen, ForumScreen) and not app.screen.forum.readonly
        await pilot.press("f10")  # closing the forum returns home and releases it
        await pilot.pause()
        await wait_for_screen(pilot, HomeScreen)
        assert isinstance(app.screen, HomeScreen)
        with open_forum(demo_forum_path):
            pass  # the app no longer holds the lock
    app.close_forums()


async def test_a_forum_opened_from_the_command_line_reads_no_list_behind_it(
    demo_forum_path, fixed_clock, monkeypatch
):
    """``musrenbang open F``: the home screen (which reads every listed forum, F itself
    included) is built only when F10 goes there; F10 twice is home, then the forum again."""
    from tui.beranda import screen as beranda

    read = []
    monkeypatch.setattr(beranda, "read_entry", lambda path: read.append(path) or read_entry(path))
    app = MusrenbangApp(demo_forum_path, clock=fixed_clock)
    async with app.run_test(size=(100, 30)) as pilot:
        await home_loaded(app, pilot)
        assert isinstance(app.screen, ForumScreen)
        assert not any(isinstance(s, HomeScreen) for s in app.screen_stack)
        assert read == []
        await pilot.press("f10")
        await home_loaded(app, pilot)
        assert isinstance(app.screen, HomeScreen) and read == [demo_forum_path.resolve()]
        assert app.screen.query_one(DataTable).row_count == 1
        await pilot.press("enter")  # the same forum again, from the list
        await pilot.pause()
        await wait_for_screen(pilot, ForumScreen)
        assert isinstance(app.screen, ForumScreen) and not app.screen.forum.readonly
        await pilot.press("f10")
        await pilot.pause()
        await wait_for_screen(pilot, HomeScreen)
        assert isinstance(app.screen, HomeScreen)
    app.close_forums()


def test_a_file_that_is_not_a_forum_is_listed_as_damaged(tmp_path):
    bad = forum_dir() / "rusak.musrenbang"
    bad.write_text("bukan forum")
    entry = read_entry(bad)
    assert entry.meta is None and "rusak.musrenbang" in entry.problem


async def test_create_forum_shows_errors_beside_fields_then_creates(fixed_clock):
    app = MusrenbangApp(clock=fixed_clock)
    async with app.run_test(size=(100, 40)) as pilot:
        await home_loaded(app, pilot)
        await pilot.press("ctrl+n")
        await pilot.pause()
        await wait_for_screen(pilot, NewForumScreen)
        form = app.screen
        assert isinstance(form, NewForumScreen)
        assert form.query_one("#tahun").value == "2027"
        assert form.query_one("#berkas").value == "musrenbang-kec-sooko-2027"
        form.query_one("#tanggal").value = "31-02-2026"
        form.query_one("#pagu").value = "150 m"  # metre or miliar?
        await pilot.press("ctrl+s")
        await pilot.pause()
        error = form.query_one("#err-tanggal", Static)
        assert error.has_class("-shown") and "31-02-2026" in error.render().plain
        pagu_error = form.query_one("#err-pagu", Static)  # every field's error at once
        assert pagu_error.has_class("-shown") and "150 m" in pagu_error.render().plain
        assert not any(forum_dir().glob("*.musrenbang"))  # nothing created
        form.query_one("#level", Select).value = "desa"
        await pilot.pause()
        form.query_one("#desa", Select).value = "35.16.13.2009"
        form.query_one("#tanggal").value = "05-02-2026"
        form.query_one("#pukul").value = "09.00"
        form.query_one("#tempat").value = "Balai Desa Japan"
        form.query_one("#pagu").value = "Rp1.250.000.000"
        await pilot.pause()
        assert form.query_one("#berkas").value == "musrenbang-desa-japan-2027"
        await pilot.press("ctrl+s")
        await pilot.pause()
        await wait_for_screen(pilot, ForumScreen)
        assert isinstance(app.screen, ForumScreen)
        assert app.screen.query_one("#hd-title", Static).render().plain == (
            "Musrenbang Desa Japan Tahun 2027"
        )
    app.close_forums()
    path = forum_dir() / "musrenbang-desa-japan-2027.musrenbang"
    with open_forum(path, readonly=True) as forum:
        meta = forum.meta
        assert (meta["level"], meta["wilayah_kode"], meta["tanggal"], meta["pukul"]) == (
            "desa",
            "35.16.13.2009",
            "2026-02-05",
            "09:00",
        )
        assert meta["pagu"] == 1_250_000_000 and meta["tempat"] == "Balai Desa Japan"
        agenda = forum.agenda.all()
        assert len(agenda) > 5  # starts with the standard running order, at the forum's time
        assert agenda[0]["rencana_mulai"] == "09:00"
    assert str(path.resolve()) in load_office()["recent"]


async def test_a_planning_year_off_the_date_is_asked_and_a_placeholder_is_no_value(
    fixed_clock,
):
    app = MusrenbangApp(clock=fixed_clock)
    async with app.run_test(size=(100, 40)) as pilot:
        await home_loaded(app, pilot)
        await pilot.press("ctrl+n")
        await pilot.pause()
        form = app.screen
        assert form.query_one("#pagu", Input).placeholder.startswith("kosong = belum ada")
        form.query_one("#tahun").value = "2026"
        form.query_one("#tanggal").value = "12-02-2026"
        await pilot.press("ctrl+s")
        await pilot.pause()
        await wait_for_screen(pilot, ConfirmDialog)
        assert isinstance(app.screen, ConfirmDialog)
        assert "biasanya tahun perencanaannya 2027" in str(
            app.screen.query_one("#confirm-text", Static).render()
        )
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is form and not any(forum_dir().glob("*.musrenbang"))
        await pilot.press("ctrl+s")
        await pilot.pause()
        await pilot.press("enter")  # the operator keeps the year
        await pilot.pause()
        await wait_for_screen(pilot, ForumScreen)
        assert isinstance(app.screen, ForumScreen)
    app.close_forums()
    (path,) = forum_dir().glob("*.musrenbang")
    with open_forum(path, readonly=True) as forum:
        assert forum.meta["tahun"] == 2026 and forum.meta["pagu"] == 0


async def test_demo_key_opens_the_demo_forum(demo_forum_path, fixed_clock):
    app = MusrenbangApp(clock=fixed_clock)
    async with app.run_test(size=(100, 30)) as pilot:
        await home_loaded(app, pilot)
        await pilot.press("ctrl+d")
        await pilot.pause()
        await wait_for_screen(pilot, ForumScreen)
        assert isinstance(app.screen, ForumScreen)
        assert app.screen.forum.path == demo_forum_path
    app.close_forums()


async def test_office_settings_refuse_a_bad_nip_and_save_a_good_one(fixed_clock):
    app = MusrenbangApp(clock=fixed_clock)
    async with app.run_test(size=(100, 40)) as pilot:
        await home_loaded(app, pilot)
        await pilot.press("ctrl+k")
        await pilot.pause()
        await wait_for_screen(pilot, OfficeScreen)
        form = app.screen
        assert isinstance(form, OfficeScreen)
        form.query_one("#kop-instansi").value = "KECAMATAN SOOKO"
        form.query_one("#operator").value = "Rina"
        form.query_one("#kertas", Select).value = "F4"
        form.query_one("#camat-nama").value = "Drs. Hendro Prasetyo, M.Si"
        form.query_one("#camat-pangkat").value = "Pembina Tk. I (IV/b)"
        form.query_one("#camat-nip").value = "1969 1119"
        await pilot.press("ctrl+s")
        await pilot.pause()
        await wait_for_screen(pilot, OfficeScreen)
        assert isinstance(app.screen, OfficeScreen)
        assert app.focused.id == "camat-nip"
        assert any("NIP Camat" in n.message for n in app._notifications)
        assert load_office()["kop"]["instansi"] == ""  # nothing saved
        form.query_one("#camat-nip").value = "19691119 199803 1 005"
        await pilot.press("ctrl+s")
        await pilot.pause()
        await wait_for_screen(pilot, HomeScreen)
        assert isinstance(app.screen, HomeScreen)
    app.close_forums()
    office = load_office()
    assert office["kop"]["instansi"] == "KECAMATAN SOOKO"
    assert (office["operator"], office["kertas"]) == ("Rina", "F4")
    assert office["penandatangan"]["camat"] == {
        "nama": "Drs. Hendro Prasetyo, M.Si",
        "pangkat": "Pembina Tk. I (IV/b)",
        "nip": "196911191998031005",
        "jabatan": "Camat",
    }


async def test_office_settings_set_the_letter_numbering_and_refuse_a_slash(fixed_clock):
    app = MusrenbangApp(clock=fixed_clock)
    async with app.run_test(size=(100, 40)) as pilot:
        await home_loaded(app, pilot)
        await pilot.press("ctrl+k")
        await pilot.pause()
        form = app.screen
        assert form.query_one("#klasifikasi").value == "050"
        form.query_one("#kode_unit").value = "416/313"
        await pilot.press("ctrl+s")
        await pilot.pause()
        await wait_for_screen(pilot, OfficeScreen)
        assert isinstance(app.screen, OfficeScreen)
        assert app.focused.id == "kode_unit"
        assert load_office()["agenda_setelan"]["kode_unit"] == ""  # nothing saved
        form.query_one("#kode_unit").value = "416-313"
        form.query_one("#klasifikasi").value = "065"
        await pilot.press("ctrl+s")
        await pilot.pause()
        await wait_for_screen(pilot, HomeScreen)
        assert isinstance(app.screen, HomeScreen)
    app.close_forums()
    assert load_office()["agenda_setelan"] == {"klasifikasi": "065", "kode_unit": "416-313"}


async def test_keys_typed_after_a_dropdown_choice_go_to_the_next_field(fixed_clock):
    """Forum baru: Tingkat desa, Kecamatan, Desa chosen by keys, then typing goes on in the
    next field (Tahun) instead of being lost on the closed dropdown."""
    app = MusrenbangApp(clock=fixed_clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await home_loaded(app, pilot)
        await pilot.press("ctrl+n")
        await pilot.pause()
        await wait_for_screen(pilot, NewForumScreen)
        form = app.screen
        assert isinstance(form, NewForumScreen) and form.focused is form.query_one("#level")
        await pilot.press("enter", "down", "enter")  # Tingkat: desa
        await pilot.pause()
        assert form.query_one("#level", Select).value == "desa"
        assert form.focused is form.query_one("#kecamatan", Select)
        await pilot.press("tab")  # Kecamatan kept as it is
        await pilot.pause()
        await pilot.press("enter", "down", "enter")  # Desa: the first desa
        await pilot.pause()
        assert isinstance(form.query_one("#desa", Select).value, str)
        await pilot.press("ctrl+u", *"2028")
        await pilot.pause()
        assert form.query_one("#tahun").value == "2028"
