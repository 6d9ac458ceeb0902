"""Starting the app from the command line (``musrenbang``, ``open``, ``demo``).

Imported only by the verbs that show the app, so the other verbs never load Textual. A
forum that cannot be opened (not a forum, damaged) raises ``ForumFileError`` before the
screen is taken over, so the command line prints its one Indonesian line and exits 2.
"""

from __future__ import annotations

import argparse
from pathlib import Path


def run_forum_app(path: Path, args: argparse.Namespace) -> int:
    """``musrenbang open PATH`` / ``demo``: the note-taker app on one forum."""
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
    from tui.app import MusrenbangApp

    app = MusrenbangApp(
        operator=getattr(args, "operator", None),
        exit_when_ready=getattr(args, "exit_when_ready", False),
    )
    return _run(app)


def _run(app) -> int:
    try:
        app.run()
    finally:
        app.close_forums()
    return app.return_code or 0
