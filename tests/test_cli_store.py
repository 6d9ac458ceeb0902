"""The store verbs of the ``musrenbang`` command, run as real processes where it matters."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from store.forum import open_forum
from tests.forum_factory import make_ready

DATA = Path(__file__).parent / "data"
KECAMATAN_SOOKO = ("--level", "kecamatan", "--wilayah", "35.16.13", "--tahun", "2027")
DESA_JAPAN = (
    "--level", "desa", "--wilayah", "35.16.13.2009", "--tahun", "2027",
    "--tanggal", "2026-01-20", "--pukul", "09:00",
)  # fmt: skip


def run(*args: str, home: Path, check_code: int | None = 0) -> subprocess.CompletedProcess:
    env = {**os.environ, "MUSRENBANG_HOME": str(home), "MUSRENBANG_OPERATOR": "Penguji"}
    done = subprocess.run(
        [sys.executable, "-m", "tui.cli.main", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    if check_code is not None:
        assert done.returncode == check_code, done.stderr + done.stdout
    return done


def new_kecamatan(tmp_path: Path, home: Path) -> Path:
    """A fresh, empty kecamatan forum of Sooko made with ``musrenbang new``."""
    path = tmp_path / "f.musrenbang"
    run("new", str(path), *KECAMATAN_SOOKO, home=home)
    return path


@pytest.fixture
def home(tmp_path):
    return tmp_path / "home"


@pytest.fixture(scope="module")
def demo_file(tmp_path_factory):
    home = tmp_path_factory.mktemp("demo-home")
    path = home / "demo.musrenbang"
    run("demo", str(path), "--no-open", home=home)
    return path


def copy_of(demo_file: Path, tmp_path: Path) -> Path:
    target = tmp_path / "forum.musrenbang"
    target.write_bytes(demo_file.read_bytes())
    return target


def test_new_creates_a_forum_with_the_header(tmp_path, home):
    path = tmp_path / "desa.musrenbang"
    out = run(
        "new",
        str(path),
        *DESA_JAPAN,
        "--pagu",
        "Rp1.500.000",
        home=home,
    )
    assert "Musrenbang Desa Japan Tahun 2027" in out.stdout
    with open_forum(path, readonly=True) as forum:
        assert forum.meta["pagu"] == 1_500_000
        assert forum.meta["pukul"] == "09:00"
        assert forum.audit()[0]["operator"] == "Penguji"


def test_new_refuses_bad_input_with_exit_2_and_no_file(tmp_path, home):
    path = tmp_path / "x.musrenbang"
    bad = run(
        "new",
        str(path),
        "--level",
        "desa",
        "--wilayah",
        "35.16.13",
        "--tahun",
        "2027",
        home=home,
        check_code=2,
    )
    assert "kecamatan" in bad.stderr and "Traceback" not in bad.stderr
    assert not path.exists()
    run(
        "new",
        str(path),
        *KECAMATAN_SOOKO,
        "--pagu",
        "150 m",
        home=home,
        check_code=2,
    )
    assert not path.exists()


def test_demo_is_realistic_and_deterministic(demo_file, tmp_path):
    second = tmp_path / "again.musrenbang"
    run("demo", str(second), "--no-open", home=tmp_path / "h2")
    with open_forum(demo_file, readonly=True) as one, open_forum(second, readonly=True) as two:
        first_data, second_data = one.export_tables(), two.export_tables()
        assert len(one.proposals.all()) == 150
        assert 100 <= len(one.participants.all()) <= 140
        assert {p["desa"] for p in one.proposals.all()} >= {"Gemekan", "Ngingasrembyong"}
        assert len({p["bidang"] for p in one.proposals.all()}) >= 8
        assert 0.3 <= one.participants.summary().perempuan_persen <= 0.6
        assert len(one.priority.scores()) == 150
    for table in ("participants", "proposals", "minutes", "scores"):
        assert first_data[table] == second_data[table]


def test_import_sample_csvs_then_dump_masks_nik(tmp_path, home):
    path = new_kecamatan(tmp_path, home)
    out = run(
        "import",
        str(path),
        str(DATA / "usulan-contoh.csv"),
        str(DATA / "peserta-contoh.csv"),
        home=home,
    )
    assert "60 usulan ditambahkan" in out.stdout
    assert "80 peserta ditambahkan" in out.stdout
    dumped = json.loads(run("dump", str(path), home=home).stdout)
    niks = [p["nik"] for p in dumped["participants"] if p["nik"]]
    assert niks and all("********" in nik for nik in niks)
    assert "3516132611794122" not in json.dumps(dumped)
    full = json.loads(run("dump", str(path), "--lengkap", home=home).stdout)
    assert "3516132611794122" in {p["nik"] for p in full["participants"]}


def test_import_of_a_bad_file_adds_nothing_and_names_rows(tmp_path, home):
    path = new_kecamatan(tmp_path, home)
    bad = tmp_path / "buruk.csv"
    bad.write_text(
        "desa;kegiatan;biaya\nSooko;Paving;1.500.000\nJapan;;2.000.000\nBrangkal;Drainase;1,5 km\n",
        encoding="utf-8",
    )
    out = run("import", str(path), str(bad), home=home, check_code=2)
    assert "baris 3" in out.stderr and "baris 4" in out.stderr
    with open_forum(path, readonly=True) as forum:
        assert forum.proposals.all() == []


def test_import_into_a_held_forum_exits_3(demo_file, tmp_path, home):
    path = copy_of(demo_file, tmp_path)
    with open_forum(path, operator="Kasi di laptop"):
        out = run("import", str(path), str(DATA / "usulan-contoh.csv"), home=home, check_code=3)
    assert "Kasi di laptop" in out.stderr


def test_check_good_and_damaged(demo_file, tmp_path, home):
    path = copy_of(demo_file, tmp_path)
    assert "utuh" in run("check", str(path), home=home).stdout
    data = path.read_bytes()
    middle = data.index(b"\n") + 200
    path.write_bytes(data[:middle] + b"\x00garbage" + data[middle + 8 :])
    before = path.read_bytes()
    out = run("check", str(path), home=home, check_code=1)
    assert out.stderr.strip() and "Traceback" not in out.stderr
    assert path.read_bytes() == before


def test_restore_lists_and_restores(demo_file, tmp_path, home):
    path = copy_of(demo_file, tmp_path)
    with open_forum(path) as forum:
        forum.participants.add(nama="Setelah cadangan", jenis_kelamin="L")
    listing = run("restore", str(path), home=home).stdout
    names = [line.split()[0] for line in listing.splitlines() if line.startswith("  ")]
    assert names
    sizes = [line.split()[-2] for line in listing.splitlines() if line.startswith("  ")]
    assert all("," not in size and "." in size for size in sizes)  # 1.234.567 bita
    oldest = names[-1]
    run("restore", str(path), oldest, home=home)
    with open_forum(path, readonly=True) as forum:
        assert "Setelah cadangan" not in {p["nama"] for p in forum.participants.all()}


def test_finalize_and_sign_in_order(demo_file, tmp_path, home):
    path = copy_of(demo_file, tmp_path)
    early = run("sign", str(path), "--role", "camat", "--name", "Hendro", home=home, check_code=2)
    assert "draf" in early.stderr
    run("finalize", str(path), "--lanjutkan", home=home)
    refused = run("sign", str(path), "--role", "camat", "--name", "Hendro", home=home, check_code=2)
    assert "paraf" in refused.stderr
    run("sign", str(path), "--role", "sekcam", "--name", "Sugeng", home=home)
    out = run(
        "sign",
        str(path),
        "--role",
        "camat",
        "--name",
        "Hendro",
        "--nip",
        "196911191998031005",
        home=home,
    )
    assert "ditandatangani" in out.stdout
    run("purge-personal", str(path), home=home)
    with open_forum(path, readonly=True) as forum:
        assert all(not p["nik"] and not p["telepon"] for p in forum.participants.all())


def test_finalize_refuses_missing_header_with_exit_2(tmp_path, home):
    path = new_kecamatan(tmp_path, home)
    out = run("finalize", str(path), home=home, check_code=2)
    for word in ("tanggal", "pukul", "tempat", "pimpinan"):
        assert word in out.stderr


def test_finalize_on_an_empty_forum_lists_every_missing_item(tmp_path, home):
    path = new_kecamatan(tmp_path, home)
    out = run("finalize", str(path), home=home, check_code=2)
    for what in (
        "tanggal",
        "peserta yang tercatat hadir",
        "usulan",
        "Pagu indikatif",
        "Utusan",
        "Materi pembahasan",
        "Nomor berita acara",
    ):
        assert what in out.stderr, what
    assert "perbaiki di: F2 Kehadiran" in out.stderr
    with open_forum(path, readonly=True) as forum:
        assert forum.status == "draf"


def test_finalize_with_warnings_needs_lanjutkan_and_keeps_them_in_the_audit(
    tmp_path, home, monkeypatch
):
    path = new_kecamatan(tmp_path, home)
    monkeypatch.setenv("MUSRENBANG_HOME", str(home))  # make_ready sets this office's kode unit
    with open_forum(path, operator="Uji") as forum:
        forum.update_meta(tanggal="2026-02-12", pukul="08:00", tempat="Pendopo", pimpinan="Camat")
        for kegiatan in ("Paving", "Drainase"):
            forum.proposals.add(desa="Japan", kegiatan=kegiatan, biaya="1.000.000")
        make_ready(forum)  # one of its proposals is still undecided: a warning
    asked = run("finalize", str(path), home=home, check_code=2)
    assert "usulan belum diputuskan" in asked.stderr and "--lanjutkan" in asked.stderr
    assert '"Drainase" (Japan)' in asked.stderr  # named, not only counted
    with open_forum(path, readonly=True) as forum:
        assert forum.status == "draf"
    done = run("finalize", str(path), "--lanjutkan", home=home)
    assert "usulan belum diputuskan" in done.stderr
    with open_forum(path, readonly=True) as forum:
        assert forum.status == "final"
        kept = [e for e in forum.audit() if e["aksi"] == "final-dengan-peringatan"]
        assert any('"Drainase" (Japan)' in line for line in kept[0]["baru"]["peringatan"])


def test_store_verbs_do_not_import_textual(tmp_path, home):
    code = (
        "import sys; from tui.cli.main import main; "
        "rc = main(['check', sys.argv[1]]); "
        "print('textual' in sys.modules)"
    )
    path = new_kecamatan(tmp_path, home)
    env = {**os.environ, "MUSRENBANG_HOME": str(home)}
    out = subprocess.run(
        [sys.executable, "-c", code, str(path)], capture_output=True, text=True, env=env, timeout=60
    )
    assert out.stdout.strip().splitlines()[-1] == "False"


def test_report_package_only_after_sign_off(demo_file, tmp_path, home):
    path = copy_of(demo_file, tmp_path)
    out = tmp_path / "laporan"
    early = run("laporan", str(path), "--out", str(out), home=home, check_code=2)
    assert "Camat" in early.stderr
    run("finalize", str(path), "--lanjutkan", home=home)
    run("sign", str(path), "--role", "sekcam", "--name", "Sugeng", home=home)
    run("sign", str(path), "--role", "camat", "--name", "Hendro", home=home)
    done = run("laporan", str(path), "--out", str(out), "--zip", home=home)
    written = {p.name for p in out.iterdir()}
    assert "surat-pengantar.docx" in written and "rekap.docx" in written
    assert any(name.endswith(".zip") for name in written)
    assert "surat-pengantar.docx" in done.stdout
    # the demo's planning year is kept beside the demo forum, not in the office's data dir
    assert not (home / "tahun-perencanaan").exists()
    assert list((tmp_path / "forum.musrenbang.contoh" / "tahun-perencanaan").glob("*.json"))
