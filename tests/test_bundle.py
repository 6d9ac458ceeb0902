"""The signed bundle: what it holds, what it never holds, and every way reading refuses it."""

from __future__ import annotations

import zipfile
from pathlib import Path

import orjson
import pytest
from cryptography.hazmat.primitives.serialization import load_pem_public_key

from exports import keys
from exports.bundle import (
    BUNDLE_JSON,
    PUBKEY,
    SIGNATURE,
    BundleError,
    open_bundle,
    read_bundle,
    write_bundle,
)
from exports.verification import verify_docx
from tests.sop_helpers import JATIREJO, SOOKO, desa_forum, sign_desa, signed_bundle, use_office

NIK = "3516131203880004"
PHONE = "081234567890"


def rewrite(
    bundle: Path,
    target: Path,
    *,
    replace: dict[str, bytes] | None = None,
    drop: tuple[str, ...] = (),
    add: dict[str, bytes] | None = None,
) -> Path:
    """A copy of the bundle with members replaced, dropped or added (a tamperer's work)."""
    with zipfile.ZipFile(bundle) as src, zipfile.ZipFile(target, "w") as dst:
        for name in src.namelist():
            if name in drop:
                continue
            dst.writestr(name, (replace or {}).get(name, src.read(name)))
        for name, data in (add or {}).items():
            dst.writestr(name, data)
    return target


def test_bundle_holds_signed_json_pubkey_and_no_personal_data(tmp_path, monkeypatch) -> None:
    use_office(monkeypatch, tmp_path, "desa")
    with desa_forum(tmp_path / "gemekan.musrenbang", "Gemekan") as forum:
        person, _ = forum.participants.add(
            nama="Siti Aminah", jenis_kelamin="P", nik=NIK, telepon=PHONE, desa="Gemekan"
        )
        forum.participants.check_in(person)
        sign_desa(forum)
        path = write_bundle(forum, tmp_path, documents=False)
    assert path.name == "bundel-35.16.13.2001-2027.zip"
    with zipfile.ZipFile(path) as zf:
        assert set(zf.namelist()) == {BUNDLE_JSON, SIGNATURE, PUBKEY}
        data, signature, pem = (zf.read(n) for n in (BUNDLE_JSON, SIGNATURE, PUBKEY))
    # Any tool can check it: plain Ed25519 over the exact bytes, with the enclosed PEM key.
    load_pem_public_key(pem).verify(signature, data)
    payload = orjson.loads(data.decode("utf-8"))
    assert payload["forum"]["wilayah_kode"] == "35.16.13.2001"
    assert payload["status"] == "ditandatangani"
    assert [s["peran"] for s in payload["penandatangan"]] == [
        "kepala-desa",
        "ketua-bpd",
        "wakil-masyarakat",
    ]
    assert len(payload["usulan"]) == 4
    # Siti and the chair, whom make_ready puts on the attendance list (readiness needs them)
    assert payload["kehadiran"]["hadir"] == 2 and payload["kehadiran"]["perempuan"] == 2
    assert payload["kunci"] == keys.key_id(keys.public_key())
    assert NIK.encode() not in data and PHONE.encode() not in data
    # counts only, no participant list: a name appears only as the wakil masyarakat who signed
    signers = {s["nama"] for s in payload["penandatangan"]}
    assert data.count(b"Siti Aminah") == ("Siti Aminah" in signers)


def test_bundle_documents_are_listed_hashed_and_verify(tmp_path, monkeypatch) -> None:
    path = signed_bundle(monkeypatch, tmp_path, "Gemekan", documents=True)
    bundle = open_bundle(path)
    assert "berita-acara.docx" in bundle.documents and "rekap.docx" in bundle.documents
    out = tmp_path / "docs"
    with zipfile.ZipFile(path) as zf:
        zf.extractall(out, members=bundle.documents)
    for name in bundle.documents:  # still in the desa office: its own key verifies them
        result = verify_docx(out / name)
        assert result.ok, (name, result.reason)


@pytest.mark.parametrize(
    "change",
    [
        {"replace": {BUNDLE_JSON: b"edited"}},
        {"drop": (SIGNATURE,)},
        {"add": {"tambahan.docx": b"tidak ditandatangani"}},
    ],
    ids=["json-edited", "no-signature", "extra-file"],
)
def test_tampered_bundle_fails_verification(tmp_path, monkeypatch, change) -> None:
    path = signed_bundle(monkeypatch, tmp_path, "Gemekan")
    if "replace" in change:
        with zipfile.ZipFile(path) as zf:
            text = (
                zf.read(BUNDLE_JSON)
                .replace(b"45600000", b"95600000")
                .replace(b"513500000", b"913500000")
            )
        change = {"replace": {BUNDLE_JSON: text}}
    bad = rewrite(path, tmp_path / "bad.zip", **change)
    with pytest.raises(BundleError) as caught:
        read_bundle(bad, trust=True, expected_kecamatan=SOOKO)
    assert caught.value.exit_code == 1


def test_document_changed_after_signing_fails(tmp_path, monkeypatch) -> None:
    path = signed_bundle(monkeypatch, tmp_path, "Japan", documents=True)
    bad = rewrite(path, tmp_path / "bad.zip", replace={"notulen.docx": b"PK palsu"})
    with pytest.raises(BundleError) as caught:
        open_bundle(bad)
    assert caught.value.exit_code == 1
    assert "notulen.docx" in caught.value.message


def test_not_a_zip_is_bad_input(tmp_path) -> None:
    junk = tmp_path / "bukan.zip"
    junk.write_bytes(b"bukan zip")
    with pytest.raises(BundleError) as caught:
        read_bundle(junk, trust=True, expected_kecamatan=SOOKO)
    assert caught.value.exit_code == 2


def test_untrusted_key_fails_unless_trust_then_recorded_for_that_desa(tmp_path, monkeypatch):
    path = signed_bundle(monkeypatch, tmp_path, "Gemekan")
    use_office(monkeypatch, tmp_path, "kecamatan")
    with pytest.raises(BundleError) as caught:
        read_bundle(path, trust=False, expected_kecamatan=SOOKO)
    assert caught.value.exit_code == 1
    bundle = read_bundle(path, trust=True, expected_kecamatan=SOOKO)
    assert not bundle.trusted
    assert bundle.fingerprint in caught.value.message
    assert keys.trusted_keys() == []  # reading never records trust by itself
    bundle.record_trust()
    [entry] = keys.trusted_keys()
    assert (entry.wilayah, entry.key_id) == ("35.16.13.2001", bundle.key_id)
    again = read_bundle(path, trust=False, expected_kecamatan=SOOKO)
    assert again.trusted and "35.16.13.2001" in again.trust_note


def test_key_trusted_for_one_desa_is_not_trusted_for_another(tmp_path, monkeypatch) -> None:
    gemekan = signed_bundle(monkeypatch, tmp_path, "Gemekan")
    use_office(monkeypatch, tmp_path, "kecamatan")
    read_bundle(gemekan, trust=True, expected_kecamatan=SOOKO).record_trust()
    # The same desa office (same key) now signs as if it were Japan: not trusted for Japan.
    use_office(monkeypatch, tmp_path, "desa-Gemekan-2027")
    with desa_forum(tmp_path / "japan.musrenbang", "Japan") as forum:
        sign_desa(forum)
        forged = write_bundle(forum, tmp_path / "japan.zip", documents=False)
    use_office(monkeypatch, tmp_path, "kecamatan")
    with pytest.raises(BundleError) as caught:
        read_bundle(forged, trust=False, expected_kecamatan=SOOKO)
    assert caught.value.exit_code == 1


@pytest.mark.parametrize(
    ("kwargs", "words"),
    [
        ({"kecamatan": JATIREJO, "desa": "Tawangrejo"}, "bukan bagian dari Kecamatan Sooko"),
        ({"tahun": 2026}, "tahun 2026"),
        ({"sign": False}, "belum ditandatangani"),
    ],
    ids=["other-kecamatan", "other-year", "unsigned"],
)
def test_wrong_bundle_is_bad_input_even_with_untrusted_key(tmp_path, monkeypatch, kwargs, words):
    desa = kwargs.pop("desa", "Gemekan")
    path = signed_bundle(monkeypatch, tmp_path, desa, **kwargs)
    use_office(monkeypatch, tmp_path, "kecamatan")
    with pytest.raises(BundleError) as caught:
        read_bundle(path, trust=False, expected_kecamatan=SOOKO, expected_tahun=2027)
    assert caught.value.exit_code == 2
    assert words in caught.value.message
