"""Labelled form fields with the validation message beside them.

A ``ValidationError`` names its field; ``show_error`` puts its message under that field (or
in a notification when the form has no such field), so the note-taker sees what and where,
and nothing is saved.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.css.query import NoMatches
from textual.dom import DOMNode
from textual.widget import Widget
from textual.widgets import Static

from store.validation_error import ValidationError


class Field(Vertical):
    """``label  [widget]`` on one line, the error message (if any) on the next."""

    def __init__(self, label: str, widget: Widget, *, field: str, **kwargs) -> None:
        super().__init__(classes="field", **kwargs)
        self._label = label
        self._widget = widget
        self.field = field

    def compose(self) -> ComposeResult:
        with Horizontal(classes="field-row"):
            yield Static(self._label, classes="field-label", markup=False)
            yield self._widget
        yield Static("", id=f"err-{self.field}", classes="field-error", markup=False)


def show_error(node: DOMNode, error: ValidationError) -> None:
    """Show ``error.message`` beside its field inside ``node``; focus that field."""
    try:
        target = node.query_one(f"#err-{error.field}", Static)
    except NoMatches:
        node.app.notify(error.message, severity="error", timeout=8)
        return
    target.update(error.message)
    target.add_class("-shown")
    field = target.parent
    if isinstance(field, Field):
        field._widget.focus()


def clear_errors(node: DOMNode) -> None:
    for target in node.query(".field-error.-shown").results(Static):
        target.update("")
        target.remove_class("-shown")
