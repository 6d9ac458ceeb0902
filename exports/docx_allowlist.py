"""What a verifiable .docx may hold: our documents plus what Word and LibreOffice add on a
plain re-save, and nothing else.

Reading only the text we sign is not enough: a viewer also draws text boxes, symbols,
alternate content, fields, numbering, headers, and hides or shrinks text by formatting, so a
forged amount can be shown while the signed text stays the same. Instead of listing forgeries
this module lists what is allowed: the package parts, the relationships, every element of
every story (body, headers, footers, footnote and endnote separators) and the values of the
formatting that could make text invisible. The first thing outside the list is reported, in
Indonesian, as an :class:`~exports.docx_package.Unverifiable` naming it and where it is.

Sources for the re-save additions: the parts and elements of our own documents after a
``soffice --convert-to docx`` round trip, and ECMA-376 for Word's usual ones (rsid
attributes, ``w14:paraId``, proofing marks, bookmarks, language tags, ``mc:Ignorable``
declarations, separator footnotes).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from lxml import etree

from exports.docx_package import MAIN_PART, DocxPackage, Unverifiable

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
WP = "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"
A = "http://schemas.openxmlformats.org/drawingml/2006/main"
PIC = "http://schemas.openxmlformats.org/drawingml/2006/picture"
V = "urn:schemas-microsoft-com:vml"
OFFICE = "urn:schemas-microsoft-com:office:office"
W10 = "urn:schemas-microsoft-com:office:word"
_PREFIXES = {
    W: "w",
    WP: "wp",
    A: "a",
    PIC: "pic",
    V: "v",
    OFFICE: "o",
    W10: "w10",
    R: "r",
    "http://schemas.openxmlformats.org/markup-compatibility/2006": "mc",
    "http://schemas.microsoft.com/office/word/2010/wordml": "w14",
    "http://schemas.microsoft.com/office/drawing/2010/main": "a14",
    "http://schemas.microsoft.com/office/word/2012/wordml": "w15",
    "http://schemas.microsoft.com/office/word/2010/wordprocessingShape": "wps",
}

# ----------------------------------------------------------------------------- parts

_PART_PATTERNS = re.compile(
    "|".join(
        (
            r"\[Content_Types\]\.xml",
            r"_rels/\.rels",
            r"docProps/(core|app|custom)\.xml",
            r"docProps/thumbnail\.(jpeg|jpg|png|emf|wmf)",
            r"word/document\.xml",
            r"word/(styles|stylesWithEffects|settings|webSettings|fontTable|numbering)\.xml",
            r"word/(footnotes|endnotes)\.xml",
            r"word/theme/theme\d+\.xml",
            r"word/(header|footer)\d+\.xml",
            r"word/_rels/(document|header\d+|footer\d+|footnotes|endnotes)\.xml\.rels",
            r"word/media/image\d+\.png",
            r"customXml/item\d+\.xml",
            r"customXml/itemProps\d+\.xml",
            r"customXml/_rels/item\d+\.xml\.rels",
        )
    )
)
# Relationship types the main document may have (last segment of the type URI).
_DOCUMENT_RELS = {
    "styles",
    "stylesWithEffects",
    "settings",
    "webSettings",
    "fontTable",
    "theme",
    "numbering",
    "footnotes",
    "endnotes",
    "header",
    "footer",
    "image",
    "customXml",
}
_PACKAGE_RELS = {
    "officeDocument",
    "core-properties",
    "extended-properties",
    "custom-properties",
    "thumbnail",
    "metadata/core-properties",
}

# ----------------------------------------------------------------------------- elements


def _names(ns: str, names: str) -> set[str]:
    return {f"{{{ns}}}{name}" for name in names.split()}


_STRUCTURE = _names(
    W,
    "document body hdr ftr footnotes endnotes footnote endnote p r t tbl tr tc sectPr pPr rPr "
    "tblPr tblGrid gridCol trPr tcPr tblPrEx tab tabs br cr noBreakHyphen softHyphen "
    "lastRenderedPageBreak bookmarkStart bookmarkEnd proofErr fldChar instrText",
)
W14 = "http://schemas.microsoft.com/office/word/2010/wordml"
A14 = "http://schemas.microsoft.com/office/drawing/2010/main"
# Word 2010+ typography it writes on save (digit and ligature forms, never fill or outline:
# w14:textFill could draw text invisible).
_RUN_PROPS = _names(W, "rStyle rFonts b bCs i iCs color sz szCs u lang kern noProof") | _names(
    W14, "ligatures numForm numSpacing cntxtAlts"
)
_PAR_PROPS = _names(
    W,
    "pStyle keepNext keepLines pageBreakBefore widowControl pBdr shd spacing ind jc "
    "snapToGrid contextualSpacing adjustRightInd autoSpaceDE autoSpaceDN textAlignment "
    "outlineLvl cnfStyle overflowPunct kinsoku wordWrap topLinePunct suppressAutoHyphens "
    "suppressLineNumbers mirrorIndents",
)
_BORDERS = _names(W, "top left bottom right start end insideH insideV between bar")
_SECTION = _names(
    W,
    "headerReference footerReference pgSz pgMar cols col docGrid pgNumType formProt "
    "textDirection type vAlign noEndnote",
)
_TABLE = _names(
    W,
    "tblStyle tblW tblInd tblLayout tblLook tblCellMar tblBorders trHeight cantSplit "
    "tblHeader tcW gridSpan vMerge hMerge tcBorders tcMar hideMark",
)
_NOTES = _names(W, "separator continuationSeparator continuationNotice")
_PICTURE = (
    _names(W, "drawing")
    | _names(WP, "inline extent effectExtent docPr cNvGraphicFramePr")
    | _names(
        A,
        "graphicFrameLocks graphic graphicData picLocks blip srcRect stretch fillRect xfrm "
        "off ext extLst prstGeom avLst",
    )
    | _names(A14, "useLocalDpi")
    | _names(PIC, "pic nvPicPr cNvPr cNvPicPr blipFill spPr")
)
_WATERMARK = (
    _names(W, "pict")
    | _names(V, "shapetype stroke formulas f path handles h textpath shape fill")
    | _names(OFFICE, "lock")
    | _names(W10, "wrap")
)
# Switches that change what is seen when on; written switched off by some re-saves.
_OFF_ONLY = _names(W, "vanish specVanish webHidden bidi rtl")
_ALLOWED = _STRUCTURE | _RUN_PROPS | _PAR_PROPS | _BORDERS | _SECTION | _TABLE | _OFF_ONLY

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
        return f"kotak teks <{_PREFIXES.get(qname.namespace or '', '')}:{qname.localname}>"
    prefix = _PREFIXES.get(qname.namespace or "", qname.namespace or "")
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
INDENT_RANGE_TWIPS = (-567, 31680)  # the upper bound is lowered to the text width per file


def _attr(el: etree._Element, name: str) -> str | None:
    return el.get(f"{{{W}}}{name}")


def _int_attr(el: etree._Element, name: str) -> int | None:
    value = _attr(el, name)
    if value is None:
        return None
    try:
        return int(float(value))
    except ValueError:
        return None


def _check_color(el) -> str | None:
    if any(_attr(el, a) is not None for a in ("themeColor", "themeTint", "themeShade")):
        return "warna teks dari tema"
    luminance = _luminance(_attr(el, "val") or "auto")
    if luminance is not None and luminance > MAX_TEXT_LUMINANCE:
        return f"teks berwarna terang hampir tak terlihat (warna {_attr(el, 'val')})"
    return None


def _check_size(el) -> str | None:
    size = _int_attr(el, "val")
    if size is None or size < MIN_FONT_HALF_POINTS:
        return f"huruf terlalu kecil untuk dibaca ({_attr(el, 'val')} setengah poin)"
    return None


def _check_shading(el) -> str | None:
    if _attr(el, "val") not in (None, "clear", "nil"):
        return f"arsiran berpola ({_attr(el, 'val')})"
    if any(_attr(el, a) is not None for a in ("themeFill", "themeFillTint", "themeFillShade")):
        return "arsiran dari tema"
    luminance = _luminance(_attr(el, "fill") or "auto")
    if luminance is not None and luminance < MIN_SHADING_LUMINANCE:
        return f"arsiran gelap yang menutupi teks (warna {_attr(el, 'fill')})"
    return None


def _check_spacing(el) -> str | None:
    if el.getparent() is not None and el.getparent().tag == f"{{{W}}}rPr":
        return "jarak antarhuruf diubah"
    line, rule = _int_attr(el, "line"), _attr(el, "lineRule")
    if rule == "exact" and (line is None or line < MIN_EXACT_LINE_TWIPS):
        return "jarak baris tetap yang terlalu kecil (teks terpotong)"
    if rule in (None, "auto") and line is not None and line < MIN_AUTO_LINE_240THS:
        return "jarak baris yang terlalu rapat (baris saling menimpa)"
    if any((_int_attr(el, a) or 0) < 0 for a in ("before", "after")):
        return "jarak paragraf negatif (paragraf saling menimpa)"
    return None


def _check_indent(el) -> str | None:
    low, high = INDENT_RANGE_TWIPS
    for name in ("left", "right", "start", "end", "firstLine", "hanging"):
        value = _int_attr(el, name) if _attr(el, name) is not None else 0
        if value is None or not low <= value <= high:
            return f"inden yang mendorong teks keluar halaman ({name}={_attr(el, name)})"
    return None


def _check_table_indent(el) -> str | None:
    value = _int_attr(el, "w")
    low, high = INDENT_RANGE_TWIPS
    if value is None or not low <= value <= high:
        return f"tabel digeser keluar halaman ({_attr(el, 'w')})"
    return None


def _check_row_height(el) -> str | None:
    if _attr(el, "hRule") == "exact":
        return "tinggi baris tabel tetap (isi sel dapat terpotong)"
    return None


def _check_break(el) -> str | None:
    if _attr(el, "type") not in (None, "page", "column", "textWrapping"):
        return f"pemisah jenis {_attr(el, 'type')}"
    return None


def _check_reference(el) -> str | None:
    if _attr(el, "type") not in (None, "default"):
        return f"kepala/kaki halaman khusus ({_attr(el, 'type')})"
    return None


def _check_note(el) -> str | None:
    if _attr(el, "type") not in ("separator", "continuationSeparator", "continuationNotice"):
        return "catatan kaki atau catatan akhir"
    return None


def _check_underline(el) -> str | None:
    if any(_attr(el, a) is not None for a in ("themeColor", "themeTint", "themeShade")):
        return "warna garis bawah dari tema"
    return None


def _check_off(el) -> str | None:
    if (_attr(el, "val") or "true").lower() not in ("0", "false", "off"):
        return describe(el)
    return None


def _check_merge(el) -> str | None:
    """A cell merged into the one before it is not drawn: it must hold no text."""
    if _attr(el, "val") == "restart":
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
        name = _attr(el, slot)
        if name is not None and name.strip().lower() not in TEXT_FONTS:
            return f"huruf '{name}' bukan huruf teks yang dikenal"
    return None


def _check_theme_fonts(pkg: DocxPackage, main: str) -> None:
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


_VALUE_CHECKS: dict[str, Callable[[etree._Element], str | None]] = {
    f"{{{W}}}color": _check_color,
    f"{{{W}}}sz": _check_size,
    f"{{{W}}}szCs": _check_size,
    f"{{{W}}}shd": _check_shading,
    f"{{{W}}}spacing": _check_spacing,
    f"{{{W}}}ind": _check_indent,
    f"{{{W}}}tab": lambda el: None,  # tab stops: bounded by the text width in the walk
    f"{{{W}}}tblInd": _check_table_indent,
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
    **dict.fromkeys(_OFF_ONLY, _check_off),
}

# ----------------------------------------------------------------------------- the walk


@dataclass
class Stories:
    """What the checked package shows: the body, then ``("header" | "footer", root)`` in
    the order the sections name them (as :func:`exports.canonical.section_stories`)."""

    body: etree._Element
    sections: list[tuple[str, etree._Element]] = field(default_factory=list)
    style_names: dict[str, str] = field(default_factory=dict)
    picture_part: str | None = None
    picture_descriptions: list[str] = field(default_factory=list)


_P, _R, _PSTYLE = f"{{{W}}}p", f"{{{W}}}r", f"{{{W}}}pStyle"
_IND, _TAB = f"{{{W}}}ind", f"{{{W}}}tab"
# Where text-bearing elements may stand (a paragraph inside a run is drawn by some viewers
# and read by none of our code).
_STORY_ROOTS = _names(W, "body tc hdr ftr footnote endnote")
_PARENTS = {
    f"{{{W}}}t": _names(W, "r"),
    f"{{{W}}}r": _names(W, "p"),
    f"{{{W}}}p": _STORY_ROOTS,
    f"{{{W}}}tbl": _STORY_ROOTS,
    f"{{{W}}}tr": _names(W, "tbl"),
    f"{{{W}}}tc": _names(W, "tr"),
    f"{{{W}}}instrText": _names(W, "r"),
    f"{{{W}}}fldChar": _names(W, "r"),
    f"{{{W}}}tab": _names(W, "r tabs"),
    f"{{{W}}}br": _names(W, "r"),
    f"{{{W}}}cr": _names(W, "r"),
    f"{{{W}}}drawing": _names(W, "r"),
    f"{{{W}}}pict": _names(W, "r"),
    f"{{{W}}}sectPr": _names(W, "body pPr"),
    f"{{{W}}}body": _names(W, "document"),
}
_DRAWING, _PICT = f"{{{W}}}drawing", f"{{{W}}}pict"
_STYLE_REFS = {f"{{{W}}}{t}": t for t in ("pStyle", "rStyle", "tblStyle")}
_BLIP, _DOC_PR = f"{{{A}}}blip", f"{{{WP}}}docPr"
_FIELD_NAMES = {"PAGE", "NUMPAGES"}


def check_package(pkg: DocxPackage, block_style: str) -> Stories:
    """Check every part, relationship and story element; returns the stories to read.

    ``block_style`` is the name of the verification block's paragraph style: the QR
    picture is allowed there and nowhere else. Raises Unverifiable naming the first thing
    outside the allow-list.
    """
    for name in sorted(pkg.names):
        if not _PART_PATTERNS.fullmatch(name):
            raise Unverifiable(f"bagian tambahan {name} di dalam berkas")
    for rel in pkg.relationships(""):
        if rel.type not in _PACKAGE_RELS or rel.external:
            raise Unverifiable(f"hubungan paket jenis {rel.type} menuju {rel.target}")
    main = pkg.main_part()
    styles_root = _styles_root(pkg, main)
    style_names = _style_names(styles_root)
    block_ids = {sid for sid, n in style_names.items() if _same(n, block_style)}
    walker = _Walker(pkg, main, block_ids)
    root = pkg.xml(main)
    body = root.find(f"{{{W}}}body")
    if root.tag != f"{{{W}}}document" or len(root.findall(f"{{{W}}}body")) != 1:
        raise Unverifiable(f"{main} bukan dokumen Word")
    walker.walk(root, "body", main)
    stories = Stories(body, style_names=style_names)
    _read_sections(pkg, main, body, stories, walker)
    _check_notes(pkg, main, walker)
    _check_images(pkg, walker, stories)
    _check_styles(styles_root, walker.used_styles)
    _check_theme_fonts(pkg, main)
    return stories


def _same(a: str, b: str) -> bool:
    return a.replace(" ", "").lower() == b.replace(" ", "").lower()


class _Walker:
    def __init__(self, pkg: DocxPackage, main: str, block_ids: set[str]) -> None:
        self.block_ids = block_ids
        self.text_width = _text_width(pkg.xml(main))
        self.rels = {r.rel_id: r for r in pkg.relationships(main)}
        for rel in self.rels.values():
            if rel.type not in _DOCUMENT_RELS or rel.external:
                raise Unverifiable(f"hubungan jenis {rel.type} menuju {rel.target} di {main}")
            if rel.target not in pkg.names:
                raise Unverifiable(f"{main} merujuk bagian {rel.target} yang tidak ada")
        self.used_styles: set[str] = set()
        self.pictures: list[etree._Element] = []

    def walk(self, root: etree._Element, story: str, part: str) -> None:
        """Check every element of one story (one pass, document order)."""
        extra = {"body": _PICTURE, "header": _WATERMARK, "note": _NOTES}.get(story, frozenset())
        for el in root.iter():
            tag = el.tag
            if not isinstance(tag, str):
                continue  # comments and processing instructions draw nothing
            if tag not in _ALLOWED and (tag not in extra or not self._allowed_here(el, story)):
                raise Unverifiable(f"{describe(el)} di {part}")
            parents = _PARENTS.get(tag)
            if parents is not None:
                parent = el.getparent()
                if parent is not None and parent.tag not in parents:
                    raise Unverifiable(f"{describe(el)} di tempat yang tidak semestinya di {part}")
            check = _VALUE_CHECKS.get(tag)
            if check is not None:
                reason = check(el) or self._check_position(el)
                if reason:
                    raise Unverifiable(f"{reason} di {part}")
            if tag in _STYLE_REFS:
                self.used_styles.add(_attr(el, "val") or "")
            elif tag == _DRAWING:
                self.pictures.append(el)
            elif tag == _BLIP:
                self._check_blip(el, part)
        _check_fields(root, story, part)

    def _allowed_here(self, el, story: str) -> bool:
        """Pictures only inside the verification block; other extras (watermark, note
        separators) anywhere in their story."""
        if story != "body":
            return True
        for ancestor in el.iterancestors(_P):
            style = ancestor.find(f"{{{W}}}pPr/{{{W}}}pStyle")
            return style is not None and _attr(style, "val") in self.block_ids
        return False

    def _check_position(self, el) -> str | None:
        """Indents and tab stops stay within the text width: beyond it, text is pushed off
        the page while still counted as signed text."""
        names = {_IND: ("left", "right", "start", "end", "firstLine"), _TAB: ("pos",)}.get(el.tag)
        if not names or (el.tag == _TAB and _attr(el, "val") == "clear"):
            return None
        for name in names:
            value = _int_attr(el, name)
            if value is not None and value > self.text_width:
                return (
                    f"teks didorong keluar halaman ({name}={value}, lebar teks {self.text_width})"
                )
        return None

    def _check_blip(self, blip, part: str) -> None:
        if blip.get(f"{{{R}}}link") is not None:
            raise Unverifiable(f"gambar tertaut ke luar berkas di {part}")
        rel = self.rels.get(blip.get(f"{{{R}}}embed", ""))
        if rel is None or rel.type != "image":
            raise Unverifiable(f"gambar tanpa sumber yang sah di {part}")


def _check_fields(root: etree._Element, story: str, part: str) -> None:
    """Fields are allowed only where we put them: page numbers in footers, whose result
    the viewer recomputes; anything else could show a stale or literal text."""
    stack: list[list] = []  # [instruction, in_result]
    for el in root.iter(f"{{{W}}}fldChar", f"{{{W}}}instrText", f"{{{W}}}t"):
        tag = etree.QName(el).localname
        if tag == "fldChar":
            kind = _attr(el, "fldCharType")
            if kind == "begin":
                if stack or story != "footer":
                    raise Unverifiable(f"kolom isian (field) di {part}")
                stack.append(["", False])
            elif kind == "separate" and stack:
                name = stack[-1][0].split()
                if len(name) != 1 or name[0].upper() not in _FIELD_NAMES:
                    raise Unverifiable(f"kolom isian '{stack[-1][0].strip()}' di {part}")
                stack[-1][1] = True
            elif kind == "end" and stack:
                stack.pop()
            else:
                raise Unverifiable(f"kolom isian rusak di {part}")
        elif tag == "instrText":
            if not stack or stack[-1][1]:
                raise Unverifiable(f"kolom isian rusak di {part}")
            stack[-1][0] += el.text or ""
        elif stack and stack[-1][1] and not re.fullmatch(r"[0-9]{1,5}", (el.text or "").strip()):
            raise Unverifiable(f"hasil nomor halaman berupa teks '{el.text}' di {part}")
    if stack:
        raise Unverifiable(f"kolom isian tidak ditutup di {part}")


def _text_width(root: etree._Element) -> int:
    """The widest text area of any section, in twips (page width less both margins)."""
    widest = 0
    for sect in root.iter(f"{{{W}}}sectPr"):
        size, margins = sect.find(f"{{{W}}}pgSz"), sect.find(f"{{{W}}}pgMar")
        page = _int_attr(size, "w") if size is not None else None
        left = (_int_attr(margins, "left") or 0) if margins is not None else 0
        right = (_int_attr(margins, "right") or 0) if margins is not None else 0
        widest = max(widest, (page or 11906) - max(0, left) - max(0, right))
    return widest or 11906


def _read_sections(pkg, main: str, body, stories: Stories, walker: _Walker) -> None:
    """Headers and footers in the order sections name them; every one must be named."""
    referenced: set[str] = set()
    for ref in body.iter(f"{{{W}}}headerReference", f"{{{W}}}footerReference"):
        rel = walker.rels.get(ref.get(f"{{{R}}}id", ""))
        kind = etree.QName(ref).localname.removesuffix("Reference")
        if rel is None or rel.type != kind:
            raise Unverifiable(f"rujukan {kind} tanpa bagian yang sah di {main}")
        if rel.target in referenced:
            continue
        referenced.add(rel.target)
        root = pkg.xml(rel.target)
        if root.tag != f"{{{W}}}{'hdr' if kind == 'header' else 'ftr'}":
            raise Unverifiable(f"bagian {rel.target} bukan {kind}")
        for sub in pkg.relationships(rel.target):
            raise Unverifiable(f"hubungan jenis {sub.type} dari {rel.target}")
        walker.walk(root, kind, rel.target)
        stories.sections.append((kind, root))
    for name in pkg.names:
        if re.fullmatch(r"word/(header|footer)\d+\.xml", name) and name not in referenced:
            raise Unverifiable(f"bagian tambahan {name} yang tidak dipakai halaman mana pun")


def _check_notes(pkg, main: str, walker: _Walker) -> None:
    """Footnote and endnote parts: Word writes their separators; real notes are refused."""
    for rel in walker.rels.values():
        if rel.type in ("footnotes", "endnotes"):
            for sub in pkg.relationships(rel.target):
                raise Unverifiable(f"hubungan jenis {sub.type} dari {rel.target}")
            walker.walk(pkg.xml(rel.target), "note", rel.target)


def _check_images(pkg, walker: _Walker, stories: Stories) -> None:
    """Exactly one picture, the QR, inline in the verification block, and one image part."""
    media = sorted(n for n in pkg.names if n.startswith("word/media/"))
    if len(walker.pictures) > 1 or len(media) > 1:
        raise Unverifiable("gambar selain QR kode verifikasi")
    if not walker.pictures or not media:
        return  # no QR: the caller says the document has no code
    drawing = walker.pictures[0]
    blips = list(drawing.iter(_BLIP))
    target = walker.rels[blips[0].get(f"{{{R}}}embed")].target if len(blips) == 1 else None
    if target != media[0]:
        raise Unverifiable("gambar QR tidak menunjuk satu-satunya berkas gambar")
    stories.picture_part = target
    stories.picture_descriptions = [d.get("descr", "") for d in drawing.iter(_DOC_PR)]


# ----------------------------------------------------------------------------- styles


def _styles_root(pkg: DocxPackage, main: str) -> etree._Element | None:
    for rel in pkg.relationships(main):
        if rel.type == "styles" and rel.target in pkg.names:
            return pkg.xml(rel.target)
    return None


def _style_names(styles_root) -> dict[str, str]:
    names: dict[str, str] = {}
    if styles_root is None:
        return names
    for style in styles_root.iter(f"{{{W}}}style"):
        name = style.find(f"{{{W}}}name")
        if name is not None:
            names[_attr(style, "styleId") or ""] = _attr(name, "val") or ""
    return names


_PROPERTY_HOLDERS = {f"{{{W}}}{t}" for t in ("rPr", "pPr", "tblPr", "trPr", "tcPr")}
_STYLE_PROPERTIES = (
    _RUN_PROPS
    | _PAR_PROPS
    | _BORDERS
    | _TABLE
    | _OFF_ONLY
    | _PROPERTY_HOLDERS
    | _names(W, "tabs tab")
)


def _check_styles(styles_root, used: set[str]) -> None:
    """The styles the stories use (with what they are based on or linked to) and the
    document defaults must not hide, shrink, blank or number text either."""
    if styles_root is None:
        return
    by_id = {_attr(s, "styleId"): s for s in styles_root.iter(f"{{{W}}}style")}
    todo = set(used) | {
        _attr(s, "styleId") for s in by_id.values() if _attr(s, "default") in ("1", "true")
    }
    seen: set[str | None] = set()
    checked: list[etree._Element] = []
    defaults = styles_root.find(f"{{{W}}}docDefaults")
    if defaults is not None:
        checked.append(defaults)
    while todo:
        sid = todo.pop()
        if sid in seen or sid not in by_id:
            continue
        seen.add(sid)
        style = by_id[sid]
        checked.append(style)
        for link in ("basedOn", "link"):
            ref = style.find(f"{{{W}}}{link}")
            if ref is not None:
                todo.add(_attr(ref, "val"))
    for holder_root in checked:
        name = _attr(holder_root, "styleId") or "bawaan dokumen"
        for holder in holder_root.iter(*_PROPERTY_HOLDERS):
            for prop in holder.iterdescendants():
                if not isinstance(prop.tag, str):
                    continue
                if prop.tag not in _STYLE_PROPERTIES:
                    raise Unverifiable(f"{describe(prop)} dalam gaya '{name}'")
                check = _VALUE_CHECKS.get(prop.tag)
                reason = check(prop) if check else None
                if reason:
                    raise Unverifiable(f"{reason} dalam gaya '{name}'")


__all__ = ["MAIN_PART", "Stories", "Unverifiable", "check_package", "describe"]
