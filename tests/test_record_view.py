"""A record view answers as the copy ``Forum.records`` gives, without copying."""

from __future__ import annotations

import pytest

from store.record_view import RecordView
from store.validation import ValidationError


def test_a_view_answers_as_the_copy_and_refuses_writes():
    stored = {"desa": "Sooko", "kegiatan": "Paving", "sumber_dana": [{"sumber": "DD"}]}
    view = RecordView(7, stored)
    copy = {**stored, "id": 7}
    assert view == copy and copy == view
    assert dict(view) == copy and {**view} == copy
    assert list(view) == list(copy) and len(view) == len(copy)
    assert view["id"] == 7 and view.get("id") == 7
    assert view.get("biaya") is None and view.get("biaya", 0) == 0
    assert "id" in view and "desa" in view and "biaya" not in view
    with pytest.raises(KeyError):
        view["biaya"]
    with pytest.raises(TypeError):
        view["desa"] = "Japan"  # type: ignore[index]
    assert "id" not in stored  # the stored record is never changed


def test_forum_views_equal_its_records(forum):
    forum.proposals.add(desa="Sooko", kegiatan="Paving jalan", biaya="1.000.000")
    assert forum.record_views("proposals") == forum.records("proposals")
    [first] = forum.records("proposals")
    assert forum.record_view("proposals", first["id"]) == first
    with pytest.raises(ValidationError):
        forum.record_view("proposals", first["id"] + 1000)


def test_views_compare_by_content_and_the_same_stored_record_at_once():
    stored = {"kegiatan": "Paving"}
    assert RecordView(1, stored) == RecordView(1, stored)
    assert RecordView(1, stored) != RecordView(2, stored)
    assert RecordView(1, stored) == RecordView(1, {"kegiatan": "Paving"})  # an equal copy
    assert RecordView(1, stored) != RecordView(1, {"kegiatan": "Rabat"})  # an update
