"""The buku agenda surat: numbering, editing, persistence, the BA number, the letters to desa."""

from __future__ import annotations

from datetime import date

import orjson
import pytest
from docx import Document

from exports.documents.surat_desa import write_letters
from store import agenda_book
from store.office import load_office, save_office
from store.paths import office_file
from store.validation import ValidationError
from tests.forum_factory import make_forum, make_ready

SOOKO = "35.16.13"


def outgoing(tanggal: str = "2026-01-06", **kwargs) -> dict:
    fields = {
        "pihak": "Kepala Desa Japan",
        "perihal": "Musrenbang Desa",
        "jenis": "surat-desa",
        "tahun_perencanaan": 2027,
        "wilayah": SOOKO,
        **kwargs,
    }
    return agenda_book.number_outgoing(tanggal=tanggal, **fields)


@pytest.fixture
def office_codes() -> None:
    office = load_office()
    office["agenda_setelan"] = {"klasifikasi": "065", "kode_unit": "416-313"}
    save_office(office)


def test_outgoing_numbers_follow_the_book_per_year(office_codes) -> None:
    first, second = outgoing(), outgoing()
    assert (first["nomor"], second["nomor"]) == ("065/1/416-313/2026", "065/2/416-313/2026")
    assert outgoing("2027-01-04")["nomor"] == "065/1/416-313/2027"
    taken = outgoing(urut=81, klasifikasi="050")
    assert taken["nomor"] == "050/81/416-313/2026"
    assert outgoing()["urut"] == 82


def test_incoming_letters_have_their_own_sequence(office_codes) -> None:
    outgoing()
    entry = agenda_book.register_incoming(
        nomor="050/123/416-102/2026",
        tanggal="05-01-2026",
        pihak="Bappeda Kabupaten Mojokerto",
        perihal="Musrenbang RKPD 2027",
        tahun_perencanaan=2027,
        wilayah=SOOKO,
        diterima="2026-01-06",
    )
    assert (entry["arah"], entry["urut"], entry["nomor"]) == ("masuk", 1, "050/123/416-102/2026")
    assert entry["tanggal"] == "2026-01-05"
    assert [e["arah"] for e in agenda_book.entries(tahun_perencanaan=2027)] == ["keluar", "masuk"]


def test_numbers_stay_editable_but_never_twice(office_codes) -> None:
    first, second = outgoing(), outgoing()
    edited = agenda_book.edit_entry(first["id"], urut=40, kode_unit="416-313.1")
    assert edited["nomor"] == "065/40/416-313.1/2026"
    with pytest.raises(ValidationError, match="sudah dipakai"):
        agenda_book.edit_entry(second["id"], urut=40)
    assert agenda_book.get(second["id"])["nomor"] == "065/2/416-313/2026"
    with pytest.raises(ValidationError, match="'/'"):
        agenda_book.edit_entry(second["id"], klasifikasi="065/1")
    assert agenda_book.edit_entry(second["id"], nomor="065/2a/416-313/2026")["nomor"] == (
        "065/2a/416-313/2026"
    )


def test_book_lives_in_kantor_json_beside_the_other_settings() -> None:
    office = load_office()
    office["nama"] = "Kecamatan Sooko"
    save_office(office)
    outgoing()
    stored = orjson.loads(office_file().read_bytes())
    assert stored["nama"] == "Kecamatan Sooko"
    assert [e["jenis"] for e in stored["agenda_surat"]] == ["surat-desa"]
    assert stored["agenda_surat"][0]["nomor"] == "050/1/2026"  # no kode unit set yet


def test_the_kode_unit_is_the_offices_own_never_the_region_code() -> None:
    office = load_office()
    office["wilayah_kode"] = SOOKO
    save_office(office)
    assert SOOKO not in outgoing()["nomor"]
    office = load_office()
    office["agenda_setelan"] = {"klasifikasi": "050", "kode_unit": "416-313"}
    save_office(office)
    assert outgoing()["nomor"] == "050/2/416-313/2026"


def test_finalize_numbers_every_letter_of_the_forum_on_the_forum_day(
    tmp_path, office_codes
) -> None:
    outgoing()  # sequence 1 is taken by an earlier letter
    with make_forum(tmp_path / "kec.musrenbang", tanggal="2026-02-12") as forum:
        forum.update_meta(nomor_surat="065/7/416-313/2026")  # typed by hand first
        make_ready(forum).signoff.finalize()
        meta = forum.meta
    assert meta["nomor_surat"] == "065/7/416-313/2026"
    assert meta["nomor_surat_pengantar"] == "065/8/416-313/2026"
    assert meta["nomor_surat_mandat"] == "065/9/416-313/2026"
    book = {e["jenis"]: e for e in agenda_book.entries(arah="keluar")}
    assert book["berita-acara"]["urut"] == 7  # the hand-typed number is never given again
    assert {book[k]["tanggal"] for k in ("berita-acara", "surat-pengantar", "surat-mandat")} == {
        "2026-02-12"
    }
    assert book["surat-pengantar"]["pihak"] == "Kepala Bappeda Kabupaten Mojokerto"
    assert outgoing()["urut"] == 10


def test_finalize_refuses_a_hand_typed_number_already_used(tmp_path, office_codes) -> None:
    taken = outgoing()
    with make_forum(tmp_path / "kec.musrenbang") as forum:
        forum.update_meta(nomor_surat=taken["nomor"])
        make_ready(forum)
        with pytest.raises(ValidationError, match="sudah dipakai"):
            forum.signoff.finalize()
        assert forum.status == "draf"


def test_bad_entries_are_refused() -> None:
    with pytest.raises(ValidationError):
        outgoing(jenis="undangan-pesta")
    with pytest.raises(ValidationError):
        outgoing(tanggal="31-02-2026")
    with pytest.raises(ValidationError):
        outgoing(urut=0)
    assert agenda_book.entries() == []


def test_berita_acara_number_comes_from_the_book(tmp_path, office_codes) -> None:
    outgoing()
    with make_forum(tmp_path / "kec.musrenbang") as forum:
        entry = agenda_book.number_berita_acara(forum)
        assert forum.meta["nomor_surat"] == entry["nomor"] == "065/2/416-313/2026"
        assert agenda_book.number_berita_acara(forum)["id"] == entry["id"]
        forum.update_meta(nomor_surat="")
        make_ready(forum).signoff.finalize()  # the book's number comes back, no second one is taken
        assert forum.meta["nomor_surat"] == entry["nomor"]
    assert len(agenda_book.entries(jenis="berita-acara")) == 1


def test_letters_to_every_desa_are_numbered_once(tmp_path, office_codes) -> None:
    agenda_book.register_incoming(
        nomor="050/123/416-102/2026",
        tanggal="2026-01-05",
        pihak="Bappeda Kabupaten Mojokerto",
        perihal="Pelaksanaan Musrenbang Tahun 2027",
        tahun_perencanaan=2027,
        wilayah=SOOKO,
    )
    files = write_letters(
        SOOKO, 2027, tmp_path, tanggal=date(2026, 1, 6), batas_musrenbangdes=date(2026, 1, 31)
    )
    assert len(files) == 15
    letters = agenda_book.entries(arah="keluar", jenis="surat-desa")
    assert [e["urut"] for e in letters] == list(range(1, 16))
    assert letters[0]["tujuan_kode"] == "35.16.13.2001" and letters[0]["berkas"] == str(files[0])
    text = "\n".join(p.text for p in Document(str(files[8])).paragraphs)
    tables = "\n".join(
        c.text for t in Document(str(files[8])).tables for r in t.rows for c in r.cells
    )
    assert "Musrenbang Desa) Desa Japan" in text
    assert "050/123/416-102/2026" in text and "31 Januari 2026" in text
    assert "065/9/416-313/2026" in tables and "Yth. Kepala Desa Japan" in tables
    write_letters(SOOKO, 2027, tmp_path, tanggal=date(2026, 1, 7), desa=["35.16.13.2009"])
    assert len(agenda_book.entries(arah="keluar", jenis="surat-desa")) == 15


def test_two_forums_of_one_region_and_year_never_share_a_number(tmp_path, office_codes) -> None:
    """A desa holding its Musrenbang twice: forum 2 takes numbers of its own."""
    numbers = []
    for name in ("satu", "dua"):
        with make_forum(tmp_path / f"{name}.musrenbang", tanggal="2026-01-20") as forum:
            make_ready(forum).signoff.finalize()
            numbers.append(
                {forum.meta[k] for k in agenda_book.FORUM_LETTERS}
                | {agenda_book.forum_letter(forum, "surat-pengantar")["nomor"]}
            )
    assert len(numbers[0]) == 3 and len(numbers[1]) == 3
    assert not numbers[0] & numbers[1]
    owners = {e["forum_id"] for e in agenda_book.entries(arah="keluar")}
    assert len(owners) == 2


def test_an_entry_without_forum_serves_the_first_forum_that_claims_it(
    tmp_path, office_codes
) -> None:
    legacy = outgoing(jenis="surat-pengantar", wilayah=SOOKO)  # taken by hand, no forum
    with make_forum(tmp_path / "satu.musrenbang") as first:
        forum = first
        assert agenda_book.forum_letter(forum, "surat-pengantar")["id"] == legacy["id"]
        forum.update_meta(nomor_surat_pengantar="050/99/416-313/2026")  # carries another
        assert agenda_book.forum_letter(forum, "surat-pengantar") is None
        forum.update_meta(nomor_surat_pengantar="")
        make_ready(forum).signoff.finalize()
        assert forum.meta["nomor_surat_pengantar"] == legacy["nomor"]
    with make_forum(tmp_path / "dua.musrenbang") as second:
        assert agenda_book.forum_letter(second, "surat-pengantar") is None  # claimed
