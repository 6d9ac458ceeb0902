"""Changing a final forum: every content change goes through an amendment with a reason.

The store refuses content writes on a final (or signed) forum outside
``forum.amendment(alasan)``; screens that edit content call :func:`apply_change`, which runs
the change at once on a draft and, on a final forum, first asks why (``ReasonDialog``) and
then runs it inside the amendment, so the reason, the change and the audit entry are one save.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from textual.app import App

from store.forum import Forum
from store.validation import ValidationError
from tui.widgets.dialogs import ReasonDialog

T = TypeVar("T")
ErrorHandler = Callable[[ValidationError], None]

AMENDMENT_PROMPT = (
    "Forum sudah {status}: perubahan isi dicatat sebagai amandemen dan dokumen yang sudah "
    "terbit perlu diekspor ulang. Tulis alasan perubahan{what}."
)


def _notify_error(app: App[Any]) -> ErrorHandler:
    return lambda error: app.notify(error.message, title="Tidak disimpan", severity="error")


def run_amendment(
    app: App[Any],
    forum: Forum,
    callback: Callable[[], T],
    *,
    on_done: Callable[[T], None] | None = None,
    on_error: ErrorHandler | None = None,
    what: str = "",
) -> None:
    """Ask the reason, then run ``callback`` inside ``forum.amendment(reason)``.

    ``what`` names the change in the prompt (" usulan #12"). Nothing happens when the user
    cancels; a refused change (ValidationError) goes to ``on_error`` (default: a
    notification) and leaves the forum as it was.
    """
    handle_error = on_error or _notify_error(app)

    def with_reason(reason: str | None) -> None:
        if not reason:
            return
        try:
            with forum.amendment(reason):
                result = callback()
        except ValidationError as error:
            handle_error(error)
            return
        if on_done is not None:
            on_done(result)

    prompt = AMENDMENT_PROMPT.format(status=forum.status, what=f" ({what})" if what else "")
    app.push_screen(ReasonDialog("Amandemen forum", prompt), with_reason)


def apply_change(
    app: App[Any],
    forum: Forum,
    callback: Callable[[], T],
    *,
    on_done: Callable[[T], None] | None = None,
    on_error: ErrorHandler | None = None,
    what: str = "",
) -> None:
    """Run a content change: at once on a draft forum, as an amendment on a final one."""
    if forum.status != "draf":
        run_amendment(app, forum, callback, on_done=on_done, on_error=on_error, what=what)
        return
    try:
        result = callback()
    except ValidationError as error:
        (on_error or _notify_error(app))(error)
        return
    if on_done is not None:
        on_done(result)
