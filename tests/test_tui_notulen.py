"""The minutes editor (F3) driven by keys: each kind of entry, edit, delete, the agenda."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Static

from store.attendance import is_present
from store.forum import open_forum
from tests.conftest import FIXED_NOW
from tests.pilot_waits import open_tab, wait_for_screen
from tui.app import MusrenbangApp
from tui.widgets.dialogs import ConfirmDialog
from tui.widgets.pembicara import SpeakerScreen
from tui.widgets.row_list import RowList

NOW = FIXED_NOW.isoformat()


def stored(path: Path) -> tuple[list[dict], dict | None, list[dict]]:
    """Minutes (in filing order), current agenda item and audit log as saved on disk."""
    with open_forum(path, readonly=True) as forum:
        minutes = sorted(forum.minutes.all(), key=lambda m: m["id"])  # in filing order
        return minutes, forum.agenda.current(), forum.audit()


async def open_notulen(pilot) -> None:
    await open_tab(pilot, "f3", "NotulenPane")


async def test_catatan_filed_under_current_item_with_time(demo_forum_path, fixed_clock):
    _, current, _ = stored(demo_forum_path)
    app = MusrenbangApp(demo_forum_path, clock=fixed_clock)
    async with app.run_test(size=(100, 30)) as pilot:
        await open_notulen(pilot)
        await pilot.press(*"Camat membuka diskusi kelompok", "enter")
        await pilot.pause()
        assert app.screen.query_one("#teks").value == ""  # ready for the next line
        status = app.screen.query_one("#sb-saved", Static).render().plain
        assert status == "Tersimpan 09.41.07"
    app.close_forums()
    minutes, _, _ = stored(demo_forum_path)
    entry = minutes[-1]
    assert entry["teks"] == "Camat membuka diskusi kelompok"
    assert entry["jenis"] == "catatan" and entry["waktu"] == NOW
    assert entry["agenda_id"] == current["id"]


async def test_tanggapan_with_speaker_picked_from_attendees(demo_forum_path, fixed_clock):
    with open_forum(demo_forum_path, readonly=True) as forum:
        people = forum.participants.all()
    names = [p["nama"] for p in people]
    speaker = next(p for p in people if is_present(p) and names.count(p["nama"]) == 1)
    app = MusrenbangApp(demo_forum_path, clock=fixed_clock)
    async with app.run_test(size=(100, 30)) as pilot:
        await open_notulen(pilot)
        await pilot.press("ctrl+s")
        await pilot.pause()
        await wait_for_screen(pilot, SpeakerScreen)
        assert isinstance(app.screen, SpeakerScreen)
        await pilot.press(*speaker["nama"], "enter")
        await pilot.pause()
        mode = app.screen.query_one("#editor-mode", Static).render().plain
        assert "TANGGAPAN" in mode and speaker["nama"] in mode and speaker["unsur"] in mode
        await pilot.press(*"Jalan tani Dusun Kulon rusak berat", "enter")
        await pilot.pause()
        mode = app.screen.query_one("#editor-mode", Static).render().plain
        assert "CATATAN" in mode and speaker["nama"] not in mode  # never carried over
    app.close_forums()
    entry = stored(demo_forum_path)[0][-1]
    assert entry["jenis"] == "tanggapan" and entry["pembicara_id"] == speaker["id"]
    assert entry["pembicara_nama"] == speaker["nama"]
    assert speaker["unsur"] in entry["pembicara_unsur"]


async def test_tanggapan_without_speaker_is_refused_and_kept_in_editor(
    demo_forum_path, fixed_clock
):
    count = len(stored(demo_forum_path)[0])
    app = MusrenbangApp(demo_forum_path, clock=fixed_clock)
    async with app.run_test(size=(100, 30)) as pilot:
        await open_notulen(pilot)
        await pilot.press("ctrl+t", *"Usul jembatan", "enter")
        await pilot.pause()
        assert app.screen.query_one("#teks").value == "Usul jembatan"
        assert any("pembicara" in n.message.lower() for n in app._notifications)
    app.close_forums()
    assert len(stored(demo_forum_path)[0]) == count


async def test_keputusan_by_mufakat_and_by_voting_with_result(demo_forum_path, fixed_clock):
    app = MusrenbangApp(demo_forum_path, clock=fixed_clock)
    async with app.run_test(size=(100, 30)) as pilot:
        await open_notulen(pilot)
        await pilot.press("ctrl+t", "ctrl+t")  # catatan -> tanggapan -> keputusan (mufakat)
        await pilot.press(*"Irigasi Brangkal masuk prioritas", "tab", *"disepakati bulat", "enter")
        await pilot.pause()
        await pilot.press("ctrl+t", "ctrl+t", "ctrl+t")  # ... -> keputusan (voting)
        await pilot.press(*"Jembatan Kedungmaling jadi cadangan", "tab", *"setuju 34, tidak 5")
        await pilot.press("enter")
        await pilot.pause()
    app.close_forums()
    mufakat, voting = stored(demo_forum_path)[0][-2:]
    assert (mufakat["jenis"], mufakat["metode"], mufakat["hasil"]) == (
        "keputusan",
        "mufakat",
        "disepakati bulat",
    )
    assert (voting["jenis"], voting["metode"], voting["hasil"]) == (
        "keputusan",
        "voting",
        "setuju 34, tidak 5",
    )


async def test_edit_and_delete_highlighted_entry_are_audited(demo_forum_path, fixed_clock):
    app = MusrenbangApp(demo_forum_path, clock=fixed_clock)
    async with app.run_test(size=(100, 30)) as pilot:
        await open_notulen(pilot)
        await pilot.press(*"Salah ketik", "enter")
        await pilot.pause()
        await pilot.press("ctrl+e")  # the last entry is highlighted after filing
        assert app.screen.query_one("#teks").value == "Salah ketik"
        app.screen.query_one("#teks").value = ""
        await pilot.press(*"Sudah diperbaiki", "enter")
        await pilot.pause()
        entry = stored(demo_forum_path)[0][-1]
        assert entry["teks"] == "Sudah diperbaiki"
        await pilot.press("ctrl+d")
        await pilot.pause()
        await wait_for_screen(pilot, ConfirmDialog)
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("enter")
        await pilot.pause()
    app.close_forums()
    minutes, _, audit = stored(demo_forum_path)
    assert entry["id"] not in {m["id"] for m in minutes}
    actions = [(a["tabel"], a["rec_id"], a["aksi"]) for a in audit]
    for action in ("tambah", "ubah", "hapus"):
        assert ("minutes", entry["id"], action) in actions


async def test_ctrl_arrows_move_the_current_agenda_item(demo_forum_path, fixed_clock):
    _, before, _ = stored(demo_forum_path)
    app = MusrenbangApp(demo_forum_path, clock=fixed_clock)
    async with app.run_test(size=(100, 30)) as pilot:
        await open_notulen(pilot)
        await pilot.press("ctrl+left")
        await pilot.pause()
        bar = app.screen.query_one("#acara-bar", Static).render().plain
        assert "mulai 09.41" in bar
        assert app.screen.query_one("#notulen-list", RowList).row_count > 0
    app.close_forums()
    _, after, _ = stored(demo_forum_path)
    assert after["urut"] == before["urut"] - 1 and after["mulai"] == NOW


async def test_tab_reaches_the_result_of_a_decision_at_80x24(demo_forum_path, fixed_clock):
    """The text and the result stay apart ("ditetapkan.Disepakati ..." was one field)."""
    app = MusrenbangApp(demo_forum_path, clock=fixed_clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_notulen(pilot)
        await pilot.press("ctrl+t", "ctrl+t")  # keputusan (mufakat)
        await pilot.press(*"Delegasi ditetapkan.", "tab")
        await pilot.pause()
        assert app.focused is not None and app.focused.id == "hasil"
        assert app.screen.query_one("#hasil-row").region.height == 1  # on screen
        await pilot.press(*"Disepakati seluruh peserta", "enter")
        await pilot.pause()
    app.close_forums()
    entry = stored(demo_forum_path)[0][-1]
    assert (entry["teks"], entry["hasil"]) == ("Delegasi ditetapkan.", "Disepakati seluruh peserta")


async def test_edit_puts_the_cursor_after_the_last_word(demo_forum_path, fixed_clock):
    """ctrl+e continues the entry: typing adds at its end, it never replaces the entry."""
    app = MusrenbangApp(demo_forum_path, clock=fixed_clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_notulen(pilot)
        await pilot.press(*"Jalan tani rusak", "enter")
        await pilot.pause()
        await pilot.press("ctrl+e")
        await pilot.pause()
        field = app.screen.query_one("#teks")
        assert field.cursor_position == len("Jalan tani rusak")
        assert field.selection.is_empty
        await pilot.press(*" berat")
        assert field.value == "Jalan tani rusak berat"
    app.close_forums()
