"""Benchmarks (not tests): ``uv run python tests/bench.py [--only SECTION]``.

Each section is a function returning a dict of figures; it prints readable lines as it goes.
The last line printed is ONE JSON object merging the figures of every section run, for
scripts and CI to read. Add a section by writing ``bench_<name>()`` and listing it in
``SECTIONS``.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from store.storage import ForumDatabase  # noqa: E402

Figures = dict[str, Any]

# -- store ----------------------------------------------------------------------------------

#: Table sizes of a 1x forum (a large kecamatan Musrenbang); 10x is a stress case.
BASE_SIZES = {"participants": 200, "minutes": 500, "proposals": 150, "scores": 900}
AUDIT_PER_SCALE = 2000
MIX_ROUNDS = 100  # x 4 kinds of change per scale with our storage
STOCK_ROUNDS = {1: 15, 10: 8}  # x 4 kinds with TinyDB's stock JSONStorage (slow)
OPEN_REPEATS = 7
DESA = ["Sooko", "Japan", "Klinterejo", "Wringinrejo", "Gemekan", "Modongan", "Ngingasrembyong"]


def participant(n: int, rng: random.Random) -> dict:
    return {
        "nama": f"Peserta Nomor {n} binti Sukarno",
        "jenis_kelamin": rng.choice("LP"),
        "lembaga": "Tim Penggerak PKK Desa",
        "unsur": rng.choice(["Pemerintah Desa", "BPD", "Kelompok Perempuan", "Tokoh Masyarakat"]),
        "desa": rng.choice(DESA),
        "jabatan": "Anggota",
        "delegasi": rng.random() < 0.3,
        "hak_suara": rng.random() < 0.3,
        "disabilitas": "",
        "telepon": f"08123{n:07d}",
        "nik": f"351613{n:010d}",
        "hadir_pukul": None,
        "pulang_pukul": None,
    }


def minute(n: int, rng: random.Random) -> dict:
    return {
        "waktu": f"2025-02-10T{9 + n % 8:02d}:{n % 60:02d}:00+07:00",
        "agenda_id": 1 + n % 9,
        "jenis": rng.choice(["catatan", "tanggapan", "keputusan"]),
        "pembicara": f"Kepala Desa {rng.choice(DESA)}",
        "teks": "Usulan perbaikan jalan poros desa dibahas dan disepakati untuk diprioritaskan "
        "karena menjadi akses utama warga ke pasar dan sekolah. " * 2,
        "metode": None,
        "hasil": None,
    }


def proposal(n: int, rng: random.Random) -> dict:
    biaya = rng.randrange(50, 900) * 1_000_000
    return {
        "desa": rng.choice(DESA),
        "sumber": "musrenbang desa",
        "bidang": "Infrastruktur dan Kewilayahan",
        "permasalahan": "Jalan rusak sepanjang 800 meter sehingga menghambat distribusi hasil "
        "pertanian dan akses anak sekolah, terutama di musim hujan.",
        "kegiatan": f"Rehabilitasi jalan lingkungan dusun nomor {n}",
        "lokasi": f"Dusun {n % 12}, RT {n % 7:02d} / RW {n % 4:02d}",
        "volume": rng.randrange(100, 2000),
        "satuan": "meter",
        "penerima_manfaat": rng.randrange(50, 900),
        "biaya": biaya,
        "sumber_dana": [{"sumber": "APBD Kab", "jumlah": biaya}],
        "opd_tujuan": "Dinas PUPR",
        "kamus_usulan": "Pembangunan/rehabilitasi jalan lingkungan",
        "foto": [],
        "status": "diusulkan",
        "alasan": "",
        "asal": {"forum": "desa", "kode": "35.16.13.2001"},
        "duplikat": False,
    }


def score(n: int, rng: random.Random, proposals: int) -> dict:
    return {"usulan_id": 1 + n % proposals, "kriteria_id": 1 + n % 6, "penilai": "tim", "nilai": 3}


def audit(n: int) -> dict:
    return {
        "waktu": "2025-02-10T09:15:00+07:00",
        "operator": "Sari",
        "tabel": "participants",
        "doc_id": n,
        "aksi": "ubah",
        "lama": {"hadir_pukul": None},
        "baru": {"hadir_pukul": "09.15"},
    }


def forum_tables(scale: int) -> dict[str, dict[int, dict]]:
    rng = random.Random(scale)
    sizes = {name: count * scale for name, count in BASE_SIZES.items()}
    return {
        "participants": {n: participant(n, rng) for n in range(1, sizes["participants"] + 1)},
        "minutes": {n: minute(n, rng) for n in range(1, sizes["minutes"] + 1)},
        "proposals": {n: proposal(n, rng) for n in range(1, sizes["proposals"] + 1)},
        "scores": {
            n: score(n, rng, sizes["proposals"]) for n in range(1, sizes["scores"] + 1)
        },
        "audit": {n: audit(n) for n in range(1, AUDIT_PER_SCALE * scale + 1)},
    }


def mix(db, scale: int, rounds: int, transaction: Callable) -> list[float]:
    """Durations (ms) of check-in, minutes entry, score entry and proposal edit, each with
    its audit record, in one transaction (``transaction`` is a no-op context for stock)."""
    rng = random.Random(42)
    sizes = {name: count * scale for name, count in BASE_SIZES.items()}
    people, minutes, scores = db.table("participants"), db.table("minutes"), db.table("scores")
    proposals, log = db.table("proposals"), db.table("audit")
    changes = [
        lambda i: people.update({"hadir_pukul": f"09.{i % 60:02d}"}, doc_ids=[rng_id(i, "p")]),
        lambda i: minutes.insert(minute(i, rng)),
        lambda i: scores.update({"nilai": 1 + i % 5}, doc_ids=[rng_id(i, "s")]),
        lambda i: proposals.update({"status": "diakomodir", "alasan": f"r{i}"},
                                   doc_ids=[rng_id(i, "u")]),
    ]
    limits = {"p": sizes["participants"], "s": sizes["scores"], "u": sizes["proposals"]}

    def rng_id(i: int, kind: str) -> int:
        return rng.randrange(1, limits[kind] + 1)

    durations = []
    for i in range(rounds):
        for change in changes:
            start = time.perf_counter()
            with transaction():
                change(i)
                log.insert(audit(i))
            durations.append((time.perf_counter() - start) * 1000)
    return durations


def percentile(values: list[float], q: float) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[int(q) - 1]


def stock_mix(tables: dict, folder: Path, scale: int, rounds: int) -> list[float]:
    """The same mix through TinyDB's stock JSONStorage (each op rewrites the file)."""
    import contextlib

    from tinydb import TinyDB
    from tinydb.storages import JSONStorage

    path = folder / f"stock-{scale}x.json"
    path.write_text(
        json.dumps({name: {str(k): v for k, v in docs.items()} for name, docs in tables.items()})
    )
    with TinyDB(path, storage=JSONStorage) as db:
        return mix(db, scale, rounds, contextlib.nullcontext)


def child_rss(path: Path, scale: int) -> float | None:
    """Peak RSS (MB) of a fresh process that opens the forum and applies the mix."""
    result = subprocess.run(
        [sys.executable, __file__, "--rss-child", str(path), str(scale)],
        capture_output=True,
        text=True,
        check=True,
    )
    figure = result.stdout.strip().splitlines()[-1]
    return None if figure == "None" else float(figure)


def rss_child(path: Path, scale: int) -> None:
    db = ForumDatabase.open(path, operator="bench")
    mix(db, scale, MIX_ROUNDS, db.transaction)
    db.close()
    print(peak_rss_mb())


def peak_rss_mb() -> float | None:
    """This process's peak RSS in MB.

    On Linux, VmHWM from /proc: ``getrusage``'s ru_maxrss survives exec, so a child started
    by a big parent would report the parent's size at fork time, not its own peak.
    """
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return round(int(line.split()[1]) / 1024, 1)
    except OSError:
        pass
    try:
        import resource
    except ImportError:  # Windows
        return None
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return round(peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024, 1)


def open_ms(path: Path, readonly: bool) -> float:
    times = []
    for _ in range(OPEN_REPEATS):
        start = time.perf_counter()
        db = ForumDatabase.open(path, readonly=readonly, operator="bench")
        times.append((time.perf_counter() - start) * 1000)
        db.close()
    return statistics.median(times)


def bench_store() -> Figures:
    figures: Figures = {}
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        for scale in (1, 10):
            tables = forum_tables(scale)
            path = folder / f"bench-{scale}x.musrenbang"
            ForumDatabase.create(path, tables, operator="bench").close()
            figures[f"file_mb_{scale}x"] = round(path.stat().st_size / 1e6, 2)
            figures[f"open_ms_{scale}x"] = round(open_ms(path, readonly=False), 1)
            figures[f"open_readonly_ms_{scale}x"] = round(open_ms(path, readonly=True), 1)
            db = ForumDatabase.open(path, operator="bench")
            ours = mix(db, scale, MIX_ROUNDS, db.transaction)
            db.close()
            stock = stock_mix(tables, folder, scale, STOCK_ROUNDS[scale])
            figures[f"write_p50_ms_{scale}x"] = round(percentile(ours, 50), 3)
            figures[f"write_p95_ms_{scale}x"] = round(percentile(ours, 95), 3)
            figures[f"write_max_ms_{scale}x"] = round(max(ours), 3)
            figures[f"stock_write_p50_ms_{scale}x"] = round(percentile(stock, 50), 1)
            figures[f"stock_write_p95_ms_{scale}x"] = round(percentile(stock, 95), 1)
            figures[f"rss_mb_{scale}x"] = child_rss(path, scale)
            counts = ", ".join(f"{name} {len(docs)}" for name, docs in tables.items())
            print(f"store {scale}x ({counts}; {figures[f'file_mb_{scale}x']} MB):")
            print(
                f"  open {figures[f'open_ms_{scale}x']} ms (read-only "
                f"{figures[f'open_readonly_ms_{scale}x']} ms), peak RSS "
                f"{figures[f'rss_mb_{scale}x']} MB"
            )
            print(
                f"  one durable change (+audit): p50 {figures[f'write_p50_ms_{scale}x']} ms, "
                f"p95 {figures[f'write_p95_ms_{scale}x']} ms, max "
                f"{figures[f'write_max_ms_{scale}x']} ms over {len(ours)}"
            )
            print(
                f"  stock JSONStorage: p50 {figures[f'stock_write_p50_ms_{scale}x']} ms, "
                f"p95 {figures[f'stock_write_p95_ms_{scale}x']} ms over {len(stock)}"
            )
    figures["stock_over_ours_p95_10x"] = round(
        figures["stock_write_p95_ms_10x"] / figures["write_p95_ms_10x"], 1
    )
    print(f"  stock / ours at p95, 10x: {figures['stock_over_ours_p95_10x']}x (target >= 20)")
    return figures


# -- driver ---------------------------------------------------------------------------------

#: Sections in the order they run; other areas add theirs here.
SECTIONS: dict[str, Callable[[], Figures]] = {"store": bench_store}
PLANNED = ("store", "tui", "priority", "documents")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", choices=PLANNED, help="run one section")
    parser.add_argument("--rss-child", nargs=2, metavar=("PATH", "SCALE"), help=argparse.SUPPRESS)
    options = parser.parse_args()
    if options.rss_child:
        rss_child(Path(options.rss_child[0]), int(options.rss_child[1]))
        return
    figures: Figures = {}
    for name in [options.only] if options.only else PLANNED:
        if name not in SECTIONS:
            print(f"{name}: no benchmark yet")
            continue
        figures.update(SECTIONS[name]())
    print(json.dumps(figures, sort_keys=True))


if __name__ == "__main__":
    os.environ.setdefault("MUSRENBANG_HOME", tempfile.mkdtemp(prefix="musrenbang-bench-"))
    main()
