"""The signature block and notes under a table are skipped and named, never imported."""

import pytest

from store.import_files import parse_import
from store.import_rows import CLOSING_BLOCK

SOOKO = "35.16.13"
PARTICIPANTS = "No;Nama;L/P;Jabatan\n1;Budi;L;Warga\n2;Ani;P;Warga\n"
PROPOSALS = "No;Desa;Kegiatan;Biaya\n1;Sooko;Paving;1000\n2;Japan;Sumur;2000\nJUMLAH;;;3000\n"


@pytest.mark.parametrize(
    ("table", "below"),
    [
        (PARTICIPANTS, ";Mengetahui,;;Camat Sooko\n;;;\n;;;Drs. Hendro\n;;;NIP 19691119\n"),
        (PARTICIPANTS, ";;;Menyetujui\n;;;Kepala Desa Japan\n"),
        (PROPOSALS, ";;;Sooko, 10 Januari 2026\n;;;Kepala Desa\n"),
        (PROPOSALS, ";Terbilang: tiga ribu rupiah\n"),
        (PROPOSALS, ";;;Mojokerto, 05-01-2026\n"),
        (PROPOSALS, ";Catatan: diusulkan lewat musdes\n"),
        (PROPOSALS, ";;Dibuat oleh operator desa;\n"),
    ],
)
def test_text_under_the_table_is_skipped_and_named(tmp_path, table, below):
    path = tmp_path / "berkas.csv"
    path.write_text(table + ";;;\n" + below, encoding="utf-8")
    result = parse_import(path, wilayah_kode=SOOKO)
    assert result.ok, result.errors
    assert len(result.records) == 2
    assert any(CLOSING_BLOCK in line for line in result.skipped_lines())


def test_sparse_rows_after_a_blank_row_are_a_block_but_a_name_is_data(tmp_path):
    path = tmp_path / "peserta.csv"
    path.write_text(PARTICIPANTS + ";;;\n;Citra;P;\n;;;\n;;;Pak Lurah Japan\n", encoding="utf-8")
    result = parse_import(path, wilayah_kode=SOOKO)
    assert [r["nama"] for r in result.records] == ["Budi", "Ani", "Citra"]
    assert "baris 7: " + CLOSING_BLOCK in result.skipped_lines()


def test_a_full_row_after_the_phrase_means_it_was_data(tmp_path):
    path = tmp_path / "peserta.csv"
    path.write_text(PARTICIPANTS + "3;Ketua RT 02;L;\n4;Sari;P;Warga\n", encoding="utf-8")
    result = parse_import(path, wilayah_kode=SOOKO)
    assert [r["nama"] for r in result.records] == ["Budi", "Ani", "Ketua RT 02", "Sari"]
