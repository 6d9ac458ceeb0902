"""The add/edit form of one proposal (usulan), every field of DOMAIN.md section 3.

Validation is the store's (``forum.proposals.prepare``), run on every keystroke: each
problem is shown under the field it names, and only for fields the user has changed until a
save is attempted, so a fresh form is not a wall of red. Saving first warns about likely
duplicates (the user may save anyway: a duplicate is flagged, never dropped) and, on a final
forum, asks the amendment reason. The form dismisses with ``(id, warnings)`` once saved.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.suggester import SuggestFromList
from textual.widget import Widget
from textual.widgets import Input, Label, Select, TextArea

from store.amount_sanity import doubt_amount
from store.formatting import format_decimal_id, format_rupiah
from store.forum import Forum
from store.regions import desa_of, region
from store.sectors import SECTORS
from store.typed_numbers import read_typed_rupiah, typed_proposal_fields
from store.validation import (
    FUNDING_SOURCES,
    RecordInvalid,
    ValidationError,
    label_of,
)
from tui.ekspor.amend import apply_change
from tui.usulan.amount_check import AmountDialog
from tui.widgets.choice import Choice
from tui.widgets.dialogs import ConfirmDialog, Dialog, show_message
from tui.widgets.drafts import FormDraft, Value, decode, encode
from tui.widgets.text_input import TextInput

# Form fields in the order of DOMAIN.md section 3 (the T-D.4 columns last).
TEXT_FIELDS = (
    "sumber",
    "kegiatan",
    "lokasi",
    "volume",
    "satuan",
    "penerima_manfaat",
    "biaya",
    "opd_tujuan",
    "kamus_usulan",
    "foto",
    "prioritas_daerah",
    "sasaran_daerah",
    "program",
    "sasaran_kegiatan",
)
AREA_FIELDS = ("permasalahan", "catatan")
SELECT_FIELDS = ("desa", "bidang")
ALL_FIELDS = (*SELECT_FIELDS, *TEXT_FIELDS, *AREA_FIELDS, "sumber_dana")
COMMON_SOURCES = (
    "Dusun",
    "RT",
    "RW",
    "LPM",
    "PKK",
    "BPD",
    "Karang Taruna",
    "Kelompok Tani",
    "Posyandu",
    "UPT",
    "Pemerintah Desa",
)
PLACEHOLDERS = {
    "kegiatan": "wajib: usulan kegiatan",
    "lokasi": "dusun / RT / RW / jalan",
    "volume": "mis. 1.200, 1,5 atau 150 m",
    "satuan": "m, m2, unit, paket",
    "penerima_manfaat": "jumlah orang, mis. 250 atau 250 jiwa",
    "biaya": "wajib: mis. 312.000.000 atau 312 juta",
    "foto": "berkas foto, pisahkan dengan ;",
}


def number_text(value: Any) -> str:
    """A stored number as the user types it: ``312.000.000``, ``1,5``; empty for None."""
    if value is None or value == "":
        return ""
    if isinstance(value, float) and not value.is_integer():
        return format_decimal_id(value, 3).rstrip("0").rstrip(",")
    return format_decimal_id(int(value), 0)


def desa_choices(forum: Forum) -> list[str]:
    """The desa a proposal of this forum may come from: the kecamatan's, or the desa itself."""
    meta = forum.meta
    if meta.get("level") == "desa":
        return [region(meta["wilayah_kode"]).name]
    return [r.name for r in desa_of(meta["wilayah_kode"])]


def typed_amount_text(amount: str, source: str) -> str:
    """A funding row's amount as typed ("50 juta") in the store's digits; empty stays."""
    if not amount.strip():
        return amount
    label = f"Sumber dana ({source})" if source else "Sumber dana"
    return str(read_typed_rupiah(amount, field="sumber_dana", label=label))


def funding_text(rows: list[tuple[str, str]]) -> str:
    """The sources typed in the form as the import column text the store validates:
    one source alone takes the whole cost (``APBD Kab``), several carry amounts
    (``DD:50.000.000; APBD Kab:262.000.000``)."""
    filled = [(source, amount.strip()) for source, amount in rows if source or amount.strip()]
    if len(filled) == 1 and not filled[0][1]:
        return filled[0][0]
    return "; ".join(f"{source}:{amount}" for source, amount in filled)


class FundingRow(Horizontal):
    """One funding source and its amount."""

    DEFAULT_CSS = """
    FundingRow { height: auto; }
    FundingRow Select { width: 1fr; }
    FundingRow Input { width: 1fr; }
    """

    def __init__(self, sources: list[str], source: str = "", amount: str = "") -> None:
        super().__init__(classes="dana")
        self.sources = sources
        self.source = source
        self.amount = amount

    def compose(self) -> ComposeResult:
        yield Choice(
            [(s, s) for s in self.sources],
            prompt="sumber dana",
            value=self.source if self.source in self.sources else Select.NULL,
            compact=True,
        )
        yield TextInput(self.amount, placeholder="jumlah (kosong=semua)", compact=True)

    @property
    def values(self) -> tuple[str, str]:
        value = self.query_one(Select).value
        source = value if isinstance(value, str) else ""
        return source, self.query_one(TextInput).value


class UsulanForm(FormDraft, Dialog[tuple[int, list[str]]]):
    """Add a proposal (``record`` None) or edit one."""

    DEFAULT_CSS = """
    UsulanForm > #dialog { max-width: 110; height: 90%; }
    UsulanForm VerticalScroll { height: 1fr; }
    UsulanForm .baris { height: auto; }
    UsulanForm .baris > Label { width: 18; padding-top: 0; }
    UsulanForm .baris > Input, UsulanForm .baris > Select { width: 1fr; }
    UsulanForm TextArea { height: 4; width: 1fr; }
    UsulanForm .galat { margin-left: 18; }
    UsulanForm #dana-rows { height: auto; width: 1fr; }
    UsulanForm #dana-info { margin-left: 18; color: $text-muted; }
    UsulanForm .petunjuk { margin-left: 18; }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "simpan", "Simpan"),
        Binding("ctrl+n", "tambah_dana", "Tambah sumber dana"),
        Binding("ctrl+r", "hapus_dana", "Hapus sumber dana"),
        Binding("escape", "batal", "Batal"),
    ]

    def __init__(
        self,
        forum: Forum,
        record: Mapping[str, Any] | None = None,
        proposals: Iterable[Mapping[str, Any]] | None = None,
    ) -> None:
        """``proposals``: the forum's proposals if the caller has them at hand (the
        completions for sources, sectors and agencies come from them)."""
        title = f"Ubah usulan #{record['urutan']}" if record else "Tambah usulan"
        super().__init__(title)
        self.forum = forum
        self.record = record
        self.attempted = False
        proposals = list(forum.proposals.all() if proposals is None else proposals)
        extra_sectors = sorted({p["bidang"] for p in proposals if p.get("bidang")} - set(SECTORS))
        self.sectors = [*SECTORS, *extra_sectors]
        known_sources = {s["sumber"] for p in proposals for s in p.get("sumber_dana") or []}
        self.funding_sources = [*FUNDING_SOURCES, *sorted(known_sources - set(FUNDING_SOURCES))]
        self.agencies = sorted({p["opd_tujuan"] for p in proposals if p.get("opd_tujuan")})
        self.desa_names = desa_choices(forum)
        self.initial: dict[str, Any] = {}
        # A doubtful cost the operator confirmed (an edit keeps the saved one unasked).
        self._amount_kept: int | None = record.get("biaya") if record else None

    # -- layout ---------------------------------------------------------------------------
    def body(self) -> ComposeResult:
        rec = self.record or {}
        with VerticalScroll():
            yield Label("", id="galat-umum", classes="galat")
            yield from self._row(
                "desa",
                Choice(
                    [(d, d) for d in self.desa_names],
                    prompt="pilih desa",
                    value=self._initial_desa(rec),
                    id="f-desa",
                    compact=True,
                ),
            )
            yield from self._row("sumber", self._input("sumber", rec, COMMON_SOURCES))
            yield from self._row(
                "bidang",
                Choice(
                    [(s, s) for s in self.sectors],
                    prompt="pilih bidang",
                    value=rec.get("bidang") if rec.get("bidang") in self.sectors else Select.NULL,
                    id="f-bidang",
                    compact=True,
                ),
            )
            yield from self._row("permasalahan", self._area("permasalahan", rec))
            yield from self._row("kegiatan", self._input("kegiatan", rec))
            yield from self._row("lokasi", self._input("lokasi", rec))
            yield from self._row("volume", self._input("volume", rec))
            yield from self._row("satuan", self._input("satuan", rec))
            yield from self._row("penerima_manfaat", self._input("penerima_manfaat", rec))
            yield from self._row("biaya", self._input("biaya", rec))
            with Horizontal(classes="baris"):
                yield Label(label_of("sumber_dana"))
                with Vertical(id="dana-rows"):
                    for source in rec.get("sumber_dana") or [{"sumber": "", "jumlah": None}]:
                        amount = (
                            number_text(source["jumlah"])
                            if len(rec.get("sumber_dana") or []) > 1
                            else ""
                        )
                        yield FundingRow(self.funding_sources, source["sumber"], amount)
            yield Label("", id="dana-info")
            yield Label("", id="galat-sumber_dana", classes="galat")
            yield from self._row("opd_tujuan", self._input("opd_tujuan", rec, self.agencies))
            yield from self._row("kamus_usulan", self._input("kamus_usulan", rec))
            yield from self._row("foto", self._input("foto", rec))
            yield from self._row("catatan", self._area("catatan", rec))
            for key in ("prioritas_daerah", "sasaran_daerah", "program", "sasaran_kegiatan"):
                yield from self._row(key, self._input(key, rec))

    def _initial_desa(self, rec: dict[str, Any]) -> str | Any:
        """The record's desa; in a desa forum a new proposal is from the forum's own desa."""
        if rec.get("desa") in self.desa_names:
            return rec["desa"]
        if not rec and len(self.desa_names) == 1:
            return self.desa_names[0]
        return Select.NULL

    def _row(self, key: str, widget: Widget) -> ComposeResult:
        with Horizontal(classes="baris"):
            yield Label(label_of(key))
            yield widget
        yield Label("", id=f"galat-{key}", classes="galat")

    def _input(self, key: str, rec: dict[str, Any], suggestions: Any = ()) -> Input:
        value = rec.get(key)
        if key in ("volume", "penerima_manfaat", "biaya"):
            text = number_text(value)
        elif key == "foto":
            text = "; ".join(value or [])
        else:
            text = value or ""
        suggester = SuggestFromList(suggestions, case_sensitive=False) if suggestions else None
        return TextInput(
            text,
            placeholder=PLACEHOLDERS.get(key, ""),
            id=f"f-{key}",
            suggester=suggester,
            compact=True,
        )

    def _area(self, key: str, rec: dict[str, Any]) -> TextArea:
        return TextArea(rec.get(key) or "", id=f"f-{key}", compact=True)

    def on_mount(self) -> None:
        self.initial = self.values()
        self.validate()
        self.query_one("#f-desa").focus()
        place = f"usulan:{self.record['id']}" if self.record else "usulan:baru"
        self.start_draft(place, self.dialog_title)

    # -- the draft (typing kept while the form is open) ------------------------------------
    def draft_fields(self) -> dict[str, Value]:
        values = super().draft_fields()
        values["dana"] = encode(self.funding_rows())
        return values

    def restore_draft(self, values: dict[str, Value]) -> None:
        """Fields by id; the funding rows are rebuilt first (their fields have no ids)."""
        rows = [
            row for row in decode(values.get("dana"), []) if isinstance(row, list) and len(row) == 2
        ]
        if rows:
            self.query_one("#dana-rows").remove_children()
            self.query_one("#dana-rows").mount_all(
                FundingRow(self.funding_sources, str(source), str(amount))
                for source, amount in rows
            )
        super().restore_draft(values)
        self.call_after_refresh(self.validate)

    # -- values and validation -------------------------------------------------------------
    def funding_rows(self) -> list[tuple[str, str]]:
        return [row.values for row in self.query(FundingRow)]

    def values(self) -> dict[str, Any]:
        """The form as the import columns the store validates."""
        fields: dict[str, Any] = {}
        for key in SELECT_FIELDS:
            value = self.query_one(f"#f-{key}", Select).value
            fields[key] = value if isinstance(value, str) else ""
        for key in TEXT_FIELDS:
            fields[key] = self.query_one(f"#f-{key}", Input).value
        for key in AREA_FIELDS:
            fields[key] = self.query_one(f"#f-{key}", TextArea).text
        fields["sumber_dana"] = funding_text(self.funding_rows())
        return fields

    def typed_values(self, fields: dict[str, Any]) -> tuple[dict[str, Any], dict[str, str]]:
        """``fields`` with the numbers as typed ("250 jiwa", "150 m", "150 juta") turned
        into the store's plain text, and a message per field that cannot be read."""
        typed, messages = typed_proposal_fields(fields)
        rows = []
        for source, amount in self.funding_rows():
            try:
                rows.append((source, typed_amount_text(amount, source)))
            except ValidationError as error:
                messages.setdefault("sumber_dana", error.message)
                rows.append((source, amount))
        typed["sumber_dana"] = funding_text(rows)
        return typed, messages

    def problems(self, fields: dict[str, Any]) -> tuple[dict[str, str], dict[str, Any] | None]:
        """Messages per field, and the prepared record when there are none."""
        fields, messages = self.typed_values(fields)
        if any(amount.strip() and not source for source, amount in self.funding_rows()):
            messages["sumber_dana"] = "Sumber dana: pilih sumbernya untuk setiap jumlah"
        try:
            record = self.forum.proposals.prepare(fields)
        except RecordInvalid as invalid:
            for error in invalid.errors:
                messages.setdefault(error.field, error.message)
            return messages, None
        except ValidationError as error:
            messages.setdefault(error.field, error.message)
            return messages, None
        return messages, None if messages else record

    def validate(self) -> dict[str, Any] | None:
        """Show each message beside its field; the prepared record when all is well."""
        fields = self.values()
        messages, record = self.problems(fields)
        shown = {
            key: message
            for key, message in messages.items()
            if self.attempted or fields.get(key) != self.initial.get(key)
        }
        for key in ALL_FIELDS:
            show_message(self.query_one(f"#galat-{key}", Label), shown.get(key, ""))
        stray = [m for k, m in shown.items() if k not in ALL_FIELDS]
        show_message(self.query_one("#galat-umum", Label), "\n".join(stray))
        self._show_funding_total(fields)
        return record

    def _show_funding_total(self, fields: dict[str, Any]) -> None:
        info = self.query_one("#dana-info", Label)
        rows = [r for r in self.funding_rows() if r[0] or r[1].strip()]
        try:
            biaya = read_typed_rupiah(fields["biaya"])
            amounts = [read_typed_rupiah(a, required=False) for _, a in rows]
        except ValidationError:
            info.update("")
            return
        if len(rows) <= 1:
            info.update(
                f"Biaya {format_rupiah(biaya)}" + (" seluruhnya dari sumber ini" if rows else "")
            )
            return
        total = sum(amounts)
        rest = biaya - total
        note = "sesuai biaya" if rest == 0 else f"selisih {format_rupiah(rest)}"
        info.update(
            f"Jumlah sumber dana {format_rupiah(total)} dari biaya {format_rupiah(biaya)}: {note}"
        )

    def on_input_changed(self, _event: Input.Changed) -> None:
        if self.is_mounted and self.initial:
            self.validate()

    def on_select_changed(self, _event: Select.Changed) -> None:
        if self.is_mounted and self.initial:
            self.validate()

    def on_text_area_changed(self, _event: TextArea.Changed) -> None:
        if self.is_mounted and self.initial:
            self.validate()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        """Enter moves on to the next field, as on a paper form; ctrl+s saves."""
        event.stop()
        self.focus_next()

    # -- funding rows -----------------------------------------------------------------------
    async def action_tambah_dana(self) -> None:
        row = FundingRow(self.funding_sources)
        await self.query_one("#dana-rows").mount(row)
        row.query_one(Select).focus()
        self.validate()

    async def action_hapus_dana(self) -> None:
        rows = list(self.query(FundingRow))
        if len(rows) <= 1:
            self.notify("Minimal satu baris sumber dana.", severity="warning")
            return
        focused = self.focused
        target = next(
            (r for r in rows if focused is not None and focused in r.walk_children()), rows[-1]
        )
        await target.remove()
        self.validate()

    # -- saving ---------------------------------------------------------------------------
    def action_simpan(self) -> None:
        self.attempted = True
        record = self.validate()
        if record is None:
            self._focus_first_problem()
            self.notify(
                "Periksa isian yang ditandai merah.", title="Belum disimpan", severity="error"
            )
            return
        pagu = self.forum.meta.get("pagu") or None
        doubt = doubt_amount(record["biaya"], pagu=pagu)
        if doubt is not None and record["biaya"] != self._amount_kept:
            self.app.push_screen(AmountDialog(doubt), self._amount_answered)
            return
        self._check_duplicates(record)

    def _amount_answered(self, answer: str | None) -> None:
        """The operator's word on a doubtful cost: take the suggestion, keep, or fix it."""
        biaya = self.query_one("#f-biaya", Input)
        record = self.validate()
        if record is None:
            return
        if answer == "saran":
            doubt = doubt_amount(record["biaya"], pagu=self.forum.meta.get("pagu") or None)
            if doubt is not None and doubt.saran is not None:
                biaya.value = number_text(doubt.saran)
            self.action_simpan()
        elif answer == "tetap":
            self._amount_kept = record["biaya"]
            self.action_simpan()
        else:
            biaya.focus()

    def _check_duplicates(self, record: dict[str, Any]) -> None:
        duplicates = self._new_duplicates(record)
        if not duplicates:
            self._save()
            return
        lines = ["Usulan ini mirip dengan usulan yang sudah ada:"]
        lines += [
            f"  #{d.get('urutan', d['id'])} {d['kegiatan']} ({d['desa']}, {d.get('lokasi') or '-'})"
            for d in duplicates[:5]
        ]
        lines += ["", "Tetap simpan? Usulan ditandai sebagai kemungkinan duplikat, tidak dibuang."]
        self.app.push_screen(
            ConfirmDialog("Kemungkinan duplikat", lines), lambda yes: self._save() if yes else None
        )

    def _focus_first_problem(self) -> None:
        """Put the cursor where the first message is, so the fix is one keystroke away."""
        for key in ALL_FIELDS:
            if self.query_one(f"#galat-{key}", Label).display:
                target = (
                    self.query(FundingRow).first().query_one(Select)
                    if (key == "sumber_dana")
                    else self.query_one(f"#f-{key}")
                )
                target.focus()
                return

    def _new_duplicates(self, record: dict[str, Any]) -> list[dict[str, Any]]:
        """Likely duplicates the user has not yet been told about."""
        if self.record is None:
            return self.forum.proposals.likely_duplicates(record)
        matches = self.forum.proposals.likely_duplicates({**record, "id": self.record["id"]})
        known = self.record.get("duplikat_dari")
        return [m for m in matches if m["id"] != known]

    def _save(self) -> None:
        fields, _ = self.typed_values(self.values())
        if self.record is None:

            def change() -> tuple[int, list[str]]:
                return self.forum.proposals.add(**fields)
        else:
            rec_id = self.record["id"]

            def change() -> tuple[int, list[str]]:
                self.forum.proposals.update(rec_id, **fields)
                return rec_id, []

        what = f"usulan #{self.record['urutan']}" if self.record else "usulan baru"
        apply_change(
            self.app, self.forum, change, on_done=self.dismiss, on_error=self._refused, what=what
        )

    def _refused(self, error: ValidationError) -> None:
        if isinstance(error, RecordInvalid):
            messages = {e.field: e.message for e in error.errors}
        else:
            messages = {error.field: error.message}
        for key, message in messages.items():
            target = f"#galat-{key}" if key in ALL_FIELDS else "#galat-umum"
            show_message(self.query_one(target, Label), message)
        self.notify(error.message, title="Tidak disimpan", severity="error")
