"""Strict verification: every kind of forgery a viewer would draw is refused, while the
genuine file, its LibreOffice re-save and Word's usual re-save additions verify.

Forged files are made here from genuine issued documents (lxml edits, parts and zip tricks),
one per kind; ``tests/data/trust/`` holds forgeries made by someone else.
"""

from __future__ import annotations

import io
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from lxml import etree

from exports import keys
from exports.docx_package import MAX_ENTRIES
from exports.export_all import export_document
from exports.verification import verify_docx
from tests.forum_factory import make_forum, make_ready
from tests.verify_forgery import (
    NS,
    add_relationship,
    body_runs,
    forge,
    fragment,
    props_of,
    run_with,
    w,
    with_comment,
    with_declared_size,
    with_duplicate_entry,
    with_gap,
    with_prefix,
)

ROOT = Path(__file__).resolve().parent.parent
TRUST = Path(__file__).parent / "data" / "trust"
DOC = "word/document.xml"
DOC_RELS = "word/_rels/document.xml.rels"
COST = "312.000.000"
ALL_KINDS = ("rekap", "surat-mandat", "berita-acara", "notulen", "daftar-hadir", "surat-pengantar")


@pytest.fixture(scope="module")
def _issued_master(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A data dir holding a key and a draft rekap, a draft surat mandat and a final rekap."""
    folder = tmp_path_factory.mktemp("issued")
    home = folder / "home"
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("MUSRENBANG_HOME", str(home))
        for name, final in (("draf", False), ("final", True)):
            forum = make_forum(folder / f"{name}.musrenbang", nomor_surat="050/7/416-313/2026")
            rec_id, _ = forum.proposals.add(
                desa="Japan", kegiatan="Paving jalan", bidang="Infrastruktur", biaya=312_000_000
            )
            forum.proposals.set_status(rec_id, "diakomodir")
            if final:
                make_ready(forum).signoff.finalize()
            for kind in ALL_KINDS if final else ("rekap", "surat-mandat"):
                export_document(forum, kind, folder / f"{kind}-{name}.docx")
            forum.close()
    return folder


@pytest.fixture
def issued(_issued_master: Path, musrenbang_home: Path, tmp_path: Path) -> dict[str, Path]:
    """This test's copies of the issued files, in a data dir holding the issuing key."""
    shutil.copytree(_issued_master / "home", musrenbang_home, dirs_exist_ok=True)
    files = {}
    for source in _issued_master.glob("*.docx"):
        files[source.stem] = tmp_path / source.name
        shutil.copyfile(source, files[source.stem])
    return files


def _refused(path: Path, *words: str) -> str:
    result = verify_docx(path)
    assert not result.ok and not result.bad_input, result.reason
    for word in words:
        assert word in result.reason, result.reason
    return result.reason


def test_genuine_files_verify_with_scheme_2(issued: dict[str, Path]):
    for name, path in issued.items():
        result = verify_docx(path)
        assert result.ok, (name, result.reason)
        assert result.record.scheme == 2
        assert result.record.is_draft == name.endswith("draf")


# --------------------------------------------------------------------------- drawn text


def _textbox(text: str) -> str:
    return (
        '<w:r><w:pict><v:shape style="position:absolute;width:200pt;height:20pt">'
        f"<v:textbox><w:txbxContent><w:p><w:r><w:t>{text}</w:t></w:r></w:p>"
        "</w:txbxContent></v:textbox></v:shape></w:pict></w:r>"
    )


def _append_to_run_paragraph(text: str, xml: str):
    def edit(root):
        run_with(root, text).getparent().append(fragment(xml))

    return edit


def _in_block(root) -> etree._Element:
    styles = [p for p in root.iter(w("p")) if p.find(f"{w('pPr')}/{w('pStyle')}") is not None]
    for p in styles:
        if "Kode" in p.find(f"{w('pPr')}/{w('pStyle')}").get(w("val")):
            return p
    raise AssertionError("no verification block")


def _set_rpr(text: str, xml: str):
    def edit(root):
        props_of(run_with(root, text)).append(fragment(xml))

    return edit


@pytest.mark.parametrize(
    ("edit", "words"),
    [
        (_append_to_run_paragraph(COST, _textbox("Rp9.000.000.000")), ["kotak teks"]),
        (_set_rpr(COST, '<w:color w:val="FFFFFF"/>'), ["warna terang"]),
        (_set_rpr(COST, '<w:color w:val="FEFEF0"/>'), ["warna terang"]),
        (_set_rpr(COST, '<w:color w:val="000000" w:themeColor="background1"/>'), ["tema"]),
        (_set_rpr(COST, '<w:sz w:val="2"/>'), ["terlalu kecil"]),
        (_set_rpr(COST, "<w:vanish/>"), ["tersembunyi"]),
        (_set_rpr(COST, "<w:specVanish/>"), ["tersembunyi"]),
        (_set_rpr(COST, "<w:webHidden/>"), ["tersembunyi"]),
        (_set_rpr(COST, '<w:highlight w:val="black"/>'), ["stabilo"]),
        (_set_rpr(COST, '<w:spacing w:val="-200"/>'), ["antarhuruf"]),
        (_set_rpr(COST, '<w:w w:val="1"/>'), ["w:w"]),
        (_set_rpr(COST, '<w:position w:val="-400"/>'), ["w:position"]),
        (_set_rpr(COST, "<w:rtl/>"), ["w:rtl"]),
        (_set_rpr(COST, '<w:rFonts w:ascii="Wingdings" w:hAnsi="Wingdings"/>'), ["Wingdings"]),
        (
            _append_to_run_paragraph(COST, '<w:r><w:sym w:font="Arial" w:char="0039"/></w:r>'),
            ["simbol"],
        ),
        (
            _append_to_run_paragraph(
                COST,
                "<w:r><w:ruby><w:rubyPr/><w:rt><w:r><w:t>9</w:t></w:r></w:rt>"
                "<w:rubyBase><w:r><w:t>1</w:t></w:r></w:rubyBase></w:ruby></w:r>",
            ),
            ["ruby"],
        ),
        (
            _append_to_run_paragraph(
                COST, '<w:ins w:id="1" w:author="x"><w:r><w:t>Rp9</w:t></w:r></w:ins>'
            ),
            ["terlacak"],
        ),
        (
            _append_to_run_paragraph(
                COST, '<w:del w:id="1" w:author="x"><w:r><w:delText>1</w:delText></w:r></w:del>'
            ),
            ["terlacak"],
        ),
        (
            _append_to_run_paragraph(
                COST, '<w:moveTo w:id="1" w:author="x"><w:r><w:t>9</w:t></w:r></w:moveTo>'
            ),
            ["terlacak"],
        ),
        (
            _append_to_run_paragraph(
                COST,
                '<w:fldSimple w:instr="QUOTE &quot;Rp9&quot;"><w:r><w:t>Rp9</w:t></w:r>'
                "</w:fldSimple>",
            ),
            ["field"],
        ),
        (
            _append_to_run_paragraph(
                COST,
                '<w:r><w:fldChar w:fldCharType="begin"/></w:r>'
                '<w:r><w:instrText xml:space="preserve"> PAGE </w:instrText></w:r>'
                '<w:r><w:fldChar w:fldCharType="separate"/></w:r>'
                "<w:r><w:t>Rp9.000.000.000</w:t></w:r>"
                '<w:r><w:fldChar w:fldCharType="end"/></w:r>',
            ),
            ["field"],
        ),
        (
            _append_to_run_paragraph(
                COST, "<w:sdt><w:sdtContent><w:r><w:t>9</w:t></w:r></w:sdtContent></w:sdt>"
            ),
            ["content control"],
        ),
        (
            _append_to_run_paragraph(
                COST,
                '<mc:AlternateContent><mc:Choice Requires="w14"><w:r><w:t>1</w:t></w:r>'
                "</mc:Choice><mc:Fallback><w:r><w:t>9</w:t></w:r></mc:Fallback>"
                "</mc:AlternateContent>",
            ),
            ["AlternateContent"],
        ),
        (
            _append_to_run_paragraph(COST, '<w:commentRangeStart w:id="0"/>'),
            ["komentar"],
        ),
        (
            _append_to_run_paragraph(COST, '<w:r><w:footnoteReference w:id="1"/></w:r>'),
            ["catatan kaki"],
        ),
    ],
    ids=lambda value: value[0] if isinstance(value, list) else "",
)
def test_drawn_or_hidden_text_in_the_body_is_refused(
    issued: dict[str, Path], tmp_path: Path, edit, words: list[str]
):
    forged = forge(issued["rekap-final"], tmp_path / "palsu.docx", {DOC: edit})
    _refused(forged, "tidak dapat diverifikasi", *words)


@pytest.mark.parametrize(
    ("xml", "words"),
    [
        ('<w:numPr><w:ilvl w:val="0"/><w:numId w:val="1"/></w:numPr>', ["penomoran"]),
        ('<w:framePr w:w="2000" w:x="100" w:y="100" w:hAnchor="page"/>', ["bingkai"]),
        ('<w:shd w:val="clear" w:fill="000000"/>', ["arsiran gelap"]),
        ('<w:shd w:val="solid" w:color="000000"/>', ["arsiran berpola"]),
        ('<w:ind w:left="-20000"/>', ["tata letak", "left"]),
        ('<w:spacing w:line="20" w:lineRule="exact"/>', ["jarak baris"]),
        ('<w:spacing w:line="10" w:lineRule="auto"/>', ["terlalu rapat"]),
        ('<w:spacing w:before="-4000"/>', ["negatif"]),
        ("<w:bidi/>", ["w:bidi"]),
    ],
)
def test_paragraph_formatting_that_hides_or_adds_text_is_refused(
    issued: dict[str, Path], tmp_path: Path, xml: str, words: list[str]
):
    def edit(root):
        p = run_with(root, COST).getparent()
        ppr = props_of(p, "pPr")
        ppr.append(fragment(xml))

    _refused(forge(issued["rekap-final"], tmp_path / "p.docx", {DOC: edit}), *words)


def test_hiding_through_a_style_is_refused(issued: dict[str, Path], tmp_path: Path):
    def add_style(styles):
        styles.append(
            fragment(
                '<w:style w:type="character" w:styleId="Biasa"><w:name w:val="Biasa"/>'
                "<w:rPr><w:vanish/></w:rPr></w:style>"
            )
        )

    def use_style(root):
        props_of(run_with(root, COST)).insert(0, fragment('<w:rStyle w:val="Biasa"/>'))

    forged = forge(
        issued["rekap-final"],
        tmp_path / "gaya.docx",
        {"word/styles.xml": add_style, DOC: use_style},
    )
    _refused(forged, "gaya 'Biasa'", "tersembunyi")

    def white_normal(styles):
        for style in styles.iter(w("style")):
            if style.get(w("styleId")) == "Normal":
                rpr = style.find(w("rPr"))
                if rpr is None:
                    rpr = etree.SubElement(style, w("rPr"))
                rpr.append(fragment('<w:color w:val="FFFFFF"/>'))

    forged = forge(
        issued["rekap-final"], tmp_path / "putih.docx", {"word/styles.xml": white_normal}
    )
    _refused(forged, "gaya 'Normal'", "warna terang")


def test_symbol_font_in_the_theme_is_refused(issued: dict[str, Path], tmp_path: Path):
    def symbol_theme(theme):
        for latin in theme.iter(f"{{{NS['a']}}}latin"):
            latin.set("typeface", "Webdings")

    forged = forge(
        issued["rekap-final"], tmp_path / "t.docx", {"word/theme/theme1.xml": symbol_theme}
    )
    _refused(forged, "Webdings")


def test_table_tricks_are_refused(issued: dict[str, Path], tmp_path: Path):
    def exact_rows(root):
        tr = next(root.iter(w("tr")))
        trpr = props_of(tr, "trPr")
        trpr.append(fragment('<w:trHeight w:val="20" w:hRule="exact"/>'))

    _refused(forge(issued["rekap-final"], tmp_path / "t.docx", {DOC: exact_rows}), "tinggi baris")

    def floating(root):
        tblpr = next(root.iter(w("tblPr")))
        tblpr.append(fragment('<w:tblpPr w:tblpX="100" w:tblpY="100"/>'))

    _refused(forge(issued["rekap-final"], tmp_path / "f.docx", {DOC: floating}), "w:tblpPr")

    def dark_cell(root):
        tcpr = next(root.iter(w("tcPr")))
        tcpr.append(fragment('<w:shd w:val="clear" w:fill="111111"/>'))

    _refused(forge(issued["rekap-final"], tmp_path / "d.docx", {DOC: dark_cell}), "arsiran gelap")


# --------------------------------------------------------------------------- the block


def test_textbox_or_second_picture_in_the_verification_block_is_refused(
    issued: dict[str, Path], tmp_path: Path
):
    def textbox(root):
        _in_block(root).append(fragment(_textbox("Usulan X disetujui")))

    _refused(forge(issued["rekap-final"], tmp_path / "b.docx", {DOC: textbox}), "kotak teks")

    def second_picture(root):
        block = _in_block(root)
        drawing = next(root.iter(w("drawing")))
        run = etree.SubElement(block, w("r"))
        run.append(etree.fromstring(etree.tostring(drawing)))

    forged = forge(issued["rekap-final"], tmp_path / "g.docx", {DOC: second_picture})
    _refused(forged, "gambar selain QR")


def test_draft_marks_removed_fail(issued: dict[str, Path], tmp_path: Path):
    def no_mark(root):
        for t in root.iter(w("t")):
            if t.text == "DRAF":
                t.getparent().getparent().remove(t.getparent())

    forged = forge(issued["rekap-draf"], tmp_path / "m.docx", {DOC: no_mark})
    _refused(forged, "DRAF di bawah QR")
    with zipfile.ZipFile(issued["rekap-draf"]) as zf:
        header = next(n for n in zf.namelist() if n.startswith("word/header"))

    def blank_header(root):
        for t in root.iter(w("t")):
            t.text = ""

    forged = forge(issued["rekap-draf"], tmp_path / "h.docx", {header: blank_header})
    _refused(forged, "berubah")

    def no_watermark(root):
        for pict in list(root.iter(w("pict"))):
            pict.getparent().remove(pict)

    forged = forge(issued["rekap-draf"], tmp_path / "wm.docx", {header: no_watermark})
    _refused(forged, "berubah")


def test_headers_and_footers_are_signed(issued: dict[str, Path], tmp_path: Path):
    with zipfile.ZipFile(issued["rekap-final"]) as zf:
        footer = next(n for n in zf.namelist() if n.startswith("word/footer"))

    def edit_footer(root):
        run_with(root, "Halaman").find(w("t")).text = "PAGU DISETUJUI Rp9.000.000.000 "

    _refused(forge(issued["rekap-final"], tmp_path / "k.docx", {footer: edit_footer}), "berubah")

    header_xml = (
        f"<w:hdr {' '.join(f'xmlns:{p}={chr(34)}{u}{chr(34)}' for p, u in NS.items())}>"
        "<w:p><w:r><w:t>REVISI: PAGU DISETUJUI Rp9.000.000.000</w:t></w:r></w:p></w:hdr>"
    ).encode()

    def reference(root):
        sect = root.find(f"{w('body')}/{w('sectPr')}")
        sect.insert(0, fragment('<w:headerReference w:type="default" r:id="rIdPalsu"/>'))

    forged = forge(
        issued["rekap-final"],
        tmp_path / "hdr.docx",
        {
            DOC: reference,
            DOC_RELS: lambda r: add_relationship(r, "rIdPalsu", "header", "header9.xml"),
        },
        add={"word/header9.xml": header_xml},
    )
    _refused(forged, "berubah")

    def first_page_header(root):
        sect = root.find(f"{w('body')}/{w('sectPr')}")
        sect.insert(0, fragment('<w:headerReference w:type="first" r:id="rIdPalsu"/>'))
        sect.append(fragment("<w:titlePg/>"))

    forged = forge(
        issued["rekap-final"],
        tmp_path / "first.docx",
        {
            DOC: first_page_header,
            DOC_RELS: lambda r: add_relationship(r, "rIdPalsu", "header", "header9.xml"),
        },
        add={"word/header9.xml": header_xml},
    )
    _refused(forged, "tidak dapat diverifikasi")


def test_stale_page_number_results_are_refused(issued: dict[str, Path], tmp_path: Path):
    with zipfile.ZipFile(issued["rekap-final"]) as zf:
        footer = next(n for n in zf.namelist() if n.startswith("word/footer"))

    def literal_result(root):
        for t in root.iter(w("t")):
            if (t.text or "").strip().isdigit():
                t.text = "Rp9.000.000.000"

    forged = forge(issued["rekap-final"], tmp_path / "n.docx", {footer: literal_result})
    _refused(forged, "nomor halaman")


# --------------------------------------------------------------------------- parts and zip


def test_extra_parts_and_relationships_are_refused(issued: dict[str, Path], tmp_path: Path):
    genuine = issued["rekap-final"]
    document = zipfile.ZipFile(genuine).read(DOC)
    _refused(
        forge(genuine, tmp_path / "a.docx", add={"word/document2.xml": document}), "bagian tambahan"
    )
    _refused(
        forge(genuine, tmp_path / "c.docx", add={"word/comments.xml": b"<x/>"}), "word/comments.xml"
    )
    _refused(
        forge(genuine, tmp_path / "f.docx", add={"word/fonts/font1.odttf": b"\0" * 10}),
        "bagian tambahan",
    )

    def alt_chunk(root):
        body = root.find(w("body"))
        body.insert(0, fragment('<w:altChunk r:id="rIdChunk"/>'))

    forged = forge(
        genuine,
        tmp_path / "alt.docx",
        {DOC: alt_chunk, DOC_RELS: lambda r: add_relationship(r, "rIdChunk", "aFChunk", "x.html")},
        add={"word/x.html": b"<p>Rp9.000.000.000</p>"},
    )
    _refused(forged, "tidak dapat diverifikasi")

    def external(rels):
        add_relationship(rels, "rIdX", "image", "http://contoh.id/a.png", TargetMode="External")

    _refused(forge(genuine, tmp_path / "x.docx", {DOC_RELS: external}), "hubungan")


def test_zip_tricks_are_refused_before_inflating(issued: dict[str, Path], tmp_path: Path):
    genuine = issued["rekap-final"]
    second = zipfile.ZipFile(genuine).read(DOC).replace(COST.encode(), b"999.000.000")
    _refused(with_duplicate_entry(genuine, tmp_path / "dup.docx", DOC, second), "ganda")
    bomb = with_declared_size(genuine, tmp_path / "bom.docx", DOC, 2 * 1024**3)
    assert bomb.stat().st_size < 2 * 1024**2
    _refused(bomb, "menyatakan ukuran")
    many = forge(
        genuine, tmp_path / "many.docx", add={f"x/{i}.xml": b"" for i in range(MAX_ENTRIES)}
    )
    _refused(many, "paling banyak")
    zeros = forge(genuine, tmp_path / "zero.docx", add={"customXml/item9.xml": b"\0" * 8_000_000})
    _refused(zeros, "dimampatkan")


@pytest.mark.parametrize(
    ("trick", "words"),
    [
        (lambda s, t: with_prefix(s, t, rb"{\rtf1\ansi Rp9.000.000.000}" + b"\n"), "diawali"),
        (lambda s, t: with_prefix(s, t, b"<html><body>Rp9.000.000.000</body></html>"), "diawali"),
        (lambda s, t: with_prefix(s, t, s.read_bytes()), "letak bagian"),  # two zips glued
        (lambda s, t: with_comment(s, t, b"Rp9.000.000.000"), "bagian akhirnya"),
        (lambda s, t: with_gap(s, t, b"Rp9.000.000.000"), "tersembunyi"),
        (lambda s, t: (t.write_bytes(s.read_bytes() + b"x" * 40), t)[1], "bagian akhirnya"),
    ],
)
def test_anything_but_a_plain_zip_is_refused(issued, tmp_path: Path, trick, words: str):
    """Polyglots (RTF/HTML first), glued zips, comments and hidden gaps: another reader
    could see another document, so only a zip starting at offset 0 with contiguous members
    is accepted."""
    forged = trick(issued["rekap-final"], tmp_path / "poly.docx")
    with zipfile.ZipFile(forged) as zf:
        assert zf.read(DOC)  # still a readable zip: the refusal is about its layout
    result = verify_docx(forged)
    assert not result.ok, result.reason
    assert words in result.reason, result.reason


def test_lying_small_size_is_refused(issued: dict[str, Path], tmp_path: Path):
    genuine = issued["rekap-final"]
    liar = with_declared_size(genuine, tmp_path / "kecil.docx", DOC, 100)
    _refused(liar, DOC)


def test_not_a_docx_is_bad_input(tmp_path: Path):
    text = tmp_path / "bukan.docx"
    text.write_text("halo")
    assert verify_docx(text).bad_input


# --------------------------------------------------------------------------- the QR picture


def _png_of(text: str, *, pad: int = 0) -> bytes:
    from PIL import Image

    from exports.qr import make_qr

    png = make_qr(text).png
    if not pad:
        return png
    image = Image.open(io.BytesIO(png)).convert("L")
    wide = Image.new("L", (image.width + pad, image.height), 255)
    wide.paste(image, (0, 0))
    out = io.BytesIO()
    wide.save(out, format="PNG")
    return out.getvalue()


def test_swapped_qr_picture_is_refused(issued: dict[str, Path], tmp_path: Path):
    genuine = issued["rekap-final"]
    other = verify_docx(issued["surat-mandat-final"]).record.qr_text()
    forged = forge(genuine, tmp_path / "qr.docx", replace={"word/media/image1.png": _png_of(other)})
    _refused(forged, "keterangan gambar QR")
    own = verify_docx(genuine).record.qr_text()
    padded = _png_of(own, pad=400)  # room for forged text drawn beside the QR
    forged = forge(genuine, tmp_path / "pad.docx", replace={"word/media/image1.png": padded})
    _refused(forged, "QR")
    forged = forge(genuine, tmp_path / "nopng.docx", replace={"word/media/image1.png": b"GIF89a"})
    _refused(forged, "PNG")


def test_reencoded_qr_picture_still_verifies(issued: dict[str, Path], tmp_path: Path):
    """A re-save that re-encodes the picture (RGB, palette, 8-bit) keeps it readable."""
    from PIL import Image

    genuine = issued["rekap-final"]
    with zipfile.ZipFile(genuine) as zf:
        image = Image.open(io.BytesIO(zf.read("word/media/image1.png")))
    for mode in ("RGB", "P", "L", "RGBA"):
        out = io.BytesIO()
        image.convert(mode).save(out, format="PNG")
        forged = forge(
            genuine, tmp_path / f"{mode}.docx", replace={"word/media/image1.png": out.getvalue()}
        )
        assert verify_docx(forged).ok, mode


# --------------------------------------------------------------------------- re-saves


def _word_like_resave(root) -> None:
    """What Word adds on a plain save: w14 ids, rsids, proofing marks, bookmarks, language
    tags, split runs, a rendered page break, mc:Ignorable with more namespaces."""
    w14 = "http://schemas.microsoft.com/office/word/2010/wordml"
    for i, p in enumerate(root.iter(w("p"))):
        p.set(f"{{{w14}}}paraId", f"{i:08X}")
        p.set(f"{{{w14}}}textId", "77777777")
        p.set(w("rsidR"), "00A1B2C3")
        p.set(w("rsidRDefault"), "00A1B2C3")
    for run in list(body_runs(root))[:40]:
        run.set(w("rsidRPr"), "00D4E5F6")
        props_of(run).append(fragment('<w:lang w:val="id-ID"/>'))
        t = run.find(w("t"))
        if t is not None and t.text and len(t.text) > 3:
            second = etree.fromstring(etree.tostring(run))
            second.find(w("t")).text = t.text[2:]
            t.text = t.text[:2]
            for after in list(t.itersiblings()):  # the rest of the run goes with the second
                run.remove(after)
            t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
            second.find(w("t")).set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
            run.addnext(second)
    for run in list(body_runs(root))[:5]:
        props_of(run).append(
            etree.fromstring(f'<w14:ligatures xmlns:w14="{w14}" w14:val="standardContextual"/>')
        )
    a14 = "http://schemas.microsoft.com/office/drawing/2010/main"
    for blip in root.iter(f"{{{NS['a']}}}blip"):
        blip.append(
            fragment(
                '<a:extLst><a:ext uri="{28A0092B-C50C-407E-A947-70E740481C1C}">'
                f'<a14:useLocalDpi xmlns:a14="{a14}" val="0"/></a:ext></a:extLst>'
            )
        )
    first = run_with(root, COST).getparent()
    first.insert(1, fragment('<w:proofErr w:type="spellStart"/>'))
    first.insert(2, fragment('<w:bookmarkStart w:id="0" w:name="_GoBack"/>'))
    first.append(fragment('<w:bookmarkEnd w:id="0"/>'))
    first.append(fragment("<w:r><w:lastRenderedPageBreak/></w:r>"))


def test_word_like_resave_additions_still_verify(issued: dict[str, Path], tmp_path: Path):
    separators = (
        f'<w:footnotes xmlns:w="{NS["w"]}"><w:footnote w:type="separator" w:id="-1"><w:p><w:r>'
        '<w:separator/></w:r></w:p></w:footnote><w:footnote w:type="continuationSeparator" '
        'w:id="0"><w:p><w:r><w:continuationSeparator/></w:r></w:p></w:footnote></w:footnotes>'
    ).encode()
    for name in ("rekap-final", "rekap-draf"):
        resaved = forge(
            issued[name],
            tmp_path / f"word-{name}.docx",
            {
                DOC: _word_like_resave,
                DOC_RELS: lambda r: add_relationship(r, "rIdFn", "footnotes", "footnotes.xml"),
            },
            add={"word/footnotes.xml": separators},
        )
        result = verify_docx(resaved)
        assert result.ok, (name, result.reason)
    real_note = separators.replace(b'w:type="continuationSeparator" ', b"")
    forged = forge(
        issued["rekap-final"],
        tmp_path / "note.docx",
        {DOC_RELS: lambda r: add_relationship(r, "rIdFn", "footnotes", "footnotes.xml")},
        add={"word/footnotes.xml": real_note},
    )
    _refused(forged, "catatan kaki")


def test_libreoffice_resave_still_verifies(issued: dict[str, Path], tmp_path: Path):
    soffice = shutil.which("soffice")
    if soffice is None:
        print("soffice tidak ada: uji simpan ulang LibreOffice dilewati")
        pytest.skip("LibreOffice (soffice) is not installed")
    out = tmp_path / "lo"
    names = ["rekap-draf", "surat-mandat-draf", *(f"{kind}-final" for kind in ALL_KINDS)]
    subprocess.run(
        [
            soffice,
            f"-env:UserInstallation=file://{tmp_path / 'profil'}",
            "--headless",
            "--convert-to",
            "docx",
            "--outdir",
            str(out),
            *(str(issued[n]) for n in names),
            str(TRUST / "asli-berita-acara.docx"),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    for name in names:
        result = verify_docx(out / f"{name}.docx")
        assert result.ok, (name, result.reason)
    keys.trust_key(TRUST / "kunci-desa-gemekan.pem", "35.16.13.2001")
    legacy = verify_docx(out / "asli-berita-acara.docx")
    assert legacy.ok and legacy.record.scheme == 1, legacy.reason


# --------------------------------------------------------------------------- trust cases


@pytest.mark.parametrize(
    ("name", "words"),
    [
        ("t02-textbox-added.docx", ["kotak teks"]),
        ("t03-invisible-orig-plus-textbox.docx", ["tidak dapat diverifikasi"]),
        ("t05-wsym-insert-digit.docx", ["simbol"]),
        ("t08-alternatecontent-fallback.docx", ["AlternateContent"]),
        ("t09-header-added.docx", ["kepala halaman", "Rp9.000.000.000"]),
    ],
)
def test_trust_cases_are_refused(name: str, words: list[str]):
    keys.trust_key(TRUST / "kunci-desa-gemekan.pem", "35.16.13.2001")
    _refused(TRUST / name, *words)


def test_legacy_document_still_verifies_with_strict_rules(tmp_path: Path):
    keys.trust_key(TRUST / "kunci-desa-gemekan.pem", "35.16.13.2001")
    result = verify_docx(TRUST / "asli-berita-acara.docx")
    assert result.ok and result.record.scheme == 1, result.reason

    def edit_footer(root):
        run_with(root, "Berita Acara").find(w("t")).text = "Pagu Rp9.000.000.000"

    footer = forge(
        TRUST / "asli-berita-acara.docx", tmp_path / "k.docx", {"word/footer1.xml": edit_footer}
    )
    _refused(footer, "kaki halaman", "Rp9.000.000.000")


def test_cli_says_one_line_and_exits_1(issued: dict[str, Path], tmp_path: Path):
    forged = forge(
        issued["rekap-final"], tmp_path / "cli.docx", {DOC: _set_rpr(COST, "<w:vanish/>")}
    )
    out = subprocess.run(
        [sys.executable, "-m", "tui.cli", "verify", str(forged)],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert out.returncode == 1
    assert out.stderr.count("\n") == 1 and "tidak dapat diverifikasi" in out.stderr
    assert "Traceback" not in out.stderr
    genuine = subprocess.run(
        [sys.executable, "-m", "tui.cli", "verify", str(issued["rekap-final"])],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert genuine.returncode == 0 and genuine.stdout.startswith("SAH")


def test_text_pushed_off_the_page_or_misplaced_is_refused(issued: dict[str, Path], tmp_path: Path):
    def far_tab(root):
        run = run_with(root, COST)
        p = run.getparent()
        ppr = props_of(p, "pPr")
        ppr.append(fragment('<w:tabs><w:tab w:val="left" w:pos="30000"/></w:tabs>'))
        run.addprevious(fragment("<w:r><w:tab/></w:r>"))

    _refused(forge(issued["rekap-final"], tmp_path / "tab.docx", {DOC: far_tab}), "keluar halaman")

    def paragraph_in_run(root):
        run_with(root, COST).append(fragment("<w:p><w:r><w:t>Rp9.000.000.000</w:t></w:r></w:p>"))

    forged = forge(issued["rekap-final"], tmp_path / "pr.docx", {DOC: paragraph_in_run})
    _refused(forged, "tidak semestinya")


def test_page_field_written_out_in_words_is_refused(issued: dict[str, Path], tmp_path: Path):
    with zipfile.ZipFile(issued["rekap-final"]) as zf:
        footer = next(n for n in zf.namelist() if n.startswith("word/footer"))

    def in_words(root):
        for instr in root.iter(w("instrText")):
            instr.text = " PAGE \\* CardText "

    _refused(forge(issued["rekap-final"], tmp_path / "cw.docx", {footer: in_words}), "PAGE")


def test_text_hidden_by_layout_is_refused(issued: dict[str, Path], tmp_path: Path):
    def merged_away(root):
        cell = next(
            tc for tc in root.iter(w("tc")) if any(COST in (t.text or "") for t in tc.iter(w("t")))
        )
        tcpr = props_of(cell, "tcPr")
        tcpr.append(fragment("<w:vMerge/>"))

    forged = forge(issued["rekap-final"], tmp_path / "vm.docx", {DOC: merged_away})
    _refused(forged, "penggabungan sel")

    def second_body(root):
        root.append(fragment("<w:body><w:p><w:r><w:t>Rp9.000.000.000</w:t></w:r></w:p></w:body>"))

    forged = forge(issued["rekap-final"], tmp_path / "body.docx", {DOC: second_body})
    _refused(forged, "bukan dokumen Word")
    with zipfile.ZipFile(issued["rekap-draf"]) as zf:
        header = next(n for n in zf.namelist() if n.startswith("word/header"))

    def hidden_watermark(root):
        for shape in root.iter("{urn:schemas-microsoft-com:vml}shape"):
            shape.set("style", shape.get("style") + ";visibility:hidden")

    forged = forge(issued["rekap-draf"], tmp_path / "wm.docx", {header: hidden_watermark})
    _refused(forged, "tanda air")


# --------------------------------------------------------------------------- layout


def _in_cell_of(text: str, tag: str, xml: str):
    """An edit adding ``xml`` to the ``tag`` properties (pPr/tcPr) around ``text``."""

    def edit(root):
        cell = next(
            tc for tc in root.iter(w("tc")) if any(text in (t.text or "") for t in tc.iter(w("t")))
        )
        holder = next(p for p in cell.iter(w("p")) if text in "".join(p.itertext()))
        props_of(holder if tag == "pPr" else cell, tag).append(fragment(xml))

    return edit


def _section(xml_tag: str, **values: str):
    def edit(root):
        sect = root.find(f"{w('body')}/{w('sectPr')}")
        el = sect.find(w(xml_tag))
        if el is None:
            el = etree.SubElement(sect, w(xml_tag))
        for key, value in values.items():
            el.set(w(key), value)

    return edit


def _in_row_of(text: str, xml: str):
    def edit(root):
        cell = next(
            tc for tc in root.iter(w("tc")) if any(text in (t.text or "") for t in tc.iter(w("t")))
        )
        props_of(cell.getparent(), "trPr").append(fragment(xml))

    return edit


def _table(tag: str, **values: str):
    def edit(root):
        cell = next(
            tc for tc in root.iter(w("tc")) if any(COST in (t.text or "") for t in tc.iter(w("t")))
        )
        table = next(cell.iterancestors(w("tbl")))
        if tag == "gridCol":
            el = table.find(f"{w('tblGrid')}/{w('gridCol')}")
        else:
            el = props_of(table, "tblPr").find(w(tag))
            if el is None:
                el = etree.SubElement(props_of(table, "tblPr"), w(tag))
        for key, value in values.items():
            el.set(w(key), value)

    return edit


@pytest.mark.parametrize(
    ("edit", "element"),
    [
        (_in_cell_of(COST, "pPr", '<w:ind w:firstLine="8000"/>'), "w:ind"),
        (_in_cell_of(COST, "pPr", '<w:ind w:firstLine="1100"/>'), "w:ind"),
        (_in_cell_of(COST, "pPr", '<w:ind w:left="0" w:hanging="12000"/>'), "w:ind"),
        (_in_cell_of(COST, "pPr", '<w:ind w:left="1531" w:hanging="1700"/>'), "w:ind"),
        (_in_cell_of(COST, "pPr", '<w:ind w:left="3000" w:right="-3000"/>'), "w:ind"),
        (_in_cell_of(COST, "pPr", '<w:ind w:left="3000"/>'), "w:ind"),  # beyond half the cell
        (
            _in_cell_of(COST, "tcPr", '<w:tcMar><w:left w:w="5000" w:type="dxa"/></w:tcMar>'),
            "tcMar",
        ),
        (_table("tblInd", w="30000", type="dxa"), "w:tblInd"),
        (_table("gridCol", w="1"), "w:gridCol"),
        (_in_cell_of(COST, "tcPr", '<w:gridSpan w:val="9"/>'), "w:tr"),
        (_in_row_of(COST, '<w:trHeight w:val="31000" w:hRule="atLeast"/>'), "w:trHeight"),
        (_section("pgSz", w="11906", h="3000"), "w:pgSz"),
        (_section("pgSz", w="11906", h="16838"), "w:pgSz"),  # portrait marked landscape
        (_section("pgMar", top="16000"), "w:pgMar"),
        (_section("pgMar", gutter="5000"), "w:pgMar"),
        (_section("cols", num="3"), "w:cols"),
        (_section("pgNumType", start="99"), "w:pgNumType"),
        (_section("docGrid", type="snapToChars", charSpace="-4000"), "w:docGrid"),
    ],
)
def test_layout_that_moves_text_out_of_sight_is_refused(
    issued: dict[str, Path], tmp_path: Path, edit, element: str
):
    """Sections, grids, indents and cell margins must stay within what our generator
    writes (LibreOffice's re-save keeps them: test_libreoffice_resave_still_verifies)."""
    forged = forge(issued["rekap-final"], tmp_path / "tata.docx", {DOC: edit})
    _refused(forged, "tata letak diubah", element)


def _watermark(**changes: str | None):
    def edit(root):
        for el in root.iter():
            if not isinstance(el.tag, str):
                continue
            local = etree.QName(el).localname
            for key, value in changes.items():
                element, _, name = key.partition("__")
                if local != element:
                    continue
                if name == "style":
                    el.set("style", el.get("style") + ";" + value)
                elif value is None:
                    el.attrib.pop(name, None)
                else:
                    el.set(name, value)

    return edit


@pytest.mark.parametrize(
    ("changes", "words"),
    [
        ({"fill__opacity": "0"}, "tembus pandang"),
        ({"fill__opacity": ".05"}, "tembus pandang"),
        ({"fill__on": "f"}, "isian tanda air"),
        ({"textpath__string": "FINAL"}, "teks tanda air"),
        ({"shape__style": "margin-left:5000pt"}, "letak tanda air"),
        ({"shape__style": "mso-position-horizontal:left"}, "letak tanda air"),
        ({"shape__style": "width:1pt"}, "letak tanda air"),
        ({"shape__fillcolor": "#ffffff"}, "warna tanda air"),
        ({"shape__filled": "f"}, "tanda air"),
    ],
)
def test_watermark_made_invisible_is_refused(
    issued: dict[str, Path], tmp_path: Path, changes: dict, words: str
):
    with zipfile.ZipFile(issued["rekap-draf"]) as zf:
        header = next(n for n in zf.namelist() if n.startswith("word/header"))
    forged = forge(issued["rekap-draf"], tmp_path / "wm.docx", {header: _watermark(**changes)})
    _refused(forged, words)


def test_draft_header_alignment_is_ours(issued: dict[str, Path], tmp_path: Path):
    """The DRAF line stays right-aligned and unindented: no pushing it out of the page."""
    with zipfile.ZipFile(issued["rekap-draf"]) as zf:
        header = next(n for n in zf.namelist() if n.startswith("word/header"))

    def align(value: str):
        def edit(root):
            for jc in root.iter(w("jc")):
                jc.set(w("val"), value)

        return edit

    forged = forge(issued["rekap-draf"], tmp_path / "jc.docx", {header: align("left")})
    _refused(forged, "kepala halaman")

    def hang(root):
        for ppr in root.iter(w("pPr")):
            ppr.append(fragment('<w:ind w:left="0" w:hanging="30000"/>'))

    _refused(forge(issued["rekap-draf"], tmp_path / "h.docx", {header: hang}), "tata letak")


# --------------------------------------------------------------------------- package-wide parts


def _settings_with(xml: str):
    def edit(root):
        root.append(fragment(xml))

    return edit


def _override_main(content_type: str):
    def edit(root):
        for el in root:
            if (el.get("PartName") or "").endswith("/word/document.xml"):
                el.set("ContentType", content_type)

    return edit


@pytest.mark.parametrize(
    ("part", "edit", "words"),
    [
        (
            "[Content_Types].xml",
            _override_main("application/vnd.ms-word.document.macroEnabled.main+xml"),
            "jenis isi",
        ),
        (
            "[Content_Types].xml",
            _override_main("application/vnd.ms-word.template.macroEnabledTemplate.main+xml"),
            "jenis isi",
        ),
        ("word/settings.xml", _settings_with("<w:evenAndOddHeaders/>"), "evenAndOddHeaders"),
        ("word/settings.xml", _settings_with("<w:mirrorMargins/>"), "mirrorMargins"),
        ("word/settings.xml", _settings_with("<w:printTwoOnOne/>"), "printTwoOnOne"),
        ("word/settings.xml", _settings_with("<w:bookFoldPrinting/>"), "bookFoldPrinting"),
        ("word/settings.xml", _settings_with('<w:view w:val="web"/>'), "view"),
        ("word/fontTable.xml", None, "dialihkan"),
    ],
)
def test_settings_and_content_types_that_redraw_pages_are_refused(
    issued: dict[str, Path], tmp_path: Path, part: str, edit, words: str
):
    if edit is None:  # a text font mapped to a symbol font

        def edit(root):
            font = next(f for f in root.iter(w("font")) if f.get(w("name")) in ("Arial", "Calibri"))
            font.insert(0, fragment('<w:altName w:val="Standard Symbols PS"/>'))

    _refused(forge(issued["rekap-final"], tmp_path / "set.docx", {part: edit}), words)


def test_harmless_settings_of_a_plain_save_still_verify(issued: dict[str, Path], tmp_path: Path):
    """Protection and Word's bookkeeping change nothing drawn: still SAH."""
    edit = _settings_with('<w:documentProtection w:edit="readOnly" w:enforcement="1"/>')
    forged = forge(issued["rekap-final"], tmp_path / "prot.docx", {"word/settings.xml": edit})
    result = verify_docx(forged)
    assert result.ok, result.reason
    tab = forge(
        issued["rekap-final"],
        tmp_path / "tab.docx",
        {"word/settings.xml": lambda r: next(r.iter(w("defaultTabStop"))).set(w("val"), "31000")},
    )
    _refused(tab, "tab bawaan")


def test_duplicate_relationship_ids_are_refused(issued: dict[str, Path], tmp_path: Path):
    def twin(rels):
        first = rels[0]
        add_relationship(rels, first.get("Id"), "footer", "footer9.xml")

    _refused(forge(issued["rekap-final"], tmp_path / "rid.docx", {DOC_RELS: twin}), "ganda")


def test_page_layout_allow_list_follows_the_generator():
    """The verifier's page sizes and margins are the generator's, in twips."""
    from exports.documents.page import LANDSCAPE_MARGINS, PORTRAIT_MARGINS
    from exports.docx_kit import PAPER_MM
    from exports.docx_layout import PAGE_MARGINS, PAGE_SIZES

    def twips(mm: float) -> int:
        return round(mm / 25.4 * 1440)

    sizes = {(twips(w), twips(h)) for w, h in PAPER_MM.values()}
    assert set(PAGE_SIZES) == sizes | {(h, w) for w, h in sizes}
    margins = {tuple(twips(mm) for mm in m) for m in (PORTRAIT_MARGINS, LANDSCAPE_MARGINS)}
    assert set(PAGE_MARGINS) == margins


def test_cell_end_mark_hidden_is_refused(issued: dict[str, Path], tmp_path: Path):
    """hideMark (never written by us or LibreOffice) lets a row collapse around its text."""
    forged = forge(
        issued["rekap-final"],
        tmp_path / "hm.docx",
        {DOC: _in_cell_of(COST, "tcPr", "<w:hideMark/>")},
    )
    _refused(forged, "w:hideMark")


def test_text_drawn_into_the_qr_picture_is_refused(issued: dict[str, Path], tmp_path: Path):
    """A reader still decodes a QR shrunk to 80 % with forged text drawn under it, or with a
    few modules painted over: the picture must be the bare symbol and its white margin."""
    from PIL import Image, ImageDraw

    genuine = issued["surat-pengantar-final"]
    with zipfile.ZipFile(genuine) as zf:
        image = Image.open(io.BytesIO(zf.read("word/media/image1.png"))).convert("L")
    shrunk = Image.new("L", image.size, 255)
    small = image.resize((image.width * 4 // 5, image.height * 4 // 5), Image.NEAREST)
    shrunk.paste(small, (image.width // 10, 0))
    ImageDraw.Draw(shrunk).rectangle((20, image.height - 30, image.width - 20, image.height - 8), 0)
    painted = image.copy()
    ImageDraw.Draw(painted).rectangle(
        (image.width // 2, image.height // 2, image.width // 2 + 3, image.height // 2 + 3), 0
    )
    for name, picture in (("shrunk", shrunk), ("painted", painted)):
        out = io.BytesIO()
        picture.save(out, format="PNG")
        forged = forge(
            genuine, tmp_path / f"{name}.docx", replace={"word/media/image1.png": out.getvalue()}
        )
        assert not verify_docx(forged).ok, name
