"""Is the forum ready to become final? What blocks it, what only warns, and where to fix each.

A final forum is signed as printed, so ``finalize`` refuses while a blocking item is open and
the operator confirms the warnings (which the audit log then keeps). The rules are pure
functions of the forum's records, so the CLI, the F6 screen and the tests see one list.

Berita Acara number: the agenda book gives the BA its number when the forum becomes final
(issue 11, section 2), so a missing number blocks only when none is set in the forum AND the
book neither holds this forum's BA entry nor can make one because the office has set no kode
unit of its own (``nomor_ba_otomatis`` false, computed by ``Signoff.readiness``). The region
code is never a kode unit, so an office that has not set one is asked for the number here.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from store.attendance import UTUSAN_REQUIRED, attended, summarize_attendance, utusan_to
from store.forum_times import entries_after, forum_window
from store.room import absence, standing, where_to_fix
from store.rpjmd import RpjmdMap, td4_columns

VOTING_METHODS = ("voting", "surat_suara")
TD4_COLUMNS = {
    "prioritas_daerah": "prioritas daerah",
    "sasaran_daerah": "sasaran daerah",
    "program": "program",
}

# Where each item is fixed, as the operator finds it in the app.
WHERE_ATTENDANCE = "F2 Kehadiran"
WHERE_MINUTES = "F3 Notulen"
WHERE_PROPOSALS = "F4 Usulan"
WHERE_PREPARATION = "Persiapan forum (alt+p)"
WHERE_HEADER = "F6 Ekspor > ctrl+n Kepala dokumen"
WHERE_OFFICE = "Pengaturan kantor (Beranda, ctrl+k)"
WHERE_CLOSE_VOTE = "tutup pemungutan di F5 Prioritas (ctrl+t)"
REQUIRED_HEADER = {
    "tanggal": "tanggal",
    "pukul": "pukul",
    "tempat": "tempat",
    "pimpinan": "pimpinan rapat",
}


@dataclass(frozen=True)
class Item:
    """One open point: ``kode`` (stable, for tests and tools), the sentence, where to fix it."""

    kode: str
    pesan: str
    tempat: str

    def line(self) -> str:
        """E.g. "Materi pembahasan belum diisi. (perbaiki di: Persiapan forum (ctrl+g))"."""
        return f"{self.pesan} (perbaiki di: {self.tempat})"


@dataclass(frozen=True)
class Readiness:
    """Blocking items (``penghalang``) and warnings (``peringatan``), in the order checked."""

    penghalang: tuple[Item, ...]
    peringatan: tuple[Item, ...]

    @property
    def siap(self) -> bool:
        return not self.penghalang


@dataclass(frozen=True)
class ForumFacts:
    """What the rules read: the header and the records, as plain dicts."""

    meta: dict[str, Any]
    participants: list[dict[str, Any]]
    proposals: list[dict[str, Any]]
    minutes: list[dict[str, Any]]
    utusan: list[dict[str, Any]]
    nomor_ba_otomatis: bool = False
    suara_tercatat: int = 0  # hand-count tallies above 0 plus delegate ballots
    #: The agenda book numbers this forum's letters but the office has no kode unit.
    kode_unit_kosong: bool = False
    #: Parts of the office's kop surat left empty, in document words ("alamat", "laman").
    kop_kurang: tuple[str, ...] = ()
    #: The office's RPJMD mapping the recap fills T-D.4 columns (2)-(4) from (store.rpjmd).
    rpjmd: RpjmdMap | None = None
    #: Letters besides the BA ("surat-pengantar", "surat-mandat") that would print dots.
    surat_tanpa_nomor: tuple[str, ...] = ()
    #: The susunan acara, the one source of the forum's times (store.forum_times).
    agenda: tuple[dict[str, Any], ...] | list[dict[str, Any]] = ()


def assess(facts: ForumFacts) -> Readiness:
    """Every rule over ``facts``; see the module docstring."""
    return Readiness(
        penghalang=tuple(_items(facts, BLOCKING_RULES)),
        peringatan=tuple(_items(facts, WARNING_RULES)),
    )


def _items(facts: ForumFacts, rules: Iterable[Rule]) -> Iterable[Item]:
    for rule in rules:
        yield from rule(facts)


# -- blocking rules ------------------------------------------------------------------------------
def missing_header(facts: ForumFacts) -> list[Item]:
    """The BA opens with when, where and who chaired."""
    missing = [label for key, label in REQUIRED_HEADER.items() if not facts.meta.get(key)]
    if not missing:
        return []
    return [Item("kepala", "Belum diisi: " + ", ".join(missing) + ".", WHERE_HEADER)]


def nobody_present(facts: ForumFacts) -> list[Item]:
    if any(attended(p) for p in facts.participants):
        return []
    return [Item("peserta", "Belum ada peserta yang tercatat hadir.", WHERE_ATTENDANCE)]


def no_proposal(facts: ForumFacts) -> list[Item]:
    if facts.proposals:
        return []
    return [Item("usulan", "Belum ada usulan yang dicatat.", WHERE_PROPOSALS)]


def vote_without_result(facts: ForumFacts) -> list[Item]:
    """A decision taken by vote must say how the vote went (the BA cites it)."""
    items = [
        Item(
            "hasil-voting",
            f'Keputusan pemungutan suara tanpa hasil: "{_short(entry.get("teks", ""))}".',
            WHERE_MINUTES,
        )
        for entry in facts.minutes
        if entry.get("jenis") == "keputusan"
        and entry.get("metode") == "voting"
        and not str(entry.get("hasil") or "").strip()
    ]
    meta = facts.meta
    voted = meta.get("metode_prioritas") in VOTING_METHODS and facts.proposals
    if voted and not facts.suara_tercatat:
        items.append(
            Item(
                "hasil-voting",
                "Prioritas ditetapkan dengan pemungutan suara, tetapi belum ada suara "
                "yang tercatat.",
                "F5 Prioritas",
            )
        )
    if (
        meta.get("metode_keputusan") == "voting"
        and not str(meta.get("hasil_keputusan") or "").strip()
    ):
        items.append(
            Item(
                "hasil-voting",
                "Forum memutuskan dengan pemungutan suara, tetapi hasilnya belum diisi.",
                WHERE_PREPARATION,
            )
        )
    return items


def no_pagu(facts: ForumFacts) -> list[Item]:
    """Pagu 0 means every proposal is accommodated: only when the forum says it has none."""
    meta = facts.meta
    if meta.get("level") != "kecamatan" or meta.get("pagu") or meta.get("tanpa_pagu"):
        return []
    return [
        Item(
            "pagu",
            "Pagu indikatif belum diisi (pagu 0 berarti semua usulan diakomodir); "
            "isi pagunya, atau nyatakan forum ini tanpa pagu.",
            WHERE_PREPARATION,
        )
    ]


def too_few_utusan(facts: ForumFacts) -> list[Item]:
    """The surat mandat names the utusan: a forum never signs a mandate to nobody."""
    level = facts.meta.get("level") or "kecamatan"
    count, needed = len(facts.utusan), UTUSAN_REQUIRED.get(level, 1)
    if count >= needed:
        return []
    to = utusan_to(level)
    text = (
        f"Utusan ke {to} baru {count} dari {needed} orang."
        if needed > 1
        else f"Utusan ke {to} belum ditetapkan (minimal 1 orang, dipilih dari peserta hadir)."
    )
    return [Item("utusan", text, WHERE_PREPARATION)]


def utusan_absent(facts: ForumFacts) -> list[Item]:
    """An utusan is mandated by the forum, so they must be on its attendance list."""
    present_ids = {p.get("id") for p in facts.participants if attended(p)}
    present_names = {_name_key(p.get("nama", "")) for p in facts.participants if attended(p)}
    return [
        Item(
            "utusan-hadir",
            f"Utusan {u.get('nama', '')} tidak tercatat hadir di daftar hadir.",
            WHERE_PREPARATION,
        )
        for u in facts.utusan
        if not (
            u.get("peserta_id") in present_ids
            if u.get("peserta_id") is not None
            else _name_key(u.get("nama", "")) in present_names
        )
    ]


def no_decision_recorded(facts: ForumFacts) -> list[Item]:
    """The BA names how the forum decided (DOMAIN.md section 3) and claims no method the
    minutes do not record: a decision entry (mufakat or voting) is needed, or a vote with
    its result in the header."""
    if any(m.get("jenis") == "keputusan" for m in facts.minutes):
        return []
    meta = facts.meta
    if meta.get("metode_keputusan") == "voting" and str(meta.get("hasil_keputusan") or "").strip():
        return []
    return [
        Item(
            "keputusan",
            "Notulen belum mencatat keputusan forum (jenis keputusan: mufakat atau pemungutan "
            "suara); berita acara menyebut cara keputusan diambil dari catatan itu.",
            f"{WHERE_MINUTES} (ctrl+t jenis keputusan)",
        )
    ]


def officials_absent(facts: ForumFacts) -> list[Item]:
    """The chair, the notulis and the speakers the BA and notulen name sign the daftar hadir
    too: each must be on the attendance list as present, matched by name without titles.
    The fix depends on the case (store.room): mark a registered person present, add only
    someone not registered at all (adding a registered one makes a duplicate)."""
    meta = facts.meta
    named = [("Pimpinan rapat", meta.get("pimpinan") or ""), ("Notulis", meta.get("notulis") or "")]
    named += [("Narasumber", s.get("nama") or "") for s in meta.get("narasumber") or []]
    items = []
    for role, nama in named:
        state = standing(facts.participants, nama) if nama.strip() else "hadir"
        if state != "hadir":
            items.append(
                Item("pejabat-hadir", absence(role, nama, state) + ".", where_to_fix(state))
            )
    return items


def no_materi(facts: ForumFacts) -> list[Item]:
    if any(str(m).strip() for m in facts.meta.get("materi") or []):
        return []
    return [Item("materi", "Materi pembahasan belum diisi.", WHERE_PREPARATION)]


def nothing_decided(facts: ForumFacts) -> list[Item]:
    """A BA of "0 usulan, Rp0" decides nothing: at least one proposal must be decided."""
    if not facts.proposals or any(p.get("status") != "diusulkan" for p in facts.proposals):
        return []
    return [
        Item(
            "tanpa-keputusan",
            f"Belum ada usulan yang diputuskan (semua {len(facts.proposals)} usulan masih "
            "berstatus diusulkan).",
            _where_to_decide(facts),
        )
    ]


def no_kode_unit(facts: ForumFacts) -> list[Item]:
    """Letter numbers are klasifikasi/urut/kode unit/tahun: never printed without the unit."""
    if not facts.kode_unit_kosong:
        return []
    return [Item("kode-unit", "Kode unit kantor belum diisi (nomor surat).", WHERE_OFFICE)]


#: Why the office's book does not number a forum's letters (store.agenda_book).
NOT_NUMBERED = (
    "buku agenda kantor ini tidak menomorinya: kode unit kantor kosong, atau forum ini "
    "bukan wilayah kantor"
)


def no_ba_number(facts: ForumFacts) -> list[Item]:
    if facts.meta.get("nomor_surat") or facts.nomor_ba_otomatis:
        return []
    return [
        Item("nomor-ba", f"Nomor berita acara belum diisi ({NOT_NUMBERED}).", WHERE_PREPARATION)
    ]


def letters_without_number(facts: ForumFacts) -> list[Item]:
    """No letter is issued with dots for its number: a surat pengantar or surat mandat the
    book will not number must be finalized where it is numbered (the forum's own office)."""
    if facts.kode_unit_kosong:
        return []  # no_kode_unit already asks for the office's kode unit
    names = {"surat-pengantar": "surat pengantar", "surat-mandat": "surat mandat"}
    return [
        Item(
            "nomor-surat",
            f"Nomor {names.get(jenis, jenis)} belum ada ({NOT_NUMBERED}).",
            f"{WHERE_OFFICE}: kode unit, atau finalkan di kantor wilayah forum ini",
        )
        for jenis in facts.surat_tanpa_nomor
    ]


# -- warnings ------------------------------------------------------------------------------------
def quorum_missed(facts: ForumFacts) -> list[Item]:
    summary = _summary(facts)
    if summary.kuorum_tercapai is not False:
        return []
    return [
        Item(
            "kuorum",
            f"Kuorum belum tercapai ({summary.kuorum_keterangan}).",
            WHERE_ATTENDANCE,
        )
    ]


def women_below_target(facts: ForumFacts) -> list[Item]:
    summary = _summary(facts)
    if summary.hadir == 0 or summary.target_perempuan_tercapai:
        return []
    return [
        Item(
            "perempuan",
            f"Keterwakilan perempuan {summary.perempuan_persen:.0%} di bawah target "
            f"{summary.target_perempuan:.0%}.",
            WHERE_ATTENDANCE,
        )
    ]


#: How many undecided proposals a warning names before "dan N usulan lainnya".
NAMED_UNDECIDED = 20


def undecided(facts: ForumFacts) -> list[Item]:
    """Said as the rekap prints them: apart, as "belum diputuskan" (never "tidak
    disepakati"), in Lampiran II part C. Each is named (kegiatan and desa), so whoever
    confirms the finalize (``--lanjutkan``, Enter in F6) sees which ones stay open."""
    open_items = [p for p in facts.proposals if p.get("status") == "diusulkan"]
    if not open_items or len(open_items) == len(facts.proposals):
        return []  # none decided at all blocks (nothing_decided)
    names = [_proposal_name(p) for p in open_items[:NAMED_UNDECIDED]]
    if len(open_items) > NAMED_UNDECIDED:
        names.append(f"dan {len(open_items) - NAMED_UNDECIDED} usulan lainnya")
    return [
        Item(
            "belum-diputuskan",
            f"{len(open_items)} usulan belum diputuskan (masih berstatus diusulkan): "
            + "; ".join(names)
            + '. Rekap mencetaknya sebagai "belum diputuskan" di Lampiran II bagian C.',
            _where_to_decide(facts),
        )
    ]


def _proposal_name(proposal: dict[str, Any]) -> str:
    """``"Paving jalan" (Japan)``: what the operator recognises a proposal by."""
    desa = str(proposal.get("desa") or "").strip()
    name = f'"{_short(str(proposal.get("kegiatan") or "tanpa nama kegiatan"), 50)}"'
    return f"{name} ({desa})" if desa else name


def minutes_after_forum(facts: ForumFacts) -> list[Item]:
    """Entries typed after the forum's end (the susunan acara's last end): the notulen
    prints their agenda item's time, not when they were typed."""
    late = entries_after(forum_window(facts.meta, facts.agenda), facts.minutes)
    if not late:
        return []
    return [
        Item(
            "notulen-terlambat",
            f"{len(late)} catatan notulen diketik setelah forum selesai (menurut susunan "
            "acara); notulen mencetak jam acaranya, bukan jam diketik.",
            f"{WHERE_MINUTES} / Susunan acara (alt+a)",
        )
    ]


def _where_to_decide(facts: ForumFacts) -> str:
    """F5 shows the ranking's statuses while the vote is open; closing it records them."""
    if facts.meta.get("pemungutan_ditutup"):
        return "F5 Prioritas (ubah status usulan)"
    return WHERE_CLOSE_VOTE


def incomplete_letterhead(facts: ForumFacts) -> list[Item]:
    if not facts.kop_kurang:
        return []
    return [
        Item(
            "kop",
            "Kop surat belum lengkap: " + ", ".join(facts.kop_kurang) + " belum diisi.",
            WHERE_OFFICE,
        )
    ]


def empty_td4_columns(facts: ForumFacts) -> list[Item]:
    """The kecamatan recap (form T-D.4) needs prioritas daerah, sasaran daerah and program."""
    if facts.meta.get("level") != "kecamatan":
        return []
    filled = [td4_columns(p, facts.rpjmd) if facts.rpjmd else p for p in facts.proposals]
    items = []
    for key, label in TD4_COLUMNS.items():
        count = sum(1 for p in filled if not str(p.get(key) or "").strip())
        if count:
            items.append(
                Item(
                    f"td4-{key}",
                    f"{count} usulan tanpa {label} (kolom rekap T-D.4; tidak terisi dari "
                    "pemetaan RPJMD kantor).",
                    WHERE_PROPOSALS,
                )
            )
    return items


Rule = Callable[[ForumFacts], list[Item]]
BLOCKING_RULES: tuple[Rule, ...] = (
    missing_header,
    nobody_present,
    no_proposal,
    nothing_decided,
    vote_without_result,
    no_decision_recorded,
    no_pagu,
    too_few_utusan,
    utusan_absent,
    officials_absent,
    no_materi,
    no_kode_unit,
    no_ba_number,
    letters_without_number,
)
WARNING_RULES: tuple[Rule, ...] = (
    quorum_missed,
    women_below_target,
    undecided,
    minutes_after_forum,
    empty_td4_columns,
    incomplete_letterhead,
)


def _summary(facts: ForumFacts) -> Any:
    meta = facts.meta
    return summarize_attendance(
        facts.participants,
        target_perempuan=float(meta.get("target_perempuan", 0.30)),
        kuorum=meta.get("kuorum"),
    )


def _name_key(name: str) -> str:
    return " ".join(str(name).split()).casefold()


def _short(text: str, limit: int = 60) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"
