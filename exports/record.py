"""The signed record a document's QR carries: what it is, a summary, the text digest.

QR text = one plain line a phone shows as is ("Berita Acara Musrenbang Kecamatan Sooko ...")
and, on the next line, ``MSR1:`` + base32 of the record (unpadded). Base32 stays in the QR
alphanumeric mode, so the code stays small enough to scan from a 150 dpi print, and unlike
base45 it has no space (lost when a trailing one is trimmed) and no ``$`` (expanded by a
shell when the text is pasted into ``verify --code "..."``). Record bytes (version 1):

    fields (UTF-8, joined by U+001F) | digest (32) | key id (8) | Ed25519 signature (64)

signed over ``MSR1`` + everything before the signature. ``MSR2:`` is the same layout for
records whose digest covers headers and footers too (``Record.scheme`` 2, what this version
issues); ``MSR1:`` records (scheme 1) were signed over the body only and keep verifying.
Fields: document id, kind, status (D draf / F final), region code, region name, planning
year, number, date (YYYY-MM-DD), summary (``u=42,b=1400000000``: counts and rupiah, see
:data:`SUMMARY_LABELS`).
"""

from __future__ import annotations

import base64
import hashlib
from dataclasses import dataclass, field, replace

PREFIX = "MSR1:"
# Canonical-text scheme (exports.canonical) -> the prefix that names it: MSR1 records were
# signed over the body only, MSR2 over the body, headers and footers. Same layout.
SCHEME_PREFIXES = {1: "MSR1:", 2: "MSR2:"}
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
    scheme: int = 2  # canonical-text scheme of ``digest`` (1: body only, MSR1 codes)

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
        """The first QR line, readable on any phone without the app."""
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

    def signed_message(self) -> bytes:
        return (
            self._prefix()[:-1].encode("ascii")
            + self._fields()
            + self.digest
            + bytes.fromhex(self.key_id)
        )

    def with_signature(self, signature: bytes) -> Record:
        return replace(self, signature=signature)

    def code(self) -> str:
        """The signed line: ``MSR1:`` + unpadded base32 of the record."""
        data = self._fields() + self.digest + bytes.fromhex(self.key_id) + self.signature
        return self._prefix() + base64.b32encode(data).decode("ascii").rstrip("=")

    def _prefix(self) -> str:
        return SCHEME_PREFIXES[self.scheme]

    def qr_text(self) -> str:
        return f"{self.plain_line()}\n{self.code()}"


def find_code_line(text: str) -> tuple[str | None, str]:
    """Split a scanned QR text into its plain line (if any) and its ``MSR1:`` line."""
    lines = [line.strip() for line in text.strip().splitlines() if line.strip()]
    for i, line in enumerate(lines):
        if line[:5] in SCHEME_PREFIXES.values():
            return (lines[i - 1] if i else None), line
        if line.startswith("MSR") and ":" in line[:6]:
            raise RecordError("Versi kode verifikasi tidak dikenal: perbarui aplikasi musrenbang.")
    raise RecordError("Teks ini bukan kode verifikasi dokumen musrenbang (tidak ada 'MSR1:').")


def parse_code(line: str) -> Record:
    """Decode an ``MSR1:`` line (signature not checked here)."""
    scheme = next((n for n, p in SCHEME_PREFIXES.items() if line.startswith(p)), 1)
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
            scheme=scheme,
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
