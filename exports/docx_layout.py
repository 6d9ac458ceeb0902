"""Layout values a verifiable .docx may hold: those our generator writes, within the
rounding of a LibreOffice or Word re-save, and nothing else.

Text can be moved out of sight without hiding it: a page 3 cm tall, a top margin larger
than the page, three columns, a first-line indent wider than its table cell, a hanging
indent that pulls a digit into the margin, cell margins that squeeze a column to nothing, a
table shifted off the page, a grid column one twip wide, the DRAF watermark moved off the
page or made transparent. Judging each trick is a losing game, so these checks compare the
values with the ranges our documents use (``exports/documents``, ``exports/docx_kit.py``)
and refuse anything else as "tata letak diubah: <element>".

Measured on every document kind, draft and final, and on their ``soffice --convert-to docx``
re-saves: LibreOffice keeps twips exactly (``left`` becomes ``start``, ``hanging="0"`` and
``header="0"`` are added, cell margins gain ``top``/``bottom`` 0 and the default 108), and
rewrites the watermark's margins to its computed position. ``TOLERANCE_TWIPS`` covers Word's
rounding through centimetres.
"""

from __future__ import annotations

import re

from lxml import etree

from exports.docx_visibility import OFFICE, V, W, attr, int_attr

TOLERANCE_TWIPS = 20


# Page sizes (w, h) and margins (top, right, bottom, left) in twips: A4 or F4
# (docx_kit.PAPER_MM), portrait or landscape; portrait letters, landscape tables
# (documents.page). Written out because verify must not load python-docx;
# tests/test_verify_allowlist.py checks they follow the generator.
PAGE_SIZES = ((11906, 16838), (16838, 11906), (12189, 18709), (18709, 12189))
PAGE_MARGINS = ((850, 1134, 1134, 1417), (850, 850, 850, 1134))
HEADER_FOOTER_DISTANCES = (0, 567)  # LibreOffice writes header="0"
# Indents in twips, the largest our documents and their styles/numbering use.
MAX_INDENT = {"left": 3600, "start": 3600, "right": 936, "end": 936, "firstLine": 567}
MAX_HANGING = 1984
MAX_CELL_MARGIN = 170  # tblCellMar/tcMar sides (ours 0, 68, 170; LibreOffice 108)
MIN_COLUMN = 200  # the narrowest grid column or cell we write is 227 twips
MAX_TABLE_INDENT = 0
# An indent inside a cell must leave at least this share of the cell's width for text.
MIN_CELL_TEXT_SHARE = 0.5


def _near(value: int | None, allowed: tuple[int, ...]) -> bool:
    return value is not None and any(abs(value - a) <= TOLERANCE_TWIPS for a in allowed)


def _changed(el: etree._Element) -> str:
    return f"tata letak diubah: <w:{etree.QName(el).localname}>"


def check_page_size(el: etree._Element) -> str | None:
    size = (int_attr(el, "w"), int_attr(el, "h"))
    ok = any(_near(size[0], (w,)) and _near(size[1], (h,)) for w, h in PAGE_SIZES)
    orient = attr(el, "orient")
    landscape = size[0] is not None and size[1] is not None and size[0] > size[1]
    if (
        not ok
        or orient not in (None, "portrait", "landscape")
        or (orient == "landscape") != (landscape)
    ):
        return f"{_changed(el)} (ukuran halaman {size[0]}x{size[1]})"
    unknown = set(el.attrib) - {f"{{{W}}}{a}" for a in ("w", "h", "orient", "code")}
    return _changed(el) if unknown else None


def check_page_margins(el: etree._Element) -> str | None:
    sides = tuple(int_attr(el, a) for a in ("top", "right", "bottom", "left"))
    ours_match = (all(_near(v, (m,)) for v, m in zip(sides, o, strict=True)) for o in PAGE_MARGINS)
    if not any(ours_match):
        return f"{_changed(el)} (margin halaman)"
    if not _near(int_attr(el, "header") or 0, HEADER_FOOTER_DISTANCES):
        return f"{_changed(el)} (jarak kepala halaman)"
    if not _near(int_attr(el, "footer") or 0, HEADER_FOOTER_DISTANCES[1:]):
        return f"{_changed(el)} (jarak kaki halaman)"
    if not _near(int_attr(el, "gutter") or 0, (0,)):
        return f"{_changed(el)} (gutter)"
    return None


def check_columns(el: etree._Element) -> str | None:
    if attr(el, "num") not in (None, "1") or len(el) or attr(el, "sep") not in (None, "0"):
        return f"{_changed(el)} (kolom halaman)"
    return None


def check_page_numbers(el: etree._Element) -> str | None:
    if attr(el, "start") is not None or attr(el, "fmt") not in (None, "decimal"):
        return f"{_changed(el)} (penomoran halaman)"
    return None


def check_document_grid(el: etree._Element) -> str | None:
    if attr(el, "type") not in (None, "default") or (int_attr(el, "charSpace") or 0) != 0:
        return f"{_changed(el)} (kisi dokumen)"
    return None


def check_indent(el: etree._Element) -> str | None:
    """Indents within our ranges; a hanging indent never pulls text left of the margin."""
    for name, largest in MAX_INDENT.items():
        value = int_attr(el, name) if attr(el, name) is not None else 0
        if value is None or not 0 <= value <= largest + TOLERANCE_TWIPS:
            return f"{_changed(el)} ({name}={attr(el, name)})"
    hanging = int_attr(el, "hanging") if attr(el, "hanging") is not None else 0
    start = max(int_attr(el, "left") or 0, int_attr(el, "start") or 0)
    if hanging is None or not 0 <= hanging <= min(start, MAX_HANGING) + TOLERANCE_TWIPS:
        return f"{_changed(el)} (hanging={attr(el, 'hanging')})"
    return check_indent_in_cell(el)


def check_indent_in_cell(el: etree._Element) -> str | None:
    """Inside a table cell, the indents leave at least half the cell for text."""
    cell = next(el.iterancestors(f"{{{W}}}tc"), None)
    width = cell.find(f"{{{W}}}tcPr/{{{W}}}tcW") if cell is not None else None
    if width is None or attr(width, "type") not in (None, "dxa"):
        return None
    used = (
        max(int_attr(el, "left") or 0, int_attr(el, "start") or 0)
        + max(int_attr(el, "right") or 0, int_attr(el, "end") or 0)
        + (int_attr(el, "firstLine") or 0)
    )
    if used > (int_attr(width, "w") or 0) * MIN_CELL_TEXT_SHARE:
        return f"{_changed(el)} (inden {used} di sel selebar {attr(width, 'w')})"
    return None


def check_cell_margins(el: etree._Element) -> str | None:
    for side in el:
        if not isinstance(side.tag, str):
            continue
        value = int_attr(side, "w")
        if (
            value is None
            or not 0 <= value <= MAX_CELL_MARGIN
            or attr(side, "type")
            not in (
                None,
                "dxa",
            )
        ):
            return f"{_changed(el)} (margin sel {attr(side, 'w')})"
    return None


def check_table_indent(el: etree._Element) -> str | None:
    value = int_attr(el, "w")
    if value is None or abs(value) > MAX_TABLE_INDENT + TOLERANCE_TWIPS:
        return f"{_changed(el)} (tabel digeser {attr(el, 'w')})"
    return None


def check_column_width(el: etree._Element) -> str | None:
    if attr(el, "type") not in (None, "dxa"):
        return f"{_changed(el)} (lebar jenis {attr(el, 'type')})"
    value = int_attr(el, "w")
    if value is None or value < MIN_COLUMN:
        return f"{_changed(el)} (kolom selebar {attr(el, 'w')})"
    return None


def check_row(el: etree._Element) -> str | None:
    """A row spans exactly its table's grid: a cell spanning more columns than the grid
    pushes the cells after it off the page."""
    table = el.getparent()
    grid = table.find(f"{{{W}}}tblGrid") if table is not None else None
    if grid is None:
        return None
    spans = 0
    for cell in el.iterchildren(f"{{{W}}}tc"):
        span = cell.find(f"{{{W}}}tcPr/{{{W}}}gridSpan")
        spans += (int_attr(span, "val") or 0) if span is not None else 1
    columns = len(grid.findall(f"{{{W}}}gridCol"))
    if spans != columns:
        return f"{_changed(el)} (baris {spans} kolom, tabel {columns} kolom)"
    return None


MAX_ROW_HEIGHT = 1440  # ours 510 (9 mm); a taller minimum pushes rows to later pages


def check_row_height(el: etree._Element) -> str | None:
    value = int_attr(el, "val")
    if value is None or not 0 <= value <= MAX_ROW_HEIGHT:
        return f"{_changed(el)} (tinggi baris {attr(el, 'val')})"
    return None


# ----------------------------------------------------------------------------- watermark

_SHAPE_ATTRS = {"id", "type", "style", "fillcolor", "stroked"} | {
    f"{{{OFFICE}}}{a}" for a in ("spid", "allowincell")
}
_SHAPE_FIXED = {
    "position": "absolute",
    "rotation": "315",
    "mso-position-horizontal": "center",
    "mso-position-horizontal-relative": "margin",
    "mso-position-vertical": "center",
    "mso-position-vertical-relative": "margin",
}
_SHAPE_FREE = {"z-index", "mso-wrap-style", "v-text-anchor"}
# Points: ours 420x140 and 520x170; LibreOffice writes the fitted height (172, 213) and the
# computed position (margins up to 111 pt left and 285 pt top).
_SHAPE_RANGES = {
    "width": (400.0, 540.0),
    "height": (130.0, 220.0),
    "margin-left": (0.0, 150.0),
    "margin-top": (0.0, 320.0),
}
WATERMARK_FILL = "#d9d9d9"
WATERMARK_OPACITY = 0.5
WATERMARK_TEXT = "DRAF"


def _points(value: str) -> float | None:
    match = re.fullmatch(r"(-?[0-9.]+)(pt)?", value.strip())
    return float(match.group(1)) if match else None


def check_watermark_shape(el: etree._Element) -> str | None:
    """The DRAF watermark exactly as we draw it: centred on the page, grey, half opaque."""
    if set(el.attrib) - _SHAPE_ATTRS:
        return "tanda air diubah"
    if (el.get("fillcolor") or "").lower() != WATERMARK_FILL or el.get("stroked") != "f":
        return "warna tanda air diubah"
    style: dict[str, str] = {}
    for item in (el.get("style") or "").split(";"):
        key, _, value = item.partition(":")
        if key.strip():
            style[key.strip().lower()] = value.strip().lower()
    for key, value in style.items():
        if key in _SHAPE_FIXED:
            if value != _SHAPE_FIXED[key]:
                return f"letak tanda air diubah ({key})"
        elif key in _SHAPE_RANGES:
            low, high = _SHAPE_RANGES[key]
            number = _points(value)
            if number is None or not low <= number <= high:
                return f"letak tanda air diubah ({key}:{value})"
        elif key not in _SHAPE_FREE:
            return f"letak tanda air diubah ({key})"
    if set(_SHAPE_FIXED) - set(style) or {"width", "height"} - set(style):
        return "letak tanda air diubah"
    return None


_FILL_ATTRS = {"opacity", "type", "color2", f"{{{OFFICE}}}detectmouseclick"}


def check_watermark_fill(el: etree._Element) -> str | None:
    if set(el.attrib) - _FILL_ATTRS or el.get("type") not in (None, "solid"):
        return "isian tanda air diubah"
    try:
        opacity = float(el.get("opacity", "1"))
    except ValueError:
        return "isian tanda air diubah"
    if abs(opacity - WATERMARK_OPACITY) > 0.01:
        return f"tanda air dibuat tembus pandang (opacity {el.get('opacity')})"
    return None


_TEXTPATH_ATTRS = {"on", "fitshape", "trim", "string", "style"}


def check_watermark_text(el: etree._Element) -> str | None:
    if set(el.attrib) - _TEXTPATH_ATTRS:
        return "teks tanda air diubah"
    if el.get("string") not in (None, WATERMARK_TEXT) or el.get("on") not in (None, "t", "true"):
        return f"teks tanda air diubah ({el.get('string')})"
    return None


LAYOUT_CHECKS = {
    f"{{{W}}}pgSz": check_page_size,
    f"{{{W}}}pgMar": check_page_margins,
    f"{{{W}}}cols": check_columns,
    f"{{{W}}}pgNumType": check_page_numbers,
    f"{{{W}}}docGrid": check_document_grid,
    f"{{{W}}}ind": check_indent,
    f"{{{W}}}tcMar": check_cell_margins,
    f"{{{W}}}tblCellMar": check_cell_margins,
    f"{{{W}}}tblInd": check_table_indent,
    f"{{{W}}}gridCol": check_column_width,
    f"{{{W}}}tr": check_row,
    f"{{{W}}}trHeight": check_row_height,
    f"{{{W}}}tcW": check_column_width,
    f"{{{V}}}shape": check_watermark_shape,
    f"{{{V}}}fill": check_watermark_fill,
    f"{{{V}}}textpath": check_watermark_text,
}
