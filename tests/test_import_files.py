"""Reading .csv/.xlsx import files into validated records, with Excel row numbers."""

import re
from pathlib import Path

import pytest
from openpyxl import Workbook

from store.import_files import normalize_header, parse_import, read_rows
from store.validation_error import ValidationError

DATA = Path(__file__).parent / "data"
SOOKO = "35.16.13"


def test_sample_proposals_parse_without_errors():
    result = parse_import(DATA / "usulan-contoh.csv", wilayah_kode=SOOKO)
    assert result.kind == "usulan"
    assert result.ok
    assert result.warnings == []
    assert len(result.records) == 60
    assert result.rows[:2] == [2, 3]
    first = result.records[0]
    assert (first["desa"], first["desa_kode"], first["biaya"]) == (
        "Sooko",
        "35.16.13.2010",
        45_600_000,
    )
    assert first["sumber_dana"] == [{"sumber": "APBD Kab", "jumlah": 45_600_000}]
    assert {r["desa_kode"][:8] for r in result.records} == {SOOKO}
    # "Rp1.359.400.000" and "312.000.000" in the same column
    assert result.records[4]["biaya"] == 1_359_400_000
    assert result.records[3]["biaya"] == 312_000_000


def test_sample_participants_parse_without_errors():
    result = parse_import(DATA / "peserta-contoh.csv", wilayah_kode=SOOKO)
    assert result.kind == "peserta"
    assert result.ok
    assert len(result.records) == 80
    posyandu = result.records[1]
    assert posyandu["unsur"] == "Kelompok Perempuan"
    assert posyandu["unsur_asal"] == "Kader Posyandu"
    assert all(r["jenis_kelamin"] in ("L", "P") for r in result.records)
    assert sum(r["delegasi"] for r in result.records) > 0


def test_sample_proposals_need_the_forum_region_for_ambiguous_desa():
    result = parse_import(DATA / "usulan-contoh.csv")
    assert not result.ok
    assert all("'Tempuran' ada di beberapa kecamatan" in e.message for e in result.errors)


def test_bad_rows_name_the_row_and_the_field():
    result = parse_import(DATA / "usulan-salah.csv", wilayah_kode=SOOKO)
    assert result.rows == [2, 3]  # "1,5 jt" reads as the F4 form reads it
    assert result.records[1]["biaya"] == 1_500_000
    messages = [e.message for e in result.errors]
    assert messages == [
        "baris 4: Kegiatan wajib diisi",
        "baris 5: Sumber dana: jumlahnya Rp250.000.000, tidak sama dengan biaya Rp312.000.000",
        "baris 6: Desa: 'Sokoo' tidak ada di Kecamatan Sooko",
        "baris 7: ada 1 isian di luar kolom judul (mungkin koma di dalam teks tanpa tanda kutip)",
        "baris 8: Volume: '1.5' bukan angka yang jelas (contoh: 1.200 atau 1,5; titik untuk "
        "ribuan, koma untuk desimal)",
        "baris 8: Biaya: '-5000000' tidak boleh negatif",
    ]
    assert [e.row for e in result.errors] == [4, 5, 6, 7, 8, 8]


def test_bad_participant_rows_and_warnings():
    result = parse_import(DATA / "peserta-salah.csv", wilayah_kode=SOOKO)
    assert [e.message for e in result.errors] == [
        "baris 3: Nama wajib diisi",
        "baris 4: Jenis kelamin: 'X' bukan L atau P",
        "baris 5: Delegasi: 'mungkin' bukan ya/tidak (isi ya atau tidak)",
        "baris 5: NIK: harus 16 angka (6 angka)",
    ]
    assert result.warnings == [
        "baris 6: NIK: tanggal lahir di NIK menandakan perempuan, jenis kelamin tertulis L"
    ]
    assert result.rows == [2, 6]  # the mismatched NIK is kept: it only warns


def test_semicolon_bom_crlf_file_from_indonesian_excel():
    result = parse_import(DATA / "usulan-titikkoma.csv", wilayah_kode=SOOKO)
    assert result.ok, result.errors
    assert result.rows == [2, 4, 5]  # row 3 is blank and skipped, numbering kept
    japan, paving, sumur = result.records
    assert japan["desa"] == "Japan"
    assert japan["permasalahan"] == "Alat bantu; kursi roda belum ada"  # quoted ';'
    assert japan["biaya"] == 312_000_000
    assert japan["penerima_manfaat"] == 1128
    assert [s["jumlah"] for s in japan["sumber_dana"]] == [50_000_000, 262_000_000]
    assert japan["foto"] == ["foto/a.jpg", "foto/b.jpg"]
    assert paving["desa"] == "Karangkedawang"
    assert paving["volume"] == 1200
    assert sumur["desa_kode"] == "35.16.13.2014"
    assert sumur["volume"] == 1.5
    assert sumur["biaya"] == 1_500_000
    assert result.warnings == []  # the "No" column of paper forms is ignored silently


def test_windows_1252_file_is_read_with_a_warning():
    result = parse_import(DATA / "peserta-cp1252.csv", wilayah_kode=SOOKO)
    assert result.ok
    assert [r["nama"] for r in result.records] == ["Sri Wahyuni Ñ", "José Prasetyo", "Bu Endang"]
    assert len(result.warnings) == 1
    assert "peserta-cp1252.csv" in result.warnings[0]
    assert "Windows-1252" in result.warnings[0]
    sri, jose, endang = result.records
    assert sri["telepon"] == "081234567890"
    assert sri["delegasi"] is True and jose["delegasi"] is False
    assert endang["jenis_kelamin"] == "P"


def test_unrecognised_header_names_the_file():
    with pytest.raises(
        ValidationError, match=re.escape("tidak-dikenal.csv: judul kolom tidak dikenali")
    ):
        read_rows(DATA / "tidak-dikenal.csv")


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("kosong.csv", b"\n\n", "kosong.csv: berkas kosong"),
        ("lama.doc", b"x", "lama.doc: hanya .csv, .xlsx, .xlsm, .xls atau .ods"),
        ("lama.xls", b"x", "lama.xls: tidak bisa dibuka sebagai .xls"),
        ("rusak.xlsx", b"bukan zip", "rusak.xlsx: tidak bisa dibuka sebagai .xlsx"),
    ],
)
def test_unreadable_files(tmp_path, name, content, message):
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(ValidationError, match=re.escape(message)):
        read_rows(path)


def test_missing_file(tmp_path):
    with pytest.raises(ValidationError, match=re.escape("tidak-ada.csv: berkas tidak ditemukan")):
        read_rows(tmp_path / "tidak-ada.csv")


def test_unknown_columns_warn(tmp_path):
    path = tmp_path / "peserta.csv"
    path.write_text("Nama,Hobi\nBudi,catur\n", encoding="utf-8")
    result = parse_import(path)
    assert result.warnings[0] == "peserta.csv: kolom Hobi tidak dikenal dan diabaikan"
    assert "hobi" not in result.records[0]


def test_quoted_multiline_cell_counts_as_one_excel_row(tmp_path):
    path = tmp_path / "usulan.csv"
    path.write_text(
        'desa,kegiatan,biaya,permasalahan\nSooko,Paving,1000,"baris satu\nbaris dua"\n'
        "Sooko,,1000,x\n",
        encoding="utf-8",
    )
    result = parse_import(path, wilayah_kode=SOOKO)
    assert result.records[0]["permasalahan"] == "baris satu\nbaris dua"
    assert [e.row for e in result.errors] == [3]


def test_cell_under_a_blank_header_is_refused(tmp_path):
    path = tmp_path / "peserta.csv"
    path.write_text("nama,,jenis_kelamin\nBudi,,L\nAni,x,P\n", encoding="utf-8")
    result = parse_import(path)
    assert [r["nama"] for r in result.records] == ["Budi"]
    assert [e.row for e in result.errors] == [3]


def test_header_normalisation():
    assert normalize_header(" Penerima Manfaat ") == "penerima_manfaat"
    assert normalize_header("\ufeffNAMA") == "nama"
    assert normalize_header("L/P") == "jenis_kelamin"
    assert normalize_header("OPD-Tujuan") == "opd_tujuan"
    assert normalize_header(None) == ""


@pytest.fixture
def usulan_xlsx(tmp_path):
    """An .xlsx as Excel writes it: numbers as numbers, a blank row before the header,
    and a second sheet that is not read."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Usulan"
    sheet.append([None])
    sheet.append(["Desa", "Kegiatan", "Biaya", "Volume", "Penerima Manfaat", "Sumber Dana"])
    sheet.append(["Gemekan", "Paving jalan", 46_000_000, 304, 2201, "APBD Prov"])
    sheet.append(["Brangkal", "Plengsengan", 1_359_400_000.0, 694.5, None, "DD"])
    sheet.append([None, None, None])
    sheet.append(["Brangkal", "Lampu", "1,5 jt", 2, 10, "DD"])
    sheet.append(["Brangkal", "Sumur", "1,5 km", 2, 10, "DD"])
    workbook.create_sheet("Catatan")
    path = tmp_path / "usulan.xlsx"
    workbook.save(path)
    return path


def test_xlsx(usulan_xlsx):
    result = parse_import(usulan_xlsx, wilayah_kode=SOOKO)
    assert result.kind == "usulan"
    assert result.rows == [3, 4, 6]
    gemekan, brangkal, lampu = result.records
    assert lampu["biaya"] == 1_500_000  # read as the F4 form reads it
    assert gemekan["biaya"] == 46_000_000
    assert gemekan["volume"] == 304
    assert gemekan["sumber_dana"] == [{"sumber": "APBD Prov", "jumlah": 46_000_000}]
    assert brangkal["biaya"] == 1_359_400_000
    assert brangkal["volume"] == 694.5
    assert brangkal["penerima_manfaat"] is None
    assert [e.message for e in result.errors] == [
        "baris 7: Biaya: '1,5 km' tidak terbaca; tulis angka rupiah, mis. 150.000.000, "
        "Rp150.000.000 atau 150 juta"
    ]
    assert result.warnings == ["usulan.xlsx: hanya lembar 'Usulan' yang dibaca"]


def test_xlsx_participants_with_number_cells(tmp_path):
    workbook = Workbook()
    workbook.active.append(["nama", "jenis_kelamin", "telepon", "nik", "delegasi"])
    workbook.active.append(["Budi", "L", 81234567890, 3516132611794122, 1])
    path = tmp_path / "peserta.xlsx"
    workbook.save(path)
    result = parse_import(path)
    assert result.ok
    record = result.records[0]
    assert record["telepon"] == "081234567890"  # Excel dropped the leading zero
    assert record["nik"] == "3516132611794122"
    assert record["delegasi"] is True
    assert any("simpan kolom NIK sebagai teks" in w for w in result.warnings)
