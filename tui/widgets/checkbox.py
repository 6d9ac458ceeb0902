"""A checkbox whose off state is visibly empty.

Textual's ``Checkbox`` draws ``▐X▌`` both on and off and tells them apart by colour only;
on a monochrome terminal, a projector or a text capture every box then looks ticked. Here
the X is drawn only when the box is on (the colours stay as ``app.tcss`` sets them).
"""

from __future__ import annotations

from textual.widgets import Checkbox


class CheckBox(Checkbox):
    """``Checkbox`` showing ``▐X▌`` when on and ``▐ ▌`` when off."""

    @property
    def BUTTON_INNER(self) -> str:
        return "X" if self.value else " "
