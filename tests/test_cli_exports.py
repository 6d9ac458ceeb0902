"""``musrenbang export``, ``verify`` and ``keys``: output, exit codes, no Textual."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from exports import keys
from tui.cli.main import main

ROOT = Path(__file__).resolve().parent.parent


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def exported(demo_forum_path: Path, tmp_path: Path, capsys) -> Path:
    code, out, _ = _run(
        capsys, "export", str(demo_forum_path), "--doc", "all", "--out", str(tmp_path / "dokumen")
    )
    assert code == 0
    assert out.count("Ditulis: ") == 6 and "(ID " in out
    return tmp_path / "dokumen"


def test_export_all_then_verify_each(exported: Path, capsys):
    for path in sorted(exported.glob("*.docx")):
        code, out, err = _run(capsys, "verify", str(path))
        assert code == 0, err
        assert out.startswith("SAH: ")
        assert "Status    : DRAF (belum final)" in out and "Kunci     : " in out
        assert err == ""


def test_verify_changed_document_exits_1_with_reason(exported: Path, tmp_path: Path, capsys):
    source = exported / "surat-mandat.docx"
    changed = tmp_path / "ubah.docx"
    with zipfile.ZipFile(source) as zin, zipfile.ZipFile(changed, "w") as zout:
        for item in zin.infolist():
            data = zin.read(item)
            if item.filename == "word/document.xml":
                data = data.replace(b"Kasi Pembangunan", b"Kasi Perencanaan")  # an utusan
            zout.writestr(item, data)
    code, out, err = _run(capsys, "verify", str(changed))
    assert code == 1
    assert err.startswith("musrenbang: TIDAK SAH: Isi dokumen berubah") and err.count("\n") == 1
    assert "Isi kode verifikasi:" in out


def test_verify_code_text(exported: Path, capsys):
    from exports.verification import verify_docx

    text = verify_docx(exported / "berita-acara.docx").record.qr_text()
    code, out, _ = _run(capsys, "verify", "--code", text)
    assert code == 0 and "Dokumen   : Berita Acara Musrenbang Kecamatan Sooko" in out
    code, _, err = _run(capsys, "verify", "--code", text.replace("MSR1:", "MSR1:AB"))
    assert code == 1 and "TIDAK SAH" in err
    code, _, err = _run(capsys, "verify", "--code", "halo")
    assert code == 1 and "bukan kode verifikasi" in err


@pytest.mark.parametrize(
    ("argv", "words"),
    [
        (["verify"], "sebutkan satu"),
        (["verify", "x.docx", "--code", "MSR1:AA"], "sebutkan satu"),
        (["verify", "tidak-ada.docx"], "tidak ditemukan"),
        (["keys", "show"], "keys init"),
        (["keys", "export", "k.pem"], "keys init"),
    ],
)
def test_bad_usage_exits_2_with_one_line(capsys, argv: list[str], words: str):
    code, out, err = _run(capsys, *argv)
    assert code == 2 and words in err and err.count("\n") == 1 and out == ""


def test_export_refusals_exit_2(demo_forum_path: Path, tmp_path: Path, capsys):
    path = str(demo_forum_path)
    for argv, words in (
        (["--doc", "berita-acara", "--format", "csv"], "hanya tersedia sebagai docx"),
        (["--doc", "rekap", "--blanko"], "--blanko"),
    ):
        code, _, err = _run(capsys, "export", path, *argv, "--out", str(tmp_path / "x"))
        assert code == 2 and words in err, err
    with pytest.raises(SystemExit) as exit_info:
        main(["export", path, "--doc", "sertifikat", "--out", str(tmp_path)])
    assert exit_info.value.code == 2
    code, _, err = _run(
        capsys,
        "export",
        str(tmp_path / "tidak-ada.musrenbang"),
        "--doc",
        "rekap",
        "--out",
        str(tmp_path),
    )
    assert code == 2 and "tidak ditemukan" in err


def test_export_blanko_and_spreadsheet(demo_forum_path: Path, tmp_path: Path, capsys):
    code, out, _ = _run(
        capsys,
        "export",
        str(demo_forum_path),
        "--doc",
        "daftar-hadir",
        "--blanko",
        "--out",
        str(tmp_path / "blanko.docx"),
    )
    assert code == 0 and (tmp_path / "blanko.docx").exists() and "(ID" not in out
    code, _, _ = _run(
        capsys,
        "export",
        str(demo_forum_path),
        "--doc",
        "rekap",
        "--format",
        "csv",
        "--out",
        str(tmp_path / "rekap.csv"),
    )
    assert code == 0 and (tmp_path / "rekap.csv").read_bytes().startswith(b"\xef\xbb\xbf")


def test_keys_init_show_export_trust(tmp_path: Path, capsys):
    code, out, _ = _run(capsys, "keys", "init")
    assert code == 0 and "Sidik jari: " in out
    code, _, err = _run(capsys, "keys", "init")
    assert code == 2 and "sudah ada" in err
    kid = keys.format_key_id(keys.key_id(keys.public_key()))
    code, out, _ = _run(capsys, "keys", "show")
    assert code == 0 and kid in out and "BEGIN PUBLIC KEY" in out and "PRIVATE" not in out
    code, out, _ = _run(capsys, "keys", "export", str(tmp_path / "sooko.pem"))
    assert code == 0 and kid in out and (tmp_path / "sooko.pem").exists()
    code, out, _ = _run(
        capsys, "keys", "trust", str(tmp_path / "sooko.pem"), "--wilayah", "3516132009"
    )
    assert code == 0 and "35.16.13.2009" in out
    code, _, err = _run(
        capsys, "keys", "trust", str(tmp_path / "sooko.pem"), "--wilayah", "35-16-x"
    )
    assert code == 2 and "tidak dikenal" in err


def test_passphrase_from_environment(demo_forum_path: Path, tmp_path: Path, capsys, monkeypatch):
    monkeypatch.setenv("MUSRENBANG_PASSPHRASE", "sandi kantor")
    code, out, _ = _run(capsys, "keys", "init", "--passphrase")
    assert code == 0 and "dilindungi frasa sandi" in out and keys.is_encrypted()
    code, _, _ = _run(
        capsys, "export", str(demo_forum_path), "--doc", "surat-mandat", "--out", str(tmp_path)
    )
    assert code == 0
    monkeypatch.delenv("MUSRENBANG_PASSPHRASE")
    monkeypatch.setattr(sys.stdin, "isatty", lambda: False)
    code, _, err = _run(
        capsys, "export", str(demo_forum_path), "--doc", "surat-mandat", "--out", str(tmp_path)
    )
    assert code == 2 and "frasa sandi" in err


def test_verbs_never_import_textual(exported: Path):
    script = (
        "import sys\n"
        "from tui.cli.main import main\n"
        f"main(['verify', {str(exported / 'rekap.docx')!r}])\n"
        "main(['keys', 'show'])\n"
        "print('textual' in sys.modules, 'docx' in sys.modules)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert out.stdout.strip().splitlines()[-1] == "False False"
