"""NIK: refuse what cannot exist, warn on mismatches, mask whenever shown."""

from datetime import date

import pytest

from store.nik import mask_nik, nik_birth_date, nik_gender, normalize_nik, validate_nik
from store.validation_error import ValidationError

MAN = "3516132611794122"  # born 26-11-1979
WOMAN = "3516136107926096"  # day 61 -> 21-07-1992, female
TODAY = date(2025, 2, 26)


def test_reads_birth_date_and_gender():
    assert nik_gender(MAN) == "L"
    assert nik_gender(WOMAN) == "P"
    assert nik_birth_date(MAN, today=TODAY) == date(1979, 11, 26)
    assert nik_birth_date(WOMAN, today=TODAY) == date(1992, 7, 21)


def test_century_keeps_birth_in_the_past():
    assert nik_birth_date("3516130101050001", today=TODAY) == date(2005, 1, 1)
    assert nik_birth_date("3516130112250001", today=TODAY) == date(1925, 12, 1)


def test_leap_day_only_where_a_century_allows_it():
    assert nik_birth_date("3516136902000001", today=TODAY) == date(2000, 2, 29)  # woman
    with pytest.raises(ValidationError):
        validate_nik("3516132902010001")  # 29-02-2001 / 1901


def test_valid_nik_without_declared_data_has_no_warnings():
    assert validate_nik(MAN) == []
    assert validate_nik(" 3516 1326 1179 4122 ") == []


@pytest.mark.parametrize(
    ("nik", "reason"),
    [
        ("351613261179412", "16 angka"),  # 15 digits
        ("35161326117941222", "16 angka"),
        ("35161326117941AB", "huruf"),
        ("0016132611794122", "provinsi"),
        ("3516132613794122", "bulan"),  # month 13
        ("3516132600794122", "bulan"),  # month 0
        ("3516130011794122", "tanggal"),  # day 0
        ("3516133511794122", "tanggal"),  # day 35: neither a man's nor (after -40) a woman's
        ("3516137211794122", "tanggal"),  # 72 - 40 = 32
        ("3516133102794122", "tanggal"),  # 31 Februari
    ],
)
def test_malformed_nik_is_refused(nik, reason):
    with pytest.raises(ValidationError) as caught:
        validate_nik(nik)
    assert caught.value.field == "nik"
    assert caught.value.message.startswith("NIK: ")
    assert reason in caught.value.message


def test_gender_mismatch_only_warns():
    warnings = validate_nik(WOMAN, gender="L")
    assert len(warnings) == 1
    assert "perempuan" in warnings[0]
    assert validate_nik(WOMAN, gender="P") == []
    assert "laki-laki" in validate_nik(MAN, gender="P")[0]


def test_birth_date_mismatch_only_warns():
    warnings = validate_nik(MAN, birth_date=date(1979, 11, 27), today=TODAY)
    assert warnings == ["NIK: tanggal lahir di NIK 26-11-1979, tanggal lahir tertulis 27-11-1979"]
    assert validate_nik(MAN, birth_date=date(1979, 11, 26), today=TODAY) == []


def test_mask():
    assert mask_nik("3516131111790003") == "351613********0003"
    assert mask_nik(3516131111790003) == "351613********0003"
    assert mask_nik("") == ""
    assert "1234" not in mask_nik("123456")  # too short to show any part


def test_normalize():
    assert normalize_nik("3516.1326-1179 4122") == MAN
