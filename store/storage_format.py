"""The bytes of a ``.musrenbang`` file: JSON Lines, parsed and encoded.

Layout (one JSON object per line, UTF-8, orjson)::

    {"format":"musrenbang","schema":2,"generation":"…","created_at":"…","written_at":"…"}
    {"ids":[1,1000,1000],"proposals":{"1":{…},…,"1000":{…}}}
    …the snapshot's records, a thousand to a table line (``storage_archive``)…
    {"tables":{},"next_ids":{"proposals":1001},"last_write_at":"…","table_lines":1}
    {"at":"…","ops":[{"table":"proposals","op":"update","doc_id":1,"fields":{…}}, …]}
    …one line per acknowledged change (a transaction is one line)…

The table lines and the snapshot line after them are the snapshot; ``table_lines`` counts
the table lines, so a file cut between them is damage, not a smaller forum. A schema 1 file
has no table lines: its snapshot line (line 2) holds every table.

Only the last line may be torn (a crash mid-append): it is ignored here, and the next writer
cuts it off. Anything else that does not parse is damage and is reported, never repaired
silently. ``generation`` changes on every rewrite so followers notice a compaction even when
the new file happens to be as long as the old one. A compacted file's header also says where
it continues the file it replaced (``"continues"``, see ``storage_continuation``), so a
follower keeps what it has read instead of parsing the whole file again.
"""

from __future__ import annotations

import hmac
import io
import re
import secrets
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, BinaryIO

import orjson

from store.collector import built_to_last
from store.forum_seal import SEAL_FIELD, SEAL_SUFFIX_BYTES, Sealer, claimed_seal
from store.migrations import CURRENT_SCHEMA
from store.storage_archive import (
    ARCHIVED_TABLES,
    ArchivedLine,
    ArchivedTable,
    LinePacker,
    TableLineProblem,
    has_table_lines,
    is_canonical_id,
    parse_table_line,
    read_claim,
)
from store.storage_compaction import FrozenState, encode_snapshot_pieces
from store.storage_state import ChangeError, ForumState

FORMAT_NAME = "musrenbang"
#: The keys a snapshot line and a change line may hold: anything else (a "schema" of a newer
#: version inside the snapshot) is a file this version does not understand, so damage.
SNAPSHOT_KEYS = frozenset({"tables", "next_ids", "last_write_at", "table_lines", SEAL_FIELD})
CHANGE_KEYS = frozenset({"at", "ops"})
HEADER_PREFIX = b'{"format":"musrenbang"'
#: Header fields rewrites copy or compare: a time stamp, a short word; never a place for
#: anything else (a NIK written into ``created_at`` would be copied past every erase).
_STAMP = re.compile(
    r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}(:[0-9]{2}(\.[0-9]{1,6})?)?([+-][0-9]{2}:[0-9]{2}|Z)?"
)
_HEADER_TEXTS = {
    "generation": re.compile(r"[0-9A-Za-z]{1,40}"),
    "created_at": _STAMP,
    "written_at": _STAMP,
}


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
    snapshot_bytes: int  # table lines and snapshot line
    snapshot_line: int  # the snapshot line's number (the first is 1)
    #: The seal the snapshot line claims (``store.forum_seal``), None for an unsealed one;
    #: ``sealed``: it is this installation's seal of these bytes (checked by the parse).
    seal: str | None = None
    sealed: bool = False
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
) -> Iterator[bytes]:
    """A compacted file's lines, piece by piece: a fresh header, the table lines and the
    snapshot line (each ending in a newline), sealed by ``sealer`` when given."""
    yield encode_header(created_at)
    yield from encode_snapshot_pieces(FrozenState.take(state), sealer)


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
    for name, shape in _HEADER_TEXTS.items():
        value = header.get(name)
        if value is not None and not (type(value) is str and shape.fullmatch(value)):
            raise FormatProblem(f"'{name}' pada kepala berkas tidak sah")
    if end < 0:
        raise FormatProblem("berkas terpotong setelah kepala berkas")
    return header, line, end + 1


def parse_forum(data: bytes, sealer: Sealer | None = None) -> ForumImage:
    """Parse a whole file held in memory (see ``parse_forum_file``)."""
    return parse_forum_file(io.BytesIO(data), sealer)  # shares ``data``: no copy


def parse_forum_file(handle: BinaryIO, sealer: Sealer | None = None) -> ForumImage:
    """Parse a forum from ``handle`` (at its start), a line at a time, replaying its
    journal; raise FormatProblem on damage.

    With ``sealer`` (this installation's, ``store.forum_seal``) the seal is checked on the
    way (``ForumImage.sealed``); the packed lines of a file it does not seal are parsed and
    checked against their claims (``storage_archive``).

    The cyclic garbage collector is paused meanwhile, and what was parsed is frozen before
    it resumes (``store.collector.built_to_last``): parsing creates millions of containers
    and nothing cyclic; left young, the first collection after the parse would walk them all
    (0.15 s at 100x), and later full passes again.
    """
    packer = LinePacker(None if sealer is None else sealer.new())
    try:
        with built_to_last():
            image = _parse_forum(handle, packer)
        digest = packer.digest()
    except TableLineProblem as problem:  # from a line packed on the thread
        raise FormatProblem(f"baris tabel tidak sah: {problem}") from None
    finally:
        packer.close()
    image.sealed = (
        digest is not None
        and image.seal is not None
        and image.schema == CURRENT_SCHEMA
        and hmac.compare_digest(digest, image.seal)
    )
    if not image.sealed:
        for name, table in image.state.tables.items():
            if isinstance(table, ArchivedTable):
                try:
                    table.verify()
                except TableLineProblem as problem:
                    raise FormatProblem(f"baris tabel '{name}' tidak sah: {problem}") from None
    return image


def _parse_forum(handle: BinaryIO, packer: LinePacker) -> ForumImage:
    header, header_line, start = parse_header(handle.readline())
    snapshot_start = start
    line_number = 2
    plain: dict[str, dict[str, dict[str, Any]]] = {}
    packed: dict[str, list[ArchivedLine]] = {}
    last_ids: dict[str, int] = {}
    while True:
        line = handle.readline()
        if not line.endswith(b"\n"):
            raise FormatProblem(f"berkas terpotong di bagian data (baris {line_number})")
        claim = read_claim(line)
        if claim is None:
            break
        where = f"baris {line_number} (tabel '{claim.table}')"
        if header["schema"] < 2 or not has_table_lines(claim.table):
            raise FormatProblem(f"{where} tidak dikenal versi ini")
        if claim.first <= last_ids.get(claim.table, 0) or claim.last < claim.first:
            raise FormatProblem(f"{where}: urutan id tidak sah")
        last_ids[claim.table] = claim.last
        if claim.table in ARCHIVED_TABLES:
            packer.pack(line, claim, packed.setdefault(claim.table, []))
        else:
            packer.hash(line)
            try:
                docs = parse_table_line(line, claim)
            except TableLineProblem as problem:
                raise FormatProblem(f"{where} rusak: {problem}") from None
            plain.setdefault(claim.table, {}).update(docs)
        start += len(line)
        line_number += 1
    seal = claimed_seal(line)
    packer.hash(memoryview(line)[: len(line) - 1 - (0 if seal is None else SEAL_SUFFIX_BYTES)])
    packer.drain()  # every line packed (TableLineProblem from a line with gaps)
    for name, lines in packed.items():
        plain[name] = ArchivedTable(name, lines)
    state = _decode_snapshot(line, line_number, plain, line_number - 2)
    end = start + len(line)
    image = ForumImage(
        header=header,
        header_line=header_line,
        schema=header["schema"],
        state=state,
        good_end=end,
        torn=False,
        journal_lines=0,
        journal_bytes=0,
        snapshot_bytes=end - snapshot_start,
        snapshot_line=line_number,
        seal=seal,
    )
    rest = handle.read()
    for change, line_end in iter_changes(rest, 0, first_line_number=line_number + 1):
        try:
            for op in change["ops"]:
                state.apply(op, None)
                image.journal_keys.setdefault(op["table"], set()).add(str(op["doc_id"]))
        except ChangeError as error:
            number = line_number + 1 + image.journal_lines
            raise FormatProblem(f"baris {number} tidak cocok dengan isi forum: {error}") from error
        state.last_write_at = change["at"]
        image.journal_bytes += end + line_end - image.good_end
        image.journal_lines += 1
        image.good_end = end + line_end
    image.torn = image.good_end < end + len(rest)
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


def _decode_snapshot(
    line: bytes, number: int, from_lines: dict[str, Any], table_lines: int
) -> ForumState:
    """The state of snapshot line ``number``, with the tables read from the ``table_lines``
    lines before it (``from_lines``)."""
    where = f"baris {number}"
    try:
        snapshot = orjson.loads(line)
    except orjson.JSONDecodeError:
        raise FormatProblem(f"{where} (data forum) rusak") from None
    tables = snapshot.get("tables") if isinstance(snapshot, dict) else None
    next_ids = snapshot.get("next_ids", {}) if isinstance(snapshot, dict) else None
    if not isinstance(tables, dict) or not isinstance(next_ids, dict):
        raise FormatProblem(f"{where} bukan data forum")
    if unknown := sorted(snapshot.keys() - SNAPSHOT_KEYS):
        raise FormatProblem(f"{where} memuat '{unknown[0][:30]}' yang tidak dikenal versi ini")
    if snapshot.get("table_lines", 0) != table_lines:
        raise FormatProblem(f"{where}: jumlah baris tabel tidak sesuai (berkas terpotong?)")
    for name, docs in tables.items():
        # map() keeps these checks in C: they run over every document on each open.
        if (
            not isinstance(docs, dict)
            or not all(map(is_canonical_id, docs))
            or not set(map(type, docs.values())) <= {dict}
            or name in from_lines
        ):
            raise FormatProblem(f"tabel '{name}' pada {where} tidak sah")
    if not all(type(value) is int for value in next_ids.values()):
        raise FormatProblem(f"penghitung id pada {where} tidak sah")
    last_write_at = snapshot.get("last_write_at")
    return ForumState(
        {**from_lines, **tables},
        next_ids,
        last_write_at if isinstance(last_write_at, str) else None,
    )
