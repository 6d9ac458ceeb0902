"""``musrenbang agenda`` and ``musrenbang surat-desa`` (SOP step 1) run as real processes."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.test_cli_store import run

SOOKO = ("--wilayah", "35.16.13")


@pytest.fixture
def home(tmp_path: Path) -> Path:
    return tmp_path / "home"


def number_outgoing(home: Path, perihal: str) -> str:
    out = run(
        "agenda",
        "keluar",
        "--jenis",
        "lainnya",
        "--perihal",
        perihal,
        "--kepada",
        "Kepala UPT Pendidikan",
        "--tanggal",
        "2026-01-06",
        *SOOKO,
        home=home,
    )
    return out.stdout.strip()


def test_incoming_letter_is_registered_and_listed(home):
    out = run(
        "agenda",
        "masuk",
        "--nomor",
        "050/123/416-102/2026",
        "--tanggal",
        "2026-01-05",
        "--dari",
        "Bappeda Kab. Mojokerto",
        "--perihal",
        "Musrenbang RKPD 2027",
        "--tahun-perencanaan",
        "2027",
        *SOOKO,
        home=home,
    )
    assert "050/123/416-102/2026" in out.stdout
    listed = run("agenda", "daftar", "--tahun", "2026", home=home).stdout
    assert "MASUK" in listed and "Bappeda Kab. Mojokerto" in listed
    assert "Musrenbang RKPD 2027" in listed
    assert "Tidak ada surat 2025" in run("agenda", "daftar", "--tahun", "2025", home=home).stdout


def test_outgoing_numbers_follow_the_book_and_a_used_one_is_refused(home):
    home.mkdir(parents=True, exist_ok=True)
    (home / "kantor.json").write_text(
        '{"wilayah_kode": "35.16.13", "agenda_setelan": {"kode_unit": "416-313"}}'
    )
    first = number_outgoing(home, "Undangan rapat")
    second = number_outgoing(home, "Undangan rapat kedua")
    assert first == "050/1/416-313/2026"  # the office's own kode unit, not the region code
    assert second == "050/2/416-313/2026"

    refused = run("agenda", "ubah", "2", "--nomor", first, home=home, check_code=2)
    assert "sudah dipakai" in refused.stderr and "Traceback" not in refused.stderr
    assert second in run("agenda", "daftar", home=home).stdout

    edited = run("agenda", "ubah", "2", "--nomor", "050/7/416-313/2026", home=home)
    assert "050/7/416-313/2026" in edited.stdout
    assert number_outgoing(home, "Sesudah diubah") == "050/8/416-313/2026"


def test_outgoing_with_an_unknown_kind_is_refused(home):
    done = run(
        "agenda", "keluar", "--jenis", "undangan", "--perihal", "x", "--kepada", "y",
        home=home, check_code=2,
    )  # fmt: skip
    assert "Jenis surat 'undangan' tidak dikenal" in done.stderr


def test_surat_desa_writes_one_verifiable_letter_per_desa(tmp_path, home):
    out_dir = tmp_path / "surat"
    out = run(
        "surat-desa", *SOOKO, "--tahun", "2027", "--out", str(out_dir), "--tanggal", "2026-01-07",
        home=home,
    )  # fmt: skip
    letters = sorted(out_dir.glob("*.docx"))
    assert len(letters) == 15
    assert out.stdout.count("Ditulis: ") == 15
    verified = run("verify", str(letters[0]), home=home)
    assert "SAH" in verified.stdout
    listed = run("agenda", "daftar", home=home).stdout
    assert listed.count("Pelaksanaan Musrenbang Desa Tahun 2027") == 15


@pytest.mark.parametrize(
    ("code", "message"),
    [("99.99.99", "Kode wilayah '99.99.99' tidak dikenal"), ("35.16.13.2001", "bukan kecamatan")],
)
def test_surat_desa_refuses_a_code_that_is_no_kecamatan(tmp_path, home, code, message):
    out_dir = tmp_path / "surat"
    done = run(
        "surat-desa", "--wilayah", code, "--tahun", "2027", "--out", str(out_dir),
        home=home, check_code=2,
    )  # fmt: skip
    assert message in done.stderr and "Traceback" not in done.stderr
    assert not out_dir.exists()


def test_surat_desa_signs_with_the_passphrase_from_the_environment(tmp_path, home, monkeypatch):
    """Env only: a wrong passphrase is refused with no letter written, the right one signs.
    (Never unset: on a terminal the command would ask for it.)"""
    monkeypatch.setenv("MUSRENBANG_PASSPHRASE", "rahasia kantor")
    run("keys", "init", "--passphrase", home=home)
    out_dir = tmp_path / "surat"
    args = ("surat-desa", *SOOKO, "--tahun", "2027", "--out", str(out_dir))
    monkeypatch.setenv("MUSRENBANG_PASSPHRASE", "salah")
    done = run(*args, home=home, check_code=2)
    assert "salah" in done.stderr and not list(out_dir.glob("*.docx"))
    assert "kosong" in run("agenda", "daftar", home=home).stdout
    monkeypatch.setenv("MUSRENBANG_PASSPHRASE", "rahasia kantor")
    run(*args, home=home)
    assert run("verify", str(next(out_dir.glob("*.docx"))), home=home).returncode == 0
