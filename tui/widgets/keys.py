"""Taking keys back from Textual's widgets for the app's own actions.

An ``Input`` binds ctrl+e, ctrl+d and ctrl+left/right to editing shortcuts few people use.
Where the app needs such a key while an input has focus, the input subclass drops Textual's
binding for it (``inherit_bindings=False`` plus ``without_keys``) instead of the app
overriding it with a priority binding: the footer then lists the app's keys in the app's
order, and the widget's remaining keys keep working.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable

from textual.binding import Binding, BindingType


def without_keys(bindings: Iterable[BindingType], keys: set[str]) -> list[Binding]:
    """``bindings`` with ``keys`` removed (a binding left with no key is dropped)."""
    kept: list[Binding] = []
    for item in bindings:
        binding = item if isinstance(item, Binding) else Binding(*item)
        remaining = [k.strip() for k in binding.key.split(",") if k.strip() not in keys]
        if remaining:
            kept.append(dataclasses.replace(binding, key=",".join(remaining)))
    return kept
