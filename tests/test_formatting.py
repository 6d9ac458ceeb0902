"""Indonesian formatting through Babel and num2words."""

from datetime import date, datetime, time

import pytest
from hypothesis import given
from hypothesis import strategies as st

from store.formatting import (
    format_clock,
    format_clock_seconds,
    format_date,
    format_date_in_words,
    format_day,
    format_day_date,
    format_decimal_id,
    format_nip,
    format_percent,
    format_place_date,
    format_rupiah,
    format_rupiah_short,
    format_time,
    terbilang,
    terbilang_title,
)
from store.validation import parse_rupiah


@pytest.mark.parametrize(
    ("amount", "expected"),
    [(0, "Rp0"), (500, "Rp500"), (1_500_000, "Rp1.500.000"), (1_359_400_000, "Rp1.359.400.000")],
)
def test_format_rupiah(amount, expected):
    assert format_rupiah(amount) == expected


@pytest.mark.parametrize(
    ("amount", "expected"),
    [
        (2_500_000_000, "Rp2,5 M"),
        (312_000_000, "Rp312 jt"),
        (1_500_000, "Rp1,5 jt"),
        (950_000, "Rp950 rb"),
        (999_999_999, "Rp1 M"),  # not Babel's "Rp1000 jt"
        (1_250_000_000_000, "Rp1,3 T"),
    ],
)
def test_format_rupiah_short(amount, expected):
    assert format_rupiah_short(amount) == expected


@given(st.integers(min_value=0, max_value=10**15 - 1))
def test_rupiah_round_trip(amount):
    assert parse_rupiah(format_rupiah(amount)) == amount


def test_terbilang():
    assert terbilang(1_500_000) == "satu juta lima ratus ribu rupiah"
    assert terbilang(1_100) == "seribu seratus rupiah"
    assert terbilang_title(312_000_000) == "Tiga Ratus Dua Belas Juta Rupiah"


def test_dates():
    d = date(2025, 2, 26)
    assert format_date(d) == "26 Februari 2025"
    assert format_day(d) == "Rabu"
    assert format_day_date(d) == "Rabu, 26 Februari 2025"
    assert format_place_date("Sooko", d) == "Sooko, 26 Februari 2025"
    assert format_day(date(2025, 3, 2)) == "Minggu"


def test_date_in_words_as_in_the_ba_kecamatan():
    assert format_date_in_words(date(2025, 4, 14)) == (
        "Senin tanggal Empat Belas bulan April tahun Dua Ribu Dua Puluh Lima"
    )
    assert format_date_in_words(date(2026, 1, 1)) == (
        "Kamis tanggal Satu bulan Januari tahun Dua Ribu Dua Puluh Enam"
    )


def test_times():
    assert format_time(time(9, 0)) == "Pukul 09.00 WIB"
    moment = datetime(2025, 2, 26, 9, 41, 7)
    assert format_clock(moment) == "09.41"
    assert format_clock_seconds(moment) == "09.41.07"


def test_nip():
    assert format_nip("196911191998031005") == "19691119 199803 1 005"
    assert format_nip("19691119 199803 1 005") == "19691119 199803 1 005"
    assert format_nip(" 12345 ") == "12345"  # not a NIP: shown as typed


def test_decimal_and_percent():
    assert format_decimal_id(77.5) == "77,5"
    assert format_decimal_id(77.25) == "77,3"  # half up, not Babel's half even
    assert format_decimal_id(1234.5) == "1.234,5"
    assert format_decimal_id(3, digits=0) == "3"
    assert format_percent(0.33) == "33%"
    assert format_percent(0.3333, digits=1) == "33,3%"
