"""``musrenbang check``: is the file readable, and does everything in it hang together?

The storage already refuses a torn or foreign file; this adds the forum's own invariants
(references between tables, known statuses, money adding up), so a damaged or hand-edited
file is caught before it reaches a document the Camat signs.
"""

from __future__ import annotations

from pathlib import Path

from store.forum import open_forum
from store.forum_shape import damage_error
from store.sectors import PROPOSAL_STATUSES


def check_forum(path: Path) -> list[str]:
    return check_forum_report(path)[0]


def check_forum_report(path: Path) -> tuple[list[str], bool]:
    """Problems found, in Indonesian (empty when the forum is sound), and whether a torn
    last line was ignored (normal after a crash mid-write: the next writer cuts it off, no
    acknowledged change is in it; so it is told, not counted as damage).

    Opening read-only parses and checks every line (ForumFileError when it cannot); then the
    records' shapes (``store.forum_shape``), and only when those hold, the forum's own rules
    (which read the records as those shapes).
    """
    with open_forum(path, readonly=True, check_shape=False) as forum:
        torn = forum.torn_tail
        problems = forum.shape_problems()
        if problems:
            return problems, torn
        data = forum.export_tables()
    return _rule_problems(data), torn


def refuse_if_damaged(path: Path) -> None:
    """``ForumFileError`` naming the first problem ``check`` finds and the newest good
    backup; for verbs that read a whole forum and must not fail halfway through it."""
    problems = check_forum(path)
    if problems:
        raise damage_error(path, problems)


def _rule_problems(data: dict) -> list[str]:
    problems: list[str] = []
    meta = data["meta"]
    for key in ("level", "wilayah_kode", "tahun", "status"):
        if not meta.get(key):
            problems.append(f"Kepala forum tidak memuat '{key}'.")
    ids = {table: {r["id"] for r in data[table]} for table in data if table != "meta"}
    for proposal in data["proposals"]:
        label = f"Usulan #{proposal['id']}"
        if proposal.get("status") not in PROPOSAL_STATUSES:
            problems.append(f"{label}: status '{proposal.get('status')}' tidak dikenal.")
        funding = proposal.get("sumber_dana") or []
        if not all(
            isinstance(s, dict) and type(s.get("jumlah", 0)) is int and s.get("jumlah", 0) >= 0
            for s in funding
        ):
            problems.append(f"{label}: sumber dana tidak sah.")
        elif funding and sum(s.get("jumlah", 0) for s in funding) != proposal.get("biaya"):
            problems.append(f"{label}: jumlah sumber dana tidak sama dengan biaya.")
    problems += _dangling(data["scores"], "usulan_id", ids["proposals"], "Skor", "usulan")
    problems += _dangling(data["scores"], "kriteria_id", ids["criteria"], "Skor", "kriteria")
    problems += _dangling(data["tallies"], "usulan_id", ids["proposals"], "Suara", "usulan")
    problems += _dangling(
        data["ballots"], "peserta_id", ids["participants"], "Surat suara", "peserta"
    )
    problems += [
        f"Notulen #{m['id']}: acara #{m['agenda_id']} tidak ada."
        for m in data["minutes"]
        if m.get("agenda_id") is not None and m["agenda_id"] not in ids["agenda"]
    ]
    return problems


def _dangling(records: list[dict], key: str, valid: set[int], label: str, target: str) -> list[str]:
    return [
        f"{label} #{r['id']}: {target} #{r.get(key)} tidak ada."
        for r in records
        if r.get(key) not in valid
    ]
