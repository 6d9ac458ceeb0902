"""Where the app keeps its files.

Everything lives under one data dir so a user (or a test) can point the whole app elsewhere
with ``MUSRENBANG_HOME``; tests always do, so they never touch a real office's data.
"""

from __future__ import annotations

import os
from pathlib import Path

FORUM_SUFFIX = ".musrenbang"


def data_dir(*, create: bool = True) -> Path:
    """The data dir: ``$MUSRENBANG_HOME`` or the platform's user data dir.

    ``create=False`` for readers: a command that only reads (``verify``) must not leave an
    empty data dir behind as a side effect.
    """
    override = os.environ.get("MUSRENBANG_HOME")
    if override:
        base = Path(override)
    else:
        import platformdirs  # only when needed: every command starts faster without it

        base = Path(platformdirs.user_data_dir("musrenbang", False))
    if create:
        base.mkdir(parents=True, exist_ok=True)
    return base


def office_file() -> Path:
    """The office settings file, ``kantor.json`` (its folder is made by the writer)."""
    return data_dir(create=False) / "kantor.json"


def forum_dir() -> Path:
    """Where forums created without an explicit path go."""
    folder = data_dir() / "forum"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def keys_dir(*, create: bool = True) -> Path:
    """The office key pair's folder; the private key never leaves it."""
    folder = data_dir(create=create) / "kunci"
    if create:
        folder.mkdir(parents=True, exist_ok=True)
    return folder


def forum_path(name_or_path: str | os.PathLike[str]) -> Path:
    """Resolve a forum argument; ``.musrenbang`` is added when missing.

    A file that exists as written is taken as given (``/proc/self/fd/3`` too); a path with
    a folder in it, or a file that exists here, likewise once the suffix is added; a bare
    name that is not a file here means a forum in the data dir's forum folder
    (``not_found_message`` names both places when it is in neither).
    """
    text = os.fspath(name_or_path)
    path = Path(text)
    if os.path.isfile(path):
        return path
    if path.suffix != FORUM_SUFFIX:
        path = path.with_name(path.name + FORUM_SUFFIX)
    bare_name = not any(sep in text for sep in ("/", os.sep))
    if bare_name and not path.exists():
        path = forum_dir() / path
    return path


def not_found_message(path: Path) -> str:
    """One Indonesian line saying forum ``path`` was not found; for a bare name looked for
    here and then in the forum folder (``forum_path``), both places."""
    folder = data_dir(create=False) / "forum"
    if path.parent == folder and not (Path.cwd() / path.name).exists():
        return (
            f'Forum "{path.name}" tidak ditemukan, baik di folder ini ({Path.cwd()}) maupun '
            f"di folder forum ({folder})."
        )
    return f'Berkas forum "{path}" tidak ditemukan.'
