"""The CLI under attack: no traceback, no half-made forum, no terminal codes echoed."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from store.forum_create import build_forum_file
from store.shown_text import has_unsafe, shown
from store.storage_errors import ForumFileError
from tests.test_cli_store import DESA_JAPAN, run
from tui.cli import main as cli_main


@pytest.fixture
def home(tmp_path):
    return tmp_path / "home"


def test_shown_escapes_every_control_and_format_character_visibly() -> None:
    text = "a\x1b]0;PWNED\x07\x1b[2Jb\nForum dibuat\u202ec\x85"
    out = shown(text)
    assert not has_unsafe(out)
    assert "\\x1b]0;PWNED\\x07" in out and "\\n" in out and "\\u202e" in out
    assert shown("Sooko 2027.musrenbang") == "Sooko 2027.musrenbang"


@pytest.mark.parametrize("name", ["esc\x1b]0;PWNED\x07\x1b[2Jx", "a\nForum dibuat: palsu"])
def test_new_refuses_a_name_with_control_characters(tmp_path: Path, home: Path, name) -> None:
    done = run("new", str(tmp_path / name), *DESA_JAPAN, home=home, check_code=2)
    assert "karakter kendali" in done.stderr
    assert "\x1b" not in done.stderr and done.stderr.count("\n") == 1
    assert sorted(p.name for p in tmp_path.iterdir() if p.name != "home") == []


def test_an_error_quoting_a_path_prints_no_terminal_codes(tmp_path: Path, home: Path) -> None:
    done = run("check", str(tmp_path / "x\x1b[2Jy"), home=home, check_code=2)  # not found
    assert "\x1b" not in done.stderr and "\\x1b[2J" in done.stderr


def test_an_unexpected_error_on_a_forum_is_one_line_and_a_log(
    tmp_path: Path, home: Path, monkeypatch, capsys
) -> None:
    def broken(_args):
        raise ZeroDivisionError("bug")

    monkeypatch.setenv("MUSRENBANG_HOME", str(home))
    monkeypatch.setattr(cli_main, "_damage_refusal", lambda _arg: None)
    args_path = str(tmp_path / "f.musrenbang")
    parser = cli_main.build_parser()
    monkeypatch.setattr(cli_main, "build_parser", lambda: _with_handler(parser, broken))
    code = cli_main.main(["check", args_path])
    err = capsys.readouterr().err
    assert code == 1 and err.count("\n") == 1 and "Traceback" not in err
    assert "kesalahan.log" in err
    assert "ZeroDivisionError" in (home / "kesalahan.log").read_text()


def test_an_unexpected_error_names_the_newest_good_backup(
    tmp_path: Path, home: Path, monkeypatch, capsys
) -> None:
    from store.backup import make_backup
    from store.storage import ForumDatabase

    forum = tmp_path / "f.musrenbang"
    ForumDatabase.create(forum, {"t": {1: {"a": 1}}}, operator="x").close()
    kept = make_backup(forum)

    def broken(_args):
        raise ZeroDivisionError("bug")

    monkeypatch.setenv("MUSRENBANG_HOME", str(home))
    monkeypatch.setattr(cli_main, "_damage_refusal", lambda _arg: None)
    parser = cli_main.build_parser()
    monkeypatch.setattr(cli_main, "build_parser", lambda: _with_handler(parser, broken))
    code = cli_main.main(["export", str(forum), "--doc", "rekap", "--out", str(tmp_path / "x")])
    err = capsys.readouterr().err
    assert code == 1 and err.count("\n") == 1
    assert "kesalahan tak terduga" in err and f'Cadangan terbaru yang baik: "{kept}"' in err


def _with_handler(parser, handler):
    parser.set_defaults(handler=handler)
    for action in parser._subparsers._group_actions:  # every verb's own default too
        for sub in action.choices.values():
            sub.set_defaults(handler=handler)
    return parser


def test_a_failed_build_leaves_nothing_and_a_good_one_only_the_forum(tmp_path: Path) -> None:
    target = tmp_path / "f.musrenbang"

    def half_made(temp: Path) -> None:
        temp.write_bytes(b"half")
        (temp.parent / (temp.name + ".backup")).mkdir()
        raise OSError(28, "No space left on device")

    with pytest.raises(OSError) as raised:
        build_forum_file(target, half_made)
    assert raised.value.filename == str(target)
    assert list(tmp_path.iterdir()) == []

    assert build_forum_file(target, lambda temp: temp.write_bytes(b"ok")) == 2
    assert [p.name for p in tmp_path.iterdir()] == ["f.musrenbang"]
    with pytest.raises(ForumFileError, match="sudah ada"):
        build_forum_file(target, lambda temp: temp.write_bytes(b"other"))
    assert target.read_bytes() == b"ok" and len(list(tmp_path.iterdir())) == 1


def test_a_closed_pipe_is_quiet_however_the_error_is_wrapped() -> None:
    """An OSError(EPIPE) that is not a BrokenPipeError (wrapped on its way up) is a reader
    that stopped too: no "Gagal mengakses berkas : Broken pipe" line."""
    script = (
        "import errno, sys\n"
        "from tui.cli.main import report_error\n"
        "sys.exit(report_error(OSError(errno.EPIPE, 'Broken pipe'), 'f.musrenbang'))\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert done.returncode == 1 and done.stderr == ""


def test_demo_does_not_reuse_a_damaged_file(tmp_path: Path, home: Path) -> None:
    path = tmp_path / "demo.musrenbang"
    path.write_bytes(b'{"format":"musrenbang","schema":1}\n')
    done = run("demo", str(path), "--no-open", home=home, check_code=2)
    assert "dipakai kembali" not in done.stdout and str(path) in done.stderr


UNSAFE = "esc\x1b]0;PWNED\x07x"


@pytest.mark.parametrize(
    "args",
    [
        ("demo", "{d}/" + UNSAFE, "--no-open"),
        ("export", "{d}/tidak-perlu", "--doc", "rekap", "--out", "{d}/" + UNSAFE + ".docx"),
        ("laporan", "{d}/tidak-perlu", "--out", "{d}/" + UNSAFE),
        ("keys", "page", "{d}/" + UNSAFE + ".html"),
    ],
    ids=["demo", "export", "laporan", "keys-page"],
)
def test_every_verb_that_creates_a_file_refuses_a_name_with_control_characters(
    tmp_path: Path, home: Path, args: tuple[str, ...]
) -> None:
    done = run(*(a.format(d=tmp_path) for a in args), home=home, check_code=2)
    assert "karakter kendali" in done.stderr and "\x1b" not in done.stderr
    assert done.stderr.count("\n") == 1
    assert sorted(p.name for p in tmp_path.iterdir() if p.name != "home") == []


def test_display_of_a_missing_path_escapes_it(tmp_path: Path, home: Path) -> None:
    done = run("display", str(tmp_path / "x\x1b[2Jy"), home=home, check_code=2)
    assert "\x1b" not in done.stderr and "\\x1b[2J" in done.stderr
    assert done.stderr.startswith("musrenbang: ") and done.stderr.count("\n") == 1
