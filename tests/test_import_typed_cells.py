"""Import cells are read as the F4 form reads them (store.typed_numbers), and gender
spellings map to L/P through the one table."""

from __future__ import annotations

import pytest

from store.import_files import parse_import
from store.validation import parse_gender

SOOKO = "35.16.13"


@pytest.mark.parametrize(
    ("cell", "field", "value"),
    [
        ("150 juta", "biaya", 150_000_000),
        ("Rp 1,5 M", "biaya", 1_500_000_000),
        ("500 rb", "biaya", 500_000),
        ("250 jiwa", "penerima_manfaat", 250),
        ("1.200 orang", "penerima_manfaat", 1200),
        ("150 m", "volume", 150),
    ],
)
def test_typed_number_cells(tmp_path, cell, field, value):
    columns = {"biaya": "10000000", "penerima_manfaat": "", "volume": ""}
    columns[field] = cell
    path = tmp_path / "usulan.csv"
    path.write_text(
        "Desa;Kegiatan;Biaya;Penerima Manfaat;Volume\n"
        f"Sooko;Paving;{columns['biaya']};{columns['penerima_manfaat']};{columns['volume']}\n",
        encoding="utf-8",
    )
    result = parse_import(path, wilayah_kode=SOOKO)
    assert result.ok, result.errors
    assert result.records[0][field] == value


def test_volume_unit_fills_satuan_and_a_conflict_is_an_error(tmp_path):
    path = tmp_path / "usulan.csv"
    path.write_text(
        "Desa;Kegiatan;Biaya;Volume;Satuan\nSooko;A;1000;150 m;\nSooko;B;1000;2 km;m\n",
        encoding="utf-8",
    )
    result = parse_import(path, wilayah_kode=SOOKO)
    assert result.records[0]["satuan"] == "m"
    assert [e.row for e in result.errors] == [3]
    assert "bersatuan 'km'" in result.errors[0].message


@pytest.mark.parametrize(
    "cell", ["40 KK", "1.5", "IDR 25,000,000", "150 m"], ids=["kk", "dot", "idr", "m-money"]
)
def test_still_strict_where_the_form_is(tmp_path, cell):
    field = {"40 KK": "Penerima Manfaat", "1.5": "Volume"}.get(cell, "Biaya")
    path = tmp_path / "usulan.csv"
    header = ["Desa", "Kegiatan", "Biaya"] + ([field] if field != "Biaya" else [])
    cells = ["Sooko", "A", cell if field == "Biaya" else "1000"] + (
        [cell] if field != "Biaya" else []
    )
    path.write_text(";".join(header) + "\n" + ";".join(cells) + "\n", encoding="utf-8")
    result = parse_import(path, wilayah_kode=SOOKO)
    assert not result.ok


@pytest.mark.parametrize(
    ("cell", "gender"),
    [("W", "P"), ("Wanita", "P"), ("Pr", "P"), ("pr.", "P"), ("Lk", "L"), ("Lk.", "L")],
)
def test_gender_synonyms(cell, gender):
    assert parse_gender(cell) == gender


def test_gender_synonym_in_an_import(tmp_path):
    path = tmp_path / "peserta.csv"
    path.write_text("Nama;JK\nAni;W\nBudi;Lk\nCici;Pr\n", encoding="utf-8")
    result = parse_import(path, wilayah_kode=SOOKO)
    assert [r["jenis_kelamin"] for r in result.records] == ["P", "L", "P"]
