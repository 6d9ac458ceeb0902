"""Small forums for store tests, built through the public facade with a controllable clock."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

from store.forum import Forum, create_forum


class StepClock:
    """A clock the test moves by hand, so timestamps are predictable."""

    def __init__(self, start: datetime = datetime(2026, 2, 12, 9, 0)) -> None:
        self.now = start

    def __call__(self) -> datetime:
        return self.now

    def tick(self, minutes: float = 1) -> None:
        self.now += timedelta(minutes=minutes)


def make_forum(
    path: Path, *, level: str = "kecamatan", clock: StepClock | None = None, **header: object
) -> Forum:
    """A kecamatan (or desa) forum of Sooko with date, time, place and chair set."""
    wilayah = "35.16.13" if level == "kecamatan" else "35.16.13.2009"
    fields = {
        "tanggal": "2026-02-12",
        "pukul": "08:00",
        "tempat": "Pendopo Kecamatan",
        "pimpinan": "Hendro Prasetyo",
        "pagu": 1_000_000_000,
        **header,
    }
    return create_forum(
        path,
        operator="Uji",
        clock=clock or StepClock(),
        level=level,
        wilayah=wilayah,
        tahun=2027,
        **fields,
    )
