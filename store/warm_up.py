"""The forum's warm-up: its lazy indexes built on a background thread right after opening.

A user takes seconds to reach a screen and act after a forum opens; at a Kabupaten's scale
the indexes the first actions need take that long to build (``store.lazy_index``). The
warm-up builds them meanwhile, one after the other. It never writes, and a step that fails is
skipped silently: the index it would have built is built on first use instead, as without
the warm-up. Stopping (the forum closing) skips the steps not yet begun; the one under way
finishes on its own, never holding the forum (the thread is a daemon: exiting never waits).
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable, Sequence


class WarmUp:
    """Run ``steps`` in order on a daemon thread, swallowing their errors."""

    def __init__(self, steps: Sequence[Callable[[], None]]) -> None:
        self._steps = tuple(steps)
        self._stopped = threading.Event()
        self._done = threading.Event()
        self._thread = threading.Thread(target=self._run, name="forum-warm-up", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        """Begin no further step (returns at once)."""
        self._stopped.set()

    def wait(self, timeout: float | None = None) -> bool:
        """Block until every step ran (or was skipped); False when ``timeout`` s passed."""
        return self._done.wait(timeout)

    def _run(self) -> None:
        try:
            for step in self._steps:
                if self._stopped.is_set():
                    break
                with contextlib.suppress(Exception):  # the lazy path builds it on demand
                    step()
        finally:
            self._done.set()
