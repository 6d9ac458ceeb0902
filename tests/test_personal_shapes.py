"""``dump`` masks personal values by shape, not only by field name."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from store.forum import open_forum
from store.personal import mask_in_text, mask_personal
from tests.test_cli_store import copy_of, demo_file, home, run  # noqa: F401 (fixtures)

PHONES = ["0812-3456-7890", "+62 812 3456 7890", "6281234567890", "0812.3456.789", "081234567890"]
NIK = "3516131234560001"


@pytest.mark.parametrize("phone", PHONES)
def test_a_phone_in_free_text_is_masked_in_any_common_writing(phone: str) -> None:
    digits = "".join(c for c in phone if c.isdigit())
    out = mask_in_text(f"hubungi {phone} sore")
    assert digits not in "".join(c for c in out if c.isdigit() or c == "*")
    assert out.startswith("hubungi ") and out.endswith(" sore") and "******" in out


@pytest.mark.parametrize("nik", [NIK, "3516 1312 3456 0001", "3516.1312.3456.0001"])
def test_a_nik_anywhere_is_masked(nik: str) -> None:
    out = mask_personal({"nik_baru": nik, "catatan": [f"NIK {nik}"]})
    assert NIK not in json.dumps(out).replace(" ", "").replace(".", "")
    assert out["nik_baru"].count("*") == 8


@pytest.mark.parametrize(
    "text", ["biaya 140.000.000", "Rp 62.800.000", "NIP 196911191998031005", "kode 35.16.13.2009"]
)
def test_money_codes_and_nips_are_not_taken_for_personal_values(text: str) -> None:
    assert mask_in_text(text) == text


def test_dump_masks_a_phone_in_a_note_unless_lengkap(demo_file, tmp_path: Path, home) -> None:  # noqa: F811
    forum_path = copy_of(demo_file, tmp_path)
    with open_forum(forum_path, operator="Penguji") as forum:
        first = forum.proposals.all()[0]
        forum.proposals.update(first["id"], catatan="Kontak 0812 3456 7890, NIK " + NIK)
    masked = run("dump", str(forum_path), home=home).stdout
    full = run("dump", str(forum_path), "--lengkap", home=home).stdout
    assert "0812 3456 7890" not in masked and NIK not in masked
    assert "0812 3456 7890" in full and NIK in full
