"""The note-taker's app: the home screen, and one forum's screen with its five tabs.

The app holds no data of its own: every key calls the forum (``store``), the forum saves
durably and tells its listeners, and the widgets redraw from it. So ctrl+q can quit at once,
and a crash loses nothing that the status bar reported as "Tersimpan".
"""

from __future__ import annotations

import contextlib
import importlib
from collections.abc import Callable, Iterable
from datetime import datetime
from pathlib import Path
from typing import ClassVar

from textual import on
from textual.app import App, ComposeResult, SystemCommand
from textual.binding import Binding, BindingType
from textual.css.query import NoMatches
from textual.notifications import Notify
from textual.screen import Screen
from textual.timer import Timer
from textual.widget import Widget
from textual.widgets import Static, TabbedContent, TabPane

from store.forum import Forum, now_local, open_forum
from store.lock import ForumLocked
from store.storage_errors import ForumFileError, os_reason
from tui import startup_collector
from tui.commands import ActionCommands
from tui.widgets.bahasa import Palette, translate_bindings
from tui.widgets.drafts import DraftKeeper, offer_line
from tui.widgets.footer import KeyFooter
from tui.widgets.header import ForumHeader
from tui.widgets.statusbar import StatusBar

Clock = Callable[[], datetime]

#: How often a read-only window looks for the writer's changes.
READONLY_POLL_S = 2.0


def open_for_app(
    path: Path, *, operator: str | None, clock: Clock, readonly: bool = False
) -> Forum:
    """Open for writing; read-only when asked (``--hanya-baca``, e.g. a forum on read-only
    media) or when another process holds the forum."""
    if readonly:
        return open_forum(path, readonly=True, operator=operator, clock=clock)
    try:
        return open_forum(path, operator=operator, clock=clock)
    except ForumLocked:
        return open_forum(path, readonly=True, operator=operator, clock=clock)


def make_pane(forum: Forum, module: str, class_name: str, title: str) -> Widget:
    """A tab's widget, or a notice saying why it cannot be shown (never a traceback)."""
    try:
        pane_class = getattr(importlib.import_module(module), class_name)
        return pane_class(forum)
    except ImportError:
        return Static(f"Layar {title} belum tersedia di versi ini.", classes="notice")
    except Exception as error:  # a broken pane must not take the forum down
        return Static(f"Layar {title} gagal dimuat: {error}", classes="notice error")


TABS = (
    # (pane id, F-key, tab label, module, class)
    ("kehadiran", "f2", "Kehadiran", "tui.kehadiran.pane", "KehadiranPane"),
    ("notulen", "f3", "Notulen", "tui.notulen.pane", "NotulenPane"),
    ("usulan", "f4", "Usulan", "tui.usulan.pane", "UsulanPane"),
    ("prioritas", "f5", "Prioritas", "tui.prioritas.pane", "PrioritasPane"),
    ("ekspor", "f6", "Ekspor & TTD", "tui.ekspor.pane", "EksporPane"),
)


class BlankStart(Screen):
    """The bottom of the stack under a forum given on the command line: never seen (the forum
    covers it, and F10 puts the home screen over it), it costs start-up nothing."""


class ForumScreen(Screen):
    """One forum: header, tabs F2-F6, status bar, footer. Owns (and closes) its forum."""

    BINDINGS: ClassVar[list[BindingType]] = [
        *(
            Binding(
                key, f"tab('{pane}')", label, show=False, priority=True, tooltip=f"Buka tab {label}"
            )
            for pane, key, label, _, _ in TABS
        ),
        Binding(
            "f8",
            "salin",
            "Salin",
            show=False,  # in F1 and the palette: the footer keeps the keys of the moment
            tooltip="Salin forum dan cadangannya ke flashdisk",
        ),
        Binding("f10", "tutup", "Beranda", tooltip="Tutup forum ini, kembali ke beranda"),
        Binding(
            "f12",
            "tahun",
            "Tahun",
            show=False,
            tooltip="Tahun perencanaan: tujuh langkah SOP dan keadaan tiap desa",
        ),
        Binding(
            "alt+p",
            "persiapan",
            "Persiapan",
            show=False,  # in F1 and the palette; the tab footers are full at 80 columns
            priority=True,  # before a focused Input takes alt+p as a typed "p"
            tooltip="Persiapan forum: nomor BA, pagu, materi, narasumber, utusan",
        ),
        Binding(
            "alt+a",
            "susunan_acara",
            "Acara",
            show=False,
            priority=True,
            tooltip="Susunan acara: tambah, hapus, urutkan, atur jam rencana",
        ),
        Binding(
            "shift+f7",  # alt+b reaches Textual as ctrl+left (ESC b) in tmux and most terminals
            "impor_bundel",
            "Bundel desa",
            show=False,
            tooltip="Impor bundel desa (.zip): periksa tanda tangan, pratinjau, terapkan",
        ),
        Binding(
            "ctrl+r",
            "buka_tulis",
            "Buka tulis",
            tooltip="Buka forum ini untuk menulis (setelah pemegangnya menutup)",
        ),
    ]

    def __init__(self, forum: Forum, initial: str = "kehadiran") -> None:
        super().__init__()
        self.forum = forum
        self._initial = initial
        self._poll: Timer | None = None
        self.draft_keeper: DraftKeeper | None = None
        self._put_off: set[str] = set()  # drafts whose offer the user put off (Esc)
        self._asked_tab: str | None = None  # the pane the last F-key asked for
        self._loaded: set[str] = set()  # the tabs whose widget is built (``load_tab``)

    def compose(self) -> ComposeResult:
        # Only the first tab's widget is built (and its module imported) now; each other
        # tab stays an empty TabPane until it is first shown (``load_tab``). That keeps
        # start-up fast and the app running when a colleague's pane is missing or broken.
        self._loaded = {self._initial}
        yield ForumHeader(self.forum, id="header")
        with TabbedContent(initial=self._initial, id="tabs"):
            for pane, key, label, module, class_name in TABS:
                with TabPane(f"{key.upper()} {label}", id=pane):
                    if pane == self._initial:
                        yield make_pane(self.forum, module, class_name, label)
        yield StatusBar(self.forum, id="statusbar")
        yield KeyFooter()

    async def load_tab(self, pane: str) -> None:
        """Import and mount a tab's widget the first time it is shown (once); waits until
        it is mounted."""
        if pane in self._loaded:
            return
        self._loaded.add(pane)
        _, _, label, module, class_name = next(tab for tab in TABS if tab[0] == pane)
        await self.query_one(f"#{pane}", TabPane).mount(
            make_pane(self.forum, module, class_name, label)
        )

    def on_mount(self) -> None:
        self._ready()
        app = self.app
        if isinstance(app, MusrenbangApp):
            app.first_screen_ready()

    def _ready(self) -> None:
        """After (re)composing: focus the tab's field; a read-only view polls the writer."""
        tabs = self.query_one(TabbedContent)
        focus_pane(tabs.get_pane(tabs.active or self._initial))  # active is set a frame late
        self.call_after_refresh(self.forum.warm_up)  # indexes built once the screen is shown
        if not self.forum.readonly:
            self.draft_keeper = DraftKeeper(self, self.forum, self._draft_places)
            if self.draft_keeper.pending:
                self.call_after_refresh(self._offer_drafts)
        if self.forum.readonly:
            self._poll = self.set_interval(READONLY_POLL_S, self.poll_writer)
            holder = self.forum.holder
            who = f" Dipegang {holder.describe()}." if holder else ""
            self.notify(f"Forum dibuka hanya-baca.{who}", severity="warning", timeout=8)

    def on_unmount(self) -> None:
        if self.draft_keeper is not None:
            self.draft_keeper.stop()  # its places are gone now: it must not write "nothing"
        self.forum.close()

    # -- drafts: what is being typed, kept beside the forum file ---------------------------
    def _draft_places(self):
        """Where typing goes now: the minutes editor, and each form open over this screen."""
        yield from self.query("NotulenPane")
        stack = self.app.screen_stack
        if self in stack:
            yield from stack[stack.index(self) + 1 :]

    def save_drafts(self) -> None:
        """Write pending typing now (quit, close): the draft file is then up to date."""
        if self.draft_keeper is not None:
            self.draft_keeper.save()

    async def _offer_drafts(self) -> None:
        """Give back what was typed but not saved when the forum was last open: the minutes
        line straight into the editor, each form after asking."""
        keeper = self.draft_keeper
        if keeper is None:
            return
        if "notulen" in keeper.pending:
            self.action_tab("notulen")
            await self.load_tab("notulen")
            values = keeper.take("notulen")
            for pane in self.query("NotulenPane"):
                pane.restore_draft(values)  # type: ignore[attr-defined]
                self.notify("Ketikan notulen yang belum disimpan dipulihkan ke kolom isian.")
        self._offer_next_form()

    def _offer_next_form(self) -> None:
        from tui.widgets.draft_forms import form_for_draft
        from tui.widgets.draft_offer import DraftOfferDialog

        keeper = self.draft_keeper
        waiting = [p for p in keeper.pending if p not in self._put_off] if keeper else []
        if keeper is None or not waiting:
            return
        place = waiting[0]
        draft = keeper.pending[place]
        form = form_for_draft(self.forum, place)
        if form is None:  # a form of another version, or its record is gone
            keeper.discard(place)
            self._offer_next_form()
            return

        def restored() -> None:
            form.restore_draft(draft["nilai"])  # type: ignore[attr-defined]
            keeper.take(place)  # only now: the open form keeps it from here on

        form.draft_key = place  # type: ignore[attr-defined]  # it goes on under its own key

        def answered(answer: str | None) -> None:
            if answer == "buka":
                self.app.push_screen(form, lambda _result: self._offer_next_form())
                self.call_after_refresh(restored)
                return
            if answer == "buang":
                keeper.discard(place)
            else:  # put off: the draft stays kept and is offered at the next opening
                self._put_off.add(place)
            self._offer_next_form()

        self.app.push_screen(DraftOfferDialog(offer_line(draft)), answered)

    # -- tabs ------------------------------------------------------------------------------
    def action_tab(self, pane: str) -> None:
        self._asked_tab = pane
        try:
            tabs = self.query_one(TabbedContent)
        except NoMatches:  # a key pressed while the screen is still being built
            self.call_after_refresh(self.action_tab, pane)
            return
        if tabs.active == pane:  # the tab on screen: no TabActivated follows, focus it here
            focused = self.focused
            shown = tabs.get_pane(pane)
            if focused is None or shown not in focused.ancestors:
                focus_pane(shown)
            return
        # Drop the focus first: a focused widget in the pane being hidden would pass its
        # focus to a sibling in that same pane, which switches the tab straight back.
        self.set_focus(None)
        try:
            tabs.active = pane
        except ValueError:  # a key pressed while the tabs are still being built
            self.call_after_refresh(self.action_tab, pane)

    @on(TabbedContent.TabActivated)
    async def _shown(self, event: TabbedContent.TabActivated) -> None:
        """Load a colleague's pane on first show; put the focus where the typing goes."""
        pane = event.pane
        if pane.id is not None:
            await self.load_tab(pane.id)
        if self._asked_tab not in (None, pane.id):
            # Another tab was asked for while this one was being built (seconds at a
            # Kabupaten's scale): focusing this pane would switch back to it, and what is
            # being typed would land here.
            return
        focused = self.focused
        if focused is None or pane not in focused.ancestors:
            self.call_later(focus_pane, pane)

    # -- read-only -------------------------------------------------------------------------
    def poll_writer(self) -> None:
        """Take in what the writer saved (the forum tells every view what changed)."""
        try:
            self.forum.refresh()
        except ForumFileError as error:
            self.notify(error.message, severity="error")
            return
        self.query_one(StatusBar).show_state()
        self.refresh_bindings()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "buka_tulis":
            return self.forum.readonly
        if action in {"persiapan", "susunan_acara"}:
            return not self.forum.readonly
        if action in {"tahun", "impor_bundel"}:
            kecamatan = self.forum.meta.get("level") == "kecamatan"
            return kecamatan and (action == "tahun" or not self.forum.readonly)
        return True

    async def action_buka_tulis(self) -> None:
        """The holder has closed the forum: take it over for writing, in place."""
        app = self.app
        assert isinstance(app, MusrenbangApp)
        try:
            forum = open_forum(self.forum.path, operator=app.operator, clock=app.clock)
        except ForumLocked as error:
            self.notify(
                f"Belum dapat: forum masih dipegang {error.holder.describe()}.", severity="warning"
            )
            return
        except ForumFileError as error:
            self.notify(error.message, severity="error")
            return
        if self._poll is not None:
            self._poll.stop()
        self._initial = self.query_one(TabbedContent).active
        previous, self.forum = self.forum, app.track(forum)
        await self.recompose()  # every view now listens to the writable forum
        previous.close()
        self._ready()
        self.notify("Forum kini dibuka untuk menulis.")

    # -- other actions ---------------------------------------------------------------------
    def action_salin(self) -> None:
        from tui.widgets.salin import CopyScreen

        self.app.push_screen(CopyScreen(self.forum.path))

    def action_tutup(self) -> None:
        """F10: drafts written, the forum released *before* the home screen redraws, so it
        does not list the forum as held by this very app."""
        self.save_drafts()
        if self.draft_keeper is not None:
            self.draft_keeper.stop()
        if self._poll is not None:
            self._poll.stop()
        self.forum.close()
        app = self.app
        app.pop_screen()
        if isinstance(app.screen, BlankStart):  # the forum given on the command line
            from tui.beranda.screen import HomeScreen

            app.push_screen(HomeScreen())

    def action_tahun(self) -> None:
        from tui.tahun.screen import PlanningYearScreen

        meta = self.forum.meta
        self.app.push_screen(
            PlanningYearScreen(meta["wilayah_kode"], meta["tahun"], forum=self.forum)
        )

    def action_persiapan(self) -> None:
        from tui.persiapan.screen import PersiapanScreen

        self.app.push_screen(PersiapanScreen(self.forum))

    def action_susunan_acara(self) -> None:
        from tui.persiapan.agenda import AgendaScreen

        self.app.push_screen(AgendaScreen(self.forum))

    def action_impor_bundel(self) -> None:
        from tui.widgets.dialogs import ReasonDialog

        def chosen(path: str | None) -> None:
            if path:
                from tui.intake.screen import IntakeScreen

                self.app.push_screen(IntakeScreen(self.forum, Path(path).expanduser()))

        self.app.push_screen(
            ReasonDialog(
                "Impor bundel desa",
                "Lokasi berkas bundel desa (.zip) dari flashdisk atau folder:",
                placeholder="mis. E:\\bundel-japan.zip",
            ),
            chosen,
        )


def focus_pane(pane: Widget) -> None:
    """Focus what a tab is for: the first ``focus_default()`` inside it, else its first field."""
    widgets = list(pane.query("*"))
    for widget in widgets:
        focus_default = getattr(widget, "focus_default", None)
        if callable(focus_default):
            with contextlib.suppress(NoMatches):  # a pane still composing: no focus yet
                focus_default()
            return
    for widget in widgets:
        if widget.focusable:
            widget.focus()
            return


class MusrenbangApp(App[None]):
    """``MusrenbangApp(path)`` opens a forum; ``MusrenbangApp()`` starts at the home screen."""

    CSS_PATH = "app.tcss"
    TITLE = "Musrenbang"
    COMMANDS: ClassVar = App.COMMANDS | {ActionCommands}
    HORIZONTAL_BREAKPOINTS: ClassVar = [(0, "-narrow"), (110, "-wide")]
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "ctrl+q",
            "quit",
            "Keluar",
            priority=True,
            show=False,  # F1 and the palette; the footer keeps the keys of the moment
            tooltip="Keluar dari aplikasi (yang sedang diketik disimpan sebagai draf)",
        ),
        Binding(
            "ctrl+p",
            "command_palette",
            "Perintah",
            priority=True,
            show=False,
            tooltip="Buka daftar perintah",
        ),
        Binding("f1", "bantuan", "Bantuan", tooltip="Daftar tombol pintas layar ini"),
        Binding("ctrl+c", "help_quit", show=False, system=True),
    ]

    def __init__(
        self,
        path: Path | str | None = None,
        *,
        clock: Clock | None = None,
        operator: str | None = None,
        exit_when_ready: bool = False,
        readonly: bool = False,
    ) -> None:
        translate_bindings()
        super().__init__()
        self.clock: Clock = clock or now_local
        self.operator = operator
        self.exit_when_ready = exit_when_ready
        self._started = False
        self._forums: list[Forum] = []
        self.first_forum = (
            self.track(
                open_for_app(Path(path), operator=operator, clock=self.clock, readonly=readonly)
            )
            if path
            else None
        )

    def first_screen_ready(self) -> None:
        """The first screen (a forum's, or the home screen) is mounted and takes keys: the
        collector paused for start-up resumes; ``--exit-when-ready`` (the start-up
        benchmark) quits here. Later screens call it too; it acts once."""
        if self._started:
            return
        self._started = True
        startup_collector.resume()
        if self.exit_when_ready:
            self.exit()

    def track(self, forum: Forum) -> Forum:
        """Remember an open forum so ``close_forums`` releases it whatever happens."""
        self._forums.append(forum)
        return forum

    def close_forums(self) -> None:
        """Close every forum this app opened (idempotent; after ``run`` returns)."""
        for forum in self._forums:
            forum.close()

    def _on_notify(self, event: Notify) -> None:
        """The same message again replaces the one on screen instead of stacking under it
        (six presses of a refused key show one toast, its time starting again); Textual's
        own handler, next in the class order, then shows the new one."""
        new = event.notification
        for shown in list(self._notifications):
            if (shown.message, shown.title, shown.severity) == (
                new.message,
                new.title,
                new.severity,
            ):
                self._unnotify(shown, refresh=False)

    def get_default_screen(self) -> Screen:
        """The home screen; under a forum given on the command line, a blank screen instead:
        the home screen is built when F10 goes there (``ForumScreen.action_tutup``), so
        start-up neither builds it nor reads every listed forum (the one just opened
        included) behind the forum."""
        if self.first_forum is not None:
            return BlankStart()
        from tui.beranda.screen import HomeScreen

        return HomeScreen()

    def on_mount(self) -> None:
        if self.first_forum is not None:
            self.push_screen(ForumScreen(self.first_forum))

    @property
    def forum(self) -> Forum | None:
        """The forum on screen (None on the home screen)."""
        for screen in reversed(self.screen_stack):
            if isinstance(screen, ForumScreen):
                return screen.forum
        return None

    def open_forum_screen(self, forum: Forum) -> None:
        """Show a forum opened from the home screen (closing it returns there)."""
        from store.office import remember_forum

        remember_forum(forum.path)
        self.push_screen(ForumScreen(self.track(forum)))

    # -- Textual's own commands, in Indonesian ---------------------------------------------
    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        yield SystemCommand("Tema", "Ganti tema warna aplikasi", self.action_change_theme)
        yield SystemCommand(
            "Keluar",
            "Tutup aplikasi sekarang (yang sedang diketik disimpan sebagai draf)",
            self.action_quit,
        )
        yield SystemCommand("Tombol", "Daftar tombol pintas layar ini", self.action_bantuan)
        if screen.maximized is not None:
            yield SystemCommand("Kecilkan", "Kembalikan ukuran bagian ini", screen.action_minimize)
        elif screen.focused is not None and screen.focused.allow_maximize:
            yield SystemCommand("Perbesar", "Perbesar bagian yang aktif", screen.action_maximize)
        yield SystemCommand(
            "Tangkapan layar",
            "Simpan gambar layar ini ke folder data",
            self.action_tangkap_layar,
        )

    def action_command_palette(self) -> None:
        if self.use_command_palette and not Palette.is_open(self):
            self.push_screen(Palette(placeholder="Cari perintah…", id="--command-palette"))

    def action_change_theme(self) -> None:
        from tui.widgets.tema import ThemeCommands

        self.push_screen(Palette(providers=[ThemeCommands], placeholder="Cari tema…"))

    def action_bantuan(self) -> None:
        from tui.widgets.bantuan import KeysScreen

        if not isinstance(self.screen, KeysScreen):
            self.push_screen(KeysScreen(self.screen))

    def action_tangkap_layar(self) -> None:
        from store.paths import data_dir

        folder = data_dir() / "tangkapan-layar"
        folder.mkdir(exist_ok=True)
        name = f"layar-{self.clock():%Y%m%d-%H%M%S}.svg"
        try:
            saved = self.save_screenshot(filename=name, path=str(folder))
        except OSError as error:
            self.notify(f"Tangkapan layar gagal disimpan: {os_reason(error)}", severity="error")
            return
        self.notify(f"Tangkapan layar disimpan: {saved}")

    async def action_quit(self) -> None:
        """ctrl+q: what is being typed is written as a draft first, so nothing is lost."""
        for screen in self.screen_stack:
            if isinstance(screen, ForumScreen):
                screen.save_drafts()
        self.exit()

    def action_help_quit(self) -> None:
        self.notify(
            "Tekan ctrl+q untuk keluar (yang sedang diketik disimpan sebagai draf).",
            title="Keluar?",
        )
