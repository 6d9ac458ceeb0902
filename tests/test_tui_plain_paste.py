"""A paste without bracketed paste arrives as keys (each line break an Enter): the minutes
field keeps every line, joined with spaces, and files nothing half-way."""

from __future__ import annotations

from pathlib import Path

from textual import _time, events

from store.forum import open_forum
from tests.pilot_waits import open_tab
from tui.app import MusrenbangApp
from tui.widgets.text_input import PASTE_GAP_S


def minutes_texts(path: Path) -> list[str]:
    with open_forum(path, readonly=True) as forum:
        return [m["teks"] for m in sorted(forum.minutes.all(), key=lambda m: m["id"])]


def keys_read_at_once(text: str, at: float, step: float) -> list[events.Key]:
    """The keys a terminal delivers for ``text`` pasted without brackets, ``step`` apart."""
    keys = []
    for number, char in enumerate(text):
        key = events.Key("enter", "\r") if char == "\n" else events.Key(char, char)
        if char == " ":
            key = events.Key("space", " ")
        key.time = at + number * step
        keys.append(key)
    return keys


def long_ago() -> float:
    """A key time a minute before now on Textual's clock (``perf_counter`` or ``monotonic``):
    a fixed one (it was 1000.0) falls right before a typed key on a machine up ~17 minutes,
    and then that key's Enter counts as part of the paste."""
    return _time.get_time() - 60.0


async def type_keys(pilot, keys: list[events.Key]) -> None:
    for key in keys:
        pilot.app.post_message(key)
    await pilot.pause()
    await pilot.pause()


async def test_plain_paste_of_lines_is_one_entry_text(demo_forum_path, fixed_clock):
    before = minutes_texts(demo_forum_path)
    app = MusrenbangApp(demo_forum_path, clock=fixed_clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_tab(pilot, "f3", "NotulenPane")
        field = app.screen.query_one("#teks")
        assert app.screen.focused is field
        paste = "jalan rabat\nUsulan RT 02\nsaluran"
        await type_keys(pilot, keys_read_at_once(paste, long_ago(), PASTE_GAP_S / 10))
        assert field.value == "jalan rabat Usulan RT 02 saluran"  # not glued, not lost
        assert minutes_texts(demo_forum_path) == before  # nothing filed half-way
        await pilot.press("enter")  # a typed Enter (a human's pause) files it
        await pilot.pause()
        assert field.value == ""
    app.close_forums()
    assert minutes_texts(demo_forum_path) == [*before, "jalan rabat Usulan RT 02 saluran"]


async def test_typed_lines_with_human_pauses_are_separate_entries(demo_forum_path, fixed_clock):
    before = minutes_texts(demo_forum_path)
    app = MusrenbangApp(demo_forum_path, clock=fixed_clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_tab(pilot, "f3", "NotulenPane")
        # keys all queued at once (they overtake the filing), yet typed with pauses
        await type_keys(pilot, keys_read_at_once("satu\ndua\n", long_ago(), PASTE_GAP_S * 20))
        await pilot.pause()
    app.close_forums()
    assert minutes_texts(demo_forum_path) == [*before, "satu", "dua"]
