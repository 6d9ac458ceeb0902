"""Proposals, duplicates, decisions, and the prioritisation data around them."""

from __future__ import annotations

import pytest

from store.duplicates import is_likely_duplicate, similarity
from store.validation import ValidationError

PAVING = {
    "desa": "Japan",
    "kegiatan": "Paving jalan lingkungan Dusun Krajan",
    "lokasi": "Dusun Krajan RT 01 RW 02",
    "biaya": "312.000.000",
    "bidang": "Infrastruktur",
    "sumber_dana": "DD:50.000.000; APBD Kab:262.000.000",
    "penerima_manfaat": "300",
}


def test_add_parses_money_and_funding_sources(forum):
    rec_id, warnings = forum.proposals.add(**PAVING)
    proposal = forum.proposals.get(rec_id)
    assert warnings == []
    assert proposal["biaya"] == 312_000_000
    assert proposal["sumber_dana"] == [
        {"sumber": "DD", "jumlah": 50_000_000},
        {"sumber": "APBD Kab", "jumlah": 262_000_000},
    ]
    assert proposal["status"] == "diusulkan"
    assert proposal["asal"] == {"jenis": "desa", "nama": "Japan"}
    assert proposal["urutan"] == 1


def test_funding_that_does_not_add_up_is_refused_and_nothing_saved(forum):
    with pytest.raises(ValidationError) as error:
        forum.proposals.add(**{**PAVING, "sumber_dana": "DD:50.000.000; APBD Kab:1.000"})
    assert error.value.field == "sumber_dana"
    assert forum.proposals.all() == []


def test_desa_outside_the_kecamatan_is_refused(forum):
    with pytest.raises(ValidationError):
        forum.proposals.add(**{**PAVING, "desa": "Jatirejo Tidak Ada"})
    assert forum.proposals.all() == []


def test_likely_duplicate_is_saved_and_flagged(forum):
    first, _ = forum.proposals.add(**PAVING)
    second, warnings = forum.proposals.add(
        **{**PAVING, "kegiatan": "Paving jalan lingkungan Krajan Dusun", "sumber_dana": "APBD Kab"}
    )
    assert warnings and "duplikat" in warnings[0]
    assert forum.proposals.get(second)["duplikat_dari"] == first
    assert len(forum.proposals.all()) == 2


def test_duplicate_rule_needs_same_desa_and_similar_location():
    base = {"desa": "Japan", "kegiatan": "Paving jalan Dusun Krajan", "lokasi": "RT 01 RW 02"}
    assert is_likely_duplicate(base, dict(base))
    assert not is_likely_duplicate(base, {**base, "desa": "Sooko"})
    assert not is_likely_duplicate(base, {**base, "lokasi": "RT 07 RW 05"})
    assert not is_likely_duplicate(base, {**base, "kegiatan": "Pelatihan menjahit"})
    assert similarity("Desa Japan", "japan") == 1.0


def test_status_needs_reason_for_cadangan_and_rejection(forum):
    rec_id, _ = forum.proposals.add(**PAVING)
    with pytest.raises(ValidationError, match="alasan"):
        forum.proposals.set_status(rec_id, "tidak diakomodir")
    forum.proposals.set_status(rec_id, "tidak diakomodir", "Lahan sengketa")
    assert forum.proposals.get(rec_id)["alasan"] == "Lahan sengketa"
    with pytest.raises(ValidationError):
        forum.proposals.set_status(rec_id, "entah")


def test_every_change_is_audited_with_old_and_new(forum):
    rec_id, _ = forum.proposals.add(**PAVING)
    forum.proposals.update(rec_id, biaya="300.000.000", sumber_dana="APBD Kab")
    entry = forum.audit()[-1]
    assert entry["tabel"] == "proposals" and entry["aksi"] == "ubah"
    assert entry["lama"]["biaya"] == 312_000_000 and entry["baru"]["biaya"] == 300_000_000
    assert entry["operator"] == "Uji"


def test_scores_ballots_and_closing(forum):
    a, _ = forum.proposals.add(**PAVING)
    b, _ = forum.proposals.add(desa="Sooko", kegiatan="Posyandu Melati", biaya="85.000.000")
    criteria = forum.priority.criteria()
    assert len(criteria) == 6
    for criterion in criteria:
        forum.priority.set_score(a, criterion["id"], 5)
        forum.priority.set_score(b, criterion["id"], 2)
    with pytest.raises(ValidationError, match="1-5"):
        forum.priority.set_score(a, criteria[0]["id"], 6)
    forum.priority.set_score(a, criteria[0]["id"], 4)
    assert forum.priority.scores()[a][criteria[0]["id"]] == 4
    ranking = forum.priority.ranking()
    assert [row.id for row in ranking.rows] == [a, b]

    voter, _ = forum.participants.add(
        nama="Delegasi", jenis_kelamin="L", delegasi="ya", hak_suara="ya"
    )
    guest, _ = forum.participants.add(nama="Tamu", jenis_kelamin="P")
    with pytest.raises(ValidationError, match="tidak tercatat hadir"):
        forum.priority.cast_ballot(voter, [a])
    forum.participants.check_in(voter)
    forum.participants.check_in(guest)
    with pytest.raises(ValidationError, match="bukan delegasi"):
        forum.priority.cast_ballot(guest, [a])
    forum.priority.cast_ballot(voter, [b, a])
    with pytest.raises(ValidationError, match="sudah memberikan suara"):
        forum.priority.cast_ballot(voter, [a])
    with pytest.raises(ValidationError, match="datanya tidak dapat dihapus"):
        forum.participants.remove(voter)  # the ballot would name no one
    assert forum.participants.get(voter)["nama"] == "Delegasi"
    forum.participants.remove(guest)  # who did not vote may go

    forum.priority.close_voting()
    with pytest.raises(ValidationError, match="ditutup"):
        forum.priority.set_score(a, criteria[0]["id"], 3)
    with pytest.raises(ValidationError):
        forum.priority.reopen_voting("")
    forum.priority.reopen_voting("Salah ketik skor usulan Japan")
    forum.priority.set_score(a, criteria[0]["id"], 3)
    assert [e["aksi"] for e in forum.priority.voting_log()] == ["tutup", "buka"]


def test_apply_ranking_writes_status_and_reason(forum):
    forum.update_meta(pagu="100.000.000")
    a, _ = forum.proposals.add(**PAVING)
    b, _ = forum.proposals.add(desa="Sooko", kegiatan="Posyandu Melati", biaya="85.000.000")
    for criterion in forum.priority.criteria():
        forum.priority.set_score(a, criterion["id"], 5)
        forum.priority.set_score(b, criterion["id"], 3)
    forum.priority.apply_ranking()
    assert forum.proposals.get(a)["status"] == "cadangan"
    assert "pagu" in forum.proposals.get(a)["alasan"]
    assert forum.proposals.get(b)["status"] == "diakomodir"


def test_set_criteria_replaces_and_drops_scores_of_removed(forum):
    a, _ = forum.proposals.add(**PAVING)
    first = forum.priority.criteria()[0]
    forum.priority.set_score(a, first["id"], 4)
    forum.priority.apply_preset("usg")
    assert [c["kode"] for c in forum.priority.criteria()] == ["U", "S", "G"]
    assert forum.priority.scores() == {}
    with pytest.raises(ValidationError):
        forum.priority.apply_preset("tidak-ada")


def test_removing_a_proposal_removes_its_scores_and_tally(forum):
    a, _ = forum.proposals.add(**PAVING)
    b, _ = forum.proposals.add(desa="Sooko", kegiatan="Posyandu Melati", biaya="85.000.000")
    criterion = forum.priority.criteria()[0]
    forum.priority.set_score(a, criterion["id"], 4)
    forum.priority.set_score(b, criterion["id"], 2)
    forum.priority.set_tally(a, 12)
    forum.proposals.remove(a)
    assert forum.priority.scores() == {b: {criterion["id"]: 2}}
    assert forum.priority.tallies() == {}
    forum.priority.set_score(b, criterion["id"], 5)
    assert forum.priority.scores() == {b: {criterion["id"]: 5}}
