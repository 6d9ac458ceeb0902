"""The projector display run headless by ``tests/bench.py --only priority``.

    python tests/display_bench_child.py PATH PROPOSAL_ID

After every redraw (the screen refreshed after a new snapshot) it prints one line to the
real stdout: the wall-clock time and the vote count of proposal PROPOSAL_ID, so the parent,
which writes the forum in another process, can measure save-to-screen latency.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tui.display.screen import DisplayApp, DisplaySnapshot


class TimedDisplay(DisplayApp):
    def __init__(self, path: Path, watched: int) -> None:
        super().__init__(path)
        self.watched = watched

    def show_snapshot(self, snap: DisplaySnapshot) -> None:
        super().show_snapshot(snap)
        votes = snap.result.row(self.watched).suara
        self.call_after_refresh(self._report, votes)

    def _report(self, votes: int | None) -> None:
        # Textual captures print() while running; the parent reads the real stdout.
        sys.__stdout__.write(f"{time.time():.6f} {votes}\n")
        sys.__stdout__.flush()


if __name__ == "__main__":
    TimedDisplay(Path(sys.argv[1]), int(sys.argv[2])).run(headless=True, size=(120, 40))
