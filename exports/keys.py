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
RETIRED_DIR = "pensiun"  # kunci/pensiun/<key id>.pub: own keys replaced by `keys rotate`
PASSPHRASE_ENV = "MUSRENBANG_PASSPHRASE"
# DER prefix of an Ed25519 SubjectPublicKeyInfo (RFC 8410): the 32 key bytes follow it.
_ED25519_SPKI_PREFIX = bytes.fromhex("302a300506032b6570032100")


class KeyProblem(Exception):
    """A key problem the user can act on; the message is Indonesian and names the file."""


class NoKey(KeyProblem):
    """This office has no key pair yet."""


class KeyConflict(KeyProblem):
    """Another key is already trusted for that region (exit 1: refused, not bad input)."""


class PassphraseRequired(KeyProblem):
    """The private key is encrypted and no (or a wrong) passphrase was given."""


def keys_dir() -> Path:
    """The key folder as a path only; ``_write_atomic`` makes it when a key is written."""
    return paths.keys_dir(create=False)


def private_key_path() -> Path:
    return keys_dir() / PRIVATE_FILE


def public_key_path() -> Path:
    return keys_dir() / PUBLIC_FILE


def retired_dir() -> Path:
    return keys_dir() / RETIRED_DIR


def has_key() -> bool:
    return private_key_path().exists() and public_key_path().exists()


# --------------------------------------------------------------------------- own key pair


def init_keys(passphrase: str | None = None) -> str:
    """Create this office's key pair; returns its key id. Refuses to replace an existing one.

    Replacing the key would make every document already issued unverifiable here, so the
    user has to remove the old files deliberately.
    """
    if private_key_path().exists():
        raise KeyProblem(f"Kunci kantor sudah ada di {private_key_path()}; tidak ditimpa.")
    key = Ed25519PrivateKey.generate()
    install_key_pair(private_pem(key, passphrase), key.public_key())
    return key_id(key.public_key())


def private_pem(key: Ed25519PrivateKey, passphrase: str | None) -> bytes:
    """PKCS#8 PEM of ``key``, encrypted with ``passphrase`` when one is given."""
    from cryptography.hazmat.primitives import serialization

    encryption = (
        serialization.BestAvailableEncryption(passphrase.encode("utf-8"))
        if passphrase
        else serialization.NoEncryption()
    )
    return key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, encryption
    )


def write_private_file(path: Path, data: bytes) -> None:
    """Write secret material (a key or its backup) readable by this user only."""
    _write_atomic(path, data, mode=0o600, private=True)


def install_key_pair(private_pem: bytes, public: Ed25519PublicKey) -> None:
    """Write the office's key pair files (private one first: a public key without its private
    key would make ``has_key`` lie)."""
    write_private_file(private_key_path(), private_pem)
    _write_atomic(public_key_path(), public_pem(public), mode=0o644)


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


MAX_KEY_FILE_BYTES = 64 * 1024  # a PEM key, a statement or a backup is a few hundred bytes


def read_key_file(source: Path) -> bytes:
    """The bytes of a key, statement or backup file, refusing anything larger than any of
    them can be (``/dev/zero`` or a 4 GB file is never read whole)."""
    try:
        with source.open("rb") as handle:
            data = handle.read(MAX_KEY_FILE_BYTES + 1)
    except OSError as exc:
        raise KeyProblem(f"Tidak dapat membaca {source}: {reason(exc)}.") from exc
    if len(data) > MAX_KEY_FILE_BYTES:
        raise KeyProblem(f"{source} terlalu besar untuk berkas kunci.")
    return data


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


def _write_atomic(path: Path, data: bytes, *, mode: int, private: bool = False) -> None:
    """Write a key file whole, created with ``mode`` from the start (never briefly readable).

    On Windows ``chmod`` only toggles read-only, so a private key is restricted with icacls
    instead: inheritance removed, full control for the current user alone.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
    try:
        os.chmod(tmp, mode)
        if private and is_windows():
            restrict_on_windows(Path(tmp))
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def is_windows() -> bool:
    return os.name == "nt"


def restrict_on_windows(path: Path) -> None:
    """Only the signed-in user may read ``path`` (Windows ACL, through icacls)."""
    import subprocess  # Windows only: verify must start fast

    user = os.environ.get("USERNAME") or ""
    command = ["icacls", str(path), "/inheritance:r", "/grant:r", f"{user}:F"]
    try:
        done = subprocess.run(command, capture_output=True, check=False)
    except OSError as exc:
        raise KeyProblem(f"Tidak dapat membatasi akses {path}: {reason(exc)}.") from exc
    if done.returncode != 0 or not user:
        raise KeyProblem(f"Tidak dapat membatasi akses {path} dengan icacls.")


# --------------------------------------------------------------------------- retired own keys


def retire_public_key(public: Ed25519PublicKey) -> Path:
    """Keep an own key that signs nothing new but still verifies what it signed."""
    path = retired_dir() / f"{key_id(public)}.pub"
    _write_atomic(path, public_pem(public), mode=0o644)
    return path


def retired_keys() -> list[Ed25519PublicKey]:
    """This office's retired public keys, oldest file name first (unreadable files skipped)."""
    folder = retired_dir()
    if not folder.is_dir():
        return []
    found = []
    for path in sorted(folder.glob("*.pub")):
        try:
            found.append(load_public_pem(path.read_bytes(), str(path)))
        except (OSError, KeyProblem, ValueError):
            continue
    return found


# --------------------------------------------------------------------------- trusted keys


@dataclass(frozen=True)
class TrustedKey:
    """Another office's public key, trusted for one region code (and the regions under it)."""

    wilayah: str
    key_id: str
    public_key: str  # base64 of the raw 32 bytes
    ditambahkan: str
    pensiun: bool = False  # replaced by a rotation statement: verifies old documents only

    def key(self) -> Ed25519PublicKey:
        return Ed25519PublicKey.from_public_bytes(base64.b64decode(self.public_key))

    def covers(self, wilayah: str) -> bool:
        return wilayah == self.wilayah or wilayah.startswith(self.wilayah + ".")


def trusted_keys() -> list[TrustedKey]:
    """The keys this office trusts, from ``kantor.json``."""
    entries = load_office_settings().get("trusted_keys") or []
    fields = TrustedKey.__dataclass_fields__
    return [TrustedKey(**{f: e[f] for f in fields if f in e}) for e in entries]


def trust_key(
    source: Path, wilayah: str, *, now: datetime | None = None, replace: bool = False
) -> TrustedKey:
    """Trust the public key in ``source`` (PEM) for region ``wilayah``; returns the entry.

    A region has one trusted key at a time: trusting another key for a region that already
    has one is refused (KeyProblem naming both fingerprints) unless ``replace`` (``keys
    trust --ganti``), which drops the old one. Keys are compared whole, never by id only.
    Trusting the same key for the same region again changes nothing.
    """
    data = read_key_file(source)
    return add_trusted(load_public_pem(data, str(source)), wilayah, now=now, replace=replace)


def add_trusted(
    key: Ed25519PublicKey, wilayah: str, *, now: datetime | None = None, replace: bool = False
) -> TrustedKey:
    """Record ``key`` as THE trusted key for ``wilayah`` (nothing changes when it already is).

    Retired entries (``pensiun``, left by a rotation statement) stay beside it so documents
    the old key signed keep verifying; another active key is KeyConflict unless ``replace``,
    which drops the active one."""
    entry = TrustedKey(
        wilayah=wilayah,
        key_id=key_id(key),
        public_key=base64.b64encode(raw_public(key)).decode("ascii"),
        ditambahkan=(now or datetime.now()).isoformat(timespec="seconds"),
    )
    office = load_office_settings()
    entries = office.setdefault("trusted_keys", [])
    here = [e for e in entries if e.get("wilayah") == wilayah and not e.get("pensiun")]
    if any(e.get("public_key") == entry.public_key for e in here):
        return entry
    if here and not replace:
        raise KeyConflict(key_conflict(wilayah, here[0]["key_id"], entry.key_id))
    office["trusted_keys"] = [e for e in entries if e not in here]
    office["trusted_keys"].append(entry.__dict__.copy())
    save_office_settings(office)
    return entry


def key_conflict(wilayah: str, trusted_id: str, other_id: str) -> str:
    """The refusal when another key claims a region that already has one (both shown)."""
    return (
        f"Wilayah {wilayah} sudah mempercayai kunci {format_key_id(trusted_id)}, bukan kunci "
        f"{format_key_id(other_id)}. Mengganti kunci harus disengaja: `musrenbang keys trust "
        f"BERKAS --wilayah {wilayah} --ganti` setelah memastikan sidik kunci baru."
    )


def trusted_for_region(wilayah: str) -> TrustedKey | None:
    """The active key trusted for exactly this region, if any (one per region; retired
    keys only verify what they signed)."""
    return next((e for e in trusted_keys() if e.wilayah == wilayah and not e.pensiun), None)


def known_key(kid: str, wilayah: str) -> tuple[Ed25519PublicKey, str] | None:
    """The public key with id ``kid`` if this office may accept it for ``wilayah``.

    Returns the key and a description of why it is known (own key or trusted for a region),
    or None. The own key is accepted for any region: this office issued the document.
    """
    if has_key():
        own = public_key()
        if key_id(own) == kid:
            return own, "kunci kantor ini"
    for old in retired_keys():
        if key_id(old) == kid:
            return old, "kunci lama kantor ini (pensiun)"
    for entry in trusted_keys():
        if entry.key_id == kid and entry.covers(wilayah):
            retired = " (pensiun)" if entry.pensiun else ""
            return entry.key(), f"kunci dipercaya untuk wilayah {entry.wilayah}{retired}"
    return None


def load_office_settings() -> dict:
    from store.office import load_office

    try:
        return load_office()
    except ValueError as exc:  # orjson.JSONDecodeError is a ValueError
        raise KeyProblem(f"Berkas kantor {paths.office_file()} tidak dapat dibaca.") from exc


def save_office_settings(office: dict) -> None:
    from store.office import save_office

    save_office(office)
