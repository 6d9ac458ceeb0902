"""The office's register of issued documents, so ``verify`` can say "superseded".

Each forum keeps its own register (``forum.signoff``), but ``verify FILE.docx`` does not know
which forum a file came from, and ``export`` reads a forum read-only (the note-taker may hold
it). So every issued document is also recorded here, in ``$MUSRENBANG_HOME/dokumen-terbit.json``,
with the forum it came from (for an office letter, which no forum issues, its origin: one per
addressee). The rule is the forum register's: a newer, different document of the same kind
from the same forum supersedes the older one; the same content issued again is the same
document. Entries the forum register marks ``diganti`` (an amendment) are copied here
on the next export.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import orjson

from store import paths
from store.storage_io import write_atomic

REGISTER_FILE = "dokumen-terbit.json"


def register_path() -> Path:
    return paths.data_dir(create=False) / REGISTER_FILE


def entries() -> list[dict[str, Any]]:
    """Every issued document this office recorded (empty when the file is missing or bad).

    Read without the lock: the file is only ever replaced atomically.
    """
    path = register_path()
    try:
        data = orjson.loads(path.read_bytes())
    except (OSError, orjson.JSONDecodeError):
        return []
    return data if isinstance(data, list) else []


def lookup(doc_id: str) -> dict[str, Any] | None:
    return next((e for e in entries() if e.get("doc_id") == doc_id), None)


def record_issue(entry: dict[str, Any], *, superseded: set[str] = frozenset()) -> None:
    """Add ``entry`` (doc_id, jenis, nomor, tanggal, digest, forum, dibuat...) to the register.

    Older documents of the same kind and forum become ``diganti`` by this one, and so does any
    doc_id listed in ``superseded`` (what the forum's own register marks replaced).
    """
    from filelock import FileLock  # only writers need it; verify only reads

    path = register_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    with FileLock(str(path) + ".lock", timeout=10):
        current = entries()
        known = {e["doc_id"] for e in current}
        for old in current:
            replaced = old["doc_id"] in superseded or (
                old["forum"] == entry["forum"]
                and old["jenis"] == entry["jenis"]
                and old["doc_id"] != entry["doc_id"]
            )
            if replaced and old["status"] == "berlaku":
                old["status"] = "diganti"
                old["diganti_oleh"] = entry["doc_id"] if old["jenis"] == entry["jenis"] else None
        if entry["doc_id"] not in known:
            current.append({**entry, "status": "berlaku", "diganti_oleh": None})
        else:
            for old in current:
                if old["doc_id"] == entry["doc_id"]:
                    old.update(status="berlaku", diganti_oleh=None, berkas=entry.get("berkas"))
        write_atomic(path, [orjson.dumps(current, option=orjson.OPT_INDENT_2)])
