"""Sectors, RKP Desa bidang and proposal statuses."""

import pytest

from store.sectors import (
    BIDANG_RKPDES,
    PROPOSAL_STATUSES,
    SECTOR_BIDANG,
    SECTORS,
    bidang_of,
    bidang_title,
    canonical_sector,
    needs_reason,
    parse_status,
)
from store.validation_error import ValidationError


def test_every_standard_sector_has_a_bidang():
    assert set(SECTOR_BIDANG) == set(SECTORS)
    assert set(SECTOR_BIDANG.values()) == set(BIDANG_RKPDES)
    assert bidang_of("infrastruktur") == "II"
    assert bidang_of("Pertanian") == "IV"
    assert bidang_of("Sosial") == "III"
    assert bidang_of("Kebencanaan") == "V"
    assert bidang_of("Pemerintahan") == "I"


def test_user_sectors():
    assert bidang_of("Pariwisata") is None
    assert bidang_of("pariwisata", {"Pariwisata": "IV"}) == "IV"
    assert canonical_sector(" pariwisata ", ["Pariwisata"]) == "Pariwisata"
    assert canonical_sector("KESEHATAN") == "Kesehatan"
    assert canonical_sector("  Olah   raga ") == "Olah raga"


def test_bidang_title():
    assert bidang_title("II") == "II. Pelaksanaan Pembangunan Desa"


def test_statuses():
    assert PROPOSAL_STATUSES == ("diusulkan", "diakomodir", "cadangan", "tidak diakomodir")
    assert [s for s in PROPOSAL_STATUSES if needs_reason(s)] == ["cadangan", "tidak diakomodir"]
    assert parse_status("Tidak_Diakomodir") == "tidak diakomodir"
    with pytest.raises(ValidationError, match=r"^Status: 'ditolak' tidak dikenal"):
        parse_status("ditolak")
