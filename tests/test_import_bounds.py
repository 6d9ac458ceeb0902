"""The workbook pre-scan (store.import_bounds): every forged or oversized .xlsx/.ods and
every over-long CSV is refused with one line before python-calamine reads it. The files are
the attacker's recipes, generated small in tmp_path."""

from __future__ import annotations

import random
import zipfile
from pathlib import Path

import pytest

from store.import_files import parse_import
from store.import_readers import read_grids
from store.validation_error import ValidationError

# --------------------------------------------------------------------------- xlsx recipes

CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/'
    'package/2006/content-types"><Default Extension="rels" ContentType="application/'
    'vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType='
    '"application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/'
    'vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName='
    '"/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.'
    'spreadsheetml.worksheet+xml"/></Types>'
)
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PACKAGE_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.'
    'openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="'
    f'{REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>'
)
HEADER = ["Desa", "Kegiatan", "Lokasi", "Biaya"]
GOOD = ["Japan", "Paving jalan", "RT 1", 1_000_000]


def _workbook(sheet_attributes: str = "") -> str:
    return (
        '<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats'
        f'.org/spreadsheetml/2006/main" xmlns:r="{REL}" xmlns:x="urn:x"><sheets><sheet '
        f'name="S" sheetId="1" {sheet_attributes} r:id="rId1"/></sheets></workbook>'
    )


def _workbook_rels(shared: bool = False) -> str:
    extra = (
        f'<Relationship Id="rId9" Type="{REL}/sharedStrings" Target="sharedStrings.xml"/>'
        if shared
        else ""
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.'
        'openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="'
        f'{REL}/worksheet" Target="worksheets/sheet1.xml"/>{extra}</Relationships>'
    )


def _cell(ref: str, value: object) -> str:
    if isinstance(value, int | float):
        return f'<c r="{ref}"><v>{value}</v></c>'
    return f'<c r="{ref}" t="inlineStr"><is><t>{value}</t></is></c>'


def _rows(data: list[list[object]], start: int = 1) -> str:
    return "".join(
        f'<row r="{n}">'
        + "".join(_cell(f"{chr(65 + j)}{n}", v) for j, v in enumerate(cells))
        + "</row>"
        for n, cells in enumerate(data, start=start)
    )


def xlsx(
    path: Path,
    extra_rows: str = "",
    *,
    sheet_attributes: str = "",
    shared: str | None = None,
    prolog: str = "",
) -> Path:
    sheet = (
        f'<?xml version="1.0" encoding="UTF-8"?>{prolog}<worksheet xmlns="http://schemas.'
        'openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
        f"{_rows([HEADER, GOOD])}{extra_rows}</sheetData></worksheet>"
    )
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", CONTENT_TYPES)
        archive.writestr("_rels/.rels", PACKAGE_RELS)
        archive.writestr("xl/workbook.xml", _workbook(sheet_attributes))
        archive.writestr("xl/_rels/workbook.xml.rels", _workbook_rels(shared is not None))
        archive.writestr("xl/worksheets/sheet1.xml", sheet)
        if shared is not None:
            archive.writestr("xl/sharedStrings.xml", shared)
    return path


def refusal(path: Path) -> str:
    with pytest.raises(ValidationError) as caught:
        read_grids(path)
    message = caught.value.message
    assert message.startswith(f"{path.name}: ") and "\n" not in message
    return message


def test_a_foreign_namespace_id_does_not_hide_the_sheet_from_the_scan(tmp_path):
    """x:id="zz" before r:id once made the scan skip the sheet; calamine then aborted."""
    far = '<row r="1048576"><c r="XFD1048576"><v>1</v></c></row>'
    path = xlsx(tmp_path / "u.xlsx", far, sheet_attributes='x:id="zz"')
    assert "terlalu besar" in refusal(path)
    # the same attribute on a normal file is harmless: the sheet is found by r:id
    assert read_grids(xlsx(tmp_path / "ok.xlsx", sheet_attributes='x:id="zz"'))[0].rows[1]


@pytest.mark.parametrize(
    "workbook",
    [
        '<sheet name="S" sheetId="1"/>',  # no id at all
        '<sheet name="S" sheetId="1" x:id="rId1"/>',  # only a foreign id
        '<sheet name="S" sheetId="1" r:id="rId7"/>',  # an id naming no relationship
    ],
)
def test_a_sheet_the_scan_cannot_account_for_is_refused(tmp_path, workbook):
    path = xlsx(tmp_path / "u.xlsx")
    text = _workbook().replace('<sheet name="S" sheetId="1"  r:id="rId1"/>', workbook)
    assert workbook in text
    rewritten = tmp_path / "v.xlsx"
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(rewritten, "w") as target:
        for item in source.infolist():
            data = text if item.filename == "xl/workbook.xml" else source.read(item)
            target.writestr(item, data)
    assert "tidak bisa ditemukan" in refusal(rewritten)


def test_cells_without_a_reference_are_placed_and_bounded(tmp_path):
    cells = "<c><v>1</v></c>" * 16_000
    path = xlsx(tmp_path / "u.xlsx", f'<row r="3">{cells}</row>')
    assert "kolom" in refusal(path)
    # a few unreferenced cells are read where readers put them
    grid = read_grids(xlsx(tmp_path / "ok.xlsx", '<row r="3"><c><v>7</v></c><c><v>8</v></c></row>'))
    assert grid[0].rows[2][:2] == [7, 8]


@pytest.mark.parametrize(
    ("row", "why"),
    [
        ('<row r="99999999"><c r="A99999999"><v>1</v></c></row>', "nomor baris"),
        ('<row r="3"><c r="AAAA3"><v>1</v></c></row>', "rujukan sel"),
        ('<row r="1000000"><c r="xfd1000000"><v>1</v></c></row>', "terlalu besar"),
        ('<row r="51000"><c r="OI51000"><v>1</v></c></row>', "sel"),  # the largest corner
        ('<row r="3"><c r="HA3"><v>1</v></c></row>', "maksimal 200 kolom"),
    ],
)
def test_far_cells_are_refused_from_the_scan(tmp_path, row, why):
    assert why in refusal(xlsx(tmp_path / "u.xlsx", row))


def test_the_same_cell_written_millions_of_times_is_refused(tmp_path, monkeypatch):
    """The reader keeps every written cell, duplicates too: they are counted, not only the
    rectangle they span (the bound is lowered here to keep the file small)."""
    monkeypatch.setattr("store.import_bounds.MAX_CELLS", 1_000)
    row = '<row r="3">' + '<c r="A3"><v>1</v></c>' * 1_001 + "</row>"
    assert "lebih dari 1.000 sel" in refusal(xlsx(tmp_path / "u.xlsx", row))


def test_a_huge_inline_cell_is_refused_while_streaming(tmp_path):
    row = f'<row r="3"><c r="A3" t="inlineStr"><is><t>{"A" * 20_001}</t></is></c></row>'
    assert "isian terlalu panjang" in refusal(xlsx(tmp_path / "u.xlsx", row))


def test_an_entity_expansion_is_refused(tmp_path):
    prolog = '<!DOCTYPE worksheet [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">]>'
    assert "DTD" in refusal(xlsx(tmp_path / "u.xlsx", prolog=prolog))


def _shared(count: int, length: int) -> str:
    letters = random.Random(count).choices("abcdefghij", k=length - 4)
    body = "".join(f"<si><t>{i:04d}{''.join(letters)}</t></si>" for i in range(count))
    return (
        '<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/'
        f'spreadsheetml/2006/main">{body}</sst>'
    )


def test_shared_strings_are_counted_each_time_they_are_referenced(tmp_path):
    """200 strings of 10,000 characters referenced by 60 rows x 190 cells: 114 M characters
    in a 1 MB file."""
    random.seed(3)
    rows = "".join(
        f'<row r="{r}">'
        + "".join(f'<c t="s"><v>{random.randrange(200)}</v></c>' for _ in range(190))
        + "</row>"
        for r in range(3, 63)
    )
    path = xlsx(tmp_path / "u.xlsx", rows, shared=_shared(200, 10_000))
    assert "isi teks terlalu banyak" in refusal(path)


def test_a_long_shared_string_is_refused_where_it_is_used(tmp_path):
    row = '<row r="3"><c r="B3" t="s"><v>1</v></c></row>'
    message = refusal(xlsx(tmp_path / "u.xlsx", row, shared=_shared(2, 10_001)))
    assert "baris 3 kolom ke-2" in message and "terlalu panjang" in message


def test_a_shared_string_index_past_the_table_is_refused(tmp_path):
    row = '<row r="3"><c r="B3" t="s"><v>5</v></c></row>'
    assert "teks bersama" in refusal(xlsx(tmp_path / "u.xlsx", row, shared=_shared(2, 10)))


# --------------------------------------------------------------------------- ods recipes

NS = (
    'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
    'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
    'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
    'xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0"'
)
HIDDEN_STYLE = (
    '<style:style style:name="ta_h" style:family="table"><style:table-properties '
    'table:display="false"/></style:style>'
)


def tc(value: object = None, repeat: int = 1) -> str:
    times = f' table:number-columns-repeated="{repeat}"' if repeat > 1 else ""
    if value is None:
        return f"<table:table-cell{times}/>"
    kind = "float" if isinstance(value, int) else "string"
    number = f' office:value="{value}"' if kind == "float" else ""
    return (
        f'<table:table-cell office:value-type="{kind}"{number}{times}>'
        f"<text:p>{value}</text:p></table:table-cell>"
    )


def tr(cells: list[str], repeat: int = 1, extra: str = "") -> str:
    times = f' table:number-rows-repeated="{repeat}"' if repeat > 1 else ""
    return f"<table:table-row{times}{extra}>{''.join(cells)}</table:table-row>"


def table(name: str, rows: list[str], extra: str = "") -> str:
    return f'<table:table table:name="{name}"{extra}>{"".join(rows)}</table:table>'


def ods(path: Path, tables: list[str], styles: str = "") -> Path:
    content = (
        f'<?xml version="1.0" encoding="UTF-8"?><office:document-content {NS} '
        f'office:version="1.2"><office:automatic-styles>{styles}</office:automatic-styles>'
        f"<office:body><office:spreadsheet>{''.join(tables)}</office:spreadsheet>"
        "</office:body></office:document-content>"
    )
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        archive.writestr(
            "META-INF/manifest.xml",
            '<?xml version="1.0" encoding="UTF-8"?><manifest:manifest xmlns:manifest="urn:'
            'oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">'
            '<manifest:file-entry manifest:full-path="/" manifest:media-type="application/'
            'vnd.oasis.opendocument.spreadsheet"/></manifest:manifest>',
        )
        archive.writestr("content.xml", content, compress_type=zipfile.ZIP_DEFLATED)
    return path


def head() -> list[str]:
    return [tr([tc(v) for v in HEADER]), tr([tc(v) for v in GOOD])]


def spaces(count: int) -> str:
    return (
        f'<table:table-cell office:value-type="string"><text:p>x<text:s text:c="{count}"/>y'
        "</text:p></table:table-cell>"
    )


@pytest.mark.parametrize("count", [500_000_000, 10_001, 1_500_000_000])
def test_ods_space_runs_count_as_the_spaces_they_expand_to(tmp_path, count):
    path = ods(tmp_path / "u.ods", [table("S", [*head(), tr([tc("Japan"), spaces(count)])])])
    message = refusal(path)
    assert "terlalu panjang" in message or "tidak wajar" in message


def test_ods_columns_are_summed_across_cells_and_named_as_columns(tmp_path):
    path = ods(tmp_path / "u.ods", [table("S", [*head(), tr([tc(1, 200)] * 100, 50_000)])])
    message = refusal(path)
    assert "kolom" in message and "baris" not in message


@pytest.mark.parametrize(
    "rows",
    [
        [tr([tc(None)], 1_000_000), tr([tc(v) for v in GOOD])],  # filled row far down
        [tr([tc(None, 16_000), tc(1)])],  # filled cell far right
        [
            tr(
                [
                    '<table:table-cell office:value-type="float" office:value="1" '
                    'table:number-columns-repeated="16384"/>'
                ],
                1_000_000,
            )
        ],  # typed, no text
    ],
)
def test_ods_positions_are_bounded(tmp_path, rows):
    assert "terlalu" in refusal(ods(tmp_path / "u.ods", [table("S", [*head(), *rows])]))


def test_a_hidden_ods_table_is_bounded_and_never_read(tmp_path):
    hidden = ' table:style-name="ta_h"'
    bomb = table("H", [*head(), tr([tc(None)], 24_000_000), tr([tc(1)])], hidden)
    path = ods(tmp_path / "u.ods", [bomb, table("S", head())], HIDDEN_STYLE)
    assert "lembar 'H' terlalu besar" in refusal(path)
    secret = table("H", [*head(), tr([tc(v) for v in ["Japan", "RAHASIA", "RT 9", 5]])], hidden)
    grids = read_grids(ods(tmp_path / "ok.ods", [secret, table("S", head())], HIDDEN_STYLE))
    assert [g.name for g in grids] == ["S"]


def test_a_table_nested_in_a_cell_keeps_the_sheet_and_row_count(tmp_path):
    formula = '<table:table-cell table:formula="of:=SUM([.E2:.F2])"/>'
    nested = (
        '<table:table-cell office:value-type="string"><text:p>RT 1</text:p><table:table '
        'table:name="inner"><table:table-row><table:table-cell/></table:table-row>'
        "</table:table></table:table-cell>"
    )
    row = tr([tc("Japan"), tc("Paving"), nested, formula])
    grid = read_grids(ods(tmp_path / "u.ods", [table("S", [head()[0], row])]))[0]
    assert grid.name == "S"
    assert grid.cell_problems == {
        (2, 3): "rumus tanpa nilai tersimpan: buka dan simpan ulang di Excel"
    }


@pytest.mark.parametrize("visibility", ["collapse", "filter"])
def test_hidden_ods_rows_are_skipped_and_named(tmp_path, visibility):
    hidden = tr(
        [tc(v) for v in ["Japan", "BARIS TERSEMBUNYI", "RT 9", 5_000_000]],
        extra=f' table:visibility="{visibility}"',
    )
    path = ods(tmp_path / "usulan.ods", [table("S", [*head(), hidden])])
    assert read_grids(path)[0].hidden_rows == {3}
    result = parse_import(path, wilayah_kode="35.16.13")
    assert [r["kegiatan"] for r in result.records] == ["Paving jalan"]
    assert any(s.row == 3 for s in result.skipped)


# --------------------------------------------------------------------------- csv


def test_a_csv_over_the_row_limit_is_refused_before_decoding(tmp_path, monkeypatch):
    """Windows-1252 lines each go through charset detection: counted first, never decoded."""
    import charset_normalizer

    def never(*_args, **_kwargs):
        raise AssertionError("decoded a file that was over the limit")

    monkeypatch.setattr(charset_normalizer, "from_bytes", never)
    path = tmp_path / "u.csv"
    path.write_bytes(b"Desa;Kegiatan;Biaya\n" + b"Japan;Caf\xe9;1\n" * 60_000)
    assert "lebih dari 50.000 baris" in refusal(path)


def test_quoted_line_breaks_do_not_count_as_rows_before_decoding(tmp_path):
    """30,000 rows whose notes span two lines: 60,000 lines, yet within the row limit."""
    path = tmp_path / "u.csv"
    path.write_bytes(b"Desa;Kegiatan;Biaya\n" + b'Japan;"Caf\xe9\nbaris dua";1\n' * 30_000)
    grid = read_grids(path)[0]
    assert len(grid.rows) == 30_001 and grid.rows[1][1] == "Caf\u00e9\nbaris dua"


def test_an_open_quote_does_not_hide_a_million_lines(tmp_path):
    path = tmp_path / "u.csv"
    path.write_bytes(b'Desa;"Kegiatan;Biaya\n' + b"Japan;Caf\xe9;1\n" * 110_000)
    assert "baris teks" in refusal(path)
