"""Thin helpers over python-docx's XML for what its API lacks, kept in one place.

Official forms need things python-docx has no call for: F4 paper, fonts set for every script
(else Word falls back to Calibri or a CJK font for some characters), table header rows that
repeat on every page, rows that never split, signature blocks kept on one page, PAGE/NUMPAGES
fields, a DRAF mark on every page. Big tables are built row by row from a prototype ``w:tr``
(python-docx recomputes the whole grid when a cell is reached by index, which is quadratic).
"""

from __future__ import annotations

import copy
import functools
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Literal

from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_TAB_ALIGNMENT
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import qn
from docx.section import Section
from docx.shared import Mm, Pt, RGBColor
from docx.table import Table, _Row
from docx.text.paragraph import Paragraph

from exports.page_marks import DRAFT_NOTE

Align = Literal["left", "center", "right", "justify"]

PAPER_MM: dict[str, tuple[int, int]] = {"A4": (210, 297), "F4": (215, 330)}
FONTS = ("Arial", "Times New Roman")

_ALIGN = {
    "left": WD_ALIGN_PARAGRAPH.LEFT,
    "center": WD_ALIGN_PARAGRAPH.CENTER,
    "right": WD_ALIGN_PARAGRAPH.RIGHT,
    "justify": WD_ALIGN_PARAGRAPH.JUSTIFY,
}
_ALIGN_XML = {"left": "left", "center": "center", "right": "right", "justify": "both"}


def _schema_rank(names: str) -> dict[str, int]:
    """Position of each child tag in its parent's schema sequence: Word refuses a file whose
    property elements are out of order, so helpers that append one re-sort by this."""
    return {qn(f"w:{name}"): i for i, name in enumerate(names.split())}


def _in_schema_order(parent, rank: dict[str, int]) -> None:
    for child in sorted(parent, key=lambda el: rank.get(el.tag, len(rank))):
        parent.append(child)


# --------------------------------------------------------------------------- document set-up


def new_document(
    *,
    paper: str = "A4",
    landscape: bool = False,
    font: str = "Arial",
    size_pt: float = 11,
    margins_mm: tuple[float, float, float, float] = (20, 20, 20, 25),
) -> DocxDocument:
    """A blank document with the office's paper, font and margins (top, right, bottom, left).

    Paragraph spacing is zeroed: the forms set their own spacing, and the default template's
    10 pt after every paragraph makes a daftar hadir twice as long.
    """
    doc = Document()
    set_document_font(doc, font, size_pt)
    set_page(doc.sections[0], paper=paper, landscape=landscape, margins_mm=margins_mm)
    fmt = doc.styles["Normal"].paragraph_format
    fmt.space_before = Pt(0)
    fmt.space_after = Pt(0)
    fmt.line_spacing = 1.0
    return doc


def set_page(
    section: Section,
    *,
    paper: str = "A4",
    landscape: bool = False,
    margins_mm: tuple[float, float, float, float] = (20, 20, 20, 25),
) -> None:
    """Paper size and orientation of one section (A4 or F4 215 x 330 mm)."""
    if paper not in PAPER_MM:
        raise ValueError(f"Ukuran kertas tidak dikenal: {paper} (pilih A4 atau F4)")
    width, height = PAPER_MM[paper]
    if landscape:
        width, height = height, width
    section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(width), Mm(height)
    top, right, bottom, left = margins_mm
    section.top_margin, section.right_margin = Mm(top), Mm(right)
    section.bottom_margin, section.left_margin = Mm(bottom), Mm(left)
    section.header_distance = section.footer_distance = Mm(10)


def text_width_mm(section: Section) -> float:
    """Usable width between the margins, for sizing table columns."""
    return (section.page_width - section.left_margin - section.right_margin) / 36000


def set_document_font(doc: DocxDocument, name: str, size_pt: float) -> None:
    """One font for every script (ASCII, high ANSI, East Asian, complex) and Indonesian.

    Theme font attributes are removed: they override the explicit names in Word.
    """
    if name not in FONTS:
        raise ValueError(f"Huruf tidak didukung: {name} (pilih Arial atau Times New Roman)")
    styles = doc.styles.element
    rpr_default = styles.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
    _set_fonts(rpr_default, name)
    lang = rpr_default.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        rpr_default.append(lang)
    lang.set(qn("w:val"), "id-ID")
    for style_name in ("Normal", "Header", "Footer"):
        style = doc.styles[style_name]
        style.font.name = name
        style.font.size = Pt(size_pt if style_name == "Normal" else size_pt - 2)
        _set_fonts(style.element.get_or_add_rPr(), name)


def _set_fonts(rpr, name: str) -> None:
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attr in list(fonts.attrib):
        if attr.endswith("Theme") or attr.endswith("theme"):
            del fonts.attrib[attr]
    for script in ("ascii", "hAnsi", "eastAsia", "cs"):
        fonts.set(qn(f"w:{script}"), name)


def add_paragraph_style(doc: DocxDocument, name: str, size_pt: float | None = None):
    """A named paragraph style based on Normal (a name survives a Word/LibreOffice re-save)."""
    from docx.enum.style import WD_STYLE_TYPE

    style = doc.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
    style.base_style = doc.styles["Normal"]
    if size_pt:
        style.font.size = Pt(size_pt)
    return style


# --------------------------------------------------------------------------- paragraphs


def add_par(
    container,
    text: str = "",
    *,
    bold: bool = False,
    italic: bool = False,
    underline: bool = False,
    align: Align = "left",
    size_pt: float | None = None,
    space_before: float = 0,
    space_after: float = 0,
    style: str | None = None,
    keep_next: bool = False,
) -> Paragraph:
    """One paragraph of one run, formatted as the forms need (``\\n``: line break)."""
    par = container.add_paragraph(style=style)
    fmt = par.paragraph_format
    fmt.alignment = _ALIGN[align]
    fmt.space_before, fmt.space_after = Pt(space_before), Pt(space_after)
    if keep_next:
        fmt.keep_with_next = True
    if text:
        add_run(par, text, bold=bold, italic=italic, underline=underline, size_pt=size_pt)
    return par


def add_run(
    par: Paragraph,
    text: str,
    *,
    bold: bool = False,
    italic: bool = False,
    underline: bool = False,
    size_pt: float | None = None,
    color: tuple[int, int, int] | None = None,
):
    """A formatted run; ``\\t`` and ``\\n`` become ``w:tab`` and ``w:br``, and numbers never
    break at a line end (:func:`write_unbreakable`)."""
    run = par.add_run()
    write_unbreakable(run._r, text)
    run.bold, run.italic, run.underline = bold or None, italic or None, underline or None
    if size_pt:
        run.font.size = Pt(size_pt)
    if color:
        run.font.color.rgb = RGBColor(*color)
    return run


def add_labelled_line(
    container,
    label: str,
    value: str,
    *,
    label_mm: float = 40,
    indent_mm: float = 0,
    colon: bool = True,
    **kw,
) -> Paragraph:
    """``Label<tab>: value`` with the colon aligned by a tab stop and a hanging indent.

    ``colon=False`` continues a list under the previous label (no label, no colon).
    """
    par = add_par(container, **kw)
    fmt = par.paragraph_format
    fmt.tab_stops.add_tab_stop(Mm(indent_mm + label_mm))
    fmt.left_indent = Mm(indent_mm + label_mm + 3)
    fmt.first_line_indent = -Mm(label_mm + 3)
    add_run(par, f"{label}\t{':' if colon else ' '} {value}")
    return par


def keep_with_next(par: Paragraph, on: bool = True) -> None:
    par.paragraph_format.keep_with_next = on


def keep_lead_in_with_next(par: Paragraph, count: int = 2) -> None:
    """Keep ``par`` and the ``count`` paragraphs before it with what follows, a chain of
    keep-with-next LibreOffice honours as Word does: a closing line and its signature block
    then carry the last points of the text to their page, never stand there alone. The
    chain stops at a table or the start of the body."""
    keep_with_next(par)
    element = par._p.getprevious()
    for _ in range(count):
        if element is None or element.tag != qn("w:p"):
            return
        keep_with_next(Paragraph(element, par._parent))
        element = element.getprevious()


def bottom_border(par: Paragraph, *, double: bool = False, size_eighths: int = 12) -> None:
    """A rule under a paragraph: the kop surat's line (thick-thin when ``double``)."""
    ppr = par._p.get_or_add_pPr()
    borders = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    bottom.set(qn("w:val"), "thickThinSmallGap" if double else "single")
    bottom.set(qn("w:sz"), str(size_eighths))
    bottom.set(qn("w:space"), "1")
    bottom.set(qn("w:color"), "000000")
    borders.append(bottom)
    ppr.append(borders)
    _in_schema_order(ppr, _PPR_RANK)


_PPR_RANK = _schema_rank(
    "pStyle keepNext keepLines pageBreakBefore framePr widowControl numPr suppressLineNumbers "
    "pBdr shd tabs suppressAutoHyphens kinsoku wordWrap overflowPunct topLinePunct autoSpaceDE "
    "autoSpaceDN bidi adjustRightInd snapToGrid spacing ind contextualSpacing mirrorIndents "
    "suppressOverlap jc textDirection textAlignment textboxTightWrap outlineLvl divId cnfStyle "
    "rPr sectPr pPrChange"
)


# --------------------------------------------------------------------------- fields, header, footer


def add_field(par: Paragraph, instruction: str, placeholder: str = "1", **run_kw) -> None:
    """A complex field (PAGE, NUMPAGES...) that Word and LibreOffice update when laying out."""

    def fld_char(kind: str):
        run = add_run(par, "", **run_kw)
        el = OxmlElement("w:fldChar")
        el.set(qn("w:fldCharType"), kind)
        run._r.append(el)

    fld_char("begin")
    run = add_run(par, "", **run_kw)
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = f" {instruction} "
    run._r.append(instr)
    fld_char("separate")
    add_run(par, placeholder, **run_kw)
    fld_char("end")


def add_page_number_footer(section: Section, *, left_text: str = "", size_pt: float = 8) -> None:
    """Footer ``Halaman X dari Y`` (right), with an optional note on the left, every page."""
    footer = section.footer
    footer.is_linked_to_previous = False
    par = footer.paragraphs[0]
    par.text = ""
    stops = par.paragraph_format.tab_stops
    for inherited in par.style.paragraph_format.tab_stops:  # the template's 16.5 cm stops
        stops.add_tab_stop(inherited.position, WD_TAB_ALIGNMENT.CLEAR)
    stops.add_tab_stop(Mm(text_width_mm(section) - 0.5), WD_TAB_ALIGNMENT.RIGHT)
    if left_text:
        add_run(par, left_text, size_pt=size_pt)
    add_run(par, "\tHalaman ", size_pt=size_pt)
    add_field(par, "PAGE", size_pt=size_pt)
    add_run(par, " dari ", size_pt=size_pt)
    add_field(par, "NUMPAGES", size_pt=size_pt)


_WATERMARK_XML = (
    '<w:r xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
    ' xmlns:v="urn:schemas-microsoft-com:vml" xmlns:o="urn:schemas-microsoft-com:office:office">'
    "<w:pict>"
    '<v:shapetype id="_x0000_t136" coordsize="21600,21600" o:spt="136" adj="10800"'
    ' path="m@7,l@8,m@5,21600l@6,21600e">'
    '<v:path textpathok="t" o:connecttype="custom"/>'
    '<v:textpath on="t" fitshape="t"/>'
    "</v:shapetype>"
    '<v:shape id="PowerPlusWaterMarkObject1" o:spid="_x0000_s1025" type="#_x0000_t136"'
    ' style="position:absolute;margin-left:0;margin-top:0;width:{w}pt;height:{h}pt;'
    "rotation:315;z-index:-251654144;mso-position-horizontal:center;"
    "mso-position-horizontal-relative:margin;mso-position-vertical:center;"
    'mso-position-vertical-relative:margin" o:allowincell="f" fillcolor="#d9d9d9"'
    ' stroked="f">'
    '<v:fill opacity=".5"/>'
    '<v:textpath style="font-family:&quot;Arial&quot;;font-size:1pt" string="{text}"/>'
    "</v:shape>"
    "</w:pict>"
    "</w:r>"
)


def add_draft_mark(section: Section, text: str = "DRAF", *, watermark: bool = True) -> None:
    """Mark every page of the section as a draft: a header line and a diagonal watermark.

    The header line is what must never be missed (it prints on any printer and survives any
    re-save); the watermark is for the eye.
    """
    header = section.header
    header.is_linked_to_previous = False
    par = header.paragraphs[0]
    par.text = ""
    par.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    add_run(par, DRAFT_NOTE.replace("DRAF", text, 1), bold=True, size_pt=9, color=(192, 0, 0))
    if watermark:
        landscape = section.page_width > section.page_height
        w, h = (520, 170) if landscape else (420, 140)
        par._p.append(parse_xml(_WATERMARK_XML.format(w=w, h=h, text=text)))


# --------------------------------------------------------------------------- tables


@dataclass(frozen=True)
class Column:
    """One column of a generated table: header text, width and cell alignment."""

    header: str
    width_mm: float
    align: Align = "left"


def add_table(
    container,
    columns: Sequence[Column],
    rows: Iterable[Sequence[str]] = (),
    *,
    size_pt: float | None = None,
    header_size_pt: float | None = None,
    borders: bool = True,
    repeat_header: bool = True,
    cant_split: bool = True,
    header_rows: Sequence[Sequence[str]] | None = None,
) -> Table:
    """A fixed-layout table with a bold header row (repeated on every page) and data rows.

    ``header_rows`` replaces the single header built from the columns (e.g. a numbering row
    under the titles). Data rows go through :func:`append_rows` (fast).
    """
    table = container.add_table(rows=0, cols=len(columns))
    if borders:
        table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    _fixed_layout(table, [c.width_mm for c in columns])
    heads = header_rows if header_rows is not None else [[c.header for c in columns]]
    for head in heads:
        tr = _make_row(
            [Column(c.header, c.width_mm, "center") for c in columns],
            size_pt=header_size_pt or size_pt,
            bold=True,
            cant_split=True,
        )
        if repeat_header:
            _tr_flag(tr, "w:tblHeader")
        _fill_row(tr, head)
        table._tbl.append(tr)
    append_rows(table, columns, rows, size_pt=size_pt, cant_split=cant_split)
    return table


def append_rows(
    table: Table,
    columns: Sequence[Column],
    rows: Iterable[Sequence[str]],
    *,
    size_pt: float | None = None,
    bold: bool = False,
    cant_split: bool = True,
    shade: str | None = None,
    alt_columns: Sequence[Column] | None = None,
    height_mm: float | None = None,
    keep_next: bool = False,
) -> list:
    """Append data rows, each built once from a prototype row (no per-cell python-docx calls).

    ``alt_columns`` formats every second row (the daftar hadir's zig-zag signature column).
    ``keep_next`` keeps the rows on the page of the row that follows (group headings).
    Returns the new ``w:tr`` elements so a caller can merge cells of a subtotal row.
    """
    protos = [
        _prototype(tuple(cols), size_pt, bold, cant_split, shade, height_mm, keep_next)
        for cols in (columns, alt_columns or columns)
    ]
    added = []
    tbl = table._tbl
    for i, values in enumerate(rows):
        tr = copy.deepcopy(protos[i % 2])
        _fill_row(tr, values)
        tbl.append(tr)
        added.append(tr)
    return added


@functools.lru_cache(maxsize=64)
def _prototype(
    columns: tuple[Column, ...],
    size_pt: float | None,
    bold: bool,
    cant_split: bool,
    shade: str | None,
    height_mm: float | None,
    keep_next: bool,
):
    """A row to deep-copy, built once per format (headings and subtotals recur per group).

    Callers only ever deep-copy it, so sharing it between documents is safe.
    """
    proto = _make_row(columns, size_pt=size_pt, bold=bold, cant_split=cant_split, shade=shade)
    if height_mm:
        _row_height(proto, height_mm)
    if keep_next:
        keep_row_with_next(proto)
    return proto


def keep_row_with_next(tr) -> None:
    """Keep a row on the page of what follows: a group heading with its first row, a table's
    last row with the signature block (so the block never stands alone on a page)."""
    for ppr in tr.iter(qn("w:pPr")):
        if ppr.find(qn("w:keepNext")) is None:
            ppr.insert(0, OxmlElement("w:keepNext"))


#: How many last rows of a long table go with the signature block to its page.
TAIL_ROWS = 3


def keep_tail_with_next(rows: Sequence, count: int = TAIL_ROWS) -> None:
    """Keep the last ``count`` rows of a table with what follows (the closing line and the
    signature block): a block never stands alone on the last page. Word and LibreOffice
    both honour keep-with-next on the paragraphs of rows that never split."""
    for tr in list(rows)[-count:]:
        keep_row_with_next(tr)


def fold_into_table(table: Table, *blocks) -> None:
    """Move ``blocks`` (paragraphs, tables: the closing line and the signature block) into a
    last row of ``table`` spanning every column, without side or bottom borders, that never
    splits. With :func:`keep_tail_with_next` on the rows above, LibreOffice as well as Word
    then carries the last rows over with the block: it honours keep-with-next between the
    rows of one table, not from a long table to what follows it."""
    grid = table._tbl.tblGrid.findall(qn("w:gridCol"))
    tr = OxmlElement("w:tr")
    _tr_flag(tr, "w:cantSplit")
    tc = OxmlElement("w:tc")
    tcpr = OxmlElement("w:tcPr")
    tcw = OxmlElement("w:tcW")
    tcw.set(qn("w:w"), str(sum(int(col.get(qn("w:w"))) for col in grid)))
    tcw.set(qn("w:type"), "dxa")
    span = OxmlElement("w:gridSpan")
    span.set(qn("w:val"), str(len(grid)))
    borders = OxmlElement("w:tcBorders")
    for side in ("left", "bottom", "right"):
        none = OxmlElement(f"w:{side}")
        none.set(qn("w:val"), "nil")
        borders.append(none)
    margins = OxmlElement("w:tcMar")
    for side in ("left", "right"):
        zero = OxmlElement(f"w:{side}")
        zero.set(qn("w:w"), "0")
        zero.set(qn("w:type"), "dxa")
        margins.append(zero)
    for child in (tcw, span, borders, margins):
        tcpr.append(child)
    tc.append(tcpr)
    for block in blocks:
        element = block._p if isinstance(block, Paragraph) else block._tbl
        tc.append(element)  # moves it out of the body
    tc.append(OxmlElement("w:p"))  # a cell ends with a paragraph
    tr.append(tc)
    table._tbl.append(tr)


def merge_cells(tr, first: int, last: int) -> None:
    """Merge cells ``first..last`` of a row built by :func:`append_rows` (horizontal span).

    The text of the first cell stays; the others are removed and their widths summed.
    """
    tcs = tr.findall(qn("w:tc"))
    span = tcs[first : last + 1]
    width = sum(int(tc.find(qn("w:tcPr")).find(qn("w:tcW")).get(qn("w:w"))) for tc in span)
    tcpr = span[0].find(qn("w:tcPr"))
    tcpr.find(qn("w:tcW")).set(qn("w:w"), str(width))
    grid = OxmlElement("w:gridSpan")
    grid.set(qn("w:val"), str(len(span)))
    tcpr.find(qn("w:tcW")).addnext(grid)
    for tc in span[1:]:
        tr.remove(tc)


# Advance widths of Arial/Helvetica (and its metric twin Liberation Sans, which LibreOffice
# uses), in thousandths of the font size; other characters count as wide as "m" is not.
_WIDTHS = dict.fromkeys("ijl", 222) | dict.fromkeys("ft .,:;/I!'[]", 278)
_WIDTHS |= dict.fromkeys("r-()", 333) | dict.fromkeys("ckszvxyJ", 500)
_WIDTHS |= dict.fromkeys("abdeghnopqu0123456789L", 556) | dict.fromkeys("FTZ", 611)
_WIDTHS |= dict.fromkeys("ABEKPSVXY", 667) | dict.fromkeys("wCDHNRU", 722)
_WIDTHS |= dict.fromkeys("GOQ", 778) | dict.fromkeys("mM", 833) | {"W": 944}
_DEFAULT_WIDTH = 600
_BOLD_FACTOR = 1.08
#: Room a word needs beyond its glyphs: rounding in the layout engines, kerning.
_WORD_SLACK_MM = 0.6
#: No column grows past this share of the table for one long word.
_MAX_SHARE = 0.3


def word_width_mm(word: str, size_pt: float, *, bold: bool = False) -> float:
    """How wide ``word`` prints in Arial at ``size_pt`` (mm), to size columns so that no
    word is ever broken across two lines of a cell."""
    units = sum(_WIDTHS.get(ch, _DEFAULT_WIDTH) for ch in word)
    return units / 1000 * size_pt * 25.4 / 72 * (_BOLD_FACTOR if bold else 1)


def fit_words(
    columns: Sequence[Column],
    rows: Iterable[Sequence[str]],
    *,
    size_pt: float,
    margin_mm: float = 1.9,
    bold_rows: Iterable[Sequence[str]] = (),
) -> list[Column]:
    """Columns resized so that each one's longest word (header words and ``bold_rows``, the
    subtotal and total rows, in bold) fits on one line,
    keeping the table's total width: a column too narrow grows, and the room comes from the
    columns with width to spare, in proportion to what they spare. A number or a desa name
    split in two ("10/0", "Kedungmalin g") is how a printed table goes back for correction.
    """
    need = [
        max((word_width_mm(w, size_pt, bold=True) for w in c.header.split()), default=0)
        for c in columns
    ]
    words: list[set[str]] = [set() for _ in columns]  # each distinct word measured once
    for row in rows:
        for i, value in enumerate(row[: len(columns)]):
            if value:
                words[i].update(str(value).split())
    for i, distinct in enumerate(words):
        need[i] = max([need[i], *(word_width_mm(w, size_pt) for w in distinct)])
    for row in bold_rows:
        for i, value in enumerate(row[: len(columns)]):
            bold = (word_width_mm(w, size_pt, bold=True) for w in str(value or "").split())
            need[i] = max([need[i], *bold])
    widths = [c.width_mm for c in columns]
    cap = sum(widths) * _MAX_SHARE  # a pasted 200-letter "word" must not push the page out
    need = [min(cap, n + 2 * margin_mm + _WORD_SLACK_MM) for n in need]
    missing = sum(max(0.0, n - w) for n, w in zip(need, widths, strict=True))
    spare = sum(max(0.0, w - n) for n, w in zip(need, widths, strict=True))
    if missing and spare:
        share = min(1.0, missing / spare)
        widths = [n if w < n else w - (w - n) * share for n, w in zip(need, widths, strict=True)]
    return [Column(c.header, w, c.align) for c, w in zip(columns, widths, strict=True)]


def _fixed_layout(table: Table, widths_mm: Sequence[float]) -> None:
    tblpr = table._tbl.tblPr
    table.autofit = False  # w:tblLayout fixed: the grid below is the truth
    width = OxmlElement("w:tblW")
    width.set(qn("w:w"), str(sum(_twips(w) for w in widths_mm)))
    width.set(qn("w:type"), "dxa")
    existing = tblpr.find(qn("w:tblW"))
    if existing is not None:
        tblpr.remove(existing)
    tblpr.insert(1 if tblpr.find(qn("w:tblStyle")) is not None else 0, width)
    grid = table._tbl.tblGrid
    for col, w in zip(grid.findall(qn("w:gridCol")), widths_mm, strict=True):
        col.set(qn("w:w"), str(_twips(w)))
    _in_schema_order(tblpr, _TBLPR_RANK)


_TBLPR_RANK = _schema_rank(
    "tblStyle tblpPr tblOverlap bidiVisual tblStyleRowBandSize tblStyleColBandSize tblW jc "
    "tblCellSpacing tblInd tblBorders shd tblLayout tblCellMar tblLook"
)


def _twips(mm: float) -> int:
    return round(mm * 1440 / 25.4)


def _make_row(
    columns: Sequence[Column],
    *,
    size_pt: float | None,
    bold: bool,
    cant_split: bool,
    shade: str | None = None,
):
    tr = OxmlElement("w:tr")
    if cant_split:
        _tr_flag(tr, "w:cantSplit")
    for col in columns:
        tc = OxmlElement("w:tc")
        tcpr = OxmlElement("w:tcPr")
        tcw = OxmlElement("w:tcW")
        tcw.set(qn("w:w"), str(_twips(col.width_mm)))
        tcw.set(qn("w:type"), "dxa")
        tcpr.append(tcw)
        if shade:
            shd = OxmlElement("w:shd")
            shd.set(qn("w:val"), "clear")
            shd.set(qn("w:color"), "auto")
            shd.set(qn("w:fill"), shade)
            tcpr.append(shd)
        tc.append(tcpr)
        p = OxmlElement("w:p")
        ppr = OxmlElement("w:pPr")
        jc = OxmlElement("w:jc")
        jc.set(qn("w:val"), _ALIGN_XML[col.align])
        ppr.append(jc)
        p.append(ppr)
        r = OxmlElement("w:r")
        rpr = OxmlElement("w:rPr")
        if bold:
            rpr.append(OxmlElement("w:b"))
        if size_pt:
            for tag in ("w:sz", "w:szCs"):
                sz = OxmlElement(tag)
                sz.set(qn("w:val"), str(round(size_pt * 2)))
                rpr.append(sz)
        r.append(rpr)
        t = OxmlElement("w:t")
        t.set(qn("xml:space"), "preserve")
        r.append(t)
        p.append(r)
        tc.append(p)
        tr.append(tc)
    return tr


def _row_height(tr, height_mm: float) -> None:
    """At least this tall (room for a wet signature); taller if the text needs it."""
    trpr = tr.find(qn("w:trPr"))
    if trpr is None:
        trpr = OxmlElement("w:trPr")
        tr.insert(0, trpr)
    height = OxmlElement("w:trHeight")
    height.set(qn("w:val"), str(_twips(height_mm)))
    height.set(qn("w:hRule"), "atLeast")
    trpr.append(height)
    _in_schema_order(trpr, _TRPR_RANK)


_TRPR_RANK = _schema_rank(
    "cnfStyle divId gridBefore gridAfter wBefore wAfter cantSplit trHeight tblHeader "
    "tblCellSpacing jc hidden"
)


def _tr_flag(tr, tag: str) -> None:
    trpr = tr.find(qn("w:trPr"))
    if trpr is None:
        trpr = OxmlElement("w:trPr")
        tr.insert(0, trpr)
    if trpr.find(qn(tag)) is None:
        trpr.append(OxmlElement(tag))
    _in_schema_order(trpr, _TRPR_RANK)


def _fill_row(tr, values: Sequence[str]) -> None:
    for tc, value in zip(tr.iterfind(qn("w:tc")), values, strict=False):
        run = tc.find(qn("w:p")).find(qn("w:r"))
        _set_run_text(run, str(value) if value is not None else "")


def _set_run_text(run, text: str) -> None:
    """Write ``text`` into a prototype run in place of its ``w:t`` (see write_unbreakable)."""
    run.remove(run.find(qn("w:t")))
    write_unbreakable(run, text)


#: "TAHUN 2027", "Tahun 2027": the year stays on its word's line.
_YEAR_SPACE = re.compile(r"(?<=\b(?:TAHUN|Tahun|tahun)) (?=\d{4}\b)")
#: Line break, tab, and a hyphen inside a number ("416-313" of 140/05/416-313.01/2026).
_RUN_MARKS = re.compile(r"\n|\t|(?<=\d)-(?=\d)")
_MARK_TAGS = {"\n": "w:br", "\t": "w:tab", "-": "w:noBreakHyphen"}


def write_unbreakable(r, text: str) -> None:
    """Append ``text`` to the run element ``r``: ``\\n`` as ``w:br``, ``\\t`` as ``w:tab``, a
    hyphen inside a number as ``w:noBreakHyphen`` and the space of "TAHUN 2027" as a
    no-break space, so a letter number or a year is never split over two lines (Word and
    LibreOffice both honour these; exports.canonical reads ``w:noBreakHyphen`` as "-")."""
    text = _YEAR_SPACE.sub("\u00a0", text)
    done = 0
    for mark in [*_RUN_MARKS.finditer(text), None]:
        piece = text[done : mark.start() if mark else len(text)]
        if piece:
            t = OxmlElement("w:t")
            t.set(qn("xml:space"), "preserve")
            t.text = piece
            r.append(t)
        if mark is not None:
            r.append(OxmlElement(_MARK_TAGS[mark.group()]))
            done = mark.end()


def cant_split(row: _Row) -> None:
    """Never break this row across two pages."""
    _tr_flag(row._tr, "w:cantSplit")


def layout_table(
    container, widths_mm: Sequence[float], rows: int, *, borders: bool = False
) -> Table:
    """A fixed-width grid for laying things out (signature blocks, lampiran heading), in
    the body or in a page header (whose ``add_table`` takes the width instead of a style)."""
    if isinstance(container, DocxDocument):
        table = container.add_table(rows=rows, cols=len(widths_mm))
    else:
        table = container.add_table(rows, len(widths_mm), Mm(sum(widths_mm)))
    if borders:
        table.style = "Table Grid"
    _fixed_layout(table, widths_mm)
    for row in table.rows:
        for cell, w in zip(row.cells, widths_mm, strict=True):
            cell.width = Mm(w)
    return table


def keep_table_on_one_page(table: Table) -> None:
    """Keep a small table (a signature block) whole on one page.

    Every row refuses to split, and every paragraph but those of the last row keeps with the
    next one: Word and LibreOffice then move the whole table to the next page rather than
    separating a name from its signature space.
    """
    rows = table.rows
    for i, row in enumerate(rows):
        cant_split(row)
        if i == len(rows) - 1:
            continue
        for cell in row.cells:
            for par in cell.paragraphs:
                par.paragraph_format.keep_with_next = True


def cell_margins(table: Table, *, left_mm: float = 1.2, right_mm: float = 1.2) -> None:
    """Inner left/right cell margins of a table (narrow columns need small ones)."""
    tblpr = table._tbl.tblPr
    mar = OxmlElement("w:tblCellMar")
    for side, mm in (("left", left_mm), ("right", right_mm)):
        el = OxmlElement(f"w:{side}")
        el.set(qn("w:w"), str(_twips(mm)))
        el.set(qn("w:type"), "dxa")
        mar.append(el)
    tblpr.append(mar)
    _in_schema_order(tblpr, _TBLPR_RANK)


def zigzag_columns(columns: Sequence[Column], index: int) -> tuple[list[Column], list[Column]]:
    """Column sets for the daftar hadir's zig-zag signature column (Permendagri 54/2010 form).

    Odd rows sign on the left half of the cell, even rows on the right, so neighbours'
    signatures never run into each other; pass the pair to :func:`append_rows`.
    """
    odd, even = list(columns), list(columns)
    odd[index] = Column(columns[index].header, columns[index].width_mm, "left")
    even[index] = Column(columns[index].header, columns[index].width_mm, "right")
    return odd, even


def zigzag_text(number: int) -> str:
    """What the signature cell holds before signing: the row number and a dotted line."""
    return f"{number}. ...................."
