"""Start-up without the cyclic garbage collector's passes.

Starting the app makes ~100,000 long-lived containers (modules, classes, widgets, styles,
bindings) and almost no garbage (~700 objects in cycles). With the collector on, Python walks
the young ones some 150 times before the first screen is ready (40-60 ms of a start whose
bare Textual floor is ~0.5 s). The launcher pauses it; once the first screen is ready, what
survived is frozen (never walked again, still freed by reference counting, as
``store.storage`` does with a forum it loads) and the collector resumes. The few cycles made
meanwhile stay frozen with the rest: a one-off ~100 KB, instead of repeated walks.
"""

from __future__ import annotations

import gc

_paused = False


def pause() -> None:
    """Stop the collector until ``resume`` (when it was running)."""
    global _paused
    if gc.isenabled():
        gc.disable()
        _paused = True


def resume(*, freeze: bool = True) -> None:
    """Undo ``pause`` (idempotent; nothing if ``pause`` did nothing). ``freeze``: move what
    is alive now out of the collector's walks first (the first screen is ready); without it
    (the app never started) the collector simply runs again."""
    global _paused
    if not _paused:
        return
    _paused = False
    if freeze:
        gc.freeze()
    gc.enable()
