"""``dump`` masks personal values by shape, not only by field name."""

from __future__ import annotations

import base64
import hashlib
import json
import unicodedata
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from store.forum import open_forum
from store.personal import mask_in_text, mask_personal
from tests.test_cli_store import copy_of, demo_file, home, run  # noqa: F401 (fixtures)

PHONES = [
    "0812-3456-7890",
    "+62 812 3456 7890",
    "6281234567890",
    "0812.3456.789",
    "081234567890",
    "62-812-3456-7890",
    "(0812) 3456 7890",
    "0812.3456.7890",
    "０８１２３４５６７８９０",
    "+62 (812) 3456-7890",
    "0812/3456/7890",
    "0812–3456–7890",  # en dash
    "0812\u20103456\u20107890",  # hyphen
    "0812\u20123456\u20127890",  # figure dash
    "0812\u20113456\u20117890",  # non-breaking hyphen
    "0812\u22123456\u22127890",  # minus sign
    "0812_3456_7890",
    "0062 812 3456 7890",
    "0812*3456*7890",
    "0812,3456,7890",
    "(021) 555 1234",  # landlines
    "0321 123456",
    "+62 21 555 1234",
]
NIK = "3516131234560001"


@pytest.mark.parametrize("phone", PHONES)
def test_a_phone_in_free_text_is_masked_in_any_common_writing(phone: str) -> None:
    digits = unicodedata.normalize("NFKC", "".join(c for c in phone if c.isdigit()))
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


_SEPARATORS = st.sampled_from(
    ["", "", " ", ".", "-", "/", "(", ")", ") ", " (", "  ", "–", "\u2010", "\u2212", "_", "*", ","]
)
_WORDS = st.text(alphabet="abcdefghijklmnopqrstuvwxyz ,:;!?'\"", max_size=20)
_FULLWIDTH = str.maketrans("0123456789", "０１２３４５６７８９")


@st.composite
def indonesian_mobiles(draw) -> tuple[str, str]:
    """(written, its national digits): +62 / 62 / 0, 8, an operator digit, 7 to 10 more
    digits, each gap a random separator, maybe in fullwidth digits."""
    prefix = draw(st.sampled_from(["0", "62", "+62", "+62 ", "+62 (", "(0", "62-", "0062 "]))
    rest = "8" + draw(st.text(alphabet="123456789", min_size=1, max_size=1))
    rest += draw(st.text(alphabet="0123456789", min_size=7, max_size=10))
    written = prefix + "".join(digit + draw(_SEPARATORS) for digit in rest[:-1]) + rest[-1]
    if draw(st.booleans()):
        written = written.translate(_FULLWIDTH)
    return written, rest


@given(number=indonesian_mobiles(), before=_WORDS, after=_WORDS)
def test_any_mobile_number_inside_any_text_is_masked(number, before, after) -> None:
    written, national = number
    out = mask_in_text(f"{before} {written} {after}")
    folded = "".join(str(unicodedata.decimal(c)) for c in out if c.isdecimal())
    assert national not in folded  # the number never survives, whatever its writing
    assert "******" in out
    assert out.startswith(before) and out.endswith(after)


_ORDINARY = st.one_of(
    st.integers(0, 10**13).map(lambda n: "Rp " + f"{n:,}".replace(",", ".")),
    st.integers(1900, 2100).map(str),
    st.dates().map(lambda d: d.strftime("%d-%m-%Y")),
    st.dates().map(lambda d: d.strftime("%d/%m/%Y")),
    st.dates().map(lambda d: d.isoformat()),
    st.tuples(
        st.integers(11, 99), st.integers(1, 99), st.integers(1, 99), st.integers(1001, 2999)
    ).map(lambda t: f"{t[0]}.{t[1]:02d}.{t[2]:02d}.{t[3]}"),
)


@given(values=st.lists(_ORDINARY, min_size=1, max_size=4), words=_WORDS)
def test_money_years_dates_and_region_codes_are_never_masked(values, words) -> None:
    text = f"{words} " + " pada ".join(values)
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


@st.composite
def landlines(draw) -> tuple[str, str]:
    """(written, its digits after the 0): an area code of 2-3 digits, 5-8 digits more."""
    area = draw(st.sampled_from("1234567912")) + draw(st.text("0123456789", min_size=1, max_size=2))
    number = draw(st.text("0123456789", min_size=5, max_size=8))
    style = draw(st.sampled_from(["({0}) {1}", "0{0} {1}", "0{0}-{1}", "+62 {0} {1}", "0{0}{1}"]))
    return style.format("0" + area if style[0] == "(" else area, number), area + number


@given(number=landlines(), before=_WORDS, after=_WORDS)
def test_any_landline_inside_any_text_is_masked(number, before, after) -> None:
    written, digits = number
    out = mask_in_text(f"{before} {written} {after}")
    assert digits not in "".join(c for c in out if c.isdigit())
    assert out.startswith(before) and out.endswith(after)


_IDS = st.one_of(
    st.uuids().map(lambda u: u.hex),
    st.binary(min_size=8, max_size=40).map(lambda b: hashlib.sha256(b).hexdigest()),
    st.binary(min_size=8, max_size=40).map(lambda b: hashlib.sha1(b).hexdigest().upper()),
    st.binary(min_size=4, max_size=20).map(lambda b: base64.b32encode(b).decode().rstrip("=")),
)


@given(ids=st.lists(_IDS, min_size=1, max_size=3), words=_WORDS)
def test_ids_hashes_and_fingerprints_are_never_masked(ids, words) -> None:
    text = f"{words} forum_id {' / '.join(ids)} ; {ids[0]}"
    assert mask_in_text(text) == text
    assert mask_personal({"meta": {"forum_id": ids[0]}}) == {"meta": {"forum_id": ids[0]}}


@pytest.mark.parametrize(
    "text",
    ["NIK3516132611794122", "3516132611794122²", "HP081234567890", "WA:0812-3456-7890"],
)
def test_numbers_glued_to_letters_are_still_masked(text):
    """Only a hex id around the digits keeps them readable; a label or a mark glued to a
    NIK or phone does not."""
    shown = mask_in_text(text)
    assert "*" in shown
    assert not any(run in shown for run in ("16132611", "34567890", "4567890"))


@pytest.mark.parametrize(
    ("text", "number"),
    [
        ("Kontak 0812-3456-7861 081234567862", "081234567861"),
        ("+62 812-3456-7831 0812 3456 7832", "81234567831"),
        ("X NIK 3516\u200b0101\u200b0101\u200b0008 Y", "3516010101010008"),
        ("3516\ufeff010101010013", "3516010101010013"),
        ("0812\t3456\t7850", "081234567850"),
        ("0812\n3456\n7851", "081234567851"),
    ],
)
def test_no_number_survives_beside_another_or_split_by_invisible_characters(text, number):
    """Two phones side by side read as one NIK across the join, and zero-width or line
    characters split a number: whatever rule finds it, none of its 8-digit pieces shows."""
    digits = "".join(ch for ch in mask_in_text(text) if ch.isdigit())
    assert not any(number[i : i + 8] in digits for i in range(len(number) - 7))
