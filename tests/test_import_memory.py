"""Remembered column mappings (store.import_memory) apply only to the file's detected header
row, only with targets of that header's kind, and the report names exactly what applied."""

from __future__ import annotations

from pathlib import Path

from store.import_files import parse_import
from store.import_memory import recalled_columns, remember_columns, remembered_columns

TEMPLATE = ["Desa", "Pekerjaan", "Ongkos"]  # names no field by itself
TEMPLATE_MAPPING = {"pekerjaan": "kegiatan", "ongkos": "biaya"}


def test_the_header_found_by_the_mapping_itself_gets_it():
    remember_columns(TEMPLATE, TEMPLATE_MAPPING)
    rows = [["DAFTAR USULAN DESA JAPAN"], [], TEMPLATE, ["Japan", "Paving", 5]]
    assert remembered_columns(rows) == TEMPLATE_MAPPING


def test_a_title_row_with_a_remembered_signature_is_not_the_header():
    """The header below is found without help: only its own signature counts."""
    remember_columns(["Daftar Usulan"], {"daftar usulan": "kegiatan"})
    rows = [["Daftar Usulan"], ["Desa", "Kegiatan", "Biaya"], ["Japan", "Paving", 5]]
    assert remembered_columns(rows) == {}


def test_a_data_row_matching_a_remembered_header_is_not_the_header():
    remember_columns(TEMPLATE, TEMPLATE_MAPPING)
    rows = [["Desa", "Kegiatan", "Biaya"], ["Desa", "Pekerjaan", "Ongkos"], ["Japan", "P", 5]]
    assert remembered_columns(rows) == {}


def test_targets_must_be_fields_of_the_headers_kind():
    remember_columns(TEMPLATE, {**TEMPLATE_MAPPING, "desa": "nama"})  # nama: a participant
    rows = [TEMPLATE, ["Japan", "Paving", 5]]
    assert remembered_columns(rows) == TEMPLATE_MAPPING
    assert remembered_columns(rows, kind="peserta") == {}  # the preview of another kind


def test_the_report_states_exactly_the_mapping_applied(tmp_path):
    remember_columns(TEMPLATE, {**TEMPLATE_MAPPING, "desa": "nama", "hobi": "nik"})
    path = Path(tmp_path / "japan.csv")
    path.write_text("Judul\nDesa;Pekerjaan;Ongkos\nJapan;Paving;5000000\n", encoding="utf-8")
    result = parse_import(path, wilayah_kode="35.16.13", recall=recalled_columns)
    assert result.recalled == TEMPLATE_MAPPING
    assert result.recalled_lines() == ["Pekerjaan -> kegiatan", "Ongkos -> biaya"]
    assert [r["biaya"] for r in result.records] == [5_000_000]
