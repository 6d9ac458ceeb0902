"""The walk-in form: someone not on the list arrives at the door.

Every field of a participant, validated by the store; the message of a refused field is
shown beside it. The NIK is typed blind and only its mask is shown (UU PDP).
"""

from __future__ import annotations

from typing import Any, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Button, Checkbox, Input, Select, Static

from store.forum import Forum
from store.nik import mask_nik
from store.regions import desa_of
from store.unsur import UNSUR_NAMES
from store.validation_error import ValidationError
from tui.widgets.checkbox import CheckBox
from tui.widgets.choice import Choice
from tui.widgets.drafts import FormDraft
from tui.widgets.footer import KeyFooter
from tui.widgets.form import Field, clear_errors, show_error
from tui.widgets.forum_view import save_failed
from tui.widgets.modal import HelpModal
from tui.widgets.text_input import TextInput

GENDERS = [("Laki-laki", "L"), ("Perempuan", "P")]


def desa_choices(forum: Forum) -> list[tuple[str, str]]:
    """The desa a participant can come from: the kecamatan's desa, or the desa itself."""
    meta = forum.meta
    if meta.get("level") == "kecamatan":
        return [(r.name, r.name) for r in desa_of(meta["wilayah_kode"])]
    return [(meta["wilayah_nama"], meta["wilayah_nama"])]


class WalkInScreen(FormDraft, HelpModal[int | None]):
    """Returns the new participant's id, or None when cancelled."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "simpan", "Simpan", priority=True, tooltip="Simpan peserta baru"),
        Binding("escape", "batal", "Batal", tooltip="Tutup tanpa menyimpan"),
    ]

    def __init__(self, forum: Forum, nama: str = "") -> None:
        super().__init__()
        self.forum = forum
        self._nama = nama

    def compose(self) -> ComposeResult:
        yield KeyFooter()  # this dialog's keys, not the screen's behind
        with VerticalScroll(id="dialog", classes="dialog form"):
            yield Static("Peserta baru (datang langsung)", classes="dialog-title")
            yield Field("Nama", TextInput(self._nama, id="nama", compact=True), field="nama")
            yield Field(
                "L/P",
                Choice(GENDERS, id="jenis_kelamin", compact=True, prompt="pilih"),
                field="jenis_kelamin",
            )
            yield Field(
                "Unsur",
                Choice(
                    [(u, u) for u in UNSUR_NAMES],
                    id="unsur",
                    compact=True,
                    prompt="otomatis dari lembaga/jabatan",
                ),
                field="unsur",
            )
            yield Field("Lembaga", TextInput(id="lembaga", compact=True), field="lembaga")
            yield Field(
                "Desa",
                Choice(
                    desa_choices(self.forum),
                    id="desa",
                    compact=True,
                    prompt="-",
                    value=self._own_desa() or Select.NULL,
                ),
                field="desa",
            )
            yield Field("Jabatan", TextInput(id="jabatan", compact=True), field="jabatan")
            with Horizontal(classes="checks"):
                yield CheckBox("Langsung hadir", True, id="hadir", compact=True)
                yield CheckBox("Delegasi", id="delegasi", compact=True)
                yield CheckBox("Hak suara", id="hak_suara", compact=True)
                yield CheckBox("Disabilitas", id="disabilitas", compact=True)
            yield Field(
                "Telepon", TextInput(id="telepon", compact=True, type="text"), field="telepon"
            )
            yield Field(
                "NIK",
                TextInput(
                    id="nik", compact=True, password=True, max_length=24, placeholder="boleh kosong"
                ),
                field="nik",
            )
            yield Static("", id="nik-mask", classes="hint")
            with Horizontal(classes="buttons"):
                yield Button("Simpan (ctrl+s)", id="simpan", variant="primary", compact=True)
                yield Button("Batal (esc)", id="batal", compact=True)

    def _own_desa(self) -> str | None:
        """A desa forum's own desa: where a walk-in comes from unless told otherwise."""
        meta = self.forum.meta
        return None if meta.get("level") == "kecamatan" else meta.get("wilayah_nama")

    def on_mount(self) -> None:
        self.query_one("#nama", Input).focus()
        self.start_draft("peserta:baru", "Peserta baru")

    @on(Input.Changed, "#nik")
    def _mask(self, event: Input.Changed) -> None:
        masked = mask_nik(event.value)
        self.query_one("#nik-mask", Static).update(
            f"NIK tersimpan sebagai {masked}" if masked else ""
        )

    def restore_draft(self, values: dict[str, Any]) -> None:
        """The draft never held the NIK (UU PDP): say so where it is typed."""
        super().restore_draft(values)
        self.query_one("#nik-mask", Static).update("NIK tidak disimpan di draf: ketik ulang")

    @on(Checkbox.Changed, "#delegasi")
    def _delegate_votes(self, event: Checkbox.Changed) -> None:
        """A delegate usually has the voting right; offer it, still editable."""
        self.query_one("#hak_suara", Checkbox).value = event.value

    def values(self) -> dict[str, Any]:
        fields: dict[str, Any] = {}
        for name in ("nama", "lembaga", "jabatan", "telepon", "nik"):
            fields[name] = self.query_one(f"#{name}", Input).value
        for name in ("jenis_kelamin", "unsur", "desa"):
            value = self.query_one(f"#{name}", Select).value
            fields[name] = "" if value is Select.NULL else value
        for name in ("hadir", "delegasi", "hak_suara", "disabilitas"):
            fields[name] = self.query_one(f"#{name}", Checkbox).value
        return fields

    @on(Button.Pressed, "#simpan")
    @on(Input.Submitted)
    def action_simpan(self) -> None:
        clear_errors(self)
        try:
            rec_id, warnings = self.forum.participants.add(**self.values())
        except ValidationError as error:
            show_error(self, error)
            return
        except OSError as error:
            self.notify(save_failed(error), severity="error", timeout=12)
            return
        for warning in warnings:
            self.notify(warning, severity="warning", timeout=8)
        self.dismiss(rec_id)

    @on(Button.Pressed, "#batal")
    def _batal_pressed(self) -> None:
        self.action_batal()  # asks first when something was typed
