"""How the screen tests wait: for the state they need, never for a guessed time.

Textual's Pilot waits after every key and every ``pause()`` until the process looks idle: it
sleeps in slices of ``SLEEP_GRANULARITY`` (20 ms) until one slice used almost no CPU. The
last slice is pure waiting, so every key cost at least 40 ms of sleep, about a third of the
screen tests' time. ``install()`` (called once, from ``conftest.py``) makes that wait:

- sleep in 5 ms slices with the same idle rule (CPU under 1/20 of the slice), and
- also wait until the app is settled: no message pump of the app is handling a message, no
  message is queued for one, and the screen has no layout or ``call_after_refresh``
  callback waiting for its next refresh. A CPU-time rule alone is fooled on a loaded
  machine, where a process that is not scheduled looks idle; that is why short slices once
  lost keys pressed while a tab was being built (``02e4e28``). A tab built on first show is
  one long message handling (``ForumScreen._shown`` awaits the mount), so it now counts as
  busy.

Textual's cap stays: one wait ends after 1 s whatever happens. So a walk still waits for the
state it needs where that state comes late (a thread worker, a timer, a tab built on a
machine so loaded that 1 s is not enough): ``wait_until`` polls a condition in real time,
``open_tab`` presses a tab's F-key again if the key was lost while the tab was being built,
``wait_for_screen`` waits for a pushed screen to take the focus.
"""

from __future__ import annotations

import asyncio
import os
import time
from collections.abc import Callable

SLICE_S = 1 / 200  #: the idle wait's slice (Textual's own is 1/50)
IDLE_CPU_S = SLICE_S / 20  #: a slice with less CPU time than this one counts as idle
WAIT_S = 30.0  #: how long ``wait_until`` waits in real time before the test fails

_handling: set[int] = set()  # ids of the message pumps handling a message right now


def _settled() -> bool:
    """No pump of the running app is handling a message or has one waiting."""
    if _handling:
        return False
    from textual._context import active_app

    try:
        app = active_app.get()
    except LookupError:
        return True
    for node in (app, *list(app._registry)):
        queue = node.__dict__.get("_message_queue")  # a cached property: never made here
        if queue is not None and not queue.empty():
            return False
    try:
        screen = app.screen
    except Exception:  # no screen yet, or the app is closing
        return True
    # Work the screen does on its next refresh (Textual's update timer, about 60 a second):
    # a layout, a scroll, a recompose, callbacks waiting for it (``call_after_refresh``).
    return not (
        screen._callbacks
        or screen._layout_required
        or screen._scroll_required
        or screen._recompose_required
    )


async def wait_for_idle(min_sleep: float = SLICE_S, max_sleep: float = 1) -> None:
    """Textual's ``wait_for_idle`` in short slices, which also waits for a settled app."""
    start = time.monotonic()
    while True:
        cpu = time.process_time()
        await asyncio.sleep(SLICE_S)
        cpu_elapsed = time.process_time() - cpu
        elapsed = time.monotonic() - start
        if elapsed >= max_sleep:
            break
        if elapsed > min_sleep and cpu_elapsed < IDLE_CPU_S and _settled():
            break


def install() -> None:
    """Use the waits above for every Pilot of this process (once; called by conftest)."""
    import textual._wait
    import textual.app
    import textual.pilot
    from textual.message_pump import MessagePump

    if getattr(MessagePump, "_suite_waits", False) or os.environ.get("MUSRENBANG_TEXTUAL_WAITS"):
        return  # MUSRENBANG_TEXTUAL_WAITS=1: Textual's own waits (to compare, or to rule out)
    get_message = MessagePump._get_message
    loop = MessagePump._process_messages_loop

    async def _get_message(self):
        _handling.discard(id(self))
        message = await get_message(self)
        _handling.add(id(self))  # until it asks for the next one
        return message

    async def _process_messages_loop(self) -> None:
        try:
            await loop(self)
        finally:
            _handling.discard(id(self))

    MessagePump._get_message = _get_message
    MessagePump._process_messages_loop = _process_messages_loop
    MessagePump._suite_waits = True
    textual._wait.SLEEP_GRANULARITY = SLICE_S
    textual._wait.SLEEP_IDLE = IDLE_CPU_S
    textual._wait.wait_for_idle = wait_for_idle
    textual.app.wait_for_idle = wait_for_idle  # both import the name itself
    textual.pilot.wait_for_idle = wait_for_idle


async def wait_until(pilot, condition: Callable[[], object], seconds: float = WAIT_S) -> None:
    """Pause until ``condition()`` holds, failing only after ``seconds`` of real time (a
    busy machine builds a tab late: a shared CI core can take many seconds)."""
    give_up = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > give_up:
            raise AssertionError("keadaan yang ditunggu tidak tercapai")
        await pilot.pause(0.02)


def focus_in(screen, pane: str) -> bool:
    """Whether the focus is inside a widget of class ``pane`` (its keys work then)."""
    focused = screen.focused
    return focused is not None and any(type(a).__name__ == pane for a in focused.ancestors)


async def wait_for_forum(pilot) -> None:
    """Until the forum screen is up and its first tab has the focus (the app starts at
    home and pushes the forum on mount; a key before that focus lands is lost)."""

    def up() -> bool:
        screen = pilot.app.screen
        return type(screen).__name__ == "ForumScreen" and screen.focused is not None

    await wait_until(pilot, up)


def screen_ready(screen) -> bool:
    """A screen that is mounted and has taken the focus (if anything on it takes one)."""
    return screen.is_mounted and (screen.focused is not None or not screen.focus_chain)


def is_a(screen, kind: type | str) -> bool:
    """``isinstance`` for a class, or the class name for a name."""
    if isinstance(kind, str):
        return type(screen).__name__ == kind
    return isinstance(screen, kind)


async def wait_for_screen(pilot, kind: type | str) -> None:
    """Until the screen on top is a ``kind`` (a class or a class name) ready for keys."""
    await wait_until(pilot, lambda: is_a(pilot.app.screen, kind) and screen_ready(pilot.app.screen))


def tab_shown(screen, pane: str) -> bool:
    """The tab of class ``pane`` has the focus; the minutes list is filled (once its width
    is known)."""
    if not focus_in(screen, pane):
        return False
    return pane != "NotulenPane" or bool(screen.query_one(pane)._text_width)


def minutes_at_newest(screen) -> bool:
    """The minutes list scrolled to its newest entry, as it opens (after a refresh: a dialog
    pushed before that leaves the list behind it at the top)."""
    rows = screen.query_one("#notulen-list")
    return rows.scroll_offset.y == rows.max_scroll_y


async def open_tab(pilot, key: str, pane: str) -> None:
    """Press ``key`` once the forum is up, until the (lazily built) tab of class ``pane``
    is shown (``tab_shown``): on a loaded machine a key pressed while a tab builds may be
    lost, so it is pressed again."""
    await wait_for_forum(pilot)
    for _ in range(5):
        if focus_in(pilot.app.screen, pane):
            break  # the key was not lost, only the tab is still being laid out
        await pilot.press(key)
        try:
            await wait_until(pilot, lambda: focus_in(pilot.app.screen, pane), 6.0)
            break
        except AssertionError:
            continue
    await wait_until(pilot, lambda: tab_shown(pilot.app.screen, pane))
    await pilot.pause()


async def open_new_proposal(pilot) -> None:
    """F4, then ctrl+a once the (lazily built) Usulan tab is there, until the form is up."""
    await open_tab(pilot, "f4", "UsulanPane")
    await pilot.press("ctrl+a")
    await wait_for_screen(pilot, "UsulanForm")


async def press(pilot, *keys: str) -> None:
    """Press ``keys`` one by one; after a key that put another screen on top, wait until
    that screen is ready for keys before the next one (else the next key may be lost)."""
    for key in keys:
        before = pilot.app.screen
        await pilot.press(key)
        if pilot.app.screen is not before:
            await wait_until(pilot, lambda: screen_ready(pilot.app.screen))
