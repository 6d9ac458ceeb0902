"""Memory of what a forum keeps besides its stored records: the warm-up's indexes and the
Prioritas data, on the growth bench's cached forums (not a test; prints figures).

    uv run python tests/bench_index_memory.py [SCALE]      # default 100

Each figure is what ``tracemalloc`` still holds after the build (the index kept, its
temporaries freed), so it is the index's own size, apart from the records it refers to. The
forum is opened once first (as the growth bench does: the later open is of a sealed file),
then measured in a fresh process; RSS after opening and after the warm-up comes from a third
process without ``tracemalloc`` (which slows and inflates what it watches).
"""

from __future__ import annotations

import gc
import os
import shutil
import subprocess
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def rss_mb() -> dict[str, float]:
    """This process's current and peak RSS (Linux), MB."""
    found = {}
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(("VmRSS:", "VmHWM:")):
            found[line.split(":")[0]] = int(line.split()[1]) / 1024
    return found


def traced_mb(build) -> tuple[float, float]:
    """MB ``build()`` leaves allocated, and its seconds (slowed by tracing)."""
    gc.collect()
    before = tracemalloc.get_traced_memory()[0]
    began = time.perf_counter()
    kept = build()
    seconds = time.perf_counter() - began
    gc.collect()
    held = (tracemalloc.get_traced_memory()[0] - before) / 1e6
    del kept
    return held, seconds


def child(mode: str, path: Path) -> None:
    from store.forum import open_forum

    if mode == "first":
        forum = open_forum(path, operator="bench")
        forum.minutes.add("Forum dibuka di laptop ini.")
        forum.close()
        return
    forum = open_forum(path, operator="bench")
    forum._db.wait_for_maintenance()
    if mode == "rss":
        opened = rss_mb()
        forum.warm_up()
        forum.wait_until_warm()
        warm = rss_mb()
        print(
            f"  RSS MB after open {opened['VmRSS']:.0f}, after warm-up {warm['VmRSS']:.0f}, "
            f"peak {warm['VmHWM']:.0f} (file {path.stat().st_size / 1e6:.1f} MB)"
        )
        return
    from tui.prioritas.data import PriorityData

    tracemalloc.start()
    steps = (
        ("people index", lambda: forum.participants.warm_index()),
        ("duplicate index", lambda: forum.proposals.warm_index()),
        ("score cells", lambda: forum.priority.warm_index()),
        ("Prioritas data (tab, display)", lambda: PriorityData.read(forum)),
        ("Usulan tab's proposals", lambda: {p["id"]: p for p in forum.record_views("proposals")}),
    )
    for label, build in steps:
        held, seconds = traced_mb(build)
        print(f"  {label:32}{held:7.2f} MB  ({seconds:.2f} s traced)")


def main(scale: int) -> None:
    from tests.bench_growth import scaled_forum

    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp) / f"memory-{scale}x.musrenbang"
        shutil.copyfile(scaled_forum(scale), work)
        env = {**os.environ, "MUSRENBANG_HOME": str(Path(tmp) / "home")}
        print(f"kept besides the stored records, {scale}x:", flush=True)
        for mode in ("first", "trace", "rss"):
            subprocess.run(
                [sys.executable, __file__, "--child", mode, str(work)], env=env, check=True
            )


if __name__ == "__main__":
    if sys.argv[1:2] == ["--child"]:
        child(sys.argv[2], Path(sys.argv[3]))
    else:
        main(int(sys.argv[1]) if len(sys.argv) > 1 else 100)
