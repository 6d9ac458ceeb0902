"""A walk through every screen and dialog of the app, each reached by the keys a user presses.

Each ``Stop`` starts the app (on the demo forum, or at the home screen), presses its keys and
ends on one screen class. The 80x24 tests walk them all: the footer shows whole keys with
F1 in view, no text that matters is cut, no English is shown; the snapshot test takes an
SVG of every dialog. ``dialog_classes()`` lists every dialog the app defines, so a new
dialog without a stop (or a snapshot elsewhere) fails a test.
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rich.cells import cell_len
from textual.screen import ModalScreen, Screen
from textual.widgets import DataTable, Input, Static
from textual.widgets._footer import FooterKey

import tui
from tui.widgets.footer import KeyFooter

#: Bases that are never shown themselves.
ABSTRACT = {"Dialog", "HelpModal"}
#: Lines that end in an ellipsis on purpose: a title or a file name with the whole text
#: elsewhere (the forum's header title, its file name beside the save state).
ELLIPSIS_ON_PURPOSE = {"hd-title", "sb-forum"}


@dataclass
class Context:
    """What a stop may use: the demo forum's path, a scratch folder, pytest's monkeypatch."""

    forum_path: Path
    scratch: Path
    monkeypatch: Any
    extra: dict[str, Any] = field(default_factory=dict)


Step = Callable[[Any, Context], Awaitable[None]]


@dataclass(frozen=True)
class Stop:
    """``keys`` pressed one by one from the start; then ``then`` (fills fields, pushes)."""

    name: str
    shows: str
    keys: tuple[str, ...] = ()
    home: bool = False
    before: Callable[[Context], None] | None = None  # before the app starts
    then: Step | None = None


async def _settle(pilot) -> None:
    """Workers done, cursors still, and the export folder (a per-test temporary path)
    named the same in every run."""
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    for screen in pilot.app.screen_stack:
        for folder in screen.query("#ekspor-folder"):
            folder.value = "demo-sooko-2027-dokumen"
    for one in pilot.app.screen.query(Input):
        one.cursor_blink = False
    await pilot.pause()


def _fill(**values: str) -> Step:
    async def fill(pilot, ctx: Context) -> None:
        for field_id, value in values.items():
            pilot.app.screen.query_one(f"#{field_id}", Input).value = value
        await pilot.pause()

    return fill


#: The tab each F-key shows, and the pane class it builds there (lazily, on first show).
TAB_PANES = {
    "f2": "KehadiranPane",
    "f3": "NotulenPane",
    "f4": "UsulanPane",
    "f5": "PrioritasPane",
    "f6": "EksporPane",
}


async def _keys(pilot, *keys: str) -> None:
    """Press ``keys``; after an F-key, until its tab (built late on a busy machine) has the
    focus, pressed again if it was lost; after a key that shows another screen, until that
    screen takes keys."""
    from tests.pilot_waits import open_tab, press

    for key in keys:
        pane = TAB_PANES.get(key)
        if pane is not None and type(pilot.app.screen).__name__ == "ForumScreen":
            await open_tab(pilot, key, pane)
        else:
            await press(pilot, key)
        await pilot.pause()


def _voting_by_ballot(ctx: Context) -> None:
    from store.forum import open_forum

    with open_forum(ctx.forum_path) as forum:
        forum.update_meta(metode_prioritas="surat_suara")


def _draft_kept(ctx: Context) -> None:
    from store.drafts import save_drafts

    values = {"f-kegiatan": "Rehabilitasi saluran irigasi tersier Dusun Kulon"}
    save_drafts(ctx.forum_path, {"usulan:baru": {"judul": "Tambah usulan", "nilai": values}})


def _final(ctx: Context) -> None:
    from store.forum import open_forum
    from tests.forum_factory import make_ready

    with open_forum(ctx.forum_path) as forum:
        make_ready(forum).signoff.finalize()


def _bundle(ctx: Context) -> None:
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    from exports import keys
    from tests.sop_helpers import signed_bundle, use_office

    home = ctx.forum_path.parent.parent  # the test's data dir: ``<home>/forum/<demo>``
    use_office(ctx.monkeypatch, ctx.scratch, "desa-Gemekan-2027")  # the desa's own office,
    fixed = Ed25519PrivateKey.from_private_bytes(bytes(range(32)))  # with the same key in
    keys.install_key_pair(keys.private_pem(fixed, None), fixed.public_key())  # every run
    ctx.extra["bundle"] = signed_bundle(ctx.monkeypatch, ctx.scratch, "Gemekan")
    ctx.monkeypatch.setenv("MUSRENBANG_HOME", str(home))


async def _intake(pilot, ctx: Context) -> None:
    from tui.intake.screen import IntakeScreen

    forum = pilot.app.screen.forum
    await pilot.app.push_screen(IntakeScreen(forum, ctx.extra["bundle"]))


async def _export_refused(pilot, ctx: Context) -> None:
    ctx.monkeypatch.chdir(ctx.scratch)  # a relative folder: the same text in every run
    Path("bukan-folder").write_text("sebuah berkas, bukan folder")
    pilot.app.screen.query_one("#ekspor-folder", Input).value = "bukan-folder/dokumen"
    await _keys(pilot, "f9")


async def _doubtful_cost(pilot, ctx: Context) -> None:
    """A paving proposal costed "Rp310": saving asks whether Rp310.000.000 was meant."""
    from textual.widgets import Select

    form = pilot.app.screen
    form.query_one("#f-desa", Select).value = "Japan"
    await _fill(**{"f-kegiatan": "Paving jalan Dusun Kulon", "f-biaya": "Rp310"})(pilot, ctx)
    form.query_one(".dana Select", Select).value = "DD"
    await _keys(pilot, "ctrl+s")


async def _column_choice(pilot, ctx: Context) -> None:
    import shutil

    source = Path(__file__).parent / "data" / "import" / "usulan-baris-jumlah.xlsx"
    target = ctx.scratch / "usulan-desa.xlsx"
    shutil.copyfile(source, target)
    field = pilot.app.screen.query_one("#berkas", Input)
    field.value = str(target)
    field.focus()
    await _keys(pilot, "enter")
    await pilot.app.workers.wait_for_complete()
    await _keys(pilot, "ctrl+k")


STOPS: tuple[Stop, ...] = (
    # -- screens ---------------------------------------------------------------------------
    Stop("beranda", "HomeScreen", home=True),
    Stop("forum-baru", "NewForumScreen", ("ctrl+n",), home=True),
    Stop("kantor", "OfficeScreen", ("ctrl+k",), home=True),
    Stop("kehadiran", "ForumScreen"),
    Stop("notulen", "ForumScreen", ("f3",)),
    Stop("usulan", "ForumScreen", ("f4",)),
    Stop("prioritas", "ForumScreen", ("f5",)),
    Stop("prioritas-hasil", "ForumScreen", ("f5", "ctrl+g")),
    Stop("ekspor", "ForumScreen", ("f6",)),
    Stop("ekspor-final", "ForumScreen", ("f6",), before=_final),
    Stop("persiapan", "PersiapanScreen", ("alt+p",)),
    Stop("susunan-acara", "AgendaScreen", ("alt+a",)),
    Stop("tahun", "PlanningYearScreen", ("f12",)),
    # -- dialogs ---------------------------------------------------------------------------
    Stop("peserta-baru", "WalkInScreen", ("ctrl+n",)),
    Stop("salin", "CopyScreen", ("f8",)),
    Stop("bundel-lokasi", "ReasonDialog", ("shift+f7",)),
    Stop("bundel", "IntakeScreen", before=_bundle, then=_intake),
    Stop("tombol", "KeysScreen", ("f6", "f1")),
    Stop("tombol-dialog", "KeysScreen", ("f4", "ctrl+a", "f1")),
    Stop("perintah", "Palette", ("ctrl+p",), then=lambda pilot, ctx: _palette_search(pilot)),
    Stop("pembicara", "SpeakerScreen", ("f3", "ctrl+s")),
    Stop("hapus-notulen", "ConfirmDialog", ("f3", "up", "ctrl+d")),
    Stop("usulan-baru", "UsulanForm", ("f4", "ctrl+a")),
    Stop(
        "buang-isian",
        "DiscardDialog",
        ("f4", "ctrl+a"),
        then=lambda pilot, ctx: _then_escape(pilot, {"f-kegiatan": "Rehab jembatan gantung"}),
    ),
    Stop("biaya-ragu", "AmountDialog", ("f4", "ctrl+a"), then=_doubtful_cost),
    Stop("usulan-saring", "UsulanFilter", ("f4", "ctrl+f")),
    Stop("usulan-status", "UsulanStatus", ("f4", "ctrl+t")),
    Stop("usulan-impor", "UsulanImport", ("f4", "f9")),
    Stop("usulan-kolom", "ColumnChoice", ("f4", "f9"), then=_column_choice),
    Stop("kriteria", "PengaturanDialog", ("f5", "ctrl+k")),
    Stop("surat-suara", "SuratSuaraDialog", ("f5", "ctrl+l"), before=_voting_by_ballot),
    Stop("kepala-dokumen", "EksporHeader", ("f6", "ctrl+n")),
    Stop("finalkan", "ReadinessDialog", ("f6", "ctrl+l")),
    Stop("ekspor-gagal", "EksporRun", ("f6",), then=_export_refused),
    Stop("tanda-tangan", "EksporSign", ("f6", "ctrl+t"), before=_final),
    Stop("acara-baru", "AgendaItemDialog", ("alt+a", "ctrl+t")),
    Stop("draf-ditawarkan", "DraftOfferDialog", before=_draft_kept),
)


async def _palette_search(pilot) -> None:
    """Search the palette (its commands arrive one by one: a search settles the list)."""
    from textual.command import CommandList

    from tests.pilot_waits import wait_until

    await _keys(pilot, *"buka tab")
    count = -1
    for _ in range(40):  # until the list stops growing
        await pilot.pause(0.05)
        now = pilot.app.screen.query_one(CommandList).option_count
        if now == count and now:
            break
        count = now
    await wait_until(pilot, lambda: pilot.app.screen.query_one(CommandList).option_count == 5)


async def _then_escape(pilot, values: dict[str, str]) -> None:
    await _fill(**values)(pilot, None)
    await _keys(pilot, "escape")


def make_app(stop: Stop, ctx: Context, clock):
    """The app a stop starts from (after its ``before``)."""
    from tui.app import MusrenbangApp

    if stop.before is not None:
        stop.before(ctx)
    return MusrenbangApp(None if stop.home else ctx.forum_path, clock=clock)


def walker(stop: Stop, ctx: Context) -> Callable[[Any], Awaitable[None]]:
    """``run_before`` for a snapshot (or a Pilot test): go from the start to the stop."""

    async def walk(pilot) -> None:
        from tests.pilot_waits import wait_for_forum, wait_for_screen

        if stop.before is _draft_kept:  # the forum opens with the offer over it
            await wait_for_screen(pilot, stop.shows)
        elif not stop.home:
            await wait_for_forum(pilot)
        await _settle(pilot)
        await _keys(pilot, *stop.keys)
        if stop.then is not None:
            await stop.then(pilot, ctx)
        await _settle(pilot)

    return walk


# -- what the 80x24 tests check -----------------------------------------------------------------
def dialog_classes() -> set[str]:
    """Every dialog (modal screen) class the app defines, by name."""
    found: set[str] = set()
    for module in pkgutil.walk_packages(tui.__path__, "tui."):
        if module.name.startswith("tui.cli"):
            continue
        loaded = importlib.import_module(module.name)
        for name, obj in vars(loaded).items():
            if (
                inspect.isclass(obj)
                and issubclass(obj, ModalScreen)
                and obj.__module__ == module.name
                and name not in ABSTRACT
            ):
                found.add(name)
    return found


def footer_problems(screen: Screen) -> list[str]:
    """What is wrong with the footer: a key cut or off the screen, keys overlapping, F1
    not in view. Empty when all is well (or the screen has no footer)."""
    footers = screen.query(KeyFooter)
    if not footers:
        return []
    width = screen.size.width
    problems = []
    regions = []
    f1_seen = False
    for key in footers.first().query(FooterKey):
        label = key.render().plain
        region = key.region
        if region.width < cell_len(label.rstrip()) or region.right > width or region.x < 0:
            problems.append(f"terpotong: {label!r} di {region}")
        if any(region.overlaps(other) for other in regions):
            problems.append(f"bertumpuk: {label!r}")
        regions.append(region)
        if key.key == "f1" and region.right <= width:
            f1_seen = True
    if not f1_seen:
        problems.append("f1 tidak terlihat")
    return problems


def cut_texts(screen: Screen) -> list[str]:
    """Texts on ``screen`` shown only in part: a line longer than its widget (no wrapping),
    or wrapped lines more than its height. Lists and tables scroll, so they are left out."""
    cut = []
    for widget in screen.query(Static):
        if not widget.display or widget.region.area == 0 or widget.id in ELLIPSIS_ON_PURPOSE:
            continue
        if any(isinstance(a, (DataTable, KeyFooter)) for a in widget.ancestors):
            continue
        rendered = widget.render()
        plain = getattr(rendered, "plain", None)
        if not isinstance(plain, str) or not plain.strip():
            continue
        width, height = widget.content_region.width, widget.content_region.height
        box = widget.parent.content_region if widget.parent is not screen else screen.region
        if widget.region.right > box.right or widget.region.x < box.x:  # runs past its box
            cut.append(f"#{widget.id or type(widget).__name__} melewati {box}: {plain!r}")
            continue
        if widget.styles.text_wrap == "nowrap":
            if any(cell_len(line) > width for line in plain.splitlines()):
                cut.append(f"#{widget.id or type(widget).__name__}: {plain!r}")
            continue
        needed = widget.get_content_height(widget.parent.size, screen.size, width)
        if needed > height:
            cut.append(f"#{widget.id or type(widget).__name__} ({needed}>{height}): {plain!r}")
    return cut + cut_cells(screen) + cut_placeholders(screen)


def cut_cells(screen: Screen) -> list[str]:
    """Table cells longer than their fixed-width column and not cut with "…" on purpose
    (``batas p``, ``sisa Rp340.000.0``, an acara name cut mid-word)."""
    cut = []
    for table in screen.query(DataTable):
        if not table.display or table.region.area == 0:
            continue
        columns = list(table.ordered_columns)
        for row_index in range(table.row_count):
            for column, cell in zip(columns, table.get_row_at(row_index), strict=False):
                if column.auto_width or getattr(cell, "overflow", None) == "ellipsis":
                    continue  # sized to its text, or drawn with "…" when cut
                plain = getattr(cell, "plain", None)
                text = plain if isinstance(plain, str) else str(cell)
                line = max(text.splitlines() or [""], key=cell_len)
                if cell_len(line) > column.width and not line.endswith("…"):
                    cut.append(f"#{table.id} {column.label.plain}: {line!r}")
    return cut


def cut_placeholders(screen: Screen) -> list[str]:
    """Empty fields whose hint (placeholder) is wider than the field ("jumlah (kosong:
    seluruh")."""
    cut = []
    for field_ in screen.query(Input):
        if not field_.display or field_.region.area == 0 or field_.value:
            continue
        if cell_len(field_.placeholder) > field_.content_region.width:
            cut.append(f"#{field_.id or 'Input'} petunjuk: {field_.placeholder!r}")
    return cut


#: Words a user must not see (English, or jargon with an Indonesian word in the app).
ENGLISH_WORDS = (
    "skoring",
    "voting",
    "draft",
    "export",
    "import",
    "backup",
    "file",
    "error",
    "ok",
    "cancel",
    "save",
    "delete",
    "loading",
    "dismiss",
    "no matches",
    "search",
    "theme",
    "true",
    "false",
    "none",
    "not",
    "directory",
    "permission",
    "denied",
    "the",
)


def screen_words(screen: Screen) -> set[str]:
    """The lower-case words of every text shown on ``screen`` (static texts, field
    placeholders, table cells, footer labels)."""
    import re

    texts: list[str] = []
    for widget in screen.query(Static):
        if widget.display:
            plain = getattr(widget.render(), "plain", None)
            if isinstance(plain, str):
                texts.append(plain)
    for field_ in screen.query(Input):
        texts.append(str(field_.placeholder))
    for table in screen.query(DataTable):
        texts += [str(c.label) for c in table.columns.values()]
        for row in range(min(table.row_count, 30)):
            texts += [str(cell) for cell in table.get_row_at(row)]
    for key in screen.query(FooterKey):
        texts.append(key.render().plain)
    return {word for text in texts for word in re.findall(r"[a-z]+", text.lower())}
