"""``musrenbang import KECAMATAN_FORUM BUNDLE... [--trust]``: desa bundles into the kecamatan.

Each bundle is all or nothing and independent of the others: a tampered one (exit 1) or one
from another kecamatan (exit 2) is refused with its reason while the good ones are applied.
The command exits with the worst code met (2 before 1 before 0). ``--trust`` never prompts:
it prints the signer's key fingerprint, to compare with the one on the desa's paper, and
records the trust only once that bundle's import has succeeded. No Textual here: this verb
must start fast.

The office's side of SOP step 1 lives here too: ``musrenbang agenda`` (the buku agenda surat:
register the Kabupaten's letter, number outgoing letters, list, correct a number) and
``musrenbang surat-desa`` (the letter to every desa of the kecamatan). ``cli.build_parser``
imports this module on every start, so the store and export modules are imported inside the
handlers only.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterable
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from store.shown_text import shown
from tui.cli.main import EXIT_OK, EXIT_USAGE, fail

if TYPE_CHECKING:
    from exports.bundle import VerifiedBundle
    from store.forum import Forum


def import_bundle(
    forum_path: Path, bundle_path: Path, *, trust: bool, operator: str | None = None
) -> int:
    """Import one desa bundle; returns the exit code (0, 1 bad signature/untrusted key,
    2 foreign region / other year / unsigned desa forum)."""
    return import_bundles(forum_path, [bundle_path], trust=trust, operator=operator)


def import_bundles(
    forum_path: Path, bundle_paths: Iterable[Path], *, trust: bool, operator: str | None = None
) -> int:
    """Import several bundles into one kecamatan forum, opened once."""
    from store.forum import open_forum
    from store.intake import load_previous_year

    code = EXIT_OK
    with open_forum(forum_path, operator=operator) as forum:
        meta = forum.meta
        previous_year = load_previous_year(meta["wilayah_kode"], meta["tahun"])
        for path in bundle_paths:
            code = _worse(code, _import_one(forum, Path(path), trust, previous_year))
    return code


def _import_one(forum: Forum, path: Path, trust: bool, previous_year: list[dict[str, Any]]) -> int:
    from exports.bundle import BundleError, read_bundle
    from store.intake import import_payload
    from store.validation_error import ValidationError

    meta = forum.meta
    try:
        bundle = read_bundle(
            path,
            trust=trust,
            expected_kecamatan=meta["wilayah_kode"],
            expected_tahun=meta["tahun"],
            forum=forum,
        )
    except BundleError as error:
        _error(error.message)
        return error.exit_code
    if trust:
        _print_fingerprint(bundle)
    try:
        result = import_payload(
            forum,
            bundle.payload,
            digest=bundle.digest,
            previous_year=previous_year,
            signer=bundle.public_raw,
        )
    except ValidationError as error:
        _error(f"{path.name}: {error.message} Tidak ada yang diubah.")
        return EXIT_USAGE
    print(f"{shown(path.name)}: {result.describe()}")
    if not bundle.trusted:
        bundle.record_trust()
        print(f"  Kunci {bundle.fingerprint} kini dipercaya untuk wilayah {bundle.wilayah}.")
    return EXIT_OK


def _print_fingerprint(bundle: VerifiedBundle) -> None:
    state = (
        f"sudah dipercaya ({bundle.trust_note})"
        if bundle.trusted
        else "belum dipercaya; dicatat bila impor berhasil"
    )
    print(
        f"{shown(bundle.path.name)}: sidik kunci penanda tangan {bundle.fingerprint} ({state}). "
        "Cocokkan dengan sidik kunci yang tercetak pada dokumen desa."
    )


def _error(message: str) -> None:
    print(f"musrenbang: {shown(message)}", file=sys.stderr)


def _worse(current: int, new: int) -> int:
    """The exit code that says more: usage (2) over verification (1) over success (0)."""
    return max(current, new)


# ------------------------------------------------------- SOP step 1: agenda and surat desa


def register(subparsers: Any) -> None:
    """Add ``agenda`` (masuk, keluar, daftar, ubah) and ``surat-desa`` to the parser."""
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--operator", default=argparse.SUPPRESS, help="nama operator (audit)")

    agenda = subparsers.add_parser("agenda", help="buku agenda surat masuk/keluar kantor")
    actions = agenda.add_subparsers(
        dest="agenda_action", metavar="AKSI", required=True, parser_class=type(agenda)
    )
    incoming = actions.add_parser(
        "masuk", parents=[common], help="catat surat masuk (mis. surat Kabupaten, SOP langkah 1)"
    )
    incoming.add_argument("--nomor", required=True, metavar="TEKS", help="nomor surat pengirim")
    incoming.add_argument("--tanggal", required=True, metavar="YYYY-MM-DD", help="tanggal surat")
    incoming.add_argument("--dari", required=True, metavar="TEKS", help="pengirim surat")
    incoming.add_argument("--perihal", required=True, metavar="TEKS")
    _add_scope(incoming)
    incoming.set_defaults(handler=cmd_agenda_masuk)

    outgoing = actions.add_parser("keluar", parents=[common], help="beri nomor surat keluar")
    outgoing.add_argument(
        "--jenis",
        required=True,
        metavar="JENIS",
        help="surat-desa, berita-acara, surat-pengantar, surat-mandat, lainnya",
    )
    outgoing.add_argument("--perihal", required=True, metavar="TEKS")
    outgoing.add_argument("--kepada", required=True, metavar="TEKS", help="tujuan surat")
    outgoing.add_argument(
        "--tanggal", metavar="YYYY-MM-DD", help="tanggal surat (bawaan: hari ini)"
    )
    _add_scope(outgoing)
    outgoing.set_defaults(handler=cmd_agenda_keluar)

    listing = actions.add_parser("daftar", help="daftar isi buku agenda")
    listing.add_argument("--tahun", type=_year, metavar="TAHUN", help="tahun surat saja")
    listing.set_defaults(handler=cmd_agenda_daftar)

    edit = actions.add_parser("ubah", parents=[common], help="ubah nomor surat pada buku agenda")
    edit.add_argument("entry_id", metavar="ID", type=_entry_id, help="ID entri (lihat daftar)")
    edit.add_argument(
        "--nomor",
        required=True,
        metavar="TEKS",
        help="nomor baru; surat keluar: klasifikasi/urut/kode unit/tahun",
    )
    edit.set_defaults(handler=cmd_agenda_ubah)

    letters = subparsers.add_parser(
        "surat-desa", parents=[common], help="surat ke setiap desa (SOP langkah 1)"
    )
    letters.add_argument("--wilayah", required=True, metavar="KODE", help="kode kecamatan")
    letters.add_argument("--tahun", required=True, type=_year, metavar="TAHUN")
    letters.add_argument("--out", required=True, metavar="FOLDER", help="folder tujuan .docx")
    letters.add_argument("--tanggal", metavar="YYYY-MM-DD", help="tanggal surat (bawaan: hari ini)")
    letters.set_defaults(handler=cmd_surat_desa, creates=("out",))


def _add_scope(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--tahun-perencanaan", type=_year, metavar="TAHUN")
    parser.add_argument("--wilayah", metavar="KODE", help="kode kecamatan (bawaan: wilayah kantor)")


def _year(text: str) -> int:
    """argparse type: a planning or letter year, refused in Indonesian."""
    if not text.strip().isdigit() or not 2000 <= int(text) <= 2100:
        raise argparse.ArgumentTypeError(f"tahun '{text}' bukan tahun 2000-2100")
    return int(text)


def _entry_id(text: str) -> int:
    if not text.strip().isdigit():
        raise argparse.ArgumentTypeError(f"ID '{text}' bukan angka")
    return int(text)


def _kecamatan(code: str | None) -> str:
    """The kecamatan code, normalized; the office's own region when none is given."""
    from store.office import load_office
    from store.regions import region
    from store.validation_error import ValidationError

    code = code or load_office().get("wilayah_kode") or ""
    if not code:
        return ""
    place = region(code)
    if place.level != "kecamatan":
        raise ValidationError(
            "wilayah", f"Kode wilayah {place.code} ({place.title}) bukan kecamatan."
        )
    return place.code


def cmd_agenda_masuk(args: argparse.Namespace) -> int:
    from store import agenda_book

    entry = agenda_book.register_incoming(
        nomor=args.nomor,
        tanggal=args.tanggal,
        pihak=args.dari,
        perihal=args.perihal,
        tahun_perencanaan=args.tahun_perencanaan,
        wilayah=_kecamatan(args.wilayah),
        operator=getattr(args, "operator", None),
    )
    print(f"Surat masuk dicatat: {_describe(entry)}")
    return EXIT_OK


def cmd_agenda_keluar(args: argparse.Namespace) -> int:
    from store import agenda_book
    from store.validation_error import ValidationError

    if args.jenis not in agenda_book.KINDS:
        choices = ", ".join(agenda_book.KINDS)
        raise ValidationError(
            "jenis", f"Jenis surat '{args.jenis}' tidak dikenal: pilih {choices}."
        )
    entry = agenda_book.number_outgoing(
        tanggal=args.tanggal or date.today(),
        pihak=args.kepada,
        perihal=args.perihal,
        jenis=args.jenis,
        tahun_perencanaan=args.tahun_perencanaan,
        wilayah=_kecamatan(args.wilayah),
        operator=getattr(args, "operator", None),
    )
    print(entry["nomor"])
    return EXIT_OK


def cmd_agenda_daftar(args: argparse.Namespace) -> int:
    from store import agenda_book

    found = agenda_book.entries(tahun=args.tahun)
    if not found:
        print(
            "Buku agenda masih kosong." if args.tahun is None else f"Tidak ada surat {args.tahun}."
        )
    for entry in found:
        print(_describe(entry))
    return EXIT_OK


def cmd_agenda_ubah(args: argparse.Namespace) -> int:
    """An outgoing number is taken apart so the book checks its sequence (and refuses one
    already used); an incoming number is the sender's and is kept as written."""
    from store import agenda_book

    entry = agenda_book.get(args.entry_id)
    if entry["arah"] == "keluar":
        changes: dict[str, Any] = _number_parts(args.nomor, entry["tahun"])
    else:
        changes = {"nomor": args.nomor}
    updated = agenda_book.edit_entry(args.entry_id, **changes)
    print(f"Diubah: {_describe(updated)}")
    return EXIT_OK


def _number_parts(text: str, tahun: int) -> dict[str, Any]:
    """``050/82/35.16.13/2026`` -> klasifikasi, urut, kode_unit; the year must be the letter's."""
    from store.validation_error import ValidationError

    parts = [p.strip() for p in text.split("/")]
    if len(parts) != 4 or not parts[1].isdigit() or not parts[3].isdigit():
        raise ValidationError(
            "nomor",
            f"Nomor surat keluar '{text}' harus berbentuk klasifikasi/urut/kode unit/tahun "
            "(contoh 050/82/35.16.13/2026).",
        )
    if int(parts[3]) != tahun:
        raise ValidationError(
            "nomor", f"Tahun pada nomor '{text}' bukan {tahun}, tahun surat itu: ubah tanggalnya."
        )
    return {"klasifikasi": parts[0], "urut": int(parts[1]), "kode_unit": parts[2]}


def _describe(entry: dict[str, Any]) -> str:
    """One line of the book: ID, direction, number, date, from/to, subject."""
    arah = "MASUK " if entry["arah"] == "masuk" else "KELUAR"
    pihak = f"dari {entry['pihak']}" if entry["arah"] == "masuk" else f"kepada {entry['pihak']}"
    return (
        f"[{entry['id']}] {arah} {entry['nomor']}  {entry['tanggal']}  {pihak}  "
        f"perihal: {entry['perihal'] or '-'}"
    )


def cmd_surat_desa(args: argparse.Namespace) -> int:
    from exports import keys
    from exports.documents.surat_desa import write_letters
    from exports.keys import KeyProblem
    from store.validation import parse_date
    from tui.cli.export_verbs import PASSPHRASE_ENV, _passphrase_for_signing

    kecamatan = _kecamatan(args.wilayah)
    tanggal = parse_date(args.tanggal, label="Tanggal surat") if args.tanggal else date.today()
    passphrase = _passphrase_for_signing()
    if passphrase is False:
        return fail(f"Kunci kantor dilindungi frasa sandi: isi {PASSPHRASE_ENV}.", EXIT_USAGE)
    try:
        if passphrase:
            keys.private_key(passphrase)  # a wrong passphrase fails before any number is taken
        written = write_letters(
            kecamatan, args.tahun, Path(args.out), tanggal=tanggal, passphrase=passphrase or None
        )
    except KeyProblem as error:
        return fail(str(error), EXIT_USAGE)
    for path in written:
        print(f"Ditulis: {shown(path)}")
    print(f"{len(written)} surat ke desa ditulis ke {shown(args.out)}.")
    return EXIT_OK
