"""Growth of what the user does, 1x to 100x, and the Kabupaten intake (issue 14).

Run through ``tests/bench.py --only growth`` / ``--only kabupaten`` (``--quick``: 1x and
10x, fewer writes). Forums are the demo forum repeated N times (copies k > 0 get desa
"NAME k", as other kecamatan of a Kabupaten would), built once and cached in
``$TMPDIR/musrenbang-bench-cache``. Each scale is measured in a fresh child process (so
its peak RSS and garbage collector are its own) through the public API: what the check-in
desk, the minutes editor, the proposal form and the scoring grid call, and what the
projector display reads after a change (in that process, through a second read-only
handle: the display's data path without its drawing).
"""

from __future__ import annotations

import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

CACHE = Path(tempfile.gettempdir()) / "musrenbang-bench-cache"
CACHE_VERSION = 4
REPLICATED = ("participants", "minutes", "proposals", "scores", "audit")
SHOWN = 51  # rows the check-in list asks for (tui.kehadiran.pane.SHOWN + 1)


def pct(values: list[float], q: int) -> float:
    if len(values) < 2:  # a figure seen once (a compaction at 1x) is its own percentile
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[q - 1]


def demo_master() -> Path:
    from store.demo import build_demo

    CACHE.mkdir(exist_ok=True)
    path = CACHE / f"demo-v{CACHE_VERSION}.musrenbang"
    if not path.exists():
        build_demo(path.with_suffix(".tmp"))
        path.with_suffix(".tmp").rename(path)
    return path


def scaled_forum(scale: int) -> Path:
    """The demo repeated ``scale`` times (cached)."""
    from store.storage import ForumDatabase

    path = CACHE / f"demo-{scale}x-v{CACHE_VERSION}.musrenbang"
    if path.exists():
        return path
    source = ForumDatabase.open(demo_master(), readonly=True)
    tables = {
        name: {d.doc_id: dict(d) for d in source.table(name)} for name in source.table_names()
    }
    source.close()
    tops = {name: max(tables[name], default=0) for name in REPLICATED}
    for copy in range(1, scale):
        for name in REPLICATED:
            for doc_id, doc in list(tables[name].items()):
                if doc_id > tops[name]:
                    continue
                new = dict(doc)
                if name == "proposals":  # same desa (the form re-validates it), own place
                    new["lokasi"] = f"Blok C{copy} Sektor {copy * 7 % 13}"
                elif new.get("desa"):
                    new["desa"] = f"{new['desa']} {copy}"
                if name == "scores":
                    new["usulan_id"] = doc["usulan_id"] + copy * tops["proposals"]
                if name == "participants":
                    new["nama"] = f"{doc['nama']} {copy}"
                    new["nik"] = ""
                tables[name][doc_id + copy * tops[name]] = new
    work = path.with_suffix(".tmp")
    work.unlink(missing_ok=True)
    ForumDatabase.create(work, tables, operator="bench").close()
    for leftover in work.parent.glob(work.name + ".backup"):
        shutil.rmtree(leftover, ignore_errors=True)
    work.rename(path)
    return path


def fsync_floor_ms(folder: Path, runs: int = 200) -> float:
    """p50 of appending 200 bytes and fsyncing, in the bench's folder: the disk's floor."""
    target = folder / "fsync-probe"
    fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_APPEND)
    times = []
    try:
        for _ in range(runs):
            start = time.perf_counter()
            os.write(fd, b"x" * 200)
            os.fsync(fd)
            times.append((time.perf_counter() - start) * 1000)
    finally:
        os.close(fd)
        target.unlink()
    return statistics.median(times)


def people_index(forum):
    """The check-in list's index as the pane gets it (before issue 14 the pane rebuilt it
    from every record after each change; kept so the same bench measures that code too)."""
    live = getattr(forum.participants, "index", None)
    if live is not None:
        return live()
    from store.attendance import PeopleIndex

    return PeopleIndex(forum.participants.all())


def measure(path: Path, writes: int) -> dict[str, Any]:
    """In a child process: open, then ``writes`` user actions; figures as a dict."""
    import store.storage as storage
    from store.forum import open_forum
    from tui.display.screen import POLL_SECONDS
    from tui.prioritas.data import PriorityData

    storage.BACKUP_INTERVAL_S = 2  # so backups fall inside the percentiles too
    rng = random.Random(14)
    start = time.perf_counter()
    forum = open_forum(path, operator="bench")
    open_ms = (time.perf_counter() - start) * 1000
    from tests.bench import peak_rss_mb

    # A user takes seconds to reach a screen and act after opening: the app warms the
    # indexes meanwhile (issue 14), and the file's backup is written; both are done by then.
    getattr(forum, "warm_up", lambda: None)()
    forum._db.wait_for_maintenance()  # the backup of the file as opened holds its bytes
    getattr(forum, "wait_until_warm", lambda: True)()
    rss_open_mb = peak_rss_mb()  # the writer alone: before the display's copy is read
    display = open_forum(path, readonly=True)
    data = PriorityData.read(display)
    people = forum.participants.all()
    proposals = [p["id"] for p in forum.proposals.all()]
    criteria = [c["id"] for c in forum.priority.criteria()]
    agenda = [a["id"] for a in forum.agenda.all()]
    kinds_measured = ("checkin", "search", "minutes", "proposal", "score", "write", "display")
    figures: dict[str, list[float]] = {
        kind: [] for kind in (*kinds_measured, "display_full", "display_compacted")
    }

    def timed(kind: str, action) -> None:
        began = time.perf_counter()
        action()
        elapsed = (time.perf_counter() - began) * 1000
        figures[kind].append(elapsed)
        if kind != "search":
            figures["write"].append(elapsed)

    def check_in() -> None:  # Enter at the desk: save, the search cleared, list and counters
        person = rng.choice(people)
        if forum.participants.get(person["id"]).get("hadir_pukul"):
            forum.participants.undo_check_in(person["id"])
        else:
            forum.participants.check_in(person["id"])
        index = people_index(forum)
        if hasattr(index, "door"):  # the door order and tally kept by the index (issue 14)
            index.door(SHOWN)
            forum.participants.summary(in_room=True)
            return
        from tui.kehadiran.pane import door_order  # before: the whole list sorted and counted

        door_order(index.people)
        forum.participants.summary(index.people, in_room=True)

    def proposal_save() -> None:  # the form: duplicate warning, then save
        rec_id = rng.choice(proposals)
        record = forum.proposals.get(rec_id)
        changed = {**record, "lokasi": f"{record.get('lokasi', '')} {rng.randrange(9)}"}
        forum.proposals.likely_duplicates({**changed, "id": rec_id})
        forum.proposals.update(rec_id, lokasi=changed["lokasi"])

    touched: set[str] = set()
    display.subscribe(lambda change: touched.add(change.table))
    shown = [data]

    def follow() -> None:  # the display's thread: refresh, then what its picture needs
        display.refresh()
        follows = getattr(shown[0], "followed", None)  # absent before issue 14
        if follows is None:
            shown[0] = PriorityData.read(display)
        else:
            shown[0] = follows(display, touched)
        touched.clear()
        display.participants.summary()

    kinds = [
        ("checkin", check_in),
        (
            "minutes",
            lambda: forum.minutes.add(f"catatan {rng.random()}", agenda_id=rng.choice(agenda)),
        ),
        ("proposal", proposal_save),
        (
            "score",
            lambda: forum.priority.set_score(
                rng.choice(proposals), rng.choice(criteria), rng.randint(1, 5)
            ),
        ),
    ]
    seen = {"inode": path.stat().st_ino, "at": time.perf_counter(), "reloads": 0}

    def look(kind: str | None) -> None:
        """The display's poll. Timed under ``kind`` (None: not timed), except a look that
        finds a compaction renamed in since the last, timed under "display_compacted"."""
        inode = path.stat().st_ino
        compacted = inode != seen["inode"]
        began = time.perf_counter()
        follow()
        elapsed = (time.perf_counter() - began) * 1000
        seen.update(inode=inode, at=time.perf_counter())
        if compacted:
            figures["display_compacted"].append(elapsed)
            seen["reloads"] += display._db.changed_tables is None
        elif kind is not None:
            figures[kind].append(elapsed)

    for n in range(writes):
        kind, action = kinds[n % len(kinds)]
        if time.perf_counter() - seen["at"] >= POLL_SECONDS:  # as often as the display polls
            if path.stat().st_ino != seen["inode"]:
                look(None)
            else:  # it reads what was appended; its picture waits for the next timed look
                display.refresh()
                seen["at"] = time.perf_counter()
        if n % 40 == 3:  # a vote the display must show: first bring the display up to date
            look(None)
            began = time.perf_counter()
            shown[0] = PriorityData.read(display)  # what a proposal edit or compaction costs
            figures["display_full"].append((time.perf_counter() - began) * 1000)
            touched.clear()
        timed(kind, action)
        if n % 4 == 0:
            name = rng.choice(people)["nama"]
            typed = name[: rng.randint(1, min(8, len(name)))]
            timed("search", lambda t=typed: forum.participants.search(t, SHOWN))
        if n % 40 == 3:
            look("display")
    getattr(forum._db, "wait_for_maintenance", lambda: None)()
    forum.close()
    display.close()
    result: dict[str, Any] = {
        "open_ms": open_ms,
        "rss_mb": peak_rss_mb(),
        "rss_open_mb": rss_open_mb,
        "compaction_reloads": seen["reloads"],
    }
    for kind, values in figures.items():
        measured = values or [float("nan")]  # no compaction at this scale
        result[kind] = {
            "p50": statistics.median(measured),
            "p95": pct(measured, 95),
            "max": max(measured),
            "n": len(values),
        }
    return result


def first_open(path: Path) -> dict[str, Any]:
    """In a child process: the first open of a file this installation never sealed (every
    record checked: ``store.forum_seal``), one change, close (which seals it)."""
    from store.forum import open_forum

    start = time.perf_counter()
    forum = open_forum(path, operator="bench")
    opened = (time.perf_counter() - start) * 1000
    forum.minutes.add("Forum dibuka di laptop ini.")
    forum.close()
    return {"first_open_ms": opened}


def run_scale(scale: int, writes: int, folder: Path) -> dict[str, Any]:
    """The first open of the scaled forum in one child, then every figure in another (whose
    open is every later open: of a sealed snapshot)."""
    work = folder / f"growth-{scale}x.musrenbang"
    shutil.copyfile(scaled_forum(scale), work)
    size_mb = work.stat().st_size / 1e6
    result: dict[str, Any] = {}
    for args in (["--first-open", str(work)], ["--child", str(work), str(writes)]):
        out = subprocess.run(
            [sys.executable, __file__, *args],
            capture_output=True,
            text=True,
            check=True,
            env={**os.environ, "MUSRENBANG_HOME": str(folder / "home")},
        )
        result.update(json.loads(out.stdout.strip().splitlines()[-1]))
    result["file_mb"] = size_mb
    return result


def stock_update_ms(scale: int, folder: Path, runs: int = 8) -> float:
    """Stock TinyDB (JSONStorage) on the same forum: one check-in update, p50 ms."""
    from tinydb import TinyDB
    from tinydb.storages import JSONStorage

    from store.storage import ForumDatabase

    source = ForumDatabase.open(scaled_forum(scale), readonly=True)
    tables = {n: {str(d.doc_id): dict(d) for d in source.table(n)} for n in source.table_names()}
    source.close()
    path = folder / f"stock-{scale}x.json"
    path.write_text(json.dumps(tables))
    times = []
    with TinyDB(path, storage=JSONStorage) as db:
        people = db.table("participants")
        for n in range(runs):
            began = time.perf_counter()
            people.update({"hadir_pukul": f"09.{n:02d}"}, doc_ids=[1 + n])
            times.append((time.perf_counter() - began) * 1000)
    return statistics.median(times)


def startup_ms(scale: int, folder: Path, runs: int) -> dict[str, float]:
    from tests.bench import BARE_APP, time_process

    work = folder / f"startup-{scale}x.musrenbang"
    shutil.copyfile(scaled_forum(scale), work)
    script = Path(sys.executable).parent / "musrenbang"
    env = {**os.environ, "MUSRENBANG_HOME": str(folder / "home"), "TERM": "xterm-256color"}
    ours = [str(script), "open", str(work), "--exit-when-ready"]
    bare = [sys.executable, "-c", BARE_APP]
    time_process(ours, env)
    time_process(bare, env)
    app = [time_process(ours, env) for _ in range(runs)]
    base = [time_process(bare, env) for _ in range(runs)]
    return {"app": statistics.median(app), "bare": statistics.median(base)}


ROWS = (
    ("check-in Enter (save + list + counters)", "checkin", "p95 < 50"),
    ("search keypress", "search", "p95 < 50"),
    ("minutes Enter (save)", "minutes", ""),
    ("proposal form save (dup check + save)", "proposal", "p95 < 50"),
    ("a score", "score", ""),
    ("every write, incl. compaction/backup", "write", "max < 100"),
    ("display follows a vote (refresh + data)", "display", "p95 < 500"),
    ("display full re-read (proposal edit, compaction)", "display_full", ""),
    ("display's first look after a compaction", "display_compacted", "max < 500"),
)


def scale_lines(scale: int, result: dict[str, Any], floor: float) -> list[str]:
    """One scale's figures, printable the moment that scale is measured."""
    lines = [f"growth {scale}x ({result['file_mb']:.1f} MB): p50 / p95 / max ms, target"]
    for label, key, target in ROWS:
        cell = result[key]
        lines.append(
            f"  {label:48}{cell['p50']:7.1f} /{cell['p95']:7.1f} /{cell['max']:6.0f}  {target}"
        )
    lines.append(
        f"  {'compactions seen by the display / full reloads':48}"
        f"{result['display_compacted']['n']:4} / {result['compaction_reloads']}"
    )
    lines.append(f"  {'write p50 / fsync floor':48}{result['write']['p50'] / floor:7.1f}")
    first = result["first_open_ms"]
    lines.append(f"  {'open ms, first on this laptop (all checked)':48}{first:7.0f}")
    lines.append(f"  {'open ms, every later open (sealed)':48}{result['open_ms']:7.0f}  < 1000")
    for label, key in (
        ("peak RSS MB, writer open (x file)", "rss_open_mb"),
        ("peak RSS MB, run incl. display copy (x file)", "rss_mb"),
    ):
        rss = result[key]
        lines.append(f"  {label:48}{rss:7.0f}  ({rss / result['file_mb']:.1f}x)  < 3x")
    return lines


def scale_figures(scale: int, result: dict[str, Any]) -> dict[str, Any]:
    figures: dict[str, Any] = {}
    for _, key, _ in ROWS:
        for stat in ("p50", "p95", "max"):
            figures[f"growth_{key}_{stat}_ms_{scale}x"] = round(result[key][stat], 2)
    figures[f"growth_open_ms_{scale}x"] = round(result["open_ms"], 1)
    figures[f"growth_first_open_ms_{scale}x"] = round(result["first_open_ms"], 1)
    figures[f"growth_rss_mb_{scale}x"] = result["rss_mb"]
    figures[f"growth_rss_open_mb_{scale}x"] = result["rss_open_mb"]
    figures[f"growth_file_mb_{scale}x"] = round(result["file_mb"], 2)
    return figures


def bench_growth(quick: bool = False, scales: tuple[int, ...] | None = None) -> dict[str, Any]:
    """Baselines first (fsync floor, stock TinyDB and start-up at 1x/10x), then each scale,
    its figures printed (flushed) as soon as it is measured: an interrupted 100x run still
    leaves every figure measured before it. Ends with the side-by-side table."""
    scales = scales or ((1, 10) if quick else (1, 10, 30, 100))
    writes = int(os.environ.get("BENCH_GROWTH_WRITES", 1000 if quick else 5000))
    figures: dict[str, Any] = {}
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        floor = fsync_floor_ms(folder)
        figures["fsync_floor_ms"] = round(floor, 3)
        print(f"growth ({writes} writes per scale); fsync floor {floor:.3f} ms", flush=True)
        for s in (1, 10):
            stock = stock_update_ms(s, folder)
            figures[f"growth_stock_update_ms_{s}x"] = round(stock, 1)
            print(f"  stock TinyDB, one check-in update at {s}x: {stock:.1f} ms", flush=True)
        for s in (1, 10):
            start = startup_ms(s, folder, 3 if quick else 5)
            ratio = figures[f"growth_startup_ratio_{s}x"] = round(start["app"] / start["bare"], 2)
            print(
                f"  start-up {s}x: {start['app']:.0f} ms vs bare Textual {start['bare']:.0f}"
                f" ms = {ratio}x (target at 10x <= 1.5x)",
                flush=True,
            )
        results = {}
        for scale in scales:
            results[scale] = run_scale(scale, writes, folder)
            print("\n".join(scale_lines(scale, results[scale], floor)), flush=True)
            figures.update(scale_figures(scale, results[scale]))
            if scale in (1, 10):
                stock = figures[f"growth_stock_update_ms_{scale}x"]
                print(
                    f"  stock TinyDB update / our whole check-in p50: "
                    f"{stock / results[scale]['checkin']['p50']:.0f}x",
                    flush=True,
                )
    print_table(results, floor)
    return figures


def print_table(results: dict[int, dict[str, Any]], floor: float) -> None:
    """The growth table, scales side by side (p50 / p95)."""
    scales = sorted(results)
    print(f"growth table (fsync floor {floor:.3f} ms)")
    print(f"{'figure (p50 / p95 ms)':44}" + "".join(f"{f'{s}x':>14}" for s in scales) + "  target")
    for label, key, target in ROWS:
        cells = "".join(
            f"{results[s][key]['p50']:6.1f}/{results[s][key]['p95']:6.1f} " for s in scales
        )
        print(f"{label[:43]:44}{cells} {target}")
    for label, key in (("open ms, first (all checked)", "first_open_ms"), ("open ms", "open_ms")):
        print(f"{label:44}" + "".join(f"{results[s][key]:14.0f}" for s in scales))
    for label, key in (("peak RSS, writer open (x file)", "rss_open_mb"), ("peak RSS", "rss_mb")):
        print(
            f"{label:44}"
            + "".join(f"{results[s][key] / results[s]['file_mb']:13.1f}x" for s in scales)
        )


WORKS = ("Rehabilitasi jalan", "Saluran drainase", "Paving", "Posyandu", "Lampu jalan")
PLACES = ("Krajan", "Lor", "Kidul", "Wetan", "Kulon")


def kabupaten_round(desa_count: int, per_desa: int, kecamatan: int, folder: Path) -> float:
    """Seconds to take ``per_desa`` proposals of each of ``desa_count`` desa into each of
    ``kecamatan`` forums, one save per desa, each duplicate-checked against the forum."""
    from store.forum import create_forum
    from store.regions import desa_of
    from tests.bench import proposal

    places = desa_of("35.16.13")
    rng = random.Random(304)
    total = 0.0
    for k in range(kecamatan):
        forum = create_forum(folder / f"kec-{desa_count}-{per_desa}-{k}.musrenbang",
                             operator="bench", level="kecamatan", wilayah="35.16.13", tahun=2027,
                             tanggal="2026-02-12", pukul="08:00", tempat="Pendopo",
                             pimpinan="Camat")  # fmt: skip
        batches = []
        for d in range(desa_count):
            place = places[d % len(places)]
            rows = []
            for n in range(per_desa):
                record = forum.proposals.complete(proposal(n, rng))
                record["desa"] = (
                    f"{place.name} {d // len(places)}" if d >= len(places) else place.name
                )
                record["kegiatan"] = f"{rng.choice(WORKS)} {rng.choice(PLACES)} {n}"
                rows.append(record)
            batches.append(rows)
        began = time.perf_counter()
        for rows in batches:
            with forum.batch():
                for record in rows:
                    forum.proposals.add_prepared(record)
        total += time.perf_counter() - began
        forum.close()
    return total


def bench_kabupaten(quick: bool = False) -> dict[str, Any]:
    """Kab. Mojokerto: 18 kecamatan x ~17 desa (304) x 100 proposals, one forum each; and
    15 desa x 300 against 15 x 100 to show the per-desa check is near-linear."""
    figures: dict[str, Any] = {}
    kecamatan = 3 if quick else 18
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        os.environ["MUSRENBANG_HOME"] = str(folder / "home")
        small = kabupaten_round(15, 100, 1, folder)
        large = kabupaten_round(15, 300, 1, folder)
        whole = kabupaten_round(17, 100, kecamatan, folder)
    figures["kabupaten_15x100_s"] = round(small, 2)
    figures["kabupaten_15x300_s"] = round(large, 2)
    figures["kabupaten_total_s"] = round(whole, 2)
    print(
        f"kabupaten intake (proposals added one save per desa, duplicate-checked): "
        f"15 desa x 100 = {small:.2f} s, 15 x 300 = {large:.2f} s ({large / small:.1f}x time "
        f"for 3x rows); {kecamatan} kecamatan x 17 desa x 100 = {whole:.1f} s"
    )
    return figures


if __name__ == "__main__":
    if sys.argv[1:2] == ["--child"]:
        print(json.dumps(measure(Path(sys.argv[2]), int(sys.argv[3]))))
    elif sys.argv[1:2] == ["--first-open"]:
        print(json.dumps(first_open(Path(sys.argv[2]))))
