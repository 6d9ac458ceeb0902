"""Trusting desa bundles on purpose: one key per desa compared whole, replays judged from
the forum file (so a copied forum refuses them too), future dates, bounded zip members,
bundles recognised by content."""

from __future__ import annotations

import base64
import shutil
import zipfile
from datetime import datetime
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from exports import keys
from exports.bundle import BundleError, open_bundle, read_bundle, write_bundle
from store.forum import open_forum
from tests.forum_factory import StepClock
from tests.sop_helpers import SOOKO, desa_forum, kecamatan_forum, sign_desa, use_office
from tests.test_bundle import rewrite
from tests.verify_forgery import (
    with_comment,
    with_declared_size,
    with_duplicate_entry,
    with_gap,
    with_prefix,
)
from tui.cli.main import main

GEMEKAN = "35.16.13.2001"


def _bundle(monkeypatch, root: Path, office: str, name: str, clock: StepClock | None = None):
    """Gemekan's forum signed and bundled by office ``office`` (its own key)."""
    use_office(monkeypatch, root, office)
    folder = root / office
    folder.mkdir(exist_ok=True)
    forum_path = folder / "gemekan.musrenbang"
    if forum_path.exists():
        forum = open_forum(forum_path, clock=clock or StepClock())
    else:
        forum = desa_forum(forum_path, "Gemekan", clock=clock)
        sign_desa(forum)
    with forum:
        return write_bundle(forum, folder / name, documents=False)


def _kecamatan(monkeypatch, root: Path, office: str = "kecamatan") -> Path:
    use_office(monkeypatch, root, office)
    path = root / f"{office}.musrenbang"
    kecamatan_forum(path).close()
    return path


def _import(forum: Path, bundle: Path, *extra: str) -> int:
    return main(["import", str(forum), str(bundle), *extra])


def test_another_key_for_a_trusted_desa_is_refused_even_with_trust(tmp_path, monkeypatch, capsys):
    genuine = _bundle(monkeypatch, tmp_path, "desa-gemekan", "asli.zip")
    impostor = _bundle(monkeypatch, tmp_path, "penyusup", "palsu.zip")
    kec = _kecamatan(monkeypatch, tmp_path)
    assert _import(kec, genuine, "--trust") == 0
    with open_forum(kec, readonly=True) as forum:
        before = forum.proposals.all()
    capsys.readouterr()
    assert _import(kec, impostor, "--trust") == 1
    err = capsys.readouterr().err
    trusted, other = (open_bundle(b).fingerprint for b in (genuine, impostor))
    assert trusted in err and other in err and "--ganti" in err
    assert err.count("\n") == 1 and "Traceback" not in err
    with open_forum(kec, readonly=True) as forum:
        assert forum.proposals.all() == before
    assert [e.key_id for e in keys.trusted_keys()] == [trusted.replace(" ", "")]


def test_replacing_a_desa_key_is_deliberate(tmp_path, monkeypatch, capsys):
    use_office(monkeypatch, tmp_path, "kecamatan")
    old, new = (tmp_path / "lama.pem", tmp_path / "baru.pem")
    for path in (old, new):
        path.write_bytes(keys.public_pem(Ed25519PrivateKey.generate().public_key()))
    assert main(["keys", "trust", str(old), "--wilayah", GEMEKAN]) == 0
    capsys.readouterr()
    assert main(["keys", "trust", str(new), "--wilayah", GEMEKAN]) == 1
    err = capsys.readouterr().err
    old_id, new_id = (keys.key_id(keys.load_public_pem(p.read_bytes(), "x")) for p in (old, new))
    assert keys.format_key_id(old_id) in err and keys.format_key_id(new_id) in err
    assert [e.key_id for e in keys.trusted_keys()] == [old_id]
    assert main(["keys", "trust", str(new), "--wilayah", GEMEKAN, "--ganti"]) == 0
    assert [e.key_id for e in keys.trusted_keys()] == [new_id]
    assert main(["keys", "trust", str(new), "--wilayah", GEMEKAN]) == 0  # same key: no-op


def test_trust_compares_the_whole_key_not_its_id(tmp_path, monkeypatch):
    bundle = _bundle(monkeypatch, tmp_path, "desa-gemekan", "asli.zip")
    _kecamatan(monkeypatch, tmp_path)
    signer = read_bundle(bundle, trust=True, expected_kecamatan=SOOKO)
    other = Ed25519PrivateKey.generate().public_key()
    office = keys.load_office_settings()
    office["trusted_keys"] = [  # an entry with the bundle's key id but another key
        {
            "wilayah": GEMEKAN,
            "key_id": signer.key_id,
            "public_key": base64.b64encode(keys.raw_public(other)).decode("ascii"),
            "ditambahkan": "2026-01-01T00:00:00",
        }
    ]
    keys.save_office_settings(office)
    with pytest.raises(BundleError) as caught:
        read_bundle(bundle, trust=True, expected_kecamatan=SOOKO)
    assert caught.value.exit_code == 1


def test_replay_of_an_older_bundle_is_refused_on_a_copied_forum(tmp_path, monkeypatch, capsys):
    clock = StepClock()
    older = _bundle(monkeypatch, tmp_path, "desa-gemekan", "lama.zip", clock)
    clock.tick(60)
    newer = _bundle(monkeypatch, tmp_path, "desa-gemekan", "baru.zip", clock)
    kec = _kecamatan(monkeypatch, tmp_path)
    assert _import(kec, newer, "--trust") == 0
    # Another laptop: a copy of the forum file, nothing trusted, no planning-year state.
    use_office(monkeypatch, tmp_path, "laptop-lain")
    copied = tmp_path / "salinan.musrenbang"
    shutil.copyfile(kec, copied)
    capsys.readouterr()
    assert _import(copied, older, "--trust") == 2
    err = capsys.readouterr().err
    assert "lebih lama" in err
    assert keys.trusted_keys() == []  # nothing recorded for a refused import
    impostor = _bundle(monkeypatch, tmp_path, "penyusup", "palsu.zip", clock)
    use_office(monkeypatch, tmp_path, "laptop-lain")
    assert _import(copied, impostor, "--trust") == 1
    assert "sebelumnya di forum ini ditandatangani kunci" in capsys.readouterr().err
    assert _import(copied, newer, "--trust") == 0  # the same bundle again is fine


def test_bundle_dated_in_the_future_is_refused(tmp_path, monkeypatch, capsys):
    future = _bundle(
        monkeypatch, tmp_path, "desa-gemekan", "masa-depan.zip", StepClock(datetime(2099, 1, 1))
    )
    kec = _kecamatan(monkeypatch, tmp_path)
    capsys.readouterr()
    assert _import(kec, future, "--trust") == 2
    assert "masa depan" in capsys.readouterr().err
    with open_forum(kec, readonly=True) as forum:
        assert forum.proposals.all() == []


def test_members_are_checked_by_name_and_size_before_inflating(tmp_path, monkeypatch):
    bundle = _bundle(monkeypatch, tmp_path, "desa-gemekan", "asli.zip")
    _kecamatan(monkeypatch, tmp_path)
    extra = rewrite(bundle, tmp_path / "tambah.zip", add={"catatan.txt": b"halo"})
    with pytest.raises(BundleError) as caught:
        read_bundle(extra, trust=True, expected_kecamatan=SOOKO)
    assert caught.value.exit_code == 1 and "catatan.txt" in caught.value.message
    huge = with_declared_size(bundle, tmp_path / "bom.zip", "bundle.json", 2 * 1024**3)
    with pytest.raises(BundleError) as caught:
        read_bundle(huge, trust=True, expected_kecamatan=SOOKO)
    assert caught.value.exit_code == 1 and "menyatakan ukuran" in caught.value.message
    fat_signature = rewrite(bundle, tmp_path / "sig.zip", replace={"signature": b"\0" * 4096})
    with pytest.raises(BundleError) as caught:
        read_bundle(fat_signature, trust=True, expected_kecamatan=SOOKO)
    assert "signature" in caught.value.message


def test_bundle_is_recognised_by_content_not_name(tmp_path, monkeypatch, capsys):
    bundle = _bundle(monkeypatch, tmp_path, "desa-gemekan", "asli.zip")
    kec = _kecamatan(monkeypatch, tmp_path)
    renamed = tmp_path / "japan.bundle"
    shutil.copyfile(bundle, renamed)
    assert _import(kec, renamed, "--trust") == 0
    assert "japan.bundle" in capsys.readouterr().out


def test_bundle_that_is_not_a_plain_zip_is_refused(tmp_path, monkeypatch):
    """Polyglots (text before the zip), glued zips, comments and duplicate members: the
    bundle must be one plain zip, checked before anything is inflated."""
    bundle = _bundle(monkeypatch, tmp_path, "desa-gemekan", "asli.zip")
    _kecamatan(monkeypatch, tmp_path)
    with zipfile.ZipFile(bundle) as zf:
        json_data = zf.read("bundle.json")
    forgeries = {
        "prefix": with_prefix(bundle, tmp_path / "rtf.zip", rb"{\rtf1 palsu}"),
        "glued": with_prefix(bundle, tmp_path / "dua.zip", bundle.read_bytes()),
        "comment": with_comment(bundle, tmp_path / "komentar.zip", b"palsu"),
        "gap": with_gap(bundle, tmp_path / "celah.zip", b"palsu"),
        "duplicate": with_duplicate_entry(bundle, tmp_path / "ganda.zip", "bundle.json", json_data),
    }
    for name, forged in forgeries.items():
        with pytest.raises(BundleError) as caught:
            read_bundle(forged, trust=True, expected_kecamatan=SOOKO)
        assert caught.value.exit_code == 1, (name, caught.value.message)
        assert "ditolak" in caught.value.message, (name, caught.value.message)
