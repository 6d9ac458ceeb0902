"""Start-up: the collector paused until the first screen is ready, then back on."""

from __future__ import annotations

import gc
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tui import startup_collector
from tui.app import ForumScreen, MusrenbangApp
from tui.beranda.screen import HomeScreen


@pytest.fixture(autouse=True)
def _collector_restored():
    """Whatever a test does, the collector runs afterwards and nothing stays frozen."""
    yield
    startup_collector.resume(freeze=False)
    gc.enable()
    gc.unfreeze()


def test_pause_then_resume_freezes_what_lives_and_collects_again():
    startup_collector.pause()
    assert not gc.isenabled()
    before = gc.get_freeze_count()
    made = [[] for _ in range(500)]  # made while paused: survivors of start-up
    startup_collector.resume()
    assert gc.isenabled()
    assert gc.get_freeze_count() >= before + len(made)


def test_resume_without_freeze_only_turns_the_collector_back_on():
    startup_collector.pause()
    before = gc.get_freeze_count()
    startup_collector.resume(freeze=False)
    assert gc.isenabled() and gc.get_freeze_count() == before


def test_resume_never_turns_on_a_collector_someone_else_turned_off():
    gc.disable()
    startup_collector.pause()  # it was off already: not ours to turn on
    startup_collector.resume()
    assert not gc.isenabled()


@pytest.mark.parametrize("opens_forum", [True, False])
async def test_the_first_screen_resumes_the_collector(opens_forum, demo_forum_path, fixed_clock):
    startup_collector.pause()
    app = MusrenbangApp(demo_forum_path if opens_forum else None, clock=fixed_clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, ForumScreen if opens_forum else HomeScreen)
        assert gc.isenabled()
    app.close_forums()


#: Modules only later screens (or the counters drawn after the first paint) need: start-up
#: imports none of them (Babel's modules and locale data, the ranking rules and criteria
#: presets, the sign-off readiness checks, the region list, the RPJMD map).
LATER_MODULES = (
    "babel.numbers",
    "babel.dates",
    "store.ranking",
    "store.criteria_presets",
    "store.priority",
    "store.readiness",
    "store.signoff",
    "store.regions",
    "store.rpjmd",
)

FIRST_SCREEN_PROBE = """
import sys
from tui.app import MusrenbangApp
from tui.cli.main import build_parser

build_parser()  # as the command line does before the app
loaded = []
app = MusrenbangApp(sys.argv[1], exit_when_ready=True)
ready = app.first_screen_ready

def probe():
    if not loaded:
        loaded.extend(name for name in sys.argv[2:] if name in sys.modules)
        loaded.append("-")  # looked once
    ready()

app.first_screen_ready = probe
app.run(headless=True, size=(80, 24))
app.close_forums()
print(",".join(loaded))
"""


def test_the_first_screen_imports_no_module_only_later_screens_need(
    demo_forum_path: Path, musrenbang_home: Path
):
    """A fresh process, as the command line starts one: what is imported by the time the
    first forum screen is ready (not a timing: which modules)."""
    env = {**os.environ, "MUSRENBANG_HOME": str(musrenbang_home)}
    result = subprocess.run(
        [sys.executable, "-c", FIRST_SCREEN_PROBE, str(demo_forum_path), *LATER_MODULES],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "-"  # looked, and found none
