"""The signed record a document's QR carries: what it is, a summary, the text digest.

Two encodings. New documents carry the compact ``MSR2:`` form (decimal digits, QR numeric
mode; see :mod:`exports.record_compact`). Documents issued before it carry ``MSR1:`` + base32
of the record (unpadded) and keep verifying forever. MSR1 record bytes:

    fields (UTF-8, joined by U+001F) | digest (32) | key id (8) | Ed25519 signature (64)

signed over ``MSR1`` + everything before the signature. Fields: document id, kind, status
(D draf / F final), region code, region name, planning year, number, date (YYYY-MM-DD),
summary (``u=42,b=1400000000``: counts and rupiah, see :data:`SUMMARY_LABELS`).

``scheme`` says what the digest covers: 1 the body only (every MSR1 code), 2 body, headers
and footers (every new document). The QR text is either the verify page's address + ``#`` +
the code (a phone camera opens the page; the fragment never reaches a server) or, when the
office published no page, the plain line a phone shows as is and the code on the next line.
"""

from __future__ import annotations

import base64
import hashlib
import re
from dataclasses import dataclass, field, replace

from exports import record_compact as compact

PREFIX = "MSR1:"
VERSION_TAG = b"MSR1"
COMPACT_PREFIX = compact.PREFIX
LEGACY_SCHEME, CURRENT_SCHEME = 1, 2
MAX_CODE_TEXT = 4000  # characters: a QR of version 40 holds at most 4,296 alphanumerics
_SEP = "\x1f"
_DIGEST, _KEY_ID, _SIGNATURE = 32, 8, 64
_TRAILER = _DIGEST + _KEY_ID + _SIGNATURE

# kind -> (code in the record, title on paper and on the phone)
KINDS: dict[str, tuple[str, str]] = {
    "berita-acara": ("BA", "Berita Acara"),
    "daftar-hadir": ("DH", "Daftar Hadir"),
    "notulen": ("NT", "Notulen"),
    "rekap": ("RK", "Rekapitulasi Usulan"),
    "surat-pengantar": ("SP", "Surat Pengantar"),
    "surat-mandat": ("SM", "Surat Mandat"),
    "surat-desa": ("SD", "Surat Pelaksanaan Musrenbang Desa"),
}
# Letters the office writes on its own, not a forum's record: "... dari Kecamatan Sooko"
# rather than "... Musrenbang Kecamatan Sooko".
OFFICE_LETTERS = frozenset({"surat-desa"})
_KIND_BY_CODE = {code: kind for kind, (code, _title) in KINDS.items()}
KIND_ORDER = list(KINDS)  # index in the compact record: append new kinds, never reorder

# Summary keys -> (label, is rupiah), in the order verify prints them.
SUMMARY_LABELS: dict[str, tuple[str, bool]] = {
    "h": ("peserta hadir", False),
    "l": ("laki-laki", False),
    "w": ("perempuan", False),
    "u": ("usulan", False),
    "a": ("usulan diakomodir", False),
    "c": ("usulan cadangan", False),
    "x": ("usulan tidak diakomodir", False),
    "b": ("biaya usulan diakomodir", True),
    "t": ("biaya seluruh usulan", True),
    "p": ("pagu indikatif", True),
    "k": ("keputusan", False),
    "n": ("catatan notulen", False),
    "m": ("utusan", False),
}


class RecordError(ValueError):
    """The text is not a readable verification code (message in Indonesian)."""


@dataclass(frozen=True)
class Record:
    kind: str
    status: str  # "draf" or "final"
    wilayah: str
    wilayah_nama: str
    tahun: int
    nomor: str
    tanggal: str
    summary: dict[str, int]
    digest: bytes
    key_id: str  # 16 hex digits, upper case
    doc_id: str = ""
    signature: bytes = field(default=b"", repr=False)
    scheme: int = CURRENT_SCHEME

    def __post_init__(self) -> None:
        if not self.doc_id:
            object.__setattr__(self, "doc_id", self._derive_doc_id())

    # -- identity -------------------------------------------------------------------------
    def _derive_doc_id(self) -> str:
        """Ten base32 characters from the key, the kind, the region and the text digest.

        The same content issued again by the same office gets the same id (and, Ed25519 being
        deterministic, the very same code); any visible change gets a new one.
        """
        seed = _SEP.join([self.key_id, self.kind, self.status, self.wilayah, str(self.tahun)])
        raw = hashlib.sha256(seed.encode("utf-8") + self.digest).digest()
        return base64.b32encode(raw).decode("ascii")[:10]

    @property
    def short_code(self) -> str:
        """The readable code printed under the QR: ``ID 7F3K2-Q9XAM``."""
        return f"ID {self.doc_id[:5]}-{self.doc_id[5:]}"

    @property
    def is_draft(self) -> bool:
        return self.status == "draf"

    @property
    def kind_title(self) -> str:
        return KINDS[self.kind][1]

    @property
    def level_word(self) -> str:
        """Kecamatan, Desa or Kelurahan (village segment 1xxx), read from the code."""
        if self.wilayah.count(".") < 3:
            return "Kecamatan"
        return "Kelurahan" if self.wilayah.rsplit(".", 1)[-1].startswith("1") else "Desa"

    @property
    def subject(self) -> str:
        """``Berita Acara Musrenbang Kecamatan Sooko``; for an office letter
        ``Surat Pelaksanaan Musrenbang Desa dari Kecamatan Sooko``."""
        link = "dari" if self.kind in OFFICE_LETTERS else "Musrenbang"
        return f"{self.kind_title} {link} {self.level_word} {self.wilayah_nama}"

    def plain_line(self) -> str:
        """The QR's readable line, shown as is by any phone without the app.

        Compact records: capitals, digits and spaces only (``DRAF BERITA ACARA MUSRENBANG DESA
        GEMEKAN TAHUN 2027``), so the QR stores it in alphanumeric mode; the number, region
        code and the rest are in the signed code that follows.
        """
        if not self.is_legacy:
            text = " ".join(f"{self.subject} TAHUN {self.tahun}".upper().split())
            return f"DRAF {text}" if self.is_draft else text
        text = f"{self.subject} ({self.wilayah}) Tahun {self.tahun}"
        if self.nomor:
            text += f", Nomor {self.nomor}"
        return f"DRAF - {text}" if self.is_draft else text

    # -- bytes ------------------------------------------------------------------------------
    def _fields(self) -> bytes:
        summary = ",".join(f"{k}={v}" for k, v in self.summary.items())
        values = [
            self.doc_id,
            KINDS[self.kind][0],
            "D" if self.is_draft else "F",
            self.wilayah,
            self.wilayah_nama,
            str(self.tahun),
            self.nomor,
            self.tanggal,
            summary,
        ]
        for value in values:
            if _SEP in value:
                raise RecordError("Isi kode verifikasi memuat karakter kendali.")
        return _SEP.join(values).encode("utf-8")

    def _compact_fields(self) -> bytes:
        try:
            return compact.pack_body(
                scheme=self.scheme,
                kind_index=KIND_ORDER.index(self.kind),
                draft=self.is_draft,
                wilayah=self.wilayah,
                tahun=self.tahun,
                tanggal=self.tanggal,
                nomor=self.nomor,
                wilayah_nama=self.wilayah_nama,
                summary=self.summary,
            )
        except ValueError as exc:
            raise RecordError("Isi kode verifikasi tidak dapat dikodekan.") from exc

    @property
    def is_legacy(self) -> bool:
        """An MSR1 record (documents issued before the compact form)."""
        return self.scheme == LEGACY_SCHEME

    def _body(self) -> bytes:
        fields = self._fields() if self.is_legacy else self._compact_fields()
        return fields + self.digest + bytes.fromhex(self.key_id)

    def signed_message(self) -> bytes:
        return (VERSION_TAG if self.is_legacy else compact.VERSION_TAG) + self._body()

    def with_signature(self, signature: bytes) -> Record:
        return replace(self, signature=signature)

    def code(self) -> str:
        """The signed code: ``MSR2:`` + digits (``MSR1:`` + base32 for a legacy record)."""
        data = self._body() + self.signature
        if self.is_legacy:
            return PREFIX + base64.b32encode(data).decode("ascii").rstrip("=")
        return COMPACT_PREFIX + compact.to_digits(data)

    def qr_text(self, address: str = "") -> str:
        """What the QR holds: ``address#code`` when the office publishes its verify page,
        else the plain line and the code on the next line."""
        if address:
            return f"{address}#{self.code()}"
        separator = "\n" if self.is_legacy else " "
        return f"{self.plain_line()}{separator}{self.code()}"


def find_code_line(text: str) -> tuple[str | None, str]:
    """Split a scanned QR text into its plain line (if any) and its code.

    Accepts ``https://.../verifikasi.html#MSR2:...`` (the plain line is then None), the plain
    line and the code on two lines, or the code alone; ``MSR1:`` codes too.
    """
    if len(text) > MAX_CODE_TEXT:
        raise RecordError(f"Teks kode terlalu panjang ({len(text)} huruf): bukan isi QR dokumen.")
    text = text.strip()
    compact_at = text.find(" " + COMPACT_PREFIX)
    if compact_at >= 0 and "\n" not in text:  # "PLAIN LINE MSR2:..." on one line
        return text[:compact_at].strip() or None, text[compact_at + 1 :]
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    for i, line in enumerate(lines):
        if "#" in line and not line.startswith("MSR"):
            line = line.rsplit("#", 1)[1].strip()
            if line.startswith((PREFIX, COMPACT_PREFIX)):
                return None, line
        if line.startswith((PREFIX, COMPACT_PREFIX)):
            return (lines[i - 1] if i else None), line
        if line.startswith("MSR") and ":" in line[:6]:
            raise RecordError("Versi kode verifikasi tidak dikenal: perbarui aplikasi musrenbang.")
    raise RecordError("Teks ini bukan kode verifikasi dokumen musrenbang (tidak ada 'MSR2:').")


def parse_code(line: str) -> Record:
    """Decode an ``MSR2:`` or ``MSR1:`` code (signature not checked here)."""
    if line.startswith(COMPACT_PREFIX):
        return _parse_compact("".join(line[len(COMPACT_PREFIX) :].split()))
    return _parse_legacy(line)


def _parse_compact(digits: str) -> Record:
    """Decode, then re-encode: only the one canonical byte form of a record is accepted
    (no second spelling of the same signed content, nothing the encoder cannot make)."""
    try:
        data = compact.from_digits(digits)
        fields = compact.unpack(data)
        index = fields.pop("kind_index")
        if fields["scheme"] < CURRENT_SCHEME or index >= len(KIND_ORDER):
            raise compact.CompactError("unknown scheme or kind")
        record = Record(kind=KIND_ORDER[index], **fields)
        if record._body() + record.signature != data:
            raise compact.CompactError("not the canonical encoding")
        return record
    except ValueError as exc:
        raise RecordError("Kode verifikasi rusak atau terpotong: tidak dapat dibaca.") from exc


def _parse_legacy(line: str) -> Record:
    text = "".join(line[len(PREFIX) :].split()).upper()
    try:
        data = base64.b32decode(text + "=" * (-len(text) % 8))
    except ValueError as exc:
        raise RecordError("Kode verifikasi rusak atau terpotong (base32 tidak sah).") from exc
    if len(data) <= _TRAILER:
        raise RecordError("Kode verifikasi terpotong.")
    body, trailer = data[:-_TRAILER], data[-_TRAILER:]
    try:
        values = body.decode("utf-8").split(_SEP)
        doc_id, kind_code, status, wilayah, nama, tahun, nomor, tanggal, summary = values
        kind = _KIND_BY_CODE[kind_code]
        record = Record(
            kind=kind,
            status="draf" if status == "D" else "final",
            wilayah=wilayah,
            wilayah_nama=nama,
            tahun=int(tahun),
            nomor=nomor,
            tanggal=tanggal,
            summary=_parse_summary(summary),
            digest=trailer[:_DIGEST],
            key_id=trailer[_DIGEST : _DIGEST + _KEY_ID].hex().upper(),
            doc_id=doc_id,
            signature=trailer[_DIGEST + _KEY_ID :],
            scheme=LEGACY_SCHEME,
        )
    except (UnicodeDecodeError, ValueError, KeyError) as exc:
        raise RecordError("Kode verifikasi rusak: isinya tidak dapat dibaca.") from exc
    if status not in ("D", "F"):
        raise RecordError("Kode verifikasi rusak: status tidak dikenal.")
    return record


def _parse_summary(text: str) -> dict[str, int]:
    if not text:
        return {}
    pairs = (item.split("=", 1) for item in text.split(","))
    return {key: int(value) for key, value in pairs}


_SHORT_ID = re.compile(r"(?:ID\s*)?([A-Z2-7]{5})-?([A-Z2-7]{5})")


def short_id_of(text: str) -> str | None:
    """The document id in a typed short code (``ID BBOUE-PAE6Z``, ``bboue-pae6z``), or None."""
    match = _SHORT_ID.fullmatch(" ".join(text.split()).upper())
    return match.group(1) + match.group(2) if match else None
