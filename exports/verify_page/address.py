"""Where the office publishes its verify page (``kantor.json``: ``halaman_verifikasi``).

When set, a document's QR holds that address, ``#`` and the signed code, so a phone camera
opens the page, which reads the code from the fragment (never sent to the server).
"""

from __future__ import annotations

from urllib.parse import urlsplit

from exports import keys

SETTING = "halaman_verifikasi"
MAX_LENGTH = 120  # characters: every one of them makes the QR larger


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
    if len(address) > MAX_LENGTH:
        raise AddressProblem(
            f"Alamat halaman verifikasi terlalu panjang ({len(address)} huruf, maksimal "
            f"{MAX_LENGTH}): kode QR menjadi terlalu besar."
        )
    return address


def set_page_address(text: str | None) -> str:
    """Save the address (None or "" removes it); returns what was saved."""
    address = check_address(text) if text else ""
    office = keys.load_office_settings()
    office[SETTING] = address
    keys.save_office_settings(office)
    return address
