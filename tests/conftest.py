"""Shared fixtures: a private data dir for every test, the demo forum, a fixed clock.

Every test runs with ``MUSRENBANG_HOME`` pointing at its own temporary folder, so nothing
ever reads or writes a real office's data. The demo forum takes a few seconds to build, so
it is built once per session and each test gets its own copy.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from datetime import datetime
from pathlib import Path

import pytest

from store.forum import Forum
from tests import pilot_waits

pilot_waits.install()  # Pilot waits in 5 ms slices that also wait for a settled app

#: The moment every injected clock shows: Kamis, 12 Februari 2026 09.41.07 (WIB).
FIXED_NOW = datetime(2026, 2, 12, 9, 41, 7)
DEMO_FILE_NAME = "demo-sooko-2027.musrenbang"


@pytest.fixture(autouse=True)
def musrenbang_home(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> Path:
    """A fresh, empty data dir for each test (``MUSRENBANG_HOME``)."""
    home = tmp_path_factory.mktemp("musrenbang-home")
    monkeypatch.setenv("MUSRENBANG_HOME", str(home))
    monkeypatch.delenv("MUSRENBANG_OPERATOR", raising=False)
    return home


@pytest.fixture
def fixed_clock() -> Callable[[], datetime]:
    """A clock that always says ``FIXED_NOW`` (stable timestamps and snapshots)."""
    return lambda: FIXED_NOW


@pytest.fixture(scope="session")
def _demo_master(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo forum, built once per session; never handed to a test directly."""
    from store.demo import build_demo

    folder = tmp_path_factory.mktemp("demo-master")
    path = folder / DEMO_FILE_NAME
    with pytest.MonkeyPatch.context() as patch:  # session scope: keep off the real data dir
        patch.setenv("MUSRENBANG_HOME", str(folder / "home"))
        build_demo(path)
    return path


@pytest.fixture
def demo_forum_path(_demo_master: Path, musrenbang_home: Path) -> Path:
    """A private copy of the demo forum in this test's data dir (``forum/`` folder).

    Only the forum file is copied (not its backups), so each test starts from the same bytes.
    """
    folder = musrenbang_home / "forum"
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / DEMO_FILE_NAME
    shutil.copyfile(_demo_master, target)
    return target


@pytest.fixture
def forum(tmp_path: Path) -> Iterator[Forum]:
    """A fresh kecamatan forum of Sooko (date, time, place, chair set) on a hand-moved clock,
    reachable as ``forum.test_clock``."""
    from tests.forum_factory import StepClock, make_forum

    clock = StepClock()
    with make_forum(tmp_path / "f.musrenbang", clock=clock) as forum:
        forum.test_clock = clock  # type: ignore[attr-defined]
        yield forum
