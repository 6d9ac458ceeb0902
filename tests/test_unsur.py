"""Mapping free-text participant groups to the standard unsur of the BA."""

import pytest

from store.unsur import LAINNYA, UNSUR, UNSUR_NAMES, map_unsur, standard_unsur, unsur_code
from store.validation_error import ValidationError


def test_standard_groups_in_display_order():
    assert UNSUR_NAMES[0] == "Pemerintah Desa"
    assert UNSUR_NAMES[-1] == LAINNYA
    assert len(UNSUR) == 15
    assert len({u.code for u in UNSUR}) == 15
    assert unsur_code("Tokoh Masyarakat") == "TOMAS"
    assert unsur_code("pkk") == "PKK"
    assert standard_unsur("TOGA").name == "Tokoh Agama"


def test_unsur_code_of_unknown_group():
    with pytest.raises(ValidationError, match="bukan kelompok baku"):
        unsur_code("Arisan")


@pytest.mark.parametrize(
    ("text", "group"),
    [
        ("Kader Posyandu", "Kelompok Perempuan"),
        ("Kepala Desa", "Pemerintah Desa"),
        ("Sekdes", "Pemerintah Desa"),
        ("Kaur Keuangan", "Pemerintah Desa"),
        ("Kasun Krajan", "Pemerintah Desa"),
        ("Ketua BPD", "BPD"),
        ("Anggota BPD", "BPD"),
        ("Kelompok Tani", "Kelompok Tani/Nelayan"),
        ("Gapoktan Sumber Rejeki", "Kelompok Tani/Nelayan"),
        ("TP PKK", "PKK"),
        ("Karangtaruna", "Karang Taruna"),
        ("LPM", "LPM"),
        ("Tokoh Agama", "Tokoh Agama"),
        ("Takmir Masjid", "Tokoh Agama"),
        ("Ketua RT 03", "Tokoh Masyarakat"),
        ("Penyandang Disabilitas", "Kelompok Rentan/Disabilitas"),
        ("UPT Puskesmas Sooko", "Perangkat Daerah/UPTD"),
        ("Dinas PUPR", "Perangkat Daerah/UPTD"),
        ("Sekcam", "Perangkat Kecamatan"),
        ("Anggota DPRD Dapil 3", "DPRD"),
        ("Delegasi Desa Japan", "Delegasi Desa"),
        ("Muslimat NU", "Kelompok Perempuan"),
        ("Paguyuban Seni", LAINNYA),
        ("", LAINNYA),
    ],
)
def test_map_unsur(text, group):
    assert map_unsur(text) == group


def test_words_match_whole_words_only():
    assert map_unsur("Sukoharto") == LAINNYA  # contains "rt" inside a word
    assert map_unsur("Pertanian") == LAINNYA  # "tani" inside a longer word


def test_written_unsur_wins_over_lembaga_and_jabatan():
    assert map_unsur("PKK", lembaga="Pemerintah Desa Sooko", jabatan="Kepala Desa") == "PKK"
    assert map_unsur("", lembaga="BPD Brangkal", jabatan="Ketua") == "BPD"
    assert map_unsur("", lembaga="", jabatan="Sekretaris Desa") == "Pemerintah Desa"
    assert map_unsur("Lainnya", lembaga="BPD") == LAINNYA


def test_overrides_come_first():
    overrides = {"Kader Posyandu": "Lainnya", "paguyuban seni": "Tokoh Masyarakat"}
    assert map_unsur("Kader Posyandu Melati", overrides=overrides) == LAINNYA
    assert map_unsur("Paguyuban Seni", overrides=overrides) == "Tokoh Masyarakat"
    assert map_unsur("Ketua BPD", overrides=overrides) == "BPD"


def test_override_to_unknown_group_is_refused():
    with pytest.raises(ValidationError, match="'Arisan' bukan kelompok baku"):
        map_unsur("Kader", overrides={"kader": "Arisan"})
