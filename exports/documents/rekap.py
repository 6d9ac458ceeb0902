"""Rekapitulasi Usulan (Lampiran II of the BA), landscape.

A. the agreed proposals: the Permendagri 86/2017 T-D.4 columns (No prioritas, Prioritas
Daerah, Sasaran Daerah, Program, Kegiatan Prioritas, Sasaran Kegiatan, Lokasi, Volume, Pagu,
Perangkat Daerah) plus desa pengusul, sumber dana, status and score; grouped by sector (a
kecamatan), by RKP Desa bidang I-V (a desa) or by desa, each group with its subtotal; the
total against the pagu (what the pagu pays: ``store.ranking.pagu_charge``). B. every
proposal not agreed (cadangan, tidak diakomodir), each with its reason; C. those not yet
decided, as "belum diputuskan" (never counted as not agreed). The spreadsheet form lists
every proposal in the column order SIPD asks for, so it can be re-typed there column by column.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import PurePath
from typing import Any

from exports.documents.context import DocContext
from exports.documents.page import add_heading, add_lampiran_block, add_title, start_document
from exports.documents.signature_block import add_signature_block
from exports.docx_kit import (
    Column,
    add_par,
    add_table,
    append_rows,
    cell_margins,
    fit_words,
    keep_table_on_one_page,
    merge_cells,
    text_width_mm,
)
from exports.issuing import Built
from exports.spreadsheet import Sheet
from store.formatting import format_decimal_id, format_rupiah
from store.ranking import pagu_absent_text
from store.rpjmd import td4_columns
from store.sectors import bidang_of, bidang_title

KIND = "rekap"
GROUPINGS = ("sektor", "bidang", "desa")
NOT_AGREED = ("cadangan", "tidak diakomodir")
#: No decision yet: never "tidak disepakati" (part B); listed apart as "belum diputuskan"
#: (part C), as readiness warns before final (store.readiness.undecided).
UNDECIDED = "diusulkan"
STATUS_SHOWN = {UNDECIDED: "belum diputuskan"}
SIZE = 8
GROUP_SHADE = "E7E6E6"
TOTAL_SHADE = "F2F2F2"
# (header, relative width, alignment); widths are scaled to the page.
_A = [
    ("No", 7, "center"),
    ("Prioritas Daerah", 17, "left"),
    ("Sasaran Daerah", 16, "left"),
    ("Program", 15, "left"),
    ("Kegiatan Prioritas", 40, "left"),
    ("Sasaran Kegiatan", 19, "left"),
    ("Lokasi", 23, "left"),
    ("Desa Pengusul", 19, "left"),
    ("Volume", 15, "center"),
    ("Pagu (Rp)", 22, "right"),
    ("Perangkat Daerah", 23, "left"),
    ("Sumber Dana", 19, "left"),
    ("Peringkat", 15, "center"),
    ("{measure}", 10, "center"),
]
# A desa's own form: Daftar Usulan RKP Desa (Permendagri 114/2014), grouped by bidang I-V.
_A_DESA = [
    ("No", 7, "center"),
    ("Bidang/Jenis Kegiatan", 48, "left"),
    ("Lokasi (Dusun/RT/RW)", 28, "left"),
    ("Prakiraan Volume", 17, "center"),
    ("Sasaran/ Manfaat", 24, "left"),
    ("Waktu Pelaksanaan", 18, "center"),
    ("Prakiraan Biaya (Rp)", 22, "right"),
    ("Sumber Biaya", 22, "left"),
    ("Pola Pelaksanaan", 24, "left"),
]
#: Sources a desa spends itself: what they fund it carries out itself (swakelola).
DESA_FUNDS = frozenset({"APBDes", "DD", "ADD", "Swadaya"})
UPWARD = {"APBD Kab": "Kabupaten", "APBD Prov": "Provinsi", "APBN": "Pemerintah Pusat"}
_B = [
    ("No", 10, "center"),
    ("Kegiatan", 44, "left"),
    ("Desa Pengusul", 23, "left"),
    ("Lokasi", 26, "left"),
    ("Volume", 16, "center"),
    ("Biaya (Rp)", 23, "right"),
    ("Sumber Dana", 22, "left"),
    ("Perangkat Daerah", 24, "left"),
    ("Status", 18, "left"),
    ("Alasan", 40, "left"),
    ("{measure}", 12, "center"),
]
MEASURE = {"skoring": "Nilai", "voting": "Suara", "surat_suara": "Poin"}


def build(ctx: DocContext, group_by: str | None = None) -> Built:
    group_by = group_by or default_grouping(ctx)
    if group_by not in GROUPINGS:
        raise ValueError(f"Pengelompokan '{group_by}' tidak dikenal: pilih {', '.join(GROUPINGS)}.")
    doc = start_document(ctx, footer_note=f"Rekapitulasi Usulan {ctx.forum_name}", landscape=True)
    width = text_width_mm(doc.sections[0])
    add_lampiran_block(doc, ctx, KIND)
    desa = ctx.level == "desa"
    add_title(doc, _title(ctx))
    measure = MEASURE.get(ctx.meta.get("metode_prioritas") or "skoring", "Nilai")
    agreed = _rank_sorted(ctx, ctx.by_status("diakomodir"))
    add_heading(doc, f"A. Usulan yang disepakati ({_count_label(agreed)})", space_before=0)
    row_of = _desa_row if desa else _a_row
    a_rows = {p["id"]: row_of(ctx, p) for p in agreed}
    money = 6 if desa else 9
    total_row = [""] * money + [_money(sum(p["biaya"] for p in agreed))]
    widest = [[str(len(agreed)), *row[1:]] for row in a_rows.values()]  # the No printed last
    a_columns = _fitted(_A_DESA if desa else _A, width, measure, widest, [total_row])
    _agreed_table(doc, agreed, a_rows, a_columns, group_by, money=money)
    _totals(doc, ctx, agreed)
    rest = _not_agreed(ctx)
    add_heading(doc, f"B. Usulan yang tidak disepakati ({_count_label(rest)}), dengan alasannya")
    table = _listed_table(doc, ctx, rest, width, measure)
    undecided = _rank_sorted(ctx, ctx.by_status(UNDECIDED))
    if undecided:
        add_heading(doc, f"C. Usulan yang belum diputuskan forum ({_count_label(undecided)})")
        table = _listed_table(doc, ctx, undecided, width, measure)
    closing = add_par(
        doc,
        "Demikian rekapitulasi usulan ini dibuat dengan sebenarnya.",
        space_before=6,
        space_after=6,
    )
    signers = [ctx.signer("camat")] if ctx.level == "kecamatan" else [ctx.signer("kepala-desa")]
    if ctx.level == "kecamatan":
        signers.insert(0, ctx.signer("sekcam", atas="Paraf,"))
    slot = add_signature_block(
        doc,
        signers,
        place_date=ctx.place_date,
        draft=ctx.draft,
        closing=closing,
        after_table=table,
    )
    return Built(KIND, doc, slot, ctx.nomor_ba, summary(ctx))


def summary(ctx: DocContext) -> dict[str, int]:
    agreed = ctx.by_status("diakomodir")
    return {
        "u": len(ctx.proposals),
        "a": len(agreed),
        "c": len(ctx.by_status("cadangan")),
        "x": len(ctx.by_status("tidak diakomodir")),
        "b": sum(p["biaya"] for p in agreed),
        "t": sum(p["biaya"] for p in ctx.proposals),
        "p": int(ctx.meta.get("pagu") or 0),
    }


def default_grouping(ctx: DocContext) -> str:
    """A kecamatan recap groups by sector, a desa's (its RKP Desa) by bidang I-V."""
    return "sektor" if ctx.level == "kecamatan" else "bidang"


# --------------------------------------------------------------------------- A


def _title(ctx: DocContext) -> list[str]:
    if ctx.level == "kecamatan":
        return [
            "REKAPITULASI USULAN",
            f"DAFTAR URUTAN KEGIATAN PRIORITAS {ctx.level_title.upper()}",
            f"HASIL MUSRENBANG {ctx.level_title.upper()} TAHUN {ctx.tahun}",
        ]
    return [
        "DAFTAR USULAN RENCANA KERJA PEMERINTAH DESA (RKP DESA)",
        f"{ctx.level_title.upper()} KECAMATAN {ctx.kecamatan_nama.upper()}",
        f"HASIL MUSRENBANG DESA TAHUN {ctx.tahun}",
    ]


def _agreed_table(
    doc,
    agreed: list[dict[str, Any]],
    rows: dict[int, list[str]],
    columns: list[Column],
    group_by: str,
    *,
    money: int,
) -> None:
    """Rows grouped under shaded headings (in rank order within a group), each group with
    its subtotal in the ``money`` column, then the grand total. Column (1) numbers the rows
    in the order printed (1, 2, 3 ...): grouped rows are not in rank order across groups,
    so the forum's rank has its own Peringkat column (T-D.4: "nomor urut", never a rank
    that jumps 1, 2, 12, 17, 3)."""
    table = add_table(
        doc,
        columns,
        [],
        size_pt=SIZE,
        header_rows=[[c.header for c in columns], [f"({i})" for i in range(1, len(columns) + 1)]],
    )
    cell_margins(table)
    if not agreed:
        empty = ["", "Belum ada usulan yang disepakati."] + [""] * (len(columns) - 2)
        merge_cells(append_rows(table, columns, [empty], size_pt=SIZE)[0], 1, len(columns) - 1)
        return
    key = _group_key(group_by)
    groups: dict[str, list[dict[str, Any]]] = {}
    for proposal in agreed:
        groups.setdefault(key(proposal), []).append(proposal)
    last = len(columns) - 1
    pagu_col = money
    printed = 0  # column (1) runs 1, 2, 3 ... down the page, whatever the grouping
    for name in sorted(groups, key=_group_order(group_by)):
        members = groups[name]
        heading = append_rows(
            table,
            columns,
            [[name] + [""] * last],
            size_pt=SIZE,
            bold=True,
            shade=GROUP_SHADE,
            keep_next=True,
        )
        merge_cells(heading[0], 0, last)
        numbered = [[str(printed + i), *rows[p["id"]][1:]] for i, p in enumerate(members, 1)]
        printed += len(members)
        append_rows(table, columns, numbered, size_pt=SIZE)
        cost = sum(p["biaya"] for p in members)
        subtotal = [f"Jumlah {name} ({len(members)} usulan)"] + [""] * (pagu_col - 1)
        subtotal += [_money(cost)] + [""] * (last - pagu_col)
        row = append_rows(table, columns, [subtotal], size_pt=SIZE, bold=True, shade=TOTAL_SHADE)[0]
        merge_cells(row, pagu_col + 1, last)
        merge_cells(row, 0, pagu_col - 1)
    total = [f"JUMLAH ({len(agreed)} usulan)"] + [""] * (pagu_col - 1)
    total += [_money(sum(p["biaya"] for p in agreed))] + [""] * (last - pagu_col)
    row = append_rows(table, columns, [total], size_pt=SIZE, bold=True, shade=GROUP_SHADE)[0]
    if pagu_col < last:
        merge_cells(row, pagu_col + 1, last)
    merge_cells(row, 0, pagu_col - 1)


def _a_row(ctx: DocContext, p: dict[str, Any]) -> list[str]:
    """One T-D.4 row; columns (2)-(4) from the proposal, else the office's RPJMD mapping.
    Column (1) is numbered where the row is printed (:func:`_agreed_table`); the forum's
    rank has its own column (Peringkat), as part A is always "diakomodir"."""
    ranked = ctx.ranked.get(p["id"])
    rpjmd = td4_columns(p, ctx.rpjmd)
    return [
        "",
        rpjmd["prioritas_daerah"],
        rpjmd["sasaran_daerah"],
        rpjmd["program"],
        p["kegiatan"],
        p.get("sasaran_kegiatan") or _beneficiaries(p),
        p.get("lokasi") or "",
        p.get("desa") or "",
        _volume(p),
        _money(p["biaya"]),
        p.get("opd_tujuan") or "",
        _funding(p),
        _rank(ranked),
        _measure(ranked),
    ]


def _desa_row(ctx: DocContext, p: dict[str, Any]) -> list[str]:
    """One row of the Daftar Usulan RKP Desa (its No is numbered where it is printed)."""
    return [
        "",
        p["kegiatan"],
        p.get("lokasi") or "",
        _volume(p),
        p.get("sasaran_kegiatan") or _beneficiaries(p),
        f"Tahun {ctx.tahun}",
        _money(p["biaya"]),
        _funding(p),
        _pattern(p),
    ]


def _pattern(p: dict[str, Any]) -> str:
    """Pola pelaksanaan: what the desa funds itself it carries out itself (swakelola);
    the rest is proposed to the government that funds it."""
    sources = [s["sumber"] for s in p.get("sumber_dana") or []]
    upward = [UPWARD[s] for s in sources if s in UPWARD]
    own = [s for s in sources if s in DESA_FUNDS]
    parts = (["Swakelola"] if own or not sources else []) + [f"Usulan ke {u}" for u in upward]
    return "; ".join(dict.fromkeys(parts)) or "Swakelola"


def _totals(doc, ctx: DocContext, agreed) -> None:
    """Total of the agreed proposals against the pagu indikatif."""
    cost = sum(p["biaya"] for p in agreed)
    charged = ctx.pagu_charged(agreed)
    pagu = int(ctx.meta.get("pagu") or 0)
    lines = [
        (
            "Jumlah seluruh usulan",
            f"{len(ctx.proposals)} usulan, {format_rupiah(sum(p['biaya'] for p in ctx.proposals))}",
        ),
        ("Jumlah usulan disepakati", f"{len(agreed)} usulan, {format_rupiah(cost)}"),
    ]
    undecided = ctx.by_status(UNDECIDED)
    if undecided:
        lines.append(("Jumlah usulan belum diputuskan", _count_label(undecided)))
    if pagu:
        if charged != cost:
            lines.append(("Dibebankan pada pagu", format_rupiah(charged)))
        lines.append(("Pagu indikatif", format_rupiah(pagu)))
        lines.append(("Sisa pagu", format_rupiah(pagu - charged)))
    else:
        lines.append(("Pagu indikatif", pagu_absent_text(ctx.meta)))
    add_par(doc, space_after=4)  # two tables in a row would merge into one
    columns = [Column("Uraian", 70), Column("Jumlah", 70)]
    table = add_table(
        doc, columns, [], size_pt=9, borders=True, repeat_header=False, header_rows=[]
    )
    append_rows(table, columns, [list(line) for line in lines], size_pt=9)
    keep_table_on_one_page(table)  # "Sisa pagu" never a page away from the pagu
    table.alignment = 0  # left
    add_par(doc, space_after=2)


# --------------------------------------------------------------------------- B


def _listed_table(doc, ctx: DocContext, proposals, width: float, measure: str):
    """Part B or C: one row per proposal with its status and reason."""
    rows = [_b_row(ctx, i, p) for i, p in enumerate(proposals, start=1)]
    columns = _fitted(_B, width, measure, rows)
    table = add_table(doc, columns, [], size_pt=SIZE)
    cell_margins(table)
    append_rows(table, columns, rows or [["", "Tidak ada."] + [""] * 9], size_pt=SIZE)
    return table


def _not_agreed(ctx: DocContext) -> list[dict[str, Any]]:
    """Cadangan first (the reserve list, by rank), then refused."""
    rest = ctx.by_status(*NOT_AGREED)
    order = {status: i for i, status in enumerate(NOT_AGREED)}
    ranked = _rank_sorted(ctx, rest)
    return sorted(ranked, key=lambda p: order[p["status"]])


def _b_row(ctx: DocContext, i: int, p: dict[str, Any]) -> list[str]:
    return [
        str(i),
        p["kegiatan"],
        p.get("desa") or "",
        p.get("lokasi") or "",
        _volume(p),
        _money(p["biaya"]),
        _funding(p),
        p.get("opd_tujuan") or "",
        STATUS_SHOWN.get(p["status"], p["status"]),
        _reason(p),
        _measure(ctx.ranked.get(p["id"])),
    ]


# --------------------------------------------------------------------------- spreadsheet


SIPD_COLUMNS = [
    "Kamus Usulan",
    "Permasalahan",
    "Alamat/Lokasi",
    "Volume",
    "Satuan",
    "Foto",
    "OPD Tujuan",
    "Desa",
    "Sumber Usulan",
    "Bidang",
    "Kegiatan",
    "Penerima Manfaat",
    "Biaya (Rp)",
    "Sumber Dana",
    "Status",
    "Alasan",
    "Peringkat",
    "Nilai",
    "Catatan",
    "Prioritas Daerah",
    "Sasaran Daerah",
    "Program",
]


def sheet(ctx: DocContext, group_by: str | None = None) -> Sheet:
    """Every proposal, in SIPD's column order first (kamus usulan ... OPD tujuan)."""
    rows = []
    for p in _rank_sorted(ctx, ctx.proposals):
        ranked = ctx.ranked.get(p["id"])
        rows.append(
            [
                p.get("kamus_usulan") or "",
                p.get("permasalahan") or "",
                p.get("lokasi") or "",
                p.get("volume"),
                p.get("satuan") or "",
                "; ".join(PurePath(f).name for f in p.get("foto") or []),
                p.get("opd_tujuan") or "",
                p.get("desa") or "",
                p.get("sumber") or "",
                p.get("bidang") or "",
                p["kegiatan"],
                p.get("penerima_manfaat"),
                p["biaya"],
                _funding(p, sep="; "),
                p.get("status") or "",
                p.get("alasan") or "",
                ranked.rank if ranked and ranked.rank else None,
                ranked.nilai
                if ranked and ranked.nilai is not None
                else (ranked.suara if ranked else None),
                p.get("catatan") or "",
                *td4_columns(p, ctx.rpjmd).values(),
            ]
        )
    notes = [f"Rekapitulasi Usulan {ctx.forum_name}", f"Tanggal: {ctx.tanggal_text}"]
    return Sheet("Rekap Usulan", SIPD_COLUMNS, rows, notes, frozenset({"Biaya (Rp)"}))


# --------------------------------------------------------------------------- helpers


def _columns(spec, width: float, measure: str) -> list[Column]:
    total = sum(w for _, w, _ in spec)
    return [Column(h.format(measure=measure), w * width / total, a) for h, w, a in spec]


def _fitted(spec, width: float, measure: str, rows, totals=()) -> list[Column]:
    """The columns scaled to the page, then resized so no word or number breaks, the bold
    ``totals`` rows (the grand total, the widest amount) included."""
    return fit_words(
        _columns(spec, width, measure), rows, size_pt=SIZE, margin_mm=1.2, bold_rows=totals
    )


def _rank_sorted(ctx: DocContext, proposals) -> list[dict[str, Any]]:
    def key(p):
        ranked = ctx.ranked.get(p["id"])
        rank = ranked.rank if ranked and ranked.rank else None
        return (rank is None, rank or 0, p.get("urutan", 0), p["id"])

    return sorted(proposals, key=key)


def _group_key(group_by: str) -> Callable[[dict[str, Any]], str]:
    if group_by == "desa":
        return lambda p: f"Desa {p['desa']}" if p.get("desa") else "Usulan tingkat kecamatan"
    if group_by == "bidang":

        def bidang(p):
            code = bidang_of(p.get("bidang") or "")
            return f"Bidang {bidang_title(code)}" if code else "Bidang belum dipetakan"

        return bidang
    return lambda p: f"Sektor {p.get('bidang') or 'lainnya'}"


def _group_order(group_by: str) -> Callable[[str], Any]:
    if group_by == "bidang":  # I, II, III, IV, V in order, unmapped last
        romans = ["I.", "II.", "III.", "IV.", "V."]
        return lambda name: next(
            (i for i, r in enumerate(romans) if name.startswith(f"Bidang {r}")), len(romans)
        )
    return lambda name: name


def _count_label(proposals) -> str:
    return f"{len(proposals)} usulan, {format_rupiah(sum(p['biaya'] for p in proposals))}"


def _money(amount: int) -> str:
    return format_decimal_id(amount, 0)


def _volume(p: dict[str, Any]) -> str:
    volume = p.get("volume")
    if volume in (None, ""):
        return p.get("satuan") or ""
    digits = 0 if float(volume).is_integer() else 2
    return f"{format_decimal_id(float(volume), digits)} {p.get('satuan') or ''}".strip()


def _beneficiaries(p: dict[str, Any]) -> str:
    n = p.get("penerima_manfaat")
    return f"{format_decimal_id(n, 0)} penerima manfaat" if n else ""


def _funding(p: dict[str, Any], sep: str = "\n") -> str:
    sources = p.get("sumber_dana") or []
    if len(sources) == 1:
        return sources[0]["sumber"]
    return sep.join(f"{s['sumber']}: {_money(s['jumlah'])}" for s in sources)


def _reason(p: dict[str, Any]) -> str:
    if p["status"] == UNDECIDED:
        return p.get("alasan") or "belum diputuskan forum"
    return p.get("alasan") or "tanpa alasan tercatat"


def _rank(ranked) -> str:
    return str(ranked.rank) if ranked and ranked.rank else "-"


def _measure(ranked) -> str:
    if ranked is None:
        return ""
    if ranked.nilai is not None:
        return format_decimal_id(ranked.nilai, 1)
    return str(ranked.suara) if ranked.suara is not None else ""
