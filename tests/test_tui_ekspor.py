"""The Ekspor & Tanda tangan tab: the checklist, the document header, finalising (refused
while the header is incomplete), signatures in SOP order, amendments with a reason, the
purge of personal data, and exports written in a worker with their verification codes.
"""

from __future__ import annotations

import contextlib
from pathlib import Path
from typing import Any

import pytest
from textual.app import App
from textual.widgets import DataTable, Input, Label, Select

from store.forum import Forum, open_forum
from store.office import load_office, save_office
from tests.forum_factory import StepClock, make_forum, make_ready
from tests.pilot_waits import open_tab, wait_for_screen, wait_until
from tests.test_tui_usulan import PaneHost
from tui.ekspor.header import EksporHeader
from tui.ekspor.pane import EksporPane
from tui.ekspor.readiness import ReadinessDialog
from tui.ekspor.sign import EksporSign
from tui.ekspor.state import default_folder, document_rows, exports_module, short_code
from tui.widgets.dialogs import ConfirmDialog, ReasonDialog

NIP_CAMAT = "196911191998031005"
needs_exports = pytest.mark.skipif(
    exports_module("export_all") is None, reason="exports belum tersedia"
)


@pytest.fixture
def small_forum(tmp_path: Path) -> Forum:
    """A Sooko kecamatan forum with its header complete and one proposal."""
    forum = make_forum(tmp_path / "kecil.musrenbang", clock=StepClock())
    forum.proposals.add(desa="Japan", kegiatan="Paving jalan Krajan", biaya="140.000.000")
    return forum


def host(forum: Forum) -> PaneHost:
    return PaneHost(forum, EksporPane)


def cells(app: App[Any], table_id: str, column: int) -> list[str]:
    table = app.query_one(table_id, DataTable)
    return [str(table.get_row_at(i)[column]) for i in range(table.row_count)]


def text_of(app: App[Any], selector: str) -> str:
    return str(app.screen.query_one(selector).render())


def message_of(app: App[Any], field: str) -> str:
    label = app.screen.query_one(f"#galat-{field}", Label)
    return str(label.render()) if label.display else ""


async def type_into(pilot: Any, selector: str, text: str) -> None:
    widget = pilot.app.screen.query_one(selector, Input)
    widget.focus()
    widget.value = ""
    await pilot.pause()  # the focus moves before the first key arrives
    await pilot.press(*text)


# -- checklist and sign-off -------------------------------------------------------------------
async def test_checklist_lists_the_six_documents_and_required_roles(small_forum):
    async with host(small_forum).run_test(size=(120, 40)) as pilot:
        assert cells(pilot.app, "#ekspor-dokumen", 0) == [
            "Berita Acara",
            "Daftar Hadir",
            "Notulen",
            "Rekapitulasi Usulan",
            "Surat Pengantar",
            "Surat Mandat",
        ]
        assert set(cells(pilot.app, "#ekspor-dokumen", 1)) == {"belum"}
        assert cells(pilot.app, "#ekspor-ttd", 0) == ["Sekretaris Kecamatan", "Camat"]
        assert cells(pilot.app, "#ekspor-ttd", 2) == ["(belum)", "(belum)"]
        assert text_of(pilot.app, "#ekspor-status").startswith("Status forum: DRAF")


async def test_finalize_is_refused_while_the_date_is_missing(tmp_path):
    forum = make_forum(tmp_path / "tanpa-tanggal.musrenbang", tanggal=None)
    async with host(forum).run_test(size=(120, 40)) as pilot:
        folded = text_of(pilot.app, "#ekspor-pesan")
        assert "Belum siap final" in folded and "w: rincian" in folded and "\n" not in folded
        await pilot.press("w")  # unfold: the first items, each with where it is fixed
        await pilot.pause()
        notice = text_of(pilot.app, "#ekspor-pesan")
        assert "Belum diisi: tanggal." in notice and "ctrl+n Kepala dokumen" in notice
        await pilot.press("ctrl+l")
        await pilot.pause()
        await wait_for_screen(pilot, ReadinessDialog)
        dialog = pilot.app.screen
        assert isinstance(dialog, ReadinessDialog) and not dialog.readiness.siap
        listed = text_of(pilot.app, "#siap-teks")
        for item in ("tanggal", "peserta", "usulan", "Materi", "Nomor berita acara"):
            assert item in listed, item
        await pilot.press("enter")  # nothing to agree to while blocked
        await pilot.pause()
        assert pilot.app.screen is dialog and forum.status == "draf"
        await pilot.press("escape")
        await pilot.pause()
        assert forum.status == "draf"


async def test_finalize_shows_the_warnings_and_the_audit_keeps_them(small_forum):
    small_forum.proposals.add(desa="Japan", kegiatan="Drainase", biaya="1.000.000")
    make_ready(small_forum)  # one proposal decided, one undecided: a warning, not a block
    async with host(small_forum).run_test(size=(120, 40)) as pilot:
        assert "Siap difinalkan; " in text_of(pilot.app, "#ekspor-pesan")
        await pilot.press("ctrl+l")
        await pilot.pause()
        await wait_for_screen(pilot, ReadinessDialog)
        assert isinstance(pilot.app.screen, ReadinessDialog)
        listed = text_of(pilot.app, "#siap-teks")
        assert '1 usulan belum diputuskan (masih berstatus diusulkan): "Drainase" (Japan)' in listed
        hints = [str(w.render()) for w in pilot.app.screen.query(".petunjuk")]
        assert any("tetap belum diputuskan" in h for h in hints)
        await pilot.press("enter")
        await pilot.pause()
        assert small_forum.status == "final"
    kept = [e for e in small_forum.audit() if e["aksi"] == "final-dengan-peringatan"]
    assert any("1 usulan belum diputuskan" in w for w in kept[0]["baru"]["peringatan"])


async def test_sign_dialog_names_a_kepala_desa_from_the_forum(tmp_path):
    forum = make_forum(tmp_path / "desa.musrenbang", level="desa", pimpinan="Sutrisno")
    forum.update_meta(pimpinan_jabatan="Kepala Desa Japan")
    forum.participants.add(
        nama="Agus Santoso", jenis_kelamin="L", jabatan="Ketua BPD", desa="Japan", hadir=True
    )
    make_ready(forum).signoff.finalize()
    async with host(forum).run_test(size=(120, 40)) as pilot:
        await pilot.press("ctrl+t")
        screen = pilot.app.screen
        assert screen.query_one("#peran", Select).value == "kepala-desa"
        assert screen.query_one("#nama", Input).value == "Sutrisno"
        screen.query_one("#peran", Select).value = "ketua-bpd"
        await pilot.pause()
        assert screen.query_one("#nama", Input).value == "Agus Santoso"


async def test_sign_dialog_refuses_a_wakil_masyarakat_who_never_came(tmp_path):
    forum = make_forum(tmp_path / "desa.musrenbang", level="desa", pimpinan="Sutrisno")
    forum.participants.add(nama="Mbah Karto", jenis_kelamin="L", unsur="Tokoh Masyarakat")
    make_ready(forum).signoff.finalize()
    async with host(forum).run_test(size=(120, 40)) as pilot:
        await pilot.press("ctrl+t")
        pilot.app.screen.query_one("#peran", Select).value = "wakil-masyarakat"
        await pilot.pause()
        await type_into(pilot, "#nama", "Mbah Karto")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "Mbah Karto terdaftar tetapi belum ditandai hadir" in message_of(pilot.app, "nama")
        assert forum.signoff.signatures() == []


async def test_header_then_finalize_then_sign_in_sop_order(tmp_path):
    forum = make_forum(tmp_path / "alur.musrenbang", tanggal=None)
    async with host(forum).run_test(size=(120, 40)) as pilot:
        await pilot.press("ctrl+n")
        await wait_for_screen(pilot, EksporHeader)
        assert isinstance(pilot.app.screen, EksporHeader)
        assert pilot.app.screen.focused is pilot.app.screen.query_one("#tanggal", Input)
        await pilot.press(*"12-02-2026", "ctrl+s")
        await pilot.pause()
        assert forum.meta["tanggal"] == "2026-02-12"

        make_ready(forum)
        await pilot.press("ctrl+l")
        await wait_for_screen(pilot, ReadinessDialog)
        assert isinstance(pilot.app.screen, ReadinessDialog)
        await pilot.press("enter")
        await pilot.pause()
        assert forum.status == "final"
        assert text_of(pilot.app, "#ekspor-status").startswith("Status forum: FINAL")

        await pilot.press("ctrl+t")
        await wait_for_screen(pilot, EksporSign)
        sign = pilot.app.screen
        assert isinstance(sign, EksporSign)
        sign.query_one("#peran", Select).value = "camat"  # before the Sekcam's paraf
        await type_into(pilot, "#nama", "Drs. Hendro Prasetyo")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "paraf" in message_of(pilot.app, "peran")
        assert forum.signoff.signatures() == []

        sign.query_one("#peran", Select).value = "sekcam"
        await type_into(pilot, "#nama", "Siti Aminah")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert cells(pilot.app, "#ekspor-ttd", 2)[0] == "Siti Aminah"
        assert cells(pilot.app, "#ekspor-ttd", 1)[0] == "paraf"

        await pilot.press("ctrl+t")
        assert pilot.app.screen.query_one("#peran", Select).value == "camat"
        await type_into(pilot, "#nama", "Drs. Hendro Prasetyo")
        await type_into(pilot, "#nip", "12345")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "18 angka" in message_of(pilot.app, "nip")
        await type_into(pilot, "#nip", NIP_CAMAT)
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert forum.status == "ditandatangani"
        assert cells(pilot.app, "#ekspor-ttd", 3)[1] == "19691119 199803 1 005"
        assert "Tanda tangan wajib 2/2" in text_of(pilot.app, "#ekspor-status")


async def test_signatory_is_prefilled_from_the_office(small_forum):
    office = load_office()
    office["penandatangan"] = {
        "sekcam": {"nama": "Siti Aminah, S.Sos", "nip": "", "pangkat": "Penata Tk. I (III/d)"}
    }
    save_office(office)
    make_ready(small_forum).signoff.finalize()
    async with host(small_forum).run_test(size=(120, 40)) as pilot:
        await pilot.press("ctrl+t")
        screen = pilot.app.screen
        assert screen.query_one("#nama", Input).value == "Siti Aminah, S.Sos"
        assert screen.query_one("#pangkat", Input).value == "Penata Tk. I (III/d)"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert small_forum.signoff.signatures()[0]["pangkat"] == "Penata Tk. I (III/d)"


async def test_amendment_of_a_final_forum_needs_a_reason(small_forum):
    make_ready(small_forum).signoff.finalize()
    async with host(small_forum).run_test(size=(120, 40)) as pilot:
        await pilot.press("ctrl+n")
        await wait_for_screen(pilot, EksporHeader)
        assert isinstance(pilot.app.screen, EksporHeader)
        await type_into(pilot, "#tempat", "Balai Desa Japan")
        await pilot.press("ctrl+s")
        await pilot.pause()
        await wait_for_screen(pilot, ReasonDialog)
        assert isinstance(pilot.app.screen, ReasonDialog)
        await pilot.press("enter")
        assert "wajib" in message_of(pilot.app, "alasan")
        await pilot.press(*"Tempat pindah karena hujan", "enter")
        await pilot.pause()
        assert small_forum.meta["tempat"] == "Balai Desa Japan"
        assert small_forum.amendments()[-1]["alasan"] == "Tempat pindah karena hujan"
        assert "1 amandemen" in text_of(pilot.app, "#ekspor-pesan")


async def test_purge_personal_data_after_sign_off(small_forum):
    person, _ = small_forum.participants.add(
        nama="Siti Rahayu", jenis_kelamin="P", telepon="0812 3456 7890"
    )
    make_ready(small_forum).signoff.finalize()
    async with host(small_forum).run_test(size=(120, 40)) as pilot:
        shown = {b.binding.action for b in pilot.app.screen.active_bindings.values()}
        assert "hapus_pribadi" not in shown  # only after sign-off
        small_forum.signoff.sign("sekcam", "Siti Aminah")
        small_forum.signoff.sign("camat", "Hendro")
        await pilot.pause()
        await pilot.press("ctrl+y")
        await wait_for_screen(pilot, ConfirmDialog)
        assert isinstance(pilot.app.screen, ConfirmDialog)
        await pilot.press("enter")
        await pilot.pause()
        assert small_forum.participants.get(person)["telepon"] == ""


async def test_read_only_forum_exports_but_does_not_sign(small_forum):
    reader = open_forum(small_forum.path, readonly=True)
    try:
        async with host(reader).run_test(size=(120, 40)) as pilot:
            assert "hanya-baca" in text_of(pilot.app, "#ekspor-pesan")
            shown = {b.binding.action for b in pilot.app.screen.active_bindings.values()}
            assert "ekspor" in shown
            assert not shown & {"finalkan", "tanda_tangan", "kepala", "amandemen"}
    finally:
        small_forum.close()


# -- exports -----------------------------------------------------------------------------------
@needs_exports
async def test_export_all_writes_six_documents_with_codes(demo_forum_path, fixed_clock):
    forum = open_forum(demo_forum_path, clock=fixed_clock)
    folder = default_folder(forum)
    async with host(forum).run_test(size=(120, 40)) as pilot:
        await pilot.press("f9")
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        written = sorted(p.name for p in folder.iterdir())
        assert written == [
            "berita-acara.docx",
            "daftar-hadir.docx",
            "notulen.docx",
            "rekap.docx",
            "surat-mandat.docx",
            "surat-pengantar.docx",
        ]
        assert set(cells(pilot.app, "#ekspor-dokumen", 1)) == {"draf"}
        assert all(code.startswith("ID ") for code in cells(pilot.app, "#ekspor-dokumen", 2))
        result = text_of(pilot.app, "#ekspor-hasil")
        assert f"ke {folder}:" in result and "rekap.docx  kode ID " in result
        assert cells(pilot.app, "#ekspor-dokumen", 3)[0] == "berita-acara.docx"  # in Folder


@needs_exports
async def test_written_files_are_in_view_at_80x24(demo_forum_path, fixed_clock):
    """After an export the list of written files is on screen whole, not below its edge."""
    from tui.app import MusrenbangApp

    app = MusrenbangApp(demo_forum_path, clock=fixed_clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_tab(pilot, "f6", "EksporPane")
        await pilot.press("f9")
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        await pilot.pause()
        body = app.screen.query_one("#ekspor-isi")
        result = app.screen.query_one("#ekspor-hasil")
        assert len(result.render().plain.splitlines()) == 7  # the folder, then six files
        # The scroll to the list is animated: wait for it (a loaded machine is slow), then
        # hold it to the region's test.
        with contextlib.suppress(AssertionError):
            await wait_until(pilot, lambda: body.region.contains_region(result.region), 5)
        assert body.region.contains_region(result.region), (body.region, result.region)
        table = app.screen.query_one("#ekspor-ttd", DataTable)
        assert table.region.height == 1 + table.row_count  # no horizontal scrollbar
    app.close_forums()


@needs_exports
async def test_table_documents_as_xlsx_and_the_blanko(small_forum):
    folder = default_folder(small_forum)
    async with host(small_forum).run_test(size=(120, 40)) as pilot:
        pilot.app.query_one("#ekspor-format", Select).value = "xlsx"
        await pilot.press("f9")
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        assert sorted(p.name for p in folder.iterdir()) == [
            "daftar-hadir.xlsx",
            "notulen.xlsx",
            "rekap.xlsx",
        ]
        await pilot.press("ctrl+f")
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        assert (folder / "daftar-hadir-blanko.docx").exists()


@needs_exports
async def test_export_one_document_asks_the_key_passphrase(small_forum):
    exports_module("keys").init_keys(passphrase="rahasia kantor")
    folder = default_folder(small_forum)
    async with host(small_forum).run_test(size=(120, 40)) as pilot:
        await pilot.press("f7")  # the highlighted document: Berita Acara
        await wait_for_screen(pilot, ReasonDialog)
        assert isinstance(pilot.app.screen, ReasonDialog)
        await pilot.press(*"rahasia kantor", "enter")
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        assert [p.name for p in folder.iterdir()] == ["berita-acara.docx"]
        assert cells(pilot.app, "#ekspor-dokumen", 1)[0] == "draf"


# -- pure rules --------------------------------------------------------------------------------
def test_document_state_follows_the_latest_issue(small_forum):
    entries = [
        {
            "doc_id": "AAAAABBBBB",
            "jenis": "berita-acara",
            "status": "diganti",
            "status_forum": "draf",
            "berkas": "/x/ba-lama.docx",
        },
        {
            "doc_id": "CCCCCDDDDD",
            "jenis": "berita-acara",
            "status": "berlaku",
            "status_forum": "final",
            "berkas": "/x/berita-acara.docx",
        },
        {
            "doc_id": "EEEEEFFFFF",
            "jenis": "notulen",
            "status": "berlaku",
            "status_forum": "draf",
            "berkas": "/x/notulen.docx",
        },
        {"doc_id": "GGGGGHHHHH", "jenis": "rekap", "status": "diganti", "status_forum": "final"},
    ]
    rows = {row.kind: row for row in document_rows(small_forum, entries)}
    assert (rows["berita-acara"].state, rows["berita-acara"].code) == ("final", "ID CCCCC-DDDDD")
    assert rows["notulen"].state == "draf"
    assert rows["rekap"].state == "diganti"
    assert rows["surat-mandat"].state == "belum"
    make_ready(small_forum).signoff.finalize()
    with small_forum.amendment("Biaya salah ketik"):
        small_forum.update_meta(tempat="Balai Desa")
    entries[1]["dibuat"] = "2026-02-12T08:00:00"  # issued before the amendment
    assert document_rows(small_forum, entries)[0].state == "diganti"
    small_forum.close()


def test_short_code_is_the_printed_form():
    assert short_code("7F3K2Q9XAM") == "ID 7F3K2-Q9XAM"
    assert short_code("") == ""


# -- snapshots --------------------------------------------------------------------------------
@pytest.mark.parametrize("size", [(80, 24), (120, 40)], ids=["80x24", "120x40"])
def test_snapshot_ekspor(snap_compare, demo_forum_path, fixed_clock, size):
    forum = open_forum(demo_forum_path, clock=fixed_clock)

    def stable_folder(pilot: Any) -> None:  # the real folder lies in a per-test tmp dir
        pilot.app.query_one("#ekspor-folder", Input).value = "demo-sooko-2027-dokumen"

    assert snap_compare(host(forum), terminal_size=size, run_before=stable_folder)


def test_snapshot_readiness_dialog_of_an_empty_forum(snap_compare, tmp_path, fixed_clock):
    """The longest readiness list: a forum with nothing but its header missing too."""
    forum = make_forum(tmp_path / "kosong.musrenbang", clock=fixed_clock, tanggal=None, pagu=None)

    async def open_list(pilot: Any) -> None:
        await pilot.press("ctrl+l")
        await pilot.pause()

    assert snap_compare(host(forum), terminal_size=(80, 24), run_before=open_list)


async def test_readiness_notice_follows_the_attendance(small_forum):
    async with host(small_forum).run_test(size=(120, 40)) as pilot:
        await pilot.press("w")  # the items, not only their count
        await pilot.pause()
        assert "peserta yang tercatat hadir" in text_of(pilot.app, "#ekspor-pesan")
        small_forum.participants.add(nama="Ani", jenis_kelamin="P", desa="Japan", hadir=True)
        await pilot.pause()
        assert "peserta yang tercatat hadir" not in text_of(pilot.app, "#ekspor-pesan")


async def test_unready_notice_leaves_the_document_table_in_view_at_80x24(tmp_path):
    """Folded to one line, the readiness notice keeps the Dokumen table on an 80x24 screen;
    w unfolds it and folds it again."""
    forum = make_forum(tmp_path / "tanpa-tanggal.musrenbang", tanggal=None)
    async with host(forum).run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        table = pilot.app.screen.query_one("#ekspor-dokumen", DataTable)
        scroll = pilot.app.screen.query_one("#ekspor-isi")
        assert pilot.app.screen.query_one("#ekspor-pesan").region.height == 1
        assert scroll.scroll_y == 0 and table.region.height >= 1 + table.row_count
        assert table.region.bottom <= pilot.app.size.height
        await pilot.press("w")
        await pilot.pause()
        assert pilot.app.screen.query_one("#ekspor-pesan").region.height > 1
        await pilot.press("w")
        await pilot.pause()
        assert pilot.app.screen.query_one("#ekspor-pesan").region.height == 1
