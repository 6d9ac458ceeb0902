"""Keeping what is being typed: the minutes line and every open form, as durable drafts.

A ``DraftKeeper`` belongs to a writable forum screen. Twice a second it asks each place
where text is typed (the minutes editor, any form dialog open over the forum) for its
values, and when they differ from what the sidecar holds it rewrites the sidecar
(``store.drafts``: atomic, fsynced). So at most half a second of typing is lost to a kill
-9 or a power cut, and the disk is written only while someone types, not per key.

A place takes part by having ``draft_place`` (a name, or None to stay out),
``draft_title`` (how the offer names it), ``draft_values()`` (None when there is nothing
worth keeping) and ``restore_draft(values)``. ``FormDraft`` gives a form dialog all four
from its fields' ids, and makes Esc ask before throwing typed text away.
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, Protocol

from textual.app import App
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Input

from store.drafts import Drafts, load_drafts, save_drafts
from store.formatting import format_clock, format_rupiah
from store.forum import Forum
from store.personal import mask_niks_in_text
from store.storage_errors import os_reason
from store.typed_numbers import read_typed_rupiah
from store.validation_error import ValidationError

#: How often the keeper looks for new typing (seconds): the most typing a crash can lose.
SAVE_INTERVAL_S = 0.5

Value = str | bool | None


class Draftable(Protocol):
    draft_place: str | None
    draft_title: str

    def draft_values(self) -> dict[str, Value] | None: ...

    def restore_draft(self, values: dict[str, Value]) -> None: ...


def field_values(screen: Screen) -> dict[str, Value]:
    """Every named field of ``screen`` as typed; hidden (password) fields are left out, so a
    NIK never reaches the disk in a draft."""
    from textual.widgets import Checkbox, Select, TextArea  # not needed before a form

    values: dict[str, Value] = {}
    for widget in screen.query("Input, TextArea, Select, Checkbox"):
        if not widget.id:
            continue
        if isinstance(widget, Input) and not widget.password:
            values[widget.id] = widget.value
        elif isinstance(widget, TextArea):
            values[widget.id] = widget.text
        elif isinstance(widget, Select):
            values[widget.id] = widget.value if isinstance(widget.value, str) else None
        elif isinstance(widget, Checkbox):
            values[widget.id] = widget.value
    return values


def set_field_values(screen: Screen, values: dict[str, Value]) -> None:
    """Put ``values`` back into the fields of the same ids (unknown ids are skipped)."""
    from textual.widgets import Checkbox, Select, TextArea  # not needed before a form

    for widget in screen.query("Input, TextArea, Select, Checkbox"):
        if not widget.id or widget.id not in values:
            continue
        value = values[widget.id]
        if isinstance(widget, Input) and isinstance(value, str) and not widget.password:
            widget.value = value
        elif isinstance(widget, TextArea) and isinstance(value, str):
            widget.text = value
        elif isinstance(widget, Select):
            options = {v for _, v in widget._options}
            if value in options:
                widget.value = value
        elif isinstance(widget, Checkbox) and isinstance(value, bool):
            widget.value = value


class FormDraft:
    """Mixin for a form screen (before ``ModalScreen`` in the bases).

    Call ``start_draft(place, title)`` once the fields hold their starting values (in
    ``on_mount``); from then on the keeper keeps what differs from them. Esc on a changed
    form asks before discarding.
    """

    draft_place: str | None = None
    draft_key: str | None = None  # the sidecar key, set by the keeper (see ``_key_of``)
    draft_title: str = ""
    _draft_start: dict[str, Value] | None = None

    def start_draft(self, place: str, title: str) -> None:
        self.draft_place = place
        self.draft_title = title
        self._draft_start = self.draft_fields()

    def draft_fields(self) -> dict[str, Value]:
        assert isinstance(self, Screen)
        return field_values(self)

    def draft_values(self) -> dict[str, Value] | None:
        if self._draft_start is None:
            return None
        values = self.draft_fields()
        return values if values != self._draft_start else None

    def restore_draft(self, values: dict[str, Value]) -> None:
        assert isinstance(self, Screen)
        set_field_values(self, values)

    def dismiss(self, result: Any = None) -> Any:
        """Closing the form ends its draft at once (saved or thrown away on purpose)."""
        self.draft_place = None
        keeper = keeper_of(self.app)  # type: ignore[attr-defined]
        if keeper is not None:
            keeper.save()
        return super().dismiss(result)  # type: ignore[misc]

    def action_batal(self) -> None:
        if self.draft_values() is None:
            self.dismiss(None)
            return
        from tui.widgets.dialogs import DiscardDialog

        def answered(discard: bool | None) -> None:
            if discard:
                self.dismiss(None)

        self.app.push_screen(  # type: ignore[attr-defined]
            DiscardDialog(
                "Buang isian?",
                [
                    f"{self.draft_title}: ada isian yang belum disimpan.",
                    "Untuk menyimpannya: kembali ke formulir, lalu tekan ctrl+s.",
                ],
            ),
            answered,
        )


def keeper_of(app: App) -> DraftKeeper | None:
    """The draft keeper of the forum on screen (None on the home screen, or read-only)."""
    for screen in reversed(app.screen_stack):
        keeper = getattr(screen, "draft_keeper", None)
        if keeper is not None:
            return keeper
    return None


class DraftKeeper:
    """Keeps the drafts of one forum screen in the forum's sidecar.

    ``pending`` holds the drafts found when the forum was opened that have not yet been
    offered back; they stay in the sidecar until the user takes or discards them.
    """

    def __init__(self, screen: Screen, forum: Forum, places: Callable[[], Iterator[Any]]) -> None:
        self.screen = screen
        self.forum_path: Path = forum.path
        self.clock = forum.clock
        self._places = places
        self.kept: Drafts = load_drafts(self.forum_path)
        self.pending: Drafts = dict(self.kept)
        self._failed = False
        self._timer: Timer = screen.set_interval(SAVE_INTERVAL_S, self.save)

    def stop(self) -> None:
        self._timer.stop()

    def take(self, place: str) -> dict[str, Value] | None:
        """Hand a pending draft's values to whoever offers it back (it stays kept until the
        place it is restored into has other values, or nothing)."""
        draft = self.pending.pop(place, None)
        return draft["nilai"] if draft else None

    def discard(self, place: str) -> None:
        """The user chose not to take a draft back: forget it."""
        self.pending.pop(place, None)
        self.save()

    def current(self) -> Drafts:
        """What the sidecar should hold now: unanswered or put-off offers as they were found
        (a form of the same place typed meanwhile wins only while it is open), then every
        live place."""
        drafts: Drafts = dict(self.pending)
        for source in self._places():
            place = getattr(source, "draft_place", None)
            values = source.draft_values() if place else None
            if not place or values is None:
                continue
            key = self._key_of(source, place, drafts)
            previous = self.kept.get(key)
            if previous is not None and previous["nilai"] == values:
                drafts[key] = previous
            else:
                drafts[key] = {
                    "judul": source.draft_title,
                    "nilai": values,
                    "waktu": self.clock().isoformat(timespec="seconds"),
                }
        return drafts

    @staticmethod
    def _key_of(source: Any, place: str, taken: Drafts) -> str:
        """The sidecar key of a live place: its place, or ``place#2``, ``place#3``… when a
        parked draft (or another open form) already holds that place, so a second form
        never overwrites a draft put off for later. A source keeps its key while open."""
        key = getattr(source, "draft_key", None)
        if key and key.partition("#")[0] == place:
            return key
        key, number = place, 1
        while key in taken:
            number += 1
            key = f"{place}#{number}"
        source.draft_key = key
        return key

    def save(self) -> None:
        """Write the sidecar if anything changed since the last write (never raises)."""
        try:
            drafts = self.current()
        except Exception:  # a place half-mounted or half-removed: next round
            return
        if drafts == self.kept:
            return
        try:
            save_drafts(self.forum_path, drafts)
        except OSError as error:
            if not self._failed:
                self.screen.notify(
                    f"Ketikan belum dapat disimpan sebagai draf: {os_reason(error)}.",
                    severity="error",
                    timeout=10,
                )
            self._failed = True
            return
        self._failed = False
        self.kept = drafts


def offer_line(draft: dict[str, Any]) -> str:
    """``Tambah usulan, diketik pukul 10.42: Rehab jalan dusun …`` for the offer dialog;
    a NIK-shaped number typed into any field is shown masked (UU PDP)."""
    when = ""
    if draft.get("waktu"):
        from datetime import datetime

        try:
            when = f", diketik pukul {format_clock(datetime.fromisoformat(draft['waktu']))}"
        except ValueError:
            when = ""
    texts = [shown_value(v) for v in draft["nilai"].values() if isinstance(v, str)]
    sample = mask_niks_in_text(" · ".join(t for t in texts if t))[:160]  # NIK in any field
    title = f"{draft.get('judul') or 'Formulir'}{when}"
    return f"{title}: {sample}" if sample else title


def shown_value(text: str) -> str:
    """A draft field as words for a person: a structured field (``encode``) read back,
    funding rows as ``DD Rp150.000.000``, a speaker by name; never a JSON text."""
    text = text.strip()
    if not text.startswith(("[", "{")):
        return text
    value = decode(text, text)
    if isinstance(value, dict):
        return str(value.get("nama") or "")
    if isinstance(value, list):
        return ", ".join(filter(None, (_funding_words(row) for row in value)))
    return text


def _funding_words(row: Any) -> str:
    """``["DD", "150 juta"]`` -> ``DD Rp150.000.000`` (the amount as typed when unreadable)."""
    if not isinstance(row, list | tuple):
        return ""
    name, amount = (*[str(part or "").strip() for part in row[:2]], "", "")[:2]
    with contextlib.suppress(ValidationError):  # unreadable: shown as typed
        amount = format_rupiah(read_typed_rupiah(amount)) if amount else ""
    return " ".join(filter(None, (name, amount)))


def encode(value: Any) -> str:
    """A structured value (a speaker, funding rows) as one draft text field."""
    return json.dumps(value, ensure_ascii=False)


def decode(text: Value, default: Any = None) -> Any:
    if not isinstance(text, str):
        return default
    try:
        return json.loads(text)
    except ValueError:
        return default
