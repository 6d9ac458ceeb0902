"""The office key pair in kunci/ and the keys trusted for other regions."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from exports import keys


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_init_makes_key_pair_with_private_key_mode_0600(musrenbang_home: Path):
    kid = keys.init_keys()
    private, public = keys.private_key_path(), keys.public_key_path()
    assert private.parent == musrenbang_home / "kunci"
    assert _mode(private) == 0o600
    assert _mode(public) == 0o644
    assert len(kid) == 16 and int(kid, 16) >= 0
    assert keys.key_id(keys.public_key()) == kid
    assert keys.key_id(keys.private_key().public_key()) == kid
    assert not keys.is_encrypted()


def test_key_id_is_first_16_hex_of_sha256_and_grouped_for_reading():
    kid = keys.init_keys()
    import hashlib

    raw = keys.public_key().public_bytes_raw()
    assert kid == hashlib.sha256(raw).hexdigest()[:16].upper()
    assert keys.format_key_id("3F2A9C0177BE4D10") == "3F2A 9C01 77BE 4D10"


def test_init_refuses_to_replace_an_existing_key():
    keys.init_keys()
    before = keys.private_key_path().read_bytes()
    with pytest.raises(keys.KeyProblem, match="sudah ada"):
        keys.init_keys("rahasia")
    assert keys.private_key_path().read_bytes() == before


def test_passphrase_protects_the_private_key(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.delenv(keys.PASSPHRASE_ENV, raising=False)
    kid = keys.init_keys("sandi rahasia kantor")
    assert keys.is_encrypted()
    assert _mode(keys.private_key_path()) == 0o600
    with pytest.raises(keys.PassphraseRequired, match=keys.PASSPHRASE_ENV):
        keys.private_key()
    with pytest.raises(keys.PassphraseRequired, match="salah"):
        keys.private_key("salah")
    assert keys.key_id(keys.private_key("sandi rahasia kantor").public_key()) == kid
    monkeypatch.setenv(keys.PASSPHRASE_ENV, "sandi rahasia kantor")
    assert keys.key_id(keys.private_key().public_key()) == kid


def test_missing_key_is_reported_and_ensure_key_makes_one():
    with pytest.raises(keys.NoKey, match="keys init"):
        keys.public_key()
    kid = keys.ensure_key()
    assert keys.has_key() and keys.ensure_key() == kid


def test_exported_public_key_is_standard_pem(tmp_path: Path):
    kid = keys.init_keys()
    target = tmp_path / "sooko.pem"
    assert keys.export_public_key(target) == kid
    loaded = serialization.load_pem_public_key(target.read_bytes())
    assert loaded.public_bytes_raw() == keys.public_key().public_bytes_raw()
    assert b"PRIVATE" not in target.read_bytes()


def test_private_key_is_written_nowhere_but_kunci(musrenbang_home: Path, tmp_path: Path):
    keys.init_keys()
    keys.export_public_key(tmp_path / "pub.pem")
    secret = keys.private_key().private_bytes_raw()
    pem = keys.private_key_path().read_bytes()
    for path in [*musrenbang_home.rglob("*"), *tmp_path.rglob("*")]:
        if path.is_file() and path != keys.private_key_path():
            data = path.read_bytes()
            assert secret not in data and pem not in data, path


def _foreign_pem(tmp_path: Path, name: str) -> tuple[Path, Ed25519PrivateKey]:
    key = Ed25519PrivateKey.generate()
    path = tmp_path / name
    path.write_bytes(keys.public_pem(key.public_key()))
    return path, key


def test_trust_records_key_for_region_once(tmp_path: Path, fixed_clock):
    pem, key = _foreign_pem(tmp_path, "japan.pem")
    entry = keys.trust_key(pem, "35.16.13.2009", now=fixed_clock())
    assert entry.key_id == keys.key_id(key.public_key())
    keys.trust_key(pem, "35.16.13.2009")
    trusted = keys.trusted_keys()
    assert len(trusted) == 1 and trusted[0].wilayah == "35.16.13.2009"
    assert trusted[0].ditambahkan == "2026-02-12T09:41:07"
    from store.office import load_office

    assert load_office()["trusted_keys"][0]["key_id"] == entry.key_id


def test_known_key_by_region_and_own_key(tmp_path: Path):
    own = keys.init_keys()
    pem, key = _foreign_pem(tmp_path, "sooko.pem")
    kid = keys.key_id(key.public_key())
    keys.trust_key(pem, "35.16.13")
    assert keys.known_key(own, "35.16.01")[1] == "kunci kantor ini"
    assert keys.known_key(kid, "35.16.13") is not None
    assert keys.known_key(kid, "35.16.13.2009") is not None  # a desa under the kecamatan
    assert keys.known_key(kid, "35.16.01") is None  # another kecamatan
    assert keys.known_key(kid, "35.16.130") is None  # not a child code
    assert keys.known_key("0000000000000000", "35.16.13") is None


def test_trust_refuses_a_file_that_is_not_a_public_key(tmp_path: Path):
    bad = tmp_path / "surat.txt"
    bad.write_text("bukan kunci")
    with pytest.raises(keys.KeyProblem, match="bukan berkas kunci publik"):
        keys.trust_key(bad, "35.16.13")
    with pytest.raises(keys.KeyProblem, match=r"Tidak dapat membaca .*tidak ditemukan"):
        keys.trust_key(tmp_path / "tidak-ada.pem", "35.16.13")
    assert keys.trusted_keys() == []


def test_fast_pem_reader_agrees_with_cryptography(tmp_path: Path):
    pem, key = _foreign_pem(tmp_path, "k.pem")
    fast = keys.load_public_pem(pem.read_bytes(), "k.pem")
    assert fast.public_bytes_raw() == key.public_key().public_bytes_raw()
