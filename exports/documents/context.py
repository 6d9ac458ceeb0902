"""What every document of one forum needs to know: header, office, region, signatories.

Read once per export so six documents agree (same names, same date, same DRAF state) and
the forum is not re-read for every signature block.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import cached_property
from typing import Any

from store import agenda_book
from store.formatting import format_date, format_nip, format_rupiah
from store.office import ROLES, office_for
from store.person_names import name_key
from store.ranking import pagu_charge
from store.regions import region
from store.room import ROOM_ROLES
from store.rpjmd import OFFICE_KEY, RpjmdMap, default_mapping, merged

BLANK_NAME = "(..................................)"
# Roles held for this forum only: signed in that capacity, whatever the person's post.
FUNCTION_ROLES = ROOM_ROLES
# A post as typed without its region ("Kepala Desa") -> the role whose title completes it.
BARE_POSTS = {
    **{ROLES[p].casefold(): p for p in ("camat", "sekcam", "kepala-desa", "ketua-bpd")},
    "sekcam": "sekcam",
    "kades": "kepala-desa",
    "kepala desa": "kepala-desa",
    "ketua badan permusyawaratan desa": "ketua-bpd",
    "sekretaris desa": "sekretaris-desa",
    "sekdes": "sekretaris-desa",
}
DESA_POSTS = frozenset({"kepala-desa", "ketua-bpd", "sekretaris-desa"})
# Header keys of letter numbers -> the kind of letter the agenda book numbers.
BOOK_KINDS = {
    "nomor_surat": "berita-acara",
    "nomor_surat_pengantar": "surat-pengantar",
    "nomor_surat_mandat": "surat-mandat",
}


def person_text(nama: str | None, jabatan: str | None) -> str:
    """``Nama (Jabatan)``, or dots to fill in by hand when nobody is named yet."""
    if not nama:
        return "...................."
    return f"{nama} ({jabatan})" if jabatan else nama


@dataclass(frozen=True)
class Signer:
    """One signature column: who signs in which capacity, printed before anyone signs."""

    peran: str
    jabatan: str
    nama: str = ""
    pangkat: str = ""
    nip: str = ""
    atas: str = ""  # a line above the capacity: "Mengetahui,"
    bawah: str = ""  # a line below it: "selaku Penanggung Jawab"

    def heading(self) -> list[str]:
        """The lines above the signature space; the last one ends with a comma."""
        lines = [x for x in (self.atas, self.jabatan, self.bawah) if x]
        lines[-1] = lines[-1].rstrip(",") + ","
        return lines

    @property
    def nip_line(self) -> str:
        return f"NIP. {format_nip(self.nip)}" if self.nip else ""


class DocContext:
    """The forum's header and the office settings, as the documents print them."""

    def __init__(self, forum: Any, *, blanko: bool = False) -> None:
        self.forum = forum
        self.meta: dict[str, Any] = forum.meta
        self.office: dict[str, Any] = office_for(forum.meta)
        self.blanko = blanko
        self.level: str = self.meta["level"]
        self.region = region(self.meta["wilayah_kode"])
        self._book_numbers: dict[str, str] = {}

    # -- page ------------------------------------------------------------------------------
    @property
    def draft(self) -> bool:
        """Every page says DRAF until the forum is final (a blanko form never does)."""
        return not self.blanko and self.meta.get("status", "draf") == "draf"

    @property
    def status(self) -> str:
        return "draf" if self.draft else "final"

    @property
    def paper(self) -> str:
        return self.office.get("kertas") or "A4"

    @property
    def font(self) -> str:
        return self.office.get("huruf") or "Arial"

    # -- names and places ------------------------------------------------------------------
    @property
    def wilayah_nama(self) -> str:
        return self.meta.get("wilayah_nama") or self.region.name

    @property
    def level_title(self) -> str:
        """``Kecamatan Sooko`` / ``Desa Japan``."""
        return self.region.title

    @cached_property
    def kecamatan_nama(self) -> str:
        if self.level == "kecamatan":
            return self.wilayah_nama
        return region(self.region.parent_code).name

    @cached_property
    def kabupaten_nama(self) -> str:
        if self.meta.get("kabupaten"):
            return self.meta["kabupaten"]
        code = ".".join(self.region.code.split(".")[:2])
        return region(code).name

    @property
    def forum_name(self) -> str:
        """``Musrenbang Kecamatan Sooko Tahun 2027``."""
        return f"Musrenbang {self.level_title} Tahun {self.tahun}"

    @property
    def tahun(self) -> int:
        return int(self.meta["tahun"])

    @cached_property
    def tanggal(self) -> date | None:
        value = self.meta.get("tanggal")
        return date.fromisoformat(value) if value else None

    @property
    def tanggal_iso(self) -> str:
        return self.tanggal.isoformat() if self.tanggal else ""

    @property
    def tanggal_text(self) -> str:
        return format_date(self.tanggal) if self.tanggal else "...................."

    @property
    def place_date(self) -> str:
        """``Sooko, 12 Februari 2026``: above the right-hand signature."""
        return f"{self.wilayah_nama}, {self.tanggal_text}"

    @property
    def pukul_text(self) -> str:
        pukul = self.meta.get("pukul")
        return f"{pukul.replace(':', '.')} WIB" if pukul else "........ WIB"

    @property
    def nomor_ba(self) -> str:
        return self.nomor("nomor_surat")

    def nomor(self, key: str) -> str:
        """A letter number: the forum header's, else the one the office's agenda book gave
        this forum's letter of that kind (the book outlives the forum and numbers letters the
        header never heard of, e.g. the surat pengantar of the report package), else ""
        (the documents print dots to fill in by hand).

        Read-only: numbering is the book's job (``agenda_book.number_berita_acara`` writes
        the number into the header too), an export never takes a number.
        """
        if self.meta.get(key):
            return self.meta[key]
        jenis = BOOK_KINDS.get(key)
        if jenis is None:
            return ""
        if jenis not in self._book_numbers:
            with agenda_book.book_of(self.forum):
                entry = agenda_book.forum_letter(self.forum, jenis)
            self._book_numbers[jenis] = entry["nomor"] if entry else ""
        return self._book_numbers[jenis]

    # -- one person, one name ---------------------------------------------------------------
    @cached_property
    def _spellings(self) -> dict[str, str]:
        """How each known person is written: the office's signatories first (their names
        as registered, with titles), then the chair, note-taker and speakers of the header."""
        names = [e.get("nama") or "" for e in self._office_signers.values()]
        names += [self.meta.get("pimpinan") or "", self.meta.get("notulis") or ""]
        names += [s.get("nama") or "" for s in self.meta.get("narasumber") or []]
        spellings: dict[str, str] = {}
        for nama in names:
            if nama:
                spellings.setdefault(name_key(nama), nama)
        return spellings

    def name(self, nama: str | None) -> str:
        """The one spelling every document uses for this person (BA, notulen, mandat,
        signature blocks, daftar hadir), whichever way a screen or import typed it."""
        if not nama:
            return ""
        return self._spellings.get(name_key(nama), nama)

    def person(self, nama: str | None, jabatan: str | None) -> str:
        """:func:`person_text` with the name in its one spelling and the post with its
        region (:meth:`post`); without a post in the header, the one recorded for that
        participant (:meth:`recorded_post`)."""
        return person_text(self.name(nama), self.post(self.recorded_post(nama, jabatan)))

    @cached_property
    def _participant_posts(self) -> dict[str, str]:
        """Name key -> the post recorded in the attendance list (first one wins)."""
        posts: dict[str, str] = {}
        for person in self.forum.participants.all():
            jabatan = " ".join(str(person.get("jabatan") or "").split())
            if person.get("nama") and jabatan:
                posts.setdefault(name_key(person["nama"]), jabatan)
        return posts

    def recorded_post(self, nama: str | None, jabatan: str | None) -> str:
        """The post the header gives someone, else the one their attendance entry records
        (a desa header often names the chair without a post: "Suwarno" is the
        "Kepala Desa" of the list), else ""."""
        if jabatan and str(jabatan).strip():
            return str(jabatan)
        if not nama:
            return ""
        return self._participant_posts.get(name_key(nama), "")

    def post(self, jabatan: str | None) -> str:
        """A post printed alone names its region, as the letter's reader needs it:
        "Kepala Desa" -> "Kepala Desa Japan", "Camat" -> "Camat Sooko". Only posts of this
        forum's own region are completed (a "Kepala Desa" at a kecamatan forum could be of
        any desa); anything else is printed as typed."""
        text = " ".join(str(jabatan or "").split())
        peran = BARE_POSTS.get(text.casefold())
        if peran is None or (peran in DESA_POSTS and self.level != "desa"):
            return text
        return self.default_jabatan(peran)

    # -- signatories -----------------------------------------------------------------------
    @cached_property
    def _signed(self) -> dict[str, dict[str, Any]]:
        return {s["peran"]: s for s in self.forum.signoff.signatures()}

    @cached_property
    def _office_signers(self) -> dict[str, dict[str, Any]]:
        """The office's signatories apply to its own region and the regions under it."""
        home = self.office.get("wilayah_kode") or ""
        code = self.region.code
        if home and code != home and not code.startswith(home + "."):
            return {}
        return self.office.get("penandatangan") or {}

    def _known_holder(self, peran: str) -> str:
        """Who holds a post according to this forum: the chair if their title is the post
        (a Kepala Desa chairing the Musrenbang Desa), else a participant with that title."""
        titles = {self.default_jabatan(peran).casefold(), ROLES.get(peran, peran).casefold()}
        if (self.meta.get("pimpinan_jabatan") or "").casefold() in titles:
            return self.meta.get("pimpinan") or ""
        if peran in FUNCTION_ROLES:
            return ""
        for person in self.forum.participants.all():
            same_place = self.level == "kecamatan" or person.get("desa") in (
                "",
                None,
                self.wilayah_nama,
            )
            if same_place and (person.get("jabatan") or "").casefold() in titles:
                return person["nama"]
        return ""

    def _office_person(self, nama: str | None) -> dict[str, Any] | None:
        """The office's entry for someone named in the header (the chair is often the Camat),
        so their pangkat and NIP print under the name too."""
        if not nama:
            return None
        key = nama.casefold()
        return next(
            (e for e in self._office_signers.values() if (e.get("nama") or "").casefold() == key),
            None,
        )

    def _capacity(self, peran: str, office: dict[str, Any]) -> str:
        """The line above the signature: the office's title for a post (Camat Sooko), the
        role itself for a function someone holds at this forum (Ketua Tim Penyelenggara)."""
        if peran in FUNCTION_ROLES:
            return ROLES[peran]
        return self.post(office.get("jabatan")) or self.default_jabatan(peran)

    def default_jabatan(self, peran: str) -> str:
        desa = self.wilayah_nama
        return {
            "camat": f"Camat {self.kecamatan_nama}",
            "sekcam": f"Sekretaris Kecamatan {self.kecamatan_nama}",
            "kepala-desa": f"Kepala Desa {desa}",
            "ketua-bpd": f"Ketua BPD {desa}",
            "sekretaris-desa": f"Sekretaris Desa {desa}",
        }.get(peran, ROLES.get(peran, peran))

    def signer(self, peran: str, *, jabatan: str = "", atas: str = "", bawah: str = "") -> Signer:
        """Who signs as ``peran``: the recorded signature, else the office settings, else
        the forum header (chair, note-taker), else a blank line to write the name on."""
        signed = self._signed.get(peran) or {}
        meta_name = {
            "pimpinan-sidang": self.meta.get("pimpinan"),
            "notulis": self.meta.get("notulis"),
        }.get(peran)
        office = self._office_signers.get(peran) or self._office_person(meta_name) or {}
        meta_name = meta_name or self._known_holder(peran)
        return Signer(
            peran=peran,
            jabatan=jabatan or self._capacity(peran, office),
            nama=self.name(signed.get("nama") or office.get("nama") or meta_name or ""),
            pangkat=signed.get("pangkat") or office.get("pangkat") or "",
            nip=signed.get("nip") or office.get("nip") or "",
            atas=atas,
            bawah=bawah,
        )

    # -- forum content, read once ----------------------------------------------------------
    @cached_property
    def attendance(self):
        return self.forum.participants.summary()

    @cached_property
    def proposals(self) -> list[dict[str, Any]]:
        return self.forum.proposals.all()

    @cached_property
    def ranking(self):
        return self.forum.priority.ranking()

    @cached_property
    def ranked(self) -> dict[int, Any]:
        """Ranking row per proposal id (rank, nilai)."""
        return {row.id: row for row in self.ranking.rows}

    @cached_property
    def rpjmd(self) -> RpjmdMap:
        """The office's RPJMD mapping (T-D.4 columns 2-4), read with the office settings."""
        return merged(default_mapping(), self.office.get(OFFICE_KEY))

    @cached_property
    def utusan(self) -> list[dict[str, Any]]:
        return sorted(self.forum.utusan.all(), key=lambda u: (u.get("urut", 0), u["id"]))

    def pagu_charged(self, proposals: list[dict[str, Any]]) -> int:
        """Rupiah of ``proposals`` their forum's pagu pays (a kecamatan: the APBD Kab
        shares only, ``store.ranking.pagu_charge``)."""
        return sum(pagu_charge(p, self.level) for p in proposals)

    def within_pagu(self, agreed: list[dict[str, Any]]) -> str:
        """How the agreed cost stands against the pagu, to follow the amount in a sentence:
        `` dari pagu indikatif Rp...`` when the pagu pays all of it, else the part charged
        to it (swadaya, Dana Desa ... are not the pagu's); "" without a pagu."""
        pagu = int(self.meta.get("pagu") or 0)
        if not pagu:
            return ""
        cost = sum(p["biaya"] for p in agreed)
        charged = self.pagu_charged(agreed)
        if charged == cost:
            return f" dari pagu indikatif {format_rupiah(pagu)}"
        return (
            f", yang dibebankan pada pagu indikatif {format_rupiah(pagu)} sebesar "
            f"{format_rupiah(charged)} (selebihnya dari sumber dana lain)"
        )

    def by_status(self, *statuses: str) -> list[dict[str, Any]]:
        return [p for p in self.proposals if p.get("status") in statuses]
