"""The QR picture of a verification code, sized to scan from a 150 dpi print or render.

Error correction M (15% of the symbol may be smudged or stamped over). The printed size is
chosen from the symbol's module count so one module is at least 0.45 mm: about 2.7 pixels at
150 dpi, which zxing and phone cameras read reliably.

The mask pattern is fixed: every mask is valid for every reader, and letting the qrcode
package score all eight (its default) took most of the time of issuing a document. Our data
is base32 (evenly spread bits), so the large uniform areas that masks exist to break up do
not occur.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

import qrcode
from qrcode.constants import ERROR_CORRECT_M

MODULE_MM = 0.45
QUIET_MODULES = 4
MIN_WIDTH_MM = 28.0
MASK_PATTERN = 2


@dataclass(frozen=True)
class QrImage:
    png: bytes
    width_mm: float
    version: int


def make_qr(text: str) -> QrImage:
    """PNG bytes of the QR for ``text`` and the width to print it at."""
    code = qrcode.QRCode(
        error_correction=ERROR_CORRECT_M,
        box_size=6,
        border=QUIET_MODULES,
        mask_pattern=MASK_PATTERN,
    )
    code.add_data(text)
    code.make(fit=True)
    image = code.make_image(fill_color="black", back_color="white")
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    modules = code.modules_count + 2 * QUIET_MODULES
    return QrImage(buffer.getvalue(), max(MIN_WIDTH_MM, modules * MODULE_MM), code.version)
