"""Surat Pengantar: the cover letter that sends the forum's results up the chain (SOP step 7).

A kecamatan writes to the Kabupaten's planning agency, signed by the Camat; a desa writes to
its Camat, signed by the Kepala Desa. The letter number is the header's
``nomor_surat_pengantar``, else the one the outgoing-letter agenda book gave it (the report
package numbers it there first), else dots to fill in by hand.
"""

from __future__ import annotations

from docx.shared import Mm

from exports.documents.context import DocContext
from exports.documents.kop import add_kop
from exports.documents.page import LAMPIRAN, add_numbered, ba_title, start_document
from exports.documents.signature_block import add_signature_block
from exports.docx_kit import add_labelled_line, add_par, layout_table, text_width_mm
from exports.issuing import Built
from store.agenda_book import letter_addressee
from store.formatting import format_day_date, format_rupiah, terbilang

KIND = "surat-pengantar"
NUMBER_KEY = "nomor_surat_pengantar"
BODY_INDENT_MM = 15


def addressee(ctx: DocContext) -> tuple[str, str]:
    """(to whom, the ``di`` place line); the office may override them in kantor.json."""
    return letter_addressee(ctx.meta, ctx.office)


def copies_to(ctx: DocContext) -> list[str]:
    """Who gets a copy (tembusan): the head of the region above, for his information."""
    if ctx.level == "kecamatan":
        return [f"Bupati {ctx.kabupaten_nama} (sebagai laporan)"]
    return [f"Ketua BPD {ctx.wilayah_nama}"]


def build(ctx: DocContext) -> Built:
    doc = start_document(ctx, footer_note=f"Surat Pengantar Hasil {ctx.forum_name}")
    add_kop(doc, ctx)
    nomor = ctx.nomor(NUMBER_KEY)
    _letter_head(doc, ctx, nomor)
    agreed = ctx.by_status("diakomodir")
    cost = sum(p["biaya"] for p in agreed)
    pagu = int(ctx.meta.get("pagu") or 0)
    when = format_day_date(ctx.tanggal) if ctx.tanggal else "...................."
    plan = (
        f"Rencana Kerja Pemerintah Daerah (RKPD) Kabupaten {ctx.kabupaten_nama}"
        if ctx.level == "kecamatan"
        else "Rencana Kerja Pemerintah Desa (RKP Desa)"
    )
    body = [
        ("Dengan hormat,", False),
        (
            f"Dalam rangka penyusunan {plan} Tahun {ctx.tahun}, bersama ini kami sampaikan hasil "
            f"Musyawarah Perencanaan Pembangunan (Musrenbang) {ctx.level_title} Tahun {ctx.tahun} "
            f"yang telah dilaksanakan pada hari {when} bertempat di "
            f"{ctx.meta.get('tempat') or '....................'}, berupa:",
            True,
        ),
    ]
    for text, indent_first in body:
        par = add_par(doc, text, align="justify", space_after=4)
        par.paragraph_format.left_indent = Mm(BODY_INDENT_MM)
        if indent_first:
            par.paragraph_format.first_line_indent = Mm(10)
    within = ctx.within_pagu(agreed)
    items = [
        f"{ba_title(ctx)} Nomor {ctx.nomor_ba or '....................'};",
        f"Daftar Hadir peserta sebanyak {ctx.attendance.hadir} orang (Lampiran "
        f"{LAMPIRAN['daftar-hadir']});",
        f"Rekapitulasi Usulan (Lampiran {LAMPIRAN['rekap']}): {len(ctx.proposals)} usulan, "
        f"{len(agreed)} usulan disepakati dengan jumlah biaya {format_rupiah(cost)} "
        f"({terbilang(cost)}){within};",
        "Notulen Musrenbang;",
        f"Surat Mandat {len(ctx.utusan)} orang utusan.",
    ]
    add_numbered(doc, items, indent_mm=BODY_INDENT_MM + 3, space_after=2)
    closing = add_par(
        doc,
        "Demikian untuk menjadi maklum, atas perhatian dan kerja samanya kami sampaikan terima "
        "kasih.",
        align="justify",
        space_before=4,
        space_after=10,
    )
    closing.paragraph_format.left_indent = Mm(BODY_INDENT_MM)
    closing.paragraph_format.first_line_indent = Mm(10)
    signer = ctx.signer("camat" if ctx.level == "kecamatan" else "kepala-desa")
    slot = add_signature_block(doc, [signer], draft=ctx.draft, closing=closing)
    add_par(doc, "Tembusan:", space_before=8, underline=True, size_pt=10)
    add_numbered(doc, [f"Yth. {who};" for who in copies_to(ctx)] + ["Arsip."], space_after=0)
    summary = {
        "h": ctx.attendance.hadir,
        "u": len(ctx.proposals),
        "a": len(agreed),
        "b": cost,
        "p": pagu,
    }
    return Built(KIND, doc, slot, nomor, summary)


def _letter_head(doc, ctx: DocContext, nomor: str) -> None:
    """Nomor/Sifat/Lampiran/Perihal on the left; place, date and addressee on the right."""
    width = text_width_mm(doc.sections[0])
    table = layout_table(doc, [width * 0.58, width * 0.42], 1)
    left, right = table.rows[0].cells
    left._tc.remove(left.paragraphs[0]._p)
    for label, value in (
        ("Nomor", nomor or "...................."),
        ("Sifat", "Penting"),
        ("Lampiran", "1 (satu) berkas"),
        ("Perihal", f"Penyampaian Hasil Musrenbang {ctx.level_title} Tahun {ctx.tahun}"),
    ):
        add_labelled_line(left, label, value, label_mm=20)
    kepada, di = addressee(ctx)
    first = right.paragraphs[0]
    first.add_run(ctx.place_date)
    for text in ("", "Kepada", f"Yth. {kepada}", "di -"):
        add_par(right, text)
    add_par(right, di, bold=True).paragraph_format.left_indent = Mm(8)
    add_par(doc, space_after=10)
