"""Recording a signature (or the Sekcam's paraf) after the paper was signed.

The role defaults to the one that signs next in SOP order; name, NIP and pangkat are
prefilled from the office's signatories (kantor.json) for that role, so the usual case is
one keypress. The store refuses what the SOP forbids (the Camat before the Sekcam's paraf,
a draft forum, a role twice); its message is shown beside the field it names.
"""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.widgets import Input, Label, Select

from store.forum import Forum
from store.office import ROLES, office_for
from store.validation import ValidationError
from tui.ekspor.state import next_role
from tui.widgets.dialogs import Dialog, show_message

FIELDS = ("peran", "nama", "nip", "pangkat")
LABELS = {"peran": "Peran", "nama": "Nama", "nip": "NIP", "pangkat": "Pangkat/golongan"}


class EksporSign(Dialog[str]):
    """Dismisses with the forum's new status once the signature is recorded."""

    DEFAULT_CSS = """
    EksporSign .baris { height: auto; }
    EksporSign .baris > Label { width: 18; }
    EksporSign .baris > Input, EksporSign .baris > Select { width: 1fr; }
    EksporSign .galat { margin-left: 18; }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "simpan", "Simpan"),
        Binding("escape", "batal", "Batal"),
    ]

    def __init__(self, forum: Forum) -> None:
        super().__init__("Catat tanda tangan / paraf")
        self.forum = forum
        self.signatories = office_for(forum.meta).get("penandatangan", {})

    def body(self) -> ComposeResult:
        signed = {s["peran"] for s in self.forum.signoff.signatures()}
        required = self.forum.signoff.required_roles()
        options = [
            (f"{ROLES.get(r, r)}{' (wajib)' if r in required else ''}", r)
            for r in self.forum.signoff.allowed_roles()
            if r not in signed
        ]
        first = next_role(self.forum)
        with Horizontal(classes="baris"):
            yield Label(LABELS["peran"])
            yield Select(
                options,
                prompt="pilih peran",
                id="peran",
                compact=True,
                value=first if first else Select.NULL,
            )
        yield Label("", id="galat-peran", classes="galat")
        for key in ("nama", "nip", "pangkat"):
            with Horizontal(classes="baris"):
                yield Label(LABELS[key])
                yield Input(id=key, compact=True)
            yield Label("", id=f"galat-{key}", classes="galat")
        yield Label("Diisi dari pengaturan kantor; ubah bila orangnya lain.", classes="petunjuk")

    def on_mount(self) -> None:
        self._prefill()
        self.query_one("#peran", Select).focus()

    def on_select_changed(self, event: Select.Changed) -> None:
        event.stop()
        self._prefill()

    def _role(self) -> str:
        value = self.query_one("#peran", Select).value
        return value if isinstance(value, str) else ""

    def _prefill(self) -> None:
        person = self.signatories.get(self._role(), {})
        for key in ("nama", "nip", "pangkat"):
            self.query_one(f"#{key}", Input).value = person.get(key, "")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_simpan()

    def action_simpan(self) -> None:
        for key in FIELDS:
            show_message(self.query_one(f"#galat-{key}", Label), "")
        role = self._role()
        if not role:
            show_message(self.query_one("#galat-peran", Label), "Pilih peran yang menandatangani.")
            return
        values = {key: self.query_one(f"#{key}", Input).value for key in ("nama", "nip", "pangkat")}
        try:
            status = self.forum.signoff.sign(role, values["nama"], values["nip"], values["pangkat"])
        except ValidationError as error:
            target = error.field if error.field in FIELDS else "peran"
            show_message(self.query_one(f"#galat-{target}", Label), error.message)
            self.query_one(f"#{target}").focus()
            return
        self.dismiss(status)
