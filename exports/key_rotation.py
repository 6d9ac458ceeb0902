"""Replacing the office key on purpose: ``keys rotate`` and the rotation statement.

The new key signs from now on; the old public key stays in ``kunci/pensiun/`` so documents it
signed keep verifying, and its private key is deleted (it signs nothing new). The statement,
signed by the old key, names the new one, so a kecamatan that trusts the old key can trust the
new one (``keys trust STATEMENT``) without comparing a new fingerprint on paper.

Statement file (UTF-8 JSON)::

    {"jenis": "pergantian-kunci-musrenbang", "versi": 1, "kunci_lama": b64 raw key,
     "kunci_baru": b64 raw key, "wilayah": "35.16.13", "tanggal": "2027-01-05T10:00:00",
     "tanda_tangan": b64 Ed25519 signature by the old key over signed_bytes()}
"""

from __future__ import annotations

import base64
import binascii
import os
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import orjson
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from exports import keys
from exports.oserrors import reason

KIND = "pergantian-kunci-musrenbang"
MAX_STATEMENT_BYTES = 4096
_TAG = b"musrenbang-pergantian-kunci/1\n"


@dataclass(frozen=True)
class RotationStatement:
    old: bytes  # raw 32-byte public keys
    new: bytes
    wilayah: str
    tanggal: str
    signature: bytes = b""

    def signed_bytes(self) -> bytes:
        return _TAG + b"\n".join(
            [self.old, self.new, self.wilayah.encode("utf-8"), self.tanggal.encode("utf-8")]
        )

    def to_json(self) -> bytes:
        return orjson.dumps(
            {
                "jenis": KIND,
                "versi": 1,
                "kunci_lama": base64.b64encode(self.old).decode("ascii"),
                "kunci_baru": base64.b64encode(self.new).decode("ascii"),
                "wilayah": self.wilayah,
                "tanggal": self.tanggal,
                "tanda_tangan": base64.b64encode(self.signature).decode("ascii"),
            },
            option=orjson.OPT_INDENT_2,
        )

    def is_signed_by_old(self) -> bool:
        old = Ed25519PublicKey.from_public_bytes(self.old)
        return keys.verify_signature(old, self.signature, self.signed_bytes())


def looks_like_statement(data: bytes) -> bool:
    """Whether a file handed to ``keys trust`` is a statement rather than a PEM key."""
    return data.lstrip().startswith(b"{")


def parse_statement(data: bytes, where: str) -> RotationStatement:
    """The statement in ``data``; KeyProblem naming ``where`` when it is not one."""
    bad = keys.KeyProblem(f"{where} bukan pernyataan pergantian kunci musrenbang yang utuh.")
    if len(data) > MAX_STATEMENT_BYTES:
        raise bad
    try:
        raw = orjson.loads(data)
        if not isinstance(raw, dict) or raw.get("jenis") != KIND or raw.get("versi") != 1:
            raise bad
        old, new, signature = (
            base64.b64decode(raw[name], validate=True)
            for name in ("kunci_lama", "kunci_baru", "tanda_tangan")
        )
        statement = RotationStatement(old, new, str(raw["wilayah"]), str(raw["tanggal"]), signature)
    except (orjson.JSONDecodeError, KeyError, TypeError, binascii.Error) as exc:
        raise bad from exc
    if len(old) != 32 or len(new) != 32 or len(signature) != 64 or old == new:
        raise bad
    return statement


def rotate(out: Path, passphrase: str | None = None, *, now: datetime | None = None) -> tuple:
    """Make a new office key, retire the old one, write the statement to ``out``.

    Returns (old key id, new key id). The new private key is protected like the old one
    (same passphrase). Order: statement and retired copy first, then the new pair replaces
    the old, so a crash leaves either the old key working or the new one with its statement.
    """
    old_private = keys.private_key(passphrase)
    old_public = old_private.public_key()
    new_private = Ed25519PrivateKey.generate()
    statement = RotationStatement(
        old=keys.raw_public(old_public),
        new=keys.raw_public(new_private.public_key()),
        wilayah=_office_region(),
        tanggal=(now or datetime.now()).isoformat(timespec="seconds"),
    )
    statement = RotationStatement(
        **{**statement.__dict__, "signature": old_private.sign(statement.signed_bytes())}
    )
    try:
        out.write_bytes(statement.to_json())
    except OSError as exc:
        raise keys.KeyProblem(f"Tidak dapat menulis {out}: {reason(exc)}.") from exc
    keys.retire_public_key(old_public)
    secret = (passphrase or os.environ.get(keys.PASSPHRASE_ENV)) if keys.is_encrypted() else None
    keys.install_key_pair(keys.private_pem(new_private, secret), new_private.public_key())
    return keys.key_id(old_public), keys.key_id(new_private.public_key())


def trust_statement(source: Path, data: bytes) -> list[keys.TrustedKey]:
    """Trust the statement's new key for every region the old key is trusted for.

    The old entries stay, marked retired, so documents the old key signed keep verifying.
    KeyProblem when the old key is trusted nowhere here or the signature is not the old key's.
    """
    statement = parse_statement(data, str(source))
    old_b64 = base64.b64encode(statement.old).decode("ascii")
    office = keys.load_office_settings()
    matching = [e for e in office.get("trusted_keys") or [] if e.get("public_key") == old_b64]
    entries = [e for e in matching if not e.get("pensiun")]
    if matching and not entries:
        raise keys.KeyProblem(
            f"Kunci lama dalam {source} sudah diganti sebelumnya: pernyataan kedua dari kunci "
            "yang sudah pensiun tidak diterima (bisa jadi kunci itu dicuri)."
        )
    if not entries:
        raise keys.KeyProblem(
            f"Kunci lama dalam {source} tidak dipercaya di sini: percayai kunci baru dengan "
            "`keys trust FILE.pem --wilayah KODE` setelah mencocokkan sidik jarinya."
        )
    if not statement.is_signed_by_old():
        raise StatementForged(
            f"Pernyataan {source} tidak ditandatangani oleh kunci lama: tidak diterima."
        )
    for entry in entries:
        entry["pensiun"] = True
    keys.save_office_settings(office)
    new = Ed25519PublicKey.from_public_bytes(statement.new)
    return [keys.add_trusted(new, e["wilayah"]) for e in entries]


class StatementForged(keys.KeyProblem):
    """The statement's signature is not the old key's (a failed check: exit 1)."""


def _office_region() -> str:
    value = keys.load_office_settings().get("wilayah_kode") or ""
    return value if isinstance(value, str) else ""
