"""Surat Mandat: the forum's utusan, mandated to defend its proposals one level up.

Kecamatan: the Camat mandates the 3 utusan to the Forum Perangkat Daerah and the Musrenbang
Kabupaten. Desa: the Kepala Desa mandates the desa's delegates to the Musrenbang Kecamatan.
"""

from __future__ import annotations

from exports.documents.context import DocContext
from exports.documents.kop import add_kop
from exports.documents.page import add_title, ba_title, start_document
from exports.documents.signature_block import add_signature_block
from exports.docx_kit import Column, add_labelled_line, add_par, add_table, fit_words
from exports.issuing import Built

KIND = "surat-mandat"
NUMBER_KEY = "nomor_surat_mandat"
COLUMNS = [
    Column("No", 10, "center"),
    Column("Nama", 55),
    Column("Jabatan", 50),
    Column("Lembaga/Unsur", 50),
]


def build(ctx: DocContext) -> Built:
    doc = start_document(ctx, footer_note=f"Surat Mandat {ctx.forum_name}")
    add_kop(doc, ctx)
    nomor = ctx.nomor(NUMBER_KEY)
    add_title(doc, ["SURAT MANDAT", f"Nomor: {nomor or '....................'}"], space_after=12)
    signer = ctx.signer("camat" if ctx.level == "kecamatan" else "kepala-desa")
    add_par(doc, "Yang bertanda tangan di bawah ini:", space_after=4)
    lines = [
        ("Nama", signer.nama or "...................."),
        ("NIP", signer.nip_line.removeprefix("NIP. ")),  # no "NIP: -" for who has none
        ("Pangkat/Gol.", signer.pangkat),
        ("Jabatan", signer.jabatan),
    ]
    for label, value in lines:
        if value:
            add_labelled_line(doc, label, value, label_mm=28, indent_mm=8)
    if ctx.level == "kecamatan":
        forum_up = (
            f"Forum Perangkat Daerah dan Musrenbang Kabupaten {ctx.kabupaten_nama} "
            f"Tahun {ctx.tahun}"
        )
        role = f"utusan {ctx.level_title}"
    else:
        forum_up = f"Musrenbang Kecamatan {ctx.kecamatan_nama} Tahun {ctx.tahun}"
        role = f"delegasi {ctx.level_title}"
    add_par(
        doc,
        f"berdasarkan {ba_title(ctx)} Nomor {ctx.nomor_ba or '....................'} "
        f"tanggal {ctx.tanggal_text}, dengan ini memberikan mandat kepada:",
        align="justify",
        space_before=6,
        space_after=4,
    )
    people = ctx.utusan
    rows = [
        [str(i), ctx.name(u.get("nama")), ctx.post(u.get("jabatan")), u.get("lembaga") or ""]
        for i, u in enumerate(people, start=1)
    ]
    rows = rows or [["", "(utusan belum ditetapkan)", "", ""]]
    add_table(doc, fit_words(COLUMNS, rows, size_pt=10), rows, size_pt=10)
    add_par(
        doc,
        f"sebagai {role} untuk menyampaikan dan mengawal usulan prioritas hasil Musrenbang "
        f"{ctx.level_title} Tahun {ctx.tahun} pada {forum_up}.",
        align="justify",
        space_before=6,
        space_after=4,
    )
    closing = add_par(
        doc,
        "Demikian surat mandat ini dibuat untuk dipergunakan sebagaimana mestinya.",
        align="justify",
        space_after=10,
    )
    slot = add_signature_block(
        doc, [signer], place_date=ctx.place_date, draft=ctx.draft, closing=closing
    )
    return Built(KIND, doc, slot, nomor, {"m": len(people)})
