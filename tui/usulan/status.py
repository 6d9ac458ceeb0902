"""Deciding one proposal: diusulkan / diakomodir / cadangan / tidak diakomodir.

Cadangan and tidak diakomodir need a reason (it is printed in the Berita Acara): the
dialog says so beside the reason field and saves nothing until one is given. The common
reasons seen in real BAs are offered as completions; any text is allowed.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.suggester import SuggestFromList
from textual.widgets import Input, Label, RadioButton, RadioSet, Static

from store.forum import Forum
from store.sectors import COMMON_REJECTION_REASONS, PROPOSAL_STATUSES, needs_reason
from store.validation import ValidationError
from tui.ekspor.amend import apply_change
from tui.widgets.dialogs import Dialog, show_message
from tui.widgets.text_input import TextInput


class UsulanStatus(Dialog[str]):
    """Pick a status (arrows) and a reason; ctrl+s saves; dismisses with the new status."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "simpan", "Simpan"),
        Binding("escape", "batal", "Batal"),
    ]

    def __init__(self, forum: Forum, record: Mapping[str, Any]) -> None:
        super().__init__(f"Status usulan #{record.get('urutan', record['id'])}")
        self.forum = forum
        self.record = record

    def body(self) -> ComposeResult:
        rec = self.record
        yield Static(f"{rec['kegiatan']} ({rec.get('desa') or '-'})", markup=False)
        with RadioSet(id="status"):
            for status in PROPOSAL_STATUSES:
                yield RadioButton(status, value=status == rec.get("status"), name=status)
        yield Label("Alasan (wajib untuk cadangan dan tidak diakomodir):")
        yield TextInput(
            rec.get("alasan") or "",
            placeholder="mis. Melebihi pagu indikatif",
            id="alasan",
            suggester=SuggestFromList(COMMON_REJECTION_REASONS, case_sensitive=False),
        )
        yield Label("", id="galat-alasan", classes="galat")
        yield Label("panah: pilih status   ctrl+s: simpan   Esc: batal", classes="petunjuk")

    def on_mount(self) -> None:
        self.query_one(RadioSet).focus()

    @property
    def chosen(self) -> str:
        pressed = self.query_one(RadioSet).pressed_button
        return pressed.name if pressed is not None and pressed.name else "diusulkan"

    def on_radio_set_changed(self, _event: RadioSet.Changed) -> None:
        if not needs_reason(self.chosen):
            show_message(self.query_one("#galat-alasan", Label), "")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_simpan()

    def action_simpan(self) -> None:
        status = self.chosen
        reason = self.query_one("#alasan", Input).value.strip()
        message = self.query_one("#galat-alasan", Label)
        if needs_reason(status) and not reason:
            show_message(message, f"Status {status} wajib disertai alasan.")
            self.query_one("#alasan", Input).focus()
            return
        rec_id = self.record["id"]
        apply_change(
            self.app,
            self.forum,
            lambda: self.forum.proposals.set_status(rec_id, status, reason),
            on_done=lambda _changed: self.dismiss(status),
            on_error=self._refused,
            what=f"status usulan #{self.record.get('urutan', rec_id)}",
        )

    def _refused(self, error: ValidationError) -> None:
        show_message(self.query_one("#galat-alasan", Label), error.message)
