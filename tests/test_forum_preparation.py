"""Store side of the preparation screens: utusan from present participants, the agenda
edited (remove, move), and the demo forum ready for final."""

from __future__ import annotations

import pytest

from store.forum import open_forum
from store.validation import ValidationError


def add_person(forum, nama: str, *, hadir: bool = True) -> int:
    rec_id, _ = forum.participants.add(
        nama=nama, jenis_kelamin="L", jabatan="Kepala Desa", desa="Japan", hadir=hadir
    )
    return rec_id


def test_utusan_from_a_present_participant_carries_their_id(forum):
    rec_id = add_person(forum, "Sutrisno")
    utusan_id = forum.utusan.add_participant(rec_id)
    utusan = forum.utusan.get(utusan_id)
    assert (utusan["nama"], utusan["jabatan"], utusan["peserta_id"]) == (
        "Sutrisno",
        "Kepala Desa",
        rec_id,
    )
    with pytest.raises(ValidationError, match="sudah menjadi utusan"):
        forum.utusan.add_participant(rec_id)


def test_an_absent_participant_is_not_made_utusan(forum):
    rec_id = add_person(forum, "Belum Datang", hadir=False)
    with pytest.raises(ValidationError, match="tidak tercatat hadir"):
        forum.utusan.add_participant(rec_id)
    assert forum.utusan.all() == []


def test_agenda_move_swaps_neighbours_and_stops_at_the_ends(forum):
    forum.agenda.add_standard()
    items = forum.agenda.all()
    assert forum.agenda.move(items[0]["id"], -1) is False
    assert forum.agenda.move(items[0]["id"], 1) is True
    moved = [a["id"] for a in forum.agenda.all()]
    assert moved[:2] == [items[1]["id"], items[0]["id"]]
    assert forum.agenda.move(items[-1]["id"], 1) is False


def test_agenda_item_with_minutes_is_not_removed(forum):
    forum.agenda.add_standard()
    first = forum.agenda.all()[1]
    forum.minutes.add("Pembukaan oleh Camat", agenda_id=first["id"])
    with pytest.raises(ValidationError, match="sudah punya catatan"):
        forum.agenda.remove(first["id"])
    last = forum.agenda.all()[-1]
    forum.agenda.remove(last["id"])
    assert last["id"] not in {a["id"] for a in forum.agenda.all()}


def test_the_demo_forum_is_ready_for_final(demo_forum_path):
    with open_forum(demo_forum_path, readonly=True) as forum:
        readiness = forum.signoff.readiness()
    assert readiness.siap, [item.line() for item in readiness.penghalang]
