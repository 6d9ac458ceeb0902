"""The duplicate index answers exactly what a scan with ``is_likely_duplicate`` answers."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from store.duplicates import DuplicateIndex, is_likely_duplicate

WORDS = ["jalan", "rehab", "paving", "dusun", "krajan", "rt", "01", "02", "saluran", "desa", ""]
DESA = ["Sooko", "sooko", "Japan", ""]

texts = st.lists(st.sampled_from(WORDS), max_size=5).map(" ".join)
records = st.fixed_dictionaries({"desa": st.sampled_from(DESA), "kegiatan": texts, "lokasi": texts})


def scan(candidate, pool):
    own = candidate.get("id")
    return [
        other
        for other in pool
        if (own is None or other.get("id") != own) and is_likely_duplicate(candidate, other)
    ]


@settings(max_examples=200, deadline=None)
@given(st.lists(records, max_size=25), records, st.data())
def test_index_matches_a_full_scan(pool_records, candidate, data):
    pool = [{**r, "id": n} for n, r in enumerate(pool_records, start=1)]
    index = DuplicateIndex(pool)
    removed = data.draw(st.sets(st.sampled_from([p["id"] for p in pool]))) if pool else set()
    for rec_id in removed:
        index.discard(rec_id)
    kept = [p for p in pool if p["id"] not in removed]
    assert index.matches(candidate) == scan(candidate, kept)
    as_member = {**candidate, "id": kept[0]["id"]} if kept else candidate
    assert index.matches(as_member) == scan(as_member, kept)


def test_replacing_a_record_reindexes_its_words():
    index = DuplicateIndex([{"id": 1, "desa": "Sooko", "kegiatan": "paving krajan", "lokasi": ""}])
    probe = {"desa": "Sooko", "kegiatan": "saluran krajan", "lokasi": ""}
    assert index.matches(probe) == []
    index.add({"id": 1, "desa": "Sooko", "kegiatan": "saluran krajan", "lokasi": ""})
    assert [m["id"] for m in index.matches(probe)] == [1]
    assert len(index) == 1


ACTIVITIES = ["Paving jalan Krajan", "Paving Krajan", "Saluran Krajan", "Rehab balai", "Rehab"]


def test_forum_index_follows_every_kind_of_change(forum):
    """After adds, edits, decisions, removals and a rolled-back batch, the forum's live
    index answers what a scan of the saved proposals answers (and numbers entries on)."""
    import random

    rng = random.Random(14)
    for step in range(60):
        ids = [p["id"] for p in forum.proposals.all()]
        action = rng.choice(["add", "add", "edit", "status", "remove", "rollback"])
        fields = {
            "desa": rng.choice(["Japan", "Sooko"]),
            "kegiatan": rng.choice(ACTIVITIES),
            "lokasi": rng.choice(["", "RT 01", "RT 02"]),
            "biaya": "1.000.000",
            "bidang": "Infrastruktur",
        }
        if action == "add" or not ids:
            forum.proposals.add(**fields)
        elif action == "edit":
            forum.proposals.update(rng.choice(ids), kegiatan=fields["kegiatan"])
        elif action == "status":
            forum.proposals.set_status(rng.choice(ids), "diakomodir")
        elif action == "remove":
            forum.proposals.remove(rng.choice(ids))
        else:
            try:
                with forum.batch():
                    forum.proposals.add(**fields)
                    forum.proposals.update(rng.choice(ids), kegiatan=fields["kegiatan"])
                    raise RuntimeError("taken back")
            except RuntimeError:
                pass
        saved = forum.proposals.all()
        probe = {**fields, "kegiatan": rng.choice(ACTIVITIES)}
        found = [m["id"] for m in forum.proposals.likely_duplicates(probe)]
        assert found == [p["id"] for p in scan(probe, saved)], step
    new_id, _ = forum.proposals.add(**fields)
    urutan = [p.get("urutan", 0) for p in forum.proposals.all() if p["id"] != new_id]
    assert forum.proposals.get(new_id)["urutan"] == max(urutan, default=0) + 1


# Varied set sizes (up to 12 activity words, 9 location words, some over PAIR_LIMIT pairs),
# a few very common words, wordless texts ("jalan desa") and no lokasi at all: every branch
# of the shape grouping and of the pair postings.
MANY_WORDS = [f"w{n}" for n in range(8)] + ["tahap", "2", "rt", "01", "jalan", "desa", "-"]
long_texts = st.lists(st.sampled_from(MANY_WORDS), max_size=14).map(" ".join)
long_records = st.fixed_dictionaries(
    {"desa": st.sampled_from(["Sooko", "Japan"]), "kegiatan": long_texts, "lokasi": long_texts}
)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.integers(1, 30), long_records), max_size=40), long_records)
def test_index_built_change_by_change_matches_a_brute_force_scan(changes, candidate):
    """Adds and replacements (same id again) in any order, then a probe: the index answers
    exactly what comparing the probe with every kept record by the rule answers."""
    index = DuplicateIndex()
    kept: dict[int, dict] = {}
    for rec_id, fields in changes:
        record = {**fields, "id": rec_id}
        index.add(record)
        kept[rec_id] = record
    first_seen = list(dict.fromkeys(rec_id for rec_id, _ in changes))
    pool = [kept[rec_id] for rec_id in first_seen]
    for probe in [candidate, *({**candidate, "id": rec_id} for rec_id in first_seen[:3])]:
        expected = scan(probe, pool)
        assert index.matches(probe) == expected
        assert index.first_match(probe) == (expected[0] if expected else None)


@settings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(st.integers(1, 12), long_records), max_size=40), long_records)
def test_first_match_in_id_order_after_replacements(changes, candidate):
    """The forum's index (``id_order``): replaced records move to the end of their
    postings, yet the first match is still the lowest id a scan of the table finds."""
    index = DuplicateIndex(id_order=True)
    kept: dict[int, dict] = {}
    for rec_id, fields in changes:
        index.add({**fields, "id": rec_id})
        kept[rec_id] = {**fields, "id": rec_id}
        expected = scan(candidate, [kept[key] for key in sorted(kept)])
        assert index.first_match(candidate) == (expected[0] if expected else None)


def test_first_match_is_the_lowest_id_even_after_an_edit_reorders_a_posting():
    index = DuplicateIndex(id_order=True)
    index.add({"id": 1, "desa": "Sooko", "kegiatan": "saluran krajan", "lokasi": ""})
    index.add({"id": 2, "desa": "Sooko", "kegiatan": "paving krajan", "lokasi": ""})
    index.add({"id": 1, "desa": "Sooko", "kegiatan": "paving krajan", "lokasi": ""})  # edited
    probe = {"desa": "Sooko", "kegiatan": "paving krajan", "lokasi": ""}
    assert [m["id"] for m in index.matches(probe)] == [1, 2]
    assert index.first_match(probe)["id"] == 1


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.tuples(st.sampled_from(["add", "stored", "discard"]), st.integers(1, 10), long_records),
        max_size=50,
    ),
    long_records,
    st.booleans(),
)
def test_adds_stored_adds_and_discards_in_any_order_match_a_scan(changes, candidate, id_order):
    """Postings grow from one bare entry to a list and shrink back (discards found by
    bisection while a posting is in order, by a scan after a replacement disordered it);
    records indexed by reference (``add_stored``) answer as records indexed with their id."""
    index = DuplicateIndex(id_order=id_order)
    kept: dict[int, dict] = {}
    first_seen: dict[int, int] = {}  # id -> when first added since last discarded
    for step, (op, rec_id, fields) in enumerate(changes):
        if op == "discard":
            index.discard(rec_id)
            kept.pop(rec_id, None)
            first_seen.pop(rec_id, None)
            continue
        if op == "add":
            index.add({**fields, "id": rec_id})
        else:
            index.add_stored(rec_id, dict(fields))
        kept[rec_id] = {**fields, "id": rec_id}
        first_seen.setdefault(rec_id, step)
    order = sorted(kept) if id_order else sorted(kept, key=first_seen.__getitem__)
    pool = [kept[rec_id] for rec_id in order]
    assert len(index) == len(pool)
    assert list(index) == pool
    for probe in [candidate, *({**candidate, "id": rec_id} for rec_id in order[:2])]:
        expected = scan(probe, pool)
        assert index.matches(probe) == expected
        assert index.first_match(probe) == (expected[0] if expected else None)


def test_a_stored_record_is_referenced_and_handed_out_as_a_fresh_dict_with_its_id():
    stored = {"desa": "Sooko", "kegiatan": "paving krajan", "lokasi": "RT 01"}
    index = DuplicateIndex(id_order=True)
    index.add_stored(7, stored)
    probe = {"desa": "sooko", "kegiatan": "paving krajan", "lokasi": "rt 01"}
    [found] = index.matches(probe)
    assert found == {**stored, "id": 7}
    assert found is not stored and "id" not in stored  # the stored record is never changed
    found["kegiatan"] = "changed by a caller"
    assert index.first_match(probe) == {**stored, "id": 7}
    assert index.matches({**probe, "id": 7}) == []  # never itself


def test_records_without_ids_are_kept_apart_in_either_order():
    """Records without ``id`` each get a key of their own (``id_order`` sorts those too)."""
    row = {"desa": "Sooko", "kegiatan": "paving krajan", "lokasi": ""}
    for id_order in (False, True):
        index = DuplicateIndex([row, dict(row), {**row, "kegiatan": "saluran"}], id_order=id_order)
        assert len(index) == 3
        assert index.matches(row) == [row, row]
        assert index.first_match({**row, "id": 5}) == row
