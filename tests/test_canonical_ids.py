"""A record's id in a forum file is written one way only (F2): ``"1"``, never ``"01"``,
``"0001"`` or ``"0"``. A hand-edited snapshot with such a key is damage: the reader turns
the key into the number, so ``"01"`` beside ``"1"`` shows two records with id 1 (a change to
"id 1" reaches only one of them), and ``"02"`` shows a record that no change can address
("Data proposals nomor 2 tidak ditemukan"). Here the snapshot line holds the tables inline;
table lines get the same rule (``tests/test_storage_badfiles.py``, ``test_storage_archive``)."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from pathlib import Path

import orjson
import pytest

from store.forum import open_forum
from store.storage_errors import ForumFileError
from tests.forum_factory import make_forum
from tests.forum_layout import layout

Spoil = Callable[[dict[str, dict]], None]


def _beside(key: str) -> Spoil:
    def spoil(proposals: dict[str, dict]) -> None:
        proposals[key] = dict(proposals["1"], kegiatan="Salinan")

    return spoil


def _renamed(old: str, new: str) -> Spoil:
    def spoil(proposals: dict[str, dict]) -> None:
        proposals[new] = proposals.pop(old)

    return spoil


SPOILS = {
    "01 beside 1": _beside("01"),
    "0001 beside 1": _beside("0001"),
    "0 beside 1": _beside("0"),
    "2 written 02": _renamed("2", "02"),
}


def _hand_edited(path: Path, spoil: Spoil) -> bytes:
    with make_forum(path) as forum:
        forum.proposals.add(desa="Japan", kegiatan="Paving", biaya="1.000.000")
        forum.proposals.add(desa="Japan", kegiatan="Drainase", biaya="2.000.000")
        forum.compact()
    parts = layout(path)
    state = parts.snapshot  # every table inline, as a hand edit may write it
    state.pop("segel", None)  # a hand edit leaves no seal that could vouch for the tables
    state["table_lines"] = 0
    spoil(state["tables"]["proposals"])
    data = b"".join(line + b"\n" for line in [parts.header, orjson.dumps(state), *parts.journal])
    path.write_bytes(data)
    return data


@pytest.mark.parametrize("case", sorted(SPOILS))
def test_a_record_id_not_written_canonically_is_refused_untouched(
    tmp_path: Path, case: str
) -> None:
    path = tmp_path / "disunting.musrenbang"
    data = _hand_edited(path, SPOILS[case])

    with pytest.raises(ForumFileError):
        open_forum(path).close()
    assert hashlib.sha256(path.read_bytes()).digest() == hashlib.sha256(data).digest()
