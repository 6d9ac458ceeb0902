"""Property: any valid tables round-trip through the file, across reopen and compaction."""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import store.storage as storage
from store.storage import ForumDatabase

scalars = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**63), max_value=2**63 - 1)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text()
)
values = st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
    max_leaves=12,
)
documents = st.dictionaries(st.text(max_size=12), values, max_size=6)
tables = st.dictionaries(
    st.sampled_from(["participants", "minutes", "proposals", "scores", "audit", "ｔａｂｅｌ ü"]),
    st.dictionaries(st.integers(min_value=1, max_value=10_000), documents, max_size=5),
    max_size=4,
)
# Writes applied after creation: (table, kind, document)
writes = st.lists(
    st.tuples(
        st.sampled_from(["participants", "audit"]),
        st.sampled_from(["ins", "upd", "del"]),
        documents,
    ),
    max_size=12,
)


def contents(db: ForumDatabase) -> dict[str, dict[int, dict]]:
    return {
        name: {doc.doc_id: dict(doc) for doc in db.table(name).all()} for name in db.table_names()
    }


def apply(db: ForumDatabase, expected: dict, table: str, kind: str, document: dict) -> None:
    docs = expected.setdefault(table, {})
    target = db.table(table)
    if kind == "ins" or not docs:
        docs[target.insert(document)] = document
    elif kind == "upd":
        doc_id = max(docs)
        target.update(document, doc_ids=[doc_id])
        docs[doc_id] = {**docs[doc_id], **document}
    else:
        doc_id = min(docs)
        target.remove(doc_ids=[doc_id])
        del docs[doc_id]


@settings(
    deadline=None,
    max_examples=40,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(initial=tables, changes=writes, compact_every=st.sampled_from([1, 3, 2000]))
def test_any_forum_round_trips(initial, changes, compact_every, monkeypatch) -> None:
    monkeypatch.setattr(storage, "COMPACT_LINES", compact_every)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "sifat.musrenbang"
        db = ForumDatabase.create(path, initial, operator="uji")
        expected = {name: dict(docs) for name, docs in initial.items()}
        assert contents(db) == expected
        for table, kind, document in changes:
            apply(db, expected, table, kind, document)
        assert contents(db) == expected
        reader = ForumDatabase.open(path, readonly=True)
        assert contents(reader) == expected
        db.close()
        reopened = ForumDatabase.open(path, operator="uji")
        assert contents(reopened) == expected
        reopened.close()
        reader.refresh()  # picks up the close-time compaction, if any
        assert contents(reader) == expected
