"""Every writer refuses what the forum check (``musrenbang check``, run on every open) would
refuse, so a forum the app wrote itself always opens again.

Each case: the writer refuses with one Indonesian line naming the field (an import names the
row), and nothing is saved; the value just inside the limit is accepted and passes the check.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from openpyxl import Workbook

from store.forum import open_forum
from store.forum_values import control_problems
from store.importer import import_files
from store.integrity import check_forum
from store.storage_format import parse_forum
from store.text_controls import BIDI_CONTROLS, CONTROL, first_control
from store.validation import (
    MAX_ITEMS,
    MAX_VOLUME,
    ValidationError,
    clean_text,
    parse_int,
    parse_rupiah,
    parse_volume,
)
from tests.forum_factory import make_forum

#: Every character the check's control scan refuses, found by asking the check itself.
CHECK_REFUSES = [
    chr(code)
    for code in range(0x3000)
    if control_problems({"participants": {"1": {"nama": f"a{chr(code)}b"}}})
    and not 0xD800 <= code <= 0xDFFF
]


@pytest.mark.parametrize("field", ["nama", "catatan"])  # single-line and multi-line
def test_what_clean_text_stores_never_holds_a_character_the_check_refuses(field: str) -> None:
    assert set(BIDI_CONTROLS) <= set(CHECK_REFUSES)
    stored = {}
    for code in range(0x3000):
        if 0xD800 <= code <= 0xDFFF:
            continue
        try:
            stored[chr(code)] = clean_text(f"a{chr(code)}b", field=field)
        except ValidationError:
            continue
    assert control_problems({"participants": {"1": {"nama": "".join(stored.values())}}}) == []
    # Refused, not dropped: the check's characters never reach the store, whitespace folds.
    assert set(stored).isdisjoint(c for c in CHECK_REFUSES if not c.isspace())
    assert {"\t", "é", "\u200b", "\u2028"} <= set(stored)  # nothing harmless is refused


@pytest.mark.parametrize("char", [*BIDI_CONTROLS, "\x1b", "\x9b", "\x00"])
@pytest.mark.parametrize("field", ["nama", "kegiatan", "judul", "catatan", "materi"])
def test_clean_text_names_field_and_character(char: str, field: str) -> None:
    with pytest.raises(ValidationError) as refused:
        clean_text(f"Budi{char}Santoso", field=field, label="Isian")
    message = refused.value.message
    assert message.startswith("Isian: ada karakter ") and f"(U+{ord(char):04X})" in message
    assert "\n" not in message
    kind = "pengarah teks tersembunyi" if char in BIDI_CONTROLS else "kendali"
    assert kind in message


def test_first_control_walks_nested_values_and_keys() -> None:
    assert first_control({"kop": {"baris": ["ok", "x\u2067"]}}) == ("kop", "\u2067")
    assert first_control({"a\x1b": "ok"}) == ("a\x1b", "\x1b")
    assert first_control({"kop": ["baik", "saja\n"]}) is None
    assert CONTROL.search("tab\tdan\nbaris") is None


# --- numbers and lists: bounded as the check bounds them -------------------------------


def test_volume_bounded_at_the_checks_limit() -> None:
    assert parse_volume(str(MAX_VOLUME)) == MAX_VOLUME
    for value in (str(MAX_VOLUME + 1), MAX_VOLUME * 10.0, "9" * 5000):
        with pytest.raises(ValidationError, match=r"^Volume: .* terlalu besar"):
            parse_volume(value)
    for value in (float("nan"), float("inf")):
        with pytest.raises(ValidationError, match=r"^Volume: .* bukan angka"):
            parse_volume(value)


def test_counts_and_money_refuse_pasted_digit_runs_without_crashing() -> None:
    # Past 4,300 digits Python's int() raises its own ValueError: refused before that.
    with pytest.raises(ValidationError, match="terlalu besar"):
        parse_int("9" * 5000, field="penerima_manfaat")
    with pytest.raises(ValidationError, match="terlalu besar"):
        parse_int(10**13, field="penerima_manfaat")
    with pytest.raises(ValidationError, match="terlalu besar"):
        parse_rupiah("9" * 5000)


def _csv(path: Path, rows: list[dict[str, str]]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as out:
        writer = csv.DictWriter(out, fieldnames=sorted({key for row in rows for key in row}))
        writer.writeheader()
        writer.writerows(rows)
    return path


def _row(**changes: str) -> dict[str, str]:
    return {
        "desa": "Japan",
        "kegiatan": "Paving jalan dusun",
        "volume": "100",
        "satuan": "m",
        "biaya": "150000000",
        "foto": "a.jpg",
        **changes,
    }


def _photos(count: int) -> str:
    return "\n".join(f"foto-{n}.jpg" for n in range(count))


BAD_ROWS = {
    "volume di atas batas": (_row(volume=str(MAX_VOLUME * 10)), "Volume: "),
    "foto terlalu banyak": (_row(foto=_photos(MAX_ITEMS + 1)), "Foto: "),
    "kegiatan bidi": (_row(kegiatan="Jalan \u202eusaha"), "Kegiatan: "),
    "lokasi isolasi": (_row(lokasi="Dusun \u2066Krajan\u2069"), "Lokasi: "),
    "penerima raksasa": (_row(penerima_manfaat="9" * 30), "Penerima manfaat: "),
}


@pytest.mark.parametrize("case", sorted(BAD_ROWS))
def test_import_reports_the_row_and_column_and_saves_nothing(tmp_path: Path, case: str) -> None:
    path = tmp_path / "f.musrenbang"
    make_forum(path).close()
    before = parse_forum(path.read_bytes()).state.tables.get("proposals", {})
    row, column = BAD_ROWS[case]
    source = _csv(tmp_path / "usulan.csv", [_row(kegiatan="Sumur bor"), row])
    (report,) = import_files(path, [source])
    assert not report.ok and report.added == 0
    assert any(e.startswith(f"baris 3: {column}") for e in report.errors), report.errors
    assert all("\n" not in e for e in report.errors)
    assert parse_forum(path.read_bytes()).state.tables.get("proposals", {}) == before
    assert check_forum(path) == []


def test_import_at_the_limits_is_accepted_and_passes_the_check(tmp_path: Path) -> None:
    path = tmp_path / "f.musrenbang"
    make_forum(path).close()
    row = _row(volume=str(MAX_VOLUME), foto=_photos(MAX_ITEMS))
    (report,) = import_files(path, [_csv(tmp_path / "usulan.csv", [row])])
    assert report.ok and report.added == 1
    assert check_forum(path) == []
    with open_forum(path) as forum:
        (proposal,) = forum.proposals.all()
        assert len(proposal["foto"]) == MAX_ITEMS
        forum.proposals.update(proposal["id"], catatan="Diperiksa")  # its own form edits it
    assert check_forum(path) == []


def test_spreadsheet_number_cell_past_the_volume_limit_is_a_row_error(tmp_path: Path) -> None:
    path = tmp_path / "f.musrenbang"
    make_forum(path).close()
    book = Workbook()
    sheet = book.active
    sheet.append(["desa", "kegiatan", "volume", "biaya"])
    sheet.append(["Japan", "Sumur bor", 1e13, 5_000_000])
    source = tmp_path / "usulan.xlsx"
    book.save(source)
    (report,) = import_files(path, [source])
    assert not report.ok and report.errors[0].startswith("baris 2: Volume: ")
    with open_forum(path, readonly=True) as forum:
        assert forum.proposals.all() == []


# --- the header: values stored as given --------------------------------------------------

REFUSED_META = {
    "status": ("hantu", "Status forum"),
    "status kosong": ("", "Status forum"),
    "surat_suara": ({"maks_pilihan": 99}, "Aturan surat suara"),
    "surat_suara bobot": ({"maks_pilihan": 3, "bobot": "acak"}, "Aturan surat suara"),
    "aturan_pagu": ({"batas_per_desa": 0}, "Aturan pagu"),
    "aturan_pagu raksasa": ({"batas_per_desa": 2**60}, "Aturan pagu"),
    "pemungutan_ditutup": ("ya", "Pemungutan ditutup"),
    "kantor_contoh kendali": ({"nama": "\x1b]0;x\x07"}, "Kantor contoh"),
    "kantor_contoh bidi": ({"kop": {"baris1": "Kec\u202eamatan"}}, "Kantor contoh"),
    "kantor_contoh bentuk": ({"kop": ["bukan", "peta"]}, "Kantor contoh"),
    "kantor_contoh bukan objek": ("kantor", "Kantor contoh"),
    "kuorum bukan objek": (None, "Kuorum"),
    "materi bukan daftar": ("Rekap", "Materi pembahasan"),
}


@pytest.mark.parametrize("case", sorted(REFUSED_META))
def test_header_values_the_check_refuses_are_refused_naming_the_field(
    tmp_path: Path, case: str
) -> None:
    key = case.split()[0]
    value, label = REFUSED_META[case]
    path = tmp_path / "f.musrenbang"
    with make_forum(path) as forum:
        before = dict(forum.meta)
        with pytest.raises(ValidationError) as refused:
            forum.update_meta(**{key: value})
        assert refused.value.message.startswith(label) and "\n" not in refused.value.message
        assert forum.meta == before
    assert check_forum(path) == []


def test_header_values_the_app_sets_are_accepted_and_pass_the_check(tmp_path: Path) -> None:
    path = tmp_path / "f.musrenbang"
    with make_forum(path) as forum:
        forum.update_meta(
            surat_suara={"maks_pilihan": 10, "bobot": "sama"},
            aturan_pagu={"minimal_satu_per_desa": True, "batas_per_desa": 2},
            kantor_contoh={"nama": "Kecamatan Contoh", "kop": {"baris1": "PEMERINTAH"}},
        )
        forum.priority.close_voting()
        forum.update_meta(pemungutan_ditutup=False)
    assert check_forum(path) == []


# --- ids and counts given by the screens ----------------------------------------------


def test_ids_and_counts_must_be_whole_numbers(tmp_path: Path) -> None:
    path = tmp_path / "f.musrenbang"
    with make_forum(path) as forum:
        person, _ = forum.participants.add(nama="Siti", delegasi=True, hak_suara=True, hadir=True)
        proposal, _ = forum.proposals.add(desa="Japan", kegiatan="Sumur", biaya="5000000")
        agenda = forum.agenda.add("Pembukaan", "08:00", "08:30")
        criterion = forum.priority.criteria()[0]["id"]
        refusals = [
            lambda: forum.priority.set_tally(proposal, True),
            lambda: forum.priority.set_tally(proposal, 2**60),
            lambda: forum.priority.set_score(proposal, criterion, True),
            lambda: forum.priority.cast_ballot(person, [True]),
            lambda: forum.priority.cast_ballot(str(person), [proposal]),
            lambda: forum.minutes.add("Catatan", agenda_id=str(agenda)),
            lambda: forum.minutes.add("Catatan", pembicara_id=True),
            lambda: forum.utusan.add("Siti", peserta_id="1"),
        ]
        for refuse in refusals:
            with pytest.raises(ValidationError):
                refuse()
        assert forum.records("tallies") == forum.records("ballots") == []
        assert forum.records("minutes") == forum.records("utusan") == []
    assert check_forum(path) == []


def test_an_operator_name_with_a_control_character_is_refused_before_any_write(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "f.musrenbang"
    make_forum(path).close()
    before = path.read_bytes()
    monkeypatch.setenv("MUSRENBANG_OPERATOR", "Budi\u202eX")
    with pytest.raises(ValidationError, match=r"^Operator: .*\(U\+202E\)"):
        open_forum(path)
    assert path.read_bytes() == before
    monkeypatch.setenv("MUSRENBANG_OPERATOR", "Budi Santoso")
    with open_forum(path) as forum:
        forum.priority.close_voting()  # the voting log keeps the operator's name
    assert check_forum(path) == []


def test_an_amendment_reason_is_cleaned_like_typed_text(tmp_path) -> None:
    from store.validation import ValidationError
    from tests.forum_factory import make_forum, make_ready

    with make_forum(tmp_path / "amandemen.musrenbang") as forum:
        make_ready(forum).signoff.finalize()
        with pytest.raises(ValidationError) as refused, forum.amendment("salah \u202e ketik"):
            pass
        assert "U+202E" in refused.value.message
        assert forum.amendments() == []
