"""The bytes of a ``.musrenbang`` file: JSON Lines, parsed and encoded.

Layout (one JSON object per line, UTF-8, orjson)::

    {"format":"musrenbang","schema":1,"generation":"…","created_at":"…","written_at":"…"}
    {"tables":{"proposals":{"1":{…}}},"next_ids":{"proposals":2},"last_write_at":"…"}
    {"at":"…","ops":[{"table":"proposals","op":"update","doc_id":1,"fields":{…}}, …]}
    …one line per acknowledged change (a transaction is one line)…

Only the last line may be torn (a crash mid-append): it is ignored here, and the next writer
cuts it off. Anything else that does not parse is damage and is reported, never repaired
silently. ``generation`` changes on every rewrite so followers notice a compaction even when
the new file happens to be as long as the old one. A compacted file's header also says where
it continues the file it replaced (``"continues"``, see ``storage_continuation``), so a
follower keeps what it has read instead of parsing the whole file again.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import orjson

from store.collector import built_to_last
from store.forum_seal import SEAL_FIELD, SEAL_SUFFIX_BYTES, Sealer, seal_ending
from store.migrations import CURRENT_SCHEMA
from store.storage_state import ChangeError, ForumState

FORMAT_NAME = "musrenbang"
#: The keys a snapshot line and a change line may hold: anything else (a "schema" of a newer
#: version inside the snapshot) is a file this version does not understand, so damage.
SNAPSHOT_KEYS = frozenset({"tables", "next_ids", "last_write_at", SEAL_FIELD})
CHANGE_KEYS = frozenset({"at", "ops"})
HEADER_PREFIX = b'{"format":"musrenbang"'


class FormatProblem(ValueError):
    """What is wrong with a file, in Indonesian, to be named in a ForumFileError."""


@dataclass
class ForumImage:
    """A parsed forum file: its state plus where its valid bytes end."""

    header: dict[str, Any]
    header_line: bytes
    schema: int
    state: ForumState
    good_end: int  # offset just past the last complete, valid line
    torn: bool  # bytes after good_end (a torn last line) were ignored
    journal_lines: int
    journal_bytes: int
    snapshot_bytes: int
    #: The seal the snapshot line claims and the span of ``data`` it would seal (see
    #: ``store.forum_seal``); None for an unsealed snapshot. Verified by the writer.
    seal: tuple[str, int, int] | None = None
    #: Per table, the keys of records the journal changed after the snapshot.
    journal_keys: dict[str, set[str]] = field(default_factory=dict)


def now_iso() -> str:
    return datetime.now().astimezone().isoformat(timespec="milliseconds")


def header_fields(created_at: str | None = None) -> dict[str, Any]:
    """The fields of a fresh header (a new ``generation``)."""
    return {
        "format": FORMAT_NAME,
        "schema": CURRENT_SCHEMA,
        "generation": secrets.token_hex(8),
        "created_at": created_at or now_iso(),
        "written_at": now_iso(),
    }


def encode_header(created_at: str | None = None) -> bytes:
    """A fresh header line (new ``generation``), ending in a newline."""
    return orjson.dumps(header_fields(created_at)) + b"\n"


def encode_forum(
    state: ForumState, created_at: str | None = None, sealer: Sealer | None = None
) -> tuple[bytes, bytes]:
    """Header and snapshot lines (each ending in a newline) of a compacted file; the
    snapshot sealed by ``sealer`` when given (``store.forum_seal``)."""
    snapshot = {
        "tables": state.tables,
        "next_ids": state.next_ids,
        "last_write_at": state.last_write_at,
    }
    encoded = orjson.dumps(snapshot)
    if sealer is None:
        return encode_header(created_at), encoded + b"\n"
    body = encoded[:-1]
    return encode_header(created_at), body + seal_ending(sealer.seal([body])) + b"\n"


def encode_change(at: str, encoded_ops: list[bytes]) -> bytes:
    """One journal line from ops already encoded one by one (so a bad value fails early)."""
    return b'{"at":' + orjson.dumps(at) + b',"ops":[' + b",".join(encoded_ops) + b"]}\n"


def parse_header(data: bytes) -> tuple[dict[str, Any], bytes, int]:
    """The header object, its line, and where the snapshot line starts."""
    if not data or data.isspace():  # stops at the first other byte: no 65 MB copy
        raise FormatProblem("berkas kosong")
    end = data.find(b"\n")
    line = data if end < 0 else data[:end]
    try:
        header = orjson.loads(line)
    except orjson.JSONDecodeError:
        header = None
    head = data[: len(HEADER_PREFIX)]
    if not isinstance(header, dict):
        if HEADER_PREFIX.startswith(head) or head.startswith(HEADER_PREFIX):
            raise FormatProblem("berkas terpotong di bagian kepala")
        raise FormatProblem("ini bukan berkas forum musrenbang")
    if header.get("format") != FORMAT_NAME:
        raise FormatProblem("berkas JSON milik program lain, bukan forum musrenbang")
    schema = header.get("schema")
    if type(schema) is not int or schema < 0:
        raise FormatProblem("versi skema pada kepala berkas tidak sah")
    if schema > CURRENT_SCHEMA:
        raise FormatProblem(
            f"berkas dibuat oleh versi aplikasi yang lebih baru (skema {schema}; "
            f"versi ini hanya mengenal sampai skema {CURRENT_SCHEMA}). Perbarui aplikasi"
        )
    if end < 0:
        raise FormatProblem("berkas terpotong setelah kepala berkas")
    return header, line, end + 1


def parse_forum(data: bytes) -> ForumImage:
    """Parse a whole file, replaying its journal; raise FormatProblem on damage.

    The cyclic garbage collector is paused meanwhile, and what was parsed is frozen before
    it resumes (``store.collector.built_to_last``): parsing creates millions of containers
    and nothing cyclic; left young, the first collection after the parse would walk them all
    (0.15 s at 100x), and later full passes again.
    """
    with built_to_last():
        return _parse_forum(data)


def _parse_forum(data: bytes) -> ForumImage:
    header, header_line, start = parse_header(data)
    end = data.find(b"\n", start)
    if end < 0:
        raise FormatProblem("berkas terpotong di bagian data (baris 2)")
    state, seal = _decode_snapshot(memoryview(data)[start:end])  # a view: no second copy
    image = ForumImage(
        header=header,
        header_line=header_line,
        schema=header["schema"],
        state=state,
        good_end=end + 1,
        torn=False,
        journal_lines=0,
        journal_bytes=0,
        snapshot_bytes=end - start + 1,
        seal=None if seal is None else (seal, start, end - SEAL_SUFFIX_BYTES),
    )
    for change, line_end in iter_changes(data, end + 1, first_line_number=3):
        line_number = 3 + image.journal_lines
        try:
            for op in change["ops"]:
                state.apply(op, None)
                image.journal_keys.setdefault(op["table"], set()).add(str(op["doc_id"]))
        except ChangeError as error:
            problem = f"baris {line_number} tidak cocok dengan isi forum: {error}"
            raise FormatProblem(problem) from error
        state.last_write_at = change["at"]
        image.journal_bytes += line_end - image.good_end
        image.journal_lines += 1
        image.good_end = line_end
    image.torn = image.good_end < len(data)
    return image


def iter_changes(data: bytes, start: int, first_line_number: int):
    """Yield ``(change, offset just past its line)`` for each complete change line.

    Stops quietly at a torn last line: no newline yet, or invalid JSON in the very last line.
    Raises FormatProblem for an invalid line followed by more lines (damage, not a crash).
    """
    position = start
    line_number = first_line_number
    while position < len(data):
        end = data.find(b"\n", position)
        if end < 0:
            return
        try:
            change = orjson.loads(data[position:end])
        except orjson.JSONDecodeError:
            if end + 1 == len(data):
                return
            raise FormatProblem(f"baris {line_number} rusak (bukan JSON yang sah)") from None
        if (
            not isinstance(change, dict)
            or not isinstance(change.get("ops"), list)
            or not isinstance(change.get("at"), str)
            or not change.keys() <= CHANGE_KEYS
        ):
            raise FormatProblem(f"baris {line_number} bukan catatan perubahan forum")
        yield change, end + 1
        position = end + 1
        line_number += 1


def _decode_snapshot(line: bytes | memoryview) -> tuple[ForumState, str | None]:
    """The snapshot's state, and the seal it claims when its line ends in a well-formed one
    (``store.forum_seal``: a seal anywhere else, or of another shape, is not honoured)."""
    try:
        snapshot = orjson.loads(line)
    except orjson.JSONDecodeError:
        raise FormatProblem("baris 2 (data forum) rusak") from None
    tables = snapshot.get("tables") if isinstance(snapshot, dict) else None
    next_ids = snapshot.get("next_ids", {}) if isinstance(snapshot, dict) else None
    if not isinstance(tables, dict) or not isinstance(next_ids, dict):
        raise FormatProblem("baris 2 bukan data forum")
    if unknown := sorted(snapshot.keys() - SNAPSHOT_KEYS):
        raise FormatProblem(f"baris 2 memuat '{unknown[0][:30]}' yang tidak dikenal versi ini")
    for name, docs in tables.items():
        # map() keeps these checks in C: they run over every document on each open.
        if (
            not isinstance(docs, dict)
            or not all(map(str.isdigit, docs))
            or not all(map(str.isascii, docs))
            or not set(map(type, docs.values())) <= {dict}
        ):
            raise FormatProblem(f"tabel '{name}' pada baris 2 tidak sah")
    if not all(type(value) is int for value in next_ids.values()):
        raise FormatProblem("penghitung id pada baris 2 tidak sah")
    last_write_at = snapshot.get("last_write_at")
    state = ForumState(tables, next_ids, last_write_at if isinstance(last_write_at, str) else None)
    seal = snapshot.get(SEAL_FIELD)
    if not isinstance(seal, str) or bytes(line[-SEAL_SUFFIX_BYTES:]) != seal_ending(seal):
        seal = None
    return state, seal
