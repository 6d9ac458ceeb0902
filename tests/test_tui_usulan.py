"""The Usulan tab: table, totals, sort and filter, the add/edit form with live validation,
duplicates, status with reason, imports with preview, read-only and final forums.

Each test mounts the pane alone in a tiny host app (the real app's stylesheet, an injected
clock) on a forum built through the store's facade, drives it with keys, and checks both
the screen and the forum.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from textual.app import App, ComposeResult
from textual.widget import Widget
from textual.widgets import DataTable, Footer, Input, Label, Select, Static

import tui
from store.forum import Forum, open_forum
from store.short_names import middle_cut
from store.validation import ValidationError
from tests.forum_factory import StepClock, make_forum, make_ready
from tests.pilot_waits import wait_for_screen
from tui.usulan.amount_check import AmountDialog
from tui.usulan.form import UsulanForm, funding_text, number_text
from tui.usulan.impor import UsulanImport, build_preview
from tui.usulan.pane import UsulanPane
from tui.usulan.status import UsulanStatus
from tui.usulan.view import (
    Filter,
    column_widths,
    columns_for,
    haystack,
    next_sort,
    sort_key,
    totals_text,
)
from tui.widgets.dialogs import ConfirmDialog, ReasonDialog

DATA = Path(__file__).parent / "data"
PAVING = {
    "desa": "Japan",
    "kegiatan": "Paving jalan lingkungan Dusun Krajan",
    "lokasi": "Dusun Krajan RT 01 RW 02",
    "biaya": "140.000.000",
    "bidang": "Infrastruktur",
    "sumber_dana": "APBD Kab",
}


class PaneHost(App[None]):
    """One pane on one forum, with the real app's stylesheet and a footer."""

    CSS_PATH = str(Path(tui.__file__).parent / "app.tcss")

    def __init__(self, forum: Forum, pane: Callable[[Forum], Widget]) -> None:
        super().__init__()
        self.forum = forum
        self._pane = pane

    def compose(self) -> ComposeResult:
        yield self._pane(self.forum)
        yield Footer()

    def on_mount(self) -> None:
        self.query_one(self._pane).focus_default()  # type: ignore[arg-type]

    def on_unmount(self) -> None:
        self.forum.close()


@pytest.fixture
def small_forum(tmp_path: Path) -> Forum:
    """A Sooko kecamatan forum with three proposals."""
    forum = make_forum(tmp_path / "kecil.musrenbang", clock=StepClock())
    forum.proposals.add(**PAVING)
    forum.proposals.add(
        desa="Sooko",
        kegiatan="Rehabilitasi gedung posyandu Melati",
        lokasi="RT 01 RW 01",
        biaya="85.000.000",
        bidang="Kesehatan",
        sumber_dana="DD:35.000.000; APBD Kab:50.000.000",
    )
    forum.proposals.add(
        desa="Brangkal",
        kegiatan="Irigasi tersier Brangkal",
        lokasi="Sawah",
        biaya="640.000.000",
        bidang="Pertanian",
        sumber_dana="APBD Prov",
    )
    return forum


def host(forum: Forum) -> PaneHost:
    return PaneHost(forum, UsulanPane)


def pane_of(app: App[Any]) -> UsulanPane:
    return app.query_one(UsulanPane)


def shown_activities(app: App[Any]) -> list[str]:
    table = app.query_one("#usulan-tabel", DataTable)
    return [str(table.get_row_at(i)[1]) for i in range(table.row_count)]


def as_shown(app: App[Any], name: str) -> str:
    """A name as the Kegiatan column shows it: cut in the middle to the column's width."""
    width = app.query_one("#usulan-tabel", DataTable).columns["kegiatan"].width
    return middle_cut(name, width)


async def fill(pilot: Any, selector: str, text: str) -> None:
    """Type into a field as a user would: focus it, clear it, type."""
    widget = pilot.app.screen.query_one(selector, Input)
    widget.focus()
    widget.value = ""
    await pilot.pause()  # the focus moves before the first key arrives
    await pilot.press(*text)


def message_of(app: App[Any], field: str) -> str:
    label = app.screen.query_one(f"#galat-{field}", Label)
    return str(label.render()) if label.display else ""


# -- the table --------------------------------------------------------------------------------
async def test_demo_table_shows_every_proposal_and_totals(demo_forum_path, fixed_clock):
    forum = open_forum(demo_forum_path, clock=fixed_clock)
    count = len(forum.proposals.all())
    async with host(forum).run_test(size=(120, 40)) as pilot:
        table = pilot.app.query_one("#usulan-tabel", DataTable)
        assert table.row_count == count
        total = str(pilot.app.query_one("#usulan-total", Static).render())
        assert total.startswith(f"{count} usulan  Rp")
        assert "/ pagu Rp2,5 M" in total


async def test_sort_cycles_and_orders_by_cost(small_forum):
    async with host(small_forum).run_test() as pilot:
        assert shown_activities(pilot.app)[0].startswith("Paving")
        await pilot.press("ctrl+s")
        assert pane_of(pilot.app).sort == "biaya"
        assert shown_activities(pilot.app)[0] == "Irigasi tersier Brangkal"
        shown = str(pilot.app.query_one("#usulan-filter").render())
        assert "diurutkan menurut biaya terbesar" in shown


async def test_filter_by_desa_and_text_updates_rows_and_totals(small_forum):
    async with host(small_forum).run_test() as pilot:
        await pilot.press("ctrl+f")
        dialog = pilot.app.screen
        dialog.query_one("#desa", Select).value = "Sooko"
        await pilot.press("enter")  # Enter in the text field applies
        assert shown_activities(pilot.app) == [
            as_shown(pilot.app, "Rehabilitasi gedung posyandu Melati")
        ]
        total = str(pilot.app.query_one("#usulan-total", Static).render())
        assert total.startswith("1 dari 3 usulan")
        await pilot.press("ctrl+f")
        await fill(pilot, "#teks", "irigasi")
        pilot.app.screen.query_one("#desa", Select).value = Select.NULL
        await pilot.press("enter")
        assert shown_activities(pilot.app) == ["Irigasi tersier Brangkal"]
        await pilot.press("ctrl+f", "ctrl+r")
        assert len(shown_activities(pilot.app)) == 3


async def test_change_elsewhere_updates_only_that_row(small_forum):
    async with host(small_forum).run_test() as pilot:
        table = pilot.app.query_one("#usulan-tabel", DataTable)
        first = small_forum.proposals.all()[0]
        small_forum.proposals.update(first["id"], kegiatan="Paving jalan Krajan (revisi)")
        await pilot.pause()
        assert str(table.get_row(str(first["id"]))[1]) == as_shown(
            pilot.app, "Paving jalan Krajan (revisi)"
        )
        small_forum.proposals.add(desa="Japan", kegiatan="Sumur bor", biaya="9.000.000")
        await pilot.pause()
        assert table.row_count == 4


async def test_scores_given_elsewhere_update_the_nilai_column(small_forum):
    async with host(small_forum).run_test(size=(120, 40)) as pilot:
        table = pilot.app.query_one("#usulan-tabel", DataTable)
        first = small_forum.proposals.all()[0]["id"]
        assert str(table.get_row(str(first))[-1]) == "-"
        with small_forum.batch():
            for criterion in small_forum.priority.criteria():
                small_forum.priority.set_score(first, criterion["id"], 5)
        await pilot.pause()
        assert str(table.get_row(str(first))[-1]) == "100,0"
        await pilot.press("ctrl+s", "ctrl+s", "ctrl+s", "ctrl+s")  # ... -> peringkat
        assert pane_of(pilot.app).sort == "nilai"
        assert shown_activities(pilot.app)[0].startswith("Paving")


async def test_delete_asks_first_and_duplicates_filter_toggles(small_forum):
    small_forum.proposals.add(**{**PAVING, "kegiatan": "Paving jalan lingkungan Krajan"})
    async with host(small_forum).run_test() as pilot:
        await pilot.press("ctrl+d")
        assert shown_activities(pilot.app) == [
            as_shown(pilot.app, "≈ Paving jalan lingkungan Krajan")
        ]
        await pilot.press("delete")
        await wait_for_screen(pilot, ConfirmDialog)
        assert isinstance(pilot.app.screen, ConfirmDialog)
        await pilot.press("enter")
        await pilot.pause()
        assert shown_activities(pilot.app) == []
        assert len(small_forum.proposals.all()) == 3
        await pilot.press("ctrl+d")
        assert len(shown_activities(pilot.app)) == 3


# -- the form ---------------------------------------------------------------------------------
async def test_add_proposal_through_the_form(small_forum):
    async with host(small_forum).run_test(size=(100, 40)) as pilot:
        await pilot.press("ctrl+a")
        await wait_for_screen(pilot, UsulanForm)
        form = pilot.app.screen
        assert isinstance(form, UsulanForm)
        form.query_one("#f-desa", Select).value = "Mojoranu"
        form.query_one("#f-bidang", Select).value = "Lingkungan"
        await fill(pilot, "#f-kegiatan", "Pembangunan TPS3R Dusun Kidul")
        await fill(pilot, "#f-biaya", "250.000.000")
        form.query_one(".dana Select", Select).value = "APBD Kab"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert not isinstance(pilot.app.screen, UsulanForm)
        added = [p for p in small_forum.proposals.all() if p["desa"] == "Mojoranu"]
        assert len(added) == 1
        assert added[0]["biaya"] == 250_000_000
        assert added[0]["sumber_dana"] == [{"sumber": "APBD Kab", "jumlah": 250_000_000}]
        assert "Pembangunan TPS3R Dusun Kidul" in shown_activities(pilot.app)


async def test_bad_input_shows_message_beside_field_and_saves_nothing(small_forum):
    async with host(small_forum).run_test(size=(100, 40)) as pilot:
        await pilot.press("ctrl+a")
        form = pilot.app.screen
        form.query_one("#f-desa", Select).value = "Japan"
        await fill(pilot, "#f-kegiatan", "Lampu jalan")
        await fill(pilot, "#f-biaya", "1.5 jt")  # the dot groups thousands: unclear
        await pilot.pause()
        assert "mis. 150.000.000, Rp150.000.000 atau 150 juta" in message_of(pilot.app, "biaya")
        assert message_of(pilot.app, "kegiatan") == ""
        await pilot.press("ctrl+s")
        await pilot.pause()
        await wait_for_screen(pilot, UsulanForm)
        assert isinstance(pilot.app.screen, UsulanForm)
        assert len(small_forum.proposals.all()) == 3


async def test_funding_sources_must_add_up_to_the_cost(small_forum):
    async with host(small_forum).run_test(size=(100, 40)) as pilot:
        await pilot.press("ctrl+a")
        form = pilot.app.screen
        form.query_one("#f-desa", Select).value = "Japan"
        await fill(pilot, "#f-kegiatan", "Jalan usaha tani Dusun Wetan")
        await fill(pilot, "#f-biaya", "100.000.000")
        await pilot.press("ctrl+n")
        rows = list(form.query(".dana"))
        assert len(rows) == 2
        rows[0].query_one(Select).value = "DD"
        rows[1].query_one(Select).value = "APBD Kab"
        for row, amount in zip(rows, ("40.000.000", "50.000.000"), strict=True):
            row.query_one(Input).focus()
            await pilot.press(*amount)
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "tidak sama dengan biaya" in message_of(pilot.app, "sumber_dana")
        assert len(small_forum.proposals.all()) == 3
        rows[1].query_one(Input).value = "60.000.000"
        await pilot.press("ctrl+s")
        await pilot.pause()
        saved = small_forum.proposals.all()[-1]
        assert saved["sumber_dana"] == [
            {"sumber": "DD", "jumlah": 40_000_000},
            {"sumber": "APBD Kab", "jumlah": 60_000_000},
        ]


async def test_edit_with_enter_prefills_and_saves(small_forum):
    async with host(small_forum).run_test(size=(100, 40)) as pilot:
        await pilot.press("down", "enter")  # the second proposal (posyandu)
        await wait_for_screen(pilot, UsulanForm)
        form = pilot.app.screen
        assert isinstance(form, UsulanForm)
        assert form.query_one("#f-biaya", Input).value == "85.000.000"
        amounts = [row.query_one(Input).value for row in form.query(".dana")]
        assert amounts == ["35.000.000", "50.000.000"]
        await fill(pilot, "#f-lokasi", "RT 02 RW 01")
        await pilot.press("ctrl+s")
        await pilot.pause()
        posyandu = small_forum.proposals.all()[1]
        assert posyandu["lokasi"] == "RT 02 RW 01"
        assert posyandu["biaya"] == 85_000_000


async def test_duplicate_warning_before_saving(small_forum):
    async with host(small_forum).run_test(size=(100, 40)) as pilot:
        for answer in ("escape", "enter"):
            await pilot.press("ctrl+a")
            form = pilot.app.screen
            form.query_one("#f-desa", Select).value = "Japan"
            await fill(pilot, "#f-kegiatan", "Paving jalan lingkungan Krajan Dusun")
            await fill(pilot, "#f-biaya", "120.000.000")
            await pilot.press("ctrl+s")
            await pilot.pause()
            await wait_for_screen(pilot, ConfirmDialog)
            assert isinstance(pilot.app.screen, ConfirmDialog)
            assert "Paving jalan lingkungan Dusun Krajan" in str(
                pilot.app.screen.query_one("#confirm-text", Static).render()
            )
            await pilot.press(answer)
            await pilot.pause()
            if answer == "escape":
                assert len(small_forum.proposals.all()) == 3
                await pilot.press("escape", "b")  # leave the form too, typing thrown away
        saved = small_forum.proposals.all()[-1]
        assert saved["duplikat_dari"] == small_forum.proposals.all()[0]["id"]
        assert shown_activities(pilot.app)[-1].startswith("≈ ")


async def test_status_needs_a_reason_for_cadangan(small_forum):
    async with host(small_forum).run_test(size=(100, 40)) as pilot:
        await pilot.press("ctrl+t")
        await wait_for_screen(pilot, UsulanStatus)
        dialog = pilot.app.screen
        assert isinstance(dialog, UsulanStatus)
        await pilot.press("down", "down", "enter")  # cadangan
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "wajib disertai alasan" in message_of(pilot.app, "alasan")
        first = small_forum.proposals.all()[0]
        assert first["status"] == "diusulkan"
        await fill(pilot, "#alasan", "Melebihi pagu indikatif")
        await pilot.press("enter")
        await pilot.pause()
        first = small_forum.proposals.all()[0]
        assert (first["status"], first["alasan"]) == ("cadangan", "Melebihi pagu indikatif")
        table = pilot.app.query_one("#usulan-tabel", DataTable)
        assert str(table.get_row(str(first["id"]))[-2]) == "cadangan"


async def test_final_forum_edit_is_an_amendment_with_reason(small_forum):
    make_ready(small_forum).signoff.finalize()
    async with host(small_forum).run_test(size=(100, 40)) as pilot:
        assert "amandemen" in str(pilot.app.query_one("#usulan-catatan", Static).render())
        await pilot.press("enter")
        await fill(pilot, "#f-biaya", "150.000.000")
        await pilot.press("ctrl+s")
        await pilot.pause()
        await wait_for_screen(pilot, ReasonDialog)
        assert isinstance(pilot.app.screen, ReasonDialog)
        await pilot.press(*"Salah ketik biaya", "enter")
        await pilot.pause()
        assert small_forum.proposals.all()[0]["biaya"] == 150_000_000
        assert small_forum.amendments()[-1]["alasan"] == "Salah ketik biaya"


async def test_read_only_forum_offers_no_editing(small_forum):
    reader = open_forum(small_forum.path, readonly=True)
    try:
        async with host(reader).run_test() as pilot:
            notice = pilot.app.query_one("#usulan-catatan", Static)
            assert notice.display and "hanya-baca" in str(notice.render())
            await pilot.press("ctrl+a", "ctrl+t", "f9", "enter")
            assert pilot.app.screen is pilot.app.screen_stack[0]
            shown = {b.binding.action for b in pilot.app.screen.active_bindings.values()}
            assert "tambah" not in shown and "filter" in shown
            small_forum.proposals.add(desa="Japan", kegiatan="Sumur bor", biaya="9.000.000")
            assert reader.refresh()
            pane_of(pilot.app).mark_all_changed()  # what the app does after a refresh
            await pilot.pause()
            assert shown_activities(pilot.app)[-1] == "Sumur bor"
    finally:
        small_forum.close()


# -- import -----------------------------------------------------------------------------------
async def open_import(pilot: Any, file: Path, *, from_kehadiran: bool = False) -> UsulanImport:
    if from_kehadiran:
        from tui.kehadiran.pane import KehadiranPane

        pilot.app.query_one(KehadiranPane).action_impor()
        await pilot.pause()
    else:
        await pilot.press("f9")
    await wait_for_screen(pilot, UsulanImport)
    dialog = pilot.app.screen
    assert isinstance(dialog, UsulanImport)
    await fill(pilot, "#berkas", str(file))
    await pilot.press("enter")
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    return dialog


async def test_import_with_errors_lists_rows_and_adds_nothing(small_forum):
    async with host(small_forum).run_test(size=(100, 40)) as pilot:
        dialog = await open_import(pilot, DATA / "usulan-impor-salah.csv")
        errors = str(dialog.query_one("#impor-galat", Static).render())
        assert "baris 3" not in errors  # "2,5 jt" reads as the F4 form reads it
        assert "baris 4: Kegiatan wajib diisi" in errors
        assert "baris 5: Desa: 'Sokoo'" in errors
        assert "baris 6: Sumber dana" in errors
        assert "ditolak" in str(dialog.query_one("#impor-ringkas", Static).render())
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert pilot.app.screen is dialog
        assert len(small_forum.proposals.all()) == 3


async def test_good_import_previews_then_adds_all_and_counts_duplicates(small_forum):
    async with host(small_forum).run_test(size=(100, 40)) as pilot:
        dialog = await open_import(pilot, DATA / "usulan-impor-baik.csv")
        preview = dialog.query_one("#impor-pratinjau", DataTable)
        assert preview.row_count == 4
        assert len(small_forum.proposals.all()) == 3  # nothing added before the user agrees
        marks = [str(preview.get_row_at(i)[1]) for i in range(4)]
        assert marks == ["#1", "-", "baris 3", "-"]
        await pilot.press("ctrl+s")
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        assert pilot.app.screen is pilot.app.screen_stack[0]
        assert len(small_forum.proposals.all()) == 7
        flagged = [p for p in small_forum.proposals.all() if p.get("duplikat_dari")]
        assert len(flagged) == 2
        assert pilot.app.query_one("#usulan-tabel", DataTable).row_count == 7


async def test_preview_shows_columns_and_a_changed_mapping_updates_at_once(small_forum, tmp_path):
    from store.import_memory import remembered_columns

    file = tmp_path / "usulan-desa.csv"
    file.write_text(
        "USULAN DESA JAPAN\n\nDesa;Kegiatan;Ongkos;Biaya (Rp)\n(1);(2);(3);(4)\n"
        "Japan;Paving;5;x\nJAPAN;Sumur;7;y\n",
        encoding="utf-8",
    )
    async with host(small_forum).run_test(size=(100, 40)) as pilot:
        dialog = await open_import(pilot, file)
        columns = dialog.query_one("#impor-kolom", DataTable)
        mapped = [tuple(str(c) for c in columns.get_row_at(i)) for i in range(columns.row_count)]
        assert mapped == [
            ("Desa", "desa"),
            ("Kegiatan", "kegiatan"),
            ("Ongkos", "diabaikan"),
            ("Biaya (Rp)", "biaya"),
        ]
        assert "baris 3" in str(columns.border_title)
        errors = str(dialog.query_one("#impor-galat", Static).render())
        notes = str(dialog.query_one("#impor-catatan", Static).render())
        assert "baris 5: Biaya" in errors and "Dilewati: baris 4: nomor kolom" in notes
        # Biaya (Rp) is the wrong column: move biaya to Ongkos by keyboard
        columns.focus()
        columns.move_cursor(row=3)
        await pilot.press("ctrl+k")
        await pilot.pause()
        choice = pilot.app.screen
        choice.query_one("OptionList").highlighted = 0  # diabaikan
        await pilot.press("enter")
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        columns.move_cursor(row=2)
        await pilot.press("ctrl+k")
        await pilot.pause()
        options = pilot.app.screen.query_one("OptionList")
        options.highlighted = [o.id for o in options.options].index("biaya")
        await pilot.press("enter")
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        assert dialog.preview is not None and not dialog.preview.errors
        assert dialog.query_one("#impor-pratinjau", DataTable).row_count == 2
        await pilot.press("ctrl+s")
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
    assert len(small_forum.proposals.all()) == 5
    remembered = remembered_columns([["Desa", "Kegiatan", "Ongkos", "Biaya (Rp)"]])
    assert remembered == {"biaya (rp)": None, "ongkos": "biaya"}


async def test_participants_import_from_kehadiran(small_forum):
    from tui.kehadiran.pane import KehadiranPane

    class Host(App):
        def compose(self) -> ComposeResult:
            yield KehadiranPane(small_forum)

    before = len(small_forum.participants.all())
    async with Host().run_test(size=(100, 40)) as pilot:
        await pilot.pause()
        pilot.app.query_one(KehadiranPane).action_impor()
        await pilot.pause()
        dialog = pilot.app.screen
        assert isinstance(dialog, UsulanImport) and dialog.kind == "peserta"
        await fill(pilot, "#berkas", str(DATA / "import" / "peserta-jenis-kelamin-lp.csv"))
        await pilot.press("enter")
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        assert dialog.query_one("#impor-pratinjau", DataTable).row_count == 2
        await pilot.press("ctrl+s")
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
    assert len(small_forum.participants.all()) == before + 2


def test_preview_refuses_a_participant_file(small_forum):
    with pytest.raises(ValidationError, match="data peserta"):
        build_preview(small_forum, DATA / "peserta-contoh.csv")
    small_forum.close()


# -- pure rules --------------------------------------------------------------------------------
def test_filter_matching_rules():
    paving = {
        "id": 1,
        "desa": "Japan",
        "bidang": "Infrastruktur",
        "status": "diusulkan",
        "kegiatan": "Paving jalan Krajan",
        "lokasi": "RT 01",
        "duplikat_dari": None,
    }
    text = haystack(paving)
    assert Filter().matches(paving, text)
    assert Filter(desa="Japan", teks="krajan paving").matches(paving, text)
    assert not Filter(desa="Sooko").matches(paving, text)
    assert not Filter(teks="irigasi").matches(paving, text)
    assert not Filter(hanya_duplikat=True).matches(paving, text)
    assert Filter().describe() == "semua usulan"
    assert Filter(status="cadangan", teks="jalan").describe() == 'status cadangan, memuat "jalan"'


def test_sort_keys_and_cycle():
    rows = [
        {"id": 1, "urutan": 1, "biaya": 5, "desa": "Sooko", "status": "cadangan"},
        {"id": 2, "urutan": 2, "biaya": 9, "desa": "Japan", "status": "diakomodir"},
    ]
    positions = {2: 0, 1: 1}
    order = {
        s: [r["id"] for r in sorted(rows, key=sort_key(s, positions))]
        for s in ("urutan", "biaya", "desa", "status", "nilai")
    }
    assert order == {
        "urutan": [1, 2],
        "biaya": [2, 1],
        "desa": [2, 1],
        "status": [2, 1],
        "nilai": [2, 1],
    }
    assert next_sort("nilai") == "urutan"


def test_columns_follow_the_width():
    narrow = columns_for(80)
    assert [c.key for c in narrow] == ["no", "kegiatan", "desa", "biaya", "status"]
    assert [c.key for c in columns_for(120)] == [
        "no",
        "kegiatan",
        "desa",
        "biaya",
        "dana",
        "status",
        "nilai",
    ]
    widths = column_widths(80, narrow, largest_number=152)
    assert widths["no"] == 3
    assert sum(widths.values()) + 2 * len(narrow) + 2 == 80


def test_totals_text_counts_filtered_rows_against_the_pagu():
    rows = [{"biaya": 312_000_000}, {"biaya": 88_000_000}]
    text = totals_text(rows, 152, {"diakomodir": 2_460_000_000, "pagu": 2_500_000_000})
    assert text == ("2 dari 152 usulan  Rp400 jt  diakomodir Rp2,5 M / pagu Rp2,5 M, sisa Rp40 jt")
    assert totals_text(rows, 2, {"diakomodir": 0, "pagu": 0}).endswith("pagu belum ditetapkan")


def test_form_helpers_speak_the_import_columns():
    assert funding_text([("APBD Kab", "")]) == "APBD Kab"
    assert funding_text([("DD", "50.000.000"), ("APBD Kab", "262.000.000"), ("", "")]) == (
        "DD:50.000.000; APBD Kab:262.000.000"
    )
    assert number_text(312_000_000) == "312.000.000"
    assert number_text(1.5) == "1,5"
    assert number_text(None) == ""


# -- snapshots --------------------------------------------------------------------------------
@pytest.mark.parametrize("size", [(80, 24), (120, 40)], ids=["80x24", "120x40"])
def test_snapshot_usulan(snap_compare, demo_forum_path, fixed_clock, size):
    forum = open_forum(demo_forum_path, clock=fixed_clock)
    assert snap_compare(host(forum), terminal_size=size)


async def choose_mapping(pilot: Any, dialog: UsulanImport, row: int, field: str) -> None:
    columns = dialog.query_one("#impor-kolom", DataTable)
    columns.move_cursor(row=row)
    await pilot.press("ctrl+k")
    await pilot.pause()
    options = pilot.app.screen.query_one("OptionList")
    options.highlighted = [o.id for o in options.options].index(field)
    await pilot.press("enter")
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


async def test_rejected_remap_never_imports_and_is_not_remembered(small_forum, tmp_path):
    """A mapping that breaks the file: ctrl+s adds nothing (not even the earlier good
    preview), ctrl+k still works to undo it, and nothing bad lands in kantor.json."""
    from store.import_memory import remembered_columns
    from tui.kehadiran.pane import KehadiranPane

    class Host(App):
        def compose(self) -> ComposeResult:
            yield KehadiranPane(small_forum)

    file = tmp_path / "peserta.csv"
    file.write_text("Nama Lengkap,L/P\nBudi,L\nDesa Brangkal,P\n", encoding="utf-8")
    before = len(small_forum.participants.all())
    async with Host().run_test(size=(100, 40)) as pilot:
        await pilot.pause()
        dialog = await open_import(pilot, file, from_kehadiran=True)
        assert dialog.preview is not None and not dialog.preview.errors
        assert pilot.app.focused is dialog.query_one("#impor-kolom", DataTable)
        await choose_mapping(pilot, dialog, 0, "unsur")
        summary = str(dialog.query_one("#impor-ringkas", Static).render())
        assert "DITOLAK" in summary and "--kolom" not in summary and "ctrl+k" in summary
        assert dialog.preview is None
        await pilot.press("ctrl+s")
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        assert pilot.app.screen is dialog
        assert len(small_forum.participants.all()) == before
        columns = dialog.query_one("#impor-kolom", DataTable)
        assert [str(c) for c in columns.get_row_at(0)] == ["Nama Lengkap", "unsur"]
        await choose_mapping(pilot, dialog, 0, "nama")  # ctrl+k works on the rejected preview
        assert dialog.preview is not None and not dialog.preview.errors
        assert pilot.app.focused is columns  # back from the dialog, Down moves the mapping
        await pilot.press("down")
        assert columns.cursor_row == 1
    assert remembered_columns([["Nama Lengkap", "L/P"]]) == {}


async def test_hand_mapping_kept_in_the_session_for_a_refused_file(small_forum, tmp_path):
    file = tmp_path / "usulan.csv"
    file.write_text("Desa;Kegiatan;Ongkos\nJapan;Paving;5\nJapan;Sumur;x\n", encoding="utf-8")
    async with host(small_forum).run_test(size=(100, 40)) as pilot:
        dialog = await open_import(pilot, file)
        assert dialog.header is None  # no biaya column: nothing to map yet
    file.write_text("Desa;Kegiatan;Ongkos;Biaya\nJapan;Paving;5;1\nJapan;Sumur;x;2\n")
    async with host(small_forum).run_test(size=(100, 40)) as pilot:
        dialog = await open_import(pilot, file)
        await choose_mapping(pilot, dialog, 3, "diabaikan")
        await choose_mapping(pilot, dialog, 2, "biaya")
        assert dialog.preview is not None and dialog.preview.errors  # "x" is no amount
        await pilot.press("escape")
        await pilot.pause()
        dialog = await open_import(pilot, file)
        mapped = dialog.query_one("#impor-kolom", DataTable)
        assert [str(mapped.get_row_at(i)[1]) for i in (2, 3)] == ["biaya", "diabaikan"]


def many_warnings(path: Path, rows: int = 14) -> Path:
    """A proposals file with a warning per row (double-encoded text) and a wrong JUMLAH."""
    lines = ["USULAN DESA JAPAN", "", "Desa;Kegiatan;Lokasi;Biaya (Rp)"]
    lines += [f"Japan;CafÃ© paving {n};RT {n:02d};{n}000000" for n in range(1, rows + 1)]
    lines.append("JUMLAH;;;999")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


async def test_many_warnings_fold_into_one_line_and_w_opens_them(small_forum, tmp_path):
    """At 80x24 the preview stays on screen: 15 warnings and the skipped JUMLAH row are one
    line until w opens them (focus goes to the list, w again folds it back)."""
    async with host(small_forum).run_test(size=(80, 24)) as pilot:
        dialog = await open_import(pilot, many_warnings(tmp_path / "usulan.csv"))
        summary = dialog.query_one("#impor-catatan-ringkas", Static)
        box = dialog.query_one("#impor-catatan-box")
        table = dialog.query_one("#impor-pratinjau", DataTable)
        assert str(summary.render()) == ("15 peringatan, 1 baris dilewati — tekan w untuk melihat")
        assert not box.display
        assert table.display and table.region.height >= 4
        assert table.region.bottom <= dialog.query_one("#dialog").region.bottom
        footer = {b.binding.key for b in dialog.active_bindings.values() if b.enabled}
        assert "w" in footer
        await pilot.press("w")
        await pilot.pause()
        shown = str(dialog.query_one("#impor-catatan", Static).render())
        assert box.display and pilot.app.focused is box
        assert "Dilewati: baris 18: baris jumlah" in shown
        assert shown.count("Peringatan: baris") == 15
        assert str(summary.render()).endswith("tekan w untuk menutup")
        await pilot.press("w")
        await pilot.pause()
        assert not box.display
        assert pilot.app.focused is dialog.query_one("#impor-kolom", DataTable)
        await pilot.press("ctrl+s")  # warnings never stop an import
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
    assert len(small_forum.proposals.all()) == 3 + 14


async def test_participants_import_folds_warnings_too(small_forum, tmp_path):
    from tui.kehadiran.pane import KehadiranPane

    class Host(App):
        def compose(self) -> ComposeResult:
            yield KehadiranPane(small_forum)

    file = tmp_path / "peserta.csv"
    people = [f"Peserta {n};L;PKK;Japan;081234567{n:03d}" for n in range(1, 9)]
    text = "Nama;L/P;Lembaga;Desa;Telepon\n" + "\n".join(people) + "\n"
    file.write_text(text.replace("Peserta", "CafÃ© Peserta"), encoding="utf-8")
    async with Host().run_test(size=(80, 24)) as pilot:
        dialog = await open_import(pilot, file, from_kehadiran=True)
        summary = str(dialog.query_one("#impor-catatan-ringkas", Static).render())
        assert summary == "8 peringatan — tekan w untuk melihat"
        assert dialog.query_one("#impor-pratinjau", DataTable).display
        await pilot.press("w")
        await pilot.pause()
        assert dialog.query_one("#impor-catatan-box").display


async def test_look_alike_names_keep_their_ends_at_80_columns(tmp_path):
    forum = make_forum(tmp_path / "mirip.musrenbang", clock=StepClock())
    stem = "Pembangunan jalan paving lingkungan Dusun "
    for place in ("Krajan RT 01", "Kulon RT 03"):
        forum.proposals.add(desa="Japan", kegiatan=stem + place, biaya="300.000.000")
    async with host(forum).run_test(size=(80, 24)) as pilot:
        first, second = shown_activities(pilot.app)
        assert first != second and first.endswith("RT 01") and second.endswith("RT 03")


async def new_japan_form(pilot: Any, kegiatan: str) -> UsulanForm:
    """The Tambah usulan form with its desa (Japan) and kegiatan filled."""
    await pilot.press("ctrl+a")
    await wait_for_screen(pilot, UsulanForm)
    form = pilot.app.screen
    assert isinstance(form, UsulanForm)
    form.query_one("#f-desa", Select).value = "Japan"
    await fill(pilot, "#f-kegiatan", kegiatan)
    return form


async def test_numbers_typed_with_their_unit_are_taken(small_forum):
    async with host(small_forum).run_test(size=(100, 40)) as pilot:
        form = await new_japan_form(pilot, "Paving jalan Dusun Wetan")
        await fill(pilot, "#f-volume", "150 m")
        await fill(pilot, "#f-penerima_manfaat", "40 KK")
        await pilot.pause()
        assert "tulis jumlah orangnya, mis. 160 jiwa" in message_of(pilot.app, "penerima_manfaat")
        await fill(pilot, "#f-penerima_manfaat", "250 jiwa")
        await fill(pilot, "#f-biaya", "Rp 150 juta")
        await pilot.pause()
        assert "Biaya Rp150.000.000" in str(form.query_one("#dana-info", Label).render())
        form.query_one(".dana Select", Select).value = "DD"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert not isinstance(pilot.app.screen, UsulanForm)
    (added,) = [p for p in small_forum.proposals.all() if p["kegiatan"].endswith("Wetan")]
    assert (added["volume"], added["satuan"], added["penerima_manfaat"], added["biaya"]) == (
        150,
        "m",
        250,
        150_000_000,
    )


async def fill_paving(pilot: Any, biaya: str) -> UsulanForm:
    form = await new_japan_form(pilot, "Paving jalan Dusun Kulon")
    await fill(pilot, "#f-biaya", biaya)
    form.query_one(".dana Select", Select).value = "DD"
    await pilot.press("ctrl+s")
    await pilot.pause()
    return form


def paving_costs(forum: Forum) -> list[int]:
    return [p["biaya"] for p in forum.proposals.all() if p["kegiatan"].endswith("Kulon")]


async def test_an_implausible_cost_is_questioned_and_the_suggestion_taken(small_forum):
    async with host(small_forum).run_test(size=(80, 24)) as pilot:
        await fill_paving(pilot, "Rp310")
        dialog = pilot.app.screen
        assert isinstance(dialog, AmountDialog)
        assert dialog.doubt.pertanyaan == "Maksud Anda Rp310.000.000?"
        assert paving_costs(small_forum) == []  # nothing saved while asking
        await pilot.press("enter")
        await pilot.pause()
    assert paving_costs(small_forum) == [310_000_000]


async def test_an_implausible_cost_can_be_kept_or_corrected(small_forum):
    async with host(small_forum).run_test(size=(80, 24)) as pilot:
        form = await fill_paving(pilot, "Rp310")
        await pilot.press("escape")  # back to the field, nothing saved
        await pilot.pause()
        assert pilot.app.screen is form and form.focused is form.query_one("#f-biaya")
        assert paving_costs(small_forum) == []
        await pilot.press("ctrl+s")
        await pilot.pause()
        await wait_for_screen(pilot, AmountDialog)
        assert isinstance(pilot.app.screen, AmountDialog)
        await pilot.press("t")  # keep as typed: a warning, not a refusal
        await pilot.pause()
    assert paving_costs(small_forum) == [310]


def test_snapshot_amount_question(snap_compare, tmp_path):
    forum = make_forum(tmp_path / "ragu.musrenbang", clock=StepClock())

    async def ask(pilot: Any) -> None:
        await fill_paving(pilot, "Rp310")
        assert isinstance(pilot.app.screen, AmountDialog)

    assert snap_compare(host(forum), terminal_size=(80, 24), run_before=ask)


async def test_import_preview_names_costs_that_look_mistyped(small_forum, tmp_path):
    sheet = tmp_path / "usulan-ragu.csv"
    sheet.write_text(
        "desa;kegiatan;biaya;sumber_dana\n"
        "Japan;Paving jalan Dusun Kulon;310;DD\n"
        "Sooko;Posyandu Melati;45.000.000;DD\n",
        encoding="utf-8",
    )
    async with host(small_forum).run_test(size=(100, 40)) as pilot:
        dialog = await open_import(pilot, sheet)
        said = str(dialog.query_one("#impor-galat", Static).render())
        assert "Periksa: baris 2: Biaya Rp310 terlalu kecil" in said
        assert "Maksud Anda Rp310.000.000?" in said and "baris 3" not in said
        await pilot.press("ctrl+s")  # a warning: the rows are still added
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
    assert len(small_forum.proposals.all()) == 5
