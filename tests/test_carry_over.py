"""Carry-over: unfunded proposals go into next year's forum of the same desa, with history."""

from __future__ import annotations

import pytest

from store.carry_over import candidates, carry_over
from store.validation import ValidationError
from tests.forum_factory import make_ready
from tests.sop_helpers import desa_forum, kecamatan_forum, sign_desa


@pytest.fixture
def last_year(tmp_path):
    """Japan's 2027 forum: 6 proposals, one cadangan, one refused, one funded; signed."""
    with desa_forum(tmp_path / "japan-2027.musrenbang", "Japan") as forum:
        forum.proposals.set_status(1, "cadangan", "melebihi sisa pagu")
        forum.proposals.set_status(2, "tidak diakomodir", "lahan belum bersertifikat")
        forum.proposals.set_status(3, "diakomodir")
        sign_desa(forum)
        yield forum


def test_only_unfunded_proposals_are_carried_with_their_history(tmp_path, last_year) -> None:
    with desa_forum(
        tmp_path / "japan-2028.musrenbang", "Japan", tahun=2028, with_rows=False
    ) as target:
        report = carry_over(last_year, target)
        carried = target.proposals.all()
    assert len(report.added) == 2 and "2 usulan" in report.describe()
    by_kegiatan = {p["kegiatan"]: p for p in carried}
    source = {p["id"]: p for p in last_year.proposals.all()}
    assert set(by_kegiatan) == {source[1]["kegiatan"], source[2]["kegiatan"]}
    refused = by_kegiatan[source[2]["kegiatan"]]
    assert refused["status"] == "diusulkan"
    assert refused["biaya"] == source[2]["biaya"] and refused["lokasi"] == source[2]["lokasi"]
    assert refused["riwayat"] == [
        {
            "tahun": 2027,
            "forum": "Musrenbang Desa Japan Tahun 2027",
            "tingkat": "desa",
            "wilayah": "35.16.13.2009",
            "usulan_id": 2,
            "status": "tidak diakomodir",
            "alasan": "lahan belum bersertifikat",
        }
    ]


def test_carrying_twice_adds_nothing_and_history_grows_over_years(tmp_path, last_year) -> None:
    with desa_forum(
        tmp_path / "japan-2028.musrenbang", "Japan", tahun=2028, with_rows=False
    ) as target:
        carry_over(last_year, target, ids=[1])
        again = carry_over(last_year, target)
        assert len(again.added) == 1 and again.already == 1
        target.proposals.set_status(1, "cadangan", "pagu habis lagi")
        sign_desa(target)
        with desa_forum(
            tmp_path / "japan-2029.musrenbang", "Japan", tahun=2029, with_rows=False
        ) as later:
            carry_over(target, later)
            [record] = [p for p in later.proposals.all() if p["riwayat"][0]["usulan_id"] == 1]
    assert [(h["tahun"], h["status"]) for h in record["riwayat"]] == [
        (2027, "cadangan"),
        (2028, "cadangan"),
    ]


def test_from_the_kecamatan_only_that_desa_is_taken(tmp_path) -> None:
    with kecamatan_forum(tmp_path / "kec.musrenbang") as kec:
        gem, _ = kec.proposals.add(desa="Gemekan", kegiatan="Drainase", biaya="50000000")
        jap, _ = kec.proposals.add(desa="Japan", kegiatan="Drainase", biaya="50000000")
        for rec_id in (gem, jap):
            kec.proposals.set_status(rec_id, "cadangan", "melebihi sisa pagu")
        with desa_forum(
            tmp_path / "g.musrenbang", "Gemekan", tahun=2028, with_rows=False
        ) as target:
            assert [p["id"] for p in candidates(kec, target)] == [gem]
            carry_over(kec, target)
            [record] = target.proposals.all()
    assert record["desa"] == "Gemekan"
    assert record["riwayat"][0]["tingkat"] == "kecamatan"


@pytest.mark.parametrize(
    ("make", "words"),
    [
        (lambda d: desa_forum(d / "t.musrenbang", "Japan", with_rows=False), "tidak lebih baru"),
        (
            lambda d: desa_forum(d / "t.musrenbang", "Gemekan", tahun=2028, with_rows=False),
            "bukan forum desa ini",
        ),
        (lambda d: kecamatan_forum(d / "t.musrenbang", tahun=2028), "forum Musrenbang Desa"),
    ],
    ids=["same-year", "other-desa", "kecamatan-target"],
)
def test_wrong_target_is_refused(tmp_path, last_year, make, words) -> None:
    with make(tmp_path) as target:
        with pytest.raises(ValidationError) as caught:
            carry_over(last_year, target)
        assert words in caught.value.message
        assert target.proposals.all() == []


def test_final_target_is_refused(tmp_path, last_year) -> None:
    with desa_forum(tmp_path / "t.musrenbang", "Japan", tahun=2028) as target:
        make_ready(target).signoff.finalize()
        with pytest.raises(ValidationError, match="berstatus final"):
            carry_over(last_year, target)
