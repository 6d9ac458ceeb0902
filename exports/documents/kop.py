"""The kop surat (letterhead) at the top of a letter or a Berita Acara.

From the office settings when the office is the forum's own region; otherwise (a desa forum
typed at the kecamatan, or an office not set up yet) built from the region names, without
address lines, rather than printing the wrong office's letterhead.
"""

from __future__ import annotations

from pathlib import Path

from docx.shared import Mm

from exports.documents.context import DocContext
from exports.docx_kit import add_par, bottom_border, layout_table, text_width_mm, word_width_mm

LOGO_COLUMN_MM = 28
CONTACT_PT = 9.5


def kop_lines(ctx: DocContext) -> tuple[list[str], list[str], str]:
    """(title lines, contact lines, logo path) of the letterhead for this forum."""
    kop = ctx.office.get("kop") or {}
    home = ctx.office.get("wilayah_kode") or ""
    if kop.get("instansi") and home in ("", ctx.region.code):
        titles = [kop.get("pemerintah") or f"PEMERINTAH KABUPATEN {ctx.kabupaten_nama}".upper()]
        titles.append(kop["instansi"])
        contact = [kop.get("alamat") or ""]
        if kop.get("telepon"):
            contact.append(f"Telepon {kop['telepon']}")
        web = [  # tata naskah dinas: "Laman" and "Pos-el", not Website/Email
            f"{label}: {kop[key]}"
            for key, label in (("website", "Laman"), ("email", "Pos-el"))
            if kop.get(key)
        ]
        return titles, [c for c in contact if c] + web, kop.get("logo") or ""
    titles = [f"PEMERINTAH KABUPATEN {ctx.kabupaten_nama}".upper()]
    if ctx.level == "desa":
        titles.append(f"KECAMATAN {ctx.kecamatan_nama}".upper())
    titles.append(ctx.level_title.upper())
    return titles, [], ""


def add_kop(doc, ctx: DocContext) -> None:
    """Letterhead: government line, the office in large capitals, contacts, a thick rule.

    The lines sit between two logo-wide columns, so they stay centred on the page and the
    left one holds the office's logo (``kop.logo`` in the settings), or leaves its room
    free for a printed letterhead paper's logo.
    """
    titles, contact, logo = kop_lines(ctx)
    width = text_width_mm(doc.sections[0])
    table = layout_table(doc, [LOGO_COLUMN_MM, width - 2 * LOGO_COLUMN_MM, LOGO_COLUMN_MM], 1)
    logo_cell, container, _ = table.rows[0].cells
    logo_path = Path(logo) if logo else None
    if logo_path is not None and logo_path.is_file():
        logo_cell.paragraphs[0].add_run().add_picture(str(logo_path), height=Mm(24))
    container.paragraphs[0]._p.getparent().remove(container.paragraphs[0]._p)
    for i, line in enumerate(titles):
        last = i == len(titles) - 1
        add_par(container, line, bold=True, align="center", size_pt=16 if last else 14)
    for line in _joined_if_fits(contact, width - 2 * LOGO_COLUMN_MM - 4):
        add_par(container, line, align="center", size_pt=CONTACT_PT)
    rule = add_par(doc, space_after=8)
    bottom_border(rule, double=True, size_eighths=18)


def _joined_if_fits(lines: list[str], width_mm: float) -> list[str]:
    """Contact pieces (address, telephone, Laman, Pos-el) packed onto as few lines as fit,
    in order, so no piece is ever broken in the middle of a number or an address."""
    packed: list[str] = []
    for piece in lines:
        joined = f"{packed[-1]}, {piece}" if packed else piece
        if packed and word_width_mm(joined, CONTACT_PT) <= width_mm:
            packed[-1] = joined
        else:
            packed.append(piece)
    return packed
