"""No English on screen or on the command line: Textual's own words, argparse, broken pipes."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from textual.command import CommandList
from textual.widgets import Select
from textual.widgets._select import SelectOverlay

from tests.pilot_waits import open_new_proposal
from tests.test_e2e_tmux import musrenbang_script
from tui.app import MusrenbangApp
from tui.cli.main import build_parser

ENGLISH = ("usage:", "positional arguments", "options:", "show this help", "Broken pipe")


async def test_palette_says_no_match_in_indonesian(demo_forum_path, fixed_clock):
    app = MusrenbangApp(demo_forum_path, clock=fixed_clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("ctrl+p", *"zzqqxx")
        await pilot.pause(1.0)
        options = app.screen.query_one(CommandList)
        shown = [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]
        assert any("Tidak ada yang cocok" in text for text in shown), shown
        assert not any("No matches" in text for text in shown)
        keys = [b.description for _, b, _, _ in app.active_bindings.values()]
        assert "Exit the command palette" not in keys
    app.close_forums()


async def test_open_dropdown_footer_in_indonesian(demo_forum_path, fixed_clock):
    app = MusrenbangApp(demo_forum_path, clock=fixed_clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_new_proposal(pilot)
        app.screen.query_one("#f-bidang", Select).focus()
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.focused, SelectOverlay)
        keys = {b.description for _, b, _, _ in app.active_bindings.values()}
        assert "Tutup daftar" in keys and "Dismiss menu" not in keys
    app.close_forums()


def test_every_help_is_indonesian():
    parser = build_parser()
    verbs = parser._subparsers._group_actions[0].choices  # type: ignore[union-attr]
    for text in [parser.format_help(), *(sub.format_help() for sub in verbs.values())]:
        assert text.startswith("Cara pakai: ")
        assert not any(word in text for word in ENGLISH), text


def run(args: list[str], home: Path, **kwargs) -> subprocess.CompletedProcess:
    env = {**os.environ, "MUSRENBANG_HOME": str(home)}
    return subprocess.run(
        [str(musrenbang_script()), *args], env=env, capture_output=True, text=True, **kwargs
    )


def test_verify_into_closed_pipe_is_quiet(tmp_path: Path):
    home = tmp_path / "belum-ada"
    reader = subprocess.Popen(["true"], stdin=subprocess.PIPE)
    reader.wait()  # the reader is gone before a line is written
    for args in (["verify", "--code", "MUSRENBANG-X"], ["verify", ""], ["--help"]):
        result = subprocess.run(
            [str(musrenbang_script()), *args],
            env={**os.environ, "MUSRENBANG_HOME": str(home)},
            stdout=reader.stdin,
            stderr=subprocess.PIPE,
            text=True,
        )
        assert "Broken pipe" not in result.stderr and "Traceback" not in result.stderr
        assert "Error" not in result.stderr, result.stderr
    assert not home.exists()  # verify never makes a data dir


def test_demo_leaves_the_office_settings_alone(tmp_path: Path):
    home = tmp_path / "rumah"
    result = run(["demo", "--no-open"], home, timeout=120)
    assert result.returncode == 0, result.stderr
    office = home / "kantor.json"
    assert not office.exists() or "HENDRO" not in office.read_text()
    assert sys.executable  # the script ran from this environment


async def test_theme_picker_names_themes_in_indonesian(demo_forum_path, fixed_clock):
    from tui.widgets.tema import THEMES

    app = MusrenbangApp(demo_forum_path, clock=fixed_clock)
    async with app.run_test(size=(80, 24)) as pilot:
        app.action_change_theme()
        await pilot.pause(0.5)
        options = app.screen.query_one(CommandList)
        shown = [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]
        assert len(shown) == len(THEMES)
        english = {name for _, name in THEMES} | {"textual", "dark", "light", "theme"}
        assert not any(word in text.lower() for text in shown for word in english), shown
        await pilot.press(*"terang krem", "enter")
        await pilot.pause()
        assert app.theme == "solarized-light"
    app.close_forums()
