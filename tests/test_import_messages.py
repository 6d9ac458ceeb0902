"""Import messages say where and what: the Windows-1252 rows by number, a JUMLAH that could
not be checked, the funding cell quoted (masked), a title naming another year, LPMD as
LPM."""

from __future__ import annotations

from openpyxl import Workbook

from store.import_files import parse_import
from store.import_readers import rows_text
from store.unsur import map_unsur

SOOKO = "35.16.13"


def test_windows_1252_rows_are_named(tmp_path):
    lines = ["Desa;Kegiatan;Biaya", "Sooko;Café UTF-8;1000"]
    legacy = {4, 7, 9}
    for number in range(3, 11):
        text = f"Sooko;Caf\xe9 {number};1000" if number in legacy else f"Sooko;K{number};1000"
        lines.append(text)
    data = b"\n".join(
        line.encode("cp1252") if i + 1 in legacy else line.encode("utf-8")
        for i, line in enumerate(lines)
    )
    path = tmp_path / "usulan.csv"
    path.write_bytes(data + b"\n")
    result = parse_import(path, wilayah_kode=SOOKO)
    assert result.ok
    warning = next(w for w in result.warnings if "Windows-1252" in w)
    assert "baris 4, 7, 9 (bercampur dengan UTF-8)" in warning
    assert result.records[2]["kegiatan"] == "Café 4"


def test_rows_text_is_bounded():
    assert rows_text([4]) == "baris 4"
    many = rows_text(list(range(1, 41)))
    assert many.endswith("..., 40 (40 baris)") and many.count(",") == 10


def test_total_formula_without_saved_value_is_said_unchecked(tmp_path):
    book = Workbook()
    sheet = book.active
    sheet.append(["Desa", "Kegiatan", "Biaya"])
    sheet.append(["Sooko", "A", 1000])
    sheet.append(["Sooko", "B", 2000])
    sheet.append([None, "JUMLAH", "=SUM(C2:C3)"])  # openpyxl saves no computed value
    path = tmp_path / "usulan.xlsx"
    book.save(path)
    result = parse_import(path, wilayah_kode=SOOKO)
    assert result.ok and len(result.records) == 2
    assert any(
        w.startswith("baris 4: JUMLAH biaya tidak diperiksa: rumus tanpa nilai tersimpan")
        for w in result.warnings
    )


def test_funding_error_quotes_the_cell_masked(tmp_path):
    nik = "3516132009700011"
    path = tmp_path / "usulan.csv"
    path.write_text(
        f"Desa;Kegiatan;Biaya;Sumber Dana\nSooko;A;1000;DD + Bansos {nik}\n", encoding="utf-8"
    )
    message = parse_import(path, wilayah_kode=SOOKO).errors[0].message
    assert message.startswith("baris 2: Sumber dana: 'Bansos ")
    assert "(isian 'DD + Bansos " in message
    assert nik not in message


def _titled(tmp_path, title):
    book = Workbook()
    sheet = book.active
    sheet.append(["DAFTAR USULAN RKP DESA"])
    sheet.append([title])
    sheet.append(["Desa", "Kegiatan", "Biaya"])
    sheet.append(["Sooko", "A", 1000])
    path = tmp_path / "usulan.xlsx"
    book.save(path)
    return path


def test_title_naming_another_year_is_warned(tmp_path):
    result = parse_import(_titled(tmp_path, "TAHUN ANGGARAN 2026"), wilayah_kode=SOOKO, tahun=2027)
    assert result.ok
    assert any(
        "baris 2: judul menyebut tahun 2026, forum ini tahun 2027" in w for w in result.warnings
    )
    same = parse_import(_titled(tmp_path, "TA. 2027"), wilayah_kode=SOOKO, tahun=2027)
    assert not any("judul menyebut" in w for w in same.warnings)


def test_title_year_from_cli_forum(forum, tmp_path):
    from store.importer import import_file

    report = import_file(forum, _titled(tmp_path, "Tahun Anggaran 2026"))
    assert any("forum ini tahun 2027" in w for w in report.warnings)


def test_lpmd_is_lpm():
    for text in ("LPMD", "Ketua LPMD Japan", "LPMK", "Lembaga Pemberdayaan Masyarakat Desa"):
        assert map_unsur(text) == "LPM", text
