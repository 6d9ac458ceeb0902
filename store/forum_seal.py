"""The seal on a snapshot this installation wrote from a forum it had checked.

Every open checks every record against the allow-list schema (``store.forum_shape``): at
100x (65 MB, 260,000 records) that check alone takes 1.5 s, on every open, of records this
same app wrote minutes ago. A writer whose forum passed the check (and whose changes since
come from the app's own writers, each of which keeps the schema) therefore seals each
snapshot it writes: a keyed BLAKE2b of the snapshot (its table lines and the snapshot line
up to the seal, ``store.storage_format``), under a key kept in this
installation's data dir (``segel-forum.key``, 32 random bytes, owner-only) and bound to the
exact check code (a digest of the ``store`` package's sources and data). An open that
finds a seal it can verify checks only the records the journal changed after the snapshot
(``store.forum_shape.shape_problems(..., only=...)``); any other file (one from another
laptop, an edited one, one written by another version of the app) is checked in full, as
before. The seal proves where the bytes come from, never what they mean to anyone else:
it is not shown, exported or trusted outside this installation.

An open hashes the snapshot's bytes as it reads them, on the thread that also packs the
audit lines (``store.storage_archive.LinePacker``), and compares at the snapshot line's end
(``store.storage_format.parse_forum_file``): a file is trusted only when its seal is this
installation's seal of exactly the bytes read, and the file is of the current schema.

Sources: Python's ``hashlib.blake2b`` keyed mode (RFC 7693), which hashes large buffers with
the GIL released, so sealing inside a background compaction does not stall the UI.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import tempfile
from functools import cache
from pathlib import Path

KEY_FILE = "segel-forum.key"
KEY_BYTES = 32
#: ``"segel":"<64 hex>"`` closes a sealed snapshot line, after ``last_write_at``.
SEAL_FIELD = "segel"
SEAL_HEX = 64
SEAL_PREFIX = b',"segel":"'
SEAL_SUFFIX_BYTES = len(SEAL_PREFIX) + SEAL_HEX + len(b'"}')
_SEAL_ENDING = re.compile(re.escape(SEAL_PREFIX) + rb'([0-9a-f]{%d})"\}\n\Z' % SEAL_HEX)


class Sealer:
    """Seals snapshots with this installation's key and check digest."""

    def __init__(self, key: bytes, rules: bytes) -> None:
        self._key = key
        self._rules = rules

    def new(self) -> hashlib.blake2b:
        """A hasher to feed the snapshot line's body (everything before its seal) to."""
        hasher = hashlib.blake2b(key=self._key, digest_size=SEAL_HEX // 2, person=b"musrenbang")
        hasher.update(self._rules)
        return hasher


def seal_ending(seal: str) -> bytes:
    """What closes a snapshot line sealed with ``seal``, before its newline (the body before
    it has no closing brace)."""
    return SEAL_PREFIX + seal.encode("utf-8", "replace") + b'"}'


def claimed_seal(line: bytes) -> str | None:
    """The seal a snapshot line (newline included) ends in, as ``seal_ending`` writes it;
    None for any other ending (a seal anywhere else, or of another shape, is not honoured)."""
    match = _SEAL_ENDING.search(line, len(line) - SEAL_SUFFIX_BYTES - 1)
    return None if match is None else match.group(1).decode("ascii")


def installation_sealer(*, make: bool = True) -> Sealer | None:
    """This installation's sealer, or None when its key cannot be read or made (a read-only
    data dir), or does not exist and ``make`` is False (a reader never writes): then nothing
    is sealed and every open checks in full, as it always may."""
    from store.paths import data_dir

    try:
        folder = data_dir() if make else _existing_data_dir()
        return Sealer(_key(folder), _rules_digest())
    except OSError:
        return None


def _existing_data_dir() -> Path:
    """The data dir when the key is already in it; ``OSError`` otherwise (nothing made)."""
    from store.paths import data_dir

    folder = data_dir(create=False)
    if not (folder / KEY_FILE).is_file():
        raise FileNotFoundError(folder / KEY_FILE)
    return folder


def _key(folder: Path) -> bytes:
    """The key in ``folder``; made when absent or not whole (a crash while it was made).

    A new key is written whole to a private temporary file and then linked into place, so
    no process ever reads a half-written key; of two made at once, the first linked wins
    (a damaged one is replaced: the seals it made are void, which costs only speed)."""
    path = folder / KEY_FILE
    try:
        key: bytes | None = path.read_bytes()
    except FileNotFoundError:
        key = None
    if key is not None and len(key) == KEY_BYTES:
        return key
    fd, temp = tempfile.mkstemp(dir=folder, prefix=".segel-")  # owner-only (0600)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(os.urandom(KEY_BYTES))
            handle.flush()
            os.fsync(handle.fileno())
        if key is not None:  # present but not whole
            os.replace(temp, path)
        else:
            with contextlib.suppress(FileExistsError):  # made meanwhile: theirs is kept
                os.link(temp, path)
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temp)
    key = path.read_bytes()
    if len(key) != KEY_BYTES:
        raise OSError(f"kunci segel forum {path} tidak utuh")
    return key


@cache
def _rules_digest() -> bytes:
    """A digest of every source and data file of ``store``: any change to the check, to
    what it allows or to what writes the forum makes the seals of older snapshots void."""
    package = Path(__file__).resolve().parent
    hasher = hashlib.blake2b(digest_size=32)
    for path in sorted([*package.glob("*.py"), *package.glob("data/*")]):
        hasher.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    return hasher.digest()
