"""Recording a signature (or the Sekcam's paraf) after the paper was signed.

The role defaults to the one that signs next in SOP order; name, NIP and pangkat are
prefilled from where the documents take them (``DocContext.signer``): the office's
signatories for the Camat and Sekcam, the forum (its chair, a participant with that title)
for a Kepala Desa or Ketua BPD, so the signature matches the name printed under it. The
name field completes from the participants who came (the wakil masyarakat is one of them),
so the usual case is one keypress. The store refuses what the SOP forbids (the Camat
before the Sekcam's paraf, a draft forum, a role twice); its message is shown beside the
field it names.
"""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.suggester import SuggestFromList
from textual.widgets import Input, Label, Select

from exports.documents.context import DocContext
from store.attendance import attended
from store.forum import Forum
from store.office import ROLES
from store.validation import ValidationError
from tui.ekspor.state import next_role
from tui.widgets.choice import Choice
from tui.widgets.dialogs import Dialog, show_message
from tui.widgets.text_input import TextInput

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
        self.printed = DocContext(forum)

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
            yield Choice(
                options,
                prompt="pilih peran",
                id="peran",
                compact=True,
                value=first if first else Select.NULL,
            )
        yield Label("", id="galat-peran", classes="galat")
        came = [p["nama"] for p in self.forum.participants.all() if attended(p)]
        for key in ("nama", "nip", "pangkat"):
            with Horizontal(classes="baris"):
                yield Label(LABELS[key])
                suggester = SuggestFromList(came, case_sensitive=False) if key == "nama" else None
                yield TextInput(id=key, compact=True, suggester=suggester)
            yield Label("", id=f"galat-{key}", classes="galat")
        yield Label(
            "Seperti tertulis di dokumen; nama dilengkapi dari daftar hadir.", classes="petunjuk"
        )

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
        role = self._role()
        person = self.printed.signer(role) if role else None
        for key in ("nama", "nip", "pangkat"):
            self.query_one(f"#{key}", Input).value = getattr(person, key, "") if person else ""

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
