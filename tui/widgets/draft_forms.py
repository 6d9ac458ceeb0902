"""Which form a kept draft belongs to, rebuilt empty so the draft can be put back in it.

A draft's place says the form (``usulan:baru``, ``usulan:12``, ``peserta:baru``); a place
this version does not know, or whose record is gone, yields None and the draft is dropped.
"""

from __future__ import annotations

from textual.screen import Screen

from store.forum import Forum
from store.validation_error import ValidationError


def form_for_draft(forum: Forum, place: str) -> Screen | None:
    """The form to reopen for ``place`` (a sidecar key: ``usulan:baru#2`` is a second
    ``usulan:baru``), or None."""
    kind, _, which = place.partition("#")[0].partition(":")
    if kind == "usulan":
        from tui.usulan.form import UsulanForm

        if which == "baru":
            return UsulanForm(forum)
        if which.isdigit():
            try:
                return UsulanForm(forum, forum.record("proposals", int(which)))
            except ValidationError:
                return None
    if kind == "peserta" and which == "baru":
        from tui.widgets.peserta_form import WalkInScreen

        return WalkInScreen(forum)
    return None
