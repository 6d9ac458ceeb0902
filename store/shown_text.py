"""Text from outside (file names, paths, cell values) as it may be printed on a terminal.

A path is untrusted: ``esc\\x1b]0;PWNED\\x07`` would retitle the terminal and ``a\\nForum
dibuat: /palsu`` would print a forged line of its own. Every CLI line that quotes a path or
user text goes through ``shown``: each control, format (bidi override, zero-width) or
surrogate character is written visibly as its escape (``\\x1b``, ``\\n``, ``\\u202e``), so
the reader sees that the name holds something odd instead of having it acted upon.
"""

from __future__ import annotations

import unicodedata

_UNSAFE_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Co", "Zl", "Zp"})
_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def is_unsafe(char: str) -> bool:
    """True for a character a terminal acts on instead of showing it."""
    return unicodedata.category(char) in _UNSAFE_CATEGORIES


def _escape(char: str) -> str:
    if char in _NAMED:
        return _NAMED[char]
    code = ord(char)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def shown(text: object) -> str:
    """``text`` (a str or a path) on one line, every unsafe character as its escape."""
    return "".join(_escape(c) if is_unsafe(c) else c for c in str(text))


def has_unsafe(text: object) -> bool:
    """True when ``text`` holds a character ``shown`` would escape (a name to refuse)."""
    return any(is_unsafe(c) for c in str(text))
