"""Numbers typed into forms with a unit or scale word (store.typed_numbers)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from store.formatting import format_rupiah
from store.typed_numbers import (
    read_typed_count,
    read_typed_quantity,
    read_typed_rupiah,
    typed_proposal_fields,
)
from store.validation import ValidationError


@pytest.mark.parametrize(
    ("typed", "amount"),
    [
        ("150.000.000", 150_000_000),
        ("Rp 150.000.000", 150_000_000),
        ("Rp150.000.000,-", 150_000_000),
        ("150 juta", 150_000_000),
        ("150jt", 150_000_000),
        ("1,5 M", 1_500_000_000),
        ("Rp1,25 miliar", 1_250_000_000),
        ("1.250 juta", 1_250_000_000),
        ("500 rb", 500_000),
        ("2 JUTA", 2_000_000),
    ],
)
def test_rupiah_with_scale_words(typed, amount):
    assert read_typed_rupiah(typed) == amount


@pytest.mark.parametrize(
    ("typed", "said"),
    [
        ("150 m", "mis. 150.000.000, Rp150.000.000 atau 150 juta"),  # metre or miliar?
        ("1.5 juta", "mis. 150.000.000, Rp150.000.000 atau 150 juta"),
        ("seratus juta", "tidak terbaca"),
        ("1,2345678 rb", "harus rupiah bulat tanpa sen"),
        ("", "Biaya wajib diisi"),
    ],
)
def test_unclear_rupiah_says_what_is_expected(typed, said):
    with pytest.raises(ValidationError, match=said) as caught:
        read_typed_rupiah(typed)
    assert caught.value.field == "biaya" and caught.value.message.startswith("Biaya")


@given(st.integers(min_value=0, max_value=10**14))
def test_every_amount_as_the_app_prints_it_reads_back(amount):
    assert read_typed_rupiah(format_rupiah(amount)) == amount


@pytest.mark.parametrize(
    ("typed", "count"),
    [("250", 250), ("250 jiwa", 250), ("1.200 orang", 1200), ("30 Warga", 30), ("", None)],
)
def test_beneficiaries_with_a_people_word(typed, count):
    assert read_typed_count(typed) == count


def test_households_are_refused_with_what_to_write():
    with pytest.raises(ValidationError, match=r"jumlah orang .jiwa.*160 jiwa.*Catatan"):
        read_typed_count("40 KK")
    with pytest.raises(ValidationError, match=r"tulis jumlah orang, mis\. 250 atau 250 jiwa"):
        read_typed_count("banyak")
    with pytest.raises(ValidationError, match="harus bilangan bulat"):
        read_typed_count("2,5 orang")


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("150 m", (150, "m")),
        ("1.200 m2", (1200, "m2")),
        ("40m²", (40, "m2")),  # NFKC: the superscript is a digit
        ("1,5", (1.5, "")),
        ("", (None, "")),
    ],
)
def test_quantity_with_its_unit(typed, expected):
    assert read_typed_quantity(typed) == expected


def test_a_quantity_with_more_than_one_number_is_not_guessed():
    with pytest.raises(ValidationError, match="satu angka lalu satuannya"):
        read_typed_quantity("2 x 3 m")


def test_form_fields_take_the_unit_into_an_empty_satuan_and_flag_a_clash():
    fields, errors = typed_proposal_fields(
        {"volume": "150 m", "satuan": "", "penerima_manfaat": "250 jiwa", "biaya": "150 juta"}
    )
    assert errors == {}
    assert (fields["volume"], fields["satuan"]) == ("150", "m")
    assert (fields["penerima_manfaat"], fields["biaya"]) == ("250", "150000000")
    _, errors = typed_proposal_fields({"volume": "150 m", "satuan": "unit", "biaya": "1"})
    assert errors == {
        "volume": "Volume: '150 m' bersatuan 'm', tetapi Satuan berisi 'unit': hapus salah satu"
    }
