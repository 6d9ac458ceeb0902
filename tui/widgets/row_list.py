"""A fast scrolling list of pre-formatted rows with a cursor (the Line API).

The check-in list is redrawn on every keypress and the minutes list grows all day; a
DataTable re-renders every visible cell through Rich on each change, which costs tens of
milliseconds. Here each row is ``Content`` the owner formats once (columns padded with
``fit``), one line or several (wrapped minutes). Only visible lines are turned into strips,
and appending a row touches nothing else.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from rich.cells import set_cell_size
from textual import events
from textual.binding import Binding, BindingType
from textual.content import Content
from textual.geometry import Region, Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip


def fit(text: str, width: int) -> str:
    """``text`` cut or padded to exactly ``width`` cells (wide characters counted)."""
    if width <= 0:
        return ""
    if text.isascii():  # the usual case, and much faster than measuring cells
        return text.ljust(width) if len(text) <= width else text[: width - 1] + "…"
    if len(text) > width:
        text = text[: width - 1] + "…"
    return set_cell_size(text, width)


#: A row: one line of Content, or the lines of a row that spans several.
Row = Content | Sequence[Content]


def _lines(row: Row) -> list[Content]:
    return [row] if isinstance(row, Content) else list(row)


class RowList(ScrollView, can_focus=True):
    """Rows of ``Content`` (each one or more lines); ``cursor`` is the highlighted row.

    With ``past_end`` the cursor may also sit after the last row (nothing highlighted, the
    list scrolled to its end): a log where the newest line is being typed below, and the
    first Up picks the newest entry.
    """

    COMPONENT_CLASSES: ClassVar[set[str]] = {"row-list--cursor", "row-list--even"}
    DEFAULT_CSS = """
    RowList {
        height: 1fr;
        overflow-x: hidden;
        background: $surface;
        & > .row-list--cursor { background: $block-cursor-blurred-background; }
        &:focus > .row-list--cursor {
            background: $block-cursor-background;
            color: $block-cursor-foreground;
            text-style: $block-cursor-text-style;
        }
        & > .row-list--even { background: $surface-lighten-1; }
    }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("up", "move(-1)", show=False),
        Binding("down", "move(1)", show=False),
        Binding("pageup", "move(-10)", show=False),
        Binding("pagedown", "move(10)", show=False),
        Binding("enter", "select", show=False),
    ]

    class Resized(Message):
        """The list's width changed: the owner lays its columns out again."""

        def __init__(self, row_list: RowList, width: int) -> None:
            super().__init__()
            self.row_list = row_list
            self.width = width

        @property
        def control(self) -> RowList:
            return self.row_list

    class Selected(Message):
        """Enter on a row, or a click on the highlighted row."""

        def __init__(self, row_list: RowList, index: int) -> None:
            super().__init__()
            self.row_list = row_list
            self.index = index

        @property
        def control(self) -> RowList:
            return self.row_list

    def __init__(self, *, past_end: bool = False, **kwargs) -> None:
        super().__init__(**kwargs)
        self.past_end = past_end
        self._rows: list[list[Content]] = []
        self._lines: list[tuple[int, int]] = []  # (row, line within row) per display line
        self._first_line: list[int] = []  # display line where each row starts
        self.cursor = -1

    # -- content -------------------------------------------------------------------------
    @property
    def row_count(self) -> int:
        return len(self._rows)

    def set_rows(self, rows: Sequence[Row], cursor: int = 0) -> None:
        """Replace every row; the cursor goes to ``cursor`` (clamped)."""
        self._rows = [_lines(row) for row in rows]
        self._index_lines()
        self.cursor = self._clamp(cursor) if self._rows else -1
        self.scroll_to_cursor()
        self.call_after_refresh(self.scroll_to_cursor)  # once the new size is laid out
        self.refresh()

    def _clamp(self, index: int) -> int:
        return max(0, min(index, len(self._rows) - (0 if self.past_end else 1)))

    def append_row(self, row: Row) -> None:
        """Add one row at the end (the common case: a new minutes entry)."""
        self._first_line.append(len(self._lines))
        self._rows.append(_lines(row))
        self._lines.extend((len(self._rows) - 1, n) for n in range(len(self._rows[-1])))
        self._update_size()
        self.refresh()

    def _index_lines(self) -> None:
        self._lines, self._first_line = [], []
        for index, lines in enumerate(self._rows):
            self._first_line.append(len(self._lines))
            self._lines.extend((index, n) for n in range(len(lines)))
        self._update_size()

    def _update_size(self) -> None:
        self.virtual_size = Size(0, len(self._lines))  # rows are cut to the width: no h-scroll

    # -- cursor --------------------------------------------------------------------------
    def move_cursor(self, index: int) -> None:
        if not self._rows:
            return
        self.cursor = self._clamp(index)
        self.scroll_to_cursor()
        self.refresh()

    def scroll_to_cursor(self) -> None:
        if self.cursor < 0:
            return
        if self.cursor >= len(self._rows):
            self.scroll_end(animate=False, immediate=True)
            return
        top = self._first_line[self.cursor]
        height = len(self._rows[self.cursor])
        self.scroll_to_region(Region(0, top, 1, height), animate=False, immediate=True)

    def action_move(self, rows: int) -> None:
        self.move_cursor(self.cursor + rows)

    def action_select(self) -> None:
        if self.cursor >= 0:
            self.post_message(self.Selected(self, self.cursor))

    def on_click(self, event: events.Click) -> None:
        line = event.y + self.scroll_offset.y
        if 0 <= line < len(self._lines):
            index = self._lines[line][0]
            if index == self.cursor:
                self.post_message(self.Selected(self, index))
            self.move_cursor(index)

    # -- drawing -------------------------------------------------------------------------
    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        line = y + self.scroll_offset.y
        if not 0 <= line < len(self._lines):
            return Strip.blank(width, self.visual_style.rich_style)
        index, part = self._lines[line]
        if index == self.cursor:
            style = self.get_visual_style("row-list--cursor")
        elif index % 2:
            style = self.get_visual_style("row-list--even")
        else:
            style = self.visual_style
        segments = self._rows[index][part].render_segments(style)
        return Strip(segments).extend_cell_length(width, style.rich_style).crop(0, width)

    def on_resize(self, event: events.Resize) -> None:
        self._update_size()
        self.post_message(self.Resized(self, event.size.width))
