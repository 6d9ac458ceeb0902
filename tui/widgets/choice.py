"""A dropdown that hands the keyboard on once a value is picked.

After a pick, Textual's ``Select`` keeps the focus on itself, where printable keys do
nothing: a note-taker who picks a desa and types the next field's text loses what is typed.
``Choice`` moves the focus to the next field after a pick (Enter or a click in its list),
so typing goes on there. A value set by the program (a prefill, a restored draft) and Esc
(closing the list without a pick) leave the focus where it is.
"""

from __future__ import annotations

from textual import on
from textual.widgets import Select
from textual.widgets._select import SelectOverlay


class Choice(Select):
    """``Select`` whose pick moves the focus on to the next field."""

    @on(SelectOverlay.UpdateSelection)
    def _picked(self) -> None:
        # Select's own handler (next in the class order) focuses the dropdown and closes
        # its list; move on after that.
        self.call_after_refresh(self._move_on)

    def _move_on(self) -> None:
        if self.is_attached and self.has_focus:
            self.screen.focus_next()
