"""``keys page OUT.html``: the office's verify page, one self-contained file.

Everything is inlined: the template, its style, the verifier script, the vendored tweetnacl
(Ed25519 for browsers without WebCrypto Ed25519) and the data (office keys, retired keys,
trusted keys with their regions, optionally the issued-documents register). The page's
Content-Security-Policy allows nothing but those inline blocks, named by their SHA-256, so the
page can make no network request whatever it is fed. Data shape (JSON inside the page)::

    {"kantor": {"nama": str, "wilayah": str}, "dibuat": "YYYY-MM-DD",
     "kunci": [{"kid": 16 hex, "pub": base64 raw 32 bytes, "peran": "kantor"|"pensiun"|
               "dipercaya", "wilayah": region code or "" (own keys: any region),
               "pensiun": bool}],
     "jenis": [[record kind code, kind, title]...] (index = compact kind index),
     "ringkasan": [[key, label, is rupiah]...], "kantor_surat": [kind...],
     "daftar": {digest hex: {"id": doc id, "status": "berlaku"|"diganti",
                "diganti_oleh": doc id or null}} or null}
"""

from __future__ import annotations

import base64
import hashlib
import json
from datetime import date
from importlib import resources
from pathlib import Path
from typing import Any

from exports import keys, register
from exports.oserrors import reason
from exports.record import KIND_ORDER, KINDS, OFFICE_LETTERS, SUMMARY_LABELS

_FILES = resources.files("exports.verify_page")
VENDORED_ED25519 = "vendor/nacl-fast.min.js"


def page_data(*, with_register: bool) -> dict[str, Any]:
    """What the page embeds (shape in the module docstring)."""
    office = keys.load_office_settings()
    entries: list[dict[str, Any]] = []
    if keys.has_key():
        entries.append(_key_entry(keys.public_key(), "kantor", "", False))
    entries += [_key_entry(old, "pensiun", "", True) for old in keys.retired_keys()]
    for trusted in keys.trusted_keys():
        entries.append(
            {
                "kid": trusted.key_id,
                "pub": trusted.public_key,
                "peran": "dipercaya",
                "wilayah": trusted.wilayah,
                "pensiun": trusted.pensiun,
            }
        )
    if not entries:
        raise keys.NoKey("Belum ada kunci kantor maupun kunci dipercaya: jalankan `keys init`.")
    return {
        "kantor": {
            "nama": str(office.get("nama") or ""),
            "wilayah": str(office.get("wilayah_kode") or ""),
        },
        "dibuat": date.today().isoformat(),
        "kunci": entries,
        "jenis": [[KINDS[kind][0], kind, KINDS[kind][1]] for kind in KIND_ORDER],
        "ringkasan": [[k, label, rupiah] for k, (label, rupiah) in SUMMARY_LABELS.items()],
        "kantor_surat": sorted(OFFICE_LETTERS),
        "daftar": _register() if with_register else None,
    }


def _key_entry(public: Any, role: str, wilayah: str, retired: bool) -> dict[str, Any]:
    raw = keys.raw_public(public)
    return {
        "kid": keys.key_id(public),
        "pub": base64.b64encode(raw).decode("ascii"),
        "peran": role,
        "wilayah": wilayah,
        "pensiun": retired,
    }


def _register() -> dict[str, dict[str, Any]]:
    """Only what the page needs: no file paths, no forum paths (they name the laptop)."""
    out = {}
    for entry in register.entries():
        digest = entry.get("digest")
        if isinstance(digest, str) and entry.get("doc_id"):
            out[digest] = {
                "id": entry["doc_id"],
                "status": entry.get("status") or "berlaku",
                "diganti_oleh": entry.get("diganti_oleh"),
            }
    return out


def _csp_hash(text: str) -> str:
    digest = hashlib.sha256(text.encode("utf-8")).digest()
    return "'sha256-" + base64.b64encode(digest).decode("ascii") + "'"


def build_page(data: dict[str, Any]) -> str:
    """The whole HTML text for ``data``."""
    style = _FILES.joinpath("style.css").read_text("utf-8")
    nacl = _FILES.joinpath(VENDORED_ED25519).read_text("utf-8")
    app = _FILES.joinpath("app.js").read_text("utf-8")
    blob = json.dumps(data, ensure_ascii=True, separators=(",", ":")).replace("</", "<\\/")
    csp = (
        "default-src 'none'; "
        f"script-src {_csp_hash(nacl)} {_csp_hash(app)}; "
        f"style-src {_csp_hash(style)}; "
        "img-src 'none'; connect-src 'none'; base-uri 'none'; form-action 'none'"
    )
    template = _FILES.joinpath("template.html").read_text("utf-8")
    parts = {"CSP": csp, "STYLE": style, "DATA": blob, "NACL": nacl, "APP": app}
    for name, value in parts.items():
        template = template.replace("{{" + name + "}}", value, 1)
    return template


def write_page(out: Path, *, with_register: bool) -> str:
    """Write the page to ``out``; returns a short Indonesian description of what it holds."""
    data = page_data(with_register=with_register)
    try:
        out.write_text(build_page(data), encoding="utf-8")
    except OSError as exc:
        raise keys.KeyProblem(f"Tidak dapat menulis {out}: {reason(exc)}.") from exc
    held = f"{len(data['kunci'])} kunci"
    if data["daftar"] is not None:
        held += f", {len(data['daftar'])} dokumen terbit"
    return held
