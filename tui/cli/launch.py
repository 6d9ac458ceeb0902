"""Starting the app from the command line (``musrenbang``, ``open``, ``demo``).

Imported only by the verbs that show the app, so the other verbs never load Textual. A
forum that cannot be opened (not a forum, damaged) raises ``ForumFileError`` before the
screen is taken over, so the command line prints its one Indonesian line and exits 2.
"""

from __future__ import annotations

import argparse
import contextlib
from collections.abc import Iterator
from pathlib import Path


def run_forum_app(path: Path, args: argparse.Namespace) -> int:
    """``musrenbang open PATH`` / ``demo``: the note-taker app on one forum."""
    with _collector_paused_until_ready():
        from store.office import remember_forum
        from tui.app import MusrenbangApp

        app = MusrenbangApp(
            path,
            operator=getattr(args, "operator", None),
            exit_when_ready=getattr(args, "exit_when_ready", False),
            readonly=getattr(args, "hanya_baca", False),
        )
        remember_forum(path)
        return _run(app)


def run_home(args: argparse.Namespace) -> int:
    """``musrenbang`` without a verb: the home screen."""
    with _collector_paused_until_ready():
        from tui.app import MusrenbangApp

        app = MusrenbangApp(
            operator=getattr(args, "operator", None),
            exit_when_ready=getattr(args, "exit_when_ready", False),
        )
        return _run(app)


@contextlib.contextmanager
def _collector_paused_until_ready() -> Iterator[None]:
    """The collector is off from here until the first screen is ready (the app resumes it,
    ``tui.startup_collector``); back on whatever happens (a forum refused before the app
    ran, an error)."""
    from tui import startup_collector

    startup_collector.pause()
    try:
        yield
    finally:
        startup_collector.resume(freeze=False)


def _run(app) -> int:
    try:
        app.run()
    finally:
        app.close_forums()
    return app.return_code or 0
