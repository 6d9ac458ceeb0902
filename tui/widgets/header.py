"""The forum header: title, today's date and time (Indonesian, WIB), and the forum status.

The time comes from the app's clock, which tests and snapshots replace with a fixed one.
"""

from __future__ import annotations

from datetime import datetime

from textual.app import ComposeResult
from textual.widgets import Static

from store.formatting import TIMEZONE_LABEL, format_clock, format_day_date
from tui.widgets.forum_view import ForumView, touches

STATUS_LABELS = {"draf": "DRAF", "final": "FINAL", "ditandatangani": "DITANDATANGANI"}


#: Below this width the date is written short, so the title and a long status
#: (DITANDATANGANI) keep their room.
LONG_DATE_FROM = 110


def header_time(moment: datetime, *, short: bool = False) -> str:
    """``Kamis, 12 Februari 2026 09.41 WIB``; short: ``12-02-2026 09.41``."""
    if short:
        return f"{moment:%d-%m-%Y} {format_clock(moment)}"
    return f"{format_day_date(moment)} {format_clock(moment)} {TIMEZONE_LABEL}"


class ForumHeader(ForumView):
    """Title left, date in the middle, status right; one line."""

    def compose(self) -> ComposeResult:
        meta = self.forum.meta
        yield Static(meta.get("judul", ""), id="hd-title", markup=False)
        yield Static("", id="hd-time", markup=False)
        yield Static(id="hd-status", markup=False)

    def on_mount(self) -> None:
        self._minute = self.app.clock().replace(second=0, microsecond=0)
        # After the first paint: the long date is Babel's first use (~10 ms of locale data).
        self.call_after_refresh(self._show_time)
        self._show_status()
        self.set_interval(1.0, self._tick)

    def on_resize(self) -> None:
        self._show_time()

    def _show_time(self) -> None:
        short = self.app.size.width < LONG_DATE_FROM
        self.query_one("#hd-time", Static).update(header_time(self._minute, short=short))

    def _tick(self) -> None:
        now = self.app.clock().replace(second=0, microsecond=0)
        if now != self._minute:
            self._minute = now
            self._show_time()

    def _show_status(self) -> None:
        meta = self.forum.meta
        status = meta.get("status", "draf")
        label = self.query_one("#hd-status", Static)
        label.update(STATUS_LABELS.get(status, status.upper()))
        for name in STATUS_LABELS:
            label.set_class(name == status, f"-{name}")
        self.query_one("#hd-title", Static).update(meta.get("judul", ""))

    def forum_changed(self, changes: dict[str, set[int]]) -> None:
        if touches(changes, "meta"):
            self._show_status()
