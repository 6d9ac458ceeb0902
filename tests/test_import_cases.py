"""The real-world import cases of tests/data/import (expected.md), one test each, plus the
kinds behind them: header anywhere, synonyms, non-data rows, sources, privacy, bounds."""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import pytest
from openpyxl import Workbook

from store.import_columns import SYNONYMS, normalize_header
from store.import_files import parse_import, parse_overrides, read_rows
from store.importer import import_file, is_bundle
from store.validation_error import ValidationError

CASES = Path(__file__).parent / "data" / "import"
SOOKO = "35.16.13"
CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
FULL_NIK = re.compile(r"\d{16}")


def parse(name: str, **kwargs):
    return parse_import(CASES / name, wilayah_kode=SOOKO, **kwargs)


def test_title_rows_above_the_header():
    result = parse("usulan-judul-di-atas.xlsx")
    assert result.ok and len(result.records) == 2
    assert result.header.first_row == 5
    assert result.rows == [6, 7]


def test_jumlah_row_is_skipped_named_and_checked(forum):
    result = parse("usulan-baris-jumlah.xlsx")
    assert result.ok and len(result.records) == 2
    assert result.skipped_lines() == ["baris 4: baris jumlah"]
    assert not any("JUMLAH" in w for w in result.warnings)  # 230.000.000 is the right sum
    report = import_file(forum, CASES / "usulan-baris-jumlah.xlsx")
    assert report.added == 2 and "baris 4: baris jumlah" in report.describe()


def test_wrong_jumlah_row_warns(tmp_path):
    book = Workbook()
    book.active.append(["Desa", "Kegiatan", "Biaya"])
    book.active.append(["Japan", "Paving", 100])
    book.active.append(["Japan", "Sumur", 200])
    book.active.append(["TOTAL", None, 999])
    book.save(tmp_path / "u.xlsx")
    result = parse_import(tmp_path / "u.xlsx", wilayah_kode=SOOKO)
    assert len(result.records) == 2
    assert any("baris 4: TOTAL biaya Rp999" in w and "Rp300" in w for w in result.warnings)


def test_sep_line_then_header_at_row_two():
    result = parse("usulan-baris-sep.csv")
    assert result.ok and len(result.records) == 2
    assert result.header.first_row == 2 and result.rows == [3, 4]


def test_units_in_brackets():
    result = parse("usulan-satuan-dalam-kurung.csv")
    (record,) = result.records
    assert (record["biaya"], record["penerima_manfaat"]) == (140_000_000, 300)


@pytest.mark.parametrize("name", ["peserta-nama-lengkap.csv", "peserta-jenis-kelamin-lp.csv"])
def test_participant_synonyms_keep_gender_and_phone(name):
    result = parse(name)
    assert result.ok
    assert [r["jenis_kelamin"] for r in result.records] == ["L", "P"][: len(result.records)]
    assert all(r["telepon"].startswith("08") for r in result.records)


def test_lp_file_gives_both_genders():
    result = parse("peserta-jenis-kelamin-lp.csv")
    assert [(r["jenis_kelamin"], r["telepon"]) for r in result.records] == [
        ("L", "081234567890"),
        ("P", "085712345678"),
    ]


def test_pre_numbered_empty_rows_are_skipped():
    result = parse("peserta-baris-bernomor-kosong.xlsx")
    assert result.ok and len(result.records) == 2
    assert result.skipped_lines() == ["baris 4-11: bernomor tanpa isi"]


def test_macro_workbook_is_read():
    result = parse("peserta-makro.xlsm")
    assert result.ok and len(result.records) == 1


def test_formula_without_saved_value_says_so(forum):
    result = parse("usulan-rumus-tanpa-nilai.xlsx")
    assert not result.ok
    first = result.errors[0].message
    assert first.startswith("baris 2: Biaya: rumus tanpa nilai tersimpan")
    assert "wajib diisi" not in first
    report = import_file(forum, CASES / "usulan-rumus-tanpa-nilai.xlsx")
    assert not report.ok and forum.proposals.all() == []


def test_joined_funding_sources():
    result = parse("usulan-sumber-dana-gabungan.csv")
    assert result.records[0]["sumber_dana"] == [{"sumber": "DD", "jumlah": 140_000_000}]
    assert [e.row for e in result.errors] == [3, 4]
    assert all("tulis jumlah masing-masing" in e.message for e in result.errors)


def test_unknown_funding_source_is_listed_not_created(tmp_path):
    path = tmp_path / "u.csv"
    path.write_text("desa;kegiatan;biaya;sumber_dana\nJapan;Paving;100;Dana CSR\n")
    result = parse_import(path, wilayah_kode=SOOKO)
    assert not result.ok
    assert "'Dana CSR' bukan sumber dana yang dikenal" in result.errors[0].message


def test_terminal_codes_never_reach_a_message(forum):
    report = import_file(forum, CASES / "usulan-kode-kendali-terminal.csv")
    assert not report.ok
    assert not CONTROL.search(report.describe())


def test_swapped_phone_and_nik_never_print_a_full_nik(forum):
    report = import_file(forum, CASES / "peserta-kolom-tertukar.csv")
    text = report.describe()
    assert not report.ok
    assert not FULL_NIK.search(text)
    assert "081234567890" not in text


def test_mixed_encodings_decode_per_row():
    result = parse("usulan-campuran-encoding.csv")
    assert [r["kegiatan"] for r in result.records] == ["Café utf8", "Café cp1252"]
    assert not any("Ã" in r["kegiatan"] for r in result.records)
    assert any("Windows-1252" in w for w in result.warnings)


def test_undecodable_line_is_refused_naming_it(tmp_path):
    path = tmp_path / "u.csv"
    path.write_bytes(b"desa,kegiatan,biaya\nJapan,Caf\xc3\xa9,1\nJapan,\x81\x8d\x8f\x90\x9d,2\n")
    with pytest.raises(ValidationError, match="baris 3"):
        read_rows(path)


def test_hidden_sheets_are_never_read():
    result = parse("usulan-sheet-tersembunyi.xlsx")
    assert [r["kegiatan"] for r in result.records] == ["Paving biasa"]


# --------------------------------------------------------------------------- columns


@pytest.mark.parametrize(
    ("spelling", "field"),
    [(s, f) for f, spellings in SYNONYMS.items() for s in spellings],
)
def test_every_synonym_maps(spelling, field):
    assert normalize_header(spelling.replace("_", " ").title()) == field


@pytest.mark.parametrize(
    ("header", "field"),
    [
        ("Biaya (Rp)", "biaya"),
        ("Jumlah (Rp)", "biaya"),
        ("Penerima Manfaat (Jiwa)", "penerima_manfaat"),
        ("Jenis Kelamin (L/P)", "jenis_kelamin"),
        ("No. HP/WA", "telepon"),
        ("Alamat/Lokasi", "lokasi"),
        ("Kebutuhan Dana", "biaya"),
        ("Usulan Kegiatan", "kegiatan"),
        ("Prakiraan Biaya", "biaya"),
        ("Sumber Pendanaan", "sumber_dana"),
        ("NAMA  LENGKAP", "nama"),
    ],
)
def test_headers_people_write(header, field):
    assert normalize_header(header) == field


def test_bare_jumlah_is_not_biaya():
    assert normalize_header("Jumlah") == "jumlah"


@pytest.mark.parametrize("header", ["jenis_kelamin_x", "Biaya Lain", "Telepon Rumah Kantor"])
def test_lookalike_column_refuses_the_file(tmp_path, header):
    path = tmp_path / "p.csv"
    if header.startswith("Biaya"):
        path.write_text(f"desa;kegiatan;Ongkos;{header}\nJapan;Paving;1;2\n")
    else:
        path.write_text(f"nama;{header}\nBudi;L\n")
    try:
        result = parse_import(path)
    except ValidationError as error:  # no header found: the look-alike is named as a hint
        assert f"kolom '{header}'" in error.message
    else:
        assert not result.records
        assert f"kolom '{header}'" in result.errors[0].message


def test_hand_mapping_and_ignoring(tmp_path):
    path = tmp_path / "p.csv"
    path.write_text("Peserta;Kelamin X;Hobi\nBudi;L;catur\n")
    columns = parse_overrides(["Peserta=nama", "kelamin x=jenis_kelamin", "Hobi=-"])
    result = parse_import(path, columns=columns)
    assert result.records[0]["jenis_kelamin"] == "L"
    assert "Peserta -> nama" in result.mapping_lines()
    assert "Hobi -> diabaikan" in result.mapping_lines()
    assert result.warnings == []
    with pytest.raises(ValidationError, match="bukan kolom impor"):
        parse_overrides(["Peserta=namaku"])


def test_two_row_merged_header(tmp_path):
    book = Workbook()
    sheet = book.active
    sheet.append(["No", "Desa", "Kegiatan", "Output Kegiatan", None, "Biaya (Rp)"])
    sheet.append([None, None, None, "Volume", "Satuan", None])
    sheet.append(["(1)", "(2)", "(3)", "(4)", "(5)", "(6)"])
    sheet.append([1, "Japan", "Paving", 800, "m2", 140_000_000])
    sheet.merge_cells("D1:E1")
    book.save(tmp_path / "u.xlsx")
    result = parse_import(tmp_path / "u.xlsx", wilayah_kode=SOOKO)
    assert result.ok, result.errors
    assert result.header.rows_text == "baris 1-2"
    assert (result.records[0]["volume"], result.records[0]["satuan"]) == (800, "m2")
    assert result.skipped_lines() == ["baris 3: nomor kolom"]
    assert result.rows == [4]


@pytest.mark.parametrize("written", ["35.16.13.2009 - Japan", "japan", "35.16.13.2009"])
def test_desa_as_code_name_or_both(tmp_path, written):
    path = tmp_path / "u.csv"
    path.write_text(f"desa;kegiatan;biaya\n{written};Paving;1000\n")
    result = parse_import(path, wilayah_kode=SOOKO)
    assert result.ok, result.errors
    assert result.records[0]["desa"] == "Japan"


def test_bundle_is_recognised_by_content(tmp_path):
    path = tmp_path / "kiriman.bundle"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("bundle.json", "{}")
    assert is_bundle(path)
    assert not is_bundle(CASES / "peserta-makro.xlsm")


# --------------------------------------------------------------------------- bounds


def _xlsx_bytes(rows) -> bytes:
    book = Workbook()
    for row in rows:
        book.active.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _patched(data: bytes, member: str, change) -> bytes:
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = source.read(info)
            target.writestr(info.filename, change(content) if info.filename == member else content)
    return out.getvalue()


def test_sheet_declaring_a_huge_size_is_refused(tmp_path):
    data = _xlsx_bytes([["desa", "kegiatan", "biaya"], ["Japan", "Paving", 1]])
    huge = _patched(
        data,
        "xl/worksheets/sheet1.xml",
        lambda xml: xml.replace(
            b"</sheetData>", b'<row r="1048576"><c r="XFD1048576"><v>1</v></c></row></sheetData>'
        ),
    )
    path = tmp_path / "besar.xlsx"
    path.write_bytes(huge)
    assert path.stat().st_size < 10_000
    with pytest.raises(ValidationError, match="terlalu besar"):
        read_rows(path)


def test_zip_bomb_is_refused_before_inflating(tmp_path):
    path = tmp_path / "bom.xlsx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", b"\0" * 20_000_000)
    with pytest.raises(ValidationError, match="bom zip"):
        read_rows(path)


def test_row_limit(tmp_path, monkeypatch):
    import store.import_readers as readers

    monkeypatch.setattr(readers, "MAX_GRID_ROWS", 50)
    path = tmp_path / "u.csv"
    path.write_text("desa;kegiatan;biaya\n" + "Japan;Paving;1\n" * 60)
    with pytest.raises(ValidationError, match=re.escape("lebih dari 50.000 baris")):
        read_rows(path)


def test_huge_field_is_refused(tmp_path):
    path = tmp_path / "u.csv"
    path.write_text("desa;kegiatan;biaya\nJapan;" + "x" * 200_000 + ";1\n")
    with pytest.raises(ValidationError, match="baris 2"):
        read_rows(path)


def _usulan_with_ongkos(path: Path, header: str = "Desa;Kegiatan;Ongkos;Biaya (Rp)") -> Path:
    path.write_text(f"{header}\nJapan;Paving;5000000;x\nJAPAN;Sumur;7000000;y\n", encoding="utf-8")
    return path


def test_cli_import_uses_the_mapping_remembered_for_the_same_header(forum, tmp_path):
    """The preview remembered Ongkos -> biaya and Biaya (Rp) -> ignored for this header: the
    CLI reads the next desa's copy with it and says so; a different header is not touched."""
    from store.import_memory import remember_columns

    remember_columns(
        ["Desa", "Kegiatan", "Ongkos", "Biaya (Rp)"], {"ongkos": "biaya", "biaya (rp)": None}
    )
    report = import_file(forum, _usulan_with_ongkos(tmp_path / "japan.csv"))
    assert report.ok and report.added == 2, report.describe()
    text = report.describe()
    assert "Pemetaan tersimpan dipakai: Ongkos -> biaya; Biaya (Rp) -> diabaikan" in text
    assert sorted(p["biaya"] for p in forum.proposals.all()) == [5_000_000, 7_000_000]
    other = _usulan_with_ongkos(tmp_path / "lain.csv", "Desa;Kegiatan;Ongkos;Biaya (Rp);Catatan")
    report = import_file(forum, other)
    assert not report.ok and "tersimpan" not in report.describe()  # 'x' is no amount


def test_kolom_overrides_a_remembered_mapping(forum, tmp_path):
    from store.import_memory import remember_columns

    remember_columns(
        ["Desa", "Kegiatan", "Ongkos", "Biaya (Rp)"], {"ongkos": "biaya", "biaya (rp)": None}
    )
    file = _usulan_with_ongkos(tmp_path / "japan.csv")
    report = import_file(forum, file, parse_overrides(["Ongkos=-", "Biaya (Rp)=biaya"]))
    assert not report.ok  # the hand-given mapping won: Biaya (Rp) holds 'x'
    assert "baris 2: Biaya" in report.describe()
    assert "tersimpan" not in report.describe()
    partly = import_file(forum, file, parse_overrides(["Biaya (Rp)=-"]))
    assert partly.ok and partly.recalled == ["Ongkos -> biaya"]
    # Ongkos ignored by hand, Biaya (Rp) still ignored as remembered: no amount column left,
    # and the refusal says which remembered mapping took part
    refused = import_file(forum, file, parse_overrides(["Ongkos=-"]))
    assert "pemetaan tersimpan dipakai: biaya (rp) -> diabaikan" in refused.describe()


def test_a_forged_remembered_mapping_counts_only_for_import_columns_of_its_header(tmp_path):
    """kantor.json is editable by anyone: a mapping to no import column, or of a column the
    header does not have, is not used."""
    from store.import_memory import remember_columns, remembered_columns

    header = ["Desa", "Kegiatan", "Ongkos", "Biaya (Rp)"]
    remember_columns(header, {"ongkos": "\x1b[31mnik", "biaya (rp)": None, "lain": "biaya"})
    # what is left (Biaya (Rp) ignored) leaves no amount column: nothing is applied
    assert remembered_columns([header]) == {}
    remember_columns(header, {"ongkos": "biaya", "biaya (rp)": "nik", "desa": "nama"})
    # nik and nama are participant fields: not targets of a proposal header
    assert remembered_columns([header]) == {"ongkos": "biaya"}
