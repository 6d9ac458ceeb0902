"""The projector display: ``musrenbang display PATH``.

A separate, read-only process on the projector's terminal while the note-taker works on the
same forum file. It takes no lock and never writes. One thread owns the read-only forum: it
watches the file with a cheap ``stat`` every 0.1 s, and after a change reads what the writer
appended (``forum.refresh()``), builds an immutable :class:`DisplaySnapshot` and posts it. The
message replaces any snapshot still waiting in the queue (Toolong's ``can_replace``), so a burst
of saves causes one redraw and the screen never shows a half-applied state. If the file goes
missing or cannot be read the display says so and keeps the last good picture.

Nobody sits at the projector, so nothing needs a key: long lists page by themselves.
"""

from __future__ import annotations

import os
import shlex
import subprocess
import sys
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any, ClassVar

from rich.console import Group, RenderableType
from rich.text import Text
from textual import work
from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.reactive import reactive
from textual.widget import Widget
from textual.widgets import Digits, Static

from store.formatting import (
    format_clock,
    format_clock_seconds,
    format_day_date,
    format_decimal_id,
    format_rupiah,
    format_rupiah_short,
)
from store.forum import Forum, now_local, open_forum
from store.meta import PRIORITY_METHODS
from store.ranking import CADANGAN, DIAKOMODIR, DIUSULKAN, RankedRow, RankingResult
from store.storage_errors import ForumFileError, os_reason
from tui.prioritas.data import PriorityData

POLL_SECONDS = 0.1  # one stat() per tick: microseconds; halves the wait after a save
PAGE_SECONDS = 10.0
MISSING_POLLS = 2  # a file replaced by rename can be absent for an instant: do not cry wolf

Clock = Callable[[], datetime]


# -- what is shown ------------------------------------------------------------------------------
@dataclass(frozen=True)
class DisplaySnapshot:
    """Everything the display shows, read from the forum at one moment."""

    judul: str
    judul_singkat: str
    wilayah: str
    wilayah_singkat: str
    tanggal: str
    metode: str
    ditutup: bool
    hadir: int
    perempuan_persen: float
    usulan: int
    result: RankingResult
    kegiatan: dict[int, str] = field(default_factory=dict)
    diperbarui: datetime | None = None


def _wilayah(meta: dict[str, Any], *, short: bool) -> str:
    """ "Kecamatan Sooko, Kabupaten Mojokerto", or "Kec. Sooko, Kab. Mojokerto"."""
    desa = meta.get("level") == "desa"
    level = ("Desa" if desa else "Kec.") if short else ("Desa" if desa else "Kecamatan")
    place = f"{level} {meta.get('wilayah_nama', '')}"
    kabupaten = meta.get("kabupaten")
    return f"{place}, {'Kab.' if short else 'Kabupaten'} {kabupaten}" if kabupaten else place


def take_snapshot(forum: Forum, now: datetime, data: PriorityData | None = None) -> DisplaySnapshot:
    """Read the forum once into an immutable picture (call from the thread owning ``forum``);
    ``data``: its prioritisation data when the caller already holds it current."""
    data = PriorityData.read(forum) if data is None else data
    meta = data.meta
    summary = forum.participants.summary()
    tanggal = meta.get("tanggal")
    level = "Desa" if meta.get("level") == "desa" else "Kec."
    return DisplaySnapshot(
        judul=meta.get("judul", "Musrenbang"),
        judul_singkat=f"Musrenbang {level} {meta.get('wilayah_nama', '')} {meta.get('tahun', '')}",
        wilayah=_wilayah(meta, short=False),
        wilayah_singkat=_wilayah(meta, short=True),
        tanggal=format_day_date(date.fromisoformat(tanggal)) if tanggal else "",
        metode=PRIORITY_METHODS.get(data.metode, data.metode),
        ditutup=data.closed,
        hadir=summary.hadir,
        perempuan_persen=summary.perempuan_persen,
        usulan=len(data.proposals),
        result=data.result,
        kegiatan={p["id"]: p.get("kegiatan", "") for p in data.proposals},
        diperbarui=now,
    )


# -- messages from the watching thread ----------------------------------------------------------
class SnapshotReady(Message):
    """A fresh picture; a newer one waiting in the queue makes this one moot."""

    def __init__(self, snapshot: DisplaySnapshot) -> None:
        super().__init__()
        self.snapshot = snapshot

    def can_replace(self, message: Message) -> bool:
        return isinstance(message, SnapshotReady)


class ForumProblem(Message):
    """The file is missing or unreadable; the last good picture stays on screen."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self.text = text

    def can_replace(self, message: Message) -> bool:
        return isinstance(message, (ForumProblem, SnapshotReady))


def _file_signature(path: Path) -> tuple[int, int, int]:
    stat = os.stat(path)
    return (stat.st_mtime_ns, stat.st_size, stat.st_ino)


# -- the ranking board --------------------------------------------------------------------------
@dataclass(frozen=True)
class _Columns:
    """Column widths for a board width: narrow projectors drop the bar and the reasons."""

    desa: int
    measure: int
    bar: int
    biaya: int
    last: int
    alasan: int
    kegiatan: int
    full_money: bool

    @classmethod
    def for_width(cls, width: int) -> _Columns:
        if width >= 110:
            desa, bar, biaya, last, full = 14, 20, 15, 15, True
        elif width >= 70:
            desa, bar, biaya, last, full = 12, 10, 10, 10, False
        else:
            desa, bar, biaya, last, full = 9, 0, 10, 10, False
        fixed = 3 + desa + 5 + bar + biaya + last
        gaps = 6 + (1 if bar else 0)
        rest = max(8, width - fixed - gaps)
        alasan = 0
        if full and rest > 50:
            kegiatan = min(60, rest * 11 // 20)
            alasan = rest - kegiatan - 1
        else:
            kegiatan = rest
        return cls(desa, 5, bar, biaya, last, alasan, kegiatan, full)


WHITE, YELLOW, GREEN, RED = "#ffffff", "#ffff00", "#00ff00", "#ff6060"
STATUS_SHORT = {
    CADANGAN: "cadangan",
    DIUSULKAN: "menunggu",
    "tidak diakomodir": "ditolak",
}
ROW_STYLE = {
    DIAKOMODIR: f"bold {WHITE}",
    CADANGAN: f"bold {YELLOW}",
    DIUSULKAN: WHITE,
    "tidak diakomodir": f"bold {RED}",
}
BAR_STYLE = {DIAKOMODIR: GREEN, CADANGAN: YELLOW}


EIGHTHS = " ▏▎▍▌▋▊▉"


def _bar(fraction: float, width: int) -> str:
    """A bar in eighths of a cell, so 85 and 90 do not look the same."""
    eighths = round(max(0.0, min(1.0, fraction)) * width * 8)
    full, part = divmod(eighths, 8)
    return ("█" * full + (EIGHTHS[part] if part else "")).ljust(width)


def _cell(text: str, width: int, *, right: bool = False) -> str:
    if len(text) > width:
        text = text[: max(0, width - 1)] + "…"
    return text.rjust(width) if right else text.ljust(width)


class RankingBoard(Widget):
    """The ranked list with the pagu line, one page at a time."""

    DEFAULT_CSS = """
    RankingBoard { height: 1fr; }
    """

    page: reactive[int] = reactive(0)

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.snapshot: DisplaySnapshot | None = None

    # The lines of the whole list: rows, and None where the pagu line goes.
    def _lines(self) -> list[RankedRow | None]:
        assert self.snapshot is not None
        result = self.snapshot.result
        lines: list[RankedRow | None] = list(result.rows)
        if result.pagu is not None:
            lines.insert(result.cut, None)
        return lines

    @property
    def rows_per_page(self) -> int:
        return max(1, self.size.height - 1)

    @property
    def pages(self) -> int:
        if self.snapshot is None:
            return 1
        count = len(self._lines())
        return max(1, -(-count // self.rows_per_page))

    class Paged(Message):
        """The page shown or the number of pages changed (the footer says which)."""

    def show(self, snapshot: DisplaySnapshot) -> None:
        self.snapshot = snapshot
        self._clamp()
        self.refresh()

    def next_page(self, step: int = 1) -> None:
        self.page = (self.page + step) % self.pages

    def watch_page(self) -> None:
        self.post_message(self.Paged())

    def on_resize(self) -> None:
        self._clamp()
        self.post_message(self.Paged())

    def _clamp(self) -> None:
        self.page = min(self.page, self.pages - 1)

    def render(self) -> RenderableType:
        if self.snapshot is None:
            return Text("Membaca forum…", style=f"bold {WHITE}")
        width = self.size.width
        cols = _Columns.for_width(width)
        if not self.snapshot.result.rows:
            return Group(self._header(cols), Text("Belum ada usulan.", style=f"bold {WHITE}"))
        start = min(self.page, self.pages - 1) * self.rows_per_page
        visible = self._lines()[start : start + self.rows_per_page]
        top = max((r.suara or 0) for r in self.snapshot.result.rows)
        body = [self._pagu_line(width) if r is None else self._row(r, cols, top) for r in visible]
        return Group(self._header(cols), *body)

    def _measure_label(self) -> str:
        assert self.snapshot is not None
        return {"skoring": "Nilai", "voting": "Suara"}.get(self.snapshot.result.metode, "Poin")

    def _header(self, cols: _Columns) -> Text:
        parts = [
            _cell("No", 3, right=True),
            _cell("Usulan", cols.kegiatan),
            _cell("Desa", cols.desa),
            _cell(self._measure_label(), cols.measure, right=True),
        ]
        if cols.bar:
            parts.append(" " * cols.bar)
        parts += [_cell("Biaya", cols.biaya, right=True), _cell("Kumulatif", cols.last, right=True)]
        if cols.alasan:
            parts.append(_cell("Alasan", cols.alasan))
        return Text(" ".join(parts), style=f"bold #000000 on {WHITE}", no_wrap=True)

    def _row(self, row: RankedRow, cols: _Columns, top_votes: int) -> Text:
        assert self.snapshot is not None
        style = ROW_STYLE.get(row.status, WHITE)
        money = format_rupiah if cols.full_money else format_rupiah_short
        if row.nilai is not None:
            measure, fraction = format_decimal_id(row.nilai), row.nilai / 100
        elif row.suara is not None:
            measure, fraction = str(row.suara), row.suara / max(1, top_votes)
        else:
            measure, fraction = "–", 0.0
        last = money(row.kumulatif) if row.status == DIAKOMODIR else STATUS_SHORT[row.status]
        text = Text(no_wrap=True, style=style)
        text.append(_cell(str(row.rank or ""), 3, right=True) + " ")
        text.append(_cell(self.snapshot.kegiatan.get(row.id, ""), cols.kegiatan) + " ")
        text.append(_cell(row.desa, cols.desa) + " ")
        text.append(_cell(measure, cols.measure, right=True) + " ")
        if cols.bar:
            text.append(_bar(fraction, cols.bar), style=BAR_STYLE.get(row.status, WHITE))
            text.append(" ")
        text.append(_cell(money(row.biaya), cols.biaya, right=True) + " ")
        text.append(_cell(last, cols.last, right=True))
        if cols.alasan:
            text.append(" " + _cell(row.alasan, cols.alasan))
        return text

    def _pagu_line(self, width: int) -> Text:
        assert self.snapshot is not None
        result = self.snapshot.result
        assert result.pagu is not None
        money = format_rupiah if width >= 110 else format_rupiah_short
        label = f" batas pagu: {money(result.total_diakomodir)} terpakai dari {money(result.pagu)} "
        return Text(label.center(width, "━"), style=f"bold #000000 on {YELLOW}", no_wrap=True)


# -- the app ------------------------------------------------------------------------------------
class Figure(Vertical):
    """A key figure in big digits with its caption under it."""

    def __init__(self, caption: str, *, id: str) -> None:
        super().__init__(id=id, classes="figure")
        self.caption = caption

    def compose(self) -> ComposeResult:
        yield Digits("0")
        yield Static(self.caption, classes="caption")

    def set(self, value: str, caption: str | None = None) -> None:
        self.query_one(Digits).update(value)
        if caption is not None:
            self.query_one(".caption", Static).update(caption)


class DisplayApp(App[int]):
    """The read-only live priority display for the projector."""

    CSS_PATH = Path(__file__).with_name("display.tcss")  # also for subclasses elsewhere
    TITLE = "Musrenbang: layar proyektor"
    ENABLE_COMMAND_PALETTE = False
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("right", "page(1)", "Halaman berikut", show=False),
        Binding("left", "page(-1)", "Halaman sebelum", show=False),
        Binding("ctrl+q", "quit", "Keluar", show=False, priority=True),
    ]

    def __init__(self, path: Path, *, clock: Clock = now_local, forum: Forum | None = None) -> None:
        super().__init__()
        self.path = Path(path)
        self.clock = clock
        self._forum = forum
        self._stop = threading.Event()
        self.snapshot: DisplaySnapshot | None = None
        self.problem: str | None = None

    def compose(self) -> ComposeResult:
        with Horizontal(id="atas"):
            yield Static("", id="judul")
            yield Static("", id="hitungan")
            yield Static("", id="jam")
        yield Static("", id="info")
        with Horizontal(id="angka"):
            yield Figure("hadir", id="f-hadir")
            yield Figure("% perempuan", id="f-perempuan")
            yield Figure("usulan", id="f-usulan")
            yield Figure("diakomodir", id="f-diakomodir")
        yield Static("", id="metode")
        yield Static("", id="masalah")
        yield RankingBoard(id="papan")
        yield Static("", id="bawah")

    def on_mount(self) -> None:
        self._tick()
        self.set_interval(1.0, self._tick)
        self.set_interval(PAGE_SECONDS, self._turn_page)
        self._watch()

    def on_unmount(self) -> None:
        self._stop.set()

    # -- the watching thread ---------------------------------------------------------------
    @work(thread=True, exclusive=True, group="pantau")
    def _watch(self) -> None:
        """Own the read-only forum: read it, then re-read after every saved change."""
        forum = self._forum
        signature: tuple[int, int, int] | None = None  # None: read at the next look
        missing = 0
        troubled = True  # nothing good shown yet: the next good read is posted
        data: PriorityData | None = None  # the ranking's inputs, kept between changes
        touched: set[str] = set()  # tables the refreshes since the last picture changed
        watched: Forum | None = None  # the forum whose changes fill ``touched``
        while True:
            try:
                current = _file_signature(self.path)
            except FileNotFoundError:
                missing += 1
                signature = None  # whatever comes back is read afresh
                if missing == (1 if forum is None else MISSING_POLLS):
                    self.post_message(ForumProblem(f"Berkas forum tidak ditemukan: {self.path}."))
                    troubled = True
            else:
                missing = 0
                if current != signature:
                    signature = current
                    try:
                        if forum is None:
                            forum = open_forum(self.path, readonly=True)
                        if forum is not watched:
                            watched = forum
                            forum.subscribe(lambda change: touched.add(change.table))
                        changed = forum.refresh()
                        if changed or troubled:
                            if data is None or troubled:
                                data = PriorityData.read(forum)
                            else:  # re-read only what the changed tables feed
                                data = data.followed(forum, touched)
                            touched.clear()
                            snapshot = take_snapshot(forum, self.clock(), data)
                            self.post_message(SnapshotReady(snapshot))
                        troubled = False
                    except Exception as error:  # the display must survive anything a file does
                        self.post_message(ForumProblem(_problem_text(self.path, error)))
                        troubled = True
            if self._stop.wait(POLL_SECONDS):
                break
        if forum is not None:
            forum.close()

    # -- drawing ---------------------------------------------------------------------------
    def on_snapshot_ready(self, message: SnapshotReady) -> None:
        self.problem = None
        self.show_snapshot(message.snapshot)

    def on_forum_problem(self, message: ForumProblem) -> None:
        self.problem = message.text
        banner = self.query_one("#masalah", Static)
        banner.update(f"⚠ {message.text} Tampilan terakhir dipertahankan.")
        banner.display = True

    def show_snapshot(self, snap: DisplaySnapshot) -> None:
        """Redraw everything from one snapshot."""
        self.snapshot = snap
        self.query_one("#masalah", Static).display = False
        diakomodir = sum(1 for r in snap.result.rows if r.status == DIAKOMODIR)
        self.query_one("#f-hadir", Figure).set(str(snap.hadir))
        self.query_one("#f-perempuan", Figure).set(self._women_percent())
        self.query_one("#f-usulan", Figure).set(str(snap.usulan))
        self.query_one("#f-diakomodir", Figure).set(str(diakomodir))
        self.query_one(RankingBoard).show(snap)
        self._write_lines()

    def _women_percent(self) -> str:
        assert self.snapshot is not None
        return format_decimal_id(self.snapshot.perempuan_persen * 100, 0)

    def _write_lines(self) -> None:
        """The text lines, fitted to the width: a zoomed-in projector gets the short forms."""
        snap = self.snapshot
        if snap is None:
            return
        wide = self.size.width >= 80
        money = format_rupiah if wide else format_rupiah_short
        result = snap.result

        women = f" (P {self._women_percent()}%)" if wide else ""
        counts = f"Hadir: {snap.hadir}{women} · Usulan: {snap.usulan}"
        self.query_one("#hitungan", Static).update(counts)
        room = self.size.width - len(counts) - 9
        title = snap.judul if len(snap.judul) <= room else snap.judul_singkat
        self.query_one("#judul", Static).update(title.upper())
        wilayah = snap.wilayah if wide else snap.wilayah_singkat
        self.query_one("#info", Static).update(
            " · ".join(part for part in (snap.tanggal, wilayah) if part)
        )

        metode = snap.metode if wide else snap.metode.split(" (")[0]
        tahap = "HASIL AKHIR" if snap.ditutup else "sementara"
        # The pagu is what the room decides against: always the exact amount.
        pagu = f"Pagu {format_rupiah(result.pagu)}" if result.pagu else "Pagu belum ditetapkan"
        line = f"Metode: {metode} · {tahap} · {pagu}"
        if len(line) > self.size.width - 2:
            line = f"{metode} · {tahap} · {pagu}"
        self.query_one("#metode", Static).update(line)

        board = self.query_one(RankingBoard)
        roomy = self.size.width >= 110
        money = format_rupiah if roomy else format_rupiah_short
        parts = []
        if wide:
            parts.append(f"Diakomodir {money(result.total_diakomodir)}")
        if result.sisa_pagu is not None:
            parts.append(f"sisa pagu {money(result.sisa_pagu)}")
        if board.pages > 1:
            tail = ", berganti tiap 10 detik" if roomy else ""
            parts.append(f"halaman {board.page + 1}/{board.pages}{tail}")
        if snap.diperbarui is not None:
            parts.append(f"diperbarui {format_clock_seconds(snap.diperbarui)}")
        self.query_one("#bawah", Static).update(" · ".join(parts))

    def _tick(self) -> None:
        self.query_one("#jam", Static).update(format_clock(self.clock()))

    def _turn_page(self) -> None:
        self.action_page(1)

    def action_page(self, step: int) -> None:
        self.query_one(RankingBoard).next_page(step)

    def on_resize(self) -> None:
        self._write_lines()

    def on_ranking_board_paged(self) -> None:
        self._write_lines()


def _problem_text(path: Path, error: Exception) -> str:
    if isinstance(error, ForumFileError):
        return error.message
    if isinstance(error, FileNotFoundError):
        return f"Berkas forum tidak ditemukan: {path}."
    if isinstance(error, OSError):
        return f"Berkas forum {path} tidak dapat dibaca: {os_reason(error)}."
    return f"Berkas forum {path} tidak dapat dibaca: isinya tidak dikenali."


# -- entry points -------------------------------------------------------------------------------
def _serve(path: Path, host: str) -> int:
    try:
        from textual_serve.server import Server
    except ImportError:
        print(
            "Mode --serve memerlukan paket tambahan textual-serve. Pasang dengan: "
            "uv sync --extra serve (atau pip install 'musrenbang[serve]').",
            file=sys.stderr,
        )
        return 2
    argv = [sys.executable, "-m", "tui.display.screen", str(path)]
    command = subprocess.list2cmdline(argv) if os.name == "nt" else shlex.join(argv)
    Server(command, host=host, port=8000, title="Musrenbang: layar proyektor").serve()
    return 0


def run_display(path: Path, *, serve: bool = False, host: str = "127.0.0.1") -> int:
    """``musrenbang display PATH [--serve]``: 0 on a normal exit, 2 if the file is unusable."""
    from tui.cli.main import EXIT_USAGE, fail  # the CLI's one escaped line

    path = Path(path)
    try:
        forum = open_forum(path, readonly=True)
    except (ForumFileError, FileNotFoundError) as error:
        return fail(_problem_text(path, error), EXIT_USAGE)
    if serve:
        forum.close()
        return _serve(path, host)
    DisplayApp(path, forum=forum).run()
    return 0


if __name__ == "__main__":  # what textual-serve runs for each browser tab
    sys.exit(run_display(Path(sys.argv[1])))
