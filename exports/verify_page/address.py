"""Where the office publishes its verify page (``kantor.json``: ``halaman_verifikasi``).

When set, a document's QR holds that address, ``#`` and the signed code, so a phone camera
opens the page, which reads the code from the fragment (never sent to the server).
"""

from __future__ import annotations

from urllib.parse import urlsplit

from exports import keys

SETTING = "halaman_verifikasi"
MAX_LENGTH = 120  # characters, before the QR size check below
# The demo's longest record body is 66 bytes (a rekap: a 19-character number, seven
# summary figures); with 70 the QR stays at MAX_READABLE_VERSION for addresses up to 41
# characters.
_WORST_BODY = 70


class AddressProblem(ValueError):
    """The address cannot go into a QR (message in Indonesian)."""


def page_address() -> str:
    """The published page's address, or "" when the office set none."""
    value = keys.load_office_settings().get(SETTING) or ""
    return value if isinstance(value, str) else ""


def check_address(text: str) -> str:
    """``text`` as it will go into the QR; AddressProblem when it is not a plain web address.

    Only https (or http) addresses of plain ASCII, without a fragment of their own, short
    enough to keep the QR readable.
    """
    address = text.strip()
    parts = urlsplit(address)
    if parts.scheme not in ("https", "http") or not parts.netloc:
        raise AddressProblem(
            f"Alamat halaman verifikasi '{address}' harus diawali https:// (alamat web)."
        )
    if not address.isascii() or any(c.isspace() or c in "#\"'<>\\" for c in address):
        raise AddressProblem(
            "Alamat halaman verifikasi memuat spasi, '#' atau huruf non-ASCII: tulis alamat biasa."
        )
    if len(address) > MAX_LENGTH or not _fits_in_qr(address):
        raise AddressProblem(
            f"Alamat halaman verifikasi terlalu panjang ({len(address)} huruf): kode QR "
            "menjadi terlalu besar untuk dibaca dari cetakan; pakai alamat pendek, "
            "misalnya https://kecamatan.go.id/v."
        )
    return address


def _fits_in_qr(address: str) -> bool:
    """Whether the QR of the largest record with this address stays readable at 100 dpi."""
    from exports.qr import MAX_READABLE_VERSION, qr_version
    from exports.record_compact import DIGEST, KEY_ID, PREFIX, SIGNATURE, to_digits

    worst = bytes([0xFF]) * (_WORST_BODY + DIGEST + KEY_ID + SIGNATURE)
    return qr_version(f"{address}#{PREFIX}{to_digits(worst)}") <= MAX_READABLE_VERSION


def set_page_address(text: str | None) -> str:
    """Save the address (None or "" removes it); returns what was saved."""
    address = check_address(text) if text else ""
    office = keys.load_office_settings()
    office[SETTING] = address
    keys.save_office_settings(office)
    return address
