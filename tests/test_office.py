"""The office settings file and who counts as the operator."""

from __future__ import annotations

from pathlib import Path

import pytest

from store import office, paths


@pytest.fixture(autouse=True)
def home(tmp_path, monkeypatch):
    monkeypatch.setenv("MUSRENBANG_HOME", str(tmp_path / "home"))
    monkeypatch.delenv("MUSRENBANG_OPERATOR", raising=False)
    return tmp_path / "home"


def test_defaults_then_saved_values_survive_reload(home):
    assert not office.office_exists()
    settings = office.load_office()
    assert settings["kertas"] == "A4" and settings["kop"]["pemerintah"].startswith("PEMERINTAH")
    settings["kop"]["instansi"] = "KECAMATAN SOOKO"
    settings["penandatangan"]["camat"] = {"nama": "Hendro", "nip": "196911191998031005"}
    office.save_office(settings)
    again = office.load_office()
    assert again["kop"]["instansi"] == "KECAMATAN SOOKO"
    assert again["kop"]["website"] == ""
    assert again["penandatangan"]["camat"]["nama"] == "Hendro"
    assert (home / "kantor.json").exists()


def test_operator_order_flag_env_office_os(monkeypatch):
    assert office.resolve_operator("Flag") == "Flag"
    settings = office.load_office()
    settings["operator"] = "Dari kantor"
    office.save_office(settings)
    assert office.resolve_operator(None) == "Dari kantor"
    monkeypatch.setenv("MUSRENBANG_OPERATOR", "Dari env")
    assert office.resolve_operator(None) == "Dari env"


def test_recent_forums_newest_first_without_repeats(tmp_path):
    for name in ("a", "b", "a"):
        office.remember_forum(tmp_path / f"{name}.musrenbang")
    recent = office.load_office()["recent"]
    assert [Path(p).name for p in recent] == ["a.musrenbang", "b.musrenbang"]


def test_reopening_the_newest_forum_writes_nothing(tmp_path):
    office.remember_forum(tmp_path / "a.musrenbang")
    written = paths.office_file().stat()
    office.remember_forum(tmp_path / "a.musrenbang")  # already on top: no rewrite
    again = paths.office_file().stat()
    assert (again.st_ino, again.st_mtime_ns) == (written.st_ino, written.st_mtime_ns)
    office.remember_forum(tmp_path / "b.musrenbang")  # a new one on top is written
    assert paths.office_file().stat().st_ino != written.st_ino
    assert [Path(p).name for p in office.load_office()["recent"]] == [
        "b.musrenbang",
        "a.musrenbang",
    ]


def test_forum_path_adds_suffix_and_default_folder(tmp_path):
    assert paths.forum_path("rapat") == paths.forum_dir() / "rapat.musrenbang"
    assert paths.forum_path(tmp_path / "x") == tmp_path / "x.musrenbang"
    assert paths.forum_path(tmp_path / "y.musrenbang") == tmp_path / "y.musrenbang"


def test_forum_path_prefers_a_file_in_the_current_folder(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "sini.musrenbang").write_text("x")
    assert paths.forum_path("sini.musrenbang") == Path("sini.musrenbang")
    assert paths.forum_path("sini") == Path("sini.musrenbang")
    assert paths.forum_path("lain") == paths.forum_dir() / "lain.musrenbang"
    assert paths.forum_path("./baru") == Path("baru.musrenbang")
