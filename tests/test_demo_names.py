"""The demo's sample people: a name agrees with the L/P printed beside it (Sekcam's return)."""

from __future__ import annotations

from pathlib import Path

from store.demo import MEN, MEN_SURNAMES, WOMEN, WOMEN_SURNAMES
from store.forum import open_forum


def test_given_and_family_names_are_of_one_gender_each():
    assert not set(MEN) & set(WOMEN)
    assert not set(MEN_SURNAMES) & set(WOMEN_SURNAMES)
    assert len(MEN_SURNAMES) == len(WOMEN_SURNAMES)  # same draws: the demo stays as seeded


def test_every_demo_participant_name_agrees_with_their_gender(demo_forum_path: Path):
    by_gender = {"L": (set(MEN), set(MEN_SURNAMES)), "P": (set(WOMEN), set(WOMEN_SURNAMES))}
    checked = 0
    with open_forum(demo_forum_path, operator="Uji") as forum:
        for person in forum.participants.all():
            words = person["nama"].split(",")[0].split()
            other = "P" if person["jenis_kelamin"] == "L" else "L"
            firsts, families = by_gender[other]
            assert words[0] not in firsts and words[-1] not in families, person["nama"]
            checked += words[0] in by_gender[person["jenis_kelamin"]][0]
    assert checked > 50  # the drawn names were looked at, not only the officials
