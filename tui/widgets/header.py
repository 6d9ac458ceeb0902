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


def header_time(moment: datetime) -> str:
    """``Kamis, 12 Februari 2026 09.41 WIB``."""
    return f"{format_day_date(moment)} {format_clock(moment)} {TIMEZONE_LABEL}"


class ForumHeader(ForumView):
    """Title left, date in the middle, status right; one line."""

    def compose(self) -> ComposeResult:
        meta = self.forum.meta
        yield Static(meta.get("judul", ""), id="hd-title", markup=False)
        yield Static(header_time(self.app.clock()), id="hd-time", markup=False)
        yield Static(id="hd-status", markup=False)

    def on_mount(self) -> None:
        self._minute = self.app.clock().replace(second=0, microsecond=0)
        self._show_status()
        self.set_interval(1.0, self._tick)

    def _tick(self) -> None:
        now = self.app.clock().replace(second=0, microsecond=0)
        if now != self._minute:
            self._minute = now
            self.query_one("#hd-time", Static).update(header_time(now))

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
