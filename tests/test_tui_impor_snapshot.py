"""SVG snapshot of the import preview at 80x24: header row, column mapping, skipped rows."""

from __future__ import annotations

import shutil
from pathlib import Path

from textual.widgets import Input

from tests.test_tui_usulan import host, small_forum  # noqa: F401  (fixture)

CASE = Path(__file__).parent / "data" / "import" / "usulan-baris-jumlah.xlsx"


def test_import_preview_80x24(snap_compare, small_forum, tmp_path, monkeypatch):  # noqa: F811
    shutil.copyfile(CASE, tmp_path / "usulan-desa.xlsx")
    monkeypatch.chdir(tmp_path)

    async def preview(pilot) -> None:
        await pilot.press("f9")
        await pilot.pause()
        field = pilot.app.screen.query_one("#berkas", Input)
        field.value = "usulan-desa.xlsx"
        field.focus()
        await pilot.press("enter")
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        for one in pilot.app.screen.query(Input):
            one.cursor_blink = False
        await pilot.pause()

    assert snap_compare(host(small_forum), terminal_size=(80, 24), run_before=preview)
