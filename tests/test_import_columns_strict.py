"""Columns that look like a field, hand mappings that cannot apply, echoed file text."""

import pytest

from store.import_columns import lookalike_field
from store.import_files import COLUMNS_ROW, parse_import, parse_overrides
from store.importer import COLUMNS_HINT, ImportReport
from store.shown_text import MESSAGE, shown
from store.validation_error import ValidationError

SOOKO = "35.16.13"
PROPOSALS = "Desa,Kegiatan,Biaya,Sumber Dana\nSooko,Paving,1000000,DD\n"


def _add_column(table: str, header: str, value: str) -> str:
    head, row = table.splitlines()
    return f"{head},{header}\n{row},{value}\n"


@pytest.mark.parametrize(
    ("header", "field"),
    [
        ("Biaya Lain", "biaya"),
        ("Biaya 2", "biaya"),
        ("Lokasi 2", "lokasi"),
        ("Volume Tahap 2", "volume"),
        ("Nama Desa Asal", "desa"),
        ("Kegiatan Tambahan", "kegiatan"),
        ("Kegiaatan", "kegiatan"),
        ("NIK Ketua", "nik"),
    ],
)
def test_proposal_column_that_looks_like_a_field_refuses_the_file(tmp_path, header, field):
    path = tmp_path / "usulan.csv"
    path.write_text(_add_column(PROPOSALS, header, "x"), encoding="utf-8")
    result = parse_import(path, wilayah_kode=SOOKO)
    assert not result.ok
    assert result.errors[0].row == COLUMNS_ROW
    assert f"kolom '{header}' mirip" in result.errors[0].message
    assert lookalike_field(header.casefold().replace(" ", "_"), "usulan") == field


@pytest.mark.parametrize("header", ["NIK Ketua", "Telepon 2", "No HP Istri"])
def test_participant_column_that_looks_like_a_field_refuses_the_file(tmp_path, header):
    path = tmp_path / "peserta.csv"
    path.write_text(f"Nama,Telepon,{header}\nBudi,081234567890,x\n", encoding="utf-8")
    result = parse_import(path, wilayah_kode=SOOKO)
    assert [e.row for e in result.errors] == [COLUMNS_ROW]
    assert header in result.errors[0].message


def test_lookalike_ignored_on_purpose_imports(tmp_path):
    path = tmp_path / "usulan.csv"
    path.write_text(_add_column(PROPOSALS, "Biaya Lain", "5"), encoding="utf-8")
    result = parse_import(path, wilayah_kode=SOOKO, columns=parse_overrides(["Biaya Lain=-"]))
    assert result.ok
    assert result.records[0]["biaya"] == 1_000_000


def test_unrelated_column_is_only_a_warning(tmp_path):
    path = tmp_path / "usulan.csv"
    path.write_text(_add_column(PROPOSALS, "Hobi", "catur"), encoding="utf-8")
    result = parse_import(path, wilayah_kode=SOOKO)
    assert result.ok
    assert "Hobi tidak dikenal dan diabaikan" in result.warnings[0]


@pytest.mark.parametrize(
    ("content", MESSAGE),
    [
        ("nama,Nama\nA,B\n", "kolom nama muncul lebih dari sekali"),
        ("kegiatan,biaya\nA,1\n", "kolom desa wajib ada"),
    ],
)
def test_column_problems_are_errors_of_the_columns(tmp_path, content, message):
    path = tmp_path / "berkas.csv"
    path.write_text(content, encoding="utf-8")
    result = parse_import(path, wilayah_kode=SOOKO)
    assert [e.row for e in result.errors] == [COLUMNS_ROW]
    assert message in result.errors[0].message


def test_mapping_to_a_field_of_the_other_kind_is_refused(tmp_path):
    path = tmp_path / "usulan.csv"
    path.write_text(_add_column(PROPOSALS, "Biaya Lain", "5"), encoding="utf-8")
    result = parse_import(path, wilayah_kode=SOOKO, columns=parse_overrides(["Biaya Lain=nik"]))
    assert not result.ok
    assert any("nik bukan kolom berkas usulan" in e.message for e in result.errors)


def test_mapping_a_column_the_file_lacks_is_refused(tmp_path):
    path = tmp_path / "usulan.csv"
    path.write_text(PROPOSALS, encoding="utf-8")
    result = parse_import(path, wilayah_kode=SOOKO, columns=parse_overrides(["Tidak Ada=biaya"]))
    assert not result.ok
    assert "'tidak ada': judul itu tidak ada di berkas ini" in result.errors[0].message


@pytest.mark.parametrize("pair", ["biaya=", "=biaya", "biaya", "biaya=  "])
def test_mapping_syntax(pair):
    with pytest.raises(ValidationError, match="JUDUL=kolom"):
        parse_overrides([pair])


def test_cli_report_of_a_column_problem_gives_the_mapping_hint(tmp_path):
    report = ImportReport(tmp_path / "a.csv", errors=["a.csv: kolom 'X' mirip biaya"])
    report.needs_mapping = True
    assert report.describe().splitlines()[-1].strip() == COLUMNS_HINT


@pytest.mark.parametrize(
    "text",
    [
        "x.csv: 60 usulan ditambahkan.\nz.csv",
        "a\rb",
        "a\u2028b",
        "a\u202eb",
        "a\x1b[31mb",
        "a\x85b",
        "a\u200bb",
    ],
)
def test_a_message_is_one_line_without_controls(text):
    out = shown(text, MESSAGE)
    assert len(out.splitlines()) == 1
    assert all(c.isprintable() for c in out)


def test_file_name_with_newline_cannot_spoof_a_report_line(tmp_path):
    report = ImportReport(tmp_path / "x.csv: 60 usulan ditambahkan.\nz.csv", added=1)
    report.kind = "usulan"
    assert len(report.describe().splitlines()) == 1


def test_header_holding_a_nik_is_masked_in_the_mapping(tmp_path):
    path = tmp_path / "peserta.csv"
    path.write_text("Nama,3516131234567890\nBudi,x\n", encoding="utf-8")
    result = parse_import(path, wilayah_kode=SOOKO)
    shown = "\n".join(result.mapping_lines() + result.warnings)
    assert "3516131234567890" not in shown
    assert "diabaikan" in shown


def test_attendance_list_columns_of_no_field_are_only_ignored(tmp_path):
    path = tmp_path / "peserta.csv"
    path.write_text("Nama,Alamat,Keterangan,Tanda Tangan\nBudi,Jl. Mawar,hadir,\n")
    result = parse_import(path, wilayah_kode=SOOKO)
    assert result.ok, result.errors
    assert "Alamat, Keterangan, Tanda Tangan tidak dikenal dan diabaikan" in result.warnings[0]


@pytest.mark.parametrize("phone", ["0812345", "08123456", "0812-345", "+62 812 34", "62812345"])
def test_a_phone_like_value_is_masked_even_when_invalid(phone):
    out = shown(f"Telepon {phone} tidak sah", MESSAGE)
    digits = "".join(c for c in phone if c.isdigit())
    assert digits not in "".join(c for c in out if c.isdigit())


@pytest.mark.parametrize("text", ["biaya 140.000.000", "tanggal 08-02-2026", "kode 35.16.13.2009"])
def test_money_dates_and_codes_stay_readable(text):
    assert shown(text, MESSAGE) == text
