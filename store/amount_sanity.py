"""Is a typed amount plausible? A warning, never a refusal: "Rp310" for a paving road was
meant as Rp310.000.000, but a small grant or a large bridge can be real, so the operator
confirms or corrects (F4 asks before saving).

Rule (pure): below ``MIN_PLAUSIBLE`` or above the ceiling (the forum's pagu when set, else
``MAX_PLAUSIBLE``) is doubtful. The suggestion is the first of the amount with its thousands
or millions left untyped (x1.000, x1.000.000), or with a zero or a group too many (/10,
/1.000), that lands inside the plausible range; none when no such amount does.
"""

from __future__ import annotations

from dataclasses import dataclass

from store.formatting import format_rupiah

#: Below this no kegiatan in a Musrenbang costs (Rp1.000.000).
MIN_PLAUSIBLE = 1_000_000
#: Above this (Rp100 miliar) no kegiatan of one kecamatan costs, when the forum has no pagu.
MAX_PLAUSIBLE = 100_000_000_000
#: A forum's pagu indikatif lies between these (Rp50 juta for a small desa, Rp1 triliun).
MIN_PAGU = 50_000_000
MAX_PAGU = 1_000_000_000_000


@dataclass(frozen=True)
class AmountDoubt:
    """Why ``jumlah`` looks wrong (``pesan``) and the amount probably meant (``saran``)."""

    jumlah: int
    pesan: str
    saran: int | None

    @property
    def pertanyaan(self) -> str:
        """``Maksud Anda Rp310.000.000?``, or what to do when there is no suggestion."""
        if self.saran is None:
            return "Periksa lagi jumlahnya."
        return f"Maksud Anda {format_rupiah(self.saran)}?"


def doubt_amount(
    amount: int,
    *,
    label: str = "Biaya",
    pagu: int | None = None,
    minimum: int = MIN_PLAUSIBLE,
    maximum: int = MAX_PLAUSIBLE,
    scope: str = "untuk satu kegiatan",
) -> AmountDoubt | None:
    """None when ``amount`` (whole rupiah) is plausible; else the doubt and a suggestion.
    ``pagu`` (when set and plausible itself) lowers the ceiling: one kegiatan above the
    whole pagu is doubtful. ``scope`` says what the amount is for, in the message."""
    ceiling = min(pagu, maximum) if pagu and pagu >= minimum else maximum
    if minimum <= amount <= ceiling:
        return None
    shown = format_rupiah(amount)
    if amount < minimum:
        candidates = [amount * 1_000, amount * 1_000_000]
        floor = format_rupiah(minimum)
        pesan = f"{label} {shown} terlalu kecil {scope} (di bawah {floor})."
    else:
        candidates = [amount // d for d in (10, 1_000) if amount % d == 0]
        pesan = (
            f"{label} {shown} melebihi pagu indikatif {format_rupiah(ceiling)}."
            if ceiling != maximum
            else f"{label} {shown} lebih dari {format_rupiah(maximum)}, jarang {scope}."
        )
    saran = next((c for c in candidates if minimum <= c <= ceiling), None)
    return AmountDoubt(amount, pesan, saran)
