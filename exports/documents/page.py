"""The page every document starts from: paper, font, margins, page numbers, DRAF mark."""

from __future__ import annotations

from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.shared import Mm, Pt

from exports.documents.context import DocContext
from exports.docx_kit import (
    add_draft_mark,
    add_page_number_footer,
    add_par,
    add_run,
    layout_table,
    new_document,
    text_width_mm,
)

PORTRAIT_MARGINS = (15.0, 20.0, 20.0, 25.0)  # top, right, bottom, left (binding on the left)
LANDSCAPE_MARGINS = (15.0, 15.0, 15.0, 20.0)


def start_document(ctx: DocContext, *, footer_note: str, landscape: bool = False):
    """A blank document for this forum; ``footer_note`` names it at the foot of each page."""
    size = 12 if ctx.font == "Times New Roman" else 11
    doc = new_document(
        paper=ctx.paper,
        landscape=landscape,
        font=ctx.font,
        size_pt=size,
        margins_mm=LANDSCAPE_MARGINS if landscape else PORTRAIT_MARGINS,
    )
    section = doc.sections[0]
    add_page_number_footer(section, left_text=footer_note)
    if ctx.draft:
        add_draft_mark(section)
    return doc


def add_title(doc, lines: list[str], *, space_after: float = 10) -> None:
    """Centred bold title lines (document name, forum, year), the last one spaced."""
    for i, line in enumerate(lines):
        last = i == len(lines) - 1
        add_par(
            doc,
            line,
            bold=True,
            align="center",
            size_pt=12,
            space_after=space_after if last else 0,
            keep_next=True,
        )


LAMPIRAN = {"daftar-hadir": "I", "rekap": "II"}
ORDINALS = (
    "KESATU",
    "KEDUA",
    "KETIGA",
    "KEEMPAT",
    "KELIMA",
    "KEENAM",
    "KETUJUH",
    "KEDELAPAN",
    "KESEMBILAN",
    "KESEPULUH",
)


def ba_title(ctx: DocContext) -> str:
    """The Berita Acara's name as lampiran and letters cite it."""
    if ctx.level == "kecamatan":
        return f"Berita Acara Hasil Kesepakatan Musrenbang {ctx.level_title} Tahun {ctx.tahun}"
    return f"Berita Acara Musrenbang {ctx.level_title} Tahun {ctx.tahun}"


def add_lampiran_block(doc, ctx: DocContext, kind: str) -> None:
    """``LAMPIRAN I : Berita Acara ... / Nomor : ... / Tanggal : ...`` at the top right of
    EVERY page (DOMAIN.md section 3: each lampiran page carries it): a borderless table in
    the page header, under the DRAF line of a draft, with a spacer paragraph below it."""
    section = doc.sections[0]
    header = section.header
    header.is_linked_to_previous = False
    width = min(120.0, text_width_mm(section))
    table = layout_table(header, [26, 4, width - 30], 3)
    table.alignment = WD_TABLE_ALIGNMENT.RIGHT
    rows = (
        (f"LAMPIRAN {LAMPIRAN[kind]}", ba_title(ctx).upper()),
        ("Nomor", ctx.nomor_ba or "...................."),
        ("Tanggal", ctx.tanggal_text),
    )
    for row, (label, value) in zip(table.rows, rows, strict=True):
        for cell, text in zip(row.cells, (label, ":", value), strict=True):
            add_run(cell.paragraphs[0], text, size_pt=9)
    first = header.paragraphs[0]
    if first.runs:  # the DRAF line stays on top; a header story ends with a paragraph
        spacer = header.add_paragraph()
    else:
        first._p.addprevious(table._tbl)
        spacer = first
    spacer.paragraph_format.space_after = Pt(4)


def add_numbered(
    container,
    items: list[str],
    *,
    indent_mm: float = 0,
    number_mm: float = 7,
    space_after: float = 0,
) -> None:
    """``1. text`` items with the text hanging after the number (numbers typed, not list
    numbering: an automatic number is not text and would escape the verification digest)."""
    for i, item in enumerate(items, start=1):
        par = add_par(container, f"{i}.\t{item}", align="justify", space_after=space_after)
        fmt = par.paragraph_format
        fmt.left_indent = Mm(indent_mm + number_mm)
        fmt.first_line_indent = -Mm(number_mm)
        fmt.tab_stops.add_tab_stop(Mm(indent_mm + number_mm))


def add_heading(container, text: str, *, space_before: float = 8) -> None:
    """A bold section heading (``A. Materi pembahasan``) kept with what follows."""
    add_par(container, text, bold=True, space_before=space_before, space_after=3, keep_next=True)
