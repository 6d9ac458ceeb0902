"""A one-line text field that keeps a whole paste.

Textual's ``Input`` keeps only the first line of a paste, so two of three pasted lines of a
minutes entry vanished without a word. A note-taker pasting from a chat or a document
expects every word to arrive: the lines are joined with a single space (the stored value of
a one-line field folds whitespace the same way, ``store.validation.clean_text``). Fields
that keep line breaks are ``TextArea``s and keep the paste as is.
"""

from __future__ import annotations

from textual import events
from textual.widgets import Input


def joined_paste(text: str) -> str:
    """``"satu\\r\\ndua\\n\\ntiga"`` -> ``"satu dua tiga"``: every line, none empty."""
    return " ".join(line.strip() for line in text.splitlines() if line.strip())


class TextInput(Input):
    """``Input`` whose paste keeps every line (joined with a space)."""

    def _on_paste(self, event: events.Paste) -> None:
        text = joined_paste(event.text) if event.text else ""
        if text:
            selection = self.selection
            if selection.is_empty:
                self.insert_text_at_cursor(text)
            else:
                self.replace(text, *selection)
        event.stop()
        event.prevent_default()  # Input's own handler would add the first line again
