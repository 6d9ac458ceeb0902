"""Attendance: check-in desk, counts for the BA, quorum rules."""

from __future__ import annotations

import pytest

from store.attendance import quorum_status, summarize_attendance
from store.validation import ValidationError


def add(forum, nama, jk="L", **extra):
    rec_id, _ = forum.participants.add(nama=nama, jenis_kelamin=jk, **extra)
    return rec_id


def test_check_in_stamps_the_clock_and_counts(forum):
    a = add(forum, "Siti Rahayu", "P", unsur="PKK", desa="Japan")
    b = add(forum, "Agus Santoso", "L", unsur="BPD", desa="Japan")
    add(forum, "Budi", "L", unsur="LPM", desa="Sooko")
    forum.test_clock.tick(5)
    forum.participants.check_in(a)
    forum.participants.check_in(b)
    person = forum.participants.get(a)
    assert person["hadir_pukul"] == "2026-02-12T09:05:00"
    summary = forum.participants.summary()
    assert (summary.terdaftar, summary.hadir, summary.laki, summary.perempuan) == (3, 2, 1, 1)
    assert summary.perempuan_persen == pytest.approx(0.5)
    assert summary.per_unsur == {"PKK": 1, "BPD": 1}
    assert summary.per_desa == {"Japan": 2}


def test_second_check_in_keeps_first_time_and_undo_clears(forum):
    a = add(forum, "Siti", "P")
    forum.participants.check_in(a)
    first = forum.participants.get(a)["hadir_pukul"]
    forum.test_clock.tick(10)
    forum.participants.check_in(a)
    assert forum.participants.get(a)["hadir_pukul"] == first
    forum.participants.undo_check_in(a)
    assert forum.participants.get(a)["hadir_pukul"] is None
    assert forum.participants.summary().hadir == 0


def test_check_out_requires_check_in_and_still_counts_for_the_ba(forum):
    a = add(forum, "Siti", "P")
    with pytest.raises(ValidationError, match="belum tercatat hadir"):
        forum.participants.check_out(a)
    forum.participants.check_in(a)
    forum.participants.check_out(a)
    assert forum.participants.get(a)["pulang_pukul"]
    assert forum.participants.summary().hadir == 1
    assert forum.participants.voters_present() == []


def test_walk_in_with_free_text_unsur_is_mapped_and_kept(forum):
    rec_id = add(forum, "Sri Wahyuni", "P", unsur="Kader Posyandu", desa="Brangkal")
    person = forum.participants.get(rec_id)
    assert person["unsur"] != "Kader Posyandu"
    assert person["unsur_asal"] == "Kader Posyandu"


def test_bad_participant_input_changes_nothing(forum):
    before = len(forum.audit())
    with pytest.raises(ValidationError):
        forum.participants.add(nama="", jenis_kelamin="L")
    with pytest.raises(ValidationError):
        forum.participants.add(nama="X", jenis_kelamin="L", nik="12345")
    assert forum.participants.all() == []
    assert len(forum.audit()) == before


def test_search_puts_prefix_matches_first(forum):
    add(forum, "Nur Siti", "P", lembaga="PKK Japan")
    add(forum, "Siti Rahayu", "P", lembaga="PKK Japan")
    add(forum, "Agus", "L", lembaga="BPD Sooko")
    names = [p["nama"] for p in forum.participants.search("sit")]
    assert names == ["Siti Rahayu", "Nur Siti"]
    assert [p["nama"] for p in forum.participants.search("sooko")] == ["Agus"]


def test_quorum_rules():
    assert quorum_status(10, 4, 10, {"aturan": "persen_delegasi", "nilai": 50})[0] is False
    assert quorum_status(10, 5, 10, {"aturan": "persen_delegasi", "nilai": 50})[0] is True
    assert quorum_status(10, 0, 0, {"aturan": "minimal_hadir", "nilai": 10})[0] is True
    assert quorum_status(9, 0, 0, {"aturan": "minimal_hadir", "nilai": 10})[0] is False
    assert quorum_status(0, 0, 0, None)[0] is None


def test_summary_delegates_and_women_target():
    people = [
        {"jenis_kelamin": "P", "delegasi": True, "desa": "Japan", "hadir_pukul": "t"},
        {"jenis_kelamin": "L", "delegasi": True, "desa": "Japan", "hadir_pukul": "t"},
        {"jenis_kelamin": "L", "delegasi": True, "desa": "Sooko", "hadir_pukul": None},
        {"jenis_kelamin": "L", "delegasi": False, "desa": "Sooko", "hadir_pukul": "t"},
    ]
    summary = summarize_attendance(
        people, target_perempuan=0.3, kuorum={"aturan": "persen_delegasi", "nilai": 60}
    )
    assert (summary.delegasi_hadir, summary.delegasi_total) == (2, 3)
    assert summary.delegasi_per_desa == {"Japan": 2}
    assert summary.kuorum_tercapai is True
    assert summary.perempuan_persen == pytest.approx(1 / 3)
    assert summary.target_perempuan_tercapai


@pytest.mark.parametrize(
    ("level", "to"), [("kecamatan", "Musrenbang Kabupaten"), ("desa", "Musrenbang Kecamatan")]
)
def test_utusan_limited_to_three_named_by_where_they_go(tmp_path, level, to):
    from tests.forum_factory import make_forum

    with make_forum(tmp_path / f"{level}.musrenbang", level=level) as forum:
        for name in ("A", "B", "C"):
            forum.utusan.add(name, "Jabatan")
        with pytest.raises(ValidationError, match=f"^Utusan ke {to} sudah 3 orang"):
            forum.utusan.add("D")
        assert [u["nama"] for u in forum.utusan.all()] == ["A", "B", "C"]


def test_registered_delegates_per_desa_include_desa_with_nobody_present():
    people = [
        {"jenis_kelamin": "L", "delegasi": True, "desa": "Japan", "hadir_pukul": "t"},
        {"jenis_kelamin": "L", "delegasi": True, "desa": "Sooko", "hadir_pukul": None},
    ]
    summary = summarize_attendance(people)
    assert summary.delegasi_terdaftar_per_desa == {"Japan": 1, "Sooko": 1}
    assert summary.delegasi_per_desa == {"Japan": 1}


def test_people_without_gender_are_counted_as_neither():
    came = {"hadir_pukul": "09.00"}
    people = [
        {**came, "jenis_kelamin": "L"},
        {**came, "jenis_kelamin": "P"},
        {**came, "jenis_kelamin": ""},
        {**came},
    ]
    summary = summarize_attendance(people)
    assert (summary.hadir, summary.laki, summary.perempuan) == (4, 1, 1)


def test_the_live_people_index_equals_a_fresh_one_after_any_changes(forum):
    """Check-ins, check-outs, edits, undo, a rolled-back batch: the store's incremental
    index searches and counts exactly as one built from the saved list."""
    import random

    from store.attendance import PeopleIndex, door_order, summarize_attendance

    rng = random.Random(12)
    names = ["Siti Aminah", "Agus Salim", "Sitompul", "Budi", "Rina"]
    for n in range(8):
        forum.participants.add(nama=f"{rng.choice(names)} {n}", jenis_kelamin=rng.choice("LP"))
    for step in range(80):
        ids = [p["id"] for p in forum.participants.all()]
        action = rng.choice(["in", "in", "out", "undo", "edit", "add", "rollback"])
        target = rng.choice(ids)
        forum.test_clock.tick()
        try:
            if action == "in":
                forum.participants.check_in(target)
            elif action == "out":
                forum.participants.check_out(target)
            elif action == "undo":
                forum.participants.undo_check_in(target)
            elif action == "edit":
                forum.participants.update(target, nama=rng.choice(names))
            elif action == "add":
                forum.participants.add(nama=rng.choice(names), jenis_kelamin="P", hadir=True)
            else:
                with forum.batch():
                    forum.participants.check_in(target)
                    raise RuntimeError("taken back")
        except (ValidationError, RuntimeError):
            pass
        saved = forum.participants.all()
        query = rng.choice(["sit", "agus", "", "budi 1", "r"])
        fresh = [p["id"] for p in PeopleIndex(saved).search(query, 5)]
        assert [p["id"] for p in forum.participants.search(query, 5)] == fresh, step
        assert forum.participants.summary() == summarize_attendance(saved), step
        in_room = summarize_attendance(saved, in_room=True)
        assert forum.participants.summary(in_room=True) == in_room, step
        door = [p["id"] for p in forum.participants.index().door(6)]
        assert door == [p["id"] for p in door_order(saved)[:6]], step
