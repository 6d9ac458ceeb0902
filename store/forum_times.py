"""When the forum ran, from its one source of times: the susunan acara (agenda).

The notulen prints a minute entry's recorded time only when it falls inside the forum; an
entry typed afterwards (minutes tidied up in the evening) is printed with its agenda item's
time instead, and readiness warns about it. Pure functions over the header and the agenda
records (``rencana_mulai``/``rencana_selesai`` "HH:MM", ``mulai``/``selesai`` ISO datetimes).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any

#: Follows a time taken from the plan because the real one was not recorded during the forum.
PLANNED_MARK = "*"
#: The footnote every document printing :data:`PLANNED_MARK` carries, in its words.
PLANNED_NOTE = (
    f"{PLANNED_MARK} waktu menurut rencana susunan acara; waktu pelaksanaannya tidak tercatat "
    "saat forum."
)
#: An item with neither a recorded nor a planned time: said, never left blank (a blank reads
#: as if the item was not held).
NOT_RECORDED = "tidak tercatat"


@dataclass(frozen=True)
class ForumWindow:
    """From the first planned or actual start to the last planned or actual end."""

    mulai: datetime
    selesai: datetime

    def holds(self, moment: datetime) -> bool:
        return self.mulai <= moment <= self.selesai


def forum_window(
    meta: Mapping[str, Any], agenda: Iterable[Mapping[str, Any]]
) -> ForumWindow | None:
    """The forum's span on its day: the earliest of the header's ``pukul``, the planned and
    the actual starts; the latest of the planned and actual ends (and starts, for an item
    still open). Actual times on another day (an item started while tidying up the minutes
    a week later) are not the forum's. None without a forum date or any time."""
    day = _day(meta.get("tanggal"))
    if day is None:
        return None
    starts: list[datetime] = []
    ends: list[datetime] = []
    if clock := _on(day, meta.get("pukul")):
        starts.append(clock)
    for item in agenda:
        planned_start = _on(day, item.get("rencana_mulai"))
        planned_end = _on(day, item.get("rencana_selesai"))
        actual_start, actual_end = (
            t if t and t.date() == day else None
            for t in (_moment(item.get("mulai")), _moment(item.get("selesai")))
        )
        starts += [t for t in (planned_start, actual_start) if t]
        ends += [t for t in (planned_end, actual_start, actual_end) if t]
    if not starts:
        return None
    return ForumWindow(min(starts), max(ends + starts))


def agenda_clock(item: Mapping[str, Any] | None, window: ForumWindow | None) -> str:
    """``HH.MM`` an agenda item started: when it really did if that was during the forum,
    else its planned time with :data:`PLANNED_MARK` ("09.00*"); "" when neither is known."""
    if not item:
        return ""
    actual = _moment(item.get("mulai"))
    if actual and window is not None and window.holds(actual):
        return actual.strftime("%H.%M")
    planned = _clock(item.get("rencana_mulai"))
    return planned + PLANNED_MARK if planned else ""


def held_span(item: Mapping[str, Any], window: ForumWindow | None) -> str:
    """When an agenda item ran, for the notulen's Pelaksanaan column: ``09.05-09.40`` from
    its recorded start and end (``10.12-selesai`` while it was still running), when the
    start falls during the forum; else its planned span with :data:`PLANNED_MARK`
    (``09.00-09.30*``: started outside the forum or never clicked, e.g. the minutes were
    typed after the forum); else :data:`NOT_RECORDED`. Never empty."""
    start = _moment(item.get("mulai"))
    if start and (window is None or window.holds(start)):
        end = _moment(item.get("selesai"))
        shown_end = end if end and (window is None or window.holds(end)) else None
        return f"{start:%H.%M}-{f'{shown_end:%H.%M}' if shown_end else 'selesai'}"
    planned = "-".join(
        t for t in (_clock(item.get("rencana_mulai")), _clock(item.get("rencana_selesai"))) if t
    )
    return planned + PLANNED_MARK if planned else NOT_RECORDED


def _clock(hhmm: Any) -> str:
    """ "09:00" -> "09.00" (the documents' way of writing a time)."""
    return str(hhmm or "").replace(":", ".")


def entries_after(
    window: ForumWindow | None, minutes: Iterable[Mapping[str, Any]]
) -> list[Mapping[str, Any]]:
    """Minute entries recorded after the forum's end (typed once it was over)."""
    if window is None:
        return []
    return [m for m in minutes if (t := _moment(m.get("waktu"))) and t > window.selesai]


def _day(value: Any) -> date | None:
    try:
        return date.fromisoformat(str(value)) if value else None
    except ValueError:
        return None


def _on(day: date, hhmm: Any) -> datetime | None:
    try:
        return datetime.combine(day, time.fromisoformat(str(hhmm))) if hhmm else None
    except ValueError:
        return None


def _moment(value: Any) -> datetime | None:
    try:
        moment = datetime.fromisoformat(str(value)) if value else None
    except ValueError:
        return None
    return moment.replace(tzinfo=None) if moment else None
