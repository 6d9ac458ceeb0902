"""The app shell: header, tabs, status bar, palette, read-only mode, copy to flash disk."""

from __future__ import annotations

from textual.command import CommandList, CommandPalette
from textual.widgets import Static, TabbedContent

from store.forum import open_forum
from tests.pilot_waits import open_tab, wait_for_screen
from tui.app import ForumScreen, MusrenbangApp
from tui.widgets.bantuan import KeysScreen
from tui.widgets.salin import CopyScreen
from tui.widgets.statusbar import StatusBar


def plain(app: MusrenbangApp, selector: str) -> str:
    return app.screen.query_one(selector, Static).render().plain


async def test_header_shows_title_date_and_status(demo_forum_path, fixed_clock):
    app = MusrenbangApp(demo_forum_path, clock=fixed_clock)
    async with app.run_test(size=(120, 40)):
        assert plain(app, "#hd-title") == "Musrenbang Kecamatan Sooko Tahun 2027"
        assert plain(app, "#hd-time") == "Kamis, 12 Februari 2026 09.41 WIB"
        assert plain(app, "#hd-status") == "DRAF"
        assert plain(app, "#sb-lock").startswith("kunci: ") and "(ini)" in plain(app, "#sb-lock")
        assert plain(app, "#sb-forum") == demo_forum_path.name
    app.close_forums()


async def test_header_keeps_a_signed_status_whole_at_80_columns(demo_forum_path, fixed_clock):
    app = MusrenbangApp(demo_forum_path, clock=fixed_clock)
    async with app.run_test(size=(80, 24)) as pilot:
        header = app.screen.query_one("#header")
        header.query_one("#hd-status", Static).update("DITANDATANGANI")
        await pilot.pause()
        assert plain(app, "#hd-time") == "12-02-2026 09.41"
        title = app.screen.query_one("#hd-title", Static)
        status = app.screen.query_one("#hd-status", Static)
        assert title.region.right <= app.screen.query_one("#hd-time").region.x
        assert status.region.right <= 80 and status.region.width >= len("DITANDATANGANI")
        assert title.region.width >= len("Musrenbang Kecamatan Sooko Tahun 2027")
    app.close_forums()


async def test_f_keys_switch_tabs_and_missing_panes_do_not_break(demo_forum_path, fixed_clock):
    app = MusrenbangApp(demo_forum_path, clock=fixed_clock)
    async with app.run_test(size=(100, 30)) as pilot:
        tabs = app.screen.query_one(TabbedContent)
        for key, pane in (
            ("f3", "notulen"),
            ("f4", "usulan"),
            ("f5", "prioritas"),
            ("f6", "ekspor"),
            ("f2", "kehadiran"),
        ):
            await pilot.press(key)
            await pilot.pause()
            assert tabs.active == pane
            assert app.screen.query_one(f"#{pane}").display
        assert app.focused is not None and app.focused.id == "hadir-cari"
    app.close_forums()


async def test_palette_lists_screen_actions_and_textual_commands_in_indonesian(
    demo_forum_path, fixed_clock
):
    app = MusrenbangApp(demo_forum_path, clock=fixed_clock)
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.press("ctrl+p")
        await pilot.pause(0.3)
        assert isinstance(app.screen, CommandPalette)
        options = app.screen.query_one(CommandList)
        titles = [
            str(options.get_option_at_index(i).prompt).split("\n")[0]
            for i in range(options.option_count)
        ]
        text = "\n".join(titles)
        for wanted in (
            "Tema",
            "Keluar",
            "Tombol",
            "Tangkapan layar",
            "Tambah peserta datang langsung",
            "Buka tab Notulen",
            "Salin forum dan cadangannya ke flashdisk",
        ):
            assert wanted in text
        for english in ("Theme", "Quit", "Keys", "Screenshot", "Move cursor left"):
            assert english not in titles
        await pilot.press(*"salin", "enter")
        await pilot.pause()
        await wait_for_screen(pilot, CopyScreen)
        assert isinstance(app.screen, CopyScreen)
    app.close_forums()


async def test_f1_lists_the_keys_of_the_screen(demo_forum_path, fixed_clock):
    app = MusrenbangApp(demo_forum_path, clock=fixed_clock)
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.press("f1")
        await pilot.pause()
        await wait_for_screen(pilot, KeysScreen)
        assert isinstance(app.screen, KeysScreen)
        rows = app.screen._rows
        assert ("^n", "Tambah peserta datang langsung") in rows
        assert ("f3", "Buka tab Notulen") in rows
        assert not any("cursor" in what.lower() for _, what in rows)  # Textual's own keys
        await pilot.press("escape")
        await pilot.pause()
        await wait_for_screen(pilot, ForumScreen)
        assert isinstance(app.screen, ForumScreen)
    app.close_forums()


async def test_status_bar_says_saved_after_a_change(demo_forum_path, fixed_clock):
    app = MusrenbangApp(demo_forum_path, clock=fixed_clock)
    async with app.run_test(size=(100, 30)) as pilot:
        assert plain(app, "#sb-saved") == "Semua tersimpan"
        absent = next(p for p in app.first_forum.participants.all() if not p["hadir_pukul"])
        app.first_forum.participants.check_in(absent["id"])  # any change, from anywhere
        await pilot.pause()
        assert plain(app, "#sb-saved") == "Tersimpan 09.41.07"
    app.close_forums()


async def test_status_bar_names_a_backup_that_failed(demo_forum_path, fixed_clock):
    app = MusrenbangApp(demo_forum_path, clock=fixed_clock)
    async with app.run_test(size=(80, 24)) as pilot:
        forum = app.first_forum
        absent = next(p for p in forum.participants.all() if not p["hadir_pukul"])
        forum.participants.check_in(absent["id"])
        await pilot.pause()
        assert plain(app, "#sb-saved") == "Tersimpan 09.41.07"
        forum._db.backup_problem = "tidak ada izin menulis"  # a background backup fails...
        app.screen.query_one(StatusBar)._look_at_backup()  # ...and the next look finds it
        await pilot.pause()
        assert plain(app, "#sb-saved") == "CADANGAN GAGAL · Tersimpan 09.41.07"
        told = [n.message for n in app._notifications]
        assert len(told) == 1 and "tidak ada izin menulis" in told[0]
        forum.participants.undo_check_in(absent["id"])
        await pilot.pause()
        assert len(app._notifications) == 1  # told once, not on every change
    app.close_forums()


async def test_read_only_when_held_elsewhere_then_writable_after_release(
    demo_forum_path, fixed_clock
):
    holder = open_forum(demo_forum_path, operator="Sari")
    app = MusrenbangApp(demo_forum_path, clock=fixed_clock)
    try:
        async with app.run_test(size=(120, 30)) as pilot:
            forum = app.first_forum
            assert forum.readonly
            assert "HANYA-BACA: dipegang Sari" in plain(app, "#sb-lock")
            absent = next(p for p in forum.participants.all() if not p["hadir_pukul"])
            await pilot.press(*absent["nama"], "enter")
            await pilot.pause()
            assert any("hanya-baca" in n.message for n in app._notifications)
            # The writer files a minute; the read-only window picks it up.
            holder.minutes.add("Catatan dari laptop notulis")
            app.screen.poll_writer()
            await open_tab(pilot, "f3", "NotulenPane")
            assert any(
                e["teks"] == "Catatan dari laptop notulis"
                for e in app.screen.query_one("NotulenPane")._entries
            )
            holder.close()
            app.screen.poll_writer()
            await pilot.press("ctrl+r")
            await pilot.pause()
            assert not app.forum.readonly
            assert "(ini)" in plain(app, "#sb-lock")
            assert app.screen.query_one(TabbedContent).active == "notulen"
    finally:
        holder.close()
        app.close_forums()
    with open_forum(demo_forum_path, readonly=True) as forum:
        assert not forum.participants.get(absent["id"])["hadir_pukul"]


async def test_copy_to_flash_disk_runs_in_a_worker_and_reports(
    demo_forum_path, fixed_clock, tmp_path
):
    target = tmp_path / "flashdisk" / "musrenbang"
    app = MusrenbangApp(demo_forum_path, clock=fixed_clock)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("f8")
        await pilot.pause()
        await wait_for_screen(pilot, CopyScreen)
        screen = app.screen
        assert isinstance(screen, CopyScreen)
        screen.query_one("#tujuan").value = str(target)
        await pilot.press("enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        report = screen.query_one("#report", Static).render().plain
        assert "tersalin" in report and str(target / demo_forum_path.name) in report
    app.close_forums()
    assert (target / demo_forum_path.name).read_bytes() == demo_forum_path.read_bytes()


async def test_copy_to_an_impossible_folder_says_why(demo_forum_path, fixed_clock, tmp_path):
    blocker = tmp_path / "bukan-folder"
    blocker.write_text("x")
    app = MusrenbangApp(demo_forum_path, clock=fixed_clock)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("f8")
        await pilot.pause()
        app.screen.query_one("#tujuan").value = str(blocker / "sub")
        await pilot.press("enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        report = app.screen.query_one("#report", Static)
        assert report.has_class("error") and "Gagal menyalin" in report.render().plain
    app.close_forums()


async def test_ctrl_q_quits_at_once(demo_forum_path, fixed_clock):
    app = MusrenbangApp(demo_forum_path, clock=fixed_clock)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("ctrl+q")
        await pilot.pause()
        assert app._exit
    app.close_forums()


def test_open_of_a_damaged_file_says_why_and_exits_2(tmp_path, capsys):
    from tui.cli.main import main

    bad = tmp_path / "rusak.musrenbang"
    bad.write_text("ini bukan forum")
    assert main(["open", str(bad)]) == 2
    err = capsys.readouterr().err
    assert "rusak.musrenbang" in err and "Traceback" not in err
    assert bad.read_text() == "ini bukan forum"  # untouched


async def test_planning_year_and_bundle_intake_open_from_a_kecamatan_forum(
    demo_forum_path, fixed_clock, tmp_path
):
    from tui.intake.screen import IntakeScreen
    from tui.tahun.screen import PlanningYearScreen

    app = MusrenbangApp(demo_forum_path, clock=fixed_clock)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("f12")
        await pilot.pause()
        await wait_for_screen(pilot, PlanningYearScreen)
        assert isinstance(app.screen, PlanningYearScreen)
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("shift+f7")
        await pilot.pause()
        missing = tmp_path / "tidak-ada.zip"
        for char in str(missing):
            await pilot.press(char)
        await pilot.press("enter")
        await pilot.pause()
        await wait_for_screen(pilot, IntakeScreen)
        assert isinstance(app.screen, IntakeScreen)
        assert "tidak ditemukan" in plain(app, "#intake-galat")
    app.close_forums()


async def test_persiapan_and_susunan_acara_open_by_key_and_are_in_f1(demo_forum_path, fixed_clock):
    from tui.persiapan.agenda import AgendaScreen
    from tui.persiapan.screen import PersiapanScreen

    app = MusrenbangApp(demo_forum_path, clock=fixed_clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f1")
        await pilot.pause()
        rows = app.screen._rows
        assert any(what.startswith("Persiapan forum: nomor BA") for _, what in rows)
        assert any(what.startswith("Susunan acara") for _, what in rows)
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("alt+p")  # the search field has the focus: the key still works
        await pilot.pause()
        await wait_for_screen(pilot, PersiapanScreen)
        assert isinstance(app.screen, PersiapanScreen)
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("alt+a")
        await pilot.pause()
        await wait_for_screen(pilot, AgendaScreen)
        assert isinstance(app.screen, AgendaScreen)
        await pilot.press("escape")
        await pilot.pause()
        await wait_for_screen(pilot, ForumScreen)
        assert isinstance(app.screen, ForumScreen)
    app.close_forums()
