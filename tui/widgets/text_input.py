"""A one-line text field that keeps a whole paste.

Textual's ``Input`` keeps only the first line of a paste, so two of three pasted lines of a
minutes entry vanished without a word. A note-taker pasting from a chat or a document
expects every word to arrive: the lines are joined with a single space (the stored value of
a one-line field folds whitespace the same way, ``store.validation.clean_text``). Fields
that keep line breaks are ``TextArea``s and keep the paste as is.

A terminal without bracketed paste (tmux ``paste-buffer`` without ``-p``, some Windows
consoles) delivers a paste as keys: each line break arrives as Enter. Keys of one paste are
read together, microseconds apart; nobody types Enter within ``PASTE_GAP_S`` of the letter
before it. Such an Enter followed by more keys is a line break of a paste and becomes a
space, the same as a bracketed paste, so the lines are neither glued nor filed half-way; with
nothing after it (a line sent at once, by a script or a scanner) it submits.
"""

from __future__ import annotations

from textual import events
from textual.widgets import Input


def joined_paste(text: str) -> str:
    """``"satu\\r\\ndua\\n\\ntiga"`` -> ``"satu dua tiga"``: every line, none empty."""
    return " ".join(line.strip() for line in text.splitlines() if line.strip())


#: Seconds between a typed key and an Enter below which the Enter may be part of a paste.
PASTE_GAP_S = 0.005
#: Seconds such an Enter waits for the rest of the paste: keys of one paste are already
#: queued; none following means the Enter ended the line and submits.
SETTLE_S = 0.05


class TextInput(Input):
    """``Input`` whose paste keeps every line (joined with a space), bracketed or not."""

    _last_typed: float = float("-inf")
    _enter_pending: bool = False

    async def _on_key(self, event: events.Key) -> None:
        if self._enter_pending:
            self._enter_pending = False
            if event.is_printable:  # more of the paste: that Enter was a line break
                if self.value and not self.value[: self.cursor_position].endswith(" "):
                    self.insert_text_at_cursor(" ")
            else:
                await self._submit_enter()
        if event.key == "enter" and event.time - self._last_typed < PASTE_GAP_S:
            # A typed line sent at once ends in Enter too (a scanner, a script): only keys
            # following within the settle time make it a paste's line break.
            self._last_typed = event.time
            self._enter_pending = True
            self.set_timer(SETTLE_S, self._enter_settled)
            event.stop()
            event.prevent_default()
            return
        if event.key == "enter" and self._binds_enter_to_submit():
            # Submit here, in key order: through the binding (after the key has bubbled to
            # the app) the keys typed after Enter may already be in the field.
            event.stop()
            event.prevent_default()
            await self.action_submit()
            return
        if event.is_printable:
            self._last_typed = event.time  # Input's own handler (next in the MRO) types it

    async def _enter_settled(self) -> None:
        """No key followed the quick Enter: it was the Enter that ends a line."""
        if self._enter_pending:
            self._enter_pending = False
            await self._submit_enter()

    async def _submit_enter(self) -> None:
        if self._binds_enter_to_submit():
            await self.action_submit()

    def _binds_enter_to_submit(self) -> bool:
        bindings = self._bindings.key_to_bindings.get("enter", [])
        return any(binding.action == "submit" for binding in bindings)

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
