"""Command-line verbs for what leaves the room: ``export``, ``verify``, ``keys``.

Exit codes (ARCHITECTURE.md section 3): 0 success, 1 a failed verification, 2 bad usage or
bad input. Errors are one Indonesian line on stderr. Nothing here imports Textual, and the
export modules are imported inside the handlers: ``verify`` must start fast and never loads
python-docx.
"""

from __future__ import annotations

import argparse
import getpass
import os
import sys
from pathlib import Path
from typing import Any

from store.shown_text import shown
from tui.cli.main import EXIT_FAILED, EXIT_OK, EXIT_USAGE, fail

DOC_CHOICES = (
    "berita-acara",
    "daftar-hadir",
    "notulen",
    "rekap",
    "surat-pengantar",
    "surat-mandat",
    "all",
    "bundle",
)
PASSPHRASE_ENV = "MUSRENBANG_PASSPHRASE"


def register(subparsers: Any) -> None:
    """Add ``export``, ``verify`` and ``keys`` to the ``musrenbang`` parser."""
    export = subparsers.add_parser("export", help="tulis dokumen resmi (docx/xlsx/csv)")
    export.add_argument("path", metavar="PATH")
    export.add_argument(
        "--doc", required=True, choices=DOC_CHOICES, metavar="KIND", help=" | ".join(DOC_CHOICES)
    )
    export.add_argument("--out", required=True, metavar="OUT", help="berkas atau folder tujuan")
    export.add_argument("--format", default="docx", choices=("docx", "xlsx", "csv"))
    export.add_argument("--blanko", action="store_true", help="daftar hadir kosong untuk dicetak")
    export.add_argument(
        "--hanya-baca",
        action="store_true",
        help="jangan menulis ke forum (mis. forum di media hanya-baca)",
    )
    export.set_defaults(handler=cmd_export, creates=("out",))

    verify = subparsers.add_parser("verify", help="periksa kode verifikasi dokumen")
    verify.add_argument("file", metavar="FILE.docx", nargs="?")
    verify.add_argument("--code", metavar="TEKS", help="teks hasil pindai QR")
    verify.set_defaults(handler=cmd_verify)

    keys = subparsers.add_parser("keys", help="kunci kantor untuk kode verifikasi")
    actions = keys.add_subparsers(
        dest="keys_action", metavar="AKSI", required=True, parser_class=type(keys)
    )
    init = actions.add_parser("init", help="buat kunci kantor")
    init.add_argument(
        "--passphrase",
        action="store_true",
        help=f"lindungi dengan frasa sandi (dari {PASSPHRASE_ENV} atau ditanya)",
    )
    init.set_defaults(handler=cmd_keys_init)
    show = actions.add_parser("show", help="tampilkan kunci publik dan sidik jarinya")
    show.set_defaults(handler=cmd_keys_show)
    export_key = actions.add_parser("export", help="tulis kunci publik ke berkas")
    export_key.add_argument("file", metavar="FILE")
    export_key.set_defaults(handler=cmd_keys_export, creates=("file",))
    trust = actions.add_parser("trust", help="percayai kunci publik kantor lain")
    trust.add_argument("file", metavar="FILE", help="kunci publik (PEM) atau pernyataan pergantian")
    trust.add_argument("--wilayah", metavar="KODE", help="kode wilayah kantor itu")
    trust.add_argument(
        "--ganti", action="store_true", help="ganti kunci yang sudah dipercaya untuk wilayah itu"
    )
    trust.set_defaults(handler=cmd_keys_trust)
    backup = actions.add_parser("backup", help="cadangan kunci privat terenkripsi")
    backup.add_argument("file", metavar="FILE")
    backup.set_defaults(handler=cmd_keys_backup, creates=("file",))
    restore = actions.add_parser("restore", help="pulihkan kunci kantor dari cadangan")
    restore.add_argument("file", metavar="FILE")
    restore.set_defaults(handler=cmd_keys_restore)
    rotate = actions.add_parser("rotate", help="ganti kunci kantor; kunci lama dipensiunkan")
    rotate.add_argument("--out", required=True, metavar="FILE", help="pernyataan pergantian")
    rotate.set_defaults(handler=cmd_keys_rotate, creates=("out",))
    page = actions.add_parser("page", help="tulis halaman verifikasi (HTML) untuk ponsel")
    page.add_argument("out", metavar="OUT.html")
    page.add_argument("--daftar", action="store_true", help="sertakan register dokumen terbit")
    page.set_defaults(handler=cmd_keys_page, creates=("out",))
    address = actions.add_parser("alamat", help="alamat web halaman verifikasi (untuk QR)")
    address.add_argument("url", metavar="URL", nargs="?", help="kosongkan dengan --hapus")
    address.add_argument("--hapus", action="store_true", help="QR kembali tanpa alamat")
    address.set_defaults(handler=cmd_keys_address)


def cmd_export(args: argparse.Namespace) -> int:
    from exports import keys
    from exports import register as office_register
    from exports.export_all import ExportError, export_document

    passphrase = _passphrase_for_signing()
    if passphrase is False:
        return fail(f"Kunci kantor dilindungi frasa sandi: isi {PASSPHRASE_ENV}.", EXIT_USAGE)
    had_key = keys.has_key()
    with _open_for_export(args.path, readonly=args.hanya_baca) as forum:
        try:
            if args.doc == "bundle":
                return _export_bundle(forum, Path(args.out), passphrase or None)
            written = export_document(
                forum,
                args.doc,
                Path(args.out),
                args.format,
                args.blanko,
                passphrase=passphrase or None,
            )
        except ExportError as error:
            return fail(str(error), EXIT_USAGE)
        except _key_errors() as error:
            return fail(str(error), EXIT_USAGE)
    codes = {e.get("berkas"): e["doc_id"] for e in office_register.entries()}
    for path in written:
        doc_id = codes.get(str(Path(os.path.abspath(path))))
        suffix = f"  (ID {doc_id[:5]}-{doc_id[5:]})" if doc_id and path.suffix == ".docx" else ""
        print(f"Ditulis: {shown(path)}{suffix}")
    if not had_key and keys.has_key():
        print(f"Kunci kantor baru dibuat di {keys.keys_dir()}. {BACKUP_ADVICE}")
    return EXIT_OK


def _open_for_export(path_arg: str, *, readonly: bool = False) -> Any:
    """Writable when nobody holds the forum, so its own issued-documents register records
    what was issued (and supersedes older versions); read-only while the app holds it, or
    when asked (``--hanya-baca``: a forum on read-only media)."""
    from store.forum import open_forum
    from store.integrity import refuse_if_damaged
    from store.lock import ForumLocked
    from store.paths import forum_path

    path = forum_path(path_arg)
    refuse_if_damaged(path)
    if readonly:
        return open_forum(path, readonly=True)
    try:
        return open_forum(path)
    except ForumLocked:
        return open_forum(path, readonly=True)


def _export_bundle(forum: Any, out: Path, passphrase: str | None) -> int:
    """A desa's signed bundle for the kecamatan (ARCHITECTURE.md section 5)."""
    from exports import keys
    from exports.bundle import write_bundle

    path = write_bundle(forum, out, passphrase=passphrase)
    print(f"Ditulis: {shown(path)}  (sidik kunci {keys.format_key_id(keys.ensure_key())})")
    return EXIT_OK


def cmd_verify(args: argparse.Namespace) -> int:
    from exports.verification import verify_code, verify_docx

    if bool(args.file) == bool(args.code):
        return fail("sebutkan satu: FILE.docx atau --code TEKS.", EXIT_USAGE)
    if args.code:
        from exports.record import short_id_of

        doc_id = short_id_of(args.code)
        if doc_id is not None:
            return _verify_short_id(doc_id)
    result = verify_docx(Path(args.file)) if args.file else verify_code(args.code)
    if result.bad_input:
        return fail(result.reason, EXIT_USAGE)
    summary = result.summary_lines()
    if result.ok:
        print(result.reason)
        print("\n".join(summary))
        return EXIT_OK
    fail(f"TIDAK SAH: {result.reason}", EXIT_FAILED)
    if summary:
        print("Isi kode verifikasi:")
        print("\n".join(summary))
    return EXIT_FAILED


def _verify_short_id(doc_id: str) -> int:
    """The short ID under a QR names a document; only a register can say what it was."""
    from exports import register
    from exports.record import KINDS

    entry = register.lookup(doc_id)
    shown = f"ID {doc_id[:5]}-{doc_id[5:]}"
    if entry is None:
        return fail(
            f"{shown} tidak ada di register dokumen terbit laptop ini: ID saja tidak dapat "
            "diperiksa di sini, pindai kode QR-nya.",
            EXIT_USAGE,
        )
    kind = KINDS.get(entry.get("jenis", ""), ("", entry.get("jenis", "")))[1]
    status = "sudah diganti" if entry.get("status") == "diganti" else "berlaku"
    print(f"{shown} tercatat di register dokumen terbit kantor ini:")
    print(f"Dokumen   : {kind}")
    for label, key in (("Wilayah", "wilayah"), ("Tahun", "tahun"), ("Nomor", "nomor")):
        if entry.get(key):
            print(f"{label:<10}: {entry[key]}")
    if entry.get("tanggal"):
        print(f"Tanggal   : {entry['tanggal']}")
    print(f"Status    : {status}")
    if entry.get("diganti_oleh"):
        print(f"Diganti   : {entry['diganti_oleh']}")
    print("Register hanya mencatat apa yang diterbitkan; keaslian kertasnya: pindai kode QR.")
    return EXIT_OK


def _key_errors() -> tuple[type[Exception], ...]:
    from exports.keys import KeyProblem

    return (KeyProblem,)


def _passphrase_for_signing() -> str | bool | None:
    """The passphrase for an encrypted office key: env, else asked on a terminal.

    Returns None when the key needs none, False when it needs one nobody can type.
    """
    from exports import keys

    if not keys.has_key() or not keys.is_encrypted():
        return None
    if os.environ.get(PASSPHRASE_ENV):
        return os.environ[PASSPHRASE_ENV]
    if not sys.stdin.isatty():
        return False
    return getpass.getpass("Frasa sandi kunci kantor: ")


def cmd_keys_init(args: argparse.Namespace) -> int:
    from exports import keys

    passphrase = None
    if args.passphrase:
        passphrase = os.environ.get(PASSPHRASE_ENV) or _ask_new_passphrase()
        if not passphrase:
            return fail(
                f"Frasa sandi kosong: isi {PASSPHRASE_ENV} atau ketik di terminal.", EXIT_USAGE
            )
    try:
        kid = keys.init_keys(passphrase)
    except keys.KeyProblem as error:
        return fail(str(error), EXIT_USAGE)
    protected = " (dilindungi frasa sandi)" if passphrase else ""
    print(f"Kunci kantor dibuat{protected}: {keys.private_key_path().parent}")
    print(f"Sidik jari: {keys.format_key_id(kid)}")
    print(BACKUP_ADVICE)
    return EXIT_OK


BACKUP_ADVICE = (
    "Buat cadangan sekarang: musrenbang keys backup FILE (simpan di flashdisk terpisah). "
    "Tanpa cadangan, laptop hilang atau rusak berarti kunci baru dan setiap kantor yang "
    "mempercayai kunci ini harus mempercayainya lagi."
)


def _ask_new_passphrase() -> str | None:
    if not sys.stdin.isatty():
        return None
    first = getpass.getpass("Frasa sandi baru: ")
    if first != getpass.getpass("Ulangi frasa sandi: "):
        print("musrenbang: frasa sandi tidak sama.", file=sys.stderr)
        return None
    return first


def cmd_keys_show(args: argparse.Namespace) -> int:
    from exports import keys

    try:
        trusted = keys.trusted_keys()
        if keys.has_key():
            public = keys.public_key()
            protected = "ya" if keys.is_encrypted() else "tidak"
            print(f"Sidik jari : {keys.format_key_id(keys.key_id(public))}")
            print(f"Folder     : {keys.private_key_path().parent}")
            print(f"Frasa sandi: {protected}")
            print(keys.public_pem(public).decode("ascii").rstrip())
        else:
            print("Kunci kantor: belum dibuat (musrenbang keys init).")
        retired = keys.retired_keys()
    except keys.KeyProblem as error:
        return fail(str(error), EXIT_USAGE)
    if retired:
        print("Kunci lama kantor ini (pensiun, hanya memeriksa dokumen lama):")
        for old in retired:
            print(f"  {keys.format_key_id(keys.key_id(old))}")
    if trusted:
        print("Kunci yang dipercaya:")
        for entry in trusted:
            mark = "  (pensiun)" if entry.pensiun else ""
            print(f"  {entry.wilayah:<16} {keys.format_key_id(entry.key_id)}{mark}")
    elif not keys.has_key():
        print("Belum ada kunci kantor lain yang dipercaya.")
    return EXIT_OK


def cmd_keys_export(args: argparse.Namespace) -> int:
    from exports import keys

    try:
        kid = keys.export_public_key(Path(args.file))
    except keys.KeyProblem as error:
        return fail(str(error), EXIT_USAGE)
    print(f"Kunci publik ditulis ke {shown(args.file)}")
    print(f"Sidik jari: {keys.format_key_id(kid)}")
    return EXIT_OK


def cmd_keys_trust(args: argparse.Namespace) -> int:
    from exports import key_rotation, keys
    from store.regions import region

    source = Path(args.file)
    try:
        data = keys.read_key_file(source)
    except keys.KeyProblem as error:
        return fail(str(error), EXIT_USAGE)
    if key_rotation.looks_like_statement(data):
        return _trust_statement(source, data)
    if not args.wilayah:
        return fail("sebutkan --wilayah KODE: wilayah kantor pemilik kunci ini.", EXIT_USAGE)
    wilayah = region(args.wilayah).code  # UnknownRegion (ValidationError) -> exit 2
    try:
        entry = keys.trust_key(source, wilayah, replace=args.ganti)
    except keys.KeyProblem as error:
        return fail(str(error), EXIT_FAILED if isinstance(error, keys.KeyConflict) else EXIT_USAGE)
    print(f"Kunci {keys.format_key_id(entry.key_id)} dipercaya untuk wilayah {wilayah}.")
    print("Cocokkan sidik jari ini dengan yang tercetak pada dokumen kantor pengirim.")
    return EXIT_OK


def _trust_statement(source: Path, data: bytes) -> int:
    from exports import key_rotation, keys

    try:
        entries = key_rotation.trust_statement(source, data)
    except key_rotation.StatementForged as error:
        return fail(f"TIDAK SAH: {error}", EXIT_FAILED)
    except keys.KeyProblem as error:
        return fail(str(error), EXIT_USAGE)
    for entry in entries:
        print(
            f"Kunci baru {keys.format_key_id(entry.key_id)} dipercaya untuk wilayah "
            f"{entry.wilayah} (pernyataan ditandatangani kunci lama yang sudah dipercaya)."
        )
    print("Kunci lama tetap memeriksa dokumen yang ditandatanganinya, tidak untuk yang baru.")
    return EXIT_OK


def _ask_passphrase_twice(purpose: str) -> str | None:
    """The env var, else typed twice on a terminal; None when neither gives one."""
    if os.environ.get(PASSPHRASE_ENV):
        return os.environ[PASSPHRASE_ENV]
    if not sys.stdin.isatty():
        return None
    first = getpass.getpass(f"Frasa sandi {purpose}: ")
    if not first or first != getpass.getpass("Ulangi frasa sandi: "):
        return None
    return first


def cmd_keys_backup(args: argparse.Namespace) -> int:
    from exports import key_backup, keys

    current = _passphrase_for_signing()
    if current is False:
        return fail(f"Kunci kantor dilindungi frasa sandi: isi {PASSPHRASE_ENV}.", EXIT_USAGE)
    secret = _ask_passphrase_twice("cadangan")
    if not secret:
        return fail(
            f"Frasa sandi cadangan kosong atau tidak sama: isi {PASSPHRASE_ENV} atau ketik "
            "dua kali di terminal.",
            EXIT_USAGE,
        )
    try:
        kid = key_backup.backup(Path(args.file), secret, current or None)
    except keys.KeyProblem as error:
        return fail(str(error), EXIT_USAGE)
    print(f"Cadangan kunci {keys.format_key_id(kid)} ditulis ke {shown(args.file)} (terenkripsi).")
    print("Simpan di tempat terpisah dari laptop; frasa sandinya jangan ditulis di sana.")
    return EXIT_OK


def cmd_keys_restore(args: argparse.Namespace) -> int:
    from exports import key_backup, keys

    secret = os.environ.get(PASSPHRASE_ENV)
    if not secret and sys.stdin.isatty():
        secret = getpass.getpass("Frasa sandi cadangan: ")
    if not secret:
        return fail(f"Frasa sandi cadangan diperlukan: isi {PASSPHRASE_ENV}.", EXIT_USAGE)
    try:
        kid = key_backup.restore(Path(args.file), secret)
    except keys.KeyProblem as error:
        return fail(str(error), EXIT_USAGE)
    print(f"Kunci kantor {keys.format_key_id(kid)} dipulihkan ke {keys.keys_dir()}.")
    print(f"Kunci tetap dilindungi frasa sandi cadangan (isi {PASSPHRASE_ENV} saat ekspor).")
    return EXIT_OK


def cmd_keys_rotate(args: argparse.Namespace) -> int:
    from exports import key_rotation, keys

    passphrase = _passphrase_for_signing()
    if passphrase is False:
        return fail(f"Kunci kantor dilindungi frasa sandi: isi {PASSPHRASE_ENV}.", EXIT_USAGE)
    try:
        old, new = key_rotation.rotate(Path(args.out), passphrase or None)
    except keys.KeyProblem as error:
        return fail(str(error), EXIT_USAGE)
    print(f"Kunci baru: {keys.format_key_id(new)}; kunci lama {keys.format_key_id(old)} pensiun.")
    print(f"Pernyataan pergantian (ditandatangani kunci lama): {shown(args.out)}")
    print("Kirim pernyataan itu ke kantor yang mempercayai kunci lama (keys trust FILE),")
    print("terbitkan ulang halaman verifikasi (keys page), lalu buat cadangan baru.")
    print(BACKUP_ADVICE)
    return EXIT_OK


def cmd_keys_page(args: argparse.Namespace) -> int:
    from exports import keys
    from exports.verify_page.page import write_page

    try:
        summary = write_page(Path(args.out), with_register=args.daftar)
    except keys.KeyProblem as error:
        return fail(str(error), EXIT_USAGE)
    print(f"Halaman verifikasi ditulis: {shown(args.out)} ({summary})")
    print("Terbitkan berkas ini di situs kantor, lalu: musrenbang keys alamat URL-nya.")
    return EXIT_OK


def cmd_keys_address(args: argparse.Namespace) -> int:
    from exports.verify_page.address import AddressProblem, page_address, set_page_address

    if args.hapus:
        set_page_address(None)
        print("Alamat halaman verifikasi dihapus: QR berisi baris keterangan dan kodenya.")
        return EXIT_OK
    if not args.url:
        current = page_address()
        print(f"Alamat halaman verifikasi: {current or '(belum diatur)'}")
        return EXIT_OK
    try:
        saved = set_page_address(args.url)
    except AddressProblem as error:
        return fail(str(error), EXIT_USAGE)
    print(f"Alamat halaman verifikasi: {saved}")
    print("QR dokumen yang diekspor mulai sekarang membuka alamat ini di ponsel.")
    return EXIT_OK
