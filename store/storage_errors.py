"""Errors of the forum storage that the command line and the UI show to people."""

from __future__ import annotations

from pathlib import Path


class ForumFileError(Exception):
    """A file that cannot be opened as a forum; it has been left untouched.

    ``message`` is one Indonesian sentence naming the file, what is wrong, and the newest good
    backup (``backup``) when there is one.
    """

    def __init__(self, message: str, path: Path, backup: Path | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.path = path
        self.backup = backup


class ForumReadOnlyError(RuntimeError):
    """A write was attempted on a forum opened read-only (a programming error)."""
