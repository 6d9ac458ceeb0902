"""The display's incremental follow of the ranking equals a full re-read after any changes."""

from __future__ import annotations

import random

from store.forum import open_forum
from tui.prioritas.data import PriorityData


def test_followed_data_equals_a_fresh_read_after_random_changes(forum):
    rng = random.Random(2027)
    for n in range(6):
        cost = f"{rng.randint(1, 90)}.000.000"
        forum.proposals.add(desa="Japan", kegiatan=f"Kegiatan {n}", biaya=cost, bidang="Jalan")
    forum.participants.add(nama="Siti", jenis_kelamin="P")
    criteria = [c["id"] for c in forum.priority.criteria()]
    reader = open_forum(forum.path, readonly=True)
    touched: set[str] = set()
    reader.subscribe(lambda change: touched.add(change.table))
    data = PriorityData.read(reader)
    try:
        for step in range(60):
            ids = [p["id"] for p in forum.proposals.all()]
            action = rng.choice(
                ["score", "clear", "tally", "checkin", "status", "method", "cost", "add", "remove"]
            )
            if action == "score":
                forum.priority.set_score(rng.choice(ids), rng.choice(criteria), rng.randint(1, 5))
            elif action == "clear":
                forum.priority.set_score(rng.choice(ids), rng.choice(criteria), None)
            elif action == "tally":
                forum.priority.set_tally(rng.choice(ids), rng.randint(0, 40))
            elif action == "checkin":
                forum.participants.check_in(forum.participants.all()[0]["id"])
            elif action == "status":
                forum.proposals.set_status(rng.choice(ids), "diakomodir")
            elif action == "cost":
                forum.proposals.update(rng.choice(ids), biaya=f"{rng.randint(1, 90)}.000.000")
            elif action == "add":
                forum.proposals.add(desa="Japan", kegiatan=f"Baru {step}", biaya="5.000.000")
            elif action == "remove" and len(ids) > 2:
                forum.proposals.remove(rng.choice(ids))
            else:
                forum.update_meta(metode_prioritas=rng.choice(["skoring", "voting"]))
            reader.refresh()
            data = data.followed(reader, touched)
            touched.clear()
            fresh = PriorityData.read(reader)
            assert data.result == fresh.result, (step, action)
            assert data.scores == fresh.scores and data.tallies == fresh.tallies, step
    finally:
        reader.close()
