"""What the Ekspor & Tanda tangan checklist shows: each SOP document's state and file, and
who has signed. Pure functions over the forum and the issued-documents registers, so the
rules (when is a document "final", "ditandatangani", "diganti") are tested without an app.

A document's state comes from its latest issue: never issued is ``belum``; issued while the
forum was a draft is ``draf`` (its pages say DRAF: issue it again once final); issued from a
final forum is ``final``, and ``ditandatangani`` once every required role has signed; a
document an amendment replaced (or issued before the latest amendment, so its content is
out of date) is ``diganti`` until it is issued again.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from types import ModuleType
from typing import Any

from store.formatting import format_clock, format_nip
from store.forum import Forum
from store.office import ROLES
from store.signoff import PARAF_ROLES

# The six SOP outputs, in the order they leave the room (same kinds as `export --doc`).
DOC_TITLES: dict[str, str] = {
    "berita-acara": "Berita Acara",
    "daftar-hadir": "Daftar Hadir",
    "notulen": "Notulen",
    "rekap": "Rekapitulasi Usulan",
    "surat-pengantar": "Surat Pengantar",
    "surat-mandat": "Surat Mandat",
}
TABLE_KINDS = ("daftar-hadir", "notulen", "rekap")
STATE_STYLES = {
    "belum": "dim",
    "draf": "yellow",
    "final": "bold",
    "ditandatangani": "bold green",
    "diganti": "red",
}


def exports_module(name: str) -> ModuleType | None:
    """``exports.<name>`` if the exports package provides it yet, else None (the pane then
    says "belum tersedia" instead of failing)."""
    try:
        return importlib.import_module(f"exports.{name}")
    except ImportError:
        return None


def short_code(doc_id: str) -> str:
    """The readable code printed under a document's QR: ``ID 7F3K2-Q9XAM``."""
    return f"ID {doc_id[:5]}-{doc_id[5:]}" if doc_id else ""


def default_folder(forum: Forum) -> Path:
    """``<forum dir>/<forum stem>-dokumen/``: documents stay beside the forum they are of."""
    return forum.path.parent / f"{forum.path.stem}-dokumen"


@dataclass(frozen=True)
class DocRow:
    kind: str
    title: str
    state: str
    code: str
    path: str


def office_entries(forum: Forum) -> list[dict[str, Any]]:
    """This forum's issues in the office register (it knows each file's path), oldest first."""
    register = exports_module("register")
    issuing = exports_module("issuing")
    if register is None or issuing is None:
        return []
    identity = issuing.forum_identity(forum)
    return [e for e in register.entries() if e.get("forum") == identity]


def document_rows(forum: Forum, entries: list[dict[str, Any]]) -> list[DocRow]:
    """One row per SOP document, from the forum's register and the office ``entries``."""
    replaced = {d["doc_id"] for d in forum.signoff.documents() if d.get("status") == "diganti"}
    amended = max((a.get("waktu", "") for a in forum.amendments()), default="")
    signed = forum.status == "ditandatangani"
    rows = []
    for kind, title in DOC_TITLES.items():
        issues = [e for e in entries if e.get("jenis") == kind]
        if not issues:
            rows.append(DocRow(kind, title, "belum", "", ""))
            continue
        current = [e for e in issues if e.get("status") == "berlaku"]
        latest = (current or issues)[-1]
        if (
            latest["doc_id"] in replaced
            or latest.get("status") == "diganti"
            or latest.get("dibuat", "") < amended  # issued before the latest amendment
        ):
            state = "diganti"
        elif latest.get("status_forum") == "draf":
            state = "draf"
        else:
            state = "ditandatangani" if signed else "final"
        rows.append(
            DocRow(kind, title, state, short_code(latest["doc_id"]), latest.get("berkas", ""))
        )
    return rows


@dataclass(frozen=True)
class SignRow:
    role: str
    title: str
    jenis: str
    required: bool
    nama: str
    nip: str
    waktu: str


def signature_rows(forum: Forum) -> list[SignRow]:
    """The required roles in signing order, then any optional role that signed."""
    by_role = {s["peran"]: s for s in forum.signoff.signatures()}
    required = forum.signoff.required_roles()
    roles = [*required, *(r for r in by_role if r not in required)]
    rows = []
    for role in roles:
        sig = by_role.get(role, {})
        waktu = format_clock(datetime.fromisoformat(sig["waktu"])) if sig.get("waktu") else ""
        rows.append(
            SignRow(
                role=role,
                title=ROLES.get(role, role),
                jenis="paraf" if role in PARAF_ROLES else "ttd",
                required=role in required,
                nama=sig.get("nama", ""),
                nip=format_nip(sig.get("nip", "")),
                waktu=waktu,
            )
        )
    return rows


def next_role(forum: Forum) -> str:
    """The role that signs next: the first required one missing (SOP order), else the first
    optional one missing."""
    missing = forum.signoff.unsigned_roles()
    return missing[0] if missing else ""
