"""Daftar Hadir (Lampiran I of the BA): who came, with the zig-zag signature column.

Columns No | Nama | L/P | Lembaga/Unsur | Desa | Tanda tangan; never a NIK, never a phone
number (UU PDP). The chair, speakers and note-taker come first with their post and role
(readiness refuses final while one of them is not on the list). The header row repeats on
every page. ``blanko``: the form printed before
the forum for wet signatures at the door: everyone pre-registered, then empty rows, no DRAF
mark and no verification code (its content is written by hand).
"""

from __future__ import annotations

from typing import Any

from exports.documents.context import DocContext
from exports.documents.page import add_lampiran_block, add_title, start_document
from exports.documents.signature_block import add_signature_block
from exports.docx_kit import (
    Column,
    add_labelled_line,
    add_par,
    add_table,
    append_rows,
    fit_words,
    zigzag_columns,
    zigzag_text,
)
from exports.issuing import Built
from exports.spreadsheet import Sheet
from store.attendance import attended
from store.formatting import format_clock, format_day_date
from store.person_names import name_key

KIND = "daftar-hadir"
COLUMNS = [
    Column("No", 9, "center"),
    Column("Nama", 45),
    Column("L/P", 10, "center"),
    Column("Lembaga/Unsur", 42),
    Column("Desa", 24),
    Column("Tanda tangan", 35),
]
SIGNATURE_COLUMN = 5
ROW_HEIGHT_MM = 9
MIN_EMPTY_ROWS = 15


def people(ctx: DocContext) -> list[dict[str, Any]]:
    """Who the list shows: those who came (the blanko: everyone registered), desa by desa.

    The officials the header names (chair, speakers, note-taker) come first, then the
    participants without a desa (kecamatan staff, agencies, DPRD).
    """
    everyone = ctx.forum.participants.all()
    chosen = everyone if ctx.blanko else [p for p in everyone if attended(p)]
    order = {key: i for i, key in enumerate(forum_roles(ctx))}  # chair, speakers, notulis
    return sorted(
        chosen,
        key=lambda p: (
            order.get(name_key(p["nama"]), len(order)),
            bool(p.get("desa")),
            p.get("desa") or "",
            p["nama"].casefold(),
            p["id"],
        ),
    )


def forum_roles(ctx: DocContext) -> dict[str, tuple[str, str]]:
    """Name key -> (role at this forum, post the header gives): the chair, the speakers and
    the note-taker, so the list shows them as the BA and the notulen name them."""
    meta = ctx.meta
    named = [
        (meta.get("pimpinan"), "Pimpinan rapat", meta.get("pimpinan_jabatan")),
        *((s.get("nama"), "Narasumber", s.get("jabatan")) for s in meta.get("narasumber") or []),
        (meta.get("notulis"), "Notulis", meta.get("notulis_jabatan")),
    ]
    roles: dict[str, tuple[str, str]] = {}
    for nama, role, jabatan in named:
        if nama:
            roles.setdefault(name_key(nama), (role, ctx.post(ctx.recorded_post(nama, jabatan))))
    return roles


def shown_post(person: dict[str, Any], roles: dict[str, tuple[str, str]]) -> str:
    """The Lembaga/Unsur cell: for an official of the forum their post and role
    (``Camat Sooko (Pimpinan rapat)``), else :func:`lembaga_unsur`."""
    held = roles.get(name_key(person["nama"]))
    if held is None:
        return lembaga_unsur(person)
    role, jabatan = held
    return f"{jabatan or person.get('jabatan') or lembaga_unsur(person)} ({role})"


def lembaga_unsur(person: dict[str, Any]) -> str:
    """``PKK Brangkal`` or ``Kecamatan Sooko / Perangkat Kecamatan``: the unsur is added
    when the lembaga does not already say it."""
    lembaga, unsur = person.get("lembaga") or "", person.get("unsur") or ""
    if not lembaga:
        return unsur
    if not unsur or unsur.casefold() in lembaga.casefold():
        return lembaga
    return f"{lembaga} / {unsur}"


def build(ctx: DocContext) -> Built:
    doc = start_document(ctx, footer_note=f"Daftar Hadir {ctx.forum_name}")
    add_lampiran_block(doc, ctx, KIND)
    add_title(
        doc,
        ["DAFTAR HADIR", f"MUSRENBANG {ctx.level_title.upper()}", f"TAHUN {ctx.tahun}"],
        space_after=6,
    )
    when = format_day_date(ctx.tanggal) if ctx.tanggal else "...................."
    for label, value in (
        ("Hari/Tanggal", when),
        ("Pukul", ctx.pukul_text),
        ("Tempat", ctx.meta.get("tempat") or "...................."),
    ):
        add_labelled_line(doc, label, value, label_mm=28)
    add_par(doc, space_after=4)
    chosen = people(ctx)
    roles = forum_roles(ctx)
    rows = [
        [
            str(i),
            ctx.name(p["nama"]),
            p.get("jenis_kelamin") or "",
            shown_post(p, roles),
            p.get("desa") or "",
            zigzag_text(i),
        ]
        for i, p in enumerate(chosen, start=1)
    ]
    if ctx.blanko:
        start = len(rows) + 1
        extra = max(MIN_EMPTY_ROWS, len(rows) // 5)
        rows += [[str(i), "", "", "", "", zigzag_text(i)] for i in range(start, start + extra)]
    columns = fit_words(COLUMNS, rows, size_pt=10)  # no name, desa or number split
    table = add_table(doc, columns, [], size_pt=9.5, header_size_pt=10)
    odd, even = zigzag_columns(columns, SIGNATURE_COLUMN)
    append_rows(table, odd, rows, size_pt=9.5, alt_columns=even, height_mm=ROW_HEIGHT_MM)
    if ctx.blanko:
        return Built(KIND, doc, None, ctx.nomor_ba)
    att = ctx.attendance
    closing = add_par(
        doc,
        f"Jumlah hadir: {att.hadir} orang ({att.laki} laki-laki, {att.perempuan} perempuan).",
        space_before=6,
        space_after=6,
    )
    signer = ctx.signer("camat" if ctx.level == "kecamatan" else "kepala-desa")
    slot = add_signature_block(
        doc,
        [signer],
        place_date=ctx.place_date,
        draft=ctx.draft,
        closing=closing,
        after_table=table,
    )
    summary = {"h": att.hadir, "l": att.laki, "w": att.perempuan}
    return Built(KIND, doc, slot, ctx.nomor_ba, summary)


def sheet(ctx: DocContext) -> Sheet:
    """The list as a table to check or re-use: no NIK and no phone numbers here either."""
    columns = [
        "No",
        "Nama",
        "L/P",
        "Lembaga",
        "Unsur",
        "Desa",
        "Jabatan",
        "Delegasi",
        "Hak suara",
        "Hadir pukul",
        "Pulang pukul",
    ]
    rows = [
        [
            i,
            p["nama"],
            p.get("jenis_kelamin") or "",
            p.get("lembaga") or "",
            p.get("unsur") or "",
            p.get("desa") or "",
            p.get("jabatan") or "",
            "ya" if p.get("delegasi") else "tidak",
            "ya" if p.get("hak_suara") else "tidak",
            _clock(p.get("hadir_pukul")),
            _clock(p.get("pulang_pukul")),
        ]
        for i, p in enumerate(people(ctx), start=1)
    ]
    notes = [f"Daftar Hadir {ctx.forum_name}", f"Tanggal: {ctx.tanggal_text}"]
    return Sheet("Daftar Hadir", columns, rows, notes)


def _clock(value: str | None) -> str:
    from datetime import datetime

    return format_clock(datetime.fromisoformat(value)) if value else ""
