"""Creating a forum file all at once: complete, or not there at all.

``new`` and ``demo`` write many changes while they set a forum up (the standard agenda,
the demo's 80 participants). Written in place, a full disk or a kill halfway left a
half-made forum that the next ``demo`` reused as good. So the forum is built in a hidden
file beside the target (same folder, so same disk) and only a complete, closed forum is
given the target's name; on any failure the hidden file and its lock and backup sidecars
are removed and nothing is left.
"""

from __future__ import annotations

import errno
import os
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from store.backup import backup_dir
from store.lock import holder_path, lock_path
from store.storage_errors import ForumFileError

T = TypeVar("T")


def build_forum_file(path: Path, build: Callable[[Path], T]) -> T:
    """Call ``build(temp)`` to write and close a complete forum at a hidden path beside
    ``path``, then give it ``path``'s name; returns what ``build`` returned.

    Raises ``ForumFileError`` when ``path`` appeared meanwhile; whatever ``build`` raises
    propagates after the hidden file and its sidecars are removed, a file error naming
    ``path`` (the name the operator gave), not the hidden file.
    """
    temp = path.with_name(f".{path.name}.{os.getpid()}.baru")
    try:
        result = build(temp)
        _give_name(temp, path)
    except ForumFileError as error:
        _remove_quietly(temp)
        raise ForumFileError(error.message.replace(str(temp), str(path)), path) from error
    except OSError as error:
        _remove_quietly(temp)
        raise OSError(error.errno, error.strerror, str(path)) from error
    except BaseException:
        _remove_quietly(temp)
        raise
    _remove_sidecars(temp)
    return result


def _give_name(temp: Path, path: Path) -> None:
    """Link ``temp`` as ``path`` (fails if ``path`` exists: a forum is never overwritten),
    then drop ``temp``; on a file system without hard links (FAT flash disks), rename."""
    try:
        os.link(temp, path)
    except FileExistsError as error:
        raise _exists(path) from error
    except OSError as error:
        if error.errno not in (errno.EPERM, errno.ENOTSUP, errno.EOPNOTSUPP, errno.EMLINK):
            raise
        if path.exists():
            raise _exists(path) from error
        os.rename(temp, path)
        return
    temp.unlink()


def _exists(path: Path) -> ForumFileError:
    return ForumFileError(f'Berkas "{path}" sudah ada: pilih nama lain.', path)


def _remove_sidecars(temp: Path) -> None:
    for sidecar in (lock_path(temp), holder_path(temp)):
        sidecar.unlink(missing_ok=True)
    shutil.rmtree(backup_dir(temp), ignore_errors=True)


def _remove_quietly(temp: Path) -> None:
    try:
        temp.unlink(missing_ok=True)
        _remove_sidecars(temp)
    except OSError:
        pass  # the original failure is what the operator must hear about
