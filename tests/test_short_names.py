"""Proposal names cut to a column: start and end kept, different names never look alike."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from store.short_names import distinct_cuts, middle_cut

STEM = "Pembangunan jalan paving "


def test_a_name_that_fits_is_whole():
    assert middle_cut("Posyandu Melati", 20) == "Posyandu Melati"


def test_the_middle_goes_and_the_place_at_the_end_stays():
    cut = middle_cut(STEM + "Dusun Krajan", 20)
    assert len(cut) == 20 and cut.startswith("Pembangunan") and cut.endswith("Krajan")


def test_ranks_one_and_two_of_the_report_no_longer_look_alike():
    names = [STEM + "Dusun Krajan RT 01", STEM + "Dusun Kulon RT 03"]
    first, second = distinct_cuts(names, 21)
    assert first != second and first.endswith("RT 01") and second.endswith("RT 03")


def test_names_differing_only_in_the_middle_show_the_difference():
    names = [STEM + "beton Dusun Krajan RT 01", STEM + "aspal Dusun Krajan RT 01"]
    first, second = distinct_cuts(names, 20)
    assert first != second
    assert "beton" in first or "bet" in first
    assert "aspal" in second or "asp" in second


def test_equal_names_keep_equal_labels():
    assert distinct_cuts([STEM + "Krajan"] * 2, 12) == [middle_cut(STEM + "Krajan", 12)] * 2


# Names built from few letters and a shared stem: look-alikes are the common case here.
look_alike = st.builds(
    lambda stem, rest: stem + rest,
    st.sampled_from(["", STEM, STEM + "Dusun ", "Rehab "]),
    st.text(alphabet="ab …~1", max_size=40),
)


@given(st.lists(look_alike, max_size=12), st.integers(min_value=0, max_value=40))
def test_different_names_never_get_the_same_label_and_each_fits(names, width):
    labels = distinct_cuts(names, width)
    shown_width = max(width, 6)
    assert all(len(label) <= shown_width for label in labels)
    for i, a in enumerate(names):
        for j, b in enumerate(names):
            if a != b:
                assert labels[i] != labels[j], (a, b, labels[i])


@given(st.text(max_size=60), st.integers(min_value=0, max_value=60))
def test_middle_cut_fits_and_keeps_both_ends(name, width):
    cut = middle_cut(name, width)
    assert len(cut) <= width
    if len(name) <= width:
        assert cut == name
    elif width >= 4:
        assert len(cut) == width and cut[0] == name[0] and cut[-1] == name[-1]
