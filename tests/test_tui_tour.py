"""Every screen and dialog at 80x24, reached by keys (``tests/screen_tour.py``): the footer
shows whole keys with F1 in view, no text that matters is cut, nothing is in English; every
dialog has an SVG snapshot (here, or in the test named in ``SNAPSHOT_ELSEWHERE``).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.screen_tour import (
    ENGLISH_WORDS,
    STOPS,
    Context,
    cut_texts,
    dialog_classes,
    footer_problems,
    make_app,
    screen_words,
    walker,
)
from tests.test_tui_snapshots import fixed_host  # noqa: F401 (autouse: a fixed lock holder)

SIZE = (80, 24)
SNAPSHOTS = Path(__file__).parent / "__snapshots__"
#: Dialogs whose 80x24 snapshot is taken by another test (in its longest-text state).
SNAPSHOT_ELSEWHERE = {
    "WalkInScreen": "test_tui_dialog_snapshots/test_walk_in_refused.svg",
    "UsulanForm": "test_tui_dialog_snapshots/test_proposal_form_refused.svg",
    "DiscardDialog": "test_tui_dialog_snapshots/test_discard_question.svg",
    "DraftOfferDialog": "test_tui_dialog_snapshots/test_draft_offer.svg",
    "KeysScreen": "test_tui_dialog_snapshots/test_keys_list.svg",
    "SpeakerScreen": "test_tui_dialog_snapshots/test_speaker_picker.svg",
    "ReadinessDialog": "test_tui_ekspor/test_snapshot_readiness_dialog_of_an_empty_forum.svg",
    "UsulanImport": "test_tui_impor_snapshot/test_import_preview_80x24.svg",
}
DIALOG_STOPS = [
    pytest.param(stop, id=stop.name)
    for stop in STOPS
    if stop.shows in dialog_classes() and stop.shows not in SNAPSHOT_ELSEWHERE
]
#: The other stops: checked at 80x24 without a snapshot. A dialog stop is checked the same
#: way inside its snapshot's run (one app start per stop, not two).
UNSNAPPED_STOPS = [
    pytest.param(stop, id=stop.name)
    for stop in STOPS
    if stop.name not in {param.id for param in DIALOG_STOPS}
]


@pytest.fixture
def context(demo_forum_path, tmp_path, monkeypatch) -> Context:
    return Context(demo_forum_path, tmp_path, monkeypatch)


def test_every_dialog_has_a_stop_and_a_snapshot():
    shown = {stop.shows for stop in STOPS}
    dialogs = dialog_classes()
    assert dialogs - shown == set(), "dialog tanpa langkah di screen_tour.STOPS"
    snapped = {param.values[0].shows for param in DIALOG_STOPS} | set(SNAPSHOT_ELSEWHERE)
    assert dialogs - snapped == set()
    for svg in SNAPSHOT_ELSEWHERE.values():
        assert (SNAPSHOTS / svg).is_file(), svg


def problems_at_80x24(stop, screen) -> dict[str, object]:
    """What the 80x24 tests check on the screen a stop ends on (all empty when well)."""
    return {
        "layar": type(screen).__name__ if type(screen).__name__ != stop.shows else "",
        "footer": footer_problems(screen),
        "terpotong": cut_texts(screen),
        "inggris": screen_words(screen) & set(ENGLISH_WORDS),
    }


NO_PROBLEMS = {"layar": "", "footer": [], "terpotong": [], "inggris": set()}


def test_every_stop_is_checked_once():
    names = [param.id for param in DIALOG_STOPS + UNSNAPPED_STOPS]
    assert sorted(names) == sorted(stop.name for stop in STOPS)


@pytest.mark.parametrize("stop", UNSNAPPED_STOPS)
async def test_at_80x24_keys_whole_text_whole_and_indonesian(stop, context, fixed_clock):
    app = make_app(stop, context, fixed_clock)
    async with app.run_test(size=SIZE) as pilot:
        await walker(stop, context)(pilot)
        assert problems_at_80x24(stop, app.screen) == NO_PROBLEMS
    app.close_forums()


@pytest.mark.parametrize("stop", DIALOG_STOPS)
def test_dialog_snapshot(stop, context, fixed_clock, snap_compare):
    """The dialog's SVG at 80x24, and the 80x24 checks on the same run."""
    app = make_app(stop, context, fixed_clock)
    found: dict[str, object] = {}
    walk = walker(stop, context)

    async def walk_then_check(pilot) -> None:
        await walk(pilot)
        found.update(problems_at_80x24(stop, pilot.app.screen))

    assert snap_compare(app, terminal_size=SIZE, run_before=walk_then_check)
    assert found == NO_PROBLEMS
    app.close_forums()
