"""The document header fields a Berita Acara needs, editable where the documents are made.

``finalize`` refuses a forum without date, time, place or chair; this dialog is where the
note-taker fills them in (and the letter number from the agenda book). On a final forum the
same dialog is the amendment: saving asks the reason first (``apply_change``).
"""

from __future__ import annotations

from datetime import date
from typing import Any, ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Input, Label

from store.forum import Forum
from store.validation import ValidationError
from tui.ekspor.amend import apply_change
from tui.widgets.dialogs import Dialog, show_message
from tui.widgets.text_input import TextInput

FIELDS: dict[str, tuple[str, str]] = {
    "nomor_surat": ("Nomor BA", "mis. 050/12/416-313/2026"),
    "tanggal": ("Tanggal", "hh-bb-tttt, mis. 12-02-2026"),
    "pukul": ("Pukul", "mis. 09.00"),
    "tempat": ("Tempat", "mis. Pendopo Kecamatan"),
    "pimpinan": ("Pimpinan rapat", "nama"),
    "pimpinan_jabatan": ("Jabatan pimpinan", "mis. Camat Sooko"),
    "notulis": ("Notulis", "nama"),
    "notulis_jabatan": ("Jabatan notulis", ""),
}


def shown_value(key: str, value: Any) -> str:
    """A stored header value as typed: dates as 12-02-2026, times as 09.00."""
    if not value:
        return ""
    if key == "tanggal":
        day = date.fromisoformat(value)
        return f"{day.day:02d}-{day.month:02d}-{day.year}"
    if key == "pukul":
        return str(value).replace(":", ".")
    return str(value)


class EksporHeader(Dialog[dict[str, Any]]):
    """Dismisses with the changed fields once saved (empty dict: nothing changed)."""

    DEFAULT_CSS = """
    EksporHeader VerticalScroll { height: auto; max-height: 20; }
    EksporHeader .baris { height: auto; }
    EksporHeader .baris > Label { width: 18; }
    EksporHeader .baris > Input { width: 1fr; }
    EksporHeader .galat { margin-left: 18; }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "simpan", "Simpan"),
        Binding("escape", "batal", "Batal"),
    ]

    def __init__(self, forum: Forum) -> None:
        title = "Kepala dokumen" if forum.status == "draf" else "Amandemen kepala dokumen"
        super().__init__(title)
        self.forum = forum
        self.initial = {key: shown_value(key, forum.meta.get(key)) for key in FIELDS}

    def body(self) -> ComposeResult:
        with VerticalScroll():
            for key, (label, hint) in FIELDS.items():
                with Horizontal(classes="baris"):
                    yield Label(label)
                    yield TextInput(self.initial[key], placeholder=hint, id=key, compact=True)
                yield Label("", id=f"galat-{key}", classes="galat")
        yield Label("Enter: kolom berikut   ctrl+s: simpan   Esc: batal", classes="petunjuk")

    def on_mount(self) -> None:
        missing = [k for k in ("tanggal", "pukul", "tempat", "pimpinan") if not self.initial[k]]
        self.query_one(f"#{missing[0] if missing else 'nomor_surat'}", Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.focus_next()

    def action_simpan(self) -> None:
        for key in FIELDS:
            show_message(self.query_one(f"#galat-{key}", Label), "")
        changes = {
            key: value
            for key in FIELDS
            if (value := self.query_one(f"#{key}", Input).value.strip()) != self.initial[key]
        }
        if not changes:
            self.dismiss({})
            return
        apply_change(
            self.app,
            self.forum,
            lambda: self.forum.update_meta(**changes),
            on_done=self.dismiss,
            on_error=self._refused,
            what="kepala dokumen",
        )

    def _refused(self, error: ValidationError) -> None:
        target = error.field if error.field in FIELDS else "nomor_surat"
        show_message(self.query_one(f"#galat-{target}", Label), error.message)
        self.query_one(f"#{target}", Input).focus()
