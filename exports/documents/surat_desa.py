"""Surat ke desa (SOP step 1): the Camat asks each desa to hold its Musrenbang Desa.

Written from the office, not from a forum: it goes out before any Musrenbangdes exists and
often before the kecamatan forum is set up. One letter per desa, each numbered from the
outgoing-letter agenda book (``store.agenda_book``; writing the letters again reuses the
numbers already taken), citing the Kabupaten's letter registered in the incoming book.
The letterhead and the Camat's signature block are the same helpers every document uses,
and like every document the letter carries a verification code (kind ``surat-desa``), so a
desa can check that it really comes from its kecamatan. No forum issues it: it goes into the
office's register of issued documents only, one origin per desa and year, so writing a
letter again replaces the earlier letter to that desa and no other.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from docx.shared import Mm

from exports.documents.context import DocContext
from exports.documents.kop import add_kop
from exports.documents.page import add_numbered, start_document
from exports.documents.signature_block import add_signature_block
from exports.docx_kit import add_labelled_line, add_par, layout_table, text_width_mm
from exports.issuing import Built, issue
from store import agenda_book
from store.formatting import format_date
from store.regions import desa_of, region

KIND = "surat-desa"
BODY_INDENT_MM = 15


class _Nothing:
    """A letter not yet sent: nobody signed it and nobody attended anything. The names come
    from the office settings."""

    def signatures(self) -> list[dict[str, Any]]:
        return []

    def all(self) -> list[dict[str, Any]]:
        return []


@dataclass
class LetterSource:
    """What the document helpers read from a forum, for a letter of the office itself."""

    meta: dict[str, Any]
    signoff: _Nothing = field(default_factory=_Nothing)
    participants: _Nothing = field(default_factory=_Nothing)


def letter_context(kecamatan: str, tahun: int, tanggal: date) -> DocContext:
    place = region(kecamatan)
    kabupaten = region(place.parent_code or "").name
    meta = {
        "level": "kecamatan",
        "wilayah_kode": place.code,
        "wilayah_nama": place.name,
        "kabupaten": kabupaten,
        "tahun": int(tahun),
        "tanggal": tanggal.isoformat(),
        "status": "final",
    }
    return DocContext(LetterSource(meta))


def write_letters(
    kecamatan: str,
    tahun: int,
    out_dir: Path,
    *,
    tanggal: date,
    batas_musrenbangdes: date | None = None,
    batas_kirim: date | None = None,
    desa: list[str] | None = None,
    passphrase: str | None = None,
) -> list[Path]:
    """Write (number, sign) the letter to every desa of the kecamatan, or to ``desa`` codes
    only; returns the files, ``surat-desa-<kode>-<nama>.docx`` in ``out_dir``."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    ctx = letter_context(kecamatan, tahun, tanggal)
    incoming = agenda_book.entries(
        arah="masuk", jenis="surat-kabupaten", tahun_perencanaan=int(tahun), wilayah=ctx.region.code
    )
    source = incoming[-1] if incoming else None
    chosen = [d for d in desa_of(ctx.region.code) if desa is None or d.code in desa]
    written = []
    for place in chosen:
        entry = agenda_book.find_outgoing(
            KIND, tahun_perencanaan=int(tahun), wilayah=ctx.region.code, tujuan_kode=place.code
        ) or agenda_book.number_outgoing(
            tanggal=tanggal,
            pihak=f"Kepala Desa {place.name}",
            perihal=_perihal(tahun),
            jenis=KIND,
            tahun_perencanaan=int(tahun),
            wilayah=ctx.region.code,
            tujuan_kode=place.code,
        )
        target = out_dir / f"{KIND}-{place.code}-{place.name.replace(' ', '')}.docx"
        built = build(ctx, place.name, entry["nomor"], source, batas_musrenbangdes, batas_kirim)
        origin = f"{KIND}:{ctx.region.code}:{ctx.tahun}:{place.code}"
        issue(built, ctx, target, passphrase=passphrase, origin=origin)
        agenda_book.edit_entry(entry["id"], berkas=str(target.resolve()))
        written.append(target)
    return written


def _perihal(tahun: int) -> str:
    return f"Pelaksanaan Musrenbang Desa Tahun {tahun}"


def build(
    ctx: DocContext,
    desa_nama: str,
    nomor: str,
    source: dict[str, Any] | None,
    batas_musrenbangdes: date | None,
    batas_kirim: date | None,
) -> Built:
    """The letter to one desa, ready to issue."""
    doc = start_document(ctx, footer_note=f"Surat Camat {ctx.wilayah_nama}: {_perihal(ctx.tahun)}")
    add_kop(doc, ctx)
    _head(doc, ctx, desa_nama, nomor)
    if source:
        reference = (
            f"Menindaklanjuti surat {source['pihak']} Nomor {source['nomor']} tanggal "
            f"{format_date(date.fromisoformat(source['tanggal']))} perihal {source['perihal']}, "
        )
    else:
        reference = "Dalam rangka penyusunan rencana pembangunan, "
    intro = (
        f"{reference}dengan ini kami mohon Saudara melaksanakan Musyawarah Perencanaan "
        f"Pembangunan Desa (Musrenbang Desa) Desa {desa_nama} dalam rangka penyusunan Rencana "
        f"Kerja Pemerintah Desa (RKP Desa) dan usulan Rencana Kerja Pemerintah Daerah (RKPD) "
        f"Kabupaten {ctx.kabupaten_nama} Tahun {ctx.tahun}, dengan ketentuan sebagai berikut:"
    )
    _body_par(doc, "Dengan hormat,", indent_first=False)
    _body_par(doc, intro, indent_first=True)
    held = "sesuai jadwal yang ditetapkan"
    if batas_musrenbangdes:
        held = f"paling lambat tanggal {format_date(batas_musrenbangdes)}"
    sent = "paling lambat 1 (satu) hari setelah Musrenbang Desa"
    if batas_kirim:
        sent = f"paling lambat tanggal {format_date(batas_kirim)}"
    items = [
        f"Musrenbang Desa dilaksanakan {held};",
        "Peserta melibatkan unsur Pemerintah Desa, BPD, LPM, PKK, Karang Taruna, tokoh "
        "masyarakat, tokoh agama, kelompok perempuan, kelompok tani, dan kelompok rentan/"
        "penyandang disabilitas, dengan keterwakilan perempuan paling sedikit 30%;",
        "Hasil Musrenbang Desa berupa berita acara, daftar hadir, notulen dan daftar usulan "
        "yang ditandatangani Kepala Desa, Ketua BPD dan wakil masyarakat disampaikan kepada "
        f"Camat {ctx.kecamatan_nama} {sent}, dalam bentuk cetak dan berkas bundel "
        "Musrenbang bertanda tangan digital;",
        f"Desa menetapkan delegasi yang akan menghadiri Musrenbang Kecamatan {ctx.kecamatan_nama}.",
    ]
    add_numbered(doc, items, indent_mm=BODY_INDENT_MM + 3, space_after=2)
    closing = _body_par(
        doc,
        "Demikian untuk menjadi perhatian dan dilaksanakan, atas kerja samanya kami sampaikan "
        "terima kasih.",
        indent_first=True,
        space_before=4,
        space_after=10,
    )
    slot = add_signature_block(doc, [ctx.signer("camat")], draft=ctx.draft, closing=closing)
    return Built(KIND, doc, slot, nomor)


def _head(doc, ctx: DocContext, desa_nama: str, nomor: str) -> None:
    """Nomor/Sifat/Lampiran/Perihal on the left; place, date and addressee on the right."""
    width = text_width_mm(doc.sections[0])
    table = layout_table(doc, [width * 0.58, width * 0.42], 1)
    left, right = table.rows[0].cells
    left._tc.remove(left.paragraphs[0]._p)
    for label, value in (
        ("Nomor", nomor),
        ("Sifat", "Penting"),
        ("Lampiran", "-"),
        ("Perihal", _perihal(ctx.tahun)),
    ):
        add_labelled_line(left, label, value, label_mm=20)
    right.paragraphs[0].add_run(ctx.place_date)
    for text in ("", "Kepada", f"Yth. Kepala Desa {desa_nama}", "di -"):
        add_par(right, text)
    add_par(right, desa_nama.upper(), bold=True).paragraph_format.left_indent = Mm(8)
    add_par(doc, space_after=10)


def _body_par(
    doc, text: str, *, indent_first: bool, space_before: float = 0, space_after: float = 4
):
    par = add_par(doc, text, align="justify", space_before=space_before, space_after=space_after)
    par.paragraph_format.left_indent = Mm(BODY_INDENT_MM)
    if indent_first:
        par.paragraph_format.first_line_indent = Mm(10)
    return par
