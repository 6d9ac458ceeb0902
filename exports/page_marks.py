"""What our generator writes in page headers and footers, as a verifier reads it.

Documents signed under the legacy scheme (MSR1 codes, :data:`exports.canonical.LEGACY_SCHEME`)
were signed over the body only, so their headers and footers are checked here against what
version 1 of the generator wrote, exactly: the footer ``<document name> Halaman X dari Y``
(page numbers left out) and, on drafts only, the header ``DRAF: belum final, jangan
ditandatangani`` with the DRAF watermark. The names below are frozen with that version:
changing a document's name today must not break the documents already issued.
"""

from __future__ import annotations

from exports.canonical import WATERMARK_LABEL, Canonical
from exports.record import Record

DRAFT_WORD = "DRAF"
DRAFT_NOTE = "DRAF: belum final, jangan ditandatangani"
PAGE_NUMBER_TEXT = "Halaman dari"  # "Halaman 3 dari 7" without its two page fields

_FORUM_DOCUMENTS = {
    "daftar-hadir": "Daftar Hadir",
    "notulen": "Notulen",
    "rekap": "Rekapitulasi Usulan",
    "surat-mandat": "Surat Mandat",
    "surat-pengantar": "Surat Pengantar Hasil",
}


def legacy_footer_note(record: Record) -> str:
    """The document name version 1 printed at the foot of every page of ``record``'s kind."""
    level = f"{record.level_word} {record.wilayah_nama}"
    forum = f"Musrenbang {level} Tahun {record.tahun}"
    if record.kind == "berita-acara":
        agreed = "Hasil Kesepakatan " if record.level_word == "Kecamatan" else ""
        return f"Berita Acara {agreed}{forum}"
    if record.kind == "surat-desa":
        return (
            f"Surat Camat {record.wilayah_nama}: Pelaksanaan Musrenbang Desa Tahun {record.tahun}"
        )
    return f"{_FORUM_DOCUMENTS[record.kind]} {forum}"


def legacy_page_problem(canon: Canonical, record: Record) -> str | None:
    """Why the headers or footers of a legacy document are not what we wrote, or None."""
    draft_header = [DRAFT_NOTE, f"{WATERMARK_LABEL}: {DRAFT_WORD}"]
    headers = [lines for lines in canon.headers if lines]
    expected_headers = [draft_header] if record.is_draft else []
    if headers != expected_headers:
        shown = " / ".join(line for lines in headers for line in lines) or "(kosong)"
        return f"tidak dapat diverifikasi: kepala halaman tidak seperti yang diterbitkan ({shown})."
    footer = f"{legacy_footer_note(record)} {PAGE_NUMBER_TEXT}"
    for lines in canon.footers:
        if lines and lines != [footer]:
            return (
                "tidak dapat diverifikasi: kaki halaman tidak seperti yang diterbitkan "
                f"({' / '.join(lines)})."
            )
    return None
