"""Persiapan forum: the BA number, the pagu (or "tanpa pagu"), materi pembahasan,
narasumber and the utusan (3 to the Kabupaten, 1-3 from a desa), which readiness asks for
and only ``dump`` showed before.

The text fields are saved together (ctrl+s, and Esc saves before closing) after every field
was checked, each error beside its field; utusan are saved as they are picked from the
participants who came (``Utusan.add_participant``), with their jabatan.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.screen import Screen
from textual.widgets import Checkbox, DataTable, Input, Label, Static, TextArea

from store.agenda_book import check_typed_number
from store.amount_sanity import MAX_PAGU, MIN_PAGU, doubt_amount
from store.attendance import attended
from store.formatting import format_rupiah
from store.forum import Forum
from store.validation import ValidationError
from tui.persiapan.values import (
    form_changes,
    form_values,
    suggested_jabatan,
    utusan_heading,
    utusan_picker_title,
)
from tui.usulan.amount_check import AmountDialog
from tui.widgets.checkbox import CheckBox
from tui.widgets.dialogs import ReasonDialog, show_message
from tui.widgets.footer import KeyFooter
from tui.widgets.forum_view import ForumView, save_failed, touches
from tui.widgets.pembicara import SpeakerScreen

TEXT_FIELDS = ("nomor_surat", "pagu")
AREA_FIELDS = ("materi", "narasumber")


class UtusanList(ForumView):
    """The utusan, redrawn as they change; "TIDAK" marks one not on the attendance list."""

    DEFAULT_CSS = """
    UtusanList { height: auto; }
    UtusanList DataTable { height: auto; max-height: 5; }
    """

    def compose(self) -> ComposeResult:
        yield DataTable(id="utusan", cursor_type="row")

    def on_mount(self) -> None:
        super().on_mount()
        table = self.query_one(DataTable)
        for label, width in (("No", 3), ("Nama", 26), ("Jabatan", 28), ("Hadir", 6)):
            table.add_column(label, width=width)
        self.mark_all_changed()

    def forum_changed(self, changes: dict[str, set[int]]) -> None:
        if not touches(changes, "utusan", "participants"):
            return
        table = self.query_one(DataTable)
        present = {p["id"] for p in self.forum.participants.all() if attended(p)}
        table.clear()
        for number, person in enumerate(self.forum.utusan.all(), start=1):
            came = person.get("peserta_id") in present
            table.add_row(
                str(number),
                person["nama"],
                person.get("jabatan") or "",
                "ya" if came else "TIDAK",
                key=str(person["id"]),
            )


class PersiapanScreen(Screen[None]):
    """Pushed from the forum screen (alt+p); Esc saves and goes back."""

    DEFAULT_CSS = """
    PersiapanScreen #persiapan-judul { text-style: bold; padding: 0 1; }
    PersiapanScreen #persiapan-form { padding: 0 1; }
    PersiapanScreen .baris { height: auto; }
    PersiapanScreen .baris > Label { width: 16; }
    PersiapanScreen .baris > Input { width: 1fr; }
    PersiapanScreen #tanpa_pagu { width: auto; border: none; padding: 0 1; height: 1; }
    PersiapanScreen .judul { color: $text-muted; }
    PersiapanScreen TextArea { height: 4; }
    PersiapanScreen #narasumber { height: 3; }
    PersiapanScreen .galat {
        width: 1fr; height: auto; color: $error; text-style: bold; display: none;
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "ctrl+s",
            "simpan",
            "Simpan",
            tooltip="Persiapan: simpan nomor BA, pagu, materi dan narasumber",
        ),
        Binding(
            "ctrl+t",
            "tambah_utusan",
            "Tambah utusan",
            tooltip="Persiapan: tambah utusan dari peserta yang hadir",
        ),
        # Not ctrl+e / ctrl+d: a focused Input takes those (end of line, delete right).
        Binding(
            "ctrl+o",
            "jabatan_utusan",
            "Jabatan utusan",
            tooltip="Persiapan: ubah jabatan utusan yang dipilih",
        ),
        Binding(
            "ctrl+r",  # not ctrl+b (tmux's prefix); as ctrl+r removes a funding row in F4
            "hapus_utusan",
            "Hapus utusan",
            tooltip="Persiapan: hapus utusan yang dipilih",
        ),
        Binding("escape", "tutup", "Simpan & tutup", tooltip="Persiapan: simpan lalu tutup"),
    ]

    def __init__(self, forum: Forum) -> None:
        super().__init__()
        self.forum = forum
        self._leaving = False  # errors were shown on Esc: the next Esc leaves without saving
        self._pagu_kept: int | None = None  # a doubtful pagu the operator confirmed

    def compose(self) -> ComposeResult:
        values = form_values(self.forum.meta)
        yield Static(f"Persiapan forum: {self.forum.meta.get('judul', '')}", id="persiapan-judul")
        with VerticalScroll(id="persiapan-form"):
            with Horizontal(classes="baris"):
                yield Label("Nomor BA")
                yield Input(
                    values["nomor_surat"],
                    placeholder="mis. 050/12/416-313/2026",
                    id="nomor_surat",
                    compact=True,
                )
            yield Label("", id="galat-nomor_surat", classes="galat")
            with Horizontal(classes="baris"):
                yield Label("Pagu indikatif")
                yield Input(
                    values["pagu"], placeholder="contoh: 2.500.000.000", id="pagu", compact=True
                )
                yield CheckBox("Forum ini tanpa pagu", values["tanpa_pagu"], id="tanpa_pagu")
            yield Label("", id="galat-pagu", classes="galat")
            yield Label("Materi pembahasan (satu per baris)", classes="judul")
            yield TextArea(values["materi"], id="materi", compact=True)
            yield Label("", id="galat-materi", classes="galat")
            yield Label("Narasumber (satu per baris: Nama | Jabatan)", classes="judul")
            yield TextArea(values["narasumber"], id="narasumber", compact=True)
            yield Label("", id="galat-narasumber", classes="galat")
            yield Label(
                utusan_heading(self.forum.meta.get("level"), self.forum.utusan.LIMIT),
                classes="judul",
            )
            yield UtusanList(self.forum)
            yield Label("", id="galat-utusan", classes="galat")
        yield KeyFooter()

    def on_mount(self) -> None:
        if self.forum.status != "draf":  # content is frozen: read here, amend in F6
            for widget in self.query("Input, TextArea, Checkbox"):
                widget.disabled = True
            self.notify(
                f"Forum berstatus {self.forum.status}: isi hanya dibaca di sini; ubah lewat "
                "amandemen di F6 (ctrl+n).",
                severity="warning",
            )
            self.query_one("#utusan", DataTable).focus()
            return
        self.query_one("#nomor_surat", Input).focus()

    # -- the text fields ------------------------------------------------------------------
    def _values(self) -> dict[str, Any]:
        values: dict[str, Any] = {k: self.query_one(f"#{k}", Input).value for k in TEXT_FIELDS}
        values |= {k: self.query_one(f"#{k}", TextArea).text for k in AREA_FIELDS}
        values["tanpa_pagu"] = self.query_one("#tanpa_pagu", Checkbox).value
        return values

    def _save(self) -> bool:
        """Save the text fields; False (errors shown beside each field) when any is wrong."""
        fields = (*TEXT_FIELDS, *AREA_FIELDS)
        for key in (*fields, "utusan"):
            show_message(self.query_one(f"#galat-{key}", Label), "")
        changes, errors = form_changes(self._values(), self.forum.meta)
        if changes:
            try:
                if changes.get("nomor_surat"):  # the book's own check, now, not at finalize
                    check_typed_number(self.forum, "nomor_surat", changes["nomor_surat"])
                self.forum.update_meta(**changes)
            except ValidationError as error:  # e.g. a final forum: content is frozen
                errors = {error.field: error.message}
            except OSError as error:  # the disk refused: say so, keep the screen open
                errors = {"nomor_surat": save_failed(error)}
        shown = {(key if key in fields else "nomor_surat"): msg for key, msg in errors.items()}
        for key, message in shown.items():
            show_message(self.query_one(f"#galat-{key}", Label), message)
        if shown:
            self.query_one(f"#{next(k for k in fields if k in shown)}").focus()
        return not shown

    def action_simpan(self) -> None:
        if self._save():
            self.notify("Persiapan forum disimpan.")
            self._question_pagu()

    def _question_pagu(self) -> None:
        """A saved pagu that looks mistyped ("Rp2.500") is questioned, never refused."""
        pagu = int(self.forum.meta.get("pagu") or 0)
        doubt = doubt_amount(
            pagu, label="Pagu", minimum=MIN_PAGU, maximum=MAX_PAGU, scope="untuk sebuah forum"
        )
        if not pagu or doubt is None or pagu == self._pagu_kept:
            return

        def answered(answer: str | None) -> None:
            field = self.query_one("#pagu", Input)
            if answer == "saran" and doubt.saran is not None:
                field.value = format_rupiah(doubt.saran)
                self.action_simpan()
            elif answer == "tetap":
                self._pagu_kept = pagu
            else:
                field.focus()

        self.app.push_screen(AmountDialog(doubt), answered)

    def action_tutup(self) -> None:
        """Save and close; with errors shown, a second Esc closes without saving them."""
        if self.forum.status != "draf" or self._leaving or self._save():
            self.dismiss(None)
            return
        self._leaving = True
        self.notify("Isian yang salah tidak disimpan: perbaiki, atau Esc lagi untuk keluar.")

    def on_input_changed(self) -> None:
        self._leaving = False

    def on_text_area_changed(self) -> None:
        self._leaving = False

    # -- utusan ---------------------------------------------------------------------------
    def _selected_utusan(self) -> dict[str, Any] | None:
        table = self.query_one("#utusan", DataTable)
        people = self.forum.utusan.all()
        if not people or table.cursor_row < 0:
            return None
        return people[min(table.cursor_row, len(people) - 1)]

    def _utusan_error(self, message: str) -> None:
        show_message(self.query_one("#galat-utusan", Label), message)

    def _utusan_change(self, change: Callable[..., object], *args: Any) -> bool:
        """Save one utusan change; a refusal or a failed write is shown under the list."""
        try:
            change(*args)
        except ValidationError as error:
            self._utusan_error(error.message)
            return False
        except OSError as error:
            self._utusan_error(save_failed(error))
            return False
        return True

    def action_tambah_utusan(self) -> None:
        def picked(person: dict[str, Any] | None) -> None:
            if not person:
                return
            if person.get("id") is None:
                self._utusan_error(
                    f"{person['nama']} tidak ada di daftar hadir: utusan dipilih dari peserta "
                    "yang hadir (catat kehadirannya di F2)."
                )
                return
            record = self.forum.participants.get(person["id"])
            suggested = suggested_jabatan(record)
            if suggested:  # no dialog to catch the keys typed next: ctrl+o changes it
                if self._add_utusan(person["id"], suggested):
                    self.notify(
                        f"{record['nama']} menjadi utusan sebagai {suggested} (ubah: ctrl+o).",
                        timeout=8,
                    )
                return
            self.app.push_screen(
                ReasonDialog(
                    "Jabatan utusan",
                    f"Jabatan {record['nama']} (tertulis di surat mandat):",
                    value=suggested,
                    placeholder="mis. Kepala Desa Japan",
                ),
                lambda jabatan: self._add_utusan(person["id"], jabatan),
            )

        self._utusan_error("")
        chosen = self.forum.utusan.all()
        if len(chosen) >= self.forum.utusan.LIMIT:
            self._utusan_error(
                f"Utusan sudah {self.forum.utusan.LIMIT} orang: hapus satu dahulu (ctrl+r)."
            )
            return
        picker = SpeakerScreen(
            self.forum,
            title=utusan_picker_title(self.forum.meta.get("level")),
            exclude={u["peserta_id"] for u in chosen if u.get("peserta_id") is not None},
        )
        self.app.push_screen(picker, picked)

    def _add_utusan(self, peserta_id: int, jabatan: str | None) -> bool:
        if jabatan is None:
            return False
        return self._utusan_change(self.forum.utusan.add_participant, peserta_id, jabatan)

    def action_jabatan_utusan(self) -> None:
        person = self._selected_utusan()
        if person is None:
            self._utusan_error("Belum ada utusan: tambah dengan ctrl+t.")
            return

        def typed(jabatan: str | None) -> None:
            if jabatan is not None:
                self._utusan_change(self.forum.utusan.set_jabatan, person["id"], jabatan)

        self.app.push_screen(
            ReasonDialog(
                "Jabatan utusan",
                f"Jabatan {person['nama']}:",
                value=person.get("jabatan") or "",
                placeholder="mis. Kepala Desa Japan",
            ),
            typed,
        )

    def action_hapus_utusan(self) -> None:
        person = self._selected_utusan()
        if person is None:
            self._utusan_error("Belum ada utusan untuk dihapus.")
            return
        self._utusan_change(self.forum.utusan.remove, person["id"])
