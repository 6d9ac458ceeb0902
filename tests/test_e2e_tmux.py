"""End to end: the real ``musrenbang open`` in a terminal (tmux), driven by keystrokes.

Checks someone in and files a minutes entry, kills the app with SIGKILL (a laptop battery
dying mid-forum), then reopens the forum with the store and finds both. Runs on its own tmux
server socket so it never touches a user's tmux sessions.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from store.forum import open_forum
from store.lock import pid_alive

pytestmark = pytest.mark.skipif(
    shutil.which("tmux") is None, reason="tmux tidak terpasang: uji ujung-ke-ujung dilewati"
)

MINUTE = "Warga Dusun Kulon minta jalan tani diperbaiki"
WAIT_S = 60


def musrenbang_script() -> Path:
    """The ``musrenbang`` console script of the environment running the tests."""
    folder = Path(sys.executable).parent
    for name in ("musrenbang", "musrenbang.exe"):
        if (folder / name).exists():
            return folder / name
    pytest.skip(f"skrip musrenbang tidak ditemukan di {folder}")


class Terminal:
    """A tmux pane on a private server socket."""

    def __init__(self, socket: str) -> None:
        self.socket = socket

    def tmux(self, *args: str) -> str:
        result = subprocess.run(
            ["tmux", "-L", self.socket, *args], capture_output=True, text=True, check=True
        )
        return result.stdout

    def start(self, command: str) -> None:
        self.tmux("new-session", "-d", "-s", "e2e", "-x", "100", "-y", "30", command)

    def screen(self) -> str:
        return self.tmux("capture-pane", "-p", "-t", "e2e")

    def keys(self, *keys: str, literal: bool = False) -> None:
        self.tmux("send-keys", "-t", "e2e", *(["-l"] if literal else []), *keys)

    def wait_for(self, *texts: str) -> str:
        deadline = time.monotonic() + WAIT_S
        while time.monotonic() < deadline:
            shown = self.screen()
            if all(text in shown for text in texts):
                return shown
            time.sleep(0.2)
        raise AssertionError(f"Tidak muncul {texts!r} di layar:\n{self.screen()}")

    def pid(self) -> int:
        return int(self.tmux("display-message", "-p", "-t", "e2e", "#{pane_pid}").strip())

    def close(self) -> None:
        subprocess.run(["tmux", "-L", self.socket, "kill-server"], capture_output=True)


@pytest.fixture
def terminal():
    term = Terminal(f"musrenbang-e2e-{os.getpid()}")
    yield term
    term.close()


def test_check_in_and_minute_survive_sigkill(terminal, demo_forum_path, musrenbang_home):
    with open_forum(demo_forum_path, readonly=True) as forum:
        people = forum.participants.all()
    names = [p["nama"] for p in people]
    person = next(p for p in people if not p["hadir_pukul"] and names.count(p["nama"]) == 1)

    terminal.start(
        f"MUSRENBANG_HOME='{musrenbang_home}' exec '{musrenbang_script()}' open '{demo_forum_path}'"
    )
    terminal.wait_for("F2 Kehadiran", "Cari", "kunci:")
    terminal.keys(person["nama"], literal=True)
    terminal.wait_for("1 cocok")
    terminal.keys("Enter")
    terminal.wait_for("Tersimpan", f"{person['nama']} hadir")
    terminal.keys("F3")
    terminal.wait_for("Ketik catatan")
    terminal.keys(MINUTE, literal=True)
    terminal.keys("Enter")
    deadline = time.monotonic() + WAIT_S
    shown = terminal.wait_for(MINUTE[:30], "CATATAN")
    while MINUTE[:30] not in shown.split("CATATAN")[0] and time.monotonic() < deadline:
        shown = terminal.wait_for(MINUTE[:30], "CATATAN")  # Enter still on its way
    assert MINUTE[:30] in shown.split("CATATAN")[0]  # in the list, above the emptied editor

    pid = terminal.pid()
    os.kill(pid, signal.SIGKILL)
    terminal.close()
    deadline = time.monotonic() + WAIT_S
    while pid_alive(pid) and time.monotonic() < deadline:  # the kernel tears it down
        time.sleep(0.05)

    with open_forum(demo_forum_path) as forum:  # the dead writer's lock is taken over
        assert forum.participants.get(person["id"])["hadir_pukul"]
        assert any(m["teks"] == MINUTE for m in forum.minutes.all())


HALF_TYPED = "Ketua BPD menanyakan pagu jalan"


def kill_app(terminal: Terminal) -> None:
    pid = terminal.pid()
    os.kill(pid, signal.SIGKILL)
    terminal.close()
    deadline = time.monotonic() + WAIT_S
    while pid_alive(pid) and time.monotonic() < deadline:
        time.sleep(0.05)


def test_half_typed_minute_survives_sigkill_and_comes_back(
    terminal, demo_forum_path, musrenbang_home
):
    command = (
        f"MUSRENBANG_HOME='{musrenbang_home}' exec '{musrenbang_script()}' open '{demo_forum_path}'"
    )
    terminal.start(command)
    terminal.wait_for("F2 Kehadiran", "kunci:")
    terminal.keys("F3")
    terminal.wait_for("Ketik catatan")
    terminal.keys(HALF_TYPED, literal=True)  # no Enter: still being typed
    terminal.wait_for(HALF_TYPED)
    time.sleep(1.5)  # a second after the last keystroke the draft is on disk
    kill_app(terminal)

    terminal.start(command)
    shown = terminal.wait_for("dipulihkan", HALF_TYPED)
    assert "CATATAN" in shown
    terminal.keys("Enter")
    terminal.wait_for("Tersimpan")
    kill_app(terminal)
    with open_forum(demo_forum_path, readonly=True) as forum:
        assert any(m["teks"] == HALF_TYPED for m in forum.minutes.all())
