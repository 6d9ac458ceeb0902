"""Rolling backups of a forum, restoring one, and copying a forum to a flash disk.

Backups live beside the forum in ``NAME.musrenbang.backup/`` as
``NAME-YYYYMMDD-HHMMSS-ffffff[-tag].musrenbang``: each is a byte copy of the forum taken while
its writer holds the lock, so each is itself a forum file that opens anywhere. The writer
makes one on open (unless nothing changed since the newest), every few minutes while it
changes, and on close; only the newest ``KEEP_BACKUPS`` are kept.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import BinaryIO

from store.file_mounts import refuse_file_mount_point
from store.forum_identity import ForumIdentity, identity_of
from store.lock import WriteLock
from store.storage_errors import ForumFileError
from store.storage_format import FormatProblem, parse_forum, parse_forum_file
from store.storage_io import real_path, write_atomic

KEEP_BACKUPS = 20
#: While a writer keeps changing a forum, a new backup at most this often.
BACKUP_INTERVAL_S = 5 * 60

_CHUNK = 1 << 20
_STAMP = "%Y%m%d-%H%M%S-%f"
_NAME = re.compile(r"-(\d{8}-\d{6}-\d{6})(?:-([a-z-]+))?\.musrenbang$")


@dataclass(frozen=True)
class BackupInfo:
    path: Path
    when: datetime  # local time, aware
    size: int
    tag: str = ""  # why it was made beyond the rotation ("sebelum-migrasi", "sebelum-pulih")


def backup_dir(forum: Path) -> Path:
    """``NAME.musrenbang.backup/`` beside the real file (a symlinked forum has one folder)."""
    forum = real_path(Path(forum))
    return forum.with_name(forum.name + ".backup")


def list_backups(path: Path) -> list[BackupInfo]:
    """The backups of forum ``path``, newest first."""
    folder = backup_dir(Path(path))
    if not folder.is_dir():
        return []
    found = []
    for candidate in folder.iterdir():
        match = _NAME.search(candidate.name)
        if match is None or not candidate.is_file():
            continue
        when = datetime.strptime(match.group(1), _STAMP).astimezone()
        found.append(BackupInfo(candidate, when, candidate.stat().st_size, match.group(2) or ""))
    found.sort(key=lambda info: (info.when, info.path.name), reverse=True)
    return found


def newest_good_backup(path: Path) -> BackupInfo | None:
    """The newest backup that parses as a forum and whose records pass the checks every
    open makes (``store.forum_shape``): a refusal never sends the user to a backup that
    would be refused in turn. A disk can damage any file, and a hand edit reaches backups.
    A store with no forum header at all (the storage layer alone) is judged by parsing.
    A backup of another forum (copied into the folder by hand) is never named: the
    restore it would suggest refuses it."""
    from store.forum_shape import shape_problems  # it names backups in its refusals

    current = _identity_or_none(path)
    for info in list_backups(path):
        try:
            image = parse_forum(info.path.read_bytes())
        except (OSError, FormatProblem):
            continue
        tables = image.state.tables
        if "meta" in tables and shape_problems(tables, image.state.next_ids):
            continue
        if current is not None and not current.same_forum(identity_of(image)):
            continue
        return info
    return None


def _identity_or_none(path: Path) -> ForumIdentity | None:
    """Which forum ``path`` holds, when its bytes still parse (a damaged value does not
    hide its identity); None when nothing can be read."""
    try:
        return identity_of(parse_forum(Path(path).read_bytes()))
    except (OSError, FormatProblem, RecursionError):  # RecursionError: a value nested absurdly
        return None


def file_error(path: Path, problem: str) -> ForumFileError:
    """The Indonesian error for a bad forum file, naming the newest good backup."""
    backup = newest_good_backup(path)
    message = f'Berkas forum "{path}" tidak dapat dibuka: {problem}. {backup_advice(path, backup)}'
    return ForumFileError(message, Path(path), backup.path if backup else None)


def backup_advice(path: Path, backup: BackupInfo | None) -> str:
    """The Indonesian sentence naming ``backup`` (the newest good one of forum ``path``) and
    how to restore it, or saying there is none; it ends every refusal of a damaged forum."""
    if backup is None:
        return "Tidak ada cadangan yang baik."
    return (
        f'Cadangan terbaru yang baik: "{backup.path}" '
        f"({backup.when:%d-%m-%Y %H.%M}); pulihkan dengan: musrenbang restore "
        f'"{path}" "{backup.path}"'
    )


def make_backup(path: Path, tag: str = "", *, size: int = -1) -> Path:
    """Write a backup of ``path`` (its first ``size`` bytes: the file as a writer knows it,
    whole lines only; all of it when -1) and prune old ones. Copied a megabyte at a time: a
    Kabupaten forum is never in memory whole for a backup. ``OSError`` when the file is
    shorter than ``size`` (replaced meanwhile): no partial copy is ever kept."""
    path = Path(path)
    folder = backup_dir(path)
    folder.mkdir(exist_ok=True)
    name = f"{path.stem}-{datetime.now():{_STAMP}}{'-' + tag if tag else ''}.musrenbang"
    target = folder / name
    write_atomic(target, _chunks(path, size))
    prune(path)
    return target


def backup_if_changed(path: Path, size: int = -1, tag: str = "") -> Path | None:
    """A backup of ``path``'s first ``size`` bytes (all when -1), unless the newest backup
    already holds exactly those bytes (a plain reopen, or a migration tried again)."""
    path = Path(path)
    if size < 0:
        size = path.stat().st_size
    backups = list_backups(path)
    if backups and backups[0].size == size:
        with contextlib.suppress(OSError):
            if _same_start(backups[0].path, path, size):
                return None
    return make_backup(path, tag, size=size)


def _chunks(path: Path, size: int) -> Iterator[bytes]:
    """The first ``size`` bytes of ``path`` (all when -1), a megabyte at a time."""
    with open(path, "rb") as file:
        yield from _read_chunks(file, size, path)


def _read_chunks(file: BinaryIO, size: int, path: Path) -> Iterator[bytes]:
    """The next ``size`` bytes of ``file`` (all when -1), a megabyte at a time; ``OSError``
    when it ends before (``path`` replaced meanwhile)."""
    left = size if size >= 0 else None
    while left is None or left > 0:
        chunk = file.read(_CHUNK if left is None else min(_CHUNK, left))
        if not chunk:
            if left:
                raise OSError(f"berkas {path} berubah selama dicadangkan")
            return
        if left is not None:
            left -= len(chunk)
        yield chunk


def _same_start(backup: Path, path: Path, size: int) -> bool:
    """Whether ``backup`` holds exactly the first ``size`` bytes of ``path``, compared a
    megabyte at a time (a Kabupaten forum's newest backup is not loaded whole beside it)."""
    with open(backup, "rb") as kept:
        for chunk in _chunks(path, size):  # exactly ``size`` bytes, or OSError
            if kept.read(len(chunk)) != chunk:
                return False
        return not kept.read(1)


def prune(path: Path) -> None:
    """Delete all but the newest ``KEEP_BACKUPS`` backups, and the newest of each tag (the
    copy before a migration or a restore is the only one of its kind: a busy day's
    5-minute backups would rotate it out)."""
    backups = list_backups(path)
    newest_of_tag: dict[str, Path] = {}
    for info in backups:
        if info.tag:
            newest_of_tag.setdefault(info.tag, info.path)
    kept = set(newest_of_tag.values())
    for info in backups[KEEP_BACKUPS:]:
        if info.path not in kept:
            with contextlib.suppress(OSError):
                info.path.unlink()


def refuse_backup_target(path: Path) -> None:
    """``ForumFileError`` for a forum file in a backup folder (``NAME.musrenbang.backup/``,
    any case): a backup is a copy kept as it was, so nothing writes into it, creates a forum
    there or restores over it (it opens read-only, or is restored over its forum)."""
    folder = Path(path).parent
    if not folder.name.lower().endswith(".musrenbang.backup"):
        return
    forum = folder.with_name(folder.name[: -len(".backup")])
    raise ForumFileError(
        f'Berkas "{Path(path).name}" ada di folder cadangan: hanya dapat dibuka hanya-baca, '
        f'tidak ditulisi. Untuk memakai cadangan, pulihkan: musrenbang restore "{forum}" '
        f'"{path}"',
        Path(path),
    )


def restore(path: Path, backup_path: Path, *, operator: str = "", force: bool = False) -> None:
    """Make ``backup_path`` the forum's content, keeping the current file as a backup first.

    Refused with ``ForumLocked`` while a live writer holds the forum; a backup that is not a
    good forum file, or (unless ``force``) holds a different forum than the current file, is
    refused with ``ForumFileError`` and nothing changes. Written through the real path, so a
    forum reached through a symlink stays a symlink.
    """
    from store.forum_shape import shape_problems

    path = real_path(Path(path))
    refuse_backup_target(path)
    data = Path(backup_path).read_bytes()
    try:
        image = parse_forum(data)
        tables = image.state.tables  # (a store with no header is the storage layer's alone)
        problems = "meta" in tables and shape_problems(tables, image.state.next_ids)
        if problems:  # a forum every open would refuse is never restored over a good one
            raise FormatProblem(problems[0].rstrip("."))
    except FormatProblem as problem:
        raise ForumFileError(
            f'Cadangan "{backup_path}" tidak dapat dipulihkan: {problem}.', Path(backup_path)
        ) from None
    refuse_file_mount_point(path)
    lock = WriteLock(path)
    lock.acquire(operator)
    try:
        if not force:
            _refuse_other_forum(path, Path(backup_path), identity_of(image))
        if path.exists():
            make_backup(path, tag="sebelum-pulih")
        write_atomic(path, [data], lock.replace_file)
    finally:
        lock.release()


def _refuse_other_forum(path: Path, backup_path: Path, incoming: ForumIdentity) -> None:
    """A backup of another forum would silently replace this one; a damaged or missing
    current file has no identity to compare, and restoring is then exactly what is needed."""
    current = _identity_or_none(path)
    if current is not None and not current.same_forum(incoming):
        raise ForumFileError(
            f'Cadangan "{backup_path}" berisi forum lain {incoming.describe()}, bukan forum '
            f"ini {current.describe()}; forum tidak diubah. Bila memang ingin menggantinya, "
            "ulangi dengan --paksa.",
            backup_path,
        )


def copy_to(
    path: Path, dest_dir: Path, progress: Callable[[int, int], None] | None = None
) -> list[Path]:
    """Copy the forum and its backups into ``dest_dir`` ("Salin ke flashdisk").

    ``progress(files_done, files_total)`` is called after each file, for a progress bar on
    a slow flash disk.

    The forum is read in one go and cut after its last complete line, so the copy is a
    consistent forum even while a writer appends; it is checked before it is written.
    Backups already on the destination are not copied again (same name and size), and
    destination backups the forum no longer has are removed. Returns the copies, the forum
    first.
    """
    from store.forum_seal import installation_sealer

    path = Path(path)
    dest_dir = Path(dest_dir)
    with open(path, "rb") as forum:  # one handle: a compaction meanwhile swaps another file
        try:
            image = parse_forum_file(forum, installation_sealer(make=False))
        except FormatProblem as problem:
            raise file_error(path, str(problem)) from None
        dest_dir.mkdir(parents=True, exist_ok=True)
        target = dest_dir / path.name
        if target.resolve() == path.resolve():
            raise ValueError(f'Folder tujuan "{dest_dir}" adalah folder forum itu sendiri.')
        forum.seek(0)
        write_atomic(target, _read_chunks(forum, image.good_end, path))
    copies = [target]
    backups = list_backups(path)
    if progress:
        progress(1, len(backups) + 1)
    for done, info in enumerate(backups, start=2):
        copy = backup_dir(target) / info.path.name
        if not (copy.exists() and copy.stat().st_size == info.size):  # backups never change
            try:
                content = info.path.read_bytes()
            except FileNotFoundError:
                continue  # pruned by the writer meanwhile
            copy.parent.mkdir(exist_ok=True)
            write_atomic(copy, [content])
        copies.append(copy)
        if progress:
            progress(done, len(backups) + 1)
    _drop_stale_copies(target, {info.path.name for info in backups})
    return copies


def _drop_stale_copies(target: Path, current: set[str]) -> None:
    """Remove backups in the destination that the forum no longer has (pruned, or removed
    by ``purge-personal``): the flash disk mirrors the forum, erased data included."""
    for info in list_backups(target):
        if info.path.name not in current:
            with contextlib.suppress(OSError):
                info.path.unlink()
