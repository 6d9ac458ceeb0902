"""The forum's pagu is read as typed everywhere it is typed (Forum baru, ``new --pagu``)."""

from __future__ import annotations

import pytest

from store.meta import header_errors, validate_meta_changes
from store.validation import ValidationError


@pytest.mark.parametrize(
    ("typed", "rupiah"),
    [("800 juta", 800_000_000), ("Rp1,25 miliar", 1_250_000_000), ("750.000.000", 750_000_000)],
)
def test_pagu_as_typed(typed, rupiah):
    assert header_errors({"pagu": typed}) == []
    assert validate_meta_changes({"pagu": typed}, {})["pagu"] == rupiah


def test_pagu_unreadable_names_the_field_and_an_example():
    with pytest.raises(ValidationError) as caught:
        validate_meta_changes({"pagu": "800 m"}, {})
    assert caught.value.message.startswith("Pagu: '800 m' tidak terbaca")
    assert "150 juta" in caught.value.message
