"""The forum's warm-up: its lazy indexes built once on a background thread, safely.

The warm-up's build is held at a gate (``gated``) so a test decides exactly what happens
while it runs; every wait is bounded, so a deadlock fails the test instead of hanging it.
"""

from __future__ import annotations

import shutil
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from store.attendance import door_order, summarize_attendance
from store.duplicates import DuplicateIndex
from store.forum import Forum, open_forum
from store.lazy_index import LazyIndex

#: Generous bound for a step that must finish (a deadlock would never).
PATIENCE_S = 30


def _lazies(forum: Forum) -> dict[str, LazyIndex]:
    return {
        "participants": forum.participants._live,
        "proposals": forum.proposals._live,
        "scores": forum.priority._cells,
    }


class Gate:
    """Holds a LazyIndex's build (on whatever thread runs it) until ``release``."""

    def __init__(self, lazy: LazyIndex) -> None:
        self.entered = threading.Event()
        self.go = threading.Event()
        make = lazy._make

        def held(records: list[Any]) -> Any:
            self.entered.set()
            assert self.go.wait(PATIENCE_S)
            return make(records)

        lazy._make = held

    def release(self) -> None:
        self.go.set()


@pytest.fixture
def two_copies(demo_forum_path: Path, tmp_path: Path) -> Iterator[tuple[Forum, Forum]]:
    """The demo forum twice: one to warm up, one to use as before (same bytes)."""
    other = tmp_path / "kembar.musrenbang"
    shutil.copyfile(demo_forum_path, other)
    warmed, cold = open_forum(demo_forum_path), open_forum(other)
    yield warmed, cold
    warmed.close()
    cold.close()


class Worker(threading.Thread):
    """Runs ``action`` now on its own thread; ``done()`` waits (bounded) and re-raises."""

    def __init__(self, action: Callable[[], Any]) -> None:
        super().__init__(daemon=True)
        self._action = action
        self.result: Any = None
        self.error: BaseException | None = None
        self.start()

    def run(self) -> None:
        try:
            self.result = self._action()
        except BaseException as error:  # handed to the test by done()
            self.error = error

    def done(self) -> bool:
        self.join(PATIENCE_S)
        if self.error is not None:
            raise self.error
        return not self.is_alive()


def _user_actions(forum: Forum) -> list[Any]:
    """A proposal form's check and save, a check-in with the door list, a score."""
    proposal = forum.proposals.all()[3]
    edited = {**proposal, "lokasi": f"{proposal.get('lokasi', '')} RT 02"}
    answers: list[Any] = [forum.proposals.likely_duplicates(edited)]
    answers.append(forum.proposals.update(proposal["id"], lokasi=edited["lokasi"]))
    twin = {**forum.proposals.all()[0], "id": None}
    answers.append(forum.proposals.likely_duplicates(twin))
    person = next(p for p in forum.participants.all() if not p.get("hadir_pukul"))
    forum.participants.check_in(person["id"])
    answers.append([p["id"] for p in forum.participants.index().door(10)])
    answers.append(forum.participants.summary())
    criteria = [c["id"] for c in forum.priority.criteria()]
    forum.priority.set_score(proposal["id"], criteria[0], 4)
    forum.priority.set_score(proposal["id"], criteria[1], None)
    answers.append(forum.priority.scores())
    return answers


def _same_as_fresh(forum: Forum) -> None:
    """Every kept index equals one built now from the records."""
    proposals = forum.proposals.all()
    assert list(forum.proposals._live_index()) == list(DuplicateIndex(proposals, id_order=True))
    people = forum.participants.all()
    index = forum.participants.index()
    assert index.people == people
    assert index.door(len(people)) == door_order(people)
    meta = forum.meta
    assert forum.participants.summary() == summarize_attendance(
        people, target_perempuan=meta.get("target_perempuan", 0.30), kuorum=meta.get("kuorum")
    )
    cells = {(s["usulan_id"], s["kriteria_id"]): s["id"] for s in forum.records("scores")}
    assert forum.priority._cells.current() == cells


def test_warm_up_builds_each_index_once_and_actions_reuse_it(demo_forum_path):
    with open_forum(demo_forum_path) as forum:
        forum.warm_up()
        forum.warm_up()  # a second call starts nothing
        assert forum.wait_until_warm(PATIENCE_S)
        assert {name: lazy.builds for name, lazy in _lazies(forum).items()} == {
            "participants": 1,
            "proposals": 1,
            "scores": 1,
        }
        _user_actions(forum)
        _user_actions(forum)
        assert all(lazy.builds == 1 for lazy in _lazies(forum).values())


def test_without_warm_up_each_index_is_built_once_on_first_use(demo_forum_path):
    with open_forum(demo_forum_path) as forum:
        assert forum.wait_until_warm(0)  # never started: nothing to wait for
        assert all(lazy.builds == 0 for lazy in _lazies(forum).values())
        _user_actions(forum)
        _user_actions(forum)
        assert all(lazy.builds == 1 for lazy in _lazies(forum).values())


def test_a_reader_warms_only_the_people_index(demo_forum_path):
    with open_forum(demo_forum_path, readonly=True) as reader:
        reader.warm_up()
        assert reader.wait_until_warm(PATIENCE_S)
        builds = {name: lazy.builds for name, lazy in _lazies(reader).items()}
        assert builds == {"participants": 1, "proposals": 0, "scores": 0}


def test_warmed_indexes_equal_fresh_ones_after_all_kinds_of_writes(demo_forum_path):
    with open_forum(demo_forum_path) as forum:
        forum.warm_up()
        assert forum.wait_until_warm(PATIENCE_S)
        _user_actions(forum)
        first = forum.proposals.all()[0]
        rec_id, _ = forum.proposals.add(**{k: first[k] for k in ("desa", "kegiatan", "biaya")})
        forum.proposals.set_status(first["id"], "diakomodir")
        forum.proposals.remove(forum.proposals.all()[1]["id"])  # with its scores
        criteria = forum.priority.criteria()
        forum.priority.set_criteria(criteria[:-1])  # the last criterion's scores go
        forum.priority.set_score(rec_id, criteria[0]["id"], 5)
        forum.participants.add(nama="Siti Aminah", jenis_kelamin="P", hadir=True)
        _same_as_fresh(forum)


def test_actions_during_the_warm_up_answer_as_without_it(two_copies):
    warmed, cold = two_copies
    gate = Gate(warmed.proposals._live)
    warmed.warm_up()
    assert gate.entered.wait(PATIENCE_S)  # the warm-up is building the duplicate index
    # Writes that need no index go on while it builds (the build holds no lock)...
    assert Worker(lambda: warmed.minutes.add("Sepakat")).done()
    # ...and actions needing it wait for that one build (a second would pass the gate
    # again and count), then answer as they do on a forum never warmed.
    user = Worker(lambda: _user_actions(warmed))
    gate.release()
    assert user.done()
    cold.minutes.add("Sepakat")
    assert user.result == _user_actions(cold)
    assert all(lazy.builds == 1 for lazy in _lazies(warmed).values())
    _same_as_fresh(warmed)


def test_a_batch_needing_the_index_while_it_is_built_does_not_deadlock(demo_forum_path):
    """A batch holds the storage mutex and then asks for the index: the build under way
    must not need that mutex to finish."""
    with open_forum(demo_forum_path) as forum:
        gate = Gate(forum.proposals._live)
        warming = Worker(forum.proposals.warm_index)
        assert gate.entered.wait(PATIENCE_S)
        row = forum.proposals.prepare(
            {"desa": "Japan", "kegiatan": "Sumur bor", "biaya": "5.000.000"}
        )
        importing = Worker(lambda: forum.proposals.add_all([row]))
        status = Worker(lambda: forum.proposals.set_status(1, "diakomodir"))
        gate.release()
        assert warming.done() and importing.done() and status.done()
        assert forum.proposals.get(importing.result[0][0])["kegiatan"] == "Sumur bor"
        assert forum.proposals._live.builds == 1
        _same_as_fresh(forum)


def test_writes_between_the_copy_and_the_build_are_followed(demo_forum_path):
    """The warm-up copies the table, then builds: what changed meanwhile is read next use."""
    with open_forum(demo_forum_path) as forum:
        gates = [Gate(lazy) for lazy in _lazies(forum).values()]
        forum.warm_up()
        assert gates[0].entered.wait(PATIENCE_S)
        person = next(p for p in forum.participants.all() if not p.get("hadir_pukul"))
        forum.participants.check_in(person["id"])  # no index needed: goes on meanwhile
        forum.participants.add(nama="Budi Santoso", jenis_kelamin="L")
        proposal = forum.proposals.all()[0]
        forum.proposals.set_status(proposal["id"], "diakomodir")
        forum._delete("scores", forum.records("scores")[0]["id"])
        for gate in gates:
            gate.release()
        assert forum.wait_until_warm(PATIENCE_S)
        _same_as_fresh(forum)


def test_close_while_warming_returns_and_the_warm_up_ends(demo_forum_path):
    forum = open_forum(demo_forum_path)
    gate = Gate(forum.participants._live)
    forum.warm_up()
    assert gate.entered.wait(PATIENCE_S)
    assert Worker(forum.close).done()  # close does not wait for the build under way
    gate.release()
    assert forum.wait_until_warm(PATIENCE_S)
    assert forum.proposals._live.builds == 0  # the steps not begun were skipped
    with open_forum(demo_forum_path) as again:  # the lock was released
        assert again.participants.all()


def test_a_failing_warm_up_is_silent_and_the_index_is_built_on_use(demo_forum_path):
    with open_forum(demo_forum_path) as forum:
        lazy = forum.proposals._live
        make = lazy._make

        def broken(records: list[Any]) -> Any:
            raise MemoryError("no room")

        lazy._make = broken
        forum.warm_up()
        assert forum.wait_until_warm(PATIENCE_S)
        assert lazy.builds == 0
        assert forum.priority._cells.builds == 1  # the steps after it still ran
        lazy._make = make
        assert forum.proposals.likely_duplicates(forum.proposals.all()[0]) is not None
        assert lazy.builds == 1


def test_what_the_duplicate_check_hands_out_is_its_own_copy(demo_forum_path):
    """The duplicate index shares the stored records' lists; the form gets copies."""
    with open_forum(demo_forum_path) as forum:
        forum.warm_up()
        assert forum.wait_until_warm(PATIENCE_S)
        first = next(p for p in forum.proposals.all() if p.get("sumber_dana"))
        stored = forum.proposals.get(first["id"])
        twin = {**first, "id": None}
        found = forum.proposals.likely_duplicates(twin)
        assert found and found[0]["id"] == first["id"]
        found[0]["sumber_dana"].append({"sumber": "forged", "jumlah": 1})
        found[0]["kegiatan"] = "forged"
        assert forum.proposals.get(first["id"]) == stored
        assert forum.proposals.likely_duplicates(twin)[0] == stored
