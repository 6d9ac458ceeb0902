"""Building blocks shared by the reliability suite (``test_reliability.py``, a few cases of
each kind for CI) and its long runs (``reliability.py``, not collected by pytest).

Forums holding personal data, the damage kinds ``check`` must flag, the verbs that must
refuse them, and a byte grep for personal values in every file a forum leaves behind.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from store.storage_archive import plain_tables
from store.storage_format import parse_forum
from tests.forum_factory import make_ready

ROOT = Path(__file__).resolve().parent.parent
CHILD = Path(__file__).with_name("storage_writer_child.py")
PEOPLE_HEADER = "nama,jenis_kelamin,lembaga,unsur,desa,jabatan,delegasi,hak_suara,telepon,nik\n"


def cli(*args: object, home: Path, timeout: float = 120) -> subprocess.CompletedProcess:
    """``musrenbang ARGS`` in a separate process with its own data dir."""
    return subprocess.run(
        [sys.executable, "-m", "tui.cli.main", *map(str, args)],
        cwd=ROOT,
        env={**os.environ, "MUSRENBANG_HOME": str(home), "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def cli_popen(*args: object, home: Path) -> subprocess.Popen:
    """``musrenbang ARGS`` started, not waited for (the caller kills it)."""
    return subprocess.Popen(
        [sys.executable, "-m", "tui.cli.main", *map(str, args)],
        cwd=ROOT,
        env={**os.environ, "MUSRENBANG_HOME": str(home), "PYTHONPATH": str(ROOT)},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def start_holder(path: Path, operator: str = "Wati", *, blind: bool = False) -> subprocess.Popen:
    """A process that opens ``path`` for writing, prints "ready" and waits to be killed
    (or fails to open it and exits); ``blind``: without the store seeing the mount table."""
    return subprocess.Popen(
        [sys.executable, str(CHILD), "hold", str(path), operator]
        + (["--blind-to-mounts"] if blind else []),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def people_csv(path: Path, count: int, start: int = 0) -> list[tuple[str, str]]:
    """A participants CSV of ``count`` people with unique NIKs and phones; returns them."""
    people = []
    lines = [PEOPLE_HEADER]
    for n in range(start, start + count):
        nik = f"35161301019{n % 10}{n:04d}"  # born 01-01-199x: a NIK that can exist
        phone = f"0812{n:08d}"
        people.append((nik, phone))
        lines.append(f"Warga {n},L,RT {n},Tokoh masyarakat,Sooko,Warga,ya,ya,{phone},{nik}\n")
    path.write_text("".join(lines), encoding="utf-8")
    return people


def signed_forum_with_people(folder: Path, home: Path, count: int = 40) -> tuple[Path, list]:
    """A kecamatan forum, ``count`` people imported through the CLI (so the import's journal
    line holds their NIKs), reopened a few times (backups hold them too), signed off."""
    forum = folder / "forum.musrenbang"
    people = people_csv(folder / "peserta.csv", count)
    for step in (
        ("new", forum, "--level", "kecamatan", "--wilayah", "35.16.13", "--tahun", "2027"),
        ("import", forum, folder / "peserta.csv"),
        ("finalize", forum, "--lanjutkan"),
        ("sign", forum, "--role", "sekcam", "--name", "Sekcam"),
        ("sign", forum, "--role", "camat", "--name", "Camat"),
    ):
        if step[0] == "finalize":
            _fill_header(forum)
        done = cli(*step, home=home)
        assert done.returncode == 0, done.stderr
    return forum, people


def _fill_header(forum: Path) -> None:
    from store.forum import open_forum

    with open_forum(forum, operator="Uji") as opened:
        opened.update_meta(
            tanggal="2026-02-12", pukul="08:00", tempat="Pendopo", pimpinan="Camat Sooko"
        )
        with opened.batch():  # the imported people came to the forum
            for person in opened.participants.all():
                opened.participants.check_in(person["id"])
        make_ready(opened)


def personal_needles(people: list[tuple[str, str]]) -> list[bytes]:
    """Every form a grep would find a NIK or phone in: the NIK's digits, and the phone
    without its leading 0 (which also finds ``0812…``, ``62812…`` and ``+62812…``)."""
    needles = []
    for nik, phone in people:
        needles += [nik.encode(), phone[1:].encode()]
    return needles


def files_left_behind(forum: Path) -> list[Path]:
    """The forum file and every file in its backup folder."""
    folder = forum.with_name(forum.name + ".backup")
    found = [forum]
    if folder.is_dir():
        found += sorted(p for p in folder.iterdir() if p.is_file())
    return found


def grep(paths: list[Path], needles: list[bytes]) -> list[str]:
    """``"FILE: VALUE"`` for each needle found in each file's bytes (empty: none found)."""
    hits = []
    for path in paths:
        data = path.read_bytes()
        hits += [f"{path.name}: {needle.decode()}" for needle in needles if needle in data]
    return hits


# -- damage ---------------------------------------------------------------------------------

Mutation = Callable[[dict[str, dict[str, dict]], dict[str, int]], None]


def _empty_meta(tables: dict, next_ids: dict) -> None:
    tables["meta"]["1"] = {}


def _proposal_types(tables: dict, next_ids: dict) -> None:
    first = next(iter(tables["proposals"].values()))
    first["biaya"] = "seratus juta"
    first["status"] = ["diterima"]


def _huge_id(tables: dict, next_ids: dict) -> None:
    record = next(iter(tables["proposals"].values()))
    tables["proposals"]["99999999999999999999999"] = record


def _huge_counter(tables: dict, next_ids: dict) -> None:
    next_ids["participants"] = 10**30


def _participant_types(tables: dict, next_ids: dict) -> None:
    first = next(iter(tables["participants"].values()))
    first["nama"] = 12345
    first["hadir_pukul"] = {"jam": 9}


def _meta_year_text(tables: dict, next_ids: dict) -> None:
    tables["meta"]["1"]["tahun"] = "dua ribu"
    tables["meta"]["1"]["level"] = "provinsi"


def _minutes_agenda(tables: dict, next_ids: dict) -> None:
    first = next(iter(tables["minutes"].values()))
    first["agenda_id"] = "satu"


def _impossible_date(tables: dict, next_ids: dict) -> None:
    tables["meta"]["1"]["tanggal"] = "2026-13-45"


def _impossible_values(tables: dict, next_ids: dict) -> None:
    first = next(iter(tables["proposals"].values()))
    first["biaya"] = -5
    next(iter(tables["participants"].values()))["hadir_pukul"] = "kemarin sore"
    next(iter(tables["agenda"].values()))["rencana_mulai"] = "25:99"


def _unknown_status(tables: dict, next_ids: dict) -> None:
    tables["meta"]["1"]["status"] = "disetujui"
    next(iter(tables["participants"].values()))["jenis_kelamin"] = "X"


def _funding_amounts(tables: dict, next_ids: dict) -> None:
    """Only check's rules see it: the record shapes are right, the amounts are not."""
    first = next(iter(tables["proposals"].values()))
    first["sumber_dana"] = [{"sumber": "DD", "jumlah": "abc"}, {"sumber": "APBD Kab", "jumlah": -5}]


def _score_off_scale(tables: dict, next_ids: dict) -> None:
    """Kinds right, value not: a 99 on the criterion's 1-5 scale."""
    if not tables.get("scores"):
        tables["scores"] = {"1": {"usulan_id": int(next(iter(tables["proposals"]))),
                                  "kriteria_id": int(next(iter(tables["criteria"])))}}  # fmt: skip
        next_ids["scores"] = 2
    next(iter(tables["scores"].values()))["nilai"] = 99


def _control_in_name(tables: dict, next_ids: dict) -> None:
    next(iter(tables["participants"].values()))["nama"] = "Sari\x1b]0;DIBAJAK\x07\x1b[2J"


def _negative_counts(tables: dict, next_ids: dict) -> None:
    key = next(iter(tables["proposals"]))
    tables["proposals"][key].update(volume=-3, penerima_manfaat=-100)
    tables.setdefault("tallies", {})["77"] = {"usulan_id": int(key), "suara": -4}
    next_ids["tallies"] = max(next_ids.get("tallies", 1), 78)


def _year_out_of_range(tables: dict, next_ids: dict) -> None:
    tables["meta"]["1"]["tahun"] = 1850
    tables["meta"]["1"]["target_perempuan"] = 3.5


DAMAGE_KINDS: dict[str, Mutation] = {
    "meta dikosongkan": _empty_meta,
    "usulan berjenis salah": _proposal_types,
    "id raksasa": _huge_id,
    "penghitung id raksasa": _huge_counter,
    "peserta berjenis salah": _participant_types,
    "tahun dan tingkat salah": _meta_year_text,
    "notulen menunjuk teks": _minutes_agenda,
    "tanggal mustahil": _impossible_date,
    "biaya negatif dan jam mustahil": _impossible_values,
    "status dan jenis kelamin tak dikenal": _unknown_status,
    "sumber dana tidak masuk akal": _funding_amounts,
    "skor di luar skala kriteria": _score_off_scale,
    "nama berisi karakter kendali": _control_in_name,
    "volume, penerima dan suara negatif": _negative_counts,
    "tahun dan target perempuan di luar rentang": _year_out_of_range,
}


def damage(path: Path, mutate: Mutation) -> None:
    """Rewrite ``path`` as a well-formed file whose records ``mutate`` has spoiled.

    The snapshot is written by the standard ``json`` module, which (unlike the app's
    orjson) writes integers of any size, as a hand edit could.
    """
    image = parse_forum(path.read_bytes())
    tables: dict[str, Any] = plain_tables(image.state.tables)
    next_ids = dict(image.state.next_ids)
    mutate(tables, next_ids)
    snapshot = {"tables": tables, "next_ids": next_ids, "last_write_at": None}
    path.write_bytes(image.header_line + b"\n" + json.dumps(snapshot).encode() + b"\n")


def verbs_on(forum: Path, work: Path) -> list[tuple[object, ...]]:
    """Every CLI verb that takes a forum, as argument tuples (outputs go under ``work``)."""
    csv = work / "tambahan.csv"
    if not csv.exists():
        people_csv(csv, 2, start=9000)
    return [
        ("dump", forum),
        ("dump", forum, "--lengkap"),
        ("check", forum),
        ("export", forum, "--doc", "rekap", "--out", work / "rekap.docx"),
        ("export", forum, "--doc", "daftar-hadir", "--out", work / "dh.xlsx", "--format", "xlsx"),
        ("import", forum, csv),
        ("finalize", forum, "--lanjutkan"),
        ("sign", forum, "--role", "notulis", "--name", "Uji"),
        ("purge-personal", forum),
        ("laporan", forum, "--out", work / "laporan"),
    ]


def run_in_process(*args: object) -> tuple[int, str]:
    """``musrenbang ARGS`` in this process (fast: no interpreter start-up): exit, stderr."""
    import contextlib
    import io

    from tui.cli.main import main

    err = io.StringIO()
    out = io.TextIOWrapper(io.BytesIO(), encoding="utf-8")  # dump writes bytes to .buffer
    with contextlib.redirect_stderr(err), contextlib.redirect_stdout(out):
        code = main([str(arg) for arg in args])
    return code, err.getvalue()


def one_clear_line(verb: str, code: int, stderr: str) -> str | None:
    """What is wrong with a refusal (None: exit 1 or 2, one Indonesian line, no traceback)."""
    lines = [line for line in stderr.splitlines() if line.strip()]
    if code not in (1, 2):
        return f"{verb}: exit {code}: {stderr[-300:]}"
    if "Traceback" in stderr:
        return f"{verb}: traceback: {stderr[-300:]}"
    if verb == "check":  # check lists every problem, then one summary line
        return None if lines and lines[-1].startswith("musrenbang: ") else f"check: {stderr}"
    if verb == "finalize" and lines and lines[0].startswith("musrenbang: "):
        # the readiness list: one line, then each item with where to fix it
        listed = all(line.startswith(("- ", "Ulangi ")) for line in lines[1:])
        return None if listed else f"finalize: {stderr[-300:]}"
    if len(lines) != 1 or not lines[0].startswith("musrenbang: "):
        return f"{verb}: not one line: {stderr[-300:]}"
    return None
