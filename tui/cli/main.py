"""The ``musrenbang`` command line (ARCHITECTURE.md section 3).

Exit codes: 0 success, 1 failed verification or damaged file (check), 2 bad usage or bad
input (nothing changed), 3 the forum is open for writing elsewhere. Errors are one
Indonesian line on stderr, never a traceback. The non-UI verbs never import Textual, so they
start fast; the app and the display are imported only when asked for.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence

EXIT_OK, EXIT_FAILED, EXIT_USAGE, EXIT_LOCKED = 0, 1, 2, 3

Handler = Callable[[argparse.Namespace], int]


class IndonesianHelpFormatter(argparse.HelpFormatter):
    """argparse's help with its English headings in Bahasa Indonesia."""

    def add_usage(self, usage, actions, groups, prefix=None) -> None:  # type: ignore[override]
        super().add_usage(usage, actions, groups, "Cara pakai: " if prefix is None else prefix)


class IndonesianArgumentParser(argparse.ArgumentParser):
    """argparse with help and usage errors in Bahasa Indonesia and exit code 2."""

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("formatter_class", IndonesianHelpFormatter)
        kwargs["add_help"] = False
        super().__init__(*args, **kwargs)
        self._positionals.title = "argumen"
        self._optionals.title = "pilihan"
        self.add_argument("-h", "--help", action="help", help="tampilkan bantuan ini lalu keluar")

    def error(self, message: str) -> None:  # type: ignore[override]
        translated = (
            message.replace("the following arguments are required", "argumen wajib belum diisi")
            .replace("unrecognized arguments", "argumen tidak dikenal")
            .replace("invalid choice", "pilihan tidak dikenal")
            .replace("expected one argument", "perlu satu nilai")
            .replace("argument ", "argumen ")
            .replace("choose from", "pilih dari")
            .replace("expected at least one argument", "perlu paling sedikit satu nilai")
            .replace("not allowed with argument", "tidak boleh bersama argumen")
            .replace("ambiguous option", "pilihan bermakna ganda")
            .replace("could match", "bisa berarti")
            .replace("invalid int value", "bukan bilangan bulat")
            .replace("invalid float value", "bukan angka")
        )
        self.exit(EXIT_USAGE, f"musrenbang: {translated}\n")


def build_parser() -> argparse.ArgumentParser:
    """The whole command line; verbs register themselves from their own modules."""
    from tui.cli import export_verbs, sop_verbs, store_verbs

    parser = IndonesianArgumentParser(
        prog="musrenbang",
        description="Musrenbang di satu laptop: kehadiran, notulen, usulan, prioritas, dokumen.",
    )
    parser.add_argument("--operator", help="nama operator untuk catatan perubahan (audit)")
    subparsers = parser.add_subparsers(
        dest="verb", metavar="PERINTAH", parser_class=IndonesianArgumentParser
    )
    store_verbs.register(subparsers)
    export_verbs.register(subparsers)
    sop_verbs.register(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``musrenbang`` script."""
    parser = build_parser()
    args = parser.parse_args(argv)
    handler: Handler | None = getattr(args, "handler", None)
    unsafe = _unsafe_name_created(args)
    if unsafe is not None:
        return fail(
            f"Nama berkas {unsafe} memuat karakter kendali atau baris baru: pilih nama lain.",
            EXIT_USAGE,
        )
    try:
        if handler is None:
            from tui.cli.launch import run_home

            return run_home(args)
        return handler(args)
    except KeyboardInterrupt:
        return fail("Dibatalkan.", EXIT_USAGE)
    except BrokenPipeError:
        return reader_gone()
    except Exception as error:
        return report_error(error, getattr(args, "path", None))


def _unsafe_name_created(args: argparse.Namespace) -> str | None:
    """The first name of a file or folder this verb would create (``creates``: the argument
    names each verb registers) that holds a control character or a line break: such a name
    is refused before anything is made, whatever the verb."""
    from store.shown_text import has_unsafe

    for name in getattr(args, "creates", ()):
        value = getattr(args, name, None)
        if value is not None and has_unsafe(value):
            return str(value)
    return None


def reader_gone() -> int:
    """The output was piped into a program that stopped reading (``verify ... | head``):
    nothing to tell anyone. Later writes (the interpreter's final flush) go nowhere instead
    of printing an English "Broken pipe"."""
    import os

    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
    return EXIT_FAILED


def report_error(error: Exception, forum_arg: str | None = None) -> int:
    """Map the store's refusals to one Indonesian line and the contract's exit code.

    An unexpected error while a verb worked on forum ``forum_arg`` is, when ``check`` finds
    that forum damaged, the damage's refusal (naming the newest good backup); otherwise it
    is a bug: one line naming the log holding its traceback, exit 1 (never a traceback on
    the operator's screen). Without a forum it propagates. The error classes are imported
    here, not at start-up: ``verify`` must start fast.
    """
    import errno

    from store.lock import ForumLocked
    from store.storage_errors import ForumFileError, os_reason
    from store.validation_error import ValidationError

    if isinstance(error, ForumLocked):
        return fail(str(error), EXIT_LOCKED)
    if isinstance(error, ForumFileError):
        return fail(str(error), EXIT_USAGE)
    if isinstance(error, ValidationError):
        return fail(error.message, EXIT_USAGE)
    if isinstance(error, OSError) and error.errno == errno.EPIPE:
        return reader_gone()  # a reader that stopped, however the error was wrapped
    if isinstance(error, OSError):
        return fail(
            f"Gagal mengakses berkas {error.filename or forum_arg or '(tanpa nama)'}: "
            f"{os_reason(error)}",
            EXIT_USAGE,
        )
    refusal = _damage_refusal(forum_arg) if forum_arg else None
    if refusal is not None:
        return fail(refusal, EXIT_USAGE)
    if forum_arg is None:
        raise error
    return fail(
        f"Terjadi kesalahan tak terduga saat mengolah {forum_arg}; "
        f"rinciannya dicatat di {_log_unexpected(error)}.{_restore_hint(forum_arg)}",
        EXIT_FAILED,
    )


def _restore_hint(forum_arg: str) -> str:
    """ " Cadangan terbaru yang baik: ..." when the forum has a good backup, else nothing
    (the operator may need it even when the error was not the file's fault)."""
    from store.backup import backup_advice, newest_good_backup
    from store.paths import forum_path

    try:
        path = forum_path(forum_arg)
        backup = newest_good_backup(path)
    except Exception:  # a hint must never hide the error being reported
        return ""
    return "" if backup is None else " " + backup_advice(path, backup)


def _log_unexpected(error: Exception) -> str:
    """Append ``error``'s traceback to ``kesalahan.log`` in the data dir (for whoever fixes
    the bug; never on the operator's screen); returns the log's path."""
    import traceback

    from store.paths import data_dir

    try:
        log = data_dir() / "kesalahan.log"
        with log.open("a", encoding="utf-8") as out:
            out.write("".join(traceback.format_exception(error)) + "\n")
    except OSError:
        return "(tidak dapat ditulis)"
    return str(log)


def _damage_refusal(forum_arg: str) -> str | None:
    """The refusal ``check`` gives for this forum, or None when it finds nothing wrong."""
    from store.integrity import refuse_if_damaged
    from store.paths import forum_path
    from store.storage_errors import ForumFileError

    try:
        refuse_if_damaged(forum_path(forum_arg))
    except ForumFileError as damage:
        return str(damage)
    except Exception:  # the check itself failed: report the original error, not this one
        return None
    return None


def fail(message: str, code: int) -> int:
    """Print the refusal on stderr and return the exit code: one clear line, every unsafe
    character of it shown as its escape; only the items of a list the store built
    (finalize's readiness: lines starting "- " or "Ulangi ") keep their own lines."""
    from store.shown_text import shown

    first, *rest = message.split("\n")
    lines = [f"musrenbang: {first}"]
    for part in rest:
        if part.startswith(("- ", "Ulangi ")):
            lines.append(part)
        else:
            lines[-1] += "\n" + part  # escaped below: a path cannot forge a line
    print("\n".join(shown(line) for line in lines), file=sys.stderr)
    return code


if __name__ == "__main__":
    sys.exit(main())
