"""Which forum a forum file is: so a restore never swaps one forum for another.

A forum carries a random ``forum_id`` in its meta for life (compaction, migration and
backups copy it), so two files with different ones are different forums even when they share
a name. Older files without it fall back to the header's ``created_at``, then to the meta's
level, region and year; the title names the forum in messages.
"""

from __future__ import annotations

from dataclasses import dataclass

from store.storage_format import ForumImage


@dataclass(frozen=True)
class ForumIdentity:
    forum_id: str
    created_at: str
    level: str
    wilayah: str
    tahun: str
    judul: str
    participants: int = 0
    proposals: int = 0

    def same_forum(self, other: ForumIdentity) -> bool:
        """Whether two files hold the same forum (at any point of its history)."""
        if self.forum_id and other.forum_id:
            return self.forum_id == other.forum_id
        if self.created_at and other.created_at:
            return self.created_at == other.created_at
        return (self.level, self.wilayah, self.tahun) == (other.level, other.wilayah, other.tahun)

    def describe(self) -> str:
        """e.g. ``"Musrenbang Desa Tawangrejo Tahun 2027" (id 135be84c, dibuat 2026-02-12
        09.41.07, 80 peserta, 41 usulan)``: what tells two forums of one title apart."""
        made = self.created_at[:19].replace("T", " ").replace(":", ".") or "waktu tak dikenal"
        short_id = self.forum_id[:8] or "tanpa id"
        return (
            f'"{self.judul or "forum tanpa judul"}" (id {short_id}, dibuat {made}, '
            f"{self.participants} peserta, {self.proposals} usulan)"
        )


def identity_of(image: ForumImage) -> ForumIdentity:
    meta = image.state.tables.get("meta", {}).get("1")
    meta = meta if isinstance(meta, dict) else {}
    created = image.header.get("created_at")
    return ForumIdentity(
        forum_id=str(meta.get("forum_id") or ""),
        created_at=created if isinstance(created, str) else "",
        level=str(meta.get("level", "")),
        wilayah=str(meta.get("wilayah_kode", "")),
        tahun=str(meta.get("tahun", "")),
        judul=str(meta.get("judul", "")),
        participants=len(image.state.tables.get("participants") or {}),
        proposals=len(image.state.tables.get("proposals") or {}),
    )
