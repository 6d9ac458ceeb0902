"""The projector display (tui.display.screen): what it shows, live updates, bad files."""

from __future__ import annotations

import asyncio
import sys
from datetime import datetime
from importlib.util import find_spec
from pathlib import Path

import pytest
from rich.console import Group
from textual.widgets import Static

from store.criteria_presets import preset_records
from store.formatting import format_rupiah
from store.forum import open_forum
from tests.forum_factory import StepClock, make_forum
from tui.display.screen import DisplayApp, RankingBoard, SnapshotReady, run_display

REPO = Path(__file__).resolve().parent.parent
CLOCK = StepClock(datetime(2026, 2, 12, 9, 41, 7))

# (kegiatan, desa, biaya, score on every criterion): with the pagu of 1 M the first three fit.
PROPOSALS = [
    ("Irigasi tersier Brangkal", "Brangkal", "640.000.000", 5),
    ("Paving jalan Krajan", "Japan", "312.000.000", 4),
    ("Posyandu Melati", "Sooko", "45.000.000", 3),
    ("Jembatan desa Kedungmaling", "Kedungmaling", "200.000.000", 2),
]


@pytest.fixture(autouse=True)
def home(tmp_path, monkeypatch):
    monkeypatch.setenv("MUSRENBANG_HOME", str(tmp_path / "home"))


@pytest.fixture
def forum_path(tmp_path) -> Path:
    path = tmp_path / "sooko.musrenbang"
    with make_forum(path, clock=StepClock()) as forum:
        criteria = forum.priority.criteria()
        assert len(criteria) == len(preset_records("standar"))
        for kegiatan, desa, biaya, score in PROPOSALS:
            rec_id, _ = forum.proposals.add(desa=desa, kegiatan=kegiatan, biaya=biaya)
            for criterion in criteria:
                forum.priority.set_score(rec_id, criterion["id"], score)
    return path


def board_text(app: DisplayApp) -> str:
    rendered = app.query_one(RankingBoard).render()
    assert isinstance(rendered, Group)
    return "\n".join(line.plain for line in rendered.renderables)


def static_text(app: DisplayApp, selector: str) -> str:
    return str(app.query_one(selector, Static).content)


async def wait_until(pilot, condition, *, timeout: float = 10.0) -> None:
    """Let the app run until ``condition()`` holds (a guard against hanging, not a timing test)."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not condition():
        assert loop.time() < deadline, "tampilan tidak berubah"
        await pilot.pause(0.05)


async def test_shows_header_ranking_and_pagu_line(forum_path) -> None:
    app = DisplayApp(forum_path, clock=CLOCK)
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_until(pilot, lambda: app.snapshot is not None)
        await pilot.pause()
        assert "MUSRENBANG KECAMATAN SOOKO TAHUN 2027" in static_text(app, "#judul")
        assert "Hadir: 0" in static_text(app, "#hitungan")
        assert "Usulan: 4" in static_text(app, "#hitungan")
        assert "Penilaian" in static_text(app, "#metode")
        assert "diperbarui 09.41.07" in static_text(app, "#bawah")
        lines = board_text(app).splitlines()
        order = [next(i for i, line in enumerate(lines) if name in line) for name, *_ in PROPOSALS]
        assert order == sorted(order)
        cut = next(i for i, line in enumerate(lines) if "batas pagu" in line)
        assert order[2] < cut < order[3]
        assert "100,0" in lines[order[0]]
        assert "cadangan" in lines[order[3]]


async def test_narrow_projector_gets_the_short_forms(forum_path) -> None:
    app = DisplayApp(forum_path, clock=CLOCK)
    async with app.run_test(size=(60, 20)) as pilot:
        await wait_until(pilot, lambda: app.snapshot is not None)
        await pilot.pause()
        assert static_text(app, "#judul") == "MUSRENBANG KEC. SOOKO 2027"
        assert "Kec. Sooko, Kab. Mojokerto" in static_text(app, "#info")
        assert all(len(line) <= 60 for line in board_text(app).splitlines())
        with open_forum(forum_path, readonly=True) as forum:
            pagu = forum.meta["pagu"]
        metode = app.query_one("#metode")
        assert f"Pagu {format_rupiah(pagu)}" in static_text(app, "#metode")  # exact, whole
        assert metode.region.width >= len(static_text(app, "#metode"))


async def test_wide_screen_shows_the_reasons(forum_path) -> None:
    app = DisplayApp(forum_path, clock=CLOCK)
    async with app.run_test(size=(200, 60)) as pilot:
        await wait_until(pilot, lambda: app.snapshot is not None)
        await pilot.pause()
        text = board_text(app)
        assert "peringkat 1, dalam pagu" in text
        assert "melebihi sisa pagu" in text


async def test_long_lists_page_by_themselves(forum_path) -> None:
    with open_forum(forum_path, operator="Uji") as forum:
        for n in range(30):
            forum.proposals.add(desa="Japan", kegiatan=f"Lampu jalan Dusun {n}", biaya=1_000_000)
    app = DisplayApp(forum_path, clock=CLOCK)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_until(pilot, lambda: app.snapshot is not None)
        await pilot.pause()
        board = app.query_one(RankingBoard)
        assert board.pages > 1
        assert f"halaman 1/{board.pages}" in static_text(app, "#bawah")
        first = board_text(app)
        app._turn_page()
        await pilot.pause()
        assert f"halaman 2/{board.pages}" in static_text(app, "#bawah")
        assert board_text(app) != first


async def test_updates_after_a_change_through_another_handle(forum_path) -> None:
    app = DisplayApp(forum_path, clock=CLOCK)
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_until(pilot, lambda: app.snapshot is not None)
        with open_forum(forum_path, operator="Uji") as writer:
            last = max(p["id"] for p in writer.proposals.all())
            for criterion in writer.priority.criteria():
                writer.priority.set_score(last, criterion["id"], 5)
            await wait_until(pilot, lambda: app.snapshot.result.rows[0].id == last)
            await pilot.pause()
        first_line = board_text(app).splitlines()[1]
        assert "Jembatan desa Kedungmaling" in first_line


WRITER = """
import sys
from store.forum import open_forum
with open_forum(sys.argv[1], operator="Penulis") as forum:
    forum.proposals.add(desa="Sooko", kegiatan="Sumur bor Dusun Uji", biaya="10.000.000")
"""


async def test_two_processes_writer_changes_display_shows(forum_path) -> None:
    app = DisplayApp(forum_path, clock=CLOCK)
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_until(pilot, lambda: app.snapshot is not None)
        writer = await asyncio.create_subprocess_exec(
            sys.executable, "-c", WRITER, str(forum_path), cwd=REPO
        )
        assert await writer.wait() == 0
        await wait_until(pilot, lambda: "Sumur bor Dusun Uji" in board_text(app))
        assert "Usulan: 5" in static_text(app, "#hitungan")


async def test_missing_file_is_announced_and_last_picture_kept(forum_path) -> None:
    app = DisplayApp(forum_path, clock=CLOCK)
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_until(pilot, lambda: app.snapshot is not None)
        await pilot.pause()
        before = board_text(app)
        moved = forum_path.with_suffix(".pindah")
        forum_path.rename(moved)
        await wait_until(pilot, lambda: app.problem is not None)
        banner = app.query_one("#masalah", Static)
        assert banner.display
        assert "tidak ditemukan" in str(banner.content)
        assert board_text(app) == before
        moved.rename(forum_path)
        await wait_until(pilot, lambda: app.problem is None)
        assert not banner.display


async def test_damaged_file_is_announced_and_last_picture_kept(forum_path) -> None:
    app = DisplayApp(forum_path, clock=CLOCK)
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_until(pilot, lambda: app.snapshot is not None)
        await pilot.pause()
        before = board_text(app)
        good = forum_path.read_bytes()
        forum_path.write_bytes(b"ini bukan forum\n" * 10)
        await wait_until(pilot, lambda: app.problem is not None)
        assert app.query_one("#masalah", Static).display
        assert "Tampilan terakhir dipertahankan" in str(app.query_one("#masalah", Static).content)
        assert board_text(app) == before
        forum_path.write_bytes(good)
        await wait_until(pilot, lambda: app.problem is None)


async def test_a_forum_that_appears_later_is_shown(forum_path, tmp_path) -> None:
    later = tmp_path / "nanti.musrenbang"
    app = DisplayApp(later, clock=CLOCK)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_until(pilot, lambda: app.problem is not None)
        assert "tidak ditemukan" in app.problem
        later.write_bytes(forum_path.read_bytes())
        await wait_until(pilot, lambda: app.snapshot is not None)
        assert app.problem is None
        assert "Usulan: 4" in static_text(app, "#hitungan")


async def test_display_never_writes(forum_path) -> None:
    before = forum_path.read_bytes()
    app = DisplayApp(forum_path, clock=CLOCK)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_until(pilot, lambda: app.snapshot is not None)
        await pilot.pause(0.5)
    assert forum_path.read_bytes() == before
    # A writer can still take the forum: the display held no lock.
    with open_forum(forum_path, operator="Uji") as writer:
        assert not writer.readonly


class CountingDisplay(DisplayApp):
    redraws = 0

    def show_snapshot(self, snap) -> None:
        self.redraws += 1
        super().show_snapshot(snap)


async def test_a_burst_of_snapshots_causes_one_redraw(forum_path) -> None:
    app = CountingDisplay(forum_path, clock=CLOCK)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_until(pilot, lambda: app.snapshot is not None)
        await pilot.pause()
        snapshot, before = app.snapshot, app.redraws
        for _ in range(10):
            app.post_message(SnapshotReady(snapshot))
        await pilot.pause()
        assert app.redraws == before + 1


def test_run_display_refuses_a_missing_file(tmp_path, capsys) -> None:
    assert run_display(tmp_path / "tidak-ada.musrenbang") == 2
    assert "tidak-ada.musrenbang" in capsys.readouterr().err


@pytest.mark.skipif(find_spec("textual_serve") is not None, reason="textual-serve terpasang")
def test_serve_without_textual_serve_says_how_to_install(forum_path, capsys) -> None:
    assert run_display(forum_path, serve=True) == 2
    assert "textual-serve" in capsys.readouterr().err
