"""Pilot tests of the intake preview: summary, fingerprint and trust, differences, refusals."""

from __future__ import annotations

import zipfile

from textual.app import App
from textual.widgets import DataTable, Static

from exports import keys
from exports.bundle import BUNDLE_JSON, open_bundle, write_bundle
from store.forum import Forum
from tests.forum_factory import StepClock
from tests.pilot_waits import wait_for_screen
from tests.sop_helpers import desa_forum, kecamatan_forum, sign_desa, signed_bundle, use_office
from tui.intake.screen import IntakeScreen


class Host(App):
    def __init__(self, forum: Forum, bundle) -> None:
        super().__init__()
        self.forum, self.bundle = forum, bundle
        self.results: list = []

    def on_mount(self) -> None:
        self.push_screen(IntakeScreen(self.forum, self.bundle), self.results.append)


def text_of(screen, selector: str) -> str:
    return str(screen.query_one(selector, Static).content)


def kinds(table: DataTable) -> list[str]:
    return [str(table.get_row_at(i)[0]) for i in range(table.row_count)]


async def test_untrusted_key_must_be_accepted_before_applying(tmp_path, monkeypatch) -> None:
    bundle = signed_bundle(monkeypatch, tmp_path, "Gemekan")
    use_office(monkeypatch, tmp_path, "kecamatan")
    with kecamatan_forum(tmp_path / "kec.musrenbang") as forum:
        app = Host(forum, bundle)
        async with app.run_test(size=(150, 50)) as pilot:
            await pilot.pause()
            screen = app.screen
            assert "Musrenbang Desa Gemekan Tahun 2027" in text_of(screen, "#intake-ringkas")
            key = text_of(screen, "#intake-kunci")
            assert open_bundle(bundle).fingerprint in key and "BELUM dipercaya" in key
            assert kinds(screen.query_one("#intake-perubahan", DataTable)) == ["baru"] * 4
            await pilot.press("ctrl+s")
            await pilot.pause()
            assert forum.proposals.all() == [] and app.results == []
            await pilot.press("t")
            assert "akan dipercaya" in text_of(screen, "#intake-kunci")
            await pilot.press("ctrl+s")
            await pilot.pause()
        assert len(forum.proposals.all()) == 4
        [result] = app.results
        assert len(result.ids) == 4
    assert [k.wilayah for k in keys.trusted_keys()] == ["35.16.13.2001"]


async def test_tampered_bundle_is_refused_and_cannot_be_applied(tmp_path, monkeypatch) -> None:
    bundle = signed_bundle(monkeypatch, tmp_path, "Gemekan")
    bad = tmp_path / "diubah.zip"
    with zipfile.ZipFile(bundle) as src, zipfile.ZipFile(bad, "w") as dst:
        for name in src.namelist():
            data = src.read(name)
            dst.writestr(name, data.replace(b"Paving", b"Aspal") if name == BUNDLE_JSON else data)
    use_office(monkeypatch, tmp_path, "kecamatan")
    with kecamatan_forum(tmp_path / "kec.musrenbang") as forum:
        app = Host(forum, bad)
        async with app.run_test(size=(150, 50)) as pilot:
            await pilot.pause()
            assert "DITOLAK" in text_of(app.screen, "#intake-galat")
            await pilot.press("t", "ctrl+s")
            await pilot.pause()
            await wait_for_screen(pilot, IntakeScreen)
            assert isinstance(app.screen, IntakeScreen)
            await pilot.press("escape")
            await pilot.pause()
        assert forum.proposals.all() == [] and app.results == [None]
    assert keys.trusted_keys() == []


async def test_newer_bundle_shows_what_changes(tmp_path, monkeypatch) -> None:
    use_office(monkeypatch, tmp_path, "desa-japan")
    with desa_forum(tmp_path / "japan.musrenbang", "Japan") as desa:
        sign_desa(desa)
        first = write_bundle(desa, tmp_path / "v1.zip", documents=False)
        with desa.amendment("Koreksi biaya"):
            desa.proposals.update(1, biaya="350000000", sumber_dana="APBN")
            desa.proposals.remove(2)
        desa.clock.tick(60)
        second = write_bundle(desa, tmp_path / "v2.zip", documents=False)
    use_office(monkeypatch, tmp_path, "kecamatan")
    later = StepClock(desa.clock.now)  # the kecamatan reads it after it was made
    with kecamatan_forum(tmp_path / "kec.musrenbang", clock=later) as forum:
        read_first = Host(forum, first)
        async with read_first.run_test(size=(150, 50)) as pilot:
            await pilot.pause()
            await pilot.press("t", "ctrl+s")
            await pilot.pause()
        app = Host(forum, second)
        async with app.run_test(size=(150, 50)) as pilot:
            await pilot.pause()
            screen = app.screen
            assert "dipercaya (kunci dipercaya" in text_of(screen, "#intake-kunci"), screen.error
            assert kinds(screen.query_one("#intake-perubahan", DataTable)) == [
                "berubah",
                "dihapus",
            ]
            assert "Pengganti: bundel ke-2" in text_of(screen, "#intake-ringkas")
            await pilot.press("ctrl+s")
            await pilot.pause()
        assert len(forum.proposals.all()) == 5
