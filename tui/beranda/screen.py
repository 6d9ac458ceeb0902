"""The home screen (``musrenbang`` without arguments): forums, a new forum, the demo, the office.

The list shows the forums in the data dir and the recently opened ones elsewhere (a flash
disk, a shared folder). Reading each file's header can take a moment with many forums, so
the list fills in from a thread worker while the screen is already usable.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, ClassVar

from rich.cells import cell_len
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Grid, Horizontal, VerticalScroll
from textual.screen import Screen
from textual.widgets import Button, DataTable, Input, ProgressBar, Select, Static

from store import paths
from store.forum import open_forum
from store.lock import read_holder
from store.office import load_office
from store.storage_errors import ForumFileError, os_reason
from store.validation import RecordInvalid
from store.validation_error import ValidationError
from tui.widgets.choice import Choice
from tui.widgets.footer import KeyFooter
from tui.widgets.form import Field, clear_errors, show_error
from tui.widgets.text_input import TextInput

STATUS_LABELS = {"draf": "DRAF", "final": "FINAL", "ditandatangani": "TTD"}
HOME_HELP = (
    "[b]Enter[/] membuka forum yang disorot · [b]ctrl+n[/] forum baru · "
    "[b]ctrl+d[/] forum demo Kecamatan Sooko · [b]ctrl+k[/] pengaturan kantor (kop surat, "
    "penandatangan, operator) · [b]ctrl+p[/] semua perintah · [b]ctrl+q[/] keluar.\n"
    "Forum yang sedang dibuka di laptop lain dibuka hanya-baca."
)


#: The home table's columns.
HOME_COLUMNS = ("Berkas", "Tingkat", "Wilayah", "Tahun", "Tanggal", "Status")


@dataclass(frozen=True)
class ForumEntry:
    """One line of the home list: a forum file and what its header says."""

    path: Path
    meta: dict[str, Any] | None
    problem: str = ""
    held_by: str = ""


def shown_path(path: Path) -> str:
    """A path relative to the data dir when inside it (shorter, and stable in snapshots)."""
    try:
        return str(path.resolve().relative_to(paths.data_dir().resolve()))
    except ValueError:
        return str(path)


def forum_files() -> list[Path]:
    """Forums in the data dir, then recently opened ones elsewhere that still exist."""
    found = sorted(paths.forum_dir().glob(f"*{paths.FORUM_SUFFIX}"))
    seen = {p.resolve() for p in found}
    for recent in load_office().get("recent", []):
        path = Path(recent)
        if path.resolve() not in seen and path.is_file():
            found.append(path)
            seen.add(path.resolve())
    return found


def read_entry(path: Path) -> ForumEntry:
    """The header of one forum (read-only, never blocks its writer)."""
    holder = read_holder(path)
    held_by = holder.describe() if holder else ""
    try:
        with open_forum(path, readonly=True) as forum:
            return ForumEntry(path, forum.meta, held_by=held_by)
    except ForumFileError as error:
        return ForumEntry(path, None, problem=error.message, held_by=held_by)
    except OSError as error:
        return ForumEntry(path, None, problem=os_reason(error), held_by=held_by)


def entry_row(entry: ForumEntry) -> tuple[str, ...]:
    meta = entry.meta
    if meta is None:
        return (entry.path.stem, "-", "-", "-", "-", "RUSAK")
    date = meta.get("tanggal") or ""
    if date:
        year, month, day = date.split("-")
        date = f"{day}-{month}-{year}"
    return (
        entry.path.stem,
        meta.get("level", "").capitalize(),
        meta.get("wilayah_nama", ""),
        str(meta.get("tahun", "")),
        date,
        STATUS_LABELS.get(meta.get("status", ""), meta.get("status", "")),
    )


class ForumTable(DataTable):
    """The forum list; Enter opens the highlighted forum."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "select_cursor", "Buka", tooltip="Buka forum yang disorot")
    ]


class HomeScreen(Screen):
    """Forums, and the way to a new one, the demo and the office settings."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+n", "baru", "Forum baru", tooltip="Buat forum baru"),
        Binding("ctrl+d", "demo", "Demo", tooltip="Buka forum demo Kecamatan Sooko"),
        Binding(
            "ctrl+k",
            "kantor",
            "Kantor",
            tooltip="Pengaturan kantor: kop surat, penandatangan, operator, kertas",
        ),
        Binding("ctrl+r", "muat", "Muat ulang", show=False, tooltip="Muat ulang daftar forum"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self._entries: list[ForumEntry] = []

    def compose(self) -> ComposeResult:
        yield Static("Musrenbang · Beranda", id="home-title")
        yield Static("", id="home-office", markup=False)
        yield ForumTable(id="home-table", cursor_type="row", zebra_stripes=True)
        yield ProgressBar(total=None, show_eta=False, id="home-progress")
        yield Static("", id="home-info", markup=False)
        yield Static(HOME_HELP, id="home-help")
        yield KeyFooter()

    def on_mount(self) -> None:
        self.query_one(ForumTable).add_columns(*HOME_COLUMNS)
        ready = getattr(self.app, "first_screen_ready", None)
        if ready is not None:
            ready()

    def on_screen_resume(self) -> None:
        """Shown first, or back from a forum or a form: the list may have changed."""
        self._show_office()
        self.action_muat()

    def _show_office(self) -> None:
        office = load_office()
        name = office.get("nama") or office["kop"].get("instansi") or "kantor belum diatur"
        operator = office.get("operator") or "-"
        self.query_one("#home-office", Static).update(
            f"{name} · operator: {operator} · kertas {office.get('kertas', 'A4')}"
        )

    # -- the list --------------------------------------------------------------------------
    def action_muat(self) -> None:
        self._load_list()

    @work(thread=True, exclusive=True, group="home-list", exit_on_error=False)
    def _load_list(self) -> None:
        entries = [read_entry(path) for path in forum_files()]
        self.app.call_from_thread(self._fill, entries)

    def _fill(self, entries: list[ForumEntry]) -> None:
        self._entries = entries
        table = self.query_one(ForumTable)
        # Columns are added again with the rows, each as wide as its widest cell: with
        # automatic widths a header drawn before the rows came kept its narrow widths now
        # and then (a race seen in the snapshots).
        rows = [entry_row(e) for e in entries]
        table.clear(columns=True)
        for index, label in enumerate(HOME_COLUMNS):
            cells = [label, *(str(row[index]) for row in rows)]
            table.add_column(label, width=max(map(cell_len, cells)))
        table.add_rows(rows)
        if entries:
            table.focus()
            self._describe(0)
        else:
            self.query_one("#home-info", Static).update(
                "Belum ada forum. ctrl+n: buat forum baru · ctrl+d: buka forum demo."
            )

    @on(DataTable.RowHighlighted, "#home-table")
    def _highlighted(self, event: DataTable.RowHighlighted) -> None:
        self._describe(event.cursor_row)

    def _describe(self, row: int) -> None:
        if not 0 <= row < len(self._entries):
            return
        entry = self._entries[row]
        lines = [shown_path(entry.path)]
        if entry.meta:
            lines[0] = f"{entry.meta.get('judul', '')} · {lines[0]}"
        if entry.held_by:
            lines.append(
                f"Tercatat sedang dibuka oleh {entry.held_by}: selama masih dibuka di sana,"
                " forum ini dibuka hanya-baca."
            )
        if entry.problem:
            lines.append(entry.problem)
        self.query_one("#home-info", Static).update("\n".join(lines))

    @on(DataTable.RowSelected, "#home-table")
    def _open_selected(self, event: DataTable.RowSelected) -> None:
        if 0 <= event.cursor_row < len(self._entries):
            self.open_path(self._entries[event.cursor_row].path)

    def open_path(self, path: Path) -> None:
        from tui.app import open_for_app

        app = self.app
        try:
            forum = open_for_app(path, operator=app.operator, clock=app.clock)
        except ForumFileError as error:
            self.notify(error.message, severity="error", timeout=10)
            return
        app.open_forum_screen(forum)

    # -- other actions ---------------------------------------------------------------------
    def action_baru(self) -> None:
        self.app.push_screen(NewForumScreen())

    def action_kantor(self) -> None:
        self.app.push_screen(OfficeScreen())

    def action_demo(self) -> None:
        from tui.cli.store_verbs import DEMO_NAME

        path = paths.forum_path(DEMO_NAME)
        if path.exists():
            self.open_path(path)
            return
        self.query_one("#home-progress").add_class("-busy")
        self.query_one("#home-info", Static).update("Membuat forum demo Kecamatan Sooko …")
        self._build_demo(path)

    @work(thread=True, exclusive=True, group="demo", exit_on_error=False)
    def _build_demo(self, path: Path) -> None:
        from store.demo import build_demo
        from store.office import resolve_operator

        try:
            build_demo(path, operator=resolve_operator(self.app.operator))
        except (OSError, ValidationError, ForumFileError) as error:
            message = getattr(error, "message", None) or str(error)
            self.app.call_from_thread(self._demo_failed, message)
            return
        self.app.call_from_thread(self._demo_ready, path)

    def _demo_failed(self, message: str) -> None:
        self.query_one("#home-progress").remove_class("-busy")
        self.notify(f"Forum demo gagal dibuat: {message}", severity="error", timeout=10)

    def _demo_ready(self, path: Path) -> None:
        self.query_one("#home-progress").remove_class("-busy")
        self.open_path(path)


LEVELS = [("Kecamatan", "kecamatan"), ("Desa", "desa")]


class NewForumScreen(Screen):
    """Create a forum: level and region from the bundled list, then the meeting details."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "buat", "Buat", priority=True, tooltip="Buat forum ini dan buka"),
        Binding("escape", "batal", "Batal", tooltip="Kembali tanpa membuat forum"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self._name_edited = False

    def compose(self) -> ComposeResult:
        from store.regions import KABUPATEN_MOJOKERTO, desa_of, kecamatan_list

        office_code = load_office().get("wilayah_kode") or "35.16.13"
        kecamatan = [(r.name, r.code) for r in kecamatan_list(KABUPATEN_MOJOKERTO)]
        kec_code = ".".join(office_code.split(".")[:3])
        if kec_code not in {code for _, code in kecamatan}:
            kec_code = "35.16.13"
        year = self.app.clock().year + 1
        yield Static("Forum baru", classes="page-title")
        with VerticalScroll(classes="page form"):
            yield Field(
                "Tingkat",
                Choice(LEVELS, value="kecamatan", allow_blank=False, id="level", compact=True),
                field="level",
            )
            yield Field(
                "Kecamatan",
                Choice(kecamatan, value=kec_code, allow_blank=False, id="kecamatan", compact=True),
                field="kecamatan",
            )
            yield Field(
                "Desa",
                Choice(
                    [(r.name, r.code) for r in desa_of(kec_code)],
                    id="desa",
                    compact=True,
                    prompt="pilih desa",
                ),
                field="wilayah",
                id="desa-field",
            )
            yield Field("Tahun", TextInput(str(year), id="tahun", compact=True), field="tahun")
            yield Field(
                "Tanggal",
                TextInput(id="tanggal", compact=True, placeholder="contoh: 26-02-2026"),
                field="tanggal",
            )
            yield Field(
                "Pukul",
                TextInput(id="pukul", compact=True, placeholder="contoh: 09.00"),
                field="pukul",
            )
            yield Field("Tempat", TextInput(id="tempat", compact=True), field="tempat")
            yield Field("Pimpinan", TextInput(id="pimpinan", compact=True), field="pimpinan")
            yield Field("Notulis", TextInput(id="notulis", compact=True), field="notulis")
            yield Field(
                "Pagu",
                TextInput(
                    id="pagu",
                    compact=True,
                    placeholder="kosong = belum ada (contoh: 2.500.000.000)",
                ),
                field="pagu",
            )
            yield Field("Nama berkas", TextInput(id="berkas", compact=True), field="berkas")
            with Horizontal(classes="buttons"):
                yield Button("Buat (ctrl+s)", id="buat", variant="primary", compact=True)
                yield Button("Batal (esc)", id="batal", compact=True)
        yield KeyFooter()

    def on_mount(self) -> None:
        self._level_changed()
        self.query_one("#level", Select).focus()

    @on(Select.Changed, "#level")
    def _level_changed(self) -> None:
        self.query_one("#desa-field").display = self._value("level") == "desa"
        self._suggest_name()

    @on(Select.Changed, "#kecamatan")
    def _kecamatan_changed(self) -> None:
        from store.regions import desa_of

        code = self._value("kecamatan")
        if code:
            self.query_one("#desa", Select).set_options((r.name, r.code) for r in desa_of(code))
        self._suggest_name()

    @on(Select.Changed, "#desa")
    @on(Input.Changed, "#tahun")
    def _suggest_name(self) -> None:
        """Offer a file name from level, region and year until the user types their own."""
        if self._name_edited:
            return
        from store.regions import region

        code = self._wilayah()
        if not code:
            return
        level = self._value("level")
        slug = region(code).name.lower().replace(" ", "-")
        name = f"musrenbang-{'kec' if level == 'kecamatan' else 'desa'}-{slug}-"
        name += self.query_one("#tahun", Input).value.strip()
        berkas = self.query_one("#berkas", Input)
        with berkas.prevent(Input.Changed):
            berkas.value = name

    @on(Input.Changed, "#berkas")
    def _name_typed(self) -> None:
        self._name_edited = True

    def _value(self, select_id: str) -> str:
        value = self.query_one(f"#{select_id}", Select).value
        return "" if value is Select.NULL else str(value)

    def _wilayah(self) -> str:
        return self._value("desa") if self._value("level") == "desa" else self._value("kecamatan")

    @on(Button.Pressed, "#buat")
    @on(Input.Submitted)
    def action_buat(self) -> None:
        """Check every field at once; a planning year off the date is asked about first."""
        from store.meta import header_errors, planning_year_question
        from tui.widgets.dialogs import ConfirmDialog

        clear_errors(self)
        values = {
            key: self.query_one(f"#{key}", Input).value.strip()
            for key in ("tahun", "tanggal", "pukul", "tempat", "pimpinan", "notulis", "pagu")
        }
        header = {key: value for key, value in values.items() if value}
        errors = header_errors(header)
        if self._value("level") == "desa" and not self._value("desa"):
            errors.append(ValidationError("wilayah", "Pilih desa untuk forum tingkat desa."))
        name = self.query_one("#berkas", Input).value.strip()
        path = paths.forum_path(name) if name else None
        if path is None:
            errors.append(ValidationError("berkas", "Nama berkas wajib diisi."))
        elif path.exists():
            errors.append(
                ValidationError("berkas", f"Berkas {shown_path(path)} sudah ada: pilih nama lain.")
            )
        if errors or path is None:
            show_error(self, RecordInvalid(errors))
            return
        question = planning_year_question(header.get("tahun", ""), header.get("tanggal"))
        if not question:
            self._create(path, header)
            return
        self.app.push_screen(
            ConfirmDialog("Tahun perencanaan", [question, "Tetap buat forum dengan tahun ini?"]),
            lambda yes: self._create(path, header) if yes else self.query_one("#tahun").focus(),
        )

    def _create(self, path: Path, header: dict[str, str]) -> None:
        from store.forum import create_forum
        from store.office import remember_forum

        app = self.app
        try:
            forum = create_forum(
                path,
                operator=app.operator,
                clock=app.clock,
                level=self._value("level"),
                wilayah=self._wilayah(),
                **header,
            )
        except ValidationError as error:
            show_error(self, error)
            return
        except (ForumFileError, OSError) as error:
            self.notify(getattr(error, "message", None) or str(error), severity="error")
            return
        forum.agenda.add_standard()
        remember_forum(path)
        app.pop_screen()
        app.open_forum_screen(forum)

    @on(Button.Pressed, "#batal")
    def action_batal(self) -> None:
        self.app.pop_screen()


OFFICE_FIELDS = (
    ("nama", "Nama kantor"),
    ("wilayah_kode", "Kode wilayah"),
    ("operator", "Operator"),
)
KOP_FIELDS = (
    ("pemerintah", "Pemerintah"),
    ("instansi", "Instansi"),
    ("alamat", "Alamat"),
    ("telepon", "Telepon"),
    ("website", "Laman"),
    ("email", "Pos-el"),
    ("logo", "Berkas logo"),
)
#: Letter numbers klasifikasi/urut/kode unit/tahun (store.agenda_book): the office's own
#: kode unit, e.g. Kecamatan Sooko 416-313, never the region code.
NUMBER_FIELDS = (
    ("klasifikasi", "Kode klasifikasi"),
    ("kode_unit", "Kode unit kantor"),
)
PAPER = [("A4 (210 x 297 mm)", "A4"), ("F4 (215 x 330 mm)", "F4")]


class OfficeScreen(Screen):
    """Office settings (kantor.json): kop surat, signatories, operator, paper."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "simpan", "Simpan", priority=True, tooltip="Simpan pengaturan kantor"),
        Binding("escape", "batal", "Kembali", tooltip="Kembali tanpa menyimpan"),
    ]

    def compose(self) -> ComposeResult:
        from store.office import ROLES

        office = load_office()
        yield Static("Pengaturan kantor", classes="page-title")
        with VerticalScroll(classes="page form"):
            for key, label in OFFICE_FIELDS:
                yield Field(
                    label, TextInput(str(office.get(key) or ""), id=key, compact=True), field=key
                )
            yield Field(
                "Kertas",
                Choice(
                    PAPER,
                    value=office.get("kertas") or "A4",
                    allow_blank=False,
                    id="kertas",
                    compact=True,
                ),
                field="kertas",
            )
            yield Static("Kop surat", classes="form-section")
            for key, label in KOP_FIELDS:
                yield Field(
                    label,
                    TextInput(str(office["kop"].get(key) or ""), id=f"kop-{key}", compact=True),
                    field=f"kop-{key}",
                )
            yield Static("Nomor surat (klasifikasi/urut/kode unit/tahun)", classes="form-section")
            numbering = office.get("agenda_setelan") or {}
            for key, label in NUMBER_FIELDS:
                yield Field(
                    label,
                    TextInput(str(numbering.get(key) or ""), id=key, compact=True),
                    field=key,
                )
            yield Static("Penandatangan", classes="form-section")
            signers = office.get("penandatangan", {})
            with Grid(id="roles"):
                for head in ("Peran", "Nama", "Pangkat/golongan", "NIP"):
                    yield Static(head, classes="role-head")
                for role, title in ROLES.items():
                    person = signers.get(role, {})
                    yield Static(title, markup=False)
                    for part in ("nama", "pangkat", "nip"):
                        yield TextInput(
                            str(person.get(part) or ""), id=f"{role}-{part}", compact=True
                        )
            with Horizontal(classes="buttons"):
                yield Button("Simpan (ctrl+s)", id="simpan", variant="primary", compact=True)
                yield Button("Kembali (esc)", id="batal", compact=True)
        yield KeyFooter()

    def on_mount(self) -> None:
        self.query_one("#nama", Input).focus()

    def _text(self, widget_id: str) -> str:
        return self.query_one(f"#{widget_id}", Input).value.strip()

    @on(Button.Pressed, "#simpan")
    def action_simpan(self) -> None:
        from store.agenda_book import number_settings
        from store.office import ROLES, save_office
        from store.regions import region
        from store.validation import parse_nip

        clear_errors(self)
        office = load_office()
        try:
            for key, _ in OFFICE_FIELDS:
                office[key] = self._text(key)
            if office["wilayah_kode"]:
                office["wilayah_kode"] = region(office["wilayah_kode"]).code
            office["kertas"] = self.query_one("#kertas", Select).value
            for key, _ in KOP_FIELDS:
                office["kop"][key] = self._text(f"kop-{key}")
            office["agenda_setelan"] = number_settings(
                **{key: self._text(key) for key, _ in NUMBER_FIELDS}
            )
            signers = office.setdefault("penandatangan", {})
            for role, title in ROLES.items():
                person = {part: self._text(f"{role}-{part}") for part in ("nama", "pangkat")}
                person["nip"] = parse_nip(
                    self._text(f"{role}-nip"), field=f"{role}-nip", label=f"NIP {title}"
                )
                if any(person.values()):
                    person["jabatan"] = signers.get(role, {}).get("jabatan") or title
                    signers[role] = person
                else:
                    signers.pop(role, None)
        except ValidationError as error:
            if error.field == "wilayah":
                error = ValidationError("wilayah_kode", error.message)
            show_error(self, error)
            return
        try:
            save_office(office)
        except OSError as error:
            self.notify(f"Pengaturan kantor gagal disimpan: {os_reason(error)}", severity="error")
            return
        self.notify("Pengaturan kantor disimpan.")
        self.app.pop_screen()

    @on(Button.Pressed, "#batal")
    def action_batal(self) -> None:
        self.app.pop_screen()
