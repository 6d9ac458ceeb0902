"""What the Usulan table shows: filtering, sort orders and the cells of one proposal.

Pure functions and small dataclasses, no widgets, so the rules (what a filter matches, how
"nilai" orders, what a row looks like) are tested without running an app, and the pane can
compute a row once and reuse it for every re-sort or re-filter of 1,500 proposals.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, replace
from typing import Any

from rich.text import Text

from store.formatting import format_decimal_id, format_rupiah, format_rupiah_short
from store.ranking import RankedRow
from store.sectors import PROPOSAL_STATUSES
from store.short_names import middle_cut

# Sort orders cycled by ctrl+s, with the words the summary line shows.
SORTS: dict[str, str] = {
    "urutan": "urutan masuk",
    "biaya": "biaya terbesar",
    "desa": "desa",
    "status": "status",
    "nilai": "peringkat",
}
STATUS_STYLES: dict[str, str] = {
    "diusulkan": "",
    "diakomodir": "bold green",
    "cadangan": "yellow",
    "tidak diakomodir": "red",
}
STATUS_SHORT: dict[str, str] = {"tidak diakomodir": "tdk diakomodir"}
DUPLICATE_MARK = "≈ "
# Text the free-text filter searches, per proposal.
SEARCHED_FIELDS = (
    "kegiatan",
    "lokasi",
    "permasalahan",
    "desa",
    "sumber",
    "bidang",
    "opd_tujuan",
    "kamus_usulan",
    "catatan",
    "alasan",
)


@dataclass(frozen=True)
class Column:
    """One table column: its key, header, width (``None``: computed, see
    :func:`column_widths`), and the pane width from which it is shown (at 80 columns the
    activity text matters more than the extras)."""

    key: str
    label: str
    width: int | None
    shown_from: int = 0


COLUMNS: tuple[Column, ...] = (
    Column("no", "#", None),
    Column("kegiatan", "Kegiatan", None),
    Column("desa", "Desa", 11),
    Column("bidang", "Bidang", 13, shown_from=140),
    Column("biaya", "Biaya", 15),
    Column("dana", "Sumber dana", 11, shown_from=110),
    Column("status", "Status", 14),
    Column("nilai", "Nilai", 5, shown_from=100),
)
MIN_ACTIVITY_WIDTH = 16
SCROLLBAR_WIDTH = 2


def columns_for(width: int) -> tuple[Column, ...]:
    """The columns that fit a pane ``width`` cells wide."""
    return tuple(c for c in COLUMNS if width >= c.shown_from)


def column_widths(
    width: int, columns: Iterable[Column], largest_number: int, padding: int = 1
) -> dict[str, int]:
    """Every column's width: ``#`` as wide as the largest entry number, Kegiatan whatever
    the other columns, their cell padding and the vertical scrollbar leave."""
    cols = list(columns)
    widths = {c.key: c.width or 0 for c in cols}
    widths["no"] = max(1, len(str(largest_number)))
    used = sum(widths.values()) + 2 * padding * len(cols) + SCROLLBAR_WIDTH
    widths["kegiatan"] = max(MIN_ACTIVITY_WIDTH, width - used)
    return widths


@dataclass(frozen=True)
class Filter:
    """What the table shows; empty strings mean "semua"."""

    desa: str = ""
    bidang: str = ""
    status: str = ""
    teks: str = ""
    hanya_duplikat: bool = False

    @property
    def active(self) -> bool:
        return self != Filter()

    def matches(self, proposal: Mapping[str, Any], haystack: str) -> bool:
        """``haystack`` is the proposal's searchable text, lower case (see :func:`haystack`)."""
        if self.desa and proposal.get("desa") != self.desa:
            return False
        if self.bidang and proposal.get("bidang") != self.bidang:
            return False
        if self.status and proposal.get("status") != self.status:
            return False
        if self.hanya_duplikat and not proposal.get("duplikat_dari"):
            return False
        return all(word in haystack for word in self.teks.casefold().split())

    def describe(self) -> str:
        """In words: ``semua usulan`` or ``desa Japan, bidang Kesehatan, memuat "jalan",
        hanya kemungkinan duplikat``."""
        parts = [
            f"{label} {value}"
            for label, value in (
                ("desa", self.desa),
                ("bidang", self.bidang),
                ("status", self.status),
            )
            if value
        ]
        if self.teks:
            parts.append(f'memuat "{self.teks}"')
        if self.hanya_duplikat:
            parts.append("hanya kemungkinan duplikat")
        return ", ".join(parts) if parts else "semua usulan"

    def toggled_duplicates(self) -> Filter:
        return replace(self, hanya_duplikat=not self.hanya_duplikat)


def haystack(proposal: Mapping[str, Any]) -> str:
    """The text the free-text filter looks in, built once per proposal."""
    return " ".join(str(proposal.get(key) or "") for key in SEARCHED_FIELDS).casefold()


def next_sort(current: str) -> str:
    keys = list(SORTS)
    return keys[(keys.index(current) + 1) % len(keys)]


def sort_key(
    sort: str, positions: dict[int, int]
) -> Callable[[Mapping[str, Any]], tuple[Any, ...]]:
    """The key function ordering proposals by ``sort``; ties keep the entry order.
    ``positions`` is each proposal's place in the ranking (for ``nilai``)."""
    last = len(positions)
    status_order = {status: i for i, status in enumerate(PROPOSAL_STATUSES)}
    keys: dict[str, Callable[[dict[str, Any]], tuple[Any, ...]]] = {
        "urutan": lambda p: (p.get("urutan", 0),),
        "biaya": lambda p: (-(p.get("biaya") or 0), p.get("urutan", 0)),
        "desa": lambda p: ((p.get("desa") or "").casefold(), p.get("urutan", 0)),
        "status": lambda p: (status_order.get(p.get("status"), 9), p.get("urutan", 0)),
        "nilai": lambda p: (positions.get(p["id"], last), p.get("urutan", 0)),
    }
    return keys[sort]


def measure_text(metode: str, row: RankedRow | None) -> str:
    """The Nilai cell: the score (skoring) or the votes/points, ``-`` when not measured."""
    if row is None:
        return "-"
    if metode == "skoring":
        return "-" if row.nilai is None else format_decimal_id(row.nilai)
    return "-" if row.suara is None else str(row.suara)


def funding_text(proposal: dict[str, Any]) -> str:
    """``APBD Kab`` or ``DD +1`` (several sources)."""
    sources = proposal.get("sumber_dana") or []
    if not sources:
        return "-"
    first = sources[0]["sumber"]
    return first if len(sources) == 1 else f"{first} +{len(sources) - 1}"


def measure_cell(measure: str) -> Text:
    return Text(measure, justify="right")


def cells(proposal: Mapping[str, Any], measure: str, name_width: int = 0) -> dict[str, Any]:
    """Every column's cell for one proposal, keyed like :data:`COLUMNS`; with ``name_width``
    a long Kegiatan loses its middle, not its end, so look-alike names stay apart.

    All cells are ``Text``: user text is never read as markup (a ``[RT 01]`` in a location
    stays as typed), and the table renders Text several times faster than markup strings.
    """
    status = proposal.get("status", "diusulkan")
    activity = proposal.get("kegiatan", "")
    if proposal.get("duplikat_dari"):
        activity = DUPLICATE_MARK + activity
    if name_width:
        activity = middle_cut(activity, name_width)
    return {
        "no": Text(str(proposal.get("urutan", proposal["id"]))),
        "kegiatan": Text(activity, no_wrap=True, overflow="ellipsis"),
        "desa": Text(proposal.get("desa") or "-", no_wrap=True, overflow="ellipsis"),
        "bidang": Text(proposal.get("bidang") or "-"),
        "biaya": Text(format_rupiah(proposal.get("biaya") or 0), justify="right"),
        "dana": Text(funding_text(proposal)),
        "status": Text(STATUS_SHORT.get(status, status), style=STATUS_STYLES.get(status, "")),
        "nilai": measure_cell(measure),
    }


def totals_text(shown: list[dict[str, Any]], total_count: int, totals: dict[str, int]) -> str:
    """``152 usulan  Rp14,2 M  diakomodir Rp2,5 M / pagu Rp2,5 M, sisa Rp1,7 jt`` (``12 dari
    152`` when filtered). The cost is of the rows shown; accepted cost and pagu are the
    forum's, and what is left of the pagu is spelled out (compact figures round it away)."""
    count = (
        f"{len(shown)} usulan"
        if len(shown) == total_count
        else f"{len(shown)} dari {total_count} usulan"
    )
    cost = format_rupiah_short(sum(p.get("biaya") or 0 for p in shown))
    pagu = totals.get("pagu") or 0
    accepted = totals.get("diakomodir", 0)
    text = f"{count}  {cost}  diakomodir {format_rupiah_short(accepted)} / pagu "
    if not pagu:
        return text + "belum ditetapkan"
    left = pagu - accepted
    rest = (
        f"sisa {format_rupiah_short(left)}"
        if left >= 0
        else (f"lebih {format_rupiah_short(-left)}")
    )
    return text + f"{format_rupiah_short(pagu)}, {rest}"
