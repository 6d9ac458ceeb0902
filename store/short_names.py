"""Long proposal names cut to a column so that two different names never look the same.

Proposals of one forum often share their start ("Pembangunan jalan paving Dusun ..."), so
cutting the end away (``Pembangunan jalan pa…``) makes rank 1 and rank 2 look alike at 80
columns. ``middle_cut`` keeps the start and the end, where the place usually is;
``distinct_cuts`` goes further for a whole list: names that still look alike show the part
where they differ, and as a last resort their position (``~7``), so different names always
get different labels. Equal names keep equal labels (the row number tells them apart).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

ELLIPSIS = "…"
#: Below this width there is no room for a start, an ellipsis and an end.
MIN_WIDTH = 4


def middle_cut(name: str, width: int) -> str:
    """``name`` in at most ``width`` characters: whole when it fits, else its first ~3/5,
    "…", and its end (``Pembangunan jala…Dusun Krajan``)."""
    if len(name) <= width:
        return name
    if width < MIN_WIDTH:
        return name[: max(0, width - 1)] + ELLIPSIS if width > 0 else ""
    room = width - 1
    head = (room * 3 + 4) // 5
    tail = room - head
    return name[:head] + ELLIPSIS + (name[-tail:] if tail else "")


def _difference_cut(name: str, differs_at: int, width: int) -> str:
    """A short start, the text around ``differs_at`` (where the look-alikes part), and the
    end when there is room: ``Pemb…ng beton …RT 01``."""
    head = max(1, width // 5)
    start = max(head, differs_at - width // 6)
    if len(name) - start <= width - head - 1:  # the rest fits after the start
        return name[:head] + ELLIPSIS + name[start:]
    tail = max(1, width // 4)
    room = width - head - tail - 2
    if room < 1:
        return name[:head] + ELLIPSIS + name[start : start + width - head - 2] + ELLIPSIS
    return name[:head] + ELLIPSIS + name[start : start + room] + ELLIPSIS + name[-tail:]


def _common_prefix(names: Sequence[str]) -> int:
    first, last = min(names), max(names)
    length = 0
    while length < min(len(first), len(last)) and first[length] == last[length]:
        length += 1
    return length


def _look_alikes(names: Sequence[str], labels: Sequence[str]) -> list[list[int]]:
    """Groups of positions whose labels are equal although their names differ."""
    by_label: dict[str, list[int]] = defaultdict(list)
    for index, label in enumerate(labels):
        by_label[label].append(index)
    return [group for group in by_label.values() if len({names[i] for i in group}) > 1]


def distinct_cuts(names: Sequence[str], width: int) -> list[str]:
    """One label per name, each at most ``width`` long, different names never equal.

    Shape: ``distinct_cuts(["Pembangunan jalan paving Dusun Krajan", ...], 20)`` ->
    ``["Pembangunan…n Krajan", ...]``. ``width`` below ``MIN_WIDTH`` + 2 cannot promise
    distinct labels for long look-alikes and is treated as ``MIN_WIDTH`` + 2.
    """
    width = max(width, MIN_WIDTH + 2)
    labels = [middle_cut(name, width) for name in names]
    for group in _look_alikes(names, labels):
        differs_at = _common_prefix([names[i] for i in group])
        for i in group:
            labels[i] = _difference_cut(names[i], differs_at, width)
    # Last resort: the position, after a "~" no cut ever ends with a digit run after.
    while groups := _look_alikes(names, labels):
        for group in groups:
            for i in group:
                tag = f"~{i + 1}"
                if not labels[i].endswith(tag):
                    labels[i] = middle_cut(names[i], width - len(tag)) + tag
    return labels
