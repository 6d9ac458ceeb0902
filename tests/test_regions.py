"""Bundled Kemendagri region codes for Kabupaten Mojokerto."""

import pytest

from store.regions import (
    Region,
    UnknownRegion,
    desa_of,
    find_desa,
    find_desa_all,
    is_within,
    kecamatan_list,
    normalize_code,
    region,
    region_title,
)
from store.validation_error import ValidationError

# DOMAIN.md section 6, checked against cahyadsn/wilayah (Kepmendagri 300.2.2-2138/2025).
KECAMATAN = {
    "35.16.01": "Jatirejo", "35.16.02": "Gondang", "35.16.03": "Pacet", "35.16.04": "Trawas",
    "35.16.05": "Ngoro", "35.16.06": "Pungging", "35.16.07": "Kutorejo",
    "35.16.08": "Mojosari", "35.16.09": "Dlanggu", "35.16.10": "Bangsal", "35.16.11": "Puri",
    "35.16.12": "Trowulan", "35.16.13": "Sooko", "35.16.14": "Gedeg", "35.16.15": "Kemlagi",
    "35.16.16": "Jetis", "35.16.17": "Dawarblandong", "35.16.18": "Mojoanyar",
}  # fmt: skip
SOOKO_DESA = [
    "Gemekan", "Blimbingsari", "Brangkal", "Kedungmaling", "Klinterejo", "Modongan",
    "Sambiroto", "Jampirogo", "Japan", "Sooko", "Wringinrejo", "Karangkedawang", "Mojoranu",
    "Tempuran", "Ngingasrembyong",
]  # fmt: skip


def test_province_and_kabupaten():
    assert region("35") == Region("35", "Jawa Timur", "provinsi", None)
    assert region("35.16") == Region("35.16", "Mojokerto", "kabupaten", "35")
    assert region_title("35.16") == "Kabupaten Mojokerto"
    assert region_title("35") == "Provinsi Jawa Timur"


def test_the_18_kecamatan():
    found = kecamatan_list()
    assert {r.code: r.name for r in found} == KECAMATAN
    assert [r.code for r in found] == sorted(KECAMATAN)
    assert all(r.level == "kecamatan" and r.parent_code == "35.16" for r in found)


def test_sooko_desa_in_code_order():
    desa = desa_of("35.16.13")
    assert [r.name for r in desa] == SOOKO_DESA
    assert [r.code for r in desa] == [f"35.16.13.20{n:02d}" for n in range(1, 16)]
    assert region_title("35.16.13.2001") == "Desa Gemekan"
    assert region_title("35.16.13") == "Kecamatan Sooko"


def test_every_kecamatan_has_its_desa():
    assert sum(len(desa_of(code)) for code in KECAMATAN) == 304
    assert all(desa_of(code) for code in KECAMATAN)


def test_kelurahan_are_titled_as_such():
    assert region_title("35.16.08.1004") == "Kelurahan Kauman"
    assert region("35.16.08.1004").level == "desa"


def test_codes_without_dots():
    assert normalize_code("3516132001") == "35.16.13.2001"
    assert region("351613").name == "Sooko"


@pytest.mark.parametrize("code", ["35.16.99", "35.17", "99", "35.16.13.2099"])
def test_unknown_region(code):
    with pytest.raises(UnknownRegion) as caught:
        region(code)
    assert isinstance(caught.value, ValidationError)
    assert caught.value.message == f"Kode wilayah '{code}' tidak dikenal"


@pytest.mark.parametrize("code", ["", "35.1", "abc", "35.16.13.20"])
def test_malformed_code(code):
    with pytest.raises(UnknownRegion):
        region(code)


def test_is_within():
    assert is_within("35.16.13.2001", "35.16.13")
    assert is_within("35.16.13.2001", "35")
    assert not is_within("35.16.13", "35.16.13")
    assert not is_within("35.16.01.2001", "35.16.13")
    assert is_within("3516132001", "351613")
    with pytest.raises(UnknownRegion):
        is_within("35.16.13", "35.16.1")  # a bare digit prefix is no code at all


def test_find_desa_tolerates_prefix_case_and_spacing():
    assert find_desa("Desa Gemekan").code == "35.16.13.2001"
    assert find_desa("DS. gemekan").code == "35.16.13.2001"
    assert find_desa("Ngingas Rembyong").code == "35.16.13.2015"
    assert find_desa("awang awang").code == "35.16.08.2003"
    assert find_desa("Kelurahan Kauman").code == "35.16.08.1004"
    assert find_desa("Surabaya") is None


def test_find_desa_ambiguous_names_need_the_kecamatan():
    assert [r.parent_code for r in find_desa_all("Tempuran")] == ["35.16.06", "35.16.13"]
    assert find_desa("Tempuran") is None
    assert find_desa("Tempuran", "35.16.13").code == "35.16.13.2014"
    assert find_desa("Tempuran", "35.16.06").code == "35.16.06.2005"


def test_find_desa_by_code_and_in_a_desa_scope():
    assert find_desa("35.16.13.2009").name == "Japan"
    assert find_desa("Japan", "35.16.13.2009").name == "Japan"
    assert find_desa("Brangkal", "35.16.13.2009") is None
    assert find_desa("35.16.13") is None  # a kecamatan is not a desa
