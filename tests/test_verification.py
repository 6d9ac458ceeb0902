"""The verification code: record, signature, trust, canonical text and tampering."""

from __future__ import annotations

import hashlib
import subprocess
import sys
import zipfile
from collections.abc import Callable
from pathlib import Path

import docx
import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from hypothesis import given, settings
from hypothesis import strategies as st

from exports import docx_kit as kit
from exports import keys, register
from exports.canonical import VERIFICATION_STYLE, canonical_of_document, canonical_of_file
from exports.docx_package import Unverifiable
from exports.export_all import export_document
from exports.record import COMPACT_PREFIX, PREFIX, Record, RecordError, parse_code
from exports.verification import sign, verify_code, verify_docx
from store.forum import open_forum
from tests.forum_factory import make_forum

ROOT = Path(__file__).resolve().parent.parent


def _record(**changes) -> Record:
    fields = {
        "kind": "rekap",
        "status": "final",
        "wilayah": "35.16.13",
        "wilayah_nama": "Sooko",
        "tahun": 2027,
        "nomor": "050/12/416-313/2026",
        "tanggal": "2026-02-12",
        "summary": {"u": 42, "a": 20, "b": 2_460_000_000, "p": 2_500_000_000},
        "digest": hashlib.sha256(b"isi").digest(),
        "key_id": keys.ensure_key(),
    }
    return Record(**(fields | changes))


# --------------------------------------------------------------------------- codes


def test_code_round_trip_and_plain_first_line():
    record = sign(_record())
    text = record.qr_text()
    first, code = text.rsplit(" ", 1)
    assert first == "REKAPITULASI USULAN MUSRENBANG KECAMATAN SOOKO TAHUN 2027"
    assert code.startswith(COMPACT_PREFIX) and code[len(COMPACT_PREFIX) :].isdigit()
    assert parse_code(code) == record and parse_code(code).scheme == 2
    assert len(record.doc_id) == 10 and record.short_code == (
        f"ID {record.doc_id[:5]}-{record.doc_id[5:]}"
    )


def test_legacy_msr1_code_keeps_its_form_and_verifies():
    record = sign(_record(scheme=1))
    first, code = record.qr_text().split("\n")
    assert first == (
        "Rekapitulasi Usulan Musrenbang Kecamatan Sooko (35.16.13) Tahun 2027, "
        "Nomor 050/12/416-313/2026"
    )
    assert code.startswith(PREFIX) and " " not in code and "$" not in code
    assert parse_code(code) == record and parse_code(code).scheme == 1
    assert verify_code(record.qr_text()).ok


def test_a_legacy_code_relabelled_as_the_new_scheme_is_refused():
    legacy = sign(_record(scheme=1))
    relabelled = "MSR2:" + legacy.code()[len(PREFIX) :]  # same bytes, other scheme
    with pytest.raises(RecordError):
        parse_code(relabelled)


def test_draft_code_says_draf():
    record = sign(_record(status="draf"))
    assert record.qr_text().startswith("DRAF ")
    assert parse_code(record.code()).is_draft


@settings(max_examples=30, deadline=None)
@given(
    nomor=st.text(st.characters(blacklist_categories=("Cc", "Cs")), max_size=40),
    nama=st.text(st.characters(blacklist_categories=("Cc", "Cs")), min_size=1, max_size=30),
    counts=st.dictionaries(st.sampled_from("hlwuacxbtpknm"), st.integers(0, 10**13)),
)
def test_any_header_text_survives_the_code(nomor, nama, counts):
    record = sign(_record(nomor=nomor, wilayah_nama=nama, summary=counts))
    decoded = parse_code(record.code())
    assert (decoded.nomor, decoded.wilayah_nama, decoded.summary) == (nomor, nama, counts)
    assert verify_code(record.code()).ok


def test_valid_code_verifies_with_signed_summary():
    result = verify_code(sign(_record()).qr_text())
    assert result.ok, result.reason
    text = "\n".join(result.summary_lines())
    assert "pagu indikatif          : Rp2.500.000.000" in text
    assert "usulan                  : 42" in text
    assert "Status    : final" in text
    assert "kunci kantor ini" in text


def test_same_content_gives_the_same_code():
    assert sign(_record()).code() == sign(_record()).code()
    assert sign(_record()).doc_id != sign(_record(digest=bytes(32))).doc_id


@pytest.mark.parametrize("position", [10, 40, 120, -20])
def test_any_changed_character_is_rejected(position: int):
    code = sign(_record()).code()
    index = position % len(code)
    if index < len(COMPACT_PREFIX):
        index = len(COMPACT_PREFIX)
    swapped = str((int(code[index]) + 1) % 10)
    assert not verify_code(code[:index] + swapped + code[index + 1 :]).ok


def test_forged_field_with_the_old_signature_is_rejected():
    genuine = sign(_record())
    forged = _record(summary={"u": 42, "a": 20, "b": 1, "p": 2_500_000_000}).with_signature(
        genuine.signature
    )
    result = verify_code(forged.code())
    assert not result.ok and "tanda tangan digital" in result.reason


def _foreign_record(wilayah: str = "35.16.13.2009") -> tuple[Record, Ed25519PrivateKey]:
    key = Ed25519PrivateKey.generate()
    record = _record(wilayah=wilayah, wilayah_nama="Japan", key_id=keys.key_id(key.public_key()))
    return record.with_signature(key.sign(record.signed_message())), key


def test_foreign_key_rejected_until_trusted_for_that_region(tmp_path: Path):
    keys.ensure_key()
    record, key = _foreign_record()
    result = verify_code(record.qr_text())
    assert not result.ok and "tidak dikenal" in result.reason
    pem = tmp_path / "japan.pem"
    pem.write_bytes(keys.public_pem(key.public_key()))
    keys.trust_key(pem, "35.16.13.2001")  # another desa: still unknown here
    assert not verify_code(record.qr_text()).ok
    keys.trust_key(pem, "35.16.13.2009")
    trusted = verify_code(record.qr_text())
    assert trusted.ok and "dipercaya untuk wilayah 35.16.13.2009" in trusted.key_note


def test_changed_plain_line_is_rejected():
    record = sign(_record())
    text = record.qr_text().replace("TAHUN 2027", "TAHUN 2028")
    result = verify_code(text)
    assert not result.ok and "Baris pertama" in result.reason
    assert verify_code(record.code()).ok  # the signed line alone is fine


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("https://contoh.id/bukan-kode", "bukan kode verifikasi"),
        ("MSR1:", "terpotong"),
        ("MSR1:!!!!", "rusak"),
        ("MSR9:AAAA", "Versi kode"),
        ("MSR2:", "terpotong"),
        ("MSR2:12345", "rusak"),
        ("MSR2:999", "rusak"),
        ("https://contoh.id/v#MSR2:0000", "rusak"),
    ],
)
def test_unreadable_codes_say_why(text: str, words: str):
    result = verify_code(text)
    assert not result.ok and words in result.reason


def test_superseded_document_is_flagged_from_the_register():
    record = sign(_record())
    base = {"jenis": "rekap", "nomor": "", "tanggal": "", "digest": "", "forum": "f"}
    register.record_issue({**base, "doc_id": record.doc_id})
    assert verify_code(record.code()).ok
    register.record_issue({**base, "doc_id": "NEWERDOC01"})
    result = verify_code(record.code())
    assert not result.ok and result.superseded_by == "NEWERDOC01"
    assert "diganti" in result.reason


# --------------------------------------------------------------------------- canonical text


def _doc_with_everything():
    doc = kit.new_document()
    kit.add_page_number_footer(doc.sections[0], left_text="Kaki")
    kit.add_draft_mark(doc.sections[0])
    kit.add_par(doc, "  Pada   hari\tini  ")
    par = kit.add_par(doc, "Biaya ")
    kit.add_run(par, "Rp1.500.")
    kit.add_run(par, "000")
    hidden = kit.add_run(par, " rahasia")
    hidden.font.hidden = True
    kit.add_field(par, "PAGE", "7")
    kit.add_par(doc, "")
    kit.add_table(doc, [kit.Column("A", 30), kit.Column("B", 30)], [["satu", "dua"]])
    from exports.documents.signature_block import verification_style

    style = verification_style(doc)
    doc.add_paragraph("Kode verifikasi dokumen", style=style)
    return doc


def test_canonical_text_is_the_body_then_headers_and_footers(tmp_path: Path):
    doc = _doc_with_everything()
    body = "Pada hari ini\nBiaya Rp1.500.000\nA | B\nsatu | dua"
    assert canonical_of_document(doc, scheme=1).text == body
    canon = canonical_of_document(doc)
    assert canon.text == (
        f"{body}\nkepala halaman: {kit.DRAFT_NOTE}\nkepala halaman: tanda air: DRAF\n"
        "kaki halaman: Kaki Halaman dari"
    )
    assert canon.block_lines == ["Kode verifikasi dokumen"]
    assert canonical_of_document(doc, scheme=1).digest != canon.digest
    # Hidden text and a field in the body are left out of the text, and refused in a file.
    path = tmp_path / "c.docx"
    doc.save(str(path))
    with pytest.raises(Unverifiable, match="tersembunyi"):
        canonical_of_file(path)


def test_canonical_text_survives_run_splits_and_style_id_changes(tmp_path: Path):
    one, two = kit.new_document(), kit.new_document()
    kit.add_par(one, "Paving jalan lingkungan")
    par = kit.add_par(two, "Paving ")
    kit.add_run(par, "jalan", bold=True)
    kit.add_run(par, "  lingkungan")
    assert canonical_of_document(one).text == canonical_of_document(two).text
    # A re-save may give the style another id; the name is what counts.
    doc = _doc_with_everything()
    for style in doc.styles.element.iter(
        "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}style"
    ):
        if style.find(kit.qn("w:name")).get(kit.qn("w:val")) == VERIFICATION_STYLE:
            old = style.get(kit.qn("w:styleId"))
            style.set(kit.qn("w:styleId"), "KodeVerifikasi1")
    for p in doc.element.body.iter(kit.qn("w:pStyle")):
        if p.get(kit.qn("w:val")) == old:
            p.set(kit.qn("w:val"), "KodeVerifikasi1")
    assert canonical_of_document(doc).block_lines == ["Kode verifikasi dokumen"]


# --------------------------------------------------------------------------- issued files


@pytest.fixture
def issued(tmp_path: Path, fixed_clock) -> dict[str, Path]:
    """A small kecamatan forum's rekap and surat mandat, issued for real."""
    forum = make_forum(tmp_path / "kecil.musrenbang", nomor_surat="050/7/416-313/2026")
    for name, cost in (("Paving jalan Dusun Krajan", 312_000_000), ("Posyandu Melati", 85_000_000)):
        rec_id, _ = forum.proposals.add(
            desa="Japan",
            kegiatan=name,
            bidang="Infrastruktur",
            biaya=cost,
            lokasi="Dusun Krajan",
            volume=10,
            satuan="m",
        )
        forum.proposals.set_status(rec_id, "diakomodir")
    forum.utusan.add("Agus Santoso", "Ketua BPD Japan", "BPD Japan")
    files = {
        kind: export_document(forum, kind, tmp_path / f"{kind}.docx")[0]
        for kind in ("rekap", "surat-mandat")
    }
    forum.close()
    return files


def _rewrite(source: Path, target: Path, change: Callable[[str], str]) -> Path:
    """Copy a .docx, passing word/document.xml through ``change``."""
    with zipfile.ZipFile(source) as zin, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            data = zin.read(item)
            if item.filename == "word/document.xml":
                data = change(data.decode("utf-8")).encode("utf-8")
            zout.writestr(item, data)
    return target


def test_issued_document_verifies(issued: dict[str, Path]):
    for path in issued.values():
        result = verify_docx(path)
        assert result.ok, (path, result.reason)
        assert result.reason.startswith("SAH")
    rekap = verify_docx(issued["rekap"]).record
    assert rekap.summary["b"] == 397_000_000 and rekap.nomor == "050/7/416-313/2026"


def test_one_changed_digit_of_a_cost_fails(issued: dict[str, Path], tmp_path: Path):
    def change(xml: str) -> str:
        assert ">312.000.000<" in xml
        return xml.replace(">312.000.000<", ">313.000.000<", 1)

    result = verify_docx(_rewrite(issued["rekap"], tmp_path / "ubah.docx", change))
    assert not result.ok and "berubah" in result.reason
    assert result.record is not None  # what was signed is still shown


def test_changed_name_fails(issued: dict[str, Path], tmp_path: Path):
    changed = _rewrite(
        issued["surat-mandat"],
        tmp_path / "nama.docx",
        lambda xml: xml.replace("Agus Santoso", "Agus Susanto"),
    )
    assert not verify_docx(changed).ok


def test_text_added_to_the_verification_block_fails(issued: dict[str, Path], tmp_path: Path):
    marker = "ID "

    def change(xml: str) -> str:
        assert xml.count(f">{marker}") == 1
        return xml.replace(f">{marker}", ">Usulan X juga disetujui. ID ", 1)

    result = verify_docx(_rewrite(issued["surat-mandat"], tmp_path / "tambah.docx", change))
    assert not result.ok and "teks tambahan" in result.reason


def test_file_without_code_and_bad_files(tmp_path: Path):
    plain = tmp_path / "biasa.docx"
    docx.Document().save(str(plain))
    result = verify_docx(plain)
    assert not result.ok and not result.bad_input and "tidak memuat kode" in result.reason
    text = tmp_path / "bukan.docx"
    text.write_text("halo")
    assert verify_docx(text).bad_input and "bukan dokumen Word" in verify_docx(text).reason
    assert verify_docx(tmp_path / "hilang.docx").bad_input


def test_writable_forum_registers_documents(issued: dict[str, Path], tmp_path: Path):
    with open_forum(tmp_path / "kecil.musrenbang", readonly=True) as forum:
        documents = forum.signoff.documents()
    kinds = sorted(d["jenis"] for d in documents)
    assert kinds == ["rekap", "surat-mandat"]
    codes = {verify_docx(p).record.doc_id for p in issued.values()}
    assert codes == {d["doc_id"] for d in documents}
    assert {e["doc_id"] for e in register.entries()} == codes


def test_verify_loads_neither_python_docx_nor_qrcode(issued: dict[str, Path]):
    script = (
        "import sys\n"
        "from exports.verification import verify_docx\n"
        f"assert verify_docx({str(issued['rekap'])!r}).ok\n"
        "print(sorted(m for m in ('docx', 'qrcode', 'PIL', 'textual') if m in sys.modules))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert out.stdout.strip() == "[]"
