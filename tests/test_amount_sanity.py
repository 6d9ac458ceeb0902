"""Implausible amounts (store.amount_sanity): warned with the amount probably meant."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from store.amount_sanity import MAX_PLAUSIBLE, MIN_PLAUSIBLE, doubt_amount


@pytest.mark.parametrize(
    ("amount", "pagu", "saran"),
    [
        (310, None, 310_000_000),  # the report: "Rp310" for a paving road
        (310_000, None, 310_000_000),
        (3_100_000_000, 2_500_000_000, 310_000_000),  # one zero too many, above the pagu
        (310_000_000_000_000, None, None),  # no /10 or /1.000 lands in range
        (0, None, None),
    ],
)
def test_doubtful_amounts_and_their_suggestion(amount, pagu, saran):
    doubt = doubt_amount(amount, pagu=pagu)
    assert doubt is not None and doubt.saran == saran
    assert ("Maksud Anda" in doubt.pertanyaan) == (saran is not None)


def test_the_question_of_the_report():
    doubt = doubt_amount(310)
    assert doubt is not None
    assert doubt.pesan == "Biaya Rp310 terlalu kecil untuk satu kegiatan (di bawah Rp1.000.000)."
    assert doubt.pertanyaan == "Maksud Anda Rp310.000.000?"


def test_above_the_pagu_names_it():
    doubt = doubt_amount(3_000_000_000, pagu=2_500_000_000)
    assert doubt is not None and "melebihi pagu indikatif Rp2.500.000.000" in doubt.pesan


@given(st.integers(min_value=MIN_PLAUSIBLE, max_value=MAX_PLAUSIBLE))
def test_plausible_amounts_pass_without_a_pagu(amount):
    assert doubt_amount(amount) is None


@given(st.integers(min_value=0, max_value=10**15), st.one_of(st.none(), st.integers(0, 10**13)))
def test_a_suggestion_is_always_itself_plausible(amount, pagu):
    doubt = doubt_amount(amount, pagu=pagu)
    if doubt is not None and doubt.saran is not None:
        assert doubt_amount(doubt.saran, pagu=pagu) is None
