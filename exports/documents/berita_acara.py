"""Berita Acara: the record of what the forum agreed, signed by the level's officials.

Two forms (DOMAIN.md section 3). Kecamatan: "Berita Acara Hasil Kesepakatan", the date
written out in words, participants counted per unsur, MENYEPAKATI KESATU ... with the
lampiran, the 3 utusan, signed by the Camat as penanggung jawab and the head of the
organising team (or the chair). Desa: "Pada hari ini ...", materi, pimpinan/notulis/
narasumber, the agreement with its method, signed by the Kepala Desa, the Ketua BPD and a
wakil masyarakat.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from exports.documents.context import DocContext, Signer
from exports.documents.kop import add_kop
from exports.documents.page import (
    LAMPIRAN,
    ORDINALS,
    add_heading,
    add_numbered,
    add_title,
    ba_title,
    start_document,
)
from exports.documents.signature_block import add_signature_block
from exports.docx_kit import Column, add_labelled_line, add_par, add_table
from exports.issuing import Built
from store.formatting import format_date_in_words, format_day_date, format_rupiah, terbilang
from store.meta import PRIORITY_METHODS
from store.unsur import UNSUR_NAMES

KIND = "berita-acara"
STATUS_WORDS = ("cadangan", "tidak diakomodir")


def build(ctx: DocContext) -> Built:
    doc = start_document(ctx, footer_note=ba_title(ctx))
    add_kop(doc, ctx)
    if ctx.level == "kecamatan":
        closing = _body_kecamatan(doc, ctx)
        signers = _signers_kecamatan(ctx)
    else:
        closing = _body_desa(doc, ctx)
        signers = [
            ctx.signer("ketua-bpd"),
            ctx.signer("wakil-masyarakat"),
            ctx.signer("kepala-desa", atas="Mengetahui,"),
        ]
    slot = add_signature_block(
        doc, signers, place_date=ctx.place_date, draft=ctx.draft, closing=closing
    )
    return Built(KIND, doc, slot, ctx.nomor_ba, summary(ctx))


def summary(ctx: DocContext) -> dict[str, int]:
    """What the code says about this BA: attendance and the agreed proposals."""
    agreed = ctx.by_status("diakomodir")
    return {
        "h": ctx.attendance.hadir,
        "w": ctx.attendance.perempuan,
        "u": len(ctx.proposals),
        "a": len(agreed),
        "b": sum(p["biaya"] for p in agreed),
        "p": int(ctx.meta.get("pagu") or 0),
        "m": len(ctx.utusan),
    }


# --------------------------------------------------------------------------- kecamatan


def _body_kecamatan(doc, ctx: DocContext):
    meta = ctx.meta
    add_title(
        doc,
        [
            "BERITA ACARA",
            f"HASIL KESEPAKATAN MUSRENBANG {ctx.level_title.upper()}",
            f"TAHUN {ctx.tahun}",
            f"NOMOR: {ctx.nomor_ba or '....................'}",
        ],
    )
    when = format_date_in_words(ctx.tanggal) if ctx.tanggal else "...................."
    att = ctx.attendance
    add_par(
        doc,
        f"Pada hari ini {when}, bertempat di {meta.get('tempat') or '....................'}, "
        f"mulai pukul {ctx.pukul_text}, telah diselenggarakan Musyawarah Perencanaan "
        f"Pembangunan (Musrenbang) {ctx.level_title} dalam rangka penyusunan Rencana Kerja "
        f"Pemerintah Daerah (RKPD) Kabupaten {ctx.kabupaten_nama} Tahun {ctx.tahun}, "
        f"dipimpin oleh {ctx.person(meta.get('pimpinan'), meta.get('pimpinan_jabatan'))}, dan "
        f"dihadiri oleh {att.hadir} orang peserta ({att.laki} laki-laki dan {att.perempuan} "
        f"perempuan) sebagaimana tercantum dalam daftar hadir (Lampiran "
        f"{LAMPIRAN['daftar-hadir']}), dengan rincian unsur sebagai berikut:",
        align="justify",
        space_after=4,
    )
    _unsur_table(doc, ctx)
    _materi_and_people(doc, ctx)
    add_par(
        doc,
        f"{_decided(ctx)} Peserta Musrenbang {ctx.level_title}:",
        align="justify",
        space_before=8,
        space_after=4,
        keep_next=True,
    )
    add_par(doc, "MENYEPAKATI", bold=True, align="center", space_after=4, keep_next=True)
    _agreement(doc, ctx, _kecamatan_points(ctx))
    return add_par(
        doc,
        "Demikian berita acara ini dibuat untuk dipergunakan sebagaimana mestinya.",
        align="justify",
        space_before=8,
        space_after=8,
    )


def _kecamatan_points(ctx: DocContext) -> list[str]:
    agreed = ctx.by_status("diakomodir")
    cost = sum(p["biaya"] for p in agreed)
    within = ctx.within_pagu(agreed)
    points = [
        f"Daftar urutan kegiatan prioritas {ctx.level_title} Tahun {ctx.tahun} sebanyak "
        f"{len(agreed)} usulan dengan jumlah biaya {_rupiah_words(cost)}{within}, sebagaimana "
        f"tercantum dalam Lampiran {LAMPIRAN['rekap']} bagian A.",
        _not_agreed_point(ctx),
        _utusan_point(
            ctx,
            "Forum Perangkat Daerah dan Musrenbang Kabupaten "
            f"{ctx.kabupaten_nama} Tahun {ctx.tahun}",
        ),
    ]
    if ctx.meta.get("hasil_keputusan"):
        points.append(ctx.meta["hasil_keputusan"])
    points.append(_lampiran_point())
    return points


def _lampiran_point() -> str:
    """The last point of every BA: its attachments are part of it (so a page of the
    attendance list or the recap cannot be swapped without breaking the BA)."""
    return (
        f"Lampiran {LAMPIRAN['daftar-hadir']} (Daftar Hadir) dan Lampiran {LAMPIRAN['rekap']} "
        "(Rekapitulasi Usulan) merupakan bagian yang tidak terpisahkan dari Berita Acara ini."
    )


def _signers_kecamatan(ctx: DocContext) -> list[Signer]:
    """The head of the organising team (or the chair, if not the Camat) and the Camat."""
    camat = ctx.signer("camat", bawah="selaku Penanggung Jawab")
    left = ctx.signer("ketua-tim")
    if not left.nama:
        chair = ctx.signer("pimpinan-sidang")
        if chair.nama and chair.nama != camat.nama:
            left = chair
    return [left, camat]


def _unsur_table(doc, ctx: DocContext) -> None:
    counts = ctx.attendance.per_unsur
    order = [u for u in UNSUR_NAMES if counts.get(u)] + [
        u for u in counts if u not in UNSUR_NAMES and counts[u]
    ]
    rows = [[str(i), u, str(counts[u])] for i, u in enumerate(order, start=1)]
    rows.append(["", "Jumlah", str(sum(counts[u] for u in order))])
    columns = [
        Column("No", 10, "center"),
        Column("Unsur", 80),
        Column("Jumlah (orang)", 30, "center"),
    ]
    add_table(doc, columns, rows, size_pt=10)


# --------------------------------------------------------------------------- desa


def _body_desa(doc, ctx: DocContext):
    meta = ctx.meta
    title = [
        "BERITA ACARA",
        "MUSYAWARAH PERENCANAAN PEMBANGUNAN DESA",
        f"{ctx.level_title.upper()} KECAMATAN {ctx.kecamatan_nama.upper()}",
        f"TAHUN {ctx.tahun}",
        f"NOMOR: {ctx.nomor_ba or '....................'}",
    ]
    add_title(doc, title)
    when = format_day_date(ctx.tanggal) if ctx.tanggal else "...................."
    att = ctx.attendance
    add_par(
        doc,
        f"Pada hari ini {when}, pukul {ctx.pukul_text}, bertempat di "
        f"{meta.get('tempat') or '....................'}, telah diselenggarakan Musyawarah "
        f"Perencanaan Pembangunan Desa (Musrenbang Desa) {ctx.level_title} dalam rangka "
        f"penyusunan Rencana Kerja Pemerintah Desa (RKP Desa) Tahun {ctx.tahun}, yang "
        f"dihadiri oleh {att.hadir} orang ({att.laki} laki-laki dan {att.perempuan} perempuan) "
        f"sebagaimana tercantum dalam daftar hadir (Lampiran {LAMPIRAN['daftar-hadir']}).",
        align="justify",
        space_after=4,
    )
    _materi_and_people(doc, ctx)
    add_heading(doc, "C. Kesepakatan")
    add_par(
        doc,
        f"{_decided(ctx)} Peserta Musrenbang Desa menyepakati:",
        align="justify",
        space_after=4,
        keep_next=True,
    )
    agreed = ctx.by_status("diakomodir")
    points = [
        f"Daftar usulan prioritas {ctx.level_title} Tahun {ctx.tahun} sebanyak {len(agreed)} "
        f"usulan dengan jumlah biaya {_rupiah_words(sum(p['biaya'] for p in agreed))}, "
        f"sebagaimana tercantum dalam Lampiran {LAMPIRAN['rekap']} bagian A.",
        _not_agreed_point(ctx),
        _utusan_point(ctx, f"Musrenbang Kecamatan {ctx.kecamatan_nama} Tahun {ctx.tahun}"),
    ]
    if meta.get("hasil_keputusan"):
        points.append(meta["hasil_keputusan"])
    points.append(_lampiran_point())
    _agreement(doc, ctx, points)
    return add_par(
        doc,
        "Demikian berita acara ini dibuat dengan sebenarnya untuk dipergunakan sebagaimana "
        "mestinya.",
        align="justify",
        space_before=8,
        space_after=8,
    )


# --------------------------------------------------------------------------- shared parts


def _materi_and_people(doc, ctx: DocContext) -> None:
    meta = ctx.meta
    add_heading(doc, "A. Materi pembahasan")
    add_numbered(doc, list(meta.get("materi") or []) or ["-"], indent_mm=5)
    add_heading(doc, "B. Pimpinan rapat, notulis dan narasumber")
    add_labelled_line(
        doc,
        "Pimpinan rapat",
        ctx.person(meta.get("pimpinan"), meta.get("pimpinan_jabatan")),
        label_mm=32,
        indent_mm=5,
    )
    add_labelled_line(
        doc,
        "Notulis",
        ctx.person(meta.get("notulis"), meta.get("notulis_jabatan")),
        label_mm=32,
        indent_mm=5,
    )
    speakers = meta.get("narasumber") or []
    if not speakers:
        add_labelled_line(doc, "Narasumber", "-", label_mm=32, indent_mm=5)
    for i, speaker in enumerate(speakers, start=1):
        value = f"{i}. {ctx.person(speaker.get('nama'), speaker.get('jabatan'))}"
        add_labelled_line(
            doc, "Narasumber" if i == 1 else "", value, label_mm=32, indent_mm=5, colon=i == 1
        )


def _agreement(doc, ctx: DocContext, points: list[str]) -> None:
    """``KESATU : text`` with the text hanging after the ordinal."""
    for ordinal, text in zip(ORDINALS, points, strict=False):
        add_labelled_line(doc, ordinal, text, label_mm=24, align="justify", space_after=3)


def _not_agreed_point(ctx: DocContext) -> str:
    """Cadangan and tidak diakomodir with their reasons; proposals not decided yet are
    named apart (never as not accommodated), as the rekap's part C lists them."""
    rest = ctx.by_status("cadangan", "tidak diakomodir")
    undecided = ctx.by_status("diusulkan")
    pending = (
        f" Sebanyak {len(undecided)} usulan belum diputuskan forum, tercantum dalam Lampiran "
        f"{LAMPIRAN['rekap']} bagian C."
        if undecided
        else ""
    )
    if not rest:
        return "Tidak ada usulan yang menjadi cadangan atau tidak diakomodir." + pending
    reasons = Counter(_reason(p) for p in rest)
    listed = "; ".join(f"{reason} ({n} usulan)" for reason, n in reasons.most_common())
    statuses = Counter(p["status"] for p in rest)
    parts = ", ".join(f"{statuses[s]} {s}" for s in STATUS_WORDS if statuses[s])
    return (
        f"Usulan yang belum dapat diakomodir sebanyak {len(rest)} usulan ({parts}) dengan "
        f"alasan: {listed}; rincian setiap usulan beserta alasannya tercantum dalam Lampiran "
        f"{LAMPIRAN['rekap']} bagian B.{pending}"
    )


def _reason(proposal: dict) -> str:
    return (proposal.get("alasan") or "tanpa alasan tercatat").strip().rstrip(".")


def _utusan_point(ctx: DocContext, where: str) -> str:
    people = ctx.utusan
    if not people:
        return f"Utusan untuk mengawal usulan pada {where} belum ditetapkan."
    names = "; ".join(
        f"{i}) {ctx.person(u.get('nama'), _joined(ctx.post(u.get('jabatan')), u.get('lembaga')))}"
        for i, u in enumerate(people, start=1)
    )
    return (
        f"Menetapkan {len(people)} orang utusan yang diberi mandat mengawal usulan pada "
        f"{where}, yaitu: {names}."
    )


def _joined(*parts: str | None) -> str:
    return ", ".join(p for p in parts if p)


def _priority_method(ctx: DocContext) -> str:
    """How priorities were set, to follow "penentuan prioritas": the header's method only
    when its marks exist (a score, a counted hand or a ballot), else the discussion it was."""
    key = ctx.meta.get("metode_prioritas") or "skoring"
    if not priority_method_used(key, ctx.forum.priority):
        return "melalui pembahasan bersama"
    return "dengan metode " + PRIORITY_METHODS.get(key, key).lower().replace("(", "").replace(
        ")", ""
    )


def priority_method_used(key: str, priority: Any) -> bool:
    """Whether the forum holds the marks of priority method ``key``: any score for
    ``skoring``, any counted hand for ``voting``, any ballot for ``surat_suara``."""
    if key == "skoring":
        return any(any(v is not None for v in row.values()) for row in priority.scores().values())
    if key == "voting":
        return any(priority.tallies().values())
    return bool(priority.ballots())


def _decided(ctx: DocContext) -> str:
    """The sentence before the agreement: the discussion, then how decisions were taken
    only when something records it (never a method that did not happen)."""
    lead = f"Setelah dilakukan pembahasan dan penentuan prioritas {_priority_method(ctx)}"
    phrase = decision_phrase(ctx)
    return f"{lead}, keputusan diambil secara {phrase}." if phrase else f"{lead}."


def decision_phrase(ctx: DocContext) -> str | None:
    """How the forum decided, as its minutes record it, to follow "keputusan diambil
    secara": ``musyawarah mufakat`` only when every decision was by consensus,
    ``pemungutan suara (hasil: ...)`` when they were voted, and a consensus with the voted
    decisions named when both happened. Without decisions in the minutes, a vote the header
    records with its result; else None: nothing records a method, so none is claimed
    (readiness blocks final on it, ``store.readiness.no_decision_recorded``)."""
    decisions = [m for m in ctx.forum.minutes.all() if m.get("jenis") == "keputusan"]
    voted = [m for m in decisions if m.get("metode") == "voting"]
    if not decisions:
        result = str(ctx.meta.get("hasil_keputusan") or "").strip()
        if ctx.meta.get("metode_keputusan") == "voting" and result:
            return f"pemungutan suara (hasil: {result})"
        return None
    if not voted:
        return "musyawarah mufakat"
    results = "; ".join(_vote_result(m, named=len(voted) > 1) for m in voted)
    if len(voted) == len(decisions):
        return f"pemungutan suara ({results})"
    if len(voted) == 1:
        what = voted[0]["teks"].strip().rstrip(".")
        return (
            f"musyawarah mufakat, kecuali keputusan \u201c{what}\u201d yang diambil dengan "
            f"pemungutan suara ({_vote_result(voted[0], named=False)})"
        )
    return f"musyawarah mufakat, kecuali {len(voted)} keputusan dengan pemungutan suara ({results})"


def _vote_result(decision: dict, *, named: bool) -> str:
    result = f"hasil: {decision.get('hasil') or 'tidak tercatat'}"
    return f"{decision['teks'].strip().rstrip('.')}, {result}" if named else result


def _rupiah_words(amount: int) -> str:
    return f"{format_rupiah(amount)} ({terbilang(amount)})"
