"""A participant list imported twice stays one list: same NIK is the same person (not added
again, named), same name and desa without a NIK is a likely duplicate (added, flagged); and
a multi-file import is all the files or none."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from store.import_people import PeopleRegistry, sort_people
from store.importer import import_file, import_files
from tests.forum_factory import make_forum

NIK_A = "3516132009700011"
NIK_B = "3516136009700012"
LIST = f"Nama;NIK;JK;Lembaga\nAgus Salim;{NIK_A};L;BPD\nSiti Aminah;{NIK_B};P;PKK\nBudi;;L;LPMD\n"


def _write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def test_reimporting_a_list_adds_nobody_twice(forum, tmp_path):
    file = _write(tmp_path / "peserta.csv", LIST)
    first = import_file(forum, file)
    assert first.ok and first.added == 3 and not first.already
    again = import_file(forum, file)
    assert again.ok and again.added == 1  # Budi has no NIK: added again, flagged
    assert len(forum.participants.all()) == 4
    assert len(again.already) == 2
    assert again.already[0].startswith("baris 2: Agus Salim sudah terdaftar: #")
    assert again.duplicates == 1
    assert again.likely[0].startswith("baris 4: Budi kemungkinan duplikat #")
    described = again.describe()
    assert "2 sudah terdaftar (tidak ditambahkan)" in described
    assert "1 kemungkinan duplikat ditandai" in described


def test_same_nik_twice_in_one_file_is_added_once(forum, tmp_path):
    text = f"Nama,NIK,L/P\nBudi,{NIK_A},L\nAni,,P\nBudi S,{NIK_A},L\n"
    report = import_file(forum, _write(tmp_path / "peserta.csv", text))
    assert report.added == 2
    assert report.already == [
        "baris 4: Budi S sudah terdaftar: baris 2 (NIK sama), tidak ditambahkan"
    ]
    assert sorted(p["nama"] for p in forum.participants.all()) == ["Ani", "Budi"]


def test_same_name_other_desa_or_two_niks_are_two_people():
    registry = PeopleRegistry.of([{"id": 1, "nama": "Budi", "desa": "Sooko", "nik": NIK_A}])
    people = [
        {"nama": "Budi", "desa": "Japan", "nik": ""},  # another desa
        {"nama": "budi ", "desa": "Sooko", "nik": NIK_B},  # another NIK
        {"nama": "BUDI", "desa": "sooko", "nik": ""},  # no NIK: probably him
    ]
    result = sort_people(people, [2, 3, 4], registry)
    assert result.rows == [2, 3, 4]
    assert result.likely_of == {4: "#1"}


@settings(max_examples=60, deadline=None)
@given(st.lists(st.sampled_from([NIK_A, NIK_B, "3516130101800003", ""]), max_size=12))
def test_at_most_one_record_per_nik(niks):
    people = [{"nama": f"P{i}", "desa": "", "nik": nik} for i, nik in enumerate(niks)]
    result = sort_people(people, list(range(2, len(people) + 2)), PeopleRegistry())
    kept = [r["nik"] for r in result.records if r["nik"]]
    assert len(kept) == len(set(kept)) == len({n for n in niks if n})
    assert len(result.records) + len(result.already) == len(people)


def test_multi_file_import_is_all_or_nothing(tmp_path):
    path = tmp_path / "f.musrenbang"
    make_forum(path).close()
    good = _write(tmp_path / "baik.csv", LIST)
    bad = _write(tmp_path / "salah.csv", "Nama;JK\nAni;X\n")
    reports = import_files(path, [good, bad])
    assert [r.ok for r in reports] == [True, False]
    assert reports[0].held_back and reports[0].added == 0
    assert "TIDAK ditambahkan karena berkas lain" in reports[0].describe()
    assert "salah.csv: DITOLAK" in reports[1].describe()
    from store.forum import open_forum

    with open_forum(path) as forum:
        assert forum.participants.all() == []
    second = _write(tmp_path / "baik2.csv", f"Nama;NIK\nAgus;{NIK_A}\nDewi;\n")
    reports = import_files(path, [good, second])
    assert [r.added for r in reports] == [3, 1]  # Agus of the 2nd file is Agus Salim
    assert reports[1].already[0].startswith("baris 2: Agus sudah terdaftar: baris 2")


def test_cli_multi_file_refusal_exits_2_and_adds_nothing(tmp_path):
    from tui.cli.main import main

    path = tmp_path / "f.musrenbang"
    make_forum(path).close()
    good = _write(tmp_path / "baik.csv", LIST)
    bad = _write(tmp_path / "salah.csv", "Nama;JK\nAni;X\n")
    assert main(["import", str(path), str(good), str(bad)]) == 2
    from store.forum import open_forum

    with open_forum(path) as forum:
        assert forum.participants.all() == []
