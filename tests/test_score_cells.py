"""``ScoreCells`` answers exactly what the dict it replaced answered."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from store.score_cells import ScoreCells

# Dense ids (the arrays), zero, negative and far ids (the dict), and bools (equal to 0/1
# as dict keys, so they must find the same cell).
ids = st.one_of(st.integers(1, 60), st.integers(-3, 0), st.integers(2_000, 10**13), st.booleans())
cells = st.tuples(ids, st.integers(1, 4) | st.booleans())
record_ids = st.integers(1, 40)
changes = st.lists(
    st.one_of(
        st.tuples(st.just("put"), cells, record_ids),
        st.tuples(st.just("without"), st.sets(record_ids, max_size=4), st.none()),
    ),
    max_size=120,
)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(cells, record_ids), max_size=60), changes, st.lists(cells, max_size=20))
def test_cells_answer_as_a_dict(built, later, probes):
    model = dict(built)
    index = ScoreCells(built)
    for kind, what, rec_id in later:
        if kind == "put":
            model[what] = rec_id
            index[what] = rec_id
        else:
            model = {cell: held for cell, held in model.items() if held not in what}
            assert index.without(what) is index
        assert len(index) == len(model)
    for cell in [*model, *probes]:
        assert index.get(cell) == model.get(cell)
    assert dict(index.items()) == model  # keys compare as the dict's do (True == 1)
    assert index == model and index == ScoreCells(model.items())


def test_dense_proposal_ids_go_to_arrays_and_a_far_one_to_the_dict():
    index = ScoreCells(((usulan, 1), usulan + 100) for usulan in range(1, 2001))
    index[(10**9, 1)] = 7
    assert index.get((1500, 1)) == 1600
    assert index.get((10**9, 1)) == 7
    assert index.get((2001, 1)) is None
    assert len(index._far) == 1  # the one far id; the 2,000 dense ones are in a row
    assert len(index) == 2001
