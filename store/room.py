"""Who was in the room: is a person the documents name on the forum's attendance list?

The chair, the notulis, the speakers and whoever signs in a capacity held at this forum only
(the wakil masyarakat, the pimpinan sidang, the head of the organising team) were at the forum
by definition, so the daftar hadir must show them present. Officials sign by their post
(Camat, Sekcam, Kepala Desa, Ketua BPD: DOMAIN.md section 3): their signature stands for the
office, which may have sent someone else to the forum, so they are not looked up here.

Names are matched as ``store.person_names.name_key`` does (titles, case and spacing aside).
The answer distinguishes "registered but never marked present" from "not registered at all",
because the fix differs: mark the registered person present (Enter in F2), or add them
(ctrl+n in F2). Advising ctrl+n for a registered person creates a duplicate.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, Literal

from store.attendance import attended
from store.person_names import name_key

#: Signing roles held at this forum only: the signer must be on its attendance list as present.
ROOM_ROLES = frozenset({"wakil-masyarakat", "pimpinan-sidang", "notulis", "ketua-tim"})

Standing = Literal["hadir", "terdaftar", "tidak-terdaftar"]


def standing(participants: Iterable[dict[str, Any]], nama: str) -> Standing:
    """``hadir`` if someone of that name checked in (leaving early still counts),
    ``terdaftar`` if registered but never checked in, else ``tidak-terdaftar``."""
    key = name_key(nama)
    found = [p for p in participants if name_key(str(p.get("nama") or "")) == key]
    if any(attended(p) for p in found):
        return "hadir"
    return "terdaftar" if found else "tidak-terdaftar"


def absence(label: str, nama: str, state: Standing) -> str:
    """The clause (no full stop) on why ``nama`` (in capacity ``label``) is not counted present."""
    if state == "terdaftar":
        return f"{label} {nama} terdaftar tetapi belum ditandai hadir"
    return f"{label} {nama} tidak ada di daftar hadir"


def where_to_fix(state: Standing) -> str:
    """Where in F2 the fix is: mark the registered person present, or add the missing one."""
    if state == "terdaftar":
        return "F2 Kehadiran (tandai hadir: Enter)"
    return "F2 Kehadiran (ctrl+n peserta baru)"
