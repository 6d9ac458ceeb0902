"""The office key pair in kunci/ and the keys trusted for other regions."""

from __future__ import annotations

import base64
import hashlib
import stat
import subprocess
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from exports import key_backup, key_rotation, keys
from exports.record import Record
from exports.verification import sign, verify_code
from tui.cli.main import main


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


# --------------------------------------------------------------------------- life cycle


def _signed_record() -> Record:
    record = Record(
        kind="notulen",
        status="final",
        wilayah="35.16.13",
        wilayah_nama="Sooko",
        tahun=2027,
        nomor="1",
        tanggal="2026-02-12",
        summary={"n": 3},
        digest=hashlib.sha256(b"x").digest(),
        key_id=keys.ensure_key(),
    )
    return sign(record)


def test_backup_and_restore_on_a_new_laptop(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, musrenbang_home: Path
):
    issued = _signed_record()
    kid = keys.key_id(keys.public_key())
    backup = tmp_path / "cadangan.kunci"
    assert key_backup.backup(backup, "sandi cadangan") == kid
    assert _mode(backup) == 0o600
    text = backup.read_text()
    assert "ENCRYPTED PRIVATE KEY" in text and keys.private_key_path().read_text() not in text
    monkeypatch.setenv("MUSRENBANG_HOME", str(tmp_path / "laptop-baru"))
    assert not keys.has_key()
    with pytest.raises(keys.PassphraseRequired, match="salah"):
        key_backup.restore(backup, "salah")
    assert not keys.has_key()
    assert key_backup.restore(backup, "sandi cadangan") == kid
    assert _mode(keys.private_key_path()) == 0o600 and keys.is_encrypted()
    assert verify_code(issued.code()).ok
    assert keys.key_id(keys.private_key("sandi cadangan").public_key()) == kid


def test_restore_refuses_to_replace_another_office_key(tmp_path: Path, monkeypatch):
    keys.ensure_key()
    backup = tmp_path / "cadangan.kunci"
    key_backup.backup(backup, "sandi")
    monkeypatch.setenv("MUSRENBANG_HOME", str(tmp_path / "lain"))
    keys.ensure_key()
    before = keys.private_key_path().read_bytes()
    with pytest.raises(keys.KeyProblem, match="tidak ditimpa"):
        key_backup.restore(backup, "sandi")
    assert keys.private_key_path().read_bytes() == before


@pytest.mark.parametrize(
    "content", [b"", b"bukan cadangan", b"musrenbang-cadangan-kunci 1\n", b"\xff\xfe" * 10]
)
def test_restore_of_a_wrong_file_says_so(tmp_path: Path, content: bytes):
    bad = tmp_path / "x.kunci"
    bad.write_bytes(content)
    with pytest.raises(keys.KeyProblem):
        key_backup.restore(bad, "sandi")
    assert not keys.has_key()


def test_rotation_retires_the_old_key_and_its_statement_moves_trust(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    old_doc = _signed_record()
    old_pem = tmp_path / "lama.pem"
    keys.export_public_key(old_pem)
    statement = tmp_path / "rotasi.json"
    old_kid, new_kid = key_rotation.rotate(statement)
    assert old_kid != new_kid and keys.key_id(keys.public_key()) == new_kid
    assert verify_code(old_doc.code()).ok  # the retired key still verifies what it signed
    assert "pensiun" in verify_code(old_doc.code()).key_note
    assert keys.key_id(keys.private_key().public_key()) == new_kid  # signs only with the new
    new_doc = _signed_record()
    new_pem = tmp_path / "baru.pem"
    keys.export_public_key(new_pem)

    # The kecamatan, on its own laptop, trusted the old key for this desa.
    monkeypatch.setenv("MUSRENBANG_HOME", str(tmp_path / "kecamatan"))
    keys.trust_key(old_pem, "35.16.13")
    assert not verify_code(new_doc.code()).ok
    data = statement.read_bytes()
    entries = key_rotation.trust_statement(statement, data)
    assert [(e.wilayah, e.key_id) for e in entries] == [("35.16.13", new_kid)]
    assert verify_code(new_doc.code()).ok and verify_code(old_doc.code()).ok
    assert [t.pensiun for t in keys.trusted_keys()] == [True, False]


def test_forged_or_untrusted_rotation_statement_is_refused(tmp_path: Path, monkeypatch):
    keys.ensure_key()
    old_pem = tmp_path / "lama.pem"
    keys.export_public_key(old_pem)
    statement = tmp_path / "rotasi.json"
    key_rotation.rotate(statement)
    monkeypatch.setenv("MUSRENBANG_HOME", str(tmp_path / "kecamatan"))
    with pytest.raises(keys.KeyProblem, match="tidak dipercaya di sini"):
        key_rotation.trust_statement(statement, statement.read_bytes())
    keys.trust_key(old_pem, "35.16.13")
    attacker = Ed25519PrivateKey.generate().public_key()
    forged = statement.read_bytes().replace(
        orjson_value(statement, "kunci_baru"),
        base64.b64encode(attacker.public_bytes_raw()),
    )
    with pytest.raises(key_rotation.StatementForged):
        key_rotation.trust_statement(statement, forged)
    assert [t.key_id for t in keys.trusted_keys()] == [
        keys.key_id(keys.load_public_pem(old_pem.read_bytes(), "x"))
    ]


def orjson_value(path: Path, name: str) -> bytes:
    import orjson

    return orjson.loads(path.read_bytes())[name].encode("ascii")


def test_windows_private_key_is_restricted_with_icacls(monkeypatch: pytest.MonkeyPatch):
    calls = []

    class Done:
        returncode = 0

    monkeypatch.setattr(keys, "is_windows", lambda: True)
    monkeypatch.setenv("USERNAME", "operator")
    monkeypatch.setattr(subprocess, "run", lambda cmd, **kw: calls.append(cmd) or Done())
    keys.init_keys()
    assert len(calls) == 1
    assert calls[0][0] == "icacls" and calls[0][2:] == [
        "/inheritance:r",
        "/grant:r",
        "operator:F",
    ]


def test_keys_show_without_own_key_lists_trusted(tmp_path: Path, capsys):
    other = Ed25519PrivateKey.generate().public_key()
    pem = tmp_path / "desa.pem"
    pem.write_bytes(keys.public_pem(other))
    assert main(["keys", "trust", str(pem), "--wilayah", "35.16.13.2009"]) == 0
    capsys.readouterr()
    assert main(["keys", "show"]) == 0
    out = capsys.readouterr().out
    assert "belum dibuat" in out and keys.format_key_id(keys.key_id(other)) in out
    assert not keys.has_key()


def test_keys_trust_refuses_a_region_that_does_not_exist(tmp_path: Path, capsys):
    pem = tmp_path / "desa.pem"
    pem.write_bytes(keys.public_pem(Ed25519PrivateKey.generate().public_key()))
    assert main(["keys", "trust", str(pem), "--wilayah", "99.99"]) == 2
    err = capsys.readouterr().err
    assert "99.99" in err and err.count("\n") == 1 and "Traceback" not in err
    assert keys.trusted_keys() == []


def test_a_retired_key_cannot_rotate_trust_a_second_time(tmp_path: Path, monkeypatch):
    """A thief of the old private key, after the honest rotation, cannot redirect trust."""
    keys.ensure_key()
    old_private = keys.private_key()
    old_pem = tmp_path / "lama.pem"
    keys.export_public_key(old_pem)
    honest = tmp_path / "rotasi.json"
    key_rotation.rotate(honest)
    thief_key = Ed25519PrivateKey.generate()
    theft = key_rotation.RotationStatement(
        old=old_private.public_key().public_bytes_raw(),
        new=thief_key.public_key().public_bytes_raw(),
        wilayah="35.16.13",
        tanggal="2027-06-01T00:00:00",
    )
    theft = key_rotation.RotationStatement(
        **{**theft.__dict__, "signature": old_private.sign(theft.signed_bytes())}
    )
    monkeypatch.setenv("MUSRENBANG_HOME", str(tmp_path / "kecamatan"))
    keys.trust_key(old_pem, "35.16.13")
    key_rotation.trust_statement(honest, honest.read_bytes())
    with pytest.raises(keys.KeyProblem, match="sudah diganti sebelumnya"):
        key_rotation.trust_statement(honest, theft.to_json())
    assert keys.key_id(thief_key.public_key()) not in {t.key_id for t in keys.trusted_keys()}


@pytest.mark.parametrize("name", ["/dev/zero", "besar.pem"])
def test_key_files_are_read_bounded(tmp_path: Path, capsys, monkeypatch, name: str):
    monkeypatch.setenv(keys.PASSPHRASE_ENV, "sandi")
    path = Path(name) if name.startswith("/") else tmp_path / name
    if not name.startswith("/"):
        path.write_bytes(b"-----BEGIN PUBLIC KEY-----\n" + b"A" * 200_000)
    for argv in (
        ["keys", "trust", str(path), "--wilayah", "35.16.13"],
        ["keys", "restore", str(path)],
    ):
        assert main(argv) == 2
        assert "terlalu besar" in capsys.readouterr().err
