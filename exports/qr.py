"""The QR picture of a verification code, sized so zbar reads it from a 100 dpi render.

One module is 0.63 mm: 2.5 pixels at 100 dpi, what zbar needs (0.45 mm, 1.8 px, failed).
Error correction L (7%) keeps the compact code at version 8-9 (53 modules + a 2-module quiet
zone: 36 mm, inside the 40 mm code column, whose own white margin adds to the quiet zone);
M would need version 10-11, too wide for the column at that module size. A symbol wider than
:data:`MAX_WIDTH_MM` (a very long page address) is printed at that width, with smaller modules.

The mask pattern is fixed: every mask is valid for every reader, and letting the qrcode
package score all eight (its default) took most of the time of issuing a document. Our data
is mostly binary data written as digits (evenly spread bits), so the large uniform areas that
masks exist to break up do not occur.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

import qrcode
from qrcode.constants import ERROR_CORRECT_L

MODULE_MM = 0.63
QUIET_MODULES = 2
MIN_WIDTH_MM = 28.0
MAX_WIDTH_MM = 36.0
MAX_READABLE_VERSION = 9  # 53 + 4 modules at MODULE_MM: the widest that fits MAX_WIDTH_MM
MASK_PATTERN = 2


@dataclass(frozen=True)
class QrImage:
    png: bytes
    width_mm: float
    version: int


def make_qr(text: str) -> QrImage:
    """PNG bytes of the QR for ``text`` and the width to print it at."""
    code = qrcode.QRCode(
        error_correction=ERROR_CORRECT_L,
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
    width = min(MAX_WIDTH_MM, max(MIN_WIDTH_MM, modules * MODULE_MM))
    return QrImage(buffer.getvalue(), width, code.version)


def qr_version(text: str) -> int:
    """The QR version ``text`` needs (no picture made): a cheap size check."""
    code = qrcode.QRCode(error_correction=ERROR_CORRECT_L, border=QUIET_MODULES)
    code.add_data(text)
    code.make(fit=True)
    return code.version
