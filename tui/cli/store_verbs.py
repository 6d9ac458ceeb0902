"""Command-line verbs over the forum store: new, open, demo, import, dump, check, restore,
display, finalize, sign, purge-personal. None of them imports Textual except open, demo
(when it opens the app) and display.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import Any

from store.office import ROLES
from store.shown_text import shown
from tui.cli.main import EXIT_FAILED, EXIT_OK, EXIT_USAGE, fail

DEMO_NAME = "demo-sooko-2027"


def register(subparsers: Any) -> None:
    """Add this module's verbs to the ``musrenbang`` parser."""
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--operator", default=argparse.SUPPRESS, help="nama operator (audit)")
    readonly = argparse.ArgumentParser(add_help=False)
    readonly.add_argument(
        "--hanya-baca",
        action="store_true",
        help="buka tanpa menulis apa pun (mis. forum di media hanya-baca)",
    )

    new = subparsers.add_parser("new", parents=[common], help="buat forum baru")
    new.add_argument("path", metavar="PATH")
    new.add_argument("--level", required=True, choices=("desa", "kecamatan"))
    new.add_argument("--wilayah", required=True, metavar="KODE", help="kode wilayah Kemendagri")
    new.add_argument("--tahun", required=True, metavar="TAHUN", help="tahun perencanaan")
    new.add_argument("--tanggal", metavar="YYYY-MM-DD")
    new.add_argument("--pukul", metavar="HH:MM")
    new.add_argument("--tempat")
    new.add_argument("--pimpinan")
    new.add_argument("--notulis")
    new.add_argument("--pagu", metavar="RUPIAH")
    new.set_defaults(handler=cmd_new, creates=("path",))

    opener = subparsers.add_parser("open", parents=[common, readonly], help="buka aplikasi notulis")
    opener.add_argument("path", metavar="PATH")
    opener.add_argument("--exit-when-ready", action="store_true", help=argparse.SUPPRESS)
    opener.set_defaults(handler=cmd_open)

    demo = subparsers.add_parser("demo", parents=[common], help="forum demo Kec. Sooko")
    demo.add_argument("path", metavar="PATH", nargs="?")
    demo.add_argument("--no-open", action="store_true", help="buat saja, jangan buka aplikasi")
    demo.add_argument("--exit-when-ready", action="store_true", help=argparse.SUPPRESS)
    demo.set_defaults(handler=cmd_demo, creates=("path",))

    importer = subparsers.add_parser("import", parents=[common], help="impor CSV/XLSX")
    importer.add_argument("path", metavar="PATH")
    importer.add_argument("files", metavar="FILE", nargs="+")
    importer.add_argument("--trust", action="store_true", help="percayai kunci bundel desa")
    importer.add_argument(
        "--kolom",
        metavar="JUDUL=kolom",
        action="append",
        default=[],
        help='petakan judul kolom dengan tangan, mis. --kolom "Nama Lengkap=nama" (bisa diulang)',
    )
    importer.set_defaults(handler=cmd_import)

    dump = subparsers.add_parser("dump", parents=[readonly], help="isi forum sebagai JSON")
    dump.add_argument("path", metavar="PATH")
    dump.add_argument("--lengkap", action="store_true", help="tampilkan NIK lengkap")
    dump.set_defaults(handler=cmd_dump)

    check = subparsers.add_parser("check", parents=[readonly], help="periksa keutuhan berkas forum")
    check.add_argument("path", metavar="PATH")
    check.set_defaults(handler=cmd_check)

    restore = subparsers.add_parser("restore", parents=[common], help="cadangan: daftar/pulihkan")
    restore.add_argument("path", metavar="PATH")
    restore.add_argument("backup", metavar="BACKUP", nargs="?")
    restore.add_argument(
        "--paksa", action="store_true", help="pulihkan walau cadangan berasal dari forum lain"
    )
    restore.set_defaults(handler=cmd_restore)

    display = subparsers.add_parser("display", help="tampilan prioritas untuk proyektor")
    display.add_argument("path", metavar="PATH")
    display.add_argument("--serve", action="store_true", help="tampilkan di peramban")
    display.add_argument(
        "--host", default="127.0.0.1", help="alamat --serve (0.0.0.0: jaringan ruangan)"
    )
    display.set_defaults(handler=cmd_display)

    finalize = subparsers.add_parser("finalize", parents=[common], help="draf -> final")
    finalize.add_argument("path", metavar="PATH")
    finalize.add_argument(
        "--lanjutkan",
        action="store_true",
        help="tetap finalkan meski ada peringatan (dicatat di log audit)",
    )
    finalize.set_defaults(handler=cmd_finalize)

    sign = subparsers.add_parser("sign", parents=[common], help="catat tanda tangan/paraf")
    sign.add_argument("path", metavar="PATH")
    roles = sorted(ROLES)
    sign.add_argument("--role", required=True, choices=roles)
    sign.add_argument("--name", required=True)
    sign.add_argument("--nip", default="")
    sign.add_argument("--pangkat", default="")
    sign.set_defaults(handler=cmd_sign)

    report = subparsers.add_parser(
        "laporan", parents=[common], help="paket laporan ke Kabupaten (SOP langkah 7)"
    )
    report.add_argument("path", metavar="PATH")
    report.add_argument("--out", required=True, metavar="FOLDER")
    report.add_argument("--zip", action="store_true", help="juga sebagai satu berkas .zip")
    report.set_defaults(handler=cmd_report, creates=("out",))

    carry = subparsers.add_parser(
        "bawa",
        parents=[common],
        help="bawa usulan cadangan/tidak diakomodir ke forum tahun berikutnya",
    )
    carry.add_argument("path", metavar="SUMBER", help="forum tahun ini")
    carry.add_argument("target", metavar="TUJUAN", help="forum desa yang sama tahun berikutnya")
    carry.set_defaults(handler=cmd_carry)

    purge = subparsers.add_parser(
        "purge-personal", parents=[common], help="hapus NIK dan nomor telepon (UU PDP)"
    )
    purge.add_argument("path", metavar="PATH")
    purge.set_defaults(handler=cmd_purge)


def _operator(args: argparse.Namespace) -> str:
    from store.office import resolve_operator

    return resolve_operator(getattr(args, "operator", None))


def cmd_new(args: argparse.Namespace) -> int:
    from store.forum import create_forum
    from store.forum_create import build_forum_file
    from store.paths import forum_path

    path = forum_path(args.path)
    if path.exists():
        return fail(f"Berkas {path} sudah ada: pilih nama lain.", EXIT_USAGE)
    fields = {
        key: getattr(args, key)
        for key in ("tanggal", "pukul", "tempat", "pimpinan", "notulis", "pagu")
        if getattr(args, key) is not None
    }

    def build(temp: Path) -> str:
        with create_forum(
            temp,
            operator=_operator(args),
            level=args.level,
            wilayah=args.wilayah,
            tahun=args.tahun,
            **fields,
        ) as forum:
            forum.agenda.add_standard()
            return forum.meta["judul"]

    title = build_forum_file(path, build)
    print(f"Forum dibuat: {shown(path)} ({shown(title)})")
    return EXIT_OK


def cmd_open(args: argparse.Namespace) -> int:
    from store.paths import forum_path
    from tui.cli.launch import run_forum_app

    return run_forum_app(forum_path(args.path), args)


def cmd_demo(args: argparse.Namespace) -> int:
    from store.demo import build_demo
    from store.forum_create import build_forum_file
    from store.integrity import refuse_if_damaged
    from store.paths import forum_path

    path = forum_path(args.path or DEMO_NAME)
    if path.exists():
        refuse_if_damaged(path)  # a damaged file is never reused as the demo
        print(f"Forum demo sudah ada, dipakai kembali: {shown(path)}")
    else:
        path.parent.mkdir(parents=True, exist_ok=True)
        build_forum_file(path, lambda temp: build_demo(temp, operator=_operator(args)))
        print(f"Forum demo dibuat: {shown(path)}")
    if args.no_open:
        return EXIT_OK
    from tui.cli.launch import run_forum_app

    return run_forum_app(path, args)


def cmd_import(args: argparse.Namespace) -> int:
    """CSV/XLSX files through the importer, desa bundles (.zip) through ``tui.cli.sop_verbs``;
    each file all or nothing, the exit code the worst met (2 over 1 over 0)."""
    from store.import_files import parse_overrides
    from store.importer import import_files, is_bundle
    from store.paths import forum_path
    from store.validation_error import ValidationError

    _refuse_if_damaged(args)
    try:
        columns = parse_overrides(args.kolom)
    except ValidationError as error:
        return fail(error.message, EXIT_USAGE)
    files = [Path(f) for f in args.files]
    bundles = [f for f in files if is_bundle(f)]
    tables = [f for f in files if f not in bundles]
    code = EXIT_OK
    if tables:
        reports = import_files(
            forum_path(args.path), tables, operator=_operator(args), columns=columns
        )
        for report in reports:
            print(report.describe(), file=sys.stdout if report.ok else sys.stderr)
            if not report.ok:
                code = EXIT_USAGE
    if bundles:
        from tui.cli.sop_verbs import import_bundles

        result = import_bundles(
            forum_path(args.path), bundles, trust=args.trust, operator=_operator(args)
        )
        code = max(code, result)
    return code


def cmd_dump(args: argparse.Namespace) -> int:
    import orjson

    from store.forum import open_forum
    from store.integrity import refuse_if_damaged
    from store.paths import forum_path
    from store.personal import mask_personal
    from store.shown_text import json_for_terminal

    path = forum_path(args.path)
    refuse_if_damaged(path)
    with open_forum(path, readonly=True) as forum:
        data = forum.export_tables()
    if not args.lengkap:
        data = mask_personal(data)
    dumped = orjson.dumps(data, option=orjson.OPT_INDENT_2)
    sys.stdout.buffer.write(json_for_terminal(dumped) + b"\n")
    return EXIT_OK


def cmd_check(args: argparse.Namespace) -> int:
    from store.integrity import check_forum_report
    from store.paths import forum_path
    from store.storage_errors import ForumFileError, ForumPathError

    path = forum_path(args.path)
    try:
        problems, torn = check_forum_report(path)
    except ForumPathError as error:  # a wrong argument, not a damaged file
        return fail(str(error), EXIT_USAGE)
    except ForumFileError as error:
        return fail(str(error), EXIT_FAILED)
    if problems:
        for problem in problems:
            print(f"- {shown(problem)}", file=sys.stderr)
        return fail(f"{path}: {len(problems)} masalah ditemukan.", EXIT_FAILED)
    if torn:
        print(
            "Catatan: baris terakhir terpotong (sisa penulisan yang terhenti) dan diabaikan; "
            "semua perubahan yang sudah tersimpan utuh."
        )
    print(f"{shown(path)}: utuh, tidak ada masalah.")
    return EXIT_OK


def cmd_restore(args: argparse.Namespace) -> int:
    from store import backup
    from store.paths import forum_path

    path = forum_path(args.path)
    backups = backup.list_backups(path)
    if not args.backup:
        if not backups:
            print(f"Belum ada cadangan untuk {shown(path)}.")
            return EXIT_OK
        print(f"Cadangan {shown(path)} (terbaru di atas):")
        for info in backups:
            size = f"{info.size:,}".replace(",", ".")  # Indonesian digit grouping
            print(f"  {shown(info.path.name)}  {info.when:%d-%m-%Y %H.%M.%S}  {size} bita")
        print("Pulihkan dengan: musrenbang restore PATH NAMA_CADANGAN")
        return EXIT_OK
    chosen = Path(args.backup)
    if not chosen.exists():
        matches = [info.path for info in backups if info.path.name == args.backup]
        if not matches:
            return fail(f"Cadangan '{args.backup}' tidak ditemukan.", EXIT_USAGE)
        chosen = matches[0]
    backup.restore(path, chosen, operator=_operator(args), force=args.paksa)
    print(f"Forum {shown(path)} dipulihkan dari {shown(chosen.name)}.")
    return EXIT_OK


def cmd_display(args: argparse.Namespace) -> int:
    from store.paths import forum_path
    from tui.display.screen import run_display

    return run_display(forum_path(args.path), serve=args.serve, host=args.host)


def _refuse_if_damaged(args: argparse.Namespace) -> None:
    """Verbs that change or sign off a whole forum first refuse a damaged one, as ``check``
    sees it (ForumFileError naming the newest good backup), like dump/export/import do."""
    from store.integrity import refuse_if_damaged
    from store.paths import forum_path

    refuse_if_damaged(forum_path(args.path))


def cmd_finalize(args: argparse.Namespace) -> int:
    from store.forum import open_forum
    from store.paths import forum_path

    with open_forum(forum_path(args.path), operator=_operator(args)) as forum:
        _refuse_if_damaged(args)  # held: exit 3 first
        readiness = forum.signoff.readiness()
        if readiness.siap and readiness.peringatan and not args.lanjutkan:
            lines = "\n".join(f"- {item.line()}" for item in readiness.peringatan)
            return fail(
                f"Ada {len(readiness.peringatan)} peringatan, forum belum difinalkan:\n{lines}\n"
                "Ulangi dengan --lanjutkan untuk tetap memfinalkan (peringatan dicatat di log "
                "audit).",
                EXIT_USAGE,
            )
        warnings = forum.signoff.finalize()
    for warning in warnings:
        print(f"Peringatan: {shown(warning)}", file=sys.stderr)
    print("Forum berstatus final: isi dibekukan, perubahan hanya melalui amandemen.")
    return EXIT_OK


def cmd_sign(args: argparse.Namespace) -> int:
    from store.forum import open_forum
    from store.paths import forum_path
    from store.signoff import PARAF_ROLES

    with open_forum(forum_path(args.path), operator=_operator(args)) as forum:
        _refuse_if_damaged(args)  # held: exit 3 first
        status = forum.signoff.sign(args.role, args.name, nip=args.nip, pangkat=args.pangkat)
        required = forum.signoff.required_roles()
        missing = [role for role in forum.signoff.unsigned_roles() if role in required]
    kind = "Paraf" if args.role in PARAF_ROLES else "Tanda tangan"
    print(f"{kind} {args.role} ({args.name}) dicatat. Status forum: {status}.")
    if missing:
        print("Masih menunggu: " + ", ".join(missing))
    return EXIT_OK


def cmd_purge(args: argparse.Namespace) -> int:
    from store.forum import open_forum
    from store.paths import forum_path

    with open_forum(forum_path(args.path), operator=_operator(args)) as forum:
        _refuse_if_damaged(args)  # held: exit 3 first
        erased = forum.signoff.purge_personal()
    print(f"NIK dan nomor telepon {erased} peserta dihapus (UU PDP).")
    return EXIT_OK


def cmd_report(args: argparse.Namespace) -> int:
    """SOP step 7: surat pengantar, signed recap and the kecamatan's own bundle."""
    from exports.export_all import ExportError
    from exports.keys import PASSPHRASE_ENV, KeyProblem
    from exports.report_package import write_report_package
    from store.forum import open_forum
    from store.paths import forum_path

    with open_forum(forum_path(args.path), operator=_operator(args)) as forum:
        _refuse_if_damaged(args)  # held: exit 3 first
        try:
            package = write_report_package(
                forum,
                Path(args.out),
                archive=args.zip,
                passphrase=os.environ.get(PASSPHRASE_ENV) or None,
            )
        except (ExportError, KeyProblem) as error:
            return fail(str(error), EXIT_USAGE)
    print(f"Paket laporan ke Kabupaten ditulis di {package.folder}:")
    for file in package.files:
        print(f"  {shown(file.name)}")
    return EXIT_OK


def cmd_carry(args: argparse.Namespace) -> int:
    """Carry unfunded proposals into next year's forum of the same desa, with their history."""
    from store.carry_over import carry_over
    from store.forum import open_forum
    from store.paths import forum_path

    with (
        open_forum(forum_path(args.path), readonly=True) as source,
        open_forum(forum_path(args.target), operator=_operator(args)) as target,
    ):
        report = carry_over(source, target)
    print(report.describe())
    return EXIT_OK
