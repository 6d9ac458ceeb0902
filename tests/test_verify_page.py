"""``keys page``: the self-contained verify page, checked in a real browser (chromium)."""

from __future__ import annotations

import hashlib
import re
import zipfile
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from exports import keys, register
from exports.record import KINDS, find_code_line
from exports.verification import sign
from exports.verify_page.page import write_page
from tests.test_verification import _record
from tests.verify_page_browser import open_page
from tui.cli.main import main


def _page(tmp_path: Path, *, daftar: bool = False) -> Path:
    keys.ensure_key()
    out = tmp_path / "verifikasi.html"
    write_page(out, with_register=daftar)
    return out


def test_page_is_one_file_with_strict_csp_and_nothing_external(tmp_path: Path):
    keys.ensure_key()
    html = _page(tmp_path).read_text("utf-8")
    csp = re.search(r'http-equiv="Content-Security-Policy" content="([^"]+)"', html).group(1)
    assert csp.startswith("default-src 'none';") and "connect-src 'none'" in csp
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert not re.search(r"""\s(src|href)\s*=""", html)  # no external script, style, link
    assert 'lang="id"' in html and 'name="viewport"' in html
    assert "nacl" in html  # the vendored fallback is inlined


def test_genuine_documents_of_every_kind_show_sah_with_their_summary(
    demo_forum_path: Path, tmp_path: Path, capsys
):
    """Real exported documents (the six forum documents), through the page address."""
    assert main(["keys", "alamat", "https://sooko.mojokertokab.go.id/v"]) == 0
    assert main(["export", str(demo_forum_path), "--doc", "all", "--out", str(tmp_path)]) == 0
    capsys.readouterr()
    page = _page(tmp_path)
    docs = sorted(tmp_path.glob("*.docx"))
    assert len(docs) == 6
    for doc in docs:
        text = re.search(
            rb'descr="([^"]*MSR2:[0-9]+)"', zipfile.ZipFile(doc).read("word/document.xml")
        ).group(1)
        address, fragment = text.decode().split("#")
        assert address == "https://sooko.mojokertokab.go.id/v"
        run = open_page(page, fragment, tmp_path)
        assert run.verdict == "SAH", (doc.name, run.text)
        assert KINDS[doc.stem][1] in run.text and "Kecamatan Sooko" in run.text
        assert "DRAF (belum final)" in run.text  # the demo is not final yet
        assert run.method == "webcrypto"
        assert run.page_requests == []


def test_every_kind_decodes_with_its_number_date_and_rupiah(tmp_path: Path):
    page = _page(tmp_path)
    for kind in KINDS:
        record = sign(_record(kind=kind, nomor=f"050/{kind}"))
        run = open_page(page, record.code(), tmp_path)
        assert run.verdict == "SAH", (kind, run.text)
        assert f"050/{kind}" in run.text and "12 Februari 2026" in run.text
        assert "Rp2.460.000.000" in run.text and ">42<" in run.dom


def test_forged_and_foreign_codes_show_tidak_sah(tmp_path: Path):
    page = _page(tmp_path)
    genuine = sign(_record())
    forged_field = _record(summary={"u": 42, "b": 1}).with_signature(genuine.signature)
    code = genuine.code()
    flipped = code[:-3] + str((int(code[-3]) + 1) % 10) + code[-2:]
    stranger = Ed25519PrivateKey.generate()
    foreign = _record(key_id=keys.key_id(stranger.public_key()))
    foreign = foreign.with_signature(stranger.sign(foreign.signed_message()))
    for label, text in [
        ("field", forged_field.code()),
        ("signature", flipped),
        ("foreign", foreign.code()),
        ("truncated", code[:-30]),
        ("garbage", "MSR2:12345"),
        ("not a code", "halo"),
    ]:
        run = open_page(page, text, tmp_path)
        assert run.verdict == "TIDAK SAH", (label, run.text)
        assert ">SAH<" not in run.dom


def test_trusted_region_key_counts_only_for_its_region(tmp_path: Path):
    stranger = Ed25519PrivateKey.generate()
    pem = tmp_path / "desa.pem"
    pem.write_bytes(keys.public_pem(stranger.public_key()))
    keys.trust_key(pem, "35.16.13.2009")
    kid = keys.key_id(stranger.public_key())

    def signed(wilayah: str) -> str:
        record = _record(wilayah=wilayah, wilayah_nama="Japan", key_id=kid, kind="notulen")
        return record.with_signature(stranger.sign(record.signed_message())).code()

    page = _page(tmp_path)
    good = open_page(page, signed("35.16.13.2009"), tmp_path)
    assert good.verdict == "SAH" and "dipercaya untuk wilayah 35.16.13.2009" in good.text
    assert "Desa Japan" in good.text
    other = open_page(page, signed("35.16.13.2001"), tmp_path)
    assert other.verdict == "TIDAK SAH" and "tidak dikenal" in other.text


def test_fallback_library_verifies_without_webcrypto(tmp_path: Path):
    page = _page(tmp_path)
    genuine = sign(_record(status="draf"))
    run = open_page(page, genuine.code(), tmp_path, no_webcrypto=True)
    assert (run.verdict, run.method) == ("SAH", "tweetnacl")
    assert "DRAF" in run.text
    forged = _record(status="draf", nomor="999").with_signature(genuine.signature)
    bad = open_page(page, forged.code(), tmp_path, no_webcrypto=True)
    assert (bad.verdict, bad.method) == ("TIDAK SAH", "tweetnacl")


def test_legacy_msr1_code_still_verifies_on_the_page(tmp_path: Path):
    page = _page(tmp_path)
    legacy = sign(_record(scheme=1))
    run = open_page(page, legacy.code(), tmp_path)
    assert run.verdict == "SAH" and "050/12/416-313/2026" in run.text


def test_superseded_document_shows_sudah_diganti_with_the_register(tmp_path: Path):
    old, new = sign(_record()), sign(_record(digest=hashlib.sha256(b"baru").digest()))
    base = {"jenis": "rekap", "nomor": "", "tanggal": "", "forum": "f"}
    register.record_issue({**base, "doc_id": old.doc_id, "digest": old.digest.hex()})
    register.record_issue({**base, "doc_id": new.doc_id, "digest": new.digest.hex()})
    page = _page(tmp_path, daftar=True)
    assert str(tmp_path) not in page.read_text("utf-8")  # no file paths published
    run = open_page(page, old.code(), tmp_path)
    assert run.verdict == "TIDAK SAH" and "SUDAH DIGANTI" in run.text
    assert new.doc_id[:5] in run.text
    current = open_page(page, new.code(), tmp_path)
    assert current.verdict == "SAH" and "SUDAH DIGANTI" not in current.text


def test_page_lists_retired_keys_and_verifies_what_they_signed(tmp_path: Path):
    old_signed = sign(_record())
    from exports.key_rotation import rotate

    rotate(tmp_path / "rotasi.json")
    page = _page(tmp_path)
    run = open_page(page, old_signed.code(), tmp_path)
    assert run.verdict == "SAH" and "pensiun" in run.text
    assert "Kunci lama kantor ini (pensiun)" in run.dom


def test_the_control_page_request_is_seen(tmp_path: Path):
    """The network check can fail: a page that loads a picture is caught."""
    control = tmp_path / "kontrol.html"
    control.write_text('<html><body><img src="http://127.0.0.1:9/x.png"></body></html>')
    assert open_page(control, "", tmp_path).page_requests == ["http://127.0.0.1:9/x.png"]


def test_plain_line_and_address_forms_both_verify_on_the_command_line(tmp_path: Path):
    from exports.verification import verify_code

    record = sign(_record())
    assert find_code_line(record.qr_text("https://a.go.id/v.html")) == (None, record.code())
    assert verify_code(record.qr_text("https://a.go.id/v.html")).ok
    assert verify_code(record.qr_text()).ok
    with pytest.raises(ValueError):
        from exports.verify_page.address import check_address

        check_address("https://a.go.id/v.html#x")


def test_markup_in_a_forged_code_is_shown_as_text_and_loads_nothing(tmp_path: Path):
    page = _page(tmp_path)
    stranger = Ed25519PrivateKey.generate()
    bait = '<img src="http://127.0.0.1:9/x.png" onerror="alert(1)">'
    record = _record(wilayah_nama=bait, nomor=bait, key_id=keys.key_id(stranger.public_key()))
    record = record.with_signature(stranger.sign(record.signed_message()))
    run = open_page(page, record.code(), tmp_path)
    assert run.verdict == "TIDAK SAH"
    assert "<img" not in run.dom and "&lt;img" in run.dom
    assert run.page_requests == []
