"""Erasing personal data completely (UU PDP 27/2022): the traces an erase leaves behind.

Blanking a participant's NIK and phone (``Signoff.purge_personal``) changes the forum's
state, but the old values still sit in earlier journal lines of the file and in every rolling
backup beside it, and "Salin ke flashdisk" copies those. So right after the erase the forum
is compacted (the file then holds only the erased state) and every backup is rewritten with
the same erase applied, or removed when it cannot be rewritten. The draft sidecar (what was
being typed in an open form, ``store.drafts``) goes too: a phone typed into a walk-in form
that was never saved would otherwise outlive the erase.
"""

from __future__ import annotations

import contextlib
from pathlib import Path
from typing import TYPE_CHECKING, Any

from store.backup import backup_dir, list_backups
from store.drafts import draft_path
from store.migrations import CURRENT_SCHEMA, MigrationMissing, migrate
from store.personal import blank_personal
from store.storage_archive import ArchivedTable, plain_tables
from store.storage_errors import ForumFileError, os_reason
from store.storage_format import FormatProblem, encode_forum, parse_forum_file
from store.storage_io import write_atomic
from store.storage_state import ForumState

if TYPE_CHECKING:
    from store.forum import Forum


def erase_traces(forum: Forum) -> None:
    """Compact the forum and scrub its backups.

    ``ForumFileError`` when the file or a backup cannot be rewritten (a full disk, a hard
    link made meanwhile): the erase itself is saved, and running the purge again finishes.
    """
    try:
        forum.compact()
        scrub_backups(forum.path)
        _remove(draft_path(forum.path))
    except OSError as error:
        raise ForumFileError(
            f'NIK dan telepon sudah dihapus dari data peserta, tetapi berkas "{forum.path}" '
            f"atau cadangannya belum dapat ditulis ulang ({os_reason(error)}), sehingga nilai "
            "lama masih ada di riwayatnya; atasi lalu jalankan penghapusan lagi.",
            forum.path,
        ) from error


def scrub_backups(forum_path: Path) -> None:
    """Rewrite each backup of ``forum_path`` with every NIK and phone blanked.

    A backup of an older schema is rewritten migrated (``store.migrations``); one that does
    not parse, or has no migration, is removed instead; so are leftovers of interrupted
    backup writes. Each is read a line at a time, and written piece by piece.
    """
    for info in list_backups(forum_path):
        try:
            with open(info.path, "rb") as handle:
                image = parse_forum_file(handle)
            tables = image.state.tables
            if image.schema != CURRENT_SCHEMA:
                tables = migrate(plain_tables(tables), image.schema)
        except FileNotFoundError:
            continue
        except (OSError, FormatProblem, MigrationMissing):
            _remove(info.path)
            continue
        try:
            tables, changed = _blanked(tables)
            if not changed and image.journal_lines == 0 and image.schema == CURRENT_SCHEMA:
                continue
            state = ForumState(tables, image.state.next_ids, image.state.last_write_at)
            write_atomic(info.path, encode_forum(state, image.header.get("created_at")))
        except (TypeError, ValueError, RecursionError, FormatProblem):
            _remove(info.path)  # not rewritable as is (a value orjson cannot write)
    folder = backup_dir(Path(forum_path))
    if folder.is_dir():
        for leftover in folder.glob("*.tmp"):
            _remove(leftover)


def _blanked(tables: dict[str, Any]) -> tuple[dict[str, Any], bool]:
    """``tables`` with every personal value blanked (``blank_personal``), a packed table a
    line at a time; and whether anything was."""
    blanked: dict[str, Any] = {}
    changed = False
    for name, docs in tables.items():
        if isinstance(docs, ArchivedTable):
            blanked[name], table_changed = docs.rewritten(blank_personal)
        else:
            blanked[name], table_changed = blank_personal(docs)
        changed = changed or table_changed
    return blanked, changed


def _remove(path: Path) -> None:
    with contextlib.suppress(FileNotFoundError):
        path.unlink()
