"""``musrenbang import KECAMATAN_FORUM BUNDLE... [--trust]``: desa bundles into the kecamatan.

Each bundle is all or nothing and independent of the others: a tampered one (exit 1) or one
from another kecamatan (exit 2) is refused with its reason while the good ones are applied.
The command exits with the worst code met (2 before 1 before 0). ``--trust`` never prompts:
it prints the signer's key fingerprint, to compare with the one on the desa's paper, and
records the trust only once that bundle's import has succeeded. No Textual here: this verb
must start fast.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from exports.bundle import BundleError, VerifiedBundle, read_bundle
from store.forum import Forum, open_forum
from store.intake import import_payload, load_previous_year
from store.validation import ValidationError

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2


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
    code = EXIT_OK
    with open_forum(forum_path, operator=operator) as forum:
        meta = forum.meta
        previous_year = load_previous_year(meta["wilayah_kode"], meta["tahun"])
        for path in bundle_paths:
            code = _worse(code, _import_one(forum, Path(path), trust, previous_year))
    return code


def _import_one(forum: Forum, path: Path, trust: bool, previous_year: list[dict[str, Any]]) -> int:
    meta = forum.meta
    try:
        bundle = read_bundle(
            path, trust=trust, expected_kecamatan=meta["wilayah_kode"], expected_tahun=meta["tahun"]
        )
    except BundleError as error:
        _error(error.message)
        return error.exit_code
    if trust:
        _print_fingerprint(bundle)
    try:
        result = import_payload(
            forum, bundle.payload, digest=bundle.digest, previous_year=previous_year
        )
    except ValidationError as error:
        _error(f"{path.name}: {error.message} Tidak ada yang diubah.")
        return EXIT_USAGE
    print(f"{path.name}: {result.describe()}")
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
        f"{bundle.path.name}: sidik kunci penanda tangan {bundle.fingerprint} ({state}). "
        "Cocokkan dengan sidik kunci yang tercetak pada dokumen desa."
    )


def _error(message: str) -> None:
    print(f"musrenbang: {message}", file=sys.stderr)


def _worse(current: int, new: int) -> int:
    """The exit code that says more: usage (2) over verification (1) over success (0)."""
    return max(current, new)
