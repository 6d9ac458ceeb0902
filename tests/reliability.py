"""The long reliability runs of issue 13 (not collected by pytest; CI runs a few of each in
``test_reliability.py``). Run: ``uv run python tests/reliability.py [--runs 50]``.

Prints one figure line per series:
- kill -9 during import, compaction, purge and restore (``--runs`` each): acknowledged
  changes lost must be 0, and the file readable after every kill;
- a full disk (root, tmpfs in a private mount namespace; else skipped with the reason);
- two writers through the same path, another spelling, a symlink and a hard link: never two;
  through a bind-mounted file (root, private mount namespace), with the mount table seen and
  hidden (the identity lock alone), before and after the holder's compactions: never two;
- every damaged-file kind against every verb: never a traceback; a random spoiled field
  (``--fuzz`` examples): never a traceback;
- the purge grep: personal values left in the forum, its backups and a flash copy.
Exit 1 when any figure is not what it must be.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import random
import shlex
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from reliability_kit import (
    DAMAGE_KINDS,
    cli,
    cli_popen,
    damage,
    files_left_behind,
    grep,
    one_clear_line,
    people_csv,
    personal_needles,
    run_in_process,
    signed_forum_with_people,
    start_holder,
    verbs_on,
)
from test_storage_crash import Child, assert_consistent

from store.backup import copy_to, make_backup
from store.forum import open_forum
from store.storage import ForumDatabase
from store.storage_format import parse_forum

FAILURES: list[str] = []


def report(name: str, figures: str, ok: bool) -> None:
    print(f"{'OK  ' if ok else 'GAGAL'} {name}: {figures}", flush=True)
    if not ok:
        FAILURES.append(name)


def timed_run(start: Callable[[], subprocess.Popen]) -> float:
    """Seconds one unkilled run takes, so kills can land anywhere inside it."""
    began = time.monotonic()
    process = start()
    process.communicate()
    return time.monotonic() - began


def kill_delay(span: float) -> float:
    """A moment late in a run of ``span`` seconds: most of a run is the interpreter
    starting, and a kill there proves nothing; some runs finish before the kill."""
    return random.uniform(0.55 * span, 1.05 * span)


def kill_at(process: subprocess.Popen, delay: float) -> bool:
    """SIGKILL after ``delay``; True when the process had already finished with exit 0
    (its change acknowledged)."""
    try:
        process.wait(timeout=delay)
    except subprocess.TimeoutExpired:
        process.send_signal(signal.SIGKILL)
    process.communicate()
    return process.returncode == 0


def participants(forum: Path) -> int:
    with open_forum(forum, readonly=True) as opened:
        return len(opened.participants.all())


# -- kill -9 -----------------------------------------------------------------------------------


def kills_during_import(work: Path, home: Path, runs: int) -> None:
    forum = work / "impor.musrenbang"
    cli("new", forum, "--level", "kecamatan", "--wilayah", "35.16.13", "--tahun", "2027",
        home=home)  # fmt: skip
    per_file = 40
    csv = work / "impor.csv"
    people_csv(csv, per_file, start=0)
    span = timed_run(lambda: cli_popen("import", forum, csv, home=home))
    acknowledged, partial, lost, killed = per_file, 0, 0, 0
    for run in range(1, runs + 1):
        people_csv(csv, per_file, start=run * per_file)
        done = kill_at(cli_popen("import", forum, csv, home=home), kill_delay(span))
        killed += not done
        acknowledged += per_file if done else 0
        count = participants(forum)
        partial += count % per_file != 0
        lost += count < acknowledged
        acknowledged = max(acknowledged, count)  # a killed import may have committed whole
    report(
        "kill -9 saat impor",
        f"{runs} kali ({killed} terbunuh di tengah), {acknowledged} peserta tersimpan, "
        f"berkas setengah {partial}, perubahan hilang {lost}",
        partial == 0 and lost == 0,
    )


def kills_during_compaction(work: Path, runs: int) -> None:
    forum = work / "pemadatan.musrenbang"
    ForumDatabase.create(forum, {"counter": {1: {"value": 0}}}, operator="x").close()
    acknowledged = 0
    lost = 0
    for _ in range(runs):
        child = Child("write", str(forum), "100000", "--compact-every", "15", "--slow-compaction")
        child.compacting.wait(timeout=60)
        time.sleep(random.uniform(0, 0.06))
        acknowledged = max(acknowledged, child.kill())
        try:
            counter = assert_consistent(forum, acknowledged)
        except AssertionError:
            lost += 1
            continue
        acknowledged = counter
    report(
        "kill -9 saat pemadatan",
        f"{runs} kali, {acknowledged} perubahan diakui, perubahan hilang/berkas rusak {lost}",
        lost == 0,
    )


def kills_during_purge(work: Path, home: Path, runs: int) -> None:
    forum, people = signed_forum_with_people(work, home, count=60)
    master = {path: path.read_bytes() for path in files_left_behind(forum)}
    needles = personal_needles(people)

    def reset() -> None:
        shutil.rmtree(forum.with_name(forum.name + ".backup"))
        for path, content in master.items():
            path.parent.mkdir(exist_ok=True)
            path.write_bytes(content)

    span = timed_run(lambda: cli_popen("purge-personal", forum, home=home))
    unreadable = lost = left_after_ack = left_after_rerun = acked = midway = 0
    for _ in range(runs):
        reset()
        done = kill_at(cli_popen("purge-personal", forum, home=home), kill_delay(span))
        acked += done
        try:
            lost += participants(forum) != len(people)
        except Exception:
            unreadable += 1
            continue
        traces = bool(grep(files_left_behind(forum), needles))
        left_after_ack += done and traces
        with open_forum(forum, readonly=True) as opened:
            erased = not any(p["nik"] for p in opened.participants.all())
        midway += erased and traces and not done
        cli("purge-personal", forum, home=home)
        left_after_rerun += bool(grep(files_left_behind(forum), needles))
    report(
        "kill -9 saat hapus data pribadi",
        f"{runs} kali ({acked} selesai sebelum dibunuh, {midway} terbunuh setelah penghapusan "
        f"tersimpan tetapi sebelum pemadatan/cadangan selesai), tak terbaca {unreadable}, peserta "
        f"hilang {lost}, data pribadi tersisa setelah selesai {left_after_ack}, setelah "
        f"diulang {left_after_rerun}",
        unreadable == lost == left_after_ack == left_after_rerun == 0,
    )


def kills_during_restore(work: Path, home: Path, runs: int) -> None:
    forum = work / "pulih.musrenbang"
    cli("new", forum, "--level", "kecamatan", "--wilayah", "35.16.13", "--tahun", "2027",
        home=home)  # fmt: skip
    people_csv(work / "pulih.csv", 30)
    backup = make_backup(forum)  # before the import: 0 participants
    cli("import", forum, work / "pulih.csv", home=home)
    states = {0, 30}
    span = timed_run(lambda: cli_popen("restore", forum, backup, home=home))
    torn = lost = acked = 0
    for _ in range(runs):
        cli("import", forum, work / "pulih.csv", home=home)  # back to 30 (or more)
        before = participants(forum)
        states.add(before)
        done = kill_at(cli_popen("restore", forum, backup, home=home), kill_delay(span))
        acked += done
        try:
            after = participants(forum)
        except Exception:
            torn += 1
            continue
        lost += after not in (0, before) or (done and after != 0)
    report(
        "kill -9 saat pemulihan",
        f"{runs} kali ({acked} selesai sebelum dibunuh), berkas rusak {torn}, "
        f"isi campuran/hilang {lost}",
        torn == lost == 0,
    )


# -- full disk ---------------------------------------------------------------------------------


def in_private_mount(mount: str, *inner: object) -> subprocess.CompletedProcess:
    """This script run again with ``inner`` arguments, in its own mount namespace after the
    shell command ``mount``; exit 97 when that mount is refused."""
    inner_args = " ".join(shlex.quote(str(arg)) for arg in inner)
    return subprocess.run(
        ["unshare", "-m", "sh", "-c",
         f"{mount} || exit 97\n{sys.executable} {__file__} {inner_args}"],
        capture_output=True, text=True, timeout=1800,
    )  # fmt: skip


def full_disk(work: Path, home: Path) -> None:
    if os.name == "nt" or os.geteuid() != 0 or not shutil.which("unshare"):
        print("LEWAT disk penuh: perlu root dan unshare -m (tmpfs kecil di mount sendiri)")
        return
    disk = work / "disk"
    disk.mkdir()
    done = in_private_mount(
        f"mount -t tmpfs -o size=320k tmpfs {disk}", "--full-disk-inner", disk, "--home", home
    )
    if done.returncode == 97:
        print(f"LEWAT disk penuh: tmpfs tidak dapat dipasang ({done.stderr.strip()})")
        return
    line = done.stdout.strip().splitlines()[-1] if done.stdout.strip() else done.stderr
    report("disk penuh", line, done.returncode == 0)


def full_disk_inner(disk: Path, home: Path) -> int:
    """Inside the private mount: fill the disk through a writer, then check what survived
    (read-only at once; for writing once some space is freed)."""
    os.environ["MUSRENBANG_HOME"] = str(home)
    other_files = disk / "berkas-lain.bin"
    other_files.write_bytes(b"\0" * 160 * 1024)  # freed at the end, like a user would
    forum = disk / "penuh.musrenbang"
    db = ForumDatabase.create(forum, {"counter": {1: {"value": 0}}}, operator="x")
    acknowledged = 0
    failure = ""
    for n in range(1, 100000):
        try:
            with db.transaction():
                db.table("items").insert({"n": n, "pad": "x" * 400})
                db.table("counter").update({"value": n}, doc_ids=[1])
        except OSError as error:
            failure = error.strerror or str(error)
            break
        acknowledged = n
    with contextlib.suppress(OSError):  # a full disk may refuse the closing backup
        db.close()
    image = parse_forum(forum.read_bytes())
    kept = sorted(doc["n"] for doc in image.state.tables.get("items", {}).values())
    lost = len(set(range(1, acknowledged + 1)) - set(kept))
    refused = cli("new", disk / "baru", "--level", "desa", "--wilayah", "35.16.13.2009",
                  "--tahun", "2027", home=home)  # fmt: skip
    named = refused.returncode == 2 and str(disk / "baru.musrenbang") in refused.stderr
    with ForumDatabase.open(forum, readonly=True) as reader:
        readable = reader.table("counter").get(doc_id=1)["value"] >= acknowledged
    other_files.unlink()  # some space again
    with ForumDatabase.open(forum, operator="x") as writer:  # and writable again
        writable = len(writer.table("items")) >= acknowledged
    print(
        f"{acknowledged} perubahan diakui sebelum '{failure}', hilang {lost}, terbaca sesudahnya "
        f"{'ya' if readable else 'TIDAK'}, dapat ditulis lagi setelah ada ruang "
        f"{'ya' if writable else 'TIDAK'}, 'new' menyebut berkasnya {'ya' if named else 'TIDAK'}"
    )
    return 0 if lost == 0 and readable and writable and named and failure else 1


# -- two writers -------------------------------------------------------------------------------


def two_writers(work: Path, runs: int) -> None:
    real = work / "dua" / "forum.musrenbang"
    real.parent.mkdir()
    ForumDatabase.create(real, {"t": {1: {"a": 1}}}, operator="x").close()
    symlink = work / "pintasan.musrenbang"
    symlink.symlink_to(real)
    hardlink = work / "tautan-keras.musrenbang"
    spellings = {
        "jalur sama": (real, real),
        "ejaan lain": (real, work / "dua" / ".." / "dua" / "forum.musrenbang"),
        "symlink": (real, symlink),
        "tautan keras": (real, hardlink),
    }
    for name, (first, second) in spellings.items():
        if name == "tautan keras":
            os.link(real, hardlink)
        most = 0
        for _ in range(runs):
            pair = [start_holder(path, "balap") for path in (first, second)]
            ready = sum(_is_ready(process) for process in pair)
            most = max(most, ready)
            for process in pair:
                process.kill()
                process.wait()
        report(f"dua penulis ({name})", f"{runs} balapan, penulis terbanyak {most}", most <= 1)


def two_writers_bind_mount(work: Path, runs: int) -> None:
    if os.name == "nt" or os.geteuid() != 0 or not shutil.which("unshare"):
        print("LEWAT dua penulis (berkas dipasang): perlu root dan unshare -m")
        return
    real = work / "asli.musrenbang"
    ForumDatabase.create(real, {"counter": {1: {"value": 0}}}, operator="x").close()
    bound = work / "lain" / "pasang.musrenbang"
    bound.parent.mkdir()
    bound.touch()
    done = in_private_mount(
        f"mount --bind {real} {bound}", "--bind-inner", real, bound, "--runs", runs
    )
    if done.returncode == 97:
        print(f"LEWAT dua penulis (berkas dipasang): mount --bind ditolak ({done.stderr.strip()})")
        return
    print(done.stdout, end="")
    if done.returncode != 0:
        FAILURES.append("dua penulis (berkas dipasang)")


def bind_inner(real: Path, bound: Path, runs: int) -> int:
    """Inside the private mount: race a writer at ``real`` against one at ``bound`` (the same
    file mounted there), with the mount table seen and hidden, then again after the real
    side compacted (so ``bound`` shows a deleted copy)."""
    for phase in ("sebelum pemadatan", "sesudah pemadatan"):
        if phase == "sesudah pemadatan":
            with ForumDatabase.open(real, operator="x") as db:
                for n in range(30):
                    db.table("counter").update({"value": n}, doc_ids=[1])
                db.compact()
        for blind in (False, True):
            most = 0
            for _ in range(runs):
                pair = [start_holder(real, "balap"), start_holder(bound, "balap", blind=blind)]
                most = max(most, sum(_is_ready(process) for process in pair))
                for process in pair:
                    process.kill()
                    process.wait()
            seen = "tabel mount tersembunyi" if blind else "tabel mount terbaca"
            report(
                f"dua penulis (berkas dipasang, {seen}, {phase})",
                f"{runs} balapan, penulis terbanyak {most}",
                most <= 1,
            )
    return 1 if FAILURES else 0


def _is_ready(process: subprocess.Popen) -> bool:
    return process.stdout.readline().strip() == "ready"


# -- damaged files -----------------------------------------------------------------------------


def damaged_kinds(work: Path, home: Path, demo: Path) -> None:
    crashes: list[str] = []
    runs = 0
    for kind, mutate in DAMAGE_KINDS.items():
        folder = work / f"rusak-{len(crashes)}-{runs}"
        folder.mkdir()
        forum = folder / demo.name
        shutil.copy(demo, forum)
        make_backup(forum)
        damage(forum, mutate)
        for args in verbs_on(forum, folder):
            done = cli(*args, home=home)
            runs += 1
            problem = one_clear_line(str(args[0]), done.returncode, done.stderr)
            if problem:
                crashes.append(f"{kind}: {problem}")
    report(
        "berkas rusak",
        f"{len(DAMAGE_KINDS)} jenis x {runs // len(DAMAGE_KINDS)} perintah, "
        f"traceback/keluaran salah {len(crashes)}",
        not crashes,
    )
    for crash in crashes[:5]:
        print("   ", crash)


def fuzz(work: Path, demo: Path, examples: int) -> None:
    master = demo.read_bytes()
    tables = parse_forum(master).state.tables
    rng = random.Random(13)
    values = [None, True, -1, 2**60, 10**30, 1.5, "", "teks", [1, "a"], {"x": 1}, [[]]]
    crashes: list[str] = []
    for n in range(examples):
        table = rng.choice(sorted(t for t in tables if tables[t]))
        key = rng.choice(sorted(tables[table]))
        field = rng.choice(sorted(tables[table][key]))
        value = rng.choice(values)
        folder = work / f"fuzz-{n}"
        folder.mkdir()
        forum = folder / "f.musrenbang"
        forum.write_bytes(master)

        def spoil(raw: dict, _counters: dict, t=table, k=key, f=field, v=value) -> None:
            raw[t][k][f] = v

        damage(forum, spoil)
        for args in rng.sample(verbs_on(forum, folder), 4):
            try:
                code, stderr = run_in_process(*args)
            except Exception as error:  # a traceback in the CLI
                crashes.append(f"{table}.{field}={value!r} {args[0]}: {error!r}")
                continue
            problem = None if code == 0 else one_clear_line(str(args[0]), code, stderr)
            if problem:
                crashes.append(f"{table}.{field}={value!r} {problem}")
    report("isian acak", f"{examples} forum dirusak acak, traceback {len(crashes)}", not crashes)
    for crash in crashes[:5]:
        print("   ", crash)


# -- the purge grep ----------------------------------------------------------------------------


def purge_grep(work: Path, home: Path) -> None:
    forum, people = signed_forum_with_people(work, home, count=200)
    copy_to(forum, work / "flashdisk-lama")
    needles = personal_needles(people)
    before = len(grep(files_left_behind(forum), needles))
    sizes = []
    for _ in range(3):
        began = time.monotonic()
        done = cli("purge-personal", forum, home=home)
        sizes.append(time.monotonic() - began)
    flash = copy_to(forum, work / "flashdisk-baru") + copy_to(forum, work / "flashdisk-lama")
    left = grep(files_left_behind(forum) + flash, needles)
    report(
        "grep data pribadi",
        f"200 peserta, {before} temuan sebelum, {len(left)} sesudah di {len(flash)} berkas "
        f"forum/cadangan/salinan flashdisk (purge median {statistics.median(sizes):.2f} s)",
        done.returncode == 0 and before > 0 and not left,
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=50)
    parser.add_argument("--fuzz", type=int, default=200)
    parser.add_argument("--full-disk-inner", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--home", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--bind-inner", type=Path, nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.full_disk_inner:
        return full_disk_inner(args.full_disk_inner, args.home)
    if args.bind_inner:
        return bind_inner(*args.bind_inner, args.runs)
    with tempfile.TemporaryDirectory(prefix="musrenbang-keandalan-") as scratch:
        work = Path(scratch)
        home = work / "home"
        os.environ["MUSRENBANG_HOME"] = str(home)
        from store.demo import build_demo

        demo = work / "demo" / "demo-sooko-2027.musrenbang"
        demo.parent.mkdir()
        build_demo(demo)
        steps = [
            ("impor", lambda d: kills_during_import(d, home, args.runs)),
            ("pemadatan", lambda d: kills_during_compaction(d, args.runs)),
            ("hapus", lambda d: kills_during_purge(d, home, args.runs)),
            ("pulih", lambda d: kills_during_restore(d, home, args.runs)),
            ("disk", lambda d: full_disk(d, home)),
            ("penulis", lambda d: two_writers(d, args.runs)),
            ("pasang", lambda d: two_writers_bind_mount(d, args.runs)),
            ("rusak", lambda d: damaged_kinds(d, home, demo)),
            ("acak", lambda d: fuzz(d, demo, args.fuzz)),
            ("grep", lambda d: purge_grep(d, home)),
        ]
        for name, step in steps:
            folder = work / name
            folder.mkdir()
            step(folder)
    print("SEMUA BAIK" if not FAILURES else "GAGAL: " + ", ".join(FAILURES))
    return 1 if FAILURES else 0


if __name__ == "__main__":
    sys.exit(main())
