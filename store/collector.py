"""Pausing CPython's cyclic garbage collector while a file's rows are loaded.

An import makes a few dozen long-lived containers per row (cells, records, their stored and
audited copies, index entries) and no reference cycles. The collector's full passes walk
every container made so far, so with it running the cost of a row grows with the rows
before it (20,000 rows: a third slower per row than 2,000). Memory is still freed as usual
by reference counting; only the search for cycles waits until the load is over.
"""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator


@contextlib.contextmanager
def collector_paused() -> Iterator[None]:
    """Run the block with the cyclic collector off, restoring it after (even on error);
    nested or concurrent uses leave it as the outermost found it, at worst on a little
    early, which costs time, never correctness."""
    collecting = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if collecting:
            gc.enable()


@contextlib.contextmanager
def built_to_last() -> Iterator[None]:
    """Build long-lived structures that hold no cycles (a forum's indexes) with the collector
    paused, then freeze them (``gc.freeze``) so no later full pass walks them again.

    A paused build leaves every object it made in the youngest generation: without the
    freeze, the first collection after it walks them all (0.1-0.2 s at 100x) inside whatever
    user action comes next, and full passes keep walking them afterwards. Freezing is a
    constant-time move of every tracked object, the build's and anything else alive, into
    the permanent generation (as ``store.storage`` does with the forum's records on opening);
    frozen objects are still freed by reference counting when the index is replaced.
    """
    with collector_paused():
        yield
        gc.freeze()
