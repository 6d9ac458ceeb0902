"""Sign-off: draf -> final -> ditandatangani, signatures in SOP order, issued documents.

Final freezes the content (later edits only as amendments with a reason, see
``Forum.amendment``); the forum is ditandatangani once every required role of its level has
signed, the kecamatan's Sekcam initialling (paraf) before the Camat signs (SOP step 6).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from store import agenda_book
from store.office import ROLES, office_for
from store.personal import PERSONAL_KEYS, blank_personal
from store.readiness import REQUIRED_HEADER, ForumFacts, Item, Readiness, assess
from store.room import ROOM_ROLES, absence, standing
from store.rpjmd import OFFICE_KEY, default_mapping, merged
from store.validation import ValidationError, clean_text

if TYPE_CHECKING:
    from store.forum import Forum

REQUIRED_ROLES = {
    "desa": ("kepala-desa", "ketua-bpd", "wakil-masyarakat"),
    "kecamatan": ("sekcam", "camat"),
}
OPTIONAL_ROLES = ("pimpinan-sidang", "ketua-tim", "notulis")
# Roles that must already have signed before the key role may sign.
PRECEDENCE = {"camat": ("sekcam",)}
PARAF_ROLES = frozenset({"sekcam"})
#: Kop surat parts of the office settings a letter needs (tata naskah dinas), in its words.
KOP_PARTS = {"alamat": "alamat", "website": "laman", "email": "pos-el"}


class NotReadyError(ValidationError):
    """Finalize refused: ``items`` are the blocking points, each with where to fix it."""

    def __init__(self, items: tuple[Item, ...]) -> None:
        super().__init__(
            "status",
            f"Belum dapat difinalkan, {len(items)} hal belum siap:\n"
            + "\n".join(f"- {item.line()}" for item in items),
        )
        self.items = items


class Signoff:
    """Finalising, signing and the issued-documents register of one forum."""

    def __init__(self, forum: Forum) -> None:
        self._forum = forum

    def required_roles(self) -> tuple[str, ...]:
        return REQUIRED_ROLES[self._forum.meta["level"]]

    def allowed_roles(self) -> tuple[str, ...]:
        return (*self.required_roles(), *OPTIONAL_ROLES)

    def unsigned_roles(self) -> list[str]:
        """Roles that have not signed yet, required ones first in SOP order."""
        signed = {s["peran"] for s in self.signatures()}
        return [role for role in self.allowed_roles() if role not in signed]

    def signatures(self) -> list[dict[str, Any]]:
        return sorted(self._forum.records("signatures"), key=lambda s: (s["waktu"], s["id"]))

    def missing_header(self) -> list[str]:
        """What finalize needs that the header lacks, in Indonesian words."""
        meta = self._forum.meta
        return [label for key, label in REQUIRED_HEADER.items() if not meta.get(key)]

    def undecided(self) -> list[dict[str, Any]]:
        return [p for p in self._forum.proposals.all() if p.get("status") == "diusulkan"]

    def readiness(self) -> Readiness:
        """What blocks final and what only warns (``store.readiness``), for this forum now."""
        forum = self._forum
        office = office_for(forum.meta)
        kop = office.get("kop") or {}
        return assess(
            ForumFacts(
                meta=forum.meta,
                participants=forum.participants.all(),
                proposals=forum.proposals.all(),
                minutes=forum.minutes.all(),
                utusan=forum.utusan.all(),
                agenda=forum.agenda.all(),
                nomor_ba_otomatis=self._ba_number_in_book(),
                surat_tanpa_nomor=self._letters_without_number(),
                suara_tercatat=sum(1 for votes in forum.priority.tallies().values() if votes)
                + len(forum.priority.ballots()),
                kode_unit_kosong=self._kode_unit_missing(),
                kop_kurang=tuple(
                    label for key, label in KOP_PARTS.items() if not str(kop.get(key) or "").strip()
                ),
                rpjmd=merged(default_mapping(), office.get(OFFICE_KEY)),
            )
        )

    def _kode_unit_missing(self) -> bool:
        """The book would number a letter of this forum (one neither typed in the forum nor
        taken in the book) but the office has no kode unit: it would print without it."""
        forum = self._forum
        with agenda_book.book_of(forum):
            if not agenda_book.numbers_forum(forum):
                return False
            if agenda_book.settings()["kode_unit"].strip():
                return False
            return any(
                not forum.meta.get(key) and agenda_book.forum_letter(forum, jenis) is None
                for key, (jenis, _) in agenda_book.FORUM_LETTERS.items()
            )

    def _ba_number_in_book(self) -> bool:
        """The agenda book holds or will give this forum's BA number (see store.readiness):
        an entry for it, or an office of this forum's region with its own kode unit to
        number from (a desa forum typed at the kecamatan is numbered by the desa)."""
        with agenda_book.book_of(self._forum):
            booked = agenda_book.forum_letter(self._forum, "berita-acara")
            if booked is not None:
                return True
            kode_unit = bool(agenda_book.settings()["kode_unit"].strip())
            return kode_unit and agenda_book.numbers_forum(self._forum)

    def _letters_without_number(self) -> tuple[str, ...]:
        """The forum's other letters (surat pengantar, surat mandat) that would print dots:
        no number typed, none in the book, and the book will not number them (an office
        without kode unit, or a forum of another region)."""
        forum = self._forum
        with agenda_book.book_of(forum):
            numbering = bool(agenda_book.settings()["kode_unit"].strip())
            if numbering and agenda_book.numbers_forum(forum):
                return ()
            return tuple(
                jenis
                for key, (jenis, _) in agenda_book.FORUM_LETTERS.items()
                if jenis != "berita-acara"
                and not forum.meta.get(key)
                and agenda_book.forum_letter(forum, jenis) is None
            )

    def finalize(self) -> list[str]:
        """draf -> final, or NotReadyError naming the header gaps and every blocking item.

        Every letter the forum sends takes its number from the office's agenda book here
        (``agenda_book.number_forum_letters``), so the final documents print it. The caller
        has shown the warnings and the operator went on: they are returned and kept in the
        audit log next to the status change, one save.
        """
        status = self._forum.status
        if status != "draf":
            raise ValidationError("status", f"Forum sudah berstatus {status}.")
        readiness = self.readiness()
        if not readiness.siap:
            raise NotReadyError(readiness.penghalang)
        warnings = [item.line() for item in readiness.peringatan]
        with self._forum.batch():
            warnings += agenda_book.number_forum_letters(self._forum)
            self._forum._update("meta", 1, {"status": "final"})
            if warnings:
                self._forum._audit(
                    "meta", 1, "final-dengan-peringatan", None, {"peringatan": warnings}
                )
        return warnings

    def sign(self, peran: str, nama: str, nip: str = "", pangkat: str = "") -> str:
        """Record a signature (paraf for the Sekcam); returns the forum's new status."""
        if self._forum.status == "draf":
            raise ValidationError(
                "status", "Forum masih draf: finalkan dahulu sebelum ditandatangani."
            )
        if peran not in self.allowed_roles():
            options = ", ".join(self.allowed_roles())
            raise ValidationError(
                "peran", f"Peran '{peran}' tidak berlaku di forum ini ({options})."
            )
        signed = {s["peran"] for s in self.signatures()}
        if peran in signed:
            raise ValidationError("peran", f"{ROLES[peran]} sudah menandatangani.")
        waiting = [r for r in PRECEDENCE.get(peran, ()) if r not in signed]
        if waiting:
            names = ", ".join(ROLES[r] for r in waiting)
            raise ValidationError("peran", f"{ROLES[peran]} menandatangani setelah paraf {names}.")
        nama = clean_text(nama, field="nama", label="Nama penanda tangan", limit=200, required=True)
        if peran in ROOM_ROLES:
            self._signer_was_present(peran, nama)
        nip_digits = "".join(ch for ch in nip if ch.isdigit())
        if nip_digits and len(nip_digits) != 18:
            raise ValidationError("nip", f"NIP harus 18 angka (tertulis {len(nip_digits)}).")
        record = {
            "peran": peran,
            "nama": nama,
            "nip": nip_digits,
            "pangkat": clean_text(pangkat, field="pangkat", label="Pangkat", limit=200),
            "jenis": "paraf" if peran in PARAF_ROLES else "ttd",
            "waktu": self._forum.clock().isoformat(),
        }
        with self._forum.batch():
            self._forum._insert("signatures", record)
            if set(self.required_roles()) <= signed | {peran}:
                self._forum._update("meta", 1, {"status": "ditandatangani"})
        return self._forum.status

    def _signer_was_present(self, peran: str, nama: str) -> None:
        """A capacity held at this forum only (``store.room.ROOM_ROLES``) is signed by
        someone the daftar hadir shows present; officials sign by their post. The forum is
        final by now (attendance frozen), so the fix is to pick someone who came."""
        state = standing(self._forum.participants.all(), nama)
        if state != "hadir":
            raise ValidationError(
                "nama",
                f"{absence(ROLES[peran], ' '.join(nama.split()), state)}: penanda tangan ini "
                "harus peserta yang tercatat hadir; pilih dari daftar hadir.",
            )

    # -- issued documents ------------------------------------------------------------------
    def documents(self) -> list[dict[str, Any]]:
        return self._forum.records("documents")

    def register_document(
        self, doc_id: str, jenis: str, nomor: str, tanggal: str, digest: str
    ) -> int:
        """Record an issued document; an earlier different one of the same kind is superseded."""
        current = [d for d in self.documents() if d["jenis"] == jenis and d["status"] == "berlaku"]
        same = [d for d in current if d["digest"] == digest]
        if same:
            return same[0]["id"]
        with self._forum.batch():
            for old in current:
                self._forum._update(
                    "documents", old["id"], {"status": "diganti", "diganti_oleh": doc_id}
                )
            return self._forum._insert(
                "documents",
                {
                    "doc_id": doc_id,
                    "jenis": jenis,
                    "nomor": nomor,
                    "tanggal": tanggal,
                    "digest": digest,
                    "status": "berlaku",
                    "diganti_oleh": None,
                    "dibuat": self._forum.clock().isoformat(),
                },
            )

    def document_status(self, doc_id: str) -> dict[str, Any] | None:
        return next((d for d in self.documents() if d["doc_id"] == doc_id), None)

    # -- personal data ---------------------------------------------------------------------
    def purge_personal(self) -> int:
        """After sign-off, erase NIK and phone numbers everywhere: the participants' fields
        blanked, and every NIK- or phone-shaped number in any text of any table masked (a
        phone in a note, a minute, a proposal's location; ``store.personal.blank_personal``);
        the audit log, the file's earlier journal lines and every backup too (``store.purge``).

        Returns how many participants had a value erased. The erase's own audit entries
        hold only masked old values, and those are blanked too before the batch is saved.
        """
        from store.forum import TABLES
        from store.purge import erase_traces

        if self._forum.status != "ditandatangani":
            raise ValidationError(
                "status", "Data pribadi hanya dihapus setelah forum ditandatangani."
            )
        erased = 0
        with self._forum.purging_personal_data():
            for table in (name for name in TABLES if name != "audit"):
                for record in self._forum.records(table):
                    fields = {key: value for key, value in record.items() if key != "id"}
                    clean, changed = blank_personal(fields)
                    if not changed:
                        continue
                    self._forum._update(table, record["id"], clean)
                    erased += table == "participants" and any(
                        record.get(key) for key in PERSONAL_KEYS
                    )
            self._forum._scrub_audit()
        erase_traces(self._forum)
        return erased
