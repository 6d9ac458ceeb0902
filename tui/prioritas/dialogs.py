"""Dialogs of the Prioritas tab: the method and criteria settings, and delegate ballots.

Both are keyboard only. Enter in a field saves; Escape closes. What may not be saved (a ballot
from someone who is not a present delegate with a voting right, a second ballot, a change after
the vote was closed) is refused by the store with a message, shown in the dialog beside the
fields so the note-taker can correct it without losing what was typed.
"""

from __future__ import annotations

import re
from typing import Any, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Button, Checkbox, Input, Label, OptionList, Select, Static
from textual.widgets.option_list import Option

from store.attendance import is_present
from store.criteria_presets import PRESETS, preset_records
from store.formatting import format_decimal_id, format_rupiah
from store.forum import Forum
from store.meta import PRIORITY_METHODS
from store.typed_numbers import read_typed_rupiah
from store.validation import ValidationError
from tui.ekspor.amend import apply_change
from tui.widgets.checkbox import CheckBox
from tui.widgets.choice import Choice
from tui.widgets.dialogs import Dialog, show_message
from tui.widgets.keys import without_keys
from tui.widgets.text_input import TextInput

CLOSED_MESSAGE = "Pemungutan sudah ditutup: buka kembali dengan alasan untuk mengubah."


# -- settings -----------------------------------------------------------------------------------
class CriterionInput(TextInput, inherit_bindings=False):
    """A criterion field: ctrl+d deletes the criterion here, not the character to the right."""

    BINDINGS: ClassVar[list[BindingType]] = without_keys(Input.BINDINGS, {"ctrl+d"})


class CriterionRow(Horizontal):
    """One editable criterion: name, short code, weight in percent."""

    DEFAULT_CSS = """
    CriterionRow { height: auto; }
    CriterionRow Input { margin-right: 1; }
    CriterionRow .nama { width: 1fr; }
    CriterionRow .kode { width: 10; }
    CriterionRow .bobot { width: 10; }
    """

    def __init__(self, criterion: dict[str, Any]) -> None:
        super().__init__()
        self.criterion_id: int | None = criterion.get("id")
        self.criterion = criterion

    def compose(self) -> ComposeResult:
        c = self.criterion
        percent = format_decimal_id(float(c.get("bobot", 0)) * 100, 2).removesuffix(",00")
        yield CriterionInput(
            c.get("nama", ""), placeholder="nama kriteria", classes="nama", compact=True
        )
        yield CriterionInput(c.get("kode", ""), placeholder="kode", classes="kode", compact=True)
        yield CriterionInput(percent, placeholder="bobot %", classes="bobot", compact=True)

    def record(self, number: int) -> dict[str, Any]:
        """The criterion as typed; ValidationError names the row when the weight is no number."""
        nama = self.query_one(".nama", Input).value.strip()
        text = self.query_one(".bobot", Input).value.strip().replace(",", ".")
        try:
            percent = float(text or "0")
        except ValueError:
            raise ValidationError(
                "bobot", f"Kriteria {number}: bobot '{text}' bukan angka persen."
            ) from None
        if percent < 0:
            raise ValidationError("bobot", f"Kriteria {number}: bobot tidak boleh negatif.")
        record = {
            "nama": nama,
            "kode": self.query_one(".kode", Input).value.strip(),
            "bobot": round(percent / 100, 6),
        }
        if self.criterion_id is not None:
            record["id"] = self.criterion_id
        return record


class PengaturanDialog(Dialog[bool]):
    """Method, criteria (from a preset or edited), ballot rule, pagu and its desa rules."""

    DEFAULT_CSS = """
    PengaturanDialog #isi { height: auto; max-height: 60vh; }
    PengaturanDialog Horizontal.baris { height: auto; }
    PengaturanDialog Horizontal.baris { margin-bottom: 1; }
    PengaturanDialog Horizontal.baris > Label { width: 26; }
    PengaturanDialog CriterionRow { margin-bottom: 0; }
    PengaturanDialog Horizontal.baris > Input, PengaturanDialog Horizontal.baris > Select {
        width: 1fr;
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+n", "tambah", "Tambah kriteria", tooltip="Tambah satu baris kriteria"),
        Binding("ctrl+d", "hapus", "Hapus kriteria", tooltip="Hapus baris kriteria yang aktif"),
        Binding("escape", "batal", "Batal", tooltip="Tutup tanpa menyimpan"),
    ]

    def __init__(self, forum: Forum) -> None:
        super().__init__("Pengaturan prioritas")
        self.forum = forum
        self.meta = forum.meta
        self.criteria = forum.priority.criteria()
        self._confirmed_removal: tuple[int, ...] = ()

    def body(self) -> ComposeResult:
        meta = self.meta
        surat = meta.get("surat_suara") or {}
        aturan = meta.get("aturan_pagu") or {}
        with VerticalScroll(id="isi"):
            with Horizontal(classes="baris"):
                yield Label("Metode")
                yield Choice(
                    [(label, key) for key, label in PRIORITY_METHODS.items()],
                    value=meta.get("metode_prioritas") or "skoring",
                    allow_blank=False,
                    id="metode",
                    compact=True,
                )
            with Horizontal(classes="baris"):
                yield Label("Isi kriteria dari preset")
                yield Choice(
                    [(preset.nama, key) for key, preset in PRESETS.items()],
                    prompt="(tetap kriteria sekarang)",
                    id="preset",
                    compact=True,
                )
            yield Label("Kriteria: nama, kode kolom, bobot (%)", classes="judul-kriteria")
            yield from (CriterionRow(c) for c in self.criteria)
            with Horizontal(classes="baris"):
                yield Label("Surat suara: maks pilihan")
                yield TextInput(
                    str(surat.get("maks_pilihan", 3)), id="maks", type="integer", compact=True
                )
            with Horizontal(classes="baris"):
                yield Label("Bobot surat suara")
                yield Choice(
                    [("3-2-1 (pilihan pertama paling berat)", "3-2-1"), ("sama", "sama")],
                    value=surat.get("bobot", "3-2-1"),
                    allow_blank=False,
                    id="bobot-surat",
                    compact=True,
                )
            with Horizontal(classes="baris"):
                yield Label("Pagu indikatif (Rp)")
                pagu = int(meta.get("pagu") or 0)
                yield TextInput(format_rupiah(pagu) if pagu else "", id="pagu", compact=True)
            yield CheckBox(
                "Minimal satu usulan per desa (pagu tetap menang)",
                bool(aturan.get("minimal_satu_per_desa")),
                id="minimal-satu",
            )
            with Horizontal(classes="baris"):
                yield Label("Batas usulan per desa")
                batas = aturan.get("batas_per_desa")
                yield TextInput(
                    str(batas) if batas else "",
                    placeholder="kosong: tanpa batas",
                    id="batas",
                    type="integer",
                    compact=True,
                )
        yield Label("", id="galat", classes="galat")
        yield Button("Simpan", id="simpan", variant="primary", compact=True)
        yield Label(
            "Enter di kolom isian: simpan   ctrl+n/ctrl+d: tambah/hapus kriteria   Esc: batal",
            classes="petunjuk",
        )

    def on_mount(self) -> None:
        self.query_one("#metode", Select).focus()

    # -- criteria rows ---------------------------------------------------------------------
    def _rows(self) -> list[CriterionRow]:
        return list(self.query(CriterionRow))

    def action_tambah(self) -> None:
        row = CriterionRow({"nama": "", "kode": "", "bobot": 0})
        self.query_one("#isi").mount(row, after=self._rows()[-1] if self._rows() else None)
        self.call_after_refresh(lambda: row.query_one(".nama", Input).focus())

    def action_hapus(self) -> None:
        focused = self.focused
        rows = self._rows()
        target = next((r for r in rows if focused is not None and focused in r.children), None)
        if target is None or len(rows) == 1:
            self._say("Pilih (fokus) baris kriteria yang akan dihapus; minimal satu kriteria.")
            return
        target.remove()

    @on(Select.Changed, "#preset")
    async def _preset_chosen(self, event: Select.Changed) -> None:
        if event.value is Select.NULL:
            return
        await self.query(CriterionRow).remove()
        rows = [CriterionRow(record) for record in preset_records(str(event.value))]
        await self.query_one("#isi").mount_all(rows, after=self.query_one(".judul-kriteria"))

    # -- saving ----------------------------------------------------------------------------
    def _say(self, message: str) -> None:
        show_message(self.query_one("#galat", Label), message)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_simpan()

    @on(Button.Pressed, "#simpan")
    def _pressed(self) -> None:
        self.action_simpan()

    def _meta_changes(self) -> dict[str, Any]:
        meta = self.meta
        maks_text = self.query_one("#maks", Input).value.strip()
        maks = int(maks_text or 0)
        if not 1 <= maks <= 10:
            raise ValidationError("surat_suara", "Maks pilihan surat suara harus 1-10.")
        batas_text = self.query_one("#batas", Input).value.strip()
        batas = int(batas_text) if batas_text else None
        if batas is not None and batas < 1:
            raise ValidationError(
                "aturan_pagu", "Batas usulan per desa minimal 1 (kosongkan bila tanpa batas)."
            )
        wanted = {
            "metode_prioritas": self.query_one("#metode", Select).value,
            "pagu": read_typed_rupiah(
                self.query_one("#pagu", Input).value, field="pagu", label="Pagu", required=False
            ),
            "surat_suara": {
                "maks_pilihan": maks,
                "bobot": self.query_one("#bobot-surat", Select).value,
            },
            "aturan_pagu": {
                "minimal_satu_per_desa": self.query_one("#minimal-satu", Checkbox).value,
                "batas_per_desa": batas,
            },
        }
        return {key: value for key, value in wanted.items() if meta.get(key) != value}

    def _criteria_changed(self, criteria: list[dict[str, Any]]) -> bool:
        keys = ("id", "nama", "kode", "bobot")
        current = [{k: c.get(k) for k in keys} for c in self.criteria]
        return current != [{k: c.get(k) for k in keys} for c in criteria]

    def _removed_scores(self, criteria: list[dict[str, Any]]) -> tuple[tuple[int, ...], int]:
        """Ids of the criteria being removed and how many scores go with them."""
        kept = {c.get("id") for c in criteria}
        removed = tuple(c["id"] for c in self.criteria if c["id"] not in kept)
        scores = self.forum.priority.scores()
        count = sum(1 for own in scores.values() for cid in own if cid in removed)
        return removed, count

    def action_simpan(self) -> None:
        try:
            changes = self._meta_changes()
            criteria = [row.record(n) for n, row in enumerate(self._rows(), start=1)]
        except ValidationError as error:
            self._say(error.message)
            return
        criteria_changed = self._criteria_changed(criteria)
        if not changes and not criteria_changed:
            self.dismiss(False)
            return
        if self.forum.priority.closed:
            self._say(CLOSED_MESSAGE)
            return
        removed, lost = self._removed_scores(criteria) if criteria_changed else ((), 0)
        if lost and removed != self._confirmed_removal:
            self._confirmed_removal = removed
            self._say(
                f"{len(removed)} kriteria lama dihapus beserta {lost} skornya. "
                "Tekan Enter sekali lagi untuk melanjutkan, Esc untuk batal."
            )
            return

        def save() -> None:
            with self.forum.batch():
                if changes:
                    self.forum.update_meta(**changes)
                if criteria_changed:
                    self.forum.priority.set_criteria(criteria)

        apply_change(
            self.app,
            self.forum,
            save,
            on_done=lambda _: self.dismiss(True),
            on_error=lambda error: self._say(error.message),
            what="pengaturan prioritas",
        )


# -- ballots ------------------------------------------------------------------------------------
def voter_note(person: dict[str, Any], voted: set[int]) -> str:
    """Why a person may or may not cast a ballot, shown beside the name."""
    if not (person.get("delegasi") and person.get("hak_suara")):
        return "bukan delegasi berhak suara"
    if not is_present(person):
        return "tidak hadir"
    return "sudah memilih" if person["id"] in voted else "belum memilih"


def parse_choices(text: str, numbers: dict[int, int]) -> list[int]:
    """Proposal ids from the numbers typed ("12 5 33", "12, 5, 33"), in that order."""
    tokens = [t for t in re.split(r"[\s,;]+", text.strip()) if t]
    if not tokens:
        raise ValidationError("pilihan", "Tulis nomor usulan pilihan, mis. 12 5 33.")
    chosen = []
    for token in tokens:
        if not token.isdigit():
            raise ValidationError("pilihan", f"'{token}' bukan nomor usulan (mis. 12 5 33).")
        if int(token) not in numbers:
            raise ValidationError("pilihan", f"Usulan nomor {token} tidak ada.")
        chosen.append(numbers[int(token)])
    return chosen


class SuratSuaraDialog(Dialog[None]):
    """Enter ballots one after another (or correct one, with a reason)."""

    DEFAULT_CSS = """
    SuratSuaraDialog #calon { height: auto; max-height: 8; }
    SuratSuaraDialog #terpilih { text-style: bold; }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "down",
            "ke_daftar",
            "Daftar nama",
            key_display="↓",
            tooltip="Pindah ke daftar nama yang cocok",
        ),
        Binding("escape", "batal", "Tutup", tooltip="Tutup pencatatan surat suara"),
    ]

    def __init__(self, forum: Forum, *, koreksi: bool = False) -> None:
        title = "Koreksi surat suara" if koreksi else "Surat suara delegasi"
        super().__init__(title)
        self.forum = forum
        self.koreksi = koreksi
        self.voter: dict[str, Any] | None = None

    def body(self) -> ComposeResult:
        rule = self.forum.meta.get("surat_suara") or {}
        maks = rule.get("maks_pilihan", 3)
        yield TextInput(placeholder="Ketik nama delegasi…", id="pemilih")
        yield OptionList(id="calon")
        yield Static("Pemilih: -", id="terpilih", markup=False)
        yield TextInput(
            placeholder=f"Nomor usulan pilihan, urut (maks {maks}): mis. 12 5 33", id="pilihan"
        )
        if self.koreksi:
            yield TextInput(placeholder="Alasan koreksi (wajib)", id="alasan")
        yield Label("", id="galat", classes="galat")
        yield Label("Enter: pilih nama / simpan   ↓: daftar nama   Esc: tutup", classes="petunjuk")

    def on_mount(self) -> None:
        self._list_people("")
        self.query_one("#pemilih", Input).focus()

    def _say(self, message: str) -> None:
        show_message(self.query_one("#galat", Label), message)

    # -- choosing the voter ----------------------------------------------------------------
    def _voted(self) -> dict[int, int]:
        """peserta id -> ballot id."""
        return {b["peserta_id"]: b["id"] for b in self.forum.priority.ballots()}

    def _list_people(self, text: str) -> None:
        voted = set(self._voted())
        people = self.forum.participants.search(text, limit=8)
        options = self.query_one("#calon", OptionList)
        options.clear_options()
        options.add_options(
            Option(
                f"{p['nama']} · {p.get('desa') or '-'} · {voter_note(p, voted)}", id=str(p["id"])
            )
            for p in people
        )
        if people:
            options.highlighted = 0

    @on(Input.Changed, "#pemilih")
    def _typed(self, event: Input.Changed) -> None:
        self._list_people(event.value)

    def action_ke_daftar(self) -> None:
        self.query_one("#calon", OptionList).focus()

    @on(OptionList.OptionSelected, "#calon")
    def _picked(self, event: OptionList.OptionSelected) -> None:
        self._choose(int(str(event.option.id)))

    def _choose(self, person_id: int) -> None:
        self.voter = self.forum.participants.get(person_id)
        self.query_one("#terpilih", Static).update(
            f"Pemilih: {self.voter['nama']} ({self.voter.get('desa') or '-'})"
        )
        self._say("")
        self.query_one("#pilihan", Input).focus()

    # -- saving ----------------------------------------------------------------------------
    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if event.input.id == "pemilih":
            options = self.query_one("#calon", OptionList)
            option = options.highlighted_option
            if option is None:
                self._say("Tidak ada nama yang cocok.")
            else:
                self._choose(int(str(option.id)))
        elif event.input.id == "pilihan" and self.koreksi and not self._reason():
            self.query_one("#alasan", Input).focus()
        else:
            self._save()

    def _reason(self) -> str:
        return self.query_one("#alasan", Input).value.strip() if self.koreksi else ""

    def _save(self) -> None:
        voter = self.voter
        if voter is None:
            self._say("Pilih dahulu nama delegasi pemilih.")
            self.query_one("#pemilih", Input).focus()
            return
        numbers = {p.get("urutan", p["id"]): p["id"] for p in self.forum.proposals.all()}
        try:
            chosen = parse_choices(self.query_one("#pilihan", Input).value, numbers)
        except ValidationError as error:
            self._say(error.message)
            return
        if self.koreksi:
            ballot_id = self._voted().get(voter["id"])
            if ballot_id is None:
                self._say(f"{voter['nama']} belum memberikan suara: tidak ada yang dikoreksi.")
                return
            reason = self._reason()
            apply_change(
                self.app,
                self.forum,
                lambda: self.forum.priority.correct_ballot(ballot_id, chosen, reason),
                on_done=lambda _: self._saved(voter, corrected=True),
                on_error=lambda error: self._say(error.message),
                what=f"surat suara {voter['nama']}",
            )
            return
        apply_change(
            self.app,
            self.forum,
            lambda: self.forum.priority.cast_ballot(voter["id"], chosen),
            on_done=lambda _: self._saved(voter, corrected=False),
            on_error=lambda error: self._say(error.message),
            what=f"surat suara {voter['nama']}",
        )

    def _saved(self, voter: dict[str, Any], *, corrected: bool) -> None:
        if corrected:
            self.app.notify(f"Surat suara {voter['nama']} dikoreksi.")
            self.dismiss(None)
            return
        self.app.notify(f"Surat suara {voter['nama']} tercatat.")
        self.voter = None
        self.query_one("#terpilih", Static).update("Pemilih: -")
        self.query_one("#pilihan", Input).value = ""
        pemilih = self.query_one("#pemilih", Input)
        pemilih.value = ""
        pemilih.focus()
