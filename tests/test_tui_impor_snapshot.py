"""SVG snapshots of the import preview at 80x24: header row, column mapping, skipped rows,
and many warnings folded into one line so the preview table stays on screen."""

from __future__ import annotations

import shutil
from pathlib import Path

from textual.widgets import Input

from tests.test_tui_usulan import host, many_warnings, small_forum  # noqa: F401  (fixture)

CASE = Path(__file__).parent / "data" / "import" / "usulan-baris-jumlah.xlsx"


def previewing(name: str):
    """A ``run_before`` that opens the import (F9) and previews ``name``."""

    async def preview(pilot) -> None:
        await pilot.press("f9")
        await pilot.pause()
        field = pilot.app.screen.query_one("#berkas", Input)
        field.value = name
        field.focus()
        await pilot.press("enter")
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        for one in pilot.app.screen.query(Input):
            one.cursor_blink = False
        await pilot.pause()

    return preview


def test_import_preview_80x24(snap_compare, small_forum, tmp_path, monkeypatch):  # noqa: F811
    shutil.copyfile(CASE, tmp_path / "usulan-desa.xlsx")
    monkeypatch.chdir(tmp_path)
    run_before = previewing("usulan-desa.xlsx")
    assert snap_compare(host(small_forum), terminal_size=(80, 24), run_before=run_before)


def test_import_preview_with_many_warnings_80x24(snap_compare, small_forum, tmp_path, monkeypatch):  # noqa: F811
    many_warnings(tmp_path / "usulan-desa.csv")
    monkeypatch.chdir(tmp_path)
    run_before = previewing("usulan-desa.csv")
    assert snap_compare(host(small_forum), terminal_size=(80, 24), run_before=run_before)
