"""The python-docx XML helpers: paper, fonts, table rows, fields, DRAF mark, keep-together."""

from __future__ import annotations

from pathlib import Path

import docx
import pytest
from docx.enum.section import WD_ORIENT
from docx.oxml.ns import qn
from docx.shared import Mm

from exports import docx_kit as kit


def _saved(doc, tmp_path: Path):
    """Save and read back: what Word would open."""
    path = tmp_path / "kit.docx"
    doc.save(str(path))
    return docx.Document(str(path))


def test_f4_landscape_page_size_and_margins():
    doc = kit.new_document(paper="F4", landscape=True, margins_mm=(10, 11, 12, 13))
    section = doc.sections[0]
    assert section.orientation == WD_ORIENT.LANDSCAPE
    assert round(section.page_width.mm) == 330 and round(section.page_height.mm) == 215
    assert round(section.left_margin.mm) == 13 and round(section.top_margin.mm) == 10
    assert kit.text_width_mm(section) == pytest.approx(330 - 13 - 11, abs=0.1)


def test_unknown_paper_and_font_are_refused():
    with pytest.raises(ValueError, match="kertas"):
        kit.new_document(paper="Letter")
    with pytest.raises(ValueError, match="Huruf"):
        kit.new_document(font="Comic Sans MS")


def test_font_set_for_every_script_without_theme_fonts(tmp_path: Path):
    doc = _saved(kit.new_document(font="Times New Roman"), tmp_path)
    styles = doc.styles.element
    defaults = styles.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
    for rpr in (defaults, doc.styles["Normal"].element.rPr):
        fonts = rpr.find(qn("w:rFonts"))
        for script in ("ascii", "hAnsi", "eastAsia", "cs"):
            assert fonts.get(qn(f"w:{script}")) == "Times New Roman"
        assert not [a for a in fonts.attrib if "heme" in a]
    assert defaults.find(qn("w:lang")).get(qn("w:val")) == "id-ID"


def test_table_rows_built_once_read_back_with_header_repeat_and_cant_split(tmp_path: Path):
    doc = kit.new_document()
    columns = [
        kit.Column("No", 10, "center"),
        kit.Column("Nama", 60),
        kit.Column("Biaya", 30, "right"),
    ]
    rows = [[str(i), f"Nama {i}\nbaris dua", f"{i}.000"] for i in range(1, 51)]
    kit.add_table(doc, columns, rows, size_pt=9)
    table = _saved(doc, tmp_path).tables[0]
    assert len(table.rows) == 51
    assert [c.text for c in table.rows[0].cells] == ["No", "Nama", "Biaya"]
    assert table.rows[7].cells[1].text == "Nama 7\nbaris dua"
    header_pr = table.rows[0]._tr.trPr
    assert header_pr.find(qn("w:tblHeader")) is not None
    assert all(r._tr.trPr.find(qn("w:cantSplit")) is not None for r in table.rows)
    widths = [int(c.get(qn("w:w"))) for c in table._tbl.tblGrid.findall(qn("w:gridCol"))]
    assert widths == [round(mm * 1440 / 25.4) for mm in (10, 60, 30)]
    jc = table.rows[3].cells[2].paragraphs[0].paragraph_format.alignment
    assert jc is not None and jc == kit._ALIGN["right"]


def test_zigzag_signature_column_alternates_sides(tmp_path: Path):
    doc = kit.new_document()
    columns = [kit.Column("No", 10), kit.Column("Tanda tangan", 40)]
    table = kit.add_table(doc, columns, [])
    odd, even = kit.zigzag_columns(columns, 1)
    rows = [[str(i), kit.zigzag_text(i)] for i in range(1, 5)]
    kit.append_rows(table, odd, rows, alt_columns=even, height_mm=9)
    read = _saved(doc, tmp_path).tables[0]
    sides = [r.cells[1].paragraphs[0].paragraph_format.alignment for r in read.rows[1:]]
    assert sides == [kit._ALIGN["left"], kit._ALIGN["right"]] * 2
    assert read.rows[2].cells[1].text.startswith("2. ")
    height = read.rows[1]._tr.trPr.find(qn("w:trHeight"))
    assert height.get(qn("w:hRule")) == "atLeast"


def test_merge_cells_spans_and_sums_widths(tmp_path: Path):
    doc = kit.new_document()
    columns = [kit.Column(str(i), 20) for i in range(4)]
    table = kit.add_table(doc, columns, [])
    tr = kit.append_rows(table, columns, [["Jumlah", "", "", "99"]])[0]
    kit.merge_cells(tr, 0, 2)
    row = _saved(doc, tmp_path).tables[0].rows[1]
    tcs = row._tr.findall(qn("w:tc"))
    assert len(tcs) == 2
    assert tcs[0].tcPr.find(qn("w:gridSpan")).get(qn("w:val")) == "3"
    assert int(tcs[0].tcPr.find(qn("w:tcW")).get(qn("w:w"))) == 3 * round(20 * 1440 / 25.4)
    assert [tc.xpath("string(.)") for tc in tcs] == ["Jumlah", "99"]


def test_footer_has_page_x_of_y_fields(tmp_path: Path):
    doc = kit.new_document()
    kit.add_page_number_footer(doc.sections[0], left_text="Berita Acara")
    footer = _saved(doc, tmp_path).sections[0].footer._element
    instructions = [i.text.strip() for i in footer.iter(qn("w:instrText"))]
    assert instructions == ["PAGE", "NUMPAGES"]
    text = "".join(t.text for t in footer.iter(qn("w:t")))
    assert text.startswith("Berita AcaraHalaman ") and " dari " in text


def test_draft_mark_in_header_and_watermark(tmp_path: Path):
    doc = kit.new_document()
    kit.add_draft_mark(doc.sections[0])
    header = _saved(doc, tmp_path).sections[0].header._element
    assert "DRAF" in "".join(t.text for t in header.iter(qn("w:t")))
    shapes = header.findall(".//{urn:schemas-microsoft-com:vml}textpath")
    assert [s.get("string") for s in shapes if s.get("string")] == ["DRAF"]


def test_signature_table_kept_on_one_page(tmp_path: Path):
    doc = kit.new_document()
    table = kit.layout_table(doc, [50, 50], 2)
    for row in table.rows:
        for cell in row.cells:
            cell.add_paragraph("nama")
    kit.keep_table_on_one_page(table)
    read = _saved(doc, tmp_path).tables[0]
    assert all(r._tr.trPr.find(qn("w:cantSplit")) is not None for r in read.rows)
    first_row = [
        p.paragraph_format.keep_with_next for c in read.rows[0].cells for p in c.paragraphs
    ]
    last_row = [p.paragraph_format.keep_with_next for c in read.rows[1].cells for p in c.paragraphs]
    assert all(first_row) and not any(last_row)


def test_labelled_line_and_paragraph_helpers(tmp_path: Path):
    doc = kit.new_document()
    par = kit.add_labelled_line(doc, "Tempat", "Pendopo", label_mm=30)
    kit.keep_with_next(par)
    kit.bottom_border(kit.add_par(doc, "Kop"), double=True)
    read = _saved(doc, tmp_path)
    first = read.paragraphs[0]
    assert first.text == "Tempat\t: Pendopo"
    assert first.paragraph_format.keep_with_next
    assert abs(first.paragraph_format.first_line_indent - (-Mm(33))) < Mm(0.1)
    border = read.paragraphs[1]._p.pPr.find(qn("w:pBdr")).find(qn("w:bottom"))
    assert border.get(qn("w:val")) == "thickThinSmallGap"
