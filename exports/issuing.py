"""Issuing a built document: digest its text, sign, put the QR in, save, register.

Order matters: the canonical text (body, headers and footers: scheme 2) is taken from the
finished document before the verification block is filled (that block is outside the
canonical text), so the saved file verifies.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from exports import keys, register
from exports.canonical import canonical_of_document
from exports.documents.context import DocContext
from exports.documents.signature_block import VerificationSlot
from exports.record import Record
from exports.verification import sign
from exports.verify_page.address import page_address
from store.storage_io import replace, temp_path_for


@dataclass
class Built:
    """A document body ready to issue; ``slot`` is None for forms without a code (blanko)."""

    kind: str
    doc: Any
    slot: VerificationSlot | None
    nomor: str = ""
    summary: dict[str, int] = field(default_factory=dict)


def issue(
    built: Built,
    ctx: DocContext,
    out: Path,
    *,
    passphrase: str | None = None,
    origin: str | None = None,
) -> Record | None:
    """Write ``built`` to ``out`` with its verification code; returns the signed record.

    ``origin`` names what issued a document that comes from no forum (an office letter,
    whose context only stands in for one): see :func:`register_issue`.
    """
    record = None
    if built.slot is not None:
        canon = canonical_of_document(built.doc)
        record = Record(
            kind=built.kind,
            status=ctx.status,
            wilayah=ctx.region.code,
            wilayah_nama=ctx.wilayah_nama,
            tahun=ctx.tahun,
            nomor=built.nomor,
            tanggal=ctx.tanggal_iso,
            summary=built.summary,
            digest=canon.digest,
            key_id=keys.ensure_key(),
            scheme=canon.scheme,  # body, headers and footers (exports.canonical)
        )
        record = sign(record, passphrase)
        built.slot.fill(record, record.qr_text(page_address()))
    save_docx(built.doc, out)
    if record is not None:
        register_issue(ctx, record, out, origin=origin)
    return record


def save_docx(doc: Any, out: Path) -> None:
    """Save whole or not at all: a half-written .docx must never replace a good one."""
    tmp = temp_path_for(out)
    try:
        doc.save(str(tmp))
        replace(tmp, out)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def forum_identity(forum: Any) -> str:
    """What ties documents to one forum in the office register."""
    meta = forum.meta
    return meta.get("forum_id") or str(Path(os.path.abspath(forum.path)))


def register_issue(
    ctx: DocContext, record: Record, out: Path, *, origin: str | None = None
) -> None:
    """Record the document in the forum's register (when writable) and the office's.

    A document with an ``origin`` has no forum: it goes into the office's register only,
    keyed by that origin instead of a forum, so issuing it again replaces only itself.
    """
    digest = record.digest.hex()
    replaced: set[str] = set()
    if origin is None:
        forum = ctx.forum
        if not forum.readonly:
            forum.signoff.register_document(
                record.doc_id, record.kind, record.nomor, record.tanggal, digest
            )
        documents = forum.signoff.documents()
        replaced = {d["doc_id"] for d in documents if d.get("status") == "diganti"}
        origin, made = forum_identity(forum), forum.clock()
    else:
        made = datetime.now()
    register.record_issue(
        {
            "doc_id": record.doc_id,
            "jenis": record.kind,
            "nomor": record.nomor,
            "tanggal": record.tanggal,
            "digest": digest,
            "forum": origin,
            "wilayah": record.wilayah,
            "tahun": record.tahun,
            "status_forum": record.status,
            "dibuat": made.isoformat(timespec="seconds"),
            "berkas": str(Path(os.path.abspath(out))),
        },
        superseded=replaced,
    )
