"""Signature blocks with the verification QR, kept whole on one page.

Layout: a borderless table; the first column holds the verification block (label, QR, the
short ID, the office key's fingerprint, DRAF before final), the other two hold the
signatories, two per row, a third one centred below ("Mengetahui"). Names, pangkat and NIP
are printed from the office settings before anyone signs, the name underlined as on every
Indonesian official form.

The verification block's paragraphs use the "Kode Verifikasi" style: the canonical text
leaves them out (they hold the code computed from that text) and verify checks they hold
nothing else.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass

from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from docx.table import Table
from docx.text.paragraph import Paragraph

from exports.canonical import VERIFICATION_STYLE
from exports.documents.context import BLANK_NAME, Signer
from exports.docx_kit import (
    add_par,
    add_paragraph_style,
    add_run,
    cell_margins,
    fold_into_table,
    keep_lead_in_with_next,
    keep_table_on_one_page,
    keep_tail_with_next,
    layout_table,
    text_width_mm,
    word_width_mm,
)
from exports.qr import make_qr
from exports.record import Record
from exports.verification import BLOCK_LABEL, DRAFT_WORD, key_line

CODE_COLUMN_MM = 44
SIGNATURE_SPACE_PT = 52
#: Room between two signatories side by side, and above a third one below them.
COLUMN_GAP_MM = 6
ROW_GAP_PT = 14
DATE_PT = 12  # the body's size at most (11 pt Arial, 12 pt Times New Roman)


@dataclass
class VerificationSlot:
    """Where the QR, the short ID and the key line go once the document's text is final and
    signed."""

    picture: Paragraph
    code: Paragraph
    key: Paragraph

    def fill(self, record: Record, qr_text: str) -> None:
        """Put the QR holding ``qr_text`` (see ``Record.qr_text``) and the short ID in."""
        qr = make_qr(qr_text)
        shape = self.picture.add_run().add_picture(io.BytesIO(qr.png), width=Mm(qr.width_mm))
        doc_pr = shape._inline.docPr
        doc_pr.set("name", "Kode verifikasi dokumen")
        doc_pr.set("descr", qr_text)
        add_run(self.code, record.short_code, size_pt=8)
        add_run(self.key, key_line(record.key_id, wrap=True), size_pt=8)


def verification_style(doc) -> str:
    """The block's paragraph style, created once per document."""
    if VERIFICATION_STYLE not in [s.name for s in doc.styles]:
        style = add_paragraph_style(doc, VERIFICATION_STYLE, size_pt=8)
        style.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
        # No keep-with-next here: the block's rows never split anyway, and LibreOffice reads
        # keep-with-next on a document's last table as "keep with nothing" and then drops
        # every keep before it, leaving the block alone on its last page.
    return VERIFICATION_STYLE


def add_signature_block(
    doc,
    signers: Sequence[Signer],
    *,
    place_date: str = "",
    with_code: bool = True,
    draft: bool = False,
    closing: Paragraph | None = None,
    after_table: Table | None = None,
) -> VerificationSlot | None:
    """Append the block; returns the slot for the QR (None without a code: a blanko form).

    ``closing`` is the paragraph just before the block (e.g. "Demikian berita acara ini...");
    it is kept on the block's page so the block never starts a page alone. ``after_table``:
    the long table the block follows (daftar hadir, rekap); its last rows go with the
    closing line and the block to their page.
    """
    if closing is not None:
        keep_lead_in_with_next(closing)
    width = text_width_mm(doc.sections[0])
    code_mm = CODE_COLUMN_MM if with_code else 0
    half = (width - code_mm) / 2
    # The right column holds the place and date on one line ("Kedungmaling, 22 Januari
    # 2026"): widened when it needs more, so the names of one row stay level.
    right = max(half, word_width_mm(place_date, DATE_PT) + COLUMN_GAP_MM + 2)
    rows = 1 if len(signers) <= 2 else 2
    widths = ([code_mm] if with_code else []) + [2 * half - right, right]
    table = layout_table(doc, widths, rows)
    first_sig = 1 if with_code else 0
    top = table.rows[0].cells
    pairs = (
        [(signers[0], place_date)]
        if len(signers) == 1
        else [(signers[0], ""), (signers[1], place_date)]
    )
    lines = max(_heading_count(s, d) for s, d in pairs)
    for offset, (signer, date_line) in enumerate(pairs, start=2 - len(pairs)):
        _fill_signer(top[first_sig + offset], signer, date_line, lines)
    if rows == 2:
        bottom = table.rows[1].cells
        merged = bottom[first_sig].merge(bottom[first_sig + 1])
        _fill_signer(merged, signers[2], "", 0)
        merged.paragraphs[0].paragraph_format.space_before = Pt(ROW_GAP_PT)
    slot = None
    if with_code:
        code_cell = table.rows[0].cells[0]
        if rows == 2:
            code_cell = code_cell.merge(table.rows[1].cells[0])
        slot = _fill_code_cell(doc, code_cell, draft)
    cell_margins(table, left_mm=COLUMN_GAP_MM / 2, right_mm=COLUMN_GAP_MM / 2)
    keep_table_on_one_page(table)
    if after_table is not None:
        keep_tail_with_next(after_table._tbl.findall(qn("w:tr")))
        fold_into_table(after_table, *([closing] if closing is not None else []), table)
    return slot


def _heading_count(signer: Signer, place_date: str) -> int:
    return len(signer.heading()) + (1 if place_date else 0)


def _fill_signer(cell, signer: Signer, place_date: str, lines: int) -> None:
    """Heading lines padded to ``lines`` at the top, so names in one row line up."""
    heading = ([place_date] if place_date else []) + signer.heading()
    texts = [""] * (lines - len(heading)) + heading
    bold_from = len(texts) - len(signer.heading()) + (1 if signer.atas else 0)
    for i, text in enumerate(texts):
        par = cell.paragraphs[0] if i == 0 else cell.add_paragraph()
        par.alignment = WD_ALIGN_PARAGRAPH.CENTER
        add_run(par, text, bold=i >= bold_from)
    space = cell.add_paragraph()
    space.paragraph_format.space_before = Pt(SIGNATURE_SPACE_PT)
    space.alignment = WD_ALIGN_PARAGRAPH.CENTER
    if signer.nama:
        add_run(space, signer.nama, bold=True, underline=True)
    else:
        add_run(space, BLANK_NAME)
    for text in (signer.pangkat, signer.nip_line):
        if text:
            add_par(cell, text, align="center")


def _fill_code_cell(doc, cell, draft: bool) -> VerificationSlot:
    style = verification_style(doc)
    label = cell.paragraphs[0]
    label.style = doc.styles[style]
    add_run(label, BLOCK_LABEL, size_pt=8)
    picture = cell.add_paragraph(style=style)
    code = cell.add_paragraph(style=style)
    key = cell.add_paragraph(style=style)
    if draft:
        mark = cell.add_paragraph(style=style)
        add_run(mark, DRAFT_WORD, bold=True, size_pt=10, color=(192, 0, 0))
    _valign_top(cell)
    return VerificationSlot(picture, code, key)


def _valign_top(cell) -> None:
    tcpr = cell._tc.get_or_add_tcPr()
    valign = OxmlElement("w:vAlign")
    valign.set(qn("w:val"), "top")
    tcpr.append(valign)
