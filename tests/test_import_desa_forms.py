"""Desa forms as the secretary makes them: the Daftar Usulan RKP Desa (Permendagri 114)
layout, a proposals file without a Desa column in a desa forum, a rekap with the desa
merged down over its rows and bidang section rows."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import Workbook

from store.import_columns import NOT_LOOKALIKE_PREFIXES, lookalike_field, normalize_header
from store.import_files import parse_import
from store.import_header import Header
from store.import_merged import fill_merged_down
from store.import_rows import SECTION, _is_section_row

CASES = Path(__file__).parent / "data" / "import"
SOOKO = "35.16.13"
JAPAN = "35.16.13.2009"  # a desa of Sooko


@pytest.mark.parametrize(
    ("header", "field"),
    [
        ("Bidang/Jenis Kegiatan", "kegiatan"),
        ("Bidang Kegiatan", "kegiatan"),
        ("Sasaran/Manfaat", "sasaran_kegiatan"),
        ("Sasaran", "sasaran_kegiatan"),
        ("Prakiraan Volume", "volume"),
        ("Lokasi (RT/RW/Dusun)", "lokasi"),
        ("Jumlah (Rp)", "biaya"),
        ("Sumber Biaya", "sumber_dana"),
    ],
)
def test_rkp_desa_synonyms(header, field):
    assert normalize_header(header) == field


@pytest.mark.parametrize(
    "header",
    [
        "Waktu Pelaksanaan",
        "Pola Pelaksanaan",
        "Pola Pelaksanaan Kerjasama Antar Desa",
        "Rencana Pelaksana Kegiatan",
    ],
)
def test_rkp_desa_columns_without_a_field_are_ignored_not_refused(header):
    folded = normalize_header(header)
    assert folded.startswith(NOT_LOOKALIKE_PREFIXES)
    assert lookalike_field(folded, "usulan") is None


def test_permendagri_114_form_in_a_desa_forum():
    result = parse_import(CASES / "usulan-rkp-desa-permendagri114.xlsx", wilayah_kode=JAPAN)
    assert result.ok, result.errors
    assert result.header.rows_text == "baris 4-5"  # "Pola Pelaksanaan" over its parts
    assert [r["kegiatan"] for r in result.records] == [
        "Penyusunan RPJM Desa",
        "Pembangunan jalan paving",
    ]
    paving = result.records[1]
    assert paving["desa"] == "Japan"
    assert (paving["volume"], paving["satuan"]) == (150, "m")
    assert paving["sasaran_kegiatan"] == "Warga RT 01"
    assert paving["biaya"] == 150_000_000
    assert result.skipped_lines() == [
        "baris 6: nomor kolom",
        "baris 7: baris bidang",
        "baris 9: baris bidang",
    ]
    ignored = next(w for w in result.warnings if "diabaikan" in w)
    assert "Waktu Pelaksanaan" in ignored and "Rencana Pelaksana Kegiatan" in ignored


def test_a_kecamatan_forum_still_needs_the_desa_column():
    result = parse_import(CASES / "usulan-rkp-desa-permendagri114.xlsx", wilayah_kode=SOOKO)
    assert not result.ok
    assert "kolom desa wajib ada untuk usulan" in result.errors[0].message


def test_desa_forum_file_without_desa_column(tmp_path):
    path = tmp_path / "usulan.csv"
    path.write_text("Kegiatan;Biaya\nPaving;1000000\nDrainase;2000000\n", encoding="utf-8")
    result = parse_import(path, wilayah_kode=JAPAN)
    assert result.ok
    assert {r["desa"] for r in result.records} == {"Japan"}
    assert not parse_import(path, wilayah_kode=SOOKO).ok


def test_rekap_with_merged_desa_and_bidang_rows():
    result = parse_import(CASES / "usulan-rekap-sel-gabungan.xlsx", wilayah_kode=SOOKO)
    assert result.ok, result.errors
    desa = [r["desa"] for r in result.records]
    assert len(set(desa[:3])) == 1 and len(set(desa[3:])) == 1 and desa[0] != desa[3]
    assert result.rows == [5, 6, 7, 10, 11]
    assert f"baris 4: {SECTION}" in result.skipped_lines()
    assert f"baris 9: {SECTION}" in result.skipped_lines()
    assert any("baris 5-7: desa 'Japan' dari sel gabungan" in w for w in result.warnings)
    assert not any("tidak sama dengan jumlah" in w for w in result.warnings)


def test_merged_cells_written_by_openpyxl(tmp_path):
    book = Workbook()
    sheet = book.active
    sheet.append(["Desa", "Kegiatan", "Biaya"])
    sheet.append(["Japan", "A", 1000])
    sheet.append([None, "B", 2000])
    sheet.append(["Sooko", "C", 3000])
    sheet.merge_cells("A2:A3")
    sheet.merge_cells("C2:C3")  # an amount merged is one amount: not copied down
    path = tmp_path / "rekap.xlsx"
    book.save(path)
    result = parse_import(path, wilayah_kode=SOOKO)
    assert [e.message for e in result.errors] == ["baris 3: Biaya wajib diisi"]


def test_a_total_row_inside_a_merged_desa_stays_a_total():
    rows = [["desa", "kegiatan", "biaya"], ["Japan", "A", 1000], [None, "B", 2000]]
    rows.append([None, "JUMLAH", 3000])
    out, _ = fill_merged_down(rows, [(1, 0, 3, 0)], _header(["desa", "kegiatan", "biaya"]))
    assert [r[0] for r in out] == ["desa", "Japan", "Japan", None]


def test_a_merge_as_wide_as_a_sheet_costs_its_grouping_columns_only():
    rows = [["desa", "kegiatan"], ["Japan", "A"], [None, "B"]]
    merges = [(1, 0, 2, 16_383)] * 5_000
    out, _ = fill_merged_down(rows, merges, _header(["desa", "kegiatan"]))
    assert out[2] == ["Japan", "B"]


def _header(fields):
    return Header("usulan", 1, 1, list(fields), list(fields))


def test_fill_down_is_bounded_and_only_fills_empty_grouping_cells():
    rows = [["desa", "kegiatan"], ["Japan", "A"], ["", "B"], ["Sooko", "C"], [None, "D"]]
    merges = [(1, 0, 4, 0)] * 50 + [(0, 0, 4, 0), (1, 1, 2, 1), (3, 0, 10**9, 0)]
    out, notes = fill_merged_down(rows, merges, _header(["desa", "kegiatan"]))
    assert [r[0] for r in out] == ["desa", "Japan", "Japan", "Sooko", "Japan"]
    assert [r[1] for r in out] == ["kegiatan", "A", "B", "C", "D"]
    assert rows[2][0] == ""  # the input is not edited
    assert len(notes) <= 50


@pytest.mark.parametrize(
    "cells",
    [
        ["A", "BIDANG INFRASTRUKTUR", "", ""],
        ["II", "Bidang Pelaksanaan Pembangunan Desa"],
        ["", "1. Bidang Penyelenggaraan Pemerintahan Desa", None],
        [3.0, "Bidang Pembinaan Kemasyarakatan"],
    ],
)
def test_section_rows(cells):
    assert _is_section_row(cells)


@pytest.mark.parametrize(
    "cells",
    [
        ["1", "Bidang tanah makam", "Japan", 5_000_000],  # a proposal about a bidang
        ["A", "Infrastruktur"],
        ["A", "B", "Bidang X"],
    ],
)
def test_not_section_rows(cells):
    assert not _is_section_row(cells)
