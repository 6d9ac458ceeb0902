"""Pasting several lines into a one-line field keeps every line."""

from textual import events
from textual.app import App, ComposeResult

from tui.widgets.text_input import TextInput, joined_paste


def test_joined_paste_keeps_every_line():
    assert joined_paste("satu\r\ndua\n\n  tiga  ") == "satu dua tiga"


class _One(App):
    def compose(self) -> ComposeResult:
        yield TextInput(id="f")


async def test_multi_line_paste_into_a_field_keeps_all_lines():
    app = _One()
    async with app.run_test() as pilot:
        field = app.query_one(TextInput)
        field.focus()
        field.post_message(events.Paste("Rapat dibuka 09.00\nHadir 40 orang\nUsulan dibacakan"))
        await pilot.pause()
        assert field.value == "Rapat dibuka 09.00 Hadir 40 orang Usulan dibacakan"
