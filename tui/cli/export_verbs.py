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
    export.set_defaults(handler=cmd_export)

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
    export_key.set_defaults(handler=cmd_keys_export)
    trust = actions.add_parser("trust", help="percayai kunci publik kantor lain")
    trust.add_argument("file", metavar="FILE")
    trust.add_argument("--wilayah", required=True, metavar="KODE", help="kode wilayah kantor itu")
    trust.add_argument(
        "--ganti", action="store_true", help="ganti kunci yang sudah dipercaya untuk wilayah itu"
    )
    trust.set_defaults(handler=cmd_keys_trust)


def cmd_export(args: argparse.Namespace) -> int:
    from exports import register as office_register
    from exports.export_all import ExportError, export_document

    passphrase = _passphrase_for_signing()
    if passphrase is False:
        return fail(f"Kunci kantor dilindungi frasa sandi: isi {PASSPHRASE_ENV}.", EXIT_USAGE)
    with _open_for_export(args.path) as forum:
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
        print(f"Ditulis: {path}{suffix}")
    return EXIT_OK


def _open_for_export(path_arg: str) -> Any:
    """Writable when nobody holds the forum, so its own issued-documents register records
    what was issued (and supersedes older versions); read-only while the app holds it."""
    from store.forum import open_forum
    from store.lock import ForumLocked
    from store.paths import forum_path

    path = forum_path(path_arg)
    try:
        return open_forum(path)
    except ForumLocked:
        return open_forum(path, readonly=True)


def _export_bundle(forum: Any, out: Path, passphrase: str | None) -> int:
    """A desa's signed bundle for the kecamatan (ARCHITECTURE.md section 5)."""
    from exports import keys
    from exports.bundle import write_bundle

    path = write_bundle(forum, out, passphrase=passphrase)
    print(f"Ditulis: {path}  (sidik kunci {keys.format_key_id(keys.ensure_key())})")
    return EXIT_OK


def cmd_verify(args: argparse.Namespace) -> int:
    from exports.verification import verify_code, verify_docx

    if bool(args.file) == bool(args.code):
        return fail("sebutkan satu: FILE.docx atau --code TEKS.", EXIT_USAGE)
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
    return EXIT_OK


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
        public = keys.public_key()
    except keys.KeyProblem as error:
        return fail(str(error), EXIT_USAGE)
    protected = "ya" if keys.is_encrypted() else "tidak"
    print(f"Sidik jari : {keys.format_key_id(keys.key_id(public))}")
    print(f"Folder     : {keys.private_key_path().parent}")
    print(f"Frasa sandi: {protected}")
    print(keys.public_pem(public).decode("ascii").rstrip())
    trusted = keys.trusted_keys()
    if trusted:
        print("Kunci yang dipercaya:")
        for entry in trusted:
            print(f"  {entry.wilayah:<16} {keys.format_key_id(entry.key_id)}")
    return EXIT_OK


def cmd_keys_export(args: argparse.Namespace) -> int:
    from exports import keys

    try:
        kid = keys.export_public_key(Path(args.file))
    except keys.KeyProblem as error:
        return fail(str(error), EXIT_USAGE)
    print(f"Kunci publik ditulis ke {args.file}")
    print(f"Sidik jari: {keys.format_key_id(kid)}")
    return EXIT_OK


def cmd_keys_trust(args: argparse.Namespace) -> int:
    from exports import keys
    from store.regions import normalize_code

    wilayah = normalize_code(args.wilayah)  # ValidationError -> exit 2 in tui.cli.main
    try:
        entry = keys.trust_key(Path(args.file), wilayah, replace=args.ganti)
    except keys.KeyProblem as error:
        return fail(str(error), EXIT_FAILED if isinstance(error, keys.KeyConflict) else EXIT_USAGE)
    print(f"Kunci {keys.format_key_id(entry.key_id)} dipercaya untuk wilayah {wilayah}.")
    print("Cocokkan sidik jari ini dengan yang tercetak pada dokumen kantor pengirim.")
    return EXIT_OK
