"""``keys backup`` / ``keys restore``: the office key carried to a new laptop.

Without a backup a stolen or broken laptop means a new key, and every office that trusts this
one must trust the new key again. The backup is the private key encrypted with a passphrase
(PKCS#8, scrypt or PBKDF2 and AES as the cryptography package chooses), plus the retired public
keys, so documents signed before a rotation keep verifying on the new laptop. File::

    musrenbang-cadangan-kunci 1
    sidik: 3F2A9C0177BE4D10
    pensiun: <base64 raw public key>      (one line per retired key)
    -----BEGIN ENCRYPTED PRIVATE KEY-----
    ...
"""

from __future__ import annotations

import base64
import binascii
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from exports import keys
from exports.oserrors import reason

HEADER = "musrenbang-cadangan-kunci 1"
_PEM_START = "-----BEGIN ENCRYPTED PRIVATE KEY-----"


def backup(target: Path, passphrase: str, current: str | None = None) -> str:
    """Write the encrypted backup to ``target``; returns the key id.

    ``current`` is the passphrase of the key on this laptop when it has one.
    """
    if not passphrase:
        raise keys.KeyProblem("Frasa sandi cadangan kosong: cadangan harus dilindungi.")
    private = keys.private_key(current)
    pem = keys.private_pem(private, passphrase).decode("ascii")
    kid = keys.key_id(private.public_key())
    lines = [HEADER, f"sidik: {kid}"]
    lines += [f"pensiun: {_b64(keys.raw_public(old))}" for old in keys.retired_keys()]
    try:
        keys.write_private_file(target, ("\n".join(lines) + "\n" + pem).encode("ascii"))
    except OSError as exc:
        raise keys.KeyProblem(f"Tidak dapat menulis {target}: {reason(exc)}.") from exc
    return kid


def restore(source: Path, passphrase: str, *, keep_passphrase: bool = True) -> str:
    """Install the key in the backup ``source`` as this office's key; returns its key id.

    Refuses when this laptop already has a different office key (replacing it would make the
    documents it signed unverifiable here). With ``keep_passphrase`` the key stays encrypted
    with the backup's passphrase on disk.
    """
    try:
        text = keys.read_key_file(source).decode("ascii")
    except UnicodeDecodeError as exc:
        raise keys.KeyProblem(f"{source} bukan cadangan kunci musrenbang.") from exc
    head, sep, pem = text.partition(_PEM_START)
    header_lines = head.strip().splitlines()
    if not sep or not header_lines or header_lines[0].strip() != HEADER:
        raise keys.KeyProblem(f"{source} bukan cadangan kunci musrenbang.")
    try:
        private = serialization.load_pem_private_key(
            (sep + pem).encode("ascii"), passphrase.encode("utf-8")
        )
    except (ValueError, TypeError) as exc:
        raise keys.PassphraseRequired(
            f"Frasa sandi cadangan {source} salah, atau berkasnya rusak."
        ) from exc
    if not isinstance(private, Ed25519PrivateKey):
        raise keys.KeyProblem(f"{source} tidak memuat kunci Ed25519.")
    kid = keys.key_id(private.public_key())
    if keys.has_key():
        if keys.key_id(keys.public_key()) == kid:
            return kid
        other = keys.format_key_id(keys.key_id(keys.public_key()))
        raise keys.KeyProblem(
            f"Laptop ini sudah punya kunci kantor lain ({other}) di {keys.keys_dir()}: "
            "tidak ditimpa."
        )
    for line in header_lines[1:]:
        name, _, value = line.partition(":")
        if name.strip() == "pensiun":
            keys.retire_public_key(_public_from_b64(value.strip(), source))
    secret = passphrase if keep_passphrase else None
    keys.install_key_pair(keys.private_pem(private, secret), private.public_key())
    return kid


def _b64(raw: bytes) -> str:
    return base64.b64encode(raw).decode("ascii")


def _public_from_b64(value: str, source: Path) -> Ed25519PublicKey:
    try:
        return Ed25519PublicKey.from_public_bytes(base64.b64decode(value, validate=True))
    except (binascii.Error, ValueError) as exc:
        raise keys.KeyProblem(f"{source}: baris kunci pensiun rusak.") from exc
