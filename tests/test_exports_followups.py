"""Follow-ups to the documents: letter numbers from the agenda book, the office key's
fingerprint in the verification block, and the signed letters to the desa (SOP step 1)."""

from __future__ import annotations

import zipfile
from collections.abc import Callable
from datetime import date
from pathlib import Path

import docx
import pytest

from exports import keys, register
from exports.canonical import canonical_of_file
from exports.documents.surat_desa import write_letters
from exports.export_all import export_document
from exports.report_package import write_report_package
from exports.verification import verify_docx
from store import agenda_book
from tests.forum_factory import make_forum, make_ready
from tests.sop_helpers import SOOKO, kecamatan_forum

DOTS = "...................."
JAPAN, GEMEKAN = "35.16.13.2009", "35.16.13.2001"


def _texts(path: Path) -> list[str]:
    """Every paragraph of the body and of its tables, as python-docx reads them."""
    document = docx.Document(str(path))
    cells = [p for t in document.tables for r in t.rows for c in r.cells for p in c.paragraphs]
    return [p.text for p in [*document.paragraphs, *cells]]


def _line(path: Path, start: str) -> str:
    return next(t for t in _texts(path) if t.startswith(start))


def _book_letter(jenis: str, *, tahun: int = 2027, wilayah: str = SOOKO) -> str:
    entry = agenda_book.number_outgoing(
        tanggal="2026-02-13",
        pihak="Kepala Bappeda Kabupaten Mojokerto",
        perihal=jenis,
        jenis=jenis,
        tahun_perencanaan=tahun,
        wilayah=wilayah,
    )
    return entry["nomor"]


def _rewrite(source: Path, target: Path, change: Callable[[str], str]) -> Path:
    """Copy a .docx, passing word/document.xml through ``change``."""
    with zipfile.ZipFile(source) as zin, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            data = zin.read(item)
            if item.filename == "word/document.xml":
                data = change(data.decode("utf-8")).encode("utf-8")
            zout.writestr(item, data)
    return target


# --------------------------------------------------------------------------- numbers


def test_report_package_letter_prints_the_number_from_the_book(tmp_path: Path) -> None:
    with kecamatan_forum(tmp_path / "kecamatan.musrenbang") as kec:
        make_ready(kec).signoff.finalize()
        kec.signoff.sign("sekcam", "Sekretaris Kecamatan")
        kec.signoff.sign("camat", "Drs. Camat Sooko")
        numbered = kec.meta["nomor_surat_pengantar"]  # taken from the book at finalize
        package = write_report_package(kec, tmp_path / "laporan")
    letter = package.files[0]
    assert letter.name == "surat-pengantar.docx" and package.nomor_pengantar == numbered
    assert _line(letter, "Nomor") == f"Nomor\t: {package.nomor_pengantar}"
    assert verify_docx(letter).record.nomor == package.nomor_pengantar


def test_book_numbers_fill_what_the_header_lacks(tmp_path: Path) -> None:
    mandat, ba = _book_letter("surat-mandat"), _book_letter("berita-acara")
    _book_letter("surat-mandat", tahun=2028)  # another planning year: not this forum's
    _book_letter("surat-mandat", wilayah=JAPAN)  # another region: not this forum's
    with make_forum(tmp_path / "kec.musrenbang") as forum:
        make_ready(forum).signoff.finalize()  # the numbers taken by hand in the book are kept
        files = {
            kind: export_document(forum, kind, tmp_path / f"{kind}.docx")[0]
            for kind in ("surat-mandat", "berita-acara", "rekap")
        }
    assert _line(files["surat-mandat"], "Nomor:") == f"Nomor: {mandat}"
    assert f"Nomor {ba} " in _line(files["surat-mandat"], "berdasarkan")
    assert f"NOMOR: {ba}" in _texts(files["berita-acara"])
    records = {kind: verify_docx(path).record for kind, path in files.items()}
    assert {kind: r.nomor for kind, r in records.items()} == {
        "surat-mandat": mandat,
        "berita-acara": ba,
        "rekap": ba,
    }


def test_header_number_wins_over_the_book(tmp_path: Path) -> None:
    _book_letter("surat-mandat")
    with make_forum(tmp_path / "kec.musrenbang", nomor_surat_mandat="050/77/416-313/2026") as f:
        path = export_document(f, "surat-mandat", tmp_path / "mandat.docx")[0]
    assert _line(path, "Nomor:") == "Nomor: 050/77/416-313/2026"
    assert f"Nomor {DOTS} " in _line(path, "berdasarkan")  # no BA number anywhere yet


# --------------------------------------------------------------------------- key fingerprint


@pytest.fixture
def mandat(tmp_path: Path) -> Path:
    with make_forum(tmp_path / "kec.musrenbang") as forum:
        forum.utusan.add("Agus Santoso", "Ketua BPD Japan", "BPD Japan")
        return export_document(forum, "surat-mandat", tmp_path / "mandat.docx")[0]


def test_fingerprint_is_printed_in_the_verification_block(mandat: Path) -> None:
    fingerprint = keys.format_key_id(keys.key_id(keys.public_key()))
    assert len(fingerprint) == 19
    block = canonical_of_file(mandat).block_lines
    assert f"Kunci: {fingerprint}" in block
    assert f"Kunci:\n{fingerprint}" in _texts(mandat)  # on a line of its own, whole
    result = verify_docx(mandat)
    assert result.ok, result.reason
    resaved = mandat.with_name("disimpan-ulang.docx")
    docx.Document(str(mandat)).save(str(resaved))
    assert verify_docx(resaved).ok


def _replace_text(source: Path, target: Path, swaps: dict[str, str]) -> Path:
    """Copy a .docx with whole runs of text replaced (each must occur exactly once)."""

    def change(xml: str) -> str:
        for old, new in swaps.items():
            assert xml.count(f">{old}<") == 1, old
            xml = xml.replace(f">{old}<", f">{new}<")
        return xml

    return _rewrite(source, target, change)


def test_other_text_in_the_key_line_fails(mandat: Path, tmp_path: Path) -> None:
    fingerprint = keys.format_key_id(keys.key_id(keys.public_key()))
    other = keys.format_key_id("0123456789ABCDEF")
    for n, new in enumerate((other, f"{fingerprint} (disetujui Camat)", "")):
        changed = _replace_text(mandat, tmp_path / f"ubah-{n}.docx", {fingerprint: new})
        result = verify_docx(changed)
        assert not result.ok and "teks tambahan" in result.reason, new
    # A document issued before the key line was printed still verifies.
    older = _replace_text(mandat, tmp_path / "lama.docx", {"Kunci:": "", fingerprint: ""})
    assert not [line for line in canonical_of_file(older).block_lines if "Kunci" in line]
    result = verify_docx(older)
    assert result.ok, result.reason


# --------------------------------------------------------------------------- letters to desa


def test_each_letter_to_a_desa_is_issued_with_a_code(tmp_path: Path) -> None:
    first = write_letters(SOOKO, 2027, tmp_path, tanggal=date(2026, 1, 6), desa=[GEMEKAN, JAPAN])
    numbers = {e["tujuan_kode"]: e["nomor"] for e in agenda_book.entries(jenis="surat-desa")}
    results = [verify_docx(path) for path in first]
    assert all(r.ok for r in results), [r.reason for r in results]
    records = [r.record for r in results]
    assert [r.kind for r in records] == ["surat-desa", "surat-desa"]
    assert [r.nomor for r in records] == [numbers[GEMEKAN], numbers[JAPAN]]
    assert {(r.wilayah, r.status, r.tanggal) for r in records} == {(SOOKO, "final", "2026-01-06")}
    assert records[1].subject == "Surat Pelaksanaan Musrenbang Desa dari Kecamatan Sooko"
    assert records[1].plain_line() == (
        "SURAT PELAKSANAAN MUSRENBANG DESA DARI KECAMATAN SOOKO TAHUN 2027"
    )
    assert any(t.startswith("Kunci:") for t in _texts(first[1]))
    # No forum issued them: the office register keeps one origin per desa, so Japan's letter
    # written again replaces Japan's earlier letter only.
    old_japan = first[1].with_name("japan-lama.docx")
    first[1].rename(old_japan)
    again = write_letters(SOOKO, 2027, tmp_path, tanggal=date(2026, 1, 8), desa=[JAPAN])
    assert verify_docx(again[0]).ok and verify_docx(again[0]).record.nomor == numbers[JAPAN]
    replaced = verify_docx(old_japan)
    assert not replaced.ok and replaced.superseded_by == verify_docx(again[0]).record.doc_id
    assert verify_docx(first[0]).ok
    assert sorted(e["status"] for e in register.entries()) == ["berlaku", "berlaku", "diganti"]
