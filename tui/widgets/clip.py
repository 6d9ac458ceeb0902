"""Cutting a text to a column: whole, or cut with "…" so a reader sees it goes on."""

from __future__ import annotations


def clip(text: str, width: int) -> str:
    """``text`` in at most ``width`` characters, its last one "…" when cut."""
    return text if len(text) <= width else text[: max(0, width - 1)] + "…"
