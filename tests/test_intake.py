"""Kecamatan intake: checks, what comes up from the desa, newer bundles, duplicates, repeats,
UPT proposals, and all-or-nothing."""

from __future__ import annotations

from pathlib import Path

import pytest

from exports.bundle import bundle_payload
from store.forum import open_forum
from store.intake import add_agency_proposal, apply_intake, plan_intake
from store.planning_year import PlanningYear
from store.validation import ValidationError
from tests.forum_factory import StepClock, make_ready
from tests.sop_helpers import desa_forum, kecamatan_forum, sign_desa


def payload_of(forum, when: str = "2026-01-21T10:00:00") -> dict:
    """What a desa bundle carries (built as the bundle writer builds it)."""
    payload = bundle_payload(forum, {}, "ABCDEF0123456789")
    payload["dibuat"] = when
    return payload


def signed_payload(folder: Path, desa: str, *, decide: dict[int, tuple] | None = None) -> dict:
    with desa_forum(folder / f"{desa}.musrenbang", desa) as forum:
        for rec_id, (status, alasan) in (decide or {}).items():
            forum.proposals.set_status(rec_id, status, alasan)
        sign_desa(forum)
        return payload_of(forum)


def intake(forum, payload, **kwargs):
    return apply_intake(forum, plan_intake(forum, payload, **kwargs))


@pytest.fixture
def kec(tmp_path):
    with kecamatan_forum(tmp_path / "kecamatan.musrenbang") as forum:
        yield forum


def test_forwarded_proposals_come_up_marked_with_their_desa(tmp_path, kec) -> None:
    payload = signed_payload(
        tmp_path, "Japan", decide={2: ("cadangan", "melebihi pagu desa"), 3: ("diakomodir", "")}
    )
    result = intake(kec, payload, digest="d1")
    proposals = kec.proposals.all()
    assert len(proposals) == 5 and result.plan.kept_at_desa == 1
    assert {p["desa"] for p in proposals} == {"Japan"}
    asal = proposals[0]["asal"]
    assert asal["jenis"] == "desa" and asal["kode"] == "35.16.13.2009"
    assert 2 not in {p["asal"]["usulan_id"] for p in proposals}
    assert all(p["status"] == "diusulkan" for p in proposals)
    record = PlanningYear("35.16.13", 2027).desa_record("35.16.13.2009")
    assert record["bundel"] == "d1" and record["usulan"] == 5 and record["bundel_ke"] == 1
    assert record["musrenbangdes"] == "2026-01-20T09:00"


@pytest.mark.parametrize(
    ("change", "words"),
    [
        (lambda p: p["forum"].update(wilayah_kode="35.16.01.2001"), "bukan bagian dari"),
        (lambda p: p["forum"].update(tahun=2028), "tahun 2028"),
        (lambda p: p["forum"].update(status="final"), "belum ditandatangani"),
        (lambda p: p["forum"].update(level="kecamatan"), "bukan bundel Musrenbang Desa"),
        (lambda p: p.update(format="lain"), "bukan bundel"),
    ],
    ids=["foreign", "year", "unsigned", "level", "format"],
)
def test_wrong_bundles_are_refused_and_nothing_changes(tmp_path, kec, change, words) -> None:
    payload = signed_payload(tmp_path, "Gemekan")
    change(payload)
    with pytest.raises(ValidationError) as caught:
        plan_intake(kec, payload)
    assert words in caught.value.message
    assert kec.proposals.all() == []
    assert PlanningYear("35.16.13", 2027).load()["desa"] == {}


def test_final_kecamatan_forum_takes_no_more_bundles(tmp_path, kec) -> None:
    payload = signed_payload(tmp_path, "Gemekan")
    make_ready(kec).signoff.finalize()
    with pytest.raises(ValidationError, match="berstatus final"):
        plan_intake(kec, payload)


def test_newer_bundle_replaces_that_desa_only_and_shows_the_difference(tmp_path, kec) -> None:
    with desa_forum(tmp_path / "japan.musrenbang", "Japan") as desa:
        sign_desa(desa)
        intake(kec, payload_of(desa), digest="v1")
        intake(kec, signed_payload(tmp_path, "Gemekan"), digest="g1")
        hand, _ = kec.proposals.add(desa="Japan", kegiatan="Sumur bor dusun", biaya="25000000")
        first = {
            p["asal"].get("usulan_id"): p["id"] for p in kec.proposals.all() if p["desa"] == "Japan"
        }
        criterion = kec.priority.criteria()[0]["id"]
        kec.priority.set_score(first[3], criterion, 4)
        with desa.amendment("Koreksi hasil musyawarah"):
            desa.proposals.update(1, biaya="350000000", sumber_dana="APBN")
            desa.proposals.remove(2)
            desa.proposals.add(desa="Japan", kegiatan="Pelatihan kader posyandu", biaya="15000000")
        plan = plan_intake(kec, payload_of(desa, "2026-01-25T08:00:00"), digest="v2")
    assert plan.is_update
    assert [p["kegiatan"] for p in plan.added] == ["Pelatihan kader posyandu"]
    assert [p["id"] for p in plan.removed] == [first[2]]
    [changed] = plan.changed
    assert changed.existing["id"] == first[1] and "biaya" in changed.fields
    assert plan.unchanged == 4
    assert any("Berubah" in line for line in plan.describe())
    apply_intake(kec, plan)
    japan = {p["id"]: p for p in kec.proposals.all() if p["desa"] == "Japan"}
    assert first[2] not in japan and hand in japan  # typed by hand: never removed by a bundle
    assert japan[first[1]]["biaya"] == 350_000_000
    assert kec.priority.scores()[first[3]] == {criterion: 4}  # unchanged: kept, with its score
    assert len([p for p in kec.proposals.all() if p["desa"] == "Gemekan"]) == 4
    assert PlanningYear("35.16.13", 2027).desa_record("35.16.13.2009")["bundel_ke"] == 2


def test_older_bundle_is_refused_and_same_bundle_changes_nothing(tmp_path, kec) -> None:
    with desa_forum(tmp_path / "japan.musrenbang", "Japan") as desa:
        sign_desa(desa)
        newer = payload_of(desa, "2026-01-25T08:00:00")
        older = payload_of(desa, "2026-01-21T08:00:00")
    intake(kec, newer, digest="v2")
    before = kec.count("audit")
    with pytest.raises(ValidationError, match="lebih lama"):
        plan_intake(kec, older)
    result = intake(kec, newer, digest="v2")
    assert not result.plan.has_changes and "tidak ada perubahan" in result.describe()
    assert kec.count("audit") == before


def test_duplicates_within_and_across_desa_are_flagged_not_dropped(tmp_path, kec) -> None:
    with desa_forum(tmp_path / "sooko.musrenbang", "Sooko", with_rows=False) as desa:
        desa.proposals.add(
            desa="Sooko",
            kegiatan="Jembatan penghubung Sooko Japan",
            lokasi="Dusun Kedungsari",
            biaya="300000000",
        )
        desa.proposals.add(
            desa="Sooko",
            kegiatan="Saluran irigasi tersier",
            lokasi="Dusun Kedungsari",
            biaya="80000000",
        )
        sign_desa(desa)
        sooko = payload_of(desa)
    with desa_forum(tmp_path / "japan.musrenbang", "Japan", with_rows=False) as desa:
        desa.proposals.add(
            desa="Japan",
            kegiatan="Jembatan penghubung Japan Sooko",
            lokasi="Dusun Japan",
            biaya="310000000",
        )
        desa.proposals.add(desa="Japan", kegiatan="Rehab balai dusun", biaya="60000000")
        desa.proposals.add(desa="Japan", kegiatan="Rehab balai dusun", biaya="60000000")
        sign_desa(desa)
        japan = payload_of(desa)
    intake(kec, sooko)
    plan = plan_intake(kec, japan)
    kinds = sorted(f.jenis for f in plan.flags)
    assert kinds == ["duplikat dalam desa", "duplikat lintas desa"]
    apply_intake(kec, plan)
    rows = {p["kegiatan"]: p for p in kec.proposals.all() if p["desa"] == "Japan"}
    bridge = rows["Jembatan penghubung Japan Sooko"]
    sooko_bridge = next(p for p in kec.proposals.all() if p["kegiatan"].endswith("Sooko Japan"))
    assert bridge["duplikat_lintas_desa"] == sooko_bridge["id"]
    balai = [p for p in kec.proposals.all() if p["kegiatan"] == "Rehab balai dusun"]
    assert len(balai) == 2 and balai[1]["duplikat_dari"] == balai[0]["id"]


def test_upt_proposal_is_marked_and_flagged_against_the_desa(tmp_path, kec) -> None:
    intake(kec, signed_payload(tmp_path, "Gemekan"))
    rec_id, warnings = add_agency_proposal(
        kec,
        "UPT Puskesmas Sooko",
        desa="Gemekan",
        kegiatan="Paving jalan lingkungan Dusun Kulon",
        lokasi="Desa Gemekan RT 07 RW 01",
        biaya="46000000",
    )
    record = kec.proposals.get(rec_id)
    assert record["asal"] == {"jenis": "upt", "nama": "UPT Puskesmas Sooko"}
    assert record["sumber"] == "UPT Puskesmas Sooko"
    assert record["duplikat_dari"] is not None and warnings
    with pytest.raises(ValidationError):
        add_agency_proposal(kec, " ", desa="Gemekan", kegiatan="X", biaya="1")


def test_repeats_of_last_year_get_their_history(tmp_path) -> None:
    with kecamatan_forum(tmp_path / "kec-2026.musrenbang", tahun=2026) as last:
        rec_id, _ = last.proposals.add(
            desa="Gemekan",
            kegiatan="Paving jalan lingkungan Dusun Kulon",
            lokasi="Desa Gemekan RT 07 RW 01",
            biaya="46000000",
        )
        last.proposals.set_status(rec_id, "cadangan", "melebihi sisa pagu")
        PlanningYear("35.16.13", 2026).set_forum(last.path)
    from store.intake import load_previous_year

    previous = load_previous_year("35.16.13", 2027)
    assert len(previous) == 1
    with kecamatan_forum(tmp_path / "kec-2027.musrenbang") as kec:
        plan = plan_intake(kec, signed_payload(tmp_path, "Gemekan"), previous_year=previous)
        [flag] = plan.flagged("usulan ulang")
        assert "2026" in flag.keterangan and "cadangan" in flag.keterangan
        apply_intake(kec, plan)
        paving = next(p for p in kec.proposals.all() if p["kegiatan"].startswith("Paving"))
    [entry] = paving["riwayat"]
    assert entry["tahun"] == 2026 and entry["status"] == "cadangan"
    assert entry["alasan"] == "melebihi sisa pagu" and entry["usulan_id"] == rec_id


def test_apply_is_all_or_nothing(tmp_path, kec, monkeypatch) -> None:
    payload = signed_payload(tmp_path, "Japan")
    plan = plan_intake(kec, payload)
    real = kec.proposals.add_prepared
    calls = []

    def failing(record, existing=None):
        calls.append(record)
        if len(calls) == 3:
            raise OSError("disk penuh")
        return real(record, existing)

    monkeypatch.setattr(kec.proposals, "add_prepared", failing)
    with pytest.raises(OSError):
        apply_intake(kec, plan)
    path = kec.path
    kec.close()
    with open_forum(path, clock=StepClock()) as again:
        assert again.proposals.all() == []


def test_a_bundle_proposal_of_an_unknown_shape_is_named_not_guessed() -> None:
    from store.intake import _item_problem

    sound = {"kegiatan": "Paving", "volume": 1.5, "biaya": 5000000, "sumber_dana": "DD:1"}
    assert _item_problem(sound) is None
    assert _item_problem({**sound, "sumber_dana": [{"sumber": "DD", "jumlah": 1}]}) is None
    assert _item_problem({**sound, "riwayat": [{"tahun": 2025, "status": "diakomodir"}]}) is None
    for odd in (
        {"kegiatan": {"a": 1}},
        {"volume": True},
        {"sumber_dana": ["DD"]},
        {"foto": [1]},
        {"riwayat": [1]},
        {"riwayat": [{"tahun": "2025"}]},
        {"riwayat": [{"tahun": 2025, "alasan": ["x"]}]},
    ):
        assert _item_problem({**sound, **odd}), odd
    assert _item_problem(["bukan", "usulan"]) == "bukan data usulan."


def test_a_bundle_made_time_is_kept_only_as_a_timestamp() -> None:
    from store.intake import _made_at
    from store.validation import ValidationError

    assert _made_at(None) is None
    assert _made_at("2026-11-30T10:00:00+07:00") == "2026-11-30T10:00:00+07:00"
    for odd in ("2026-11-30T10:00:00\u202e", "kemarin", 20261130, ["2026"]):
        with pytest.raises(ValidationError):
            _made_at(odd)
