"""Notulen: one consolidated record of the meeting, from the agenda and the minute entries.

Header (kegiatan, hari/tanggal, pukul, tempat), chair, note-taker, speakers, participant
counts, the running order, what was said under each agenda item (responses with who and
which unsur), the decisions with their method and result, the follow-up; signed by the
notulis, "Mengetahui" the chair.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from exports.documents.context import DocContext
from exports.documents.kop import add_kop
from exports.documents.page import add_heading, add_numbered, add_title, start_document
from exports.documents.signature_block import add_signature_block
from exports.docx_kit import Column, add_labelled_line, add_par, add_table, append_rows, merge_cells
from exports.issuing import Built
from exports.spreadsheet import Sheet
from store.agenda import DECISION_METHODS, MINUTE_KINDS
from store.formatting import format_clock, format_day_date
from store.forum_times import (
    NOT_RECORDED,
    PLANNED_MARK,
    PLANNED_NOTE,
    ForumWindow,
    agenda_clock,
    forum_window,
    held_span,
)

KIND = "notulen"
AGENDA_COLUMNS = [
    Column("No", 10, "center"),
    Column("Acara", 95),
    Column("Rencana", 30, "center"),
    Column("Pelaksanaan", 30, "center"),
]
ENTRY_COLUMNS = [Column("Pukul", 16, "center"), Column("Jenis", 24), Column("Uraian", 125)]
HEADING_SHADE = "E7E6E6"
DEFAULT_FOLLOW_UP = (
    "Hasil kesepakatan beserta lampirannya disampaikan kepada {tujuan} dengan surat pengantar"
)
#: Said only when the forum named its utusan (a draft may not have yet).
GUARDED_BY_UTUSAN = ", dan dikawal oleh {jumlah} orang utusan yang telah ditetapkan"


def build(ctx: DocContext) -> Built:
    doc = start_document(ctx, footer_note=f"Notulen {ctx.forum_name}")
    add_kop(doc, ctx)
    add_title(doc, ["NOTULEN", f"MUSRENBANG {ctx.level_title.upper()}", f"TAHUN {ctx.tahun}"])
    _header(doc, ctx)
    agenda = ctx.forum.agenda.all()
    minutes = ctx.forum.minutes.all()
    window = forum_window(ctx.meta, agenda)
    add_heading(doc, "A. Susunan acara")
    rows = [
        [
            str(i),
            a["judul"],
            _span(a.get("rencana_mulai"), a.get("rencana_selesai")),
            held_span(a, window),
        ]
        for i, a in enumerate(agenda, start=1)
    ]
    add_table(doc, AGENDA_COLUMNS, rows, size_pt=9.5)
    _planned_note(doc, rows)
    add_heading(doc, "B. Jalannya rapat")
    _planned_note(doc, _entries_table(doc, agenda, minutes, window))
    add_heading(doc, "C. Keputusan")
    decisions = [m for m in minutes if m["jenis"] == "keputusan"]
    add_numbered(
        doc,
        [_decision_text(m) for m in decisions] or ["Tidak ada keputusan tercatat."],
        indent_mm=5,
    )
    add_heading(doc, "D. Tindak lanjut")
    tujuan = (
        f"Pemerintah Kabupaten {ctx.kabupaten_nama}"
        if ctx.level == "kecamatan"
        else f"Kecamatan {ctx.kecamatan_nama}"
    )
    guarded = GUARDED_BY_UTUSAN.format(jumlah=len(ctx.utusan)) if ctx.utusan else ""
    follow_up = (
        ctx.meta.get("tindak_lanjut") or DEFAULT_FOLLOW_UP.format(tujuan=tujuan) + guarded + "."
    )
    closing = add_par(doc, follow_up, align="justify", space_after=10)
    signers = [
        ctx.signer("pimpinan-sidang", jabatan="Pimpinan Rapat", atas="Mengetahui,"),
        ctx.signer("notulis"),
    ]
    slot = add_signature_block(
        doc, signers, place_date=ctx.place_date, draft=ctx.draft, closing=closing
    )
    summary = {
        "h": ctx.attendance.hadir,
        "n": len(minutes),
        "k": len(decisions),
    }
    return Built(KIND, doc, slot, ctx.nomor_ba, summary)


def _header(doc, ctx: DocContext) -> None:
    meta, att = ctx.meta, ctx.attendance
    when = format_day_date(ctx.tanggal) if ctx.tanggal else "...................."
    lines = [
        (
            "Kegiatan",
            f"Musyawarah Perencanaan Pembangunan (Musrenbang) {ctx.level_title} Tahun {ctx.tahun}",
        ),
        ("Hari/Tanggal", when),
        ("Pukul", f"{ctx.pukul_text} s.d. selesai"),
        ("Tempat", meta.get("tempat") or "...................."),
        ("Pimpinan rapat", ctx.person(meta.get("pimpinan"), meta.get("pimpinan_jabatan"))),
        ("Notulis", ctx.person(meta.get("notulis"), meta.get("notulis_jabatan"))),
    ]
    for label, value in lines:
        add_labelled_line(doc, label, value, label_mm=32)
    speakers = meta.get("narasumber") or []
    for i, speaker in enumerate(speakers, start=1):
        add_labelled_line(
            doc,
            "Narasumber" if i == 1 else "",
            f"{i}. {ctx.person(speaker.get('nama'), speaker.get('jabatan'))}",
            label_mm=32,
            colon=i == 1,
        )
    peserta = f"{att.hadir} orang ({att.laki} laki-laki, {att.perempuan} perempuan)"
    if att.delegasi_total:
        peserta += f"; delegasi hadir {att.delegasi_hadir} dari {att.delegasi_total}"
    if att.kuorum_tercapai is not None:
        state = "tercapai" if att.kuorum_tercapai else "tidak tercapai"
        peserta += f"; kuorum {state} ({att.kuorum_keterangan})"
    add_labelled_line(doc, "Peserta", peserta, label_mm=32)


def _entries_table(
    doc, agenda: list[dict[str, Any]], minutes: list[dict[str, Any]], window: ForumWindow | None
) -> list[list[str]]:
    """Entries under their agenda item (a shaded heading row each), in time order; returns
    the entry rows as printed."""
    items = {a["id"]: a for a in agenda}
    table = add_table(doc, ENTRY_COLUMNS, [], size_pt=9.5)
    titles = {a["id"]: f"{i}. {a['judul']}" for i, a in enumerate(agenda, start=1)}
    groups: dict[int | None, list[dict[str, Any]]] = {}
    for entry in minutes:
        groups.setdefault(entry.get("agenda_id"), []).append(entry)
    order = [a["id"] for a in agenda if a["id"] in groups]
    if None in groups:
        order.append(None)
    if not order:
        append_rows(table, ENTRY_COLUMNS, [["", "", "Belum ada catatan."]], size_pt=9.5)
    printed: list[list[str]] = []
    for agenda_id in order:
        heading = append_rows(
            table,
            ENTRY_COLUMNS,
            [[titles.get(agenda_id, "Lain-lain"), "", ""]],
            size_pt=9.5,
            bold=True,
            shade=HEADING_SHADE,
            keep_next=True,
        )
        merge_cells(heading[0], 0, 2)
        rows = [
            [
                _entry_clock(m, items.get(agenda_id), window),
                MINUTE_KINDS.get(m["jenis"], m["jenis"]),
                _entry_text(m),
            ]
            for m in groups[agenda_id]
        ]
        append_rows(table, ENTRY_COLUMNS, rows, size_pt=9.5)
        printed += rows
    return printed


def _planned_note(doc, rows: list[list[str]]) -> None:
    """Explain :data:`PLANNED_MARK` under a table that printed a time from the plan."""
    if any(cell.endswith(PLANNED_MARK) for row in rows for cell in row):
        add_par(doc, PLANNED_NOTE, italic=True, size_pt=8.5, space_before=2)


def _entry_clock(
    entry: dict[str, Any], item: dict[str, Any] | None, window: ForumWindow | None
) -> str:
    """When it was said: the recorded time when it falls inside the forum (the susunan
    acara's span), else its agenda item's time; an entry typed after the forum never
    prints the evening it was typed."""
    recorded = _moment(entry["waktu"])
    if window is None or window.holds(recorded):
        return format_clock(recorded)
    return agenda_clock(item, window) or NOT_RECORDED


def _entry_text(entry: dict[str, Any]) -> str:
    if entry["jenis"] == "tanggapan":
        who = entry.get("pembicara_nama") or "Peserta"
        if entry.get("pembicara_unsur"):
            who += f" ({entry['pembicara_unsur']})"
        return f"{who}: {entry['teks']}"
    if entry["jenis"] == "keputusan":
        return _decision_text(entry)
    return entry["teks"]


def _decision_text(entry: dict[str, Any]) -> str:
    method = DECISION_METHODS.get(entry.get("metode") or "", "")
    text = entry["teks"]
    if method:
        text += f" ({method}"
        text += f"; hasil: {entry['hasil']})" if entry.get("hasil") else ")"
    return text


def sheet(ctx: DocContext) -> Sheet:
    items = ctx.forum.agenda.all()
    agenda = {a["id"]: a for a in items}
    window = forum_window(ctx.meta, items)  # the same times as the document
    columns = ["No", "Pukul", "Acara", "Jenis", "Pembicara", "Unsur", "Uraian", "Metode", "Hasil"]
    rows = [
        [
            i,
            _entry_clock(m, agenda.get(m.get("agenda_id")), window),
            (agenda.get(m.get("agenda_id")) or {}).get("judul", ""),
            MINUTE_KINDS.get(m["jenis"], m["jenis"]),
            m.get("pembicara_nama") or "",
            m.get("pembicara_unsur") or "",
            m["teks"],
            DECISION_METHODS.get(m.get("metode") or "", ""),
            m.get("hasil") or "",
        ]
        for i, m in enumerate(ctx.forum.minutes.all(), start=1)
    ]
    notes = [f"Notulen {ctx.forum_name}", f"Tanggal: {ctx.tanggal_text}"]
    if any(str(row[1]).endswith(PLANNED_MARK) for row in rows):
        notes.append(PLANNED_NOTE)
    return Sheet("Notulen", columns, rows, notes)


def _span(start: str | None, end: str | None) -> str:
    """``08.00-08.30``; one end alone as it is; nothing (not "-") when neither is known."""
    start, end = (start or "").replace(":", "."), (end or "").replace(":", ".")
    return f"{start}-{end}" if start and end else start or end


def _moment(value: str) -> datetime:
    return datetime.fromisoformat(value).replace(tzinfo=None)
