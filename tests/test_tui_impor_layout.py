"""The import preview at 80x24: the mapping table takes the focus and shows it, every Tab
stop is on screen, the preview gets rows, the file field folds away (ctrl+o brings it
back); F2's import says its outcome on the status line, never over the counts panel; a
participant already registered is named, not added."""

from __future__ import annotations

import shutil
from pathlib import Path

from textual.app import App, ComposeResult
from textual.widgets import DataTable, Input, Static

from tests.test_tui_usulan import host, open_import, small_forum  # noqa: F401  (fixture)

CASES = Path(__file__).parent / "data" / "import"


def _on_screen(widget, size) -> bool:
    region = widget.region
    return (
        region.width > 0
        and region.height > 0
        and region.right <= size[0]
        and region.bottom <= size[1]
    )


async def test_preview_at_80x24_focus_and_room(small_forum, tmp_path):  # noqa: F811
    file = tmp_path / "usulan.xlsx"
    shutil.copy(CASES / "usulan-rkp-desa-permendagri114.xlsx", file)
    rekap = tmp_path / "rekap.xlsx"
    shutil.copy(CASES / "usulan-rekap-sel-gabungan.xlsx", rekap)
    async with host(small_forum).run_test(size=(80, 24)) as pilot:
        dialog = await open_import(pilot, rekap)
        columns = dialog.query_one("#impor-kolom", DataTable)
        preview = dialog.query_one("#impor-pratinjau", DataTable)
        assert pilot.app.focused is columns
        assert not dialog.query_one("#berkas", Input).display  # folded: the file is read
        assert "Judul kolom di baris 3" in str(columns.border_title)
        assert preview.row_count == 5
        visible_rows = preview.region.height - 3  # border top and bottom, column header
        assert visible_rows >= 2
        seen = []
        for _ in range(4):
            await pilot.press("tab")
            await pilot.pause()
            focused = pilot.app.focused
            assert focused is not None and _on_screen(focused, (80, 24)), focused
            seen.append(focused)
        assert seen[0] is preview  # the first Tab goes to the rows, in sight
        await pilot.press("ctrl+o")
        await pilot.pause()
        field = dialog.query_one("#berkas", Input)
        assert field.display and pilot.app.focused is field


async def test_kehadiran_import_reports_on_the_status_line(small_forum, tmp_path):  # noqa: F811
    from tui.kehadiran.pane import KehadiranPane

    class Host(App):
        def compose(self) -> ComposeResult:
            yield KehadiranPane(small_forum)

    nik = "3516132009700011"
    file = tmp_path / "peserta.csv"
    file.write_text(f"Nama;NIK;JK\nAgus;{nik};L\nAgus S;{nik};L\n", encoding="utf-8")
    async with Host().run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        dialog = await open_import(pilot, file, from_kehadiran=True)
        summary = str(dialog.query_one("#impor-ringkas", Static).render())
        assert "1 peserta siap ditambahkan, 1 sudah terdaftar (tidak ditambahkan)" in summary
        assert any("baris 3: Agus S sudah terdaftar: baris 2" in n for n in dialog.notes)
        await pilot.press("ctrl+s")
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        info = str(pilot.app.query_one("#hadir-info", Static).render())
        assert "Impor selesai: 1 baru, 1 sudah terdaftar" in info
        assert not pilot.app._notifications  # nothing drawn over the counts panel
        dialog = await open_import(pilot, file, from_kehadiran=True)
        summary = str(dialog.query_one("#impor-ringkas", Static).render())
        assert "0 peserta siap ditambahkan, 2 sudah terdaftar" in summary
