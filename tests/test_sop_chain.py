"""Issue 6 end to end: from the Kabupaten's letter to the report package, desa by desa.

Three desa offices (each its own data dir, so its own key) hold their Musrenbangdes from the
sample CSV, sign off and bundle; the kecamatan imports them through the real command line,
refuses a tampered bundle (exit 1) and a bundle of another kecamatan's desa (exit 2) without
changing anything, ranks, signs off in SOP order and writes the report package. Every
document verifies, and the kecamatan's own bundle checks with its public key alone.
"""

from __future__ import annotations

import zipfile
from datetime import date

import pytest
from cryptography.hazmat.primitives.serialization import load_pem_public_key

from exports import keys
from exports.bundle import BUNDLE_JSON, PUBKEY, SIGNATURE, open_bundle
from exports.documents.surat_desa import write_letters
from exports.report_package import write_report_package
from exports.verification import verify_docx
from store import agenda_book
from store.forum import open_forum
from store.planning_year import PlanningYear
from store.validation import ValidationError
from tests.forum_factory import make_ready
from tests.sop_helpers import JATIREJO, SOOKO, kecamatan_forum, signed_bundle, use_office
from tui.cli.main import main

DESA = ("Gemekan", "Japan", "Sooko")


def tamper(bundle, target):
    """Japan's bundle with one cost raised after signing."""
    with zipfile.ZipFile(bundle) as src, zipfile.ZipFile(target, "w") as dst:
        for name in src.namelist():
            data = src.read(name)
            if name == BUNDLE_JSON:
                data = data.replace(b'"biaya": 312000000', b'"biaya": 912000000', 1)
                assert b"912000000" in data
            dst.writestr(name, data)
    return target


def test_the_whole_chain(tmp_path, monkeypatch, capsys) -> None:
    # Step 1 at the kecamatan: the Kabupaten's letter in, a numbered letter out to each desa.
    use_office(monkeypatch, tmp_path, "kecamatan")
    agenda_book.register_incoming(
        nomor="050/123/416-102/2026",
        tanggal="2026-01-05",
        pihak="Bappeda Kabupaten Mojokerto",
        perihal="Pelaksanaan Musrenbang Tahun 2027",
        tahun_perencanaan=2027,
        wilayah=SOOKO,
    )
    letters = write_letters(SOOKO, 2027, tmp_path / "surat", tanggal=date(2026, 1, 6))
    assert len(letters) == 15

    # Steps 2-3 at three desa, each with its own key; one bundle tampered, one foreign.
    bundles = [signed_bundle(monkeypatch, tmp_path, desa, documents=True) for desa in DESA]
    tampered = tamper(bundles[1], tmp_path / "japan-diubah.zip")
    foreign = signed_bundle(monkeypatch, tmp_path, "Tawangrejo", kecamatan=JATIREJO)

    # Step 4: the kecamatan imports through the real command.
    use_office(monkeypatch, tmp_path, "kecamatan")
    kec_path = tmp_path / "kecamatan.musrenbang"
    kecamatan_forum(kec_path).close()
    capsys.readouterr()
    assert main(["import", str(kec_path), *map(str, bundles), "--trust"]) == 0
    out = capsys.readouterr().out
    fingerprints = [open_bundle(b).fingerprint for b in bundles]
    assert all(f in out for f in fingerprints)
    assert {k.wilayah for k in keys.trusted_keys()} == {
        "35.16.13.2001",
        "35.16.13.2009",
        "35.16.13.2010",
    }
    with open_forum(kec_path, readonly=True) as kec:
        counted = kec.count("proposals"), kec.count("audit")
    assert counted[0] == 4 + 6 + 5

    trusted_before = keys.trusted_keys()
    assert main(["import", str(kec_path), str(tampered), "--trust"]) == 1
    assert "TIDAK SAH" in capsys.readouterr().err
    assert main(["import", str(kec_path), str(foreign), "--trust"]) == 2
    assert "bukan bagian dari Kecamatan Sooko" in capsys.readouterr().err
    with open_forum(kec_path, readonly=True) as kec:
        assert (kec.count("proposals"), kec.count("audit")) == counted
    assert keys.trusted_keys() == trusted_before

    # Steps 5-6: rank by hand count within the pagu, number the BA, paraf then signature.
    with open_forum(kec_path, operator="Kasi") as kec:
        kec.update_meta(metode_prioritas="voting")
        for n, proposal in enumerate(kec.proposals.all()):
            kec.priority.set_tally(proposal["id"], 40 - n)
        kec.priority.apply_ranking()
        statuses = {p["status"] for p in kec.proposals.all()}
        assert statuses == {"diakomodir", "cadangan"}
        agenda_book.number_berita_acara(kec)
        make_ready(kec).signoff.finalize()
        with pytest.raises(ValidationError, match="setelah paraf"):
            kec.signoff.sign("camat", "Drs. Camat Sooko")
        kec.signoff.sign("sekcam", "Sekretaris Kecamatan", nip="197001012000031001")
        assert kec.signoff.sign("camat", "Drs. Camat Sooko", nip="196911191998031005") == (
            "ditandatangani"
        )

        # Step 7: the report package.
        package = write_report_package(kec, tmp_path / "laporan", archive=True)
    names = [p.name for p in package.files]
    assert names == ["surat-pengantar.docx", "rekap.docx", "bundel-35.16.13-2027.zip"]
    assert package.archive is not None and package.archive.exists()
    assert package.nomor_pengantar.startswith("050/")

    # Every document verifies: the package's, the kecamatan bundle's, the desa bundles'.
    for path in package.files[:2]:
        assert verify_docx(path).ok, path
    own = package.files[2]
    for bundle in [own, *bundles]:
        checked = open_bundle(bundle)
        assert len(checked.documents) == 6
        folder = tmp_path / "periksa" / bundle.stem
        with zipfile.ZipFile(bundle) as zf:
            zf.extractall(folder, members=checked.documents)
        for name in checked.documents:
            result = verify_docx(folder / name)
            assert result.ok, (bundle.name, name, result.reason)
    with zipfile.ZipFile(own) as zf:
        pem, data, signature = (zf.read(n) for n in (PUBKEY, BUNDLE_JSON, SIGNATURE))
    assert pem == keys.public_pem(keys.public_key())
    load_pem_public_key(pem).verify(signature, data)
    assert open_bundle(own).payload["status"] == "ditandatangani"

    # The planning year shows the chain.
    view = PlanningYear(SOOKO, 2027).view()
    done = {s.step.nomor for s in view.steps if s.keadaan == "selesai"}
    assert {1, 4, 5, 6, 7} <= done
    assert view.diterima == 3
    assert [d.nama for d in view.desa if d.keadaan == "usulan diterima"] == [
        "Gemekan",
        "Japan",
        "Sooko",
    ]


def test_one_command_takes_upt_rows_and_desa_bundles(tmp_path, monkeypatch, capsys) -> None:
    bundle = signed_bundle(monkeypatch, tmp_path, "Japan")
    use_office(monkeypatch, tmp_path, "kecamatan")
    upt = tmp_path / "usulan-upt.csv"
    upt.write_text(
        "desa,sumber,kegiatan,lokasi,biaya\n"
        "Japan,UPT Puskesmas Sooko,Posyandu remaja,Dusun Japan,25000000\n",
        encoding="utf-8",
    )
    kec_path = tmp_path / "kecamatan.musrenbang"
    kecamatan_forum(kec_path).close()
    assert main(["import", str(kec_path), str(upt), str(bundle), "--trust"]) == 0
    with open_forum(kec_path, readonly=True) as kec:
        origins = sorted(p["asal"]["jenis"] for p in kec.proposals.all())
    assert origins == ["desa"] * 6 + ["upt"]
    assert "1 usulan ditambahkan" in capsys.readouterr().out
