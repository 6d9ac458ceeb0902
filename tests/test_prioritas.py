"""The Prioritas tab (tui.prioritas.pane): scoring grid, hand counts, ballots, closing the vote."""

from __future__ import annotations

import pytest
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.widgets import Footer, Label

from store.forum import Forum, open_forum
from tests.forum_factory import StepClock, make_forum
from tests.pilot_waits import wait_for_screen
from tui.prioritas.data import PriorityData
from tui.prioritas.dialogs import PengaturanDialog, SuratSuaraDialog
from tui.prioritas.pane import PrioritasPane, ResultTable, ScoreGrid
from tui.widgets.dialogs import ConfirmDialog, ReasonDialog

PROPOSALS = [
    ("Irigasi tersier Brangkal", "Brangkal", "640.000.000"),
    ("Paving jalan Krajan", "Japan", "312.000.000"),
    ("Posyandu Melati", "Sooko", "45.000.000"),
]


class PaneApp(App[None]):
    """The pane alone with a footer, as the F5 tab mounts it."""

    def __init__(self, forum: Forum) -> None:
        super().__init__()
        self.forum = forum

    def compose(self) -> ComposeResult:
        yield PrioritasPane(self.forum)
        yield Footer()

    def on_mount(self) -> None:
        self.query_one(PrioritasPane).focus_default()


@pytest.fixture
def forum(tmp_path):
    with make_forum(tmp_path / "prioritas.musrenbang", clock=StepClock()) as forum:
        for kegiatan, desa, biaya in PROPOSALS:
            forum.proposals.add(desa=desa, kegiatan=kegiatan, biaya=biaya)
        yield forum


def ids(forum: Forum) -> list[int]:
    return [p["id"] for p in sorted(forum.proposals.all(), key=lambda p: p["urutan"])]


def error_text(screen) -> str:
    return str(screen.query_one("#galat", Label).content)


async def test_arrows_and_digits_score_and_persist(forum) -> None:
    criteria = [c["id"] for c in forum.priority.criteria()]
    first, second, _ = ids(forum)
    app = PaneApp(forum)
    async with app.run_test(size=(100, 30)) as pilot:
        grid = app.query_one(ScoreGrid)
        assert app.focused is grid
        await pilot.press("5", "4", "3", "5", "4", "3")  # one row, left to right
        await pilot.press("right", "right", "2", "left", "left", "1")  # 3rd, then 2nd
        await pilot.pause()
        assert grid.get_cell(str(first), "nilai").plain == "77,5"
        assert grid.get_cell(str(first), "pkt").plain == "1"
        await pilot.press("up", "delete")  # the cursor sits on the 3rd criterion
        await pilot.pause()
        assert grid.get_cell(str(first), "nilai").plain == "–"
    first_row = dict(zip(criteria, [5, 4, 3, 5, 4, 3], strict=True))
    del first_row[criteria[2]]  # cleared by up + delete
    with open_forum(forum.path, readonly=True) as reader:
        saved = reader.priority.scores()
    assert saved[first] == first_row
    assert saved[second] == {criteria[1]: 1, criteria[2]: 2}


async def test_digit_outside_a_criterion_column_scores_nothing(forum) -> None:
    app = PaneApp(forum)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("left", "left", "5")
        await pilot.pause()
    assert forum.priority.scores() == {}


async def test_hand_counts_are_typed_and_saved(forum) -> None:
    forum.update_meta(metode_prioritas="voting")
    first, second, third = ids(forum)
    app = PaneApp(forum)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("1", "2", "enter")  # saved, cursor to the next row
        await pilot.press("7", "down")  # moving off the row saves too
        await pilot.press("9", "backspace", "4", "escape")  # cancelled
        await pilot.pause()
        grid = app.query_one(ScoreGrid)
        assert grid.get_cell(str(first), "pkt").plain == "1"
    assert forum.priority.tallies() == {first: 12, second: 7}
    assert third not in forum.priority.tallies()


async def make_voters(forum: Forum) -> dict[str, int]:
    people = {}
    for nama, delegasi, hadir in (
        ("Agus Santoso", True, True),
        ("Budi Wibowo", False, True),
        ("Citra Lestari", True, False),
    ):
        pid, _ = forum.participants.add(
            nama=nama, jenis_kelamin="L", desa="Japan", delegasi=delegasi, hak_suara=delegasi
        )
        if hadir:
            forum.participants.check_in(pid)
        people[nama] = pid
    forum.update_meta(metode_prioritas="surat_suara")
    return people


async def test_ballots_refuse_non_delegates_and_second_ballots(forum) -> None:
    people = await make_voters(forum)
    first, second, third = ids(forum)
    app = PaneApp(forum)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("ctrl+l")
        await wait_for_screen(pilot, SuratSuaraDialog)
        dialog = app.screen
        assert isinstance(dialog, SuratSuaraDialog)

        await pilot.press(*"budi", "enter", *"3 1", "enter")
        await pilot.pause()
        assert "bukan delegasi" in error_text(dialog)

        await pilot.press("shift+tab", "shift+tab", *"citra", "enter", *"1", "enter")
        await pilot.pause()
        assert "tidak tercatat hadir" in error_text(dialog)

        await pilot.press("shift+tab", "shift+tab", *"agus", "enter", *"3 1", "enter")
        await pilot.pause()
        assert forum.priority.ballots()[0]["pilihan"] == [third, first]

        await pilot.press(*"agus", "enter", *"2", "enter")  # the form is ready for the next
        await pilot.pause()
        assert "sudah memberikan suara" in error_text(dialog)
        assert len(forum.priority.ballots()) == 1

        await pilot.press("escape")
        await pilot.pause()
        grid = app.query_one(ScoreGrid)
        assert grid.get_cell(str(third), "poin").plain == "3"
        assert grid.get_cell(str(first), "poin").plain == "2"
    assert people["Agus Santoso"] == forum.priority.ballots()[0]["peserta_id"]
    assert second not in forum.priority.ballots()[0]["pilihan"]


async def test_ballot_with_an_unknown_number_is_refused(forum) -> None:
    await make_voters(forum)
    app = PaneApp(forum)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("ctrl+l", *"agus", "enter", *"99", "enter")
        await pilot.pause()
        assert "nomor 99 tidak ada" in error_text(app.screen)
    assert forum.priority.ballots() == []


async def test_a_ballot_is_corrected_with_a_reason(forum) -> None:
    people = await make_voters(forum)
    first, second, _ = ids(forum)
    forum.priority.cast_ballot(people["Agus Santoso"], [first])
    app = PaneApp(forum)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("ctrl+e", *"agus", "enter", *"2", "enter")
        await pilot.pause()
        assert app.focused is app.screen.query_one("#alasan")  # the reason is required
        await pilot.press(*"salah baca", "enter")
        await pilot.pause()
        assert not isinstance(app.screen, SuratSuaraDialog)
    ballot = forum.priority.ballots()[0]
    assert ballot["pilihan"] == [second]
    assert ballot["koreksi"][0]["alasan"] == "salah baca"


async def test_close_freezes_and_reopen_asks_a_reason(forum) -> None:
    criteria = [c["id"] for c in forum.priority.criteria()]
    first, second = ids(forum)[:2]
    with forum.batch():  # closing wants at least one proposal scored in full
        for cid in criteria:
            forum.priority.set_score(second, cid, 3)
    app = PaneApp(forum)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("ctrl+t")
        await wait_for_screen(pilot, ConfirmDialog)
        assert isinstance(app.screen, ConfirmDialog)
        assert "2 dari 3 usulan belum dinilai lengkap" in "\n".join(app.screen.lines)
        await pilot.press("enter")
        await pilot.pause()
        assert forum.priority.closed
        assert all(p["status"] != "diakomodir" or p["alasan"] for p in forum.proposals.all())

        await pilot.press("5")  # frozen: refused, nothing saved
        await pilot.pause()
        assert first not in forum.priority.scores()

        await pilot.press("ctrl+t")
        await wait_for_screen(pilot, ReasonDialog)
        assert isinstance(app.screen, ReasonDialog)
        await pilot.press("enter")  # no reason: refused, the dialog stays
        await wait_for_screen(pilot, ReasonDialog)
        assert isinstance(app.screen, ReasonDialog)
        await pilot.press(*"salah hitung", "enter")
        await pilot.pause()
        assert not forum.priority.closed
        await pilot.press("5")
        await pilot.pause()
    assert forum.priority.scores()[first] == {criteria[0]: 5}
    assert forum.priority.voting_log()[-1]["alasan"] == "salah hitung"


@pytest.mark.parametrize(
    ("metode", "said"),
    [
        ("voting", "Belum ada suara tercatat"),
        ("surat_suara", "Belum ada surat suara tercatat"),
        ("skoring", "Belum ada usulan yang dinilai lengkap"),
    ],
)
async def test_closing_a_vote_without_any_result_is_refused(forum, metode, said) -> None:
    forum.update_meta(metode_prioritas=metode)
    app = PaneApp(forum)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("ctrl+t")
        await pilot.pause()
        assert not isinstance(app.screen, ConfirmDialog)
        assert any(said in str(n.message) for n in app._notifications)
    assert not forum.priority.closed
    assert {p["status"] for p in forum.proposals.all()} == {"diusulkan"}


async def test_result_view_shows_the_pagu_line_and_reasons(forum) -> None:
    forum.update_meta(metode_prioritas="voting", pagu="700.000.000")
    first, second, third = ids(forum)
    for pid, votes in ((first, 9), (second, 8), (third, 7)):
        forum.priority.set_tally(pid, votes)
    app = PaneApp(forum)
    async with app.run_test(size=(120, 30)) as pilot:
        await pilot.press("ctrl+g")
        await pilot.pause()
        table = app.query_one(ResultTable)
        assert app.focused is table
        keys = [row.key.value for row in table.ordered_rows]
        assert keys == [str(first), str(second), str(third), "garis-pagu"]
        assert table.get_cell(str(second), "alasan") == "melebihi sisa pagu"
        forum.priority.set_tally(second, 20)  # the view follows the forum
        await pilot.pause()
        keys = [row.key.value for row in table.ordered_rows]
        assert keys[0] == str(second)


@pytest.mark.parametrize(
    ("tanpa_pagu", "said"), [(True, "tanpa pagu"), (False, "pagu belum ditetapkan")]
)
async def test_info_line_tells_a_forum_without_pagu_from_one_still_waiting(
    forum, tanpa_pagu, said
) -> None:
    forum.update_meta(pagu=0, tanpa_pagu=tanpa_pagu)
    app = PaneApp(forum)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        info = str(app.query_one("#prio-info").render())
        assert said in info
        assert ("belum ditetapkan" in info) is not tanpa_pagu


async def test_settings_apply_a_preset_after_confirming_lost_scores(forum) -> None:
    criterion = forum.priority.criteria()[0]["id"]
    forum.priority.set_score(ids(forum)[0], criterion, 4)
    app = PaneApp(forum)
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.press("ctrl+k")
        await wait_for_screen(pilot, PengaturanDialog)
        dialog = app.screen
        assert isinstance(dialog, PengaturanDialog)
        dialog.query_one("#preset").value = "usg"
        await pilot.pause()
        dialog.query_one("#pagu").focus()
        await pilot.press("enter")
        await pilot.pause()
        assert "skornya" in error_text(dialog)
        assert len(forum.priority.criteria()) == 6
        await pilot.press("enter")
        await pilot.pause()
        assert not isinstance(app.screen, PengaturanDialog)
    assert [c["kode"] for c in forum.priority.criteria()] == ["U", "S", "G"]
    assert forum.priority.scores() == {}


async def test_settings_change_method_and_pagu_rules(forum) -> None:
    app = PaneApp(forum)
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.press("ctrl+k")
        dialog = app.screen
        dialog.query_one("#metode").value = "voting"
        dialog.query_one("#minimal-satu").value = True
        dialog.query_one("#batas").value = "2"
        dialog.query_one("#batas").focus()
        await pilot.press("enter")
        await pilot.pause()
        assert app.query_one(ScoreGrid).get_cell(str(ids(forum)[0]), "suara").plain == "–"
    meta = forum.meta
    assert meta["metode_prioritas"] == "voting"
    assert meta["aturan_pagu"] == {"minimal_satu_per_desa": True, "batas_per_desa": 2}


def test_a_keystroke_rereads_only_what_it_changed_and_agrees_with_a_full_read(forum) -> None:
    first, second, third = ids(forum)
    urg, manf = (c["id"] for c in forum.priority.criteria()[:2])
    heard: dict[str, set[int]] = {}
    forum.subscribe(lambda change: heard.setdefault(change.table, set()).update(change.ids))
    data = PriorityData.read(forum)
    forum.priority.set_score(first, urg, 4)
    forum.priority.set_score(second, manf, 2)
    forum.priority.set_score(first, urg, 5)
    forum.priority.set_tally(third, 3)
    data = data.updated(forum, heard)
    assert data == PriorityData.read(forum)
    assert data.scores[first] == {urg: 5}
    heard.clear()
    forum.priority.set_score(first, urg, None)  # a removed score: all scores re-read
    assert data.updated(forum, heard) == PriorityData.read(forum)


FORBIDDEN = {
    "ctrl+i",
    "ctrl+j",
    "ctrl+m",
    "ctrl+h",
    "ctrl+left_square_bracket",
    "ctrl+q",
    "ctrl+p",
    "ctrl+s",
    "ctrl+r",
    *(f"f{n}" for n in range(1, 13)),
}


@pytest.mark.parametrize("owner", [PrioritasPane, ScoreGrid, PengaturanDialog, SuratSuaraDialog])
def test_bindings_stay_off_reserved_keys_and_are_described(owner) -> None:
    for binding in owner.BINDINGS:
        assert isinstance(binding, Binding)
        for key in binding.key.split(","):
            assert key not in FORBIDDEN, key
        assert binding.description, binding


@pytest.mark.parametrize("owner", [PengaturanDialog, SuratSuaraDialog])
def test_dialogs_with_text_fields_bind_no_bare_letters(owner) -> None:
    for binding in owner.BINDINGS:
        assert not (len(binding.key) == 1 and binding.key.isalpha()), binding.key


async def test_grid_status_column_shows_the_longest_status_whole(forum) -> None:
    first, *_ = ids(forum)
    forum.proposals.set_status(first, "tidak diakomodir", "tidak sesuai kewenangan")
    app = PaneApp(forum)
    async with app.run_test(size=(120, 30)) as pilot:
        await pilot.pause()
        grid = app.query_one(ScoreGrid)
        lines = ["".join(seg.text for seg in grid.render_line(y)) for y in range(grid.size.height)]
        assert any("tidak diakomodir" in line for line in lines), lines


LOOK_ALIKES = [
    ("Pembangunan jalan paving Dusun Krajan RT 01", "Japan", "310.000.000"),
    ("Pembangunan jalan paving Dusun Kulon RT 03", "Japan", "300.000.000"),
    ("Pembangunan jalan paving beton Dusun Krajan RT 01", "Japan", "290.000.000"),
]


async def test_look_alike_names_stay_apart_at_80_columns(tmp_path) -> None:
    with make_forum(tmp_path / "mirip.musrenbang", clock=StepClock()) as forum:
        for kegiatan, desa, biaya in LOOK_ALIKES:
            forum.proposals.add(desa=desa, kegiatan=kegiatan, biaya=biaya)
        app = PaneApp(forum)
        async with app.run_test(size=(80, 24)) as pilot:
            grid = app.query_one(ScoreGrid)
            shown = [str(grid.get_row_at(i)[1]).strip() for i in range(grid.row_count)]
            assert len(set(shown)) == 3 and all(len(s) < len(LOOK_ALIKES[0][0]) for s in shown)
            await pilot.press("ctrl+g")
            await pilot.pause()
            result = app.query_one(ResultTable)
            ranked = [str(result.get_row_at(i)[1]) for i in range(result.row_count)]
            names = [n for n in ranked if "batas pagu" not in n]
            assert len(set(names)) == 3
            assert sorted(n[-2:] for n in names) == ["01", "01", "03"]  # the ends are kept


async def test_the_help_line_explains_pkt_and_where_scores_go(forum) -> None:
    app = PaneApp(forum)
    async with app.run_test(size=(80, 24)) as pilot:
        hint = app.query_one("#prio-petunjuk")
        assert "Skor Urgensi" in str(hint.render())  # the cursor starts on a criterion
        await pilot.press("end")  # the last column: Pkt
        await pilot.pause()
        assert str(hint.render()).startswith("Pkt = peringkat menurut nilai")
        await pilot.press("5")
        await pilot.pause()
        assert forum.priority.scores() == {}
        assert any("Pkt = peringkat" in str(n.message) for n in app._notifications)
        await pilot.press("ctrl+g")
        await pilot.pause()
        assert "batas pagu" in str(hint.render())


@pytest.mark.parametrize("metode", ["skoring", "voting", "surat_suara"])
def test_every_column_hint_fits_80_columns(metode) -> None:
    from tui.prioritas.hint import column_hint

    criteria = [{"id": 1, "kode": "Rent", "nama": "warga miskin dan rentan " * 4}]
    for column in ("no", "usulan", "k1", "nilai", "pkt", "suara", "poin", "pemilih"):
        assert 0 < len(column_hint(metode, column, criteria)) <= 78


@pytest.mark.parametrize("metode", ["skoring", "voting", "surat_suara"])
def test_a_closed_vote_hint_offers_no_typing(metode) -> None:
    from tui.prioritas.hint import column_hint

    criteria = [{"id": 1, "kode": "Rent", "nama": "Rentan"}]
    for column in ("no", "k1", "pkt", "suara"):
        hint = column_hint(metode, column, criteria, closed=True)
        assert "ketik" not in hint and "ditutup" in hint and len(hint) <= 78


async def test_the_pagu_line_is_whole_in_every_column_at_80x24(forum) -> None:
    """Narrow: the line's label and the amount left fit their columns (no "batas p",
    no "sisa Rp340.000.0")."""
    from rich.cells import cell_len

    from store.formatting import format_rupiah

    forum.update_meta(metode_prioritas="voting", pagu="700.000.000")
    first, second, third = ids(forum)
    for pid, votes in ((first, 9), (second, 8), (third, 7)):
        forum.priority.set_tally(pid, votes)
    app = PaneApp(forum)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("ctrl+g")
        await pilot.pause()
        table = app.query_one(ResultTable)
        row = table.get_row("garis-pagu")
        texts = [str(cell) for cell in row]
        for text, column in zip(texts, table.ordered_columns, strict=True):
            assert cell_len(text) <= column.width, (text, column.width)
        assert "batas pagu" in texts[1] and "sisa" in texts
        sisa = texts[texts.index("sisa") + 1]
        assert sisa.startswith("Rp") and sisa == format_rupiah(int(sisa[2:].replace(".", "")))


def test_the_rank_column_is_as_wide_as_the_largest_rank() -> None:
    from tui.prioritas.pane import rank_width

    assert rank_width(0) == rank_width(999) == 3  # "Pkt" itself
    assert rank_width(1000) == rank_width(1990) == 4  # a Kabupaten's ranks keep their gap
    assert rank_width(15000) == 5
