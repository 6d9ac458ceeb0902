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
    """Show each refused field's message beside it inside ``node`` and focus the first.

    A record-level error (``RecordInvalid``) carries one error per field. A field without
    its own message line gets a notification, and its widget (``#<field>``) the focus.
    """
    errors: list[ValidationError] = list(getattr(error, "errors", None) or [error])
    focused = False
    for item in errors:
        try:
            target = node.query_one(f"#err-{item.field}", Static)
        except NoMatches:
            node.app.notify(item.message, severity="error", timeout=8)
            widget = _widget(node, f"#{item.field}")
        else:
            target.update(item.message)
            target.add_class("-shown")
            field = target.parent
            widget = field._widget if isinstance(field, Field) else None
        if widget is not None and not focused:
            widget.focus()
            focused = True


def _widget(node: DOMNode, selector: str) -> Widget | None:
    try:
        return node.query_one(selector)
    except (NoMatches, ValueError):  # ValueError: a field name that is no valid selector
        return None


def clear_errors(node: DOMNode) -> None:
    for target in node.query(".field-error.-shown").results(Static):
        target.update("")
        target.remove_class("-shown")
