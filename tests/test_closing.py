"""Closing the vote (store.closing): refused without any result, partial results said."""

from __future__ import annotations

import pytest

from store.closing import check_close, has_measure
from store.ranking import RankedRow


def row(pid: int, *, nilai: float | None = None, suara: int | None = None, sebutan: int = 0):
    return RankedRow(pid, "Japan", 1_000_000, None, nilai, suara, sebutan, "diusulkan", "", 0)


@pytest.mark.parametrize(
    ("metode", "rows"),
    [
        ("skoring", [row(1), row(2)]),
        ("voting", [row(1, suara=0), row(2)]),  # a 0 count is no vote
        ("surat_suara", [row(1), row(2)]),
    ],
)
def test_nothing_measured_refuses(metode, rows):
    check = check_close(metode, rows)
    assert check.penolakan and "Belum" in check.penolakan
    assert not any(has_measure(metode, r) for r in rows)


def test_no_proposals_refuses():
    assert check_close("voting", []).penolakan == "Belum ada usulan untuk diputuskan."


def test_partly_voted_closes_after_saying_how_many_lack_a_vote():
    check = check_close("voting", [row(1, suara=7), row(2), row(3)])
    assert check.penolakan is None
    assert check.catatan == ("2 dari 3 usulan belum ada suara: ditempatkan di peringkat terakhir.",)


def test_everything_scored_closes_without_a_note():
    assert check_close("skoring", [row(1, nilai=0.0), row(2, nilai=77.5)]) == (
        check_close("skoring", [row(3, nilai=10.0)])
    )
    assert check_close("skoring", [row(1, nilai=0.0)]).catatan == ()
    assert check_close("surat_suara", [row(1, sebutan=1)]).penolakan is None
