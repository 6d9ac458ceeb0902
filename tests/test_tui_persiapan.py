"""Persiapan forum (alt+p) and Susunan acara (alt+a): Pilot tests and 80x24 snapshots."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from textual.app import App, ComposeResult
from textual.widgets import Checkbox, DataTable, Input, Label, TextArea

import tui
from store.forum import Forum, open_forum
from tests.forum_factory import StepClock, make_forum
from tests.pilot_waits import wait_for_screen
from tui.persiapan.agenda import AgendaItemDialog, AgendaScreen
from tui.persiapan.screen import PersiapanScreen
from tui.usulan.amount_check import AmountDialog
from tui.widgets.dialogs import ConfirmDialog
from tui.widgets.pembicara import SpeakerScreen


class ScreenHost(App[None]):
    """One screen on one forum, with the real app's stylesheet."""

    CSS_PATH = str(Path(tui.__file__).parent / "app.tcss")

    def __init__(self, forum: Forum, screen: type) -> None:
        super().__init__()
        self.forum = forum
        self._screen = screen

    def compose(self) -> ComposeResult:
        yield from ()

    def on_mount(self) -> None:
        self.push_screen(self._screen(self.forum))


@pytest.fixture
def forum(tmp_path: Path) -> Forum:
    forum = make_forum(tmp_path / "siap.musrenbang", clock=StepClock(), pagu=None)
    for nama, jk, jabatan in (
        ("Sutrisno", "L", "Kepala Desa"),
        ("Siti Aminah", "P", "Ketua TP PKK"),
        ("Agus Santoso", "L", "Ketua BPD"),
    ):
        forum.participants.add(
            nama=nama, jenis_kelamin=jk, jabatan=jabatan, desa="Japan", hadir=True
        )
    forum.participants.add(nama="Belum Datang", jenis_kelamin="L", desa="Japan")
    forum.agenda.add_standard()
    return forum


def error_of(app: App[Any], field: str) -> str:
    label = app.screen.query_one(f"#galat-{field}", Label)
    return str(label.render()) if label.display else ""


async def test_every_field_error_at_once_and_nothing_saved(forum):
    async with ScreenHost(forum, PersiapanScreen).run_test(size=(80, 24)) as pilot:
        screen = pilot.app.screen
        screen.query_one("#pagu", Input).value = "2,5 m"
        screen.query_one("#nomor_surat", Input).value = "x" * 120
        screen.query_one("#narasumber", TextArea).text = "| Kabid"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "2,5 m" in error_of(pilot.app, "pagu")
        assert error_of(pilot.app, "nomor_surat") and error_of(pilot.app, "narasumber")
        assert forum.meta["nomor_surat"] == "" and forum.meta["narasumber"] == []


async def test_a_typed_ba_number_already_in_the_book_is_refused_when_typed(forum):
    from store import agenda_book

    taken = agenda_book.number_outgoing(
        tanggal="2026-01-05", pihak="Kepala Desa Japan", perihal="Undangan", jenis="lainnya"
    )
    async with ScreenHost(forum, PersiapanScreen).run_test(size=(80, 24)) as pilot:
        screen = pilot.app.screen
        screen.query_one("#nomor_surat", Input).value = f"050/{taken['urut']}/416-313/2026"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "sudah dipakai" in error_of(pilot.app, "nomor_surat")
        assert forum.meta["nomor_surat"] == ""
        screen.query_one("#nomor_surat", Input).value = f"050/{taken['urut'] + 1}/416-313/2026"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert not error_of(pilot.app, "nomor_surat")
    assert forum.meta["nomor_surat"] == f"050/{taken['urut'] + 1}/416-313/2026"


async def test_fields_saved_and_esc_saves_before_closing(forum):
    async with ScreenHost(forum, PersiapanScreen).run_test(size=(80, 24)) as pilot:
        screen = pilot.app.screen
        screen.query_one("#nomor_surat", Input).value = "050/3/416-313/2026"
        screen.query_one("#materi", TextArea).text = "Arah kebijakan\n\nRekap usulan desa"
        screen.query_one("#narasumber", TextArea).text = "Ir. Bambang | Kabid Bappeda"
        screen.query_one("#tanpa_pagu", Checkbox).value = True
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(pilot.app.screen, PersiapanScreen)
    meta = forum.meta
    assert meta["nomor_surat"] == "050/3/416-313/2026" and meta["tanpa_pagu"] is True
    assert meta["materi"] == ["Arah kebijakan", "Rekap usulan desa"]
    assert meta["narasumber"] == [{"nama": "Ir. Bambang", "jabatan": "Kabid Bappeda"}]
    assert "pagu" not in {i.kode for i in forum.signoff.readiness().penghalang}


async def test_utusan_picked_from_present_participants_with_jabatan(forum):
    async with ScreenHost(forum, PersiapanScreen).run_test(size=(80, 24)) as pilot:
        await pilot.press("ctrl+t")
        await pilot.pause()
        await wait_for_screen(pilot, SpeakerScreen)
        assert isinstance(pilot.app.screen, SpeakerScreen)
        await pilot.press(*"Belum")  # not present: not offered
        await pilot.pause()
        assert pilot.app.screen.query_one(DataTable).row_count == 0
        pilot.app.screen.query_one(Input).value = ""
        await pilot.press(*"Agus", "enter")
        await pilot.pause()
        # The jabatan comes from the record: no dialog opens to catch the next keys.
        assert isinstance(pilot.app.screen, PersiapanScreen)
        (utusan,) = forum.utusan.all()
        assert (utusan["nama"], utusan["jabatan"]) == ("Agus Santoso", "Ketua BPD Japan")
        table = pilot.app.screen.query_one("#utusan", DataTable)
        assert table.row_count == 1 and str(table.get_row_at(0)[3]) == "ya"
        await pilot.press("ctrl+o")
        await pilot.pause()
        pilot.app.screen.query_one("#alasan", Input).value = "Ketua BPD Desa Japan"
        await pilot.press("enter")
        await pilot.pause()
        assert forum.utusan.all()[0]["jabatan"] == "Ketua BPD Desa Japan"
        await pilot.press("ctrl+r")
        await pilot.pause()
        assert forum.utusan.all() == []


async def test_a_typed_name_not_present_is_refused_as_utusan(forum):
    async with ScreenHost(forum, PersiapanScreen).run_test(size=(80, 24)) as pilot:
        await pilot.press("ctrl+t")
        await pilot.pause()
        await pilot.press(*"Orang Luar", "enter")
        await pilot.pause()
        await wait_for_screen(pilot, PersiapanScreen)
        assert isinstance(pilot.app.screen, PersiapanScreen)
        assert "tidak ada di daftar hadir" in error_of(pilot.app, "utusan")
        assert forum.utusan.all() == []


async def test_agenda_add_edit_move_remove(forum):
    async with ScreenHost(forum, AgendaScreen).run_test(size=(80, 24)) as pilot:
        titles = lambda: [a["judul"] for a in forum.agenda.all()]  # noqa: E731
        first_two = titles()[:2]
        await pilot.press("ctrl+t")
        await pilot.pause()
        await wait_for_screen(pilot, AgendaItemDialog)
        dialog = pilot.app.screen
        assert isinstance(dialog, AgendaItemDialog)
        dialog.query_one("#judul", Input).value = "Istirahat"
        dialog.query_one("#rencana_mulai", Input).value = "12.30"
        dialog.query_one("#rencana_selesai", Input).value = "12.00"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "sebelum jam mulai" in error_of(pilot.app, "rencana_selesai")
        dialog.query_one("#rencana_selesai", Input).value = "13.00"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert titles()[:3] == [first_two[0], "Istirahat", first_two[1]]  # below the cursor
        await pilot.press("alt+down")
        await pilot.pause()
        assert titles()[2] == "Istirahat"
        await pilot.press("ctrl+e")
        await pilot.pause()
        pilot.app.screen.query_one("#rencana_mulai", Input).value = "12.15"
        await pilot.press("ctrl+s")
        await pilot.pause()
        item = forum.agenda.all()[2]
        assert (item["judul"], item["rencana_mulai"]) == ("Istirahat", "12:15")
        await pilot.press("ctrl+d")
        await pilot.pause()
        await wait_for_screen(pilot, ConfirmDialog)
        assert isinstance(pilot.app.screen, ConfirmDialog)
        await pilot.press("enter")
        await pilot.pause()
        assert "Istirahat" not in titles()


async def test_a_started_agenda_item_is_not_removed(forum):
    forum.agenda.start(forum.agenda.all()[0]["id"])
    async with ScreenHost(forum, AgendaScreen).run_test(size=(80, 24)) as pilot:
        await pilot.press("ctrl+d", "enter")
        await pilot.pause()
        assert "sudah dimulai" in str(pilot.app.screen.query_one("#acara-pesan", Label).render())
        assert len(forum.agenda.all()) == 9


# -- snapshots: the longest state at 80x24 ---------------------------------------------------
def test_snapshot_persiapan(snap_compare, demo_forum_path, fixed_clock):
    forum = open_forum(demo_forum_path, clock=fixed_clock)

    async def longest(pilot: Any) -> None:
        screen = pilot.app.screen
        screen.query_one("#pagu", Input).value = "2,5 m"  # metre or miliar? asked
        await pilot.press("ctrl+s")  # the error line under the pagu shown too
        await pilot.pause()

    assert snap_compare(
        ScreenHost(forum, PersiapanScreen), terminal_size=(80, 24), run_before=longest
    )


def test_snapshot_susunan_acara(snap_compare, demo_forum_path, fixed_clock):
    forum = open_forum(demo_forum_path, clock=fixed_clock)

    async def add_dialog(pilot: Any) -> None:
        await pilot.press("ctrl+t")
        await pilot.pause()
        screen = pilot.app.screen
        screen.query_one("#judul", Input).value = "Istirahat, salat dan makan siang"
        screen.query_one("#rencana_mulai", Input).value = "25.00"
        await pilot.press("ctrl+s")  # every field's error at once
        await pilot.pause()

    assert snap_compare(
        ScreenHost(forum, AgendaScreen), terminal_size=(80, 24), run_before=add_dialog
    )


async def test_esc_with_an_error_stays_then_a_second_esc_leaves_unsaved(forum):
    async with ScreenHost(forum, PersiapanScreen).run_test(size=(80, 24)) as pilot:
        pilot.app.screen.query_one("#pagu", Input).value = "banyak"
        await pilot.press("escape")
        await pilot.pause()
        await wait_for_screen(pilot, PersiapanScreen)
        assert isinstance(pilot.app.screen, PersiapanScreen)
        assert "banyak" in error_of(pilot.app, "pagu")
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(pilot.app.screen, PersiapanScreen)
    assert forum.meta["pagu"] == 0


async def test_a_final_forum_is_only_read_here(forum):
    from tests.forum_factory import make_ready

    make_ready(forum).signoff.finalize()
    async with ScreenHost(forum, PersiapanScreen).run_test(size=(80, 24)) as pilot:
        assert pilot.app.screen.query_one("#nomor_surat", Input).disabled
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(pilot.app.screen, PersiapanScreen)


@pytest.mark.parametrize(
    ("level", "heading"),
    [
        ("desa", "Utusan ke Musrenbang Kecamatan (1 sampai 3 orang, dari peserta hadir)"),
        ("kecamatan", "Utusan ke Musrenbang Kabupaten (3 orang, dari peserta hadir)"),
    ],
)
async def test_utusan_heading_follows_the_forum_level_and_readiness(tmp_path, level, heading):
    forum = make_forum(tmp_path / f"{level}.musrenbang", level=level)
    async with ScreenHost(forum, PersiapanScreen).run_test(size=(80, 24)) as pilot:
        texts = [str(label.render()) for label in pilot.app.screen.query(".judul")]
        assert heading in texts
    # The heading's count is the one readiness blocks on.
    needed = 1 if level == "desa" else 3
    utusan = [i for i in forum.signoff.readiness().penghalang if i.kode == "utusan"]
    assert utusan and f"Musrenbang {'Kecamatan' if level == 'desa' else 'Kabupaten'}" in (
        utusan[0].pesan
    )
    assert (f"dari {needed} orang" in utusan[0].pesan) == (needed > 1)


async def test_utusan_picker_is_titled_and_offers_only_present_people_not_yet_chosen(forum):
    agus = next(p for p in forum.participants.all() if p["nama"] == "Agus Santoso")
    siti = next(p for p in forum.participants.all() if p["nama"] == "Siti Aminah")
    forum.utusan.add_participant(agus["id"], "Ketua BPD")
    forum.participants.check_out(siti["id"])
    async with ScreenHost(forum, PersiapanScreen).run_test(size=(80, 24)) as pilot:
        await pilot.press("ctrl+t")
        await pilot.pause()
        await wait_for_screen(pilot, SpeakerScreen)
        picker = pilot.app.screen
        assert isinstance(picker, SpeakerScreen)
        title = str(picker.query_one(".dialog-title").render())
        assert "utusan ke Musrenbang Kabupaten" in title and "Pembicara" not in title
        table = picker.query_one(DataTable)
        offered = [str(table.get_row_at(i)[0]) for i in range(table.row_count)]
        assert offered == ["Sutrisno"]  # Agus already chosen, Siti left, one never came


@pytest.mark.parametrize(
    ("typed", "question"),
    [
        ("2.500", "Maksud Anda Rp2.500.000.000?"),  # the thousands left out: asked
        ("Rp 2,5 M", None),  # in words: read as is
    ],
)
async def test_a_pagu_as_typed_and_a_mistyped_one_questioned(forum, typed, question):
    async with ScreenHost(forum, PersiapanScreen).run_test(size=(80, 24)) as pilot:
        pilot.app.screen.query_one("#pagu", Input).value = typed
        await pilot.press("ctrl+s")
        await pilot.pause()
        screen = pilot.app.screen
        if question is None:
            assert isinstance(screen, PersiapanScreen)
        else:
            assert isinstance(screen, AmountDialog) and screen.doubt.pertanyaan == question
            await pilot.press("enter")
            await pilot.pause()
    assert forum.meta["pagu"] == 2_500_000_000


def test_snapshot_utusan_picker_of_a_desa_forum(snap_compare, tmp_path):
    forum = make_forum(tmp_path / "desa.musrenbang", level="desa", clock=StepClock())
    for nama, jabatan in (("Sutrisno", "Kepala Desa"), ("Siti Aminah", "Ketua TP PKK")):
        forum.participants.add(
            nama=nama, jenis_kelamin="L", jabatan=jabatan, desa="Japan", hadir=True
        )
    chosen = forum.participants.all()[0]["id"]
    forum.utusan.add_participant(chosen, "Kepala Desa Japan")

    async def picker(pilot: Any) -> None:
        await pilot.press("ctrl+t")
        await pilot.pause()
        await wait_for_screen(pilot, SpeakerScreen)
        assert isinstance(pilot.app.screen, SpeakerScreen)

    assert snap_compare(
        ScreenHost(forum, PersiapanScreen), terminal_size=(80, 24), run_before=picker
    )


@pytest.mark.parametrize(
    ("record", "title"),
    [
        ({"jabatan": "Ketua", "lembaga": "BPD", "desa": "Japan"}, "Ketua BPD Japan"),
        ({"jabatan": "Kepala Desa", "lembaga": "Japan", "desa": "Japan"}, "Kepala Desa Japan"),
        ({"jabatan": "", "lembaga": "BPD Japan", "desa": "Japan"}, "BPD Japan"),
        ({"jabatan": "  Ketua  TP PKK ", "lembaga": None}, "Ketua TP PKK"),
        ({}, ""),
    ],
)
def test_utusan_title_from_the_attendance_record(record, title):
    from tui.persiapan.values import suggested_jabatan

    assert suggested_jabatan(record) == title
