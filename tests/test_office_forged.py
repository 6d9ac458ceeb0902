"""A forged or damaged kantor.json: one refusal naming kantor.json, or its ill-shaped entries
dropped with a warning; never a crash blamed on the forum."""

from __future__ import annotations

import logging

import pytest

from store import office
from store.validation_error import ValidationError


@pytest.fixture(autouse=True)
def home(tmp_path, monkeypatch):
    monkeypatch.setenv("MUSRENBANG_HOME", str(tmp_path / "home"))
    (tmp_path / "home").mkdir()
    return tmp_path / "home"


@pytest.mark.parametrize(
    ("content", "why"),
    [
        (b"[1, 2]", "bukan setelan kantor"),
        (b'{"nama": "Kecamatan', "rusak"),
        (b"[" * 5_000, "rusak"),
        (b'{"nama": "' + b"x" * 1_100_000 + b'"}', "terlalu besar"),
        (b"\xff\xfe{}", "rusak"),
    ],
)
def test_a_damaged_file_is_refused_naming_it(home, content, why):
    (home / "kantor.json").write_bytes(content)
    with pytest.raises(ValidationError) as caught:
        office.load_office()
    assert "kantor.json" in caught.value.message and why in caught.value.message
    assert "\n" not in caught.value.message
    assert (home / "kantor.json").read_bytes() == content  # never replaced by the defaults


def test_ill_shaped_entries_are_dropped_with_a_warning(home, caplog):
    (home / "kantor.json").write_bytes(
        b'{"nama": "Kecamatan Sooko", "impor_kolom": {"a|b": {"catatan": ["x"]}},'
        b' "kop": [1], "recent": [3], "halaman_verifikasi": "https://x", "lain": {"a": 1}}'
    )
    with caplog.at_level(logging.WARNING):
        settings = office.load_office()
    assert settings["nama"] == "Kecamatan Sooko"
    assert settings["impor_kolom"] == {} and settings["recent"] == []
    assert settings["kop"]["pemerintah"].startswith("PEMERINTAH")
    assert settings["halaman_verifikasi"] == "https://x" and "lain" not in settings
    assert "kantor.json" in caplog.text
    for key in ("impor_kolom", "kop", "recent", "lain"):
        assert key in caplog.text


def test_a_forged_remembered_mapping_does_not_break_an_import(home, tmp_path):
    from store.import_memory import recalled_columns
    from store.import_readers import read_grids

    (home / "kantor.json").write_bytes(b'{"impor_kolom": {"a|b": {"catatan": ["x"]}}}')
    path = tmp_path / "u.csv"
    path.write_text("a;b\nKegiatan;Biaya\nPaving;5\n", encoding="utf-8")
    assert recalled_columns(read_grids(path)) == {}


def test_cli_import_with_a_broken_kantor_json_exits_2_naming_it(home, tmp_path):
    import subprocess
    import sys

    (home / "kantor.json").write_bytes(b"[1, 2]")
    path = tmp_path / "u.csv"
    path.write_text("Desa;Kegiatan;Biaya\nJapan;Paving;5\n", encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "tui.cli.main", "import", str(tmp_path / "x.musrenbang"), str(path)],
        capture_output=True,
        text=True,
        env={**__import__("os").environ, "MUSRENBANG_HOME": str(home)},
        timeout=120,
    )
    assert done.returncode == 2, done.stderr
    assert "kantor.json" in done.stderr and "Traceback" not in done.stderr
