"""Half-typed text is kept as a draft beside the forum file and offered back on reopening."""

from __future__ import annotations

import json
import re
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from store.drafts import draft_path, load_drafts, masked, save_drafts
from store.forum import open_forum
from tests.pilot_waits import (
    open_new_proposal,
    open_tab,
    wait_for_forum,
    wait_for_screen,
    wait_until,
)
from tui.app import MusrenbangApp
from tui.usulan.form import UsulanForm
from tui.widgets.dialogs import ConfirmDialog
from tui.widgets.draft_offer import DraftOfferDialog
from tui.widgets.drafts import SAVE_INTERVAL_S, offer_line
from tui.widgets.peserta_form import WalkInScreen


async def wait_for_draft(pilot) -> None:
    """Two of the draft keeper's rounds (for what a round must not change)."""
    await pilot.pause(SAVE_INTERVAL_S * 2 + 0.2)


async def wait_for_kept(pilot, forum: Path, *texts: str) -> None:
    """Until a round of the draft keeper has written every one of ``texts`` to the draft
    file beside ``forum`` (the first round comes ``SAVE_INTERVAL_S`` after the typing)."""

    def kept() -> bool:
        path = draft_path(forum)
        return path.exists() and all(text in path.read_text() for text in texts)

    await wait_until(pilot, kept)


def test_store_round_trip_and_bad_files(tmp_path: Path):
    forum = tmp_path / "rapat.musrenbang"
    drafts = {"notulen": {"judul": "Notulen", "nilai": {"teks": "Pak Kades"}, "waktu": ""}}
    save_drafts(forum, drafts)
    assert load_drafts(forum) == drafts
    save_drafts(forum, {})
    assert not draft_path(forum).exists()
    for garbage in (b"{", b"[]", json.dumps({"versi": 9, "draf": drafts}).encode()):
        draft_path(forum).write_bytes(garbage)
        assert load_drafts(forum) == {}
    bad_values = {"versi": 1, "draf": {"x": {"nilai": {"a": 3, "b": {"c": 1}}}}}
    draft_path(forum).write_text(json.dumps(bad_values))
    assert load_drafts(forum) == {}  # nothing but text, truth values and None is kept


async def test_minutes_line_survives_quit_and_comes_back(demo_forum_path, fixed_clock):
    app = MusrenbangApp(demo_forum_path, clock=fixed_clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_tab(pilot, "f3", "NotulenPane")
        await pilot.press("ctrl+t", *"Pak Kades minta jalan")
        await pilot.press("ctrl+q")  # quits before the keeper's round: saved on the way out
    app.close_forums()
    kept = load_drafts(demo_forum_path)
    assert kept["notulen"]["nilai"]["teks"] == "Pak Kades minta jalan"

    app = MusrenbangApp(demo_forum_path, clock=fixed_clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.pause()
        assert app.screen.query_one("#tabs").active == "notulen"
        assert app.screen.query_one("#teks").value == "Pak Kades minta jalan"
        assert "TANGGAPAN" in str(app.screen.query_one("#editor-mode").render())
        await pilot.press("ctrl+t", "ctrl+t", "ctrl+t", "enter")  # a catatan, filed
        await pilot.pause()
    app.close_forums()
    assert load_drafts(demo_forum_path) == {}
    with open_forum(demo_forum_path, readonly=True) as forum:
        assert any(m["teks"] == "Pak Kades minta jalan" for m in forum.minutes.all())


async def test_minutes_draft_written_while_typing(demo_forum_path, fixed_clock):
    app = MusrenbangApp(demo_forum_path, clock=fixed_clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_tab(pilot, "f3", "NotulenPane")
        await pilot.press(*"setengah kalimat")
        await wait_for_kept(pilot, demo_forum_path, "setengah kalimat")
        assert load_drafts(demo_forum_path)["notulen"]["nilai"]["teks"] == "setengah kalimat"
    app.close_forums()


async def test_proposal_form_draft_offered_back(demo_forum_path, fixed_clock):
    app = MusrenbangApp(demo_forum_path, clock=fixed_clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_new_proposal(pilot)
        assert isinstance(app.screen, UsulanForm)
        app.screen.query_one("#f-kegiatan").value = "Rehab jembatan gantung"
        app.screen.query_one("#f-biaya").value = "312.000.000"
        await wait_for_kept(pilot, demo_forum_path, "Rehab jembatan gantung", "312.000.000")
    app.close_forums()
    kept = load_drafts(demo_forum_path)["usulan:baru"]
    assert kept["nilai"]["f-kegiatan"] == "Rehab jembatan gantung"

    app = MusrenbangApp(demo_forum_path, clock=fixed_clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.pause()
        assert isinstance(app.screen, DraftOfferDialog)
        assert "Rehab jembatan gantung" in app.screen.line
        await pilot.press("enter")
        await pilot.pause()
        await pilot.pause()
        assert isinstance(app.screen, UsulanForm)
        assert app.screen.query_one("#f-kegiatan").value == "Rehab jembatan gantung"
        assert app.screen.query_one("#f-biaya").value == "312.000.000"
        await pilot.press("escape")  # changed form: asks first
        await pilot.pause()
        await wait_for_screen(pilot, ConfirmDialog)
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("escape")  # back to the form, nothing lost
        await pilot.pause()
        await wait_for_screen(pilot, UsulanForm)
        assert isinstance(app.screen, UsulanForm)
        assert app.screen.query_one("#f-kegiatan").value == "Rehab jembatan gantung"
        await pilot.press("escape", "enter")  # a reflex Enter keeps the form
        await pilot.pause()
        await wait_for_screen(pilot, UsulanForm)
        assert isinstance(app.screen, UsulanForm)
        assert app.screen.query_one("#f-kegiatan").value == "Rehab jembatan gantung"
        await pilot.press("escape", "b")  # discard on purpose
        await pilot.pause()
        assert not isinstance(app.screen, UsulanForm)
    app.close_forums()
    assert "usulan:baru" not in load_drafts(demo_forum_path)


async def test_unchanged_form_closes_without_question(demo_forum_path, fixed_clock):
    app = MusrenbangApp(demo_forum_path, clock=fixed_clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_new_proposal(pilot)
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, (UsulanForm, ConfirmDialog))
    app.close_forums()


async def test_walk_in_form_keeps_no_nik(demo_forum_path, fixed_clock):
    app = MusrenbangApp(demo_forum_path, clock=fixed_clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for_forum(pilot)
        app.push_screen(WalkInScreen(app.first_forum))
        await pilot.pause()
        await wait_for_screen(pilot, WalkInScreen)
        app.screen.query_one("#nama").value = "Siti Aminah"
        app.screen.query_one("#nik").value = "3201010101010001"
        await wait_for_kept(pilot, demo_forum_path, "Siti Aminah")
    app.close_forums()
    text = draft_path(demo_forum_path).read_text()
    assert "Siti Aminah" in text
    assert "3201010101010001" not in text


async def test_f10_from_musrenbang_open_goes_home_with_forum_free(demo_forum_path, fixed_clock):
    from tui.beranda.screen import HomeScreen, read_entry

    app = MusrenbangApp(demo_forum_path, clock=fixed_clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_tab(pilot, "f3", "NotulenPane")
        await pilot.press(*"belum selesai")
        await pilot.press("f10")
        await pilot.pause()
        await wait_for_screen(pilot, HomeScreen)
        assert isinstance(app.screen, HomeScreen)
        assert read_entry(demo_forum_path).held_by == ""  # not held by this very app
    app.close_forums()
    assert load_drafts(demo_forum_path)["notulen"]["nilai"]["teks"] == "belum selesai"


def test_offer_line_masks_a_nik_typed_into_any_field():
    nilai = {"nama": "Sri Wahyuningsih", "telepon": "3516134101900009", "jabatan": "0812 3456 7890"}
    spaced = {"catatan": "NIK 3516 1341 0190 0009 dicatat"}
    line = offer_line({"judul": "Peserta baru", "nilai": nilai})
    assert "3516134101900009" not in line and "351613********0009" in line
    assert "0812 3456 7890" in line  # a phone number is not NIK-shaped
    assert "0190" not in offer_line({"judul": "Notulen", "nilai": spaced})


async def test_restored_walk_in_says_the_nik_was_not_kept(demo_forum_path, fixed_clock):
    app = MusrenbangApp(demo_forum_path, clock=fixed_clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for_forum(pilot)
        app.push_screen(WalkInScreen(app.first_forum))
        await pilot.pause()
        await wait_for_screen(pilot, WalkInScreen)
        app.screen.query_one("#nama").value = "Sri Wahyuningsih"
        app.screen.query_one("#telepon").value = "3516134101900009"  # typed in the wrong field
        app.screen.query_one("#nik").value = "3516134101900009"
        await wait_for_kept(pilot, demo_forum_path, "Sri Wahyuningsih")
    app.close_forums()

    app = MusrenbangApp(demo_forum_path, clock=fixed_clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.pause()
        assert isinstance(app.screen, DraftOfferDialog)
        offer = app.screen.line
        assert "Sri Wahyuningsih" in offer and "3516134101900009" not in offer
        await pilot.press("enter")
        await pilot.pause()
        await pilot.pause()
        assert isinstance(app.screen, WalkInScreen)
        assert app.screen.query_one("#nama").value == "Sri Wahyuningsih"
        hint = str(app.screen.query_one("#nik-mask").render())
        assert "NIK tidak disimpan di draf: ketik ulang" in hint
    app.close_forums()


#: A NIK as it may be typed anywhere: 16 digits, maybe grouped by spaces, dots or dashes.
NIK_SHAPE = re.compile(r"(?<!\d)\d(?:[ .-]?\d){15}(?!\d)")


async def offered_again(path: Path, fixed_clock) -> bool:
    """Whether opening the forum offers a kept form draft."""
    app = MusrenbangApp(path, clock=fixed_clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.pause()
        offered = isinstance(app.screen, DraftOfferDialog)
    app.close_forums()
    return offered


async def test_esc_on_the_offer_keeps_the_draft_and_only_b_discards(demo_forum_path, fixed_clock):
    drafts = {"usulan:baru": {"judul": "Tambah usulan", "nilai": {"f-kegiatan": "Rehab balai"}}}
    save_drafts(demo_forum_path, drafts)
    app = MusrenbangApp(demo_forum_path, clock=fixed_clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.pause()
        assert isinstance(app.screen, DraftOfferDialog)
        await pilot.press("escape")  # put off, not thrown away
        await pilot.pause()
        assert not isinstance(app.screen, DraftOfferDialog)
        await wait_for_draft(pilot)  # the keeper's rounds keep it too
    app.close_forums()
    assert load_drafts(demo_forum_path)["usulan:baru"]["nilai"]["f-kegiatan"] == "Rehab balai"

    app = MusrenbangApp(demo_forum_path, clock=fixed_clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.pause()
        assert isinstance(app.screen, DraftOfferDialog)  # offered again
        await pilot.press("b")
        await pilot.pause()
    app.close_forums()
    assert "usulan:baru" not in load_drafts(demo_forum_path)
    assert not await offered_again(demo_forum_path, fixed_clock)


async def test_no_field_of_the_walk_in_form_writes_a_nik_to_the_sidecar(
    demo_forum_path, fixed_clock
):
    """A NIK typed into any text field (the wrong one too) reaches the disk only masked."""
    app = MusrenbangApp(demo_forum_path, clock=fixed_clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for_forum(pilot)
        app.push_screen(WalkInScreen(app.first_forum))
        await pilot.pause()
        await wait_for_screen(pilot, WalkInScreen)
        fields = [f for f in app.screen.query("Input") if f.id and not f.password]
        assert {"nama", "telepon"} <= {f.id for f in fields}
        for number, field in enumerate(fields):
            field.value = f"ketik 3516 1341 0190 {number:04d} di {field.id}"
        await wait_for_kept(pilot, demo_forum_path, "ketik", "di telepon")
    app.close_forums()
    text = draft_path(demo_forum_path).read_text()
    assert "ketik" in text and "di telepon" in text  # the draft was written
    assert not NIK_SHAPE.search(text), text


#: Text around a typed NIK: anything but digits (more digits would make it no NIK).
WORDS = st.text(st.characters(blacklist_categories=("Nd", "Cs")), max_size=12)


@settings(deadline=None, max_examples=60)
@given(
    st.dictionaries(
        st.text(max_size=8),
        st.tuples(WORDS, st.sampled_from(["", " ", ".", "-"]), WORDS),
        min_size=1,
        max_size=4,
    ),
    st.integers(min_value=10**15, max_value=10**16 - 1),
)
def test_masked_drafts_hold_no_nik_shape(tmp_path_factory, fields, nik):
    """Whatever surrounds it and however it is grouped, a NIK never reaches the sidecar."""
    digits = str(nik)
    nilai = {
        key: f"{before}{sep.join(digits[i : i + 4] for i in range(0, 16, 4))}{after}"
        for key, (before, sep, after) in fields.items()
    }
    drafts = {"peserta:baru": {"judul": f"Peserta {digits}", "nilai": nilai, "waktu": ""}}
    assert all(NIK_SHAPE.search(v) for v in nilai.values())
    forum = tmp_path_factory.mktemp("draf") / "rapat.musrenbang"
    save_drafts(forum, drafts)
    assert not NIK_SHAPE.search(draft_path(forum).read_text(encoding="utf-8"))
    assert masked(masked(drafts)) == masked(drafts)


async def test_a_second_form_never_overwrites_a_parked_draft(demo_forum_path, fixed_clock):
    """Esc on the offer parks a draft; a new form of the same place typed meanwhile is kept
    under its own key, so after a kill -9 both are there and both are offered again."""
    drafts = {"usulan:baru": {"judul": "Tambah usulan", "nilai": {"f-kegiatan": "Rehab balai"}}}
    save_drafts(demo_forum_path, drafts)
    app = MusrenbangApp(demo_forum_path, clock=fixed_clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for_screen(pilot, DraftOfferDialog)
        await pilot.press("escape")  # nanti saja
        await wait_until(pilot, lambda: not isinstance(app.screen, DraftOfferDialog))
        await open_new_proposal(pilot)
        app.screen.query_one("#f-kegiatan").focus()
        await pilot.press(*"Sumur bor")
        await wait_for_kept(pilot, demo_forum_path, "Rehab balai", "Sumur bor")
        kept = load_drafts(demo_forum_path)  # what a kill -9 now would leave
        texts = {d["nilai"].get("f-kegiatan") for d in kept.values()}
        assert {"Rehab balai", "Sumur bor"} <= texts
        assert kept["usulan:baru"]["nilai"]["f-kegiatan"] == "Rehab balai"
    app.close_forums()

    app = MusrenbangApp(demo_forum_path, clock=fixed_clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for_screen(pilot, DraftOfferDialog)
        first = app.screen
        await pilot.press("escape")
        await wait_until(  # the second offer, ready for keys (not the first one still up)
            pilot, lambda: app.screen is not first and isinstance(app.screen, DraftOfferDialog)
        )
        await wait_for_screen(pilot, DraftOfferDialog)
        await pilot.press("enter")
        await wait_for_screen(pilot, UsulanForm)
        await pilot.pause()
        assert app.screen.query_one("#f-kegiatan").value == "Sumur bor"
    app.close_forums()


def test_offer_line_shows_structured_fields_as_words():
    """Funding rows and a speaker kept as encoded text read back as words, no JSON."""
    draft = {
        "judul": "Tambah usulan",
        "nilai": {
            "f-kegiatan": "Rehab balai",
            "f-biaya": "150 juta",
            "dana": '[["DD", "150 juta"], ["", ""]]',
            "pembicara": '{"id": 3, "nama": "Ani"}',
        },
    }
    line = offer_line(draft)
    assert line.endswith("Rehab balai · 150 juta · DD Rp150.000.000 · Ani")
    assert not set('[]{}"') & set(line)
    empty_rows = offer_line({"judul": "Tambah usulan", "nilai": {"dana": '[["", ""]]'}})
    assert empty_rows == "Tambah usulan"
