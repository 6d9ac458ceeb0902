"""The office's Ed25519 key pair and the keys it trusts.

The private key lives only in ``$MUSRENBANG_HOME/kunci/`` (mode 0600, optionally encrypted with
a passphrase); nothing in this module writes it anywhere else. Documents and bundles carry the
key id (first 16 hex digits of the SHA-256 of the raw public key) so a verifier can pick the
right public key: this office's own, or one trusted for a region with ``keys trust``.
"""

from __future__ import annotations

import base64
import hashlib
import os
import tempfile
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from exports.oserrors import reason
from store import paths

PRIVATE_FILE = "kantor.key"
PUBLIC_FILE = "kantor.pub"
PASSPHRASE_ENV = "MUSRENBANG_PASSPHRASE"
# DER prefix of an Ed25519 SubjectPublicKeyInfo (RFC 8410): the 32 key bytes follow it.
_ED25519_SPKI_PREFIX = bytes.fromhex("302a300506032b6570032100")


class KeyProblem(Exception):
    """A key problem the user can act on; the message is Indonesian and names the file."""


class NoKey(KeyProblem):
    """This office has no key pair yet."""


class PassphraseRequired(KeyProblem):
    """The private key is encrypted and no (or a wrong) passphrase was given."""


def keys_dir() -> Path:
    """The key folder as a path only; ``_write_atomic`` makes it when a key is written."""
    return paths.keys_dir(create=False)


def private_key_path() -> Path:
    return keys_dir() / PRIVATE_FILE


def public_key_path() -> Path:
    return keys_dir() / PUBLIC_FILE


def has_key() -> bool:
    return private_key_path().exists() and public_key_path().exists()


# --------------------------------------------------------------------------- own key pair


def init_keys(passphrase: str | None = None) -> str:
    """Create this office's key pair; returns its key id. Refuses to replace an existing one.

    Replacing the key would make every document already issued unverifiable here, so the
    user has to remove the old files deliberately.
    """
    from cryptography.hazmat.primitives import serialization

    if private_key_path().exists():
        raise KeyProblem(f"Kunci kantor sudah ada di {private_key_path()}; tidak ditimpa.")
    key = Ed25519PrivateKey.generate()
    encryption = (
        serialization.BestAvailableEncryption(passphrase.encode("utf-8"))
        if passphrase
        else serialization.NoEncryption()
    )
    private_pem = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, encryption
    )
    _write_atomic(private_key_path(), private_pem, mode=0o600)
    _write_atomic(public_key_path(), public_pem(key.public_key()), mode=0o644)
    return key_id(key.public_key())


def public_key() -> Ed25519PublicKey:
    """This office's public key (raises :class:`NoKey` when none was made)."""
    path = public_key_path()
    if not path.exists():
        raise NoKey("Kunci kantor belum dibuat: jalankan `musrenbang keys init`.")
    return load_public_pem(path.read_bytes(), str(path))


def private_key(passphrase: str | None = None) -> Ed25519PrivateKey:
    """This office's private key, decrypted with ``passphrase`` (or ``$MUSRENBANG_PASSPHRASE``)."""
    from cryptography.hazmat.primitives import serialization

    path = private_key_path()
    if not path.exists():
        raise NoKey("Kunci kantor belum dibuat: jalankan `musrenbang keys init`.")
    if passphrase is None:
        passphrase = os.environ.get(PASSPHRASE_ENV) or None
    data = path.read_bytes()
    try:
        key = serialization.load_pem_private_key(
            data, passphrase.encode("utf-8") if passphrase else None
        )
    except TypeError as exc:  # encrypted but no passphrase, or a passphrase for a plain key
        if passphrase:
            key = serialization.load_pem_private_key(data, None)
        else:
            raise PassphraseRequired(
                f"Kunci kantor {path} dilindungi frasa sandi: isi {PASSPHRASE_ENV}."
            ) from exc
    except ValueError as exc:
        raise PassphraseRequired(f"Frasa sandi kunci kantor {path} salah.") from exc
    if not isinstance(key, Ed25519PrivateKey):
        raise KeyProblem(f"{path} bukan kunci Ed25519.")
    return key


def is_encrypted() -> bool:
    """Whether the private key needs a passphrase (the CLI asks only then)."""
    return b"ENCRYPTED" in private_key_path().read_bytes()


def ensure_key() -> str:
    """The key id, making an unencrypted key pair first if the office has none.

    Exporting a document must not fail on a fresh laptop; an office that wants a passphrase
    runs ``keys init --passphrase`` before its first export.
    """
    if has_key():
        return key_id(public_key())
    return init_keys(None)


# --------------------------------------------------------------------------- ids and files


def raw_public(key: Ed25519PublicKey) -> bytes:
    return key.public_bytes_raw()


def key_id(key: Ed25519PublicKey) -> str:
    """Short fingerprint: the first 16 hex digits of SHA-256 over the raw public key."""
    return hashlib.sha256(raw_public(key)).hexdigest()[:16].upper()


def format_key_id(kid: str) -> str:
    """``3F2A9C0177BE4D10`` -> ``3F2A 9C01 77BE 4D10`` for reading aloud and comparing on paper."""
    return " ".join(kid[i : i + 4] for i in range(0, len(kid), 4))


def public_pem(key: Ed25519PublicKey) -> bytes:
    from cryptography.hazmat.primitives import serialization

    return key.public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )


def load_public_pem(data: bytes, where: str) -> Ed25519PublicKey:
    """A PEM public key; an Ed25519 one is read directly (``verify`` must start fast and
    cryptography's serialization package costs a noticeable part of that)."""
    body = b"".join(line for line in data.split() if not line.startswith(b"-----"))
    try:
        der = base64.b64decode(body, validate=True)
    except ValueError:
        der = b""
    if len(der) == 44 and der.startswith(_ED25519_SPKI_PREFIX):
        return Ed25519PublicKey.from_public_bytes(der[len(_ED25519_SPKI_PREFIX) :])
    from cryptography.hazmat.primitives import serialization

    try:
        key = serialization.load_pem_public_key(data)
    except ValueError as exc:
        raise KeyProblem(f"{where} bukan berkas kunci publik (PEM).") from exc
    if not isinstance(key, Ed25519PublicKey):
        raise KeyProblem(f"{where} bukan kunci publik Ed25519.")
    return key


def export_public_key(target: Path) -> str:
    """Write this office's public key (PEM) to ``target``; returns the key id to print."""
    key = public_key()
    try:
        target.write_bytes(public_pem(key))
    except OSError as exc:
        raise KeyProblem(f"Tidak dapat menulis {target}: {reason(exc)}.") from exc
    return key_id(key)


def verify_signature(key: Ed25519PublicKey, signature: bytes, message: bytes) -> bool:
    try:
        key.verify(signature, message)
    except InvalidSignature:
        return False
    return True


def _write_atomic(path: Path, data: bytes, *, mode: int) -> None:
    """Write a key file whole, created with ``mode`` from the start (never briefly readable)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
    try:
        os.chmod(tmp, mode)
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


# --------------------------------------------------------------------------- trusted keys


@dataclass(frozen=True)
class TrustedKey:
    """Another office's public key, trusted for one region code (and the regions under it)."""

    wilayah: str
    key_id: str
    public_key: str  # base64 of the raw 32 bytes
    ditambahkan: str

    def key(self) -> Ed25519PublicKey:
        return Ed25519PublicKey.from_public_bytes(base64.b64decode(self.public_key))

    def covers(self, wilayah: str) -> bool:
        return wilayah == self.wilayah or wilayah.startswith(self.wilayah + ".")


def trusted_keys() -> list[TrustedKey]:
    """The keys this office trusts, from ``kantor.json``."""
    entries = _load_office().get("trusted_keys") or []
    return [TrustedKey(**{f: e[f] for f in TrustedKey.__dataclass_fields__}) for e in entries]


def trust_key(source: Path, wilayah: str, *, now: datetime | None = None) -> TrustedKey:
    """Trust the public key in ``source`` (PEM) for region ``wilayah``; returns the entry.

    Trusting the same key for the same region again changes nothing.
    """
    try:
        data = source.read_bytes()
    except OSError as exc:
        raise KeyProblem(f"Tidak dapat membaca {source}: {reason(exc)}.") from exc
    key = load_public_pem(data, str(source))
    entry = TrustedKey(
        wilayah=wilayah,
        key_id=key_id(key),
        public_key=base64.b64encode(raw_public(key)).decode("ascii"),
        ditambahkan=(now or datetime.now()).isoformat(timespec="seconds"),
    )
    office = _load_office()
    entries = office.setdefault("trusted_keys", [])
    if any(e.get("key_id") == entry.key_id and e.get("wilayah") == wilayah for e in entries):
        return entry
    entries.append(entry.__dict__.copy())
    _save_office(office)
    return entry


def known_key(kid: str, wilayah: str) -> tuple[Ed25519PublicKey, str] | None:
    """The public key with id ``kid`` if this office may accept it for ``wilayah``.

    Returns the key and a description of why it is known (own key or trusted for a region),
    or None. The own key is accepted for any region: this office issued the document.
    """
    if has_key():
        own = public_key()
        if key_id(own) == kid:
            return own, "kunci kantor ini"
    for entry in trusted_keys():
        if entry.key_id == kid and entry.covers(wilayah):
            return entry.key(), f"kunci dipercaya untuk wilayah {entry.wilayah}"
    return None


def _load_office() -> dict:
    from store.office import load_office

    try:
        return load_office()
    except ValueError as exc:  # orjson.JSONDecodeError is a ValueError
        raise KeyProblem(f"Berkas kantor {paths.office_file()} tidak dapat dibaca.") from exc


def _save_office(office: dict) -> None:
    from store.office import save_office

    save_office(office)
