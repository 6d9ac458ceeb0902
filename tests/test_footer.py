"""The footer's choice of keys (``tui.widgets.footer.choose``): whole keys only, F1 always."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from tui.widgets.footer import FooterItem, choose


def item(key: str, description: str, action: str | None = None) -> FooterItem:
    return FooterItem(key, key, description, action or f"aksi_{key}", True, "")


HELP = item("f1", "Bantuan", "app.bantuan")


def test_f1_is_kept_and_the_rest_fill_in_order():
    items = [item("enter", "Simpan"), item("^t", "Jenis"), item("^s", "Pembicara"), HELP]
    shown = choose(items, width=33)
    assert shown[-1] == HELP
    assert [i.key for i in shown] == ["enter", "^t", "f1"]  # ^s Pembicara does not fit whole
    assert sum(i.width for i in shown) <= 33


def test_a_long_key_left_out_lets_a_shorter_later_one_in():
    items = [item("a", "x" * 40), item("b", "Tutup"), HELP]
    assert [i.key for i in choose(items, width=25)] == ["b", "f1"]


@given(
    st.lists(st.tuples(st.text("abc^", min_size=1, max_size=4), st.text("xyz ", max_size=25))),
    st.integers(min_value=11, max_value=200),
)
def test_never_wider_than_the_room_and_in_priority_order(pairs, width):
    items = [item(k, d, f"aksi{n}") for n, (k, d) in enumerate(pairs)] + [HELP]
    shown = choose(items, width)
    assert HELP in shown
    assert sum(i.width for i in shown) <= width
    others = [i for i in shown if i != HELP]
    assert others == [i for i in items if i in others]  # the bindings' order is kept
