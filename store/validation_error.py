"""The one error type every rule raises, so callers can show ``.message`` to the user as is."""

from __future__ import annotations


class ValidationError(ValueError):
    """Bad input, with an Indonesian message that names the field.

    ``field`` is the machine name (``biaya``); ``message`` is the full sentence for the user
    (``Biaya: '1,5 jt' bukan angka rupiah yang jelas (contoh: 1.500.000)``).
    """

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message

    def __str__(self) -> str:
        return self.message
