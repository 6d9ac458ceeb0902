"""SVG snapshots at 80x24 of the dialogs a note-taker meets, in their longest-text state:
the walk-in form with messages under its fields, the proposal form refused on save, the
keys list (F1), the offer of a kept draft, the "discard?" question, the speaker picker.

Look at each SVG after ``--snapshot-update``: nothing that matters may be cut.
"""

from __future__ import annotations

from textual.widgets import Input

from store.drafts import save_drafts
from tests.pilot_waits import (
    minutes_at_newest,
    open_new_proposal,
    open_tab,
    press,
    wait_for_forum,
    wait_until,
)
from tests.test_tui_snapshots import fixed_host, steady  # noqa: F401 (fixed_host: autouse)
from tui.app import MusrenbangApp

SIZE = (80, 24)


async def new_proposal_with(pilot, **values: str) -> None:
    """The Tambah usulan form with ``values`` typed into the fields of those ids."""
    await open_new_proposal(pilot)
    for field_id, value in values.items():
        pilot.app.screen.query_one(f"#{field_id}", Input).value = value


def test_walk_in_refused(snap_compare, demo_forum_path, fixed_clock):
    async def refused(pilot) -> None:
        await wait_for_forum(pilot)
        await press(pilot, "ctrl+n")
        await pilot.press(*"Sri Mulyani Kusumawardhani")
        pilot.app.screen.query_one("#nik", Input).value = "12345"  # too short: refused
        pilot.app.screen.query_one("#telepon", Input).value = "08-12 ab"
        await pilot.press("ctrl+s")
        await steady(pilot)

    app = MusrenbangApp(demo_forum_path, clock=fixed_clock)
    assert snap_compare(app, terminal_size=SIZE, run_before=refused)
    app.close_forums()


def test_proposal_form_refused(snap_compare, demo_forum_path, fixed_clock):
    async def refused(pilot) -> None:
        await new_proposal_with(
            pilot, **{"f-kegiatan": "Pembangunan " * 8, "f-biaya": "1.250.000.000,50"}
        )
        await pilot.press("ctrl+s")
        await steady(pilot)

    app = MusrenbangApp(demo_forum_path, clock=fixed_clock)
    assert snap_compare(app, terminal_size=SIZE, run_before=refused)
    app.close_forums()


def test_discard_question(snap_compare, demo_forum_path, fixed_clock):
    async def question(pilot) -> None:
        await new_proposal_with(pilot, **{"f-kegiatan": "Rehab jembatan gantung"})
        await pilot.press("escape")
        await steady(pilot)

    app = MusrenbangApp(demo_forum_path, clock=fixed_clock)
    assert snap_compare(app, terminal_size=SIZE, run_before=question)
    app.close_forums()


def test_draft_offer(snap_compare, demo_forum_path, fixed_clock):
    values = {"f-kegiatan": "Rehabilitasi saluran irigasi tersier Dusun Kulon " * 2}
    drafts = {"usulan:baru": {"judul": "Tambah usulan", "nilai": values, "waktu": ""}}
    save_drafts(demo_forum_path, drafts)
    app = MusrenbangApp(demo_forum_path, clock=fixed_clock)
    assert snap_compare(app, terminal_size=SIZE, run_before=steady)
    app.close_forums()


def test_keys_list(snap_compare, demo_forum_path, fixed_clock):
    async def keys(pilot) -> None:
        await open_tab(pilot, "f6", "EksporPane")
        await pilot.press("f1")
        await steady(pilot)

    app = MusrenbangApp(demo_forum_path, clock=fixed_clock)
    assert snap_compare(app, terminal_size=SIZE, run_before=keys)
    app.close_forums()


def test_speaker_picker(snap_compare, demo_forum_path, fixed_clock):
    async def picker(pilot) -> None:
        await open_tab(pilot, "f3", "NotulenPane")
        await wait_until(pilot, lambda: minutes_at_newest(pilot.app.screen))
        await press(pilot, "ctrl+s")
        await pilot.press(*"siti")
        await steady(pilot)

    app = MusrenbangApp(demo_forum_path, clock=fixed_clock)
    assert snap_compare(app, terminal_size=SIZE, run_before=picker)
    app.close_forums()
