"""The check-in desk's running index: search, door order and attendance tally kept person by
person must equal what a fresh count over the same people gives (issue 14)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from store.attendance import PeopleIndex, door_order, summarize_attendance

NAMES = ["Siti", "Sitompul", "Agus", "Budi", "Rina", "siti"]
TIMES = [None, "2026-02-12T09:00:00", "2026-02-12T09:01:00", "2026-02-12T09:02:00"]

person = st.fixed_dictionaries(
    {
        "id": st.integers(1, 12),
        "nama": st.sampled_from(NAMES),
        "jenis_kelamin": st.sampled_from(["L", "P", ""]),
        "unsur": st.sampled_from(["PKK", "BPD", "", "LPM"]),
        "desa": st.sampled_from(["Japan", "Sooko", ""]),
        "delegasi": st.booleans(),
        "disabilitas": st.booleans(),
        "hadir_pukul": st.sampled_from(TIMES),
        "pulang_pukul": st.sampled_from([None, None, "2026-02-12T11:00:00"]),
    }
)
steps = st.lists(st.one_of(person, st.integers(1, 12)), max_size=40)


@settings(max_examples=300)
@given(steps, st.integers(0, 15), st.sampled_from(["", "sit", "siti j", "a", "zz"]))
def test_running_index_equals_a_fresh_one(changes, limit, query):
    """Puts (new or changed people) and discards (an int: that id) in any order."""
    live = PeopleIndex([])
    for change in changes:
        if isinstance(change, int):
            live.discard(change)
        else:
            live.put(change)
    people = sorted(live.people, key=lambda p: p["id"])
    fresh = PeopleIndex(live.people)  # search ties: the order people were first indexed
    for in_room in (False, True):
        rule = {"aturan": "persen_delegasi", "nilai": 50}
        expected = summarize_attendance(people, kuorum=rule, in_room=in_room)
        assert live.tally.summary(kuorum=rule, in_room=in_room) == expected
        assert list(live.tally.summary(in_room=in_room).per_unsur) == list(expected.per_unsur)
    assert [p["id"] for p in live.door(limit)] == [p["id"] for p in door_order(people)[:limit]]
    assert [p["id"] for p in live.search(query, limit)] == [
        p["id"] for p in fresh.search(query, None)[:limit]
    ]
    assert len(live) == len(people)
    assert live.tally.went_home == sum(1 for p in people if p["hadir_pukul"] and p["pulang_pukul"])


def test_counts_list_the_most_first_then_by_name():
    came = {"hadir_pukul": "09.00"}
    people = [
        {**came, "unsur": "PKK"},
        {**came, "unsur": "BPD"},
        {**came, "unsur": "LPM"},
        {**came, "unsur": "LPM"},
    ]
    assert list(summarize_attendance(people).per_unsur.items()) == [
        ("LPM", 2),
        ("BPD", 1),
        ("PKK", 1),
    ]


def test_door_order_puts_the_latest_arrival_first_then_names():
    people = [
        {"id": 1, "nama": "Budi", "hadir_pukul": "2026-02-12T09:00:00"},
        {"id": 2, "nama": "Agus", "hadir_pukul": None},
        {"id": 3, "nama": "Rina", "hadir_pukul": "2026-02-12T09:05:00"},
        {"id": 4, "nama": "Cici", "hadir_pukul": "2026-02-12T09:05:00", "pulang_pukul": "x"},
    ]
    assert [p["id"] for p in door_order(people)] == [3, 1, 2, 4]
    assert [p["id"] for p in PeopleIndex(people).door(3)] == [3, 1, 2]


# Names whose lowering is not one character per character ("İ" becomes two, a final "Σ"
# depends on what follows).
ODD_NAMES = [*NAMES, "İbu Sitİ", "ΟΔΟΣ", "Σίτι Σ", "siti"]
stored_person = person | st.fixed_dictionaries(
    {"id": st.integers(1, 12), "nama": st.sampled_from(ODD_NAMES), "hadir_pukul": st.none()}
)


def searched(people, text, limit):
    """The search rule over a list, by brute force: every typed word in the person's name,
    lembaga, desa, jabatan or unsur; names starting with the first word first, then by name,
    ties in list order."""
    words = text.lower().split()
    first = words[0] if words else ""

    def haystack(p):
        fields = ("nama", "lembaga", "desa", "jabatan", "unsur")
        return " ".join(str(p.get(k) or "") for k in fields).lower()

    found = [p for p in people if all(w in haystack(p) for w in words)]
    found.sort(key=lambda p: (not p["nama"].lower().startswith(first), p["nama"].lower()))
    return found[:limit]


@settings(max_examples=300)
@given(
    st.lists(st.one_of(stored_person, st.integers(1, 12)), max_size=40),
    st.integers(0, 15),
    st.sampled_from(["", "sit", "siti j", "a", "zz", "i̇bu", "οδος", "σ"]),
)
def test_an_index_of_stored_records_answers_as_one_of_records(changes, limit, query):
    """The forum's index (``of_stored``: records without ``id``, referenced) answers as an
    index of the same records with their ids, and as the rule by brute force; it hands out
    fresh dicts, never a stored record."""
    plain, stored = PeopleIndex([]), PeopleIndex.of_stored([])
    held: dict[int, dict] = {}
    for change in changes:
        if isinstance(change, int):
            plain.discard(change)
            stored.discard(change)
            held.pop(change, None)
        else:
            record = {k: v for k, v in change.items() if k != "id"}
            plain.put(change)
            stored.put_stored(change["id"], record)
            held[change["id"]] = record
    assert stored.people == plain.people
    assert stored.door(limit) == plain.door(limit)
    assert stored.search(query, limit) == plain.search(query, limit)
    assert stored.search(query) == searched(plain.people, query, None)
    assert stored.tally.summary() == plain.tally.summary()
    handed = stored.people + stored.door(limit) + stored.search(query)
    assert all(p is not held[p["id"]] and "id" not in held[p["id"]] for p in handed)
    rebuilt = PeopleIndex.of_stored(sorted(held.items()))
    assert rebuilt.door(limit) == stored.door(limit)
