"""Field and record validation with Indonesian messages naming the field."""

from datetime import date, datetime, time

import pytest
from hypothesis import given
from hypothesis import strategies as st

from store.formatting import format_rupiah
from store.validation import (
    TEXT_LIMITS,
    RecordInvalid,
    ValidationError,
    canonical_funding_source,
    clean_text,
    match_desa,
    parse_date,
    parse_funding,
    parse_gender,
    parse_int,
    parse_nip,
    parse_phone,
    parse_rupiah,
    parse_time,
    parse_volume,
    parse_yes_no,
    validate_participant,
    validate_proposal,
)

SOOKO = "35.16.13"


# --- money -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "1500000",
        "1.500.000",
        "Rp1.500.000",
        "Rp 1.500.000",
        "Rp 1.500.000,00",
        "rp. 1.500.000",
        "Rp1.500.000,-",
        " 1.500.000 ",
        "Rp\xa01.500.000",
        1_500_000,
        1_500_000.0,
    ],
)
def test_rupiah_accepted(text):
    assert parse_rupiah(text) == 1_500_000


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("1,5 jt", "bukan angka rupiah yang jelas (contoh: 1.500.000)"),
        ("1.5", "bukan angka rupiah yang jelas"),
        ("1,5", "bukan angka rupiah yang jelas"),
        ("1,500,000", "bukan angka rupiah yang jelas"),
        ("1500.000", "bukan angka rupiah yang jelas"),
        ("satu juta", "bukan angka rupiah yang jelas"),
        ("Rp", "bukan angka rupiah yang jelas"),
        ("-1.500.000", "negatif"),
        ("Rp -500", "negatif"),
        (-5, "negatif"),
        ("1.500.000,50", "tanpa sen"),
        (1500.5, "tanpa sen"),
        ("3516132611794122", "terlalu besar"),
        ("", "wajib diisi"),
        (None, "wajib diisi"),
        (True, "bukan angka rupiah"),
    ],
)
def test_rupiah_refused(text, reason):
    with pytest.raises(ValidationError) as caught:
        parse_rupiah(text)
    assert caught.value.field == "biaya"
    assert caught.value.message.startswith("Biaya")
    assert reason in caught.value.message


def test_rupiah_message_as_in_the_contract():
    with pytest.raises(ValidationError, match=r"^Biaya: '1,5 jt' bukan angka rupiah yang jelas"):
        parse_rupiah("1,5 jt")


def test_rupiah_optional_empty_is_zero_and_label_is_configurable():
    assert parse_rupiah("", required=False) == 0
    with pytest.raises(ValidationError, match=r"^Pagu: "):
        parse_rupiah("1.5", field="pagu")


@given(st.integers(min_value=0, max_value=10**15 - 1))
def test_rupiah_plain_digits_and_decorated_forms(amount):
    assert parse_rupiah(str(amount)) == amount
    assert parse_rupiah(f"Rp {format_rupiah(amount)[2:]},00") == amount


# --- text --------------------------------------------------------------------------------


def test_clean_text_normalises():
    assert clean_text("  Sri   Wahyuni\t ", field="nama") == "Sri Wahyuni"
    assert clean_text("Jalan\nDusun", field="lokasi") == "Jalan Dusun"  # Alt+Enter in a cell
    assert clean_text("Baris satu\r\nBaris dua ", field="permasalahan") == "Baris satu\nBaris dua"
    assert clean_text("a\nb", field="teks") == "a\nb"  # a minutes entry keeps its lines
    assert clean_text("a\nb", field="hasil", multiline=True) == "a\nb"
    decomposed = "Jose\u0301"
    assert clean_text(decomposed, field="nama") == "Jos\u00e9"  # NFC
    assert clean_text(None, field="nama") == ""
    assert clean_text(12.0, field="lokasi") == "12"


def test_clean_text_refuses_control_characters_and_length():
    with pytest.raises(ValidationError, match=r"^Nama: ada karakter kendali \(U\+001B\)"):
        clean_text("Budi\x1b[31m", field="nama")
    with pytest.raises(ValidationError, match=r"^Nama wajib diisi$"):
        clean_text("   ", field="nama", required=True)
    assert len(clean_text("a" * 200, field="nama")) == 200
    with pytest.raises(
        ValidationError, match=r"^Nama: terlalu panjang \(201 karakter, maksimal 200\)"
    ):
        clean_text("a" * 201, field="nama")
    with pytest.raises(ValidationError, match=r"^Judul acara: "):
        clean_text("x" * 11, field="judul", label="Judul acara", limit=10)


def test_text_limits_of_the_contract():
    assert TEXT_LIMITS["nama"] == 200
    assert TEXT_LIMITS["kegiatan"] == 500
    assert TEXT_LIMITS["lokasi"] == 300
    assert TEXT_LIMITS["permasalahan"] == TEXT_LIMITS["catatan"] == 4000


# --- small fields ------------------------------------------------------------------------


@pytest.mark.parametrize("yes", ["ya", "YA", "y", "1", 1, "yes", "true", "True", True, 1.0])
def test_yes(yes):
    assert parse_yes_no(yes, field="delegasi") is True


@pytest.mark.parametrize("no", ["tidak", "t", "0", 0, "no", "false", "", None, False, "  "])
def test_no(no):
    assert parse_yes_no(no, field="delegasi") is False


def test_yes_no_refuses_other_words():
    with pytest.raises(ValidationError, match=r"^Hak suara: 'mungkin' bukan ya/tidak"):
        parse_yes_no("mungkin", field="hak_suara")


@pytest.mark.parametrize(
    ("text", "gender"),
    [("L", "L"), ("p", "P"), ("Laki-laki", "L"), ("PEREMPUAN", "P"), ("pria", "L"),
     ("Wanita", "P"), (" laki laki ", "L")],
)  # fmt: skip
def test_gender(text, gender):
    assert parse_gender(text) == gender


def test_gender_refused():
    with pytest.raises(ValidationError, match=r"^Jenis kelamin: 'X' bukan L atau P"):
        parse_gender("X")
    with pytest.raises(ValidationError, match="wajib"):
        parse_gender("")


@pytest.mark.parametrize(
    "text",
    ["081234567890", "0812-3456-7890", "0812 3456 7890", "+62 812 3456 7890", "6281234567890",
     "(0812) 3456.7890", 81234567890, 81234567890.0, "81234567890"],
)  # fmt: skip
def test_phone_normalised(text):
    assert parse_phone(text) == "081234567890"


def test_phone_landline_and_empty():
    assert parse_phone("0321 123456") == "0321123456"
    assert parse_phone("") == ""
    assert parse_phone(None) == ""
    assert parse_phone("-") == ""  # the usual "none" in Indonesian spreadsheets


@pytest.mark.parametrize(
    "text", ["12345", "08123", "0812345678901234", "hubungi pak RT", "0812/0813"]
)
def test_phone_garbage_refused(text):
    with pytest.raises(ValidationError, match=r"^Telepon: .* bukan nomor telepon"):
        parse_phone(text)


def test_nip():
    assert parse_nip("19691119 199803 1 005") == "196911191998031005"
    assert parse_nip("") == ""
    with pytest.raises(ValidationError, match=r"^NIP: harus 18 angka"):
        parse_nip("1969111919980310")
    with pytest.raises(ValidationError, match=r"^NIP: "):
        parse_nip("196913191998031005")  # month 13


@pytest.mark.parametrize(
    ("text", "number"),
    [("1.200", 1200), ("1,5", 1.5), ("2.365,25", 2365.25), ("9", 9), (4, 4), (2.5, 2.5),
     (3.0, 3), ("0,5", 0.5)],
)  # fmt: skip
def test_volume(text, number):
    result = parse_volume(text)
    assert result == number
    assert type(result) is type(number)


@pytest.mark.parametrize("text", ["1.5", "1.20", "abc", "-3", "1,5 m"])
def test_volume_refused(text):
    with pytest.raises(ValidationError, match=r"^Volume: "):
        parse_volume(text)


def test_volume_empty():
    assert parse_volume("") is None
    with pytest.raises(ValidationError, match=r"^Volume wajib diisi"):
        parse_volume(" ", required=True)


def test_int():
    assert parse_int("1.594", field="penerima_manfaat") == 1594
    assert parse_int(128, field="penerima_manfaat") == 128
    assert parse_int("", field="penerima_manfaat") is None
    with pytest.raises(ValidationError, match=r"^Penerima manfaat: '1,5' harus bilangan bulat"):
        parse_int("1,5", field="penerima_manfaat")


@pytest.mark.parametrize(
    "text",
    ["2025-02-26", "26-02-2025", "26/02/2025", "26/2/2025", date(2025, 2, 26),
     datetime(2025, 2, 26, 0, 0)],
)  # fmt: skip
def test_date(text):
    assert parse_date(text) == date(2025, 2, 26)


def test_date_refused():
    with pytest.raises(ValidationError, match=r"^Tanggal: '31-02-2025' tidak ada di kalender"):
        parse_date("31-02-2025")
    with pytest.raises(ValidationError, match=r"^Tanggal: 'besok' bukan tanggal"):
        parse_date("besok")


@pytest.mark.parametrize(
    "text", ["09:00", "9.00", "09.00", "Pukul 09.00 WIB", time(9, 0), datetime(2025, 1, 1, 9, 0)]
)
def test_time(text):
    assert parse_time(text) == time(9, 0)


@pytest.mark.parametrize("text", ["24:00", "9:60", "jam 9", "9"])
def test_time_refused(text):
    with pytest.raises(ValidationError, match=r"^Pukul: .* bukan jam"):
        parse_time(text)


# --- funding -----------------------------------------------------------------------------


def test_single_source_takes_the_whole_cost():
    assert parse_funding("APBD Kab", 45_600_000) == [{"sumber": "APBD Kab", "jumlah": 45_600_000}]
    assert parse_funding("apbd kabupaten", 1) == [{"sumber": "APBD Kab", "jumlah": 1}]
    assert parse_funding("", 5) == []


def test_several_sources_with_amounts():
    assert parse_funding("DD:50.000.000; APBD Kab:262.000.000", 312_000_000) == [
        {"sumber": "DD", "jumlah": 50_000_000},
        {"sumber": "APBD Kab", "jumlah": 262_000_000},
    ]
    # the form writes the amounts back as plain integers
    assert parse_funding("dana desa:100; Swadaya Masyarakat:50", 150)[1]["sumber"] == "Swadaya"


def test_unknown_source_kept_trimmed():
    assert parse_funding("  CSR   Pabrik ", 10) == [{"sumber": "CSR Pabrik", "jumlah": 10}]
    assert canonical_funding_source("APBD Prov.") == "APBD Prov"


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        (
            "DD:50.000.000; APBD Kab:200.000.000",
            "Rp250.000.000, tidak sama dengan biaya Rp312.000.000",
        ),
        ("DD:50.000.000; APBD Kab", "tulis jumlah masing-masing"),
        ("DD:1,5 jt; APBD Kab:262.000.000", "Sumber dana (DD): '1,5 jt' bukan angka rupiah"),
        ("DD:100; dd:312.000.000", "'DD' disebut lebih dari sekali"),
        ("DD 312.000.000", "tulis jumlah setelah titik dua"),
        ("DD:1", "tidak sama dengan biaya"),
    ],
)
def test_funding_refused(text, reason):
    with pytest.raises(ValidationError) as caught:
        parse_funding(text, 312_000_000)
    assert caught.value.field == "sumber_dana"
    assert caught.value.message.startswith("Sumber dana")
    assert reason in caught.value.message


# --- desa --------------------------------------------------------------------------------


def test_match_desa():
    assert match_desa("Desa Gemekan").code == "35.16.13.2001"
    assert match_desa("karang kedawang", wilayah_kode=SOOKO).name == "Karangkedawang"
    assert match_desa("Tempuran", wilayah_kode=SOOKO).code == "35.16.13.2014"
    assert match_desa("35.16.06.2005").name == "Tempuran"
    assert match_desa("", required=False) is None


def test_match_desa_refusals():
    with pytest.raises(
        ValidationError, match=r"'Tempuran' ada di beberapa kecamatan \(Pungging, Sooko\)"
    ):
        match_desa("Tempuran")
    with pytest.raises(ValidationError, match=r"^Desa: 'Sokoo' tidak ada di Kecamatan Sooko"):
        match_desa("Sokoo", wilayah_kode=SOOKO)
    with pytest.raises(ValidationError, match=r"^Desa: 'Kauman' tidak ada di Kecamatan Sooko"):
        match_desa("Kauman", wilayah_kode=SOOKO)  # a kelurahan of Mojosari
    with pytest.raises(ValidationError, match="tidak ada di Desa Gemekan"):
        match_desa("Brangkal", wilayah_kode="35.16.13.2001")  # a desa forum


# --- records -----------------------------------------------------------------------------

PROPOSAL = {
    "desa": "japan",
    "sumber": "LPM",
    "bidang": "sosial",
    "permasalahan": "Alat bantu disabilitas belum memadai",
    "kegiatan": "Alat bantu bagi penyandang disabilitas",
    "lokasi": "Desa Japan RT 08 RW 03",
    "volume": "79",
    "satuan": "paket",
    "penerima_manfaat": "128",
    "biaya": "312.000.000",
    "sumber_dana": "DD:50.000.000; APBD Kab:262.000.000",
    "opd_tujuan": "Dinas Sosial",
    "kamus_usulan": "Bantuan alat bantu disabilitas",
    "foto": "foto/japan-1.jpg; foto/japan-2.jpg",
}


def test_validate_proposal():
    record = validate_proposal(PROPOSAL, wilayah_kode=SOOKO)
    assert record["desa"] == "Japan"
    assert record["desa_kode"] == "35.16.13.2009"
    assert record["bidang"] == "Sosial"
    assert record["volume"] == 79
    assert record["penerima_manfaat"] == 128
    assert record["biaya"] == 312_000_000
    assert record["sumber_dana"] == [
        {"sumber": "DD", "jumlah": 50_000_000},
        {"sumber": "APBD Kab", "jumlah": 262_000_000},
    ]
    assert record["foto"] == ["foto/japan-1.jpg", "foto/japan-2.jpg"]
    assert record["catatan"] == ""
    assert record["program"] == ""


def test_validate_proposal_minimal_and_user_sector():
    record = validate_proposal(
        {"desa": "Sooko", "kegiatan": "Posko", "biaya": 5, "bidang": "pariwisata"},
        wilayah_kode=SOOKO,
        sectors=["Pariwisata"],
    )
    assert record["bidang"] == "Pariwisata"
    assert record["volume"] is None
    assert record["sumber_dana"] == []
    assert record["foto"] == []


def test_validate_proposal_reports_every_bad_field():
    bad = PROPOSAL | {"desa": "", "kegiatan": " ", "biaya": "1,5 jt", "volume": "1.5"}
    with pytest.raises(RecordInvalid) as caught:
        validate_proposal(bad, wilayah_kode=SOOKO)
    fields = [e.field for e in caught.value.errors]
    assert fields == ["desa", "kegiatan", "volume", "biaya"]
    assert "Biaya: '1,5 jt' bukan angka rupiah" in caught.value.message
    assert isinstance(caught.value, ValidationError)


def test_validate_proposal_round_trips_its_own_output():
    record = validate_proposal(PROPOSAL, wilayah_kode=SOOKO)
    again = dict(record)
    again["sumber_dana"] = "; ".join(f"{s['sumber']}:{s['jumlah']}" for s in record["sumber_dana"])
    again["foto"] = "; ".join(record["foto"])
    assert validate_proposal(again, wilayah_kode=SOOKO) == record


PERSON = {
    "nama": " Siti Maulana ",
    "jenis_kelamin": "P",
    "lembaga": "Kader Posyandu Brangkal",
    "unsur": "Kader Posyandu",
    "desa": "Brangkal",
    "jabatan": "Kader",
    "delegasi": "tidak",
    "hak_suara": "tidak",
    "telepon": "085549261094",
    "nik": "3516136107926096",
}


def test_validate_participant():
    record, warnings = validate_participant(PERSON, wilayah_kode=SOOKO)
    assert warnings == []
    assert record == {
        "nama": "Siti Maulana",
        "jenis_kelamin": "P",
        "lembaga": "Kader Posyandu Brangkal",
        "unsur": "Kelompok Perempuan",
        "unsur_asal": "Kader Posyandu",
        "desa": "Brangkal",
        "desa_kode": "35.16.13.2003",
        "jabatan": "Kader",
        "delegasi": False,
        "hak_suara": False,
        "disabilitas": False,
        "telepon": "085549261094",
        "nik": "3516136107926096",
    }


def test_participant_warnings_never_refuse():
    record, warnings = validate_participant(
        {"nama": "Budi", "jenis_kelamin": "L", "unsur": "Paguyuban Seni", "desa": "Surabaya",
         "nik": "3516136107926096"},
        wilayah_kode=SOOKO,
    )  # fmt: skip
    assert record["unsur"] == "Lainnya"
    assert record["unsur_asal"] == "Paguyuban Seni"
    assert record["desa"] == "Surabaya"
    assert record["desa_kode"] is None
    assert any("Paguyuban Seni" in w for w in warnings)
    assert any("'Surabaya' tidak ada di Kecamatan Sooko" in w for w in warnings)
    assert any(w.startswith("NIK: ") and "perempuan" in w for w in warnings)


def test_participant_without_gender_warns():
    record, warnings = validate_participant({"nama": "Anon"})
    assert record["jenis_kelamin"] is None
    assert record["desa"] == ""
    assert record["nik"] == ""
    assert warnings == ["Jenis kelamin kosong: tidak terhitung dalam keterwakilan perempuan"]


def test_participant_numeric_nik_cell_warns():
    _, warnings = validate_participant(
        {"nama": "Budi", "jenis_kelamin": "L", "nik": 3516132611794122.0}
    )
    assert any("simpan kolom NIK sebagai teks" in w for w in warnings)


def test_participant_errors_name_each_field():
    with pytest.raises(RecordInvalid) as caught:
        validate_participant(
            {"nama": "", "jenis_kelamin": "X", "delegasi": "mungkin", "nik": "123",
             "telepon": "abc"}
        )  # fmt: skip
    assert [e.field for e in caught.value.errors] == [
        "nama", "jenis_kelamin", "delegasi", "telepon", "nik",
    ]  # fmt: skip


def test_participant_unsur_overrides():
    record, _ = validate_participant(PERSON, unsur_overrides={"kader posyandu": "Lainnya"})
    assert record["unsur"] == "Lainnya"
