"""What a forum file's lines may hold: a torn last line is told, anything unknown is damage."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.test_cli_store import DESA_JAPAN, run

CHANGE = b'{"at":"2026-01-01T00:00:00","ops":[]}\n'
DEEP = b"[" * 200_000 + b"]" * 200_000 + b"\n"
UNKNOWN_TABLE = (
    b'{"at":"2026-01-01T00:00:00","ops":[{"table":"rahasia","op":"insert",'
    b'"doc_id":1,"doc":{"a":1}}]}\n'
)


def _with_newer_snapshot(data: bytes) -> bytes:
    header, snapshot, rest = data.split(b"\n", 2)
    return header + b"\n" + snapshot[:-1] + b',"schema":99}\n' + rest


SPOILERS = {
    "bukan JSON lalu baris lain": lambda d: d + b"bukan json\n" + CHANGE,
    "JSON 200.000 tingkat lalu baris lain": lambda d: d + DEEP + CHANGE,
    "tabel tak dikenal": lambda d: d + UNKNOWN_TABLE,
    "kunci tak dikenal di catatan perubahan": lambda d: d + CHANGE[:-2] + b',"x":1}\n',
    "skema lebih baru di baris 2": _with_newer_snapshot,
}
TORN = {
    "bukan JSON": lambda d: d + b"bukan json\n",
    "JSON 200.000 tingkat": lambda d: d + DEEP,
    "tanpa akhir baris": lambda d: d + CHANGE[:20],
}


@pytest.fixture
def home(tmp_path: Path) -> Path:
    return tmp_path / "home"


@pytest.fixture
def forum(tmp_path: Path, home: Path) -> Path:
    path = tmp_path / "f.musrenbang"
    run("new", str(path), *DESA_JAPAN, home=home)
    return path


@pytest.mark.parametrize("kind", sorted(SPOILERS))
def test_an_unknown_or_damaged_line_is_damage_for_check_and_every_verb(
    forum: Path,
    home: Path,
    kind: str,
) -> None:
    forum.write_bytes(SPOILERS[kind](forum.read_bytes()))
    before = forum.read_bytes()
    checked = run("check", str(forum), home=home, check_code=1)
    assert "Traceback" not in checked.stderr and "utuh" not in checked.stdout
    dumped = run("dump", str(forum), home=home, check_code=2)
    assert dumped.stderr.count("\n") == 1 and "Traceback" not in dumped.stderr
    assert forum.read_bytes() == before


@pytest.mark.parametrize("kind", sorted(TORN))
def test_a_torn_last_line_is_told_by_check_not_called_damage(
    forum: Path,
    home: Path,
    kind: str,
) -> None:
    forum.write_bytes(TORN[kind](forum.read_bytes()))
    checked = run("check", str(forum), home=home, check_code=0)
    assert "baris terakhir terpotong" in checked.stdout and "utuh" in checked.stdout
