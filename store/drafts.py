"""Half-typed text kept next to the forum file, so a crash or a quit never loses it.

The forum file holds only what was saved (Enter, ctrl+s). What is still being typed (a
minutes line, a proposal form with ten of fifteen fields filled) lives in a sidecar,
``<forum>.musrenbang.draf``: one JSON object, rewritten atomically (temp file, fsync,
rename, directory fsync) by the app about a second after the last keystroke. When the forum
is opened again the app offers each draft back.

Shape of the file::

    {"versi": 1, "draf": {"<place>": {"judul": str, "nilai": {field: value}, "waktu": iso}}}

``place`` names where the text was typed (``notulen``, ``usulan:baru``, ``usulan:12``);
``nilai`` maps the form's field ids to what was typed (str, bool or None). A draft never
holds a NIK: the app leaves hidden (password) fields out before it gets here, and
``save_drafts`` masks every NIK-shaped number in every text it writes (a NIK typed into the
Telepon or Nama field, or into a note), so the sidecar, copied along with the forum to a
flashdisk, holds no NIK in full (UU PDP).
"""

from __future__ import annotations

import contextlib
import json
import os
from pathlib import Path
from typing import Any

from store.personal import mask_niks_in_text
from store.storage_io import write_atomic

DRAFT_SUFFIX = ".draf"
VERSION = 1
#: A draft file is a few KB; anything larger is not ours and is not read.
MAX_DRAFT_BYTES = 2 * 1024 * 1024
#: Bounds on what one draft may hold (a form has about 20 fields).
MAX_FIELDS = 200
MAX_VALUE_CHARS = 20_000

Drafts = dict[str, dict[str, Any]]


def draft_path(forum_path: Path) -> Path:
    """The sidecar of ``forum_path``: ``rapat.musrenbang`` -> ``rapat.musrenbang.draf``."""
    return forum_path.with_name(forum_path.name + DRAFT_SUFFIX)


def load_drafts(forum_path: Path) -> Drafts:
    """The drafts kept for a forum: ``{place: {"judul", "nilai", "waktu"}}``.

    A missing, oversized, unreadable or malformed sidecar yields ``{}`` (a draft is a
    convenience: it must never stop a forum from opening). Values that are not text, a
    truth value or None are dropped.
    """
    path = draft_path(forum_path)
    try:
        if path.is_symlink() or not path.is_file() or path.stat().st_size > MAX_DRAFT_BYTES:
            return {}
        data = json.loads(path.read_bytes())
    except (OSError, ValueError):
        return {}
    if not isinstance(data, dict) or data.get("versi") != VERSION:
        return {}
    places = data.get("draf")
    if not isinstance(places, dict):
        return {}
    drafts: Drafts = {}
    for place, draft in places.items():
        clean = _clean(draft)
        if isinstance(place, str) and clean is not None:
            drafts[place] = clean
    return drafts


def _clean(draft: Any) -> dict[str, Any] | None:
    if not isinstance(draft, dict) or not isinstance(draft.get("nilai"), dict):
        return None
    values = {
        str(key): value
        for key, value in list(draft["nilai"].items())[:MAX_FIELDS]
        if value is None
        or isinstance(value, bool)
        or (isinstance(value, str) and len(value) <= MAX_VALUE_CHARS)
    }
    if not values:
        return None
    return {
        "judul": str(draft.get("judul") or ""),
        "nilai": values,
        "waktu": str(draft.get("waktu") or ""),
    }


def save_drafts(forum_path: Path, drafts: Drafts) -> None:
    """Replace the forum's sidecar with ``drafts`` durably; no drafts removes it.

    Raises ``OSError`` when the disk refuses (the caller tells the user; the forum itself
    is untouched).
    """
    path = draft_path(forum_path)
    if not drafts:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(path)
        return
    body = json.dumps({"versi": VERSION, "draf": masked(drafts)}, ensure_ascii=False, indent=1)
    write_atomic(path, [body.encode("utf-8")])


def masked(drafts: Drafts) -> Drafts:
    """A copy of ``drafts`` with every NIK-shaped number in every text (title, field value
    or field name) masked; truth values and None are kept as they are."""

    def mask(value: Any) -> Any:
        return mask_niks_in_text(value) if isinstance(value, str) else value

    return {
        mask(place): {
            **draft,
            "judul": mask(draft.get("judul", "")),
            "nilai": {mask(key): mask(value) for key, value in draft.get("nilai", {}).items()},
        }
        for place, draft in drafts.items()
    }
