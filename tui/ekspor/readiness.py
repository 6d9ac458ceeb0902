"""The readiness list in the Ekspor tab: what still blocks final, what only warns.

The pane shows one summary line above its tables (w unfolds the first few items); ctrl+l
(Finalkan) opens the whole list: blocking items only to read (each says where it is
fixed), or the warnings to confirm before the forum becomes final (the store keeps them in
the audit log).
"""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.widgets import Static

from store.readiness import Readiness
from tui.widgets.dialogs import Dialog

NOTICE_ITEMS = 3
CONSEQUENCE = (
    "Setelah final, isi forum hanya dapat diubah lewat amandemen dengan alasan, dan dokumen "
    "tidak lagi bertanda DRAF."
)


def notice_lines(readiness: Readiness, *, unfolded: bool = False) -> list[str]:
    """A summary for the pane: folded, one line (at 80x24 the document table must stay in
    view); unfolded (key w), the first blocking items, then a count of the rest."""
    if readiness.siap:
        count = len(readiness.peringatan)
        return [f"Siap difinalkan; {count} peringatan (ctrl+l untuk melihat)."] if count else []
    items = readiness.penghalang
    if not unfolded:
        return [
            f"Belum siap final: {len(items)} hal harus dilengkapi (w: rincian, ctrl+l: daftar)."
        ]
    lines = [f"Belum siap final, {len(items)} hal harus dilengkapi (w: ringkas):"]
    lines += [f"- {item.line()}" for item in items[:NOTICE_ITEMS]]
    if len(items) > NOTICE_ITEMS:
        lines.append(f"... dan {len(items) - NOTICE_ITEMS} lagi (ctrl+l: daftar lengkap).")
    return lines


def full_lines(readiness: Readiness) -> list[str]:
    """Every item, blocking first, each with where to fix it."""
    lines = []
    if readiness.penghalang:
        lines.append("Harus dilengkapi sebelum final:")
        lines += [f"- {item.line()}" for item in readiness.penghalang]
    if readiness.peringatan:
        lines.append("Peringatan (dicatat di log audit bila tetap difinalkan):")
        lines += [f"- {item.line()}" for item in readiness.peringatan]
    return lines


def confirm_hint(readiness: Readiness) -> str:
    """What Enter agrees to: finalizing, and with the proposals left undecided that the list
    above names, so open items are never finalized by a key that only says "OK"."""
    if not readiness.siap:
        return "Esc: tutup"
    if any(item.kode == "belum-diputuskan" for item in readiness.peringatan):
        return "Enter: finalkan dengan usulan yang tetap belum diputuskan di atas   Esc: batal"
    return "Enter: finalkan   Esc: batal"


class ReadinessDialog(Dialog[bool]):
    """The whole list. Ready: Enter finalizes despite the warnings (dismisses True).
    Not ready: nothing to agree to, Enter or Esc closes (dismisses False)."""

    DEFAULT_CSS = """
    ReadinessDialog #siap-daftar { height: auto; max-height: 16; }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "ya", "Finalkan"),
        Binding("escape", "batal", "Tutup"),
    ]

    def __init__(self, readiness: Readiness) -> None:
        title = "Finalkan forum" if readiness.siap else "Forum belum siap difinalkan"
        super().__init__(title)
        self.readiness = readiness

    def body(self) -> ComposeResult:
        lines = full_lines(self.readiness)
        if self.readiness.siap:
            lines = [CONSEQUENCE, *lines]
        with VerticalScroll(id="siap-daftar"):
            yield Static("\n".join(lines), id="siap-teks", markup=False)
        yield Static(confirm_hint(self.readiness), classes="petunjuk", markup=False)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "ya":
            return self.readiness.siap
        return True

    def action_ya(self) -> None:
        self.dismiss(True)

    def action_batal(self) -> None:
        self.dismiss(False)
