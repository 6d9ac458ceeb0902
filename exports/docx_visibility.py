"""Naming the elements of a .docx and judging the formatting that could hide text.

The allow-list (:mod:`exports.docx_allowlist`) says which elements may exist; this module
says which *values* of the allowed ones keep text readable: colour against white, font size,
shading, line and paragraph spacing, indents, merged cells, fonts (text fonts only, not
symbol fonts), switched-off toggles, an uncropped QR, a visible watermark. Each check takes
an element and returns None, or the reason in Indonesian. The thresholds are named below.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from lxml import etree

from exports.docx_package import DocxPackage, Unverifiable

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
WP = "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"
A = "http://schemas.openxmlformats.org/drawingml/2006/main"
PIC = "http://schemas.openxmlformats.org/drawingml/2006/picture"
V = "urn:schemas-microsoft-com:vml"
OFFICE = "urn:schemas-microsoft-com:office:office"
W10 = "urn:schemas-microsoft-com:office:word"
W14 = "http://schemas.microsoft.com/office/word/2010/wordml"
A14 = "http://schemas.microsoft.com/office/drawing/2010/main"
PREFIXES = {
    W: "w",
    WP: "wp",
    A: "a",
    PIC: "pic",
    V: "v",
    OFFICE: "o",
    W10: "w10",
    R: "r",
    "http://schemas.openxmlformats.org/markup-compatibility/2006": "mc",
    W14: "w14",
    A14: "a14",
    "http://schemas.microsoft.com/office/word/2012/wordml": "w15",
    "http://schemas.microsoft.com/office/word/2010/wordprocessingShape": "wps",
}


def names(ns: str, local_names: str) -> set[str]:
    """Clark names (``{ns}name``) of the space-separated ``local_names`` in ``ns``."""
    return {f"{{{ns}}}{name}" for name in local_names.split()}


# Switches that change what is seen when on; written switched off by some re-saves.
OFF_ONLY = names(W, "vanish specVanish webHidden bidi rtl")

# Friendly names for what forgers use (the rest is named by its tag).
_DESCRIBED = {
    "txbxContent": "kotak teks",
    "textbox": "kotak teks",
    "sym": "karakter simbol (w:sym)",
    "AlternateContent": "konten alternatif (mc:AlternateContent)",
    "ruby": "teks ruby",
    "altChunk": "potongan dokumen sisipan (altChunk)",
    "ins": "perubahan terlacak (w:ins)",
    "del": "perubahan terlacak (w:del)",
    "moveFrom": "perubahan terlacak (w:moveFrom)",
    "moveTo": "perubahan terlacak (w:moveTo)",
    "delText": "teks terhapus terlacak",
    "commentReference": "komentar",
    "commentRangeStart": "komentar",
    "vanish": "teks tersembunyi (w:vanish)",
    "specVanish": "teks tersembunyi (w:specVanish)",
    "webHidden": "teks tersembunyi (w:webHidden)",
    "fldSimple": "kolom isian (field)",
    "numPr": "penomoran otomatis",
    "framePr": "bingkai teks mengambang",
    "anchor": "gambar mengambang",
    "object": "objek tersemat",
    "highlight": "stabilo/warna latar teks",
    "sdt": "kontrol isian (content control)",
    "footnoteReference": "catatan kaki",
    "endnoteReference": "catatan akhir",
}


def describe(el: etree._Element) -> str:
    """``kotak teks <w:pict>``: what the element is, in words where we know them."""
    qname = etree.QName(el)
    if qname.localname != "txbxContent" and next(el.iter(f"{{{W}}}txbxContent"), None) is not None:
        return f"kotak teks <{PREFIXES.get(qname.namespace or '', '')}:{qname.localname}>"
    prefix = PREFIXES.get(qname.namespace or "", qname.namespace or "")
    tag = f"{prefix}:{qname.localname}"
    friendly = _DESCRIBED.get(qname.localname)
    return f"{friendly} <{tag}>" if friendly else f"unsur <{tag}>"


# ----------------------------------------------------------------------------- values


def _luminance(hex_colour: str) -> float | None:
    """Relative luminance (0 black .. 1 white) of ``RRGGBB``; None for ``auto``."""
    if hex_colour.lower() == "auto":
        return None
    if not re.fullmatch(r"[0-9A-Fa-f]{6}", hex_colour):
        return 1.0  # unreadable: treat as invisible
    channels = [int(hex_colour[i : i + 2], 16) / 255 for i in (0, 2, 4)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


MAX_TEXT_LUMINANCE = 0.45  # lighter than this grey (about #B4B4B4) on white: near invisible
MIN_SHADING_LUMINANCE = 0.5  # cell or paragraph shading darker than this hides dark text
MIN_FONT_HALF_POINTS = 10  # 5 pt
MIN_EXACT_LINE_TWIPS = 160  # 8 pt
MIN_AUTO_LINE_240THS = 180  # three quarters of single spacing


def attr(el: etree._Element, name: str) -> str | None:
    """The ``w:`` attribute ``name`` of ``el``."""
    return el.get(f"{{{W}}}{name}")


def int_attr(el: etree._Element, name: str) -> int | None:
    """The ``w:`` attribute ``name`` as an integer; None when absent or not a number."""
    value = attr(el, name)
    if value is None:
        return None
    try:
        return int(float(value))
    except ValueError:
        return None


def _check_color(el) -> str | None:
    if any(attr(el, a) is not None for a in ("themeColor", "themeTint", "themeShade")):
        return "warna teks dari tema"
    luminance = _luminance(attr(el, "val") or "auto")
    if luminance is not None and luminance > MAX_TEXT_LUMINANCE:
        return f"teks berwarna terang hampir tak terlihat (warna {attr(el, 'val')})"
    return None


def _check_size(el) -> str | None:
    size = int_attr(el, "val")
    if size is None or size < MIN_FONT_HALF_POINTS:
        return f"huruf terlalu kecil untuk dibaca ({attr(el, 'val')} setengah poin)"
    return None


def _check_shading(el) -> str | None:
    if attr(el, "val") not in (None, "clear", "nil"):
        return f"arsiran berpola ({attr(el, 'val')})"
    if any(attr(el, a) is not None for a in ("themeFill", "themeFillTint", "themeFillShade")):
        return "arsiran dari tema"
    luminance = _luminance(attr(el, "fill") or "auto")
    if luminance is not None and luminance < MIN_SHADING_LUMINANCE:
        return f"arsiran gelap yang menutupi teks (warna {attr(el, 'fill')})"
    return None


def _check_spacing(el) -> str | None:
    if el.getparent() is not None and el.getparent().tag == f"{{{W}}}rPr":
        return "jarak antarhuruf diubah"
    line, rule = int_attr(el, "line"), attr(el, "lineRule")
    if rule == "exact" and (line is None or line < MIN_EXACT_LINE_TWIPS):
        return "jarak baris tetap yang terlalu kecil (teks terpotong)"
    if rule in (None, "auto") and line is not None and line < MIN_AUTO_LINE_240THS:
        return "jarak baris yang terlalu rapat (baris saling menimpa)"
    if any((int_attr(el, a) or 0) < 0 for a in ("before", "after")):
        return "jarak paragraf negatif (paragraf saling menimpa)"
    return None


def _check_row_height(el) -> str | None:
    if attr(el, "hRule") == "exact":
        return "tinggi baris tabel tetap (isi sel dapat terpotong)"
    return None


def _check_break(el) -> str | None:
    if attr(el, "type") not in (None, "page", "column", "textWrapping"):
        return f"pemisah jenis {attr(el, 'type')}"
    return None


def _check_reference(el) -> str | None:
    if attr(el, "type") not in (None, "default"):
        return f"kepala/kaki halaman khusus ({attr(el, 'type')})"
    return None


def _check_note(el) -> str | None:
    if attr(el, "type") not in ("separator", "continuationSeparator", "continuationNotice"):
        return "catatan kaki atau catatan akhir"
    return None


def _check_underline(el) -> str | None:
    if any(attr(el, a) is not None for a in ("themeColor", "themeTint", "themeShade")):
        return "warna garis bawah dari tema"
    return None


def _check_off(el) -> str | None:
    if (attr(el, "val") or "true").lower() not in ("0", "false", "off"):
        return describe(el)
    return None


def _check_merge(el) -> str | None:
    """A cell merged into the one before it is not drawn: it must hold no text."""
    if attr(el, "val") == "restart":
        return None
    cell = next(el.iterancestors(f"{{{W}}}tc"), None)
    if cell is not None and any((t.text or "").strip() for t in cell.iter(f"{{{W}}}t")):
        return "teks di dalam sel tabel yang tertutup penggabungan sel"
    return None


def _check_shape(el) -> str | None:
    style = (el.get("style") or "").replace(" ", "").lower()
    if "visibility:hidden" in style or "display:none" in style:
        return "tanda air disembunyikan"
    return None


# Latin text fonts: ours (exports.docx_kit.FONTS), the template's, and their metric-compatible
# stand-ins a re-save may write. A symbol font (Wingdings...) would draw digits as pictures.
TEXT_FONTS = frozenset(
    {
        "arial",
        "times new roman",
        "calibri",
        "cambria",
        "liberation sans",
        "liberation serif",
        "arimo",
        "tinos",
        "carlito",
        "caladea",
        "helvetica",
        "nimbus sans",
        "nimbus roman",
        "dejavu sans",
        "dejavu serif",
    }
)


def _check_fonts(el) -> str | None:
    for slot in ("ascii", "hAnsi"):
        name = attr(el, slot)
        if name is not None and name.strip().lower() not in TEXT_FONTS:
            return f"huruf '{name}' bukan huruf teks yang dikenal"
    return None


def check_theme_fonts(pkg: DocxPackage, main: str) -> None:
    """Theme fonts stand in for ``asciiTheme``/``hAnsiTheme``: they must be text fonts too."""
    for rel in pkg.relationships(main):
        if rel.type != "theme":
            continue
        for latin in pkg.xml(rel.target).iter(f"{{{A}}}latin"):
            name = latin.get("typeface", "")
            parent = latin.getparent()
            in_slot = parent is not None and parent.tag in _THEME_FONT_SLOTS
            if in_slot and name and name.strip().lower() not in TEXT_FONTS:
                raise Unverifiable(f"huruf tema '{name}' bukan huruf teks yang dikenal")


_THEME_FONT_SLOTS = {f"{{{A}}}majorFont", f"{{{A}}}minorFont"}


def _check_crop(el) -> str | None:
    if any(int(v or 0) for v in el.attrib.values() if v.lstrip("-").isdigit()) or any(
        not v.lstrip("-").isdigit() for v in el.attrib.values()
    ):
        return "gambar QR dipotong"
    return None


VALUE_CHECKS: dict[str, Callable[[etree._Element], str | None]] = {
    f"{{{W}}}color": _check_color,
    f"{{{W}}}sz": _check_size,
    f"{{{W}}}szCs": _check_size,
    f"{{{W}}}shd": _check_shading,
    f"{{{W}}}spacing": _check_spacing,
    f"{{{W}}}tab": lambda el: None,  # tab stops: bounded by the text width in the walk
    f"{{{W}}}trHeight": _check_row_height,
    f"{{{W}}}br": _check_break,
    f"{{{W}}}headerReference": _check_reference,
    f"{{{W}}}footerReference": _check_reference,
    f"{{{W}}}footnote": _check_note,
    f"{{{W}}}endnote": _check_note,
    f"{{{W}}}u": _check_underline,
    f"{{{A}}}srcRect": _check_crop,
    f"{{{W}}}rFonts": _check_fonts,
    f"{{{W}}}vMerge": _check_merge,
    f"{{{W}}}hMerge": _check_merge,
    f"{{{V}}}shape": _check_shape,
    **dict.fromkeys(OFF_ONLY, _check_off),
}
