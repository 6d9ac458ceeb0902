"""What a verifiable .docx may hold: our documents plus what Word and LibreOffice add on a
plain re-save, and nothing else.

Reading only the text we sign is not enough: a viewer also draws text boxes, symbols,
alternate content, fields, numbering, headers, and hides or shrinks text by formatting, so a
forged amount can be shown while the signed text stays the same. Instead of listing forgeries
this module lists what is allowed: the package parts, the relationships, every element of
every story (body, headers, footers, footnote and endnote separators) and the values of the
formatting that could make text invisible (judged by :mod:`exports.docx_visibility`). The
first thing outside the list is reported, in Indonesian, as an
:class:`~exports.docx_package.Unverifiable` naming it and where it is.

Sources for the re-save additions: the parts and elements of our own documents after a
``soffice --convert-to docx`` round trip, and ECMA-376 for Word's usual ones (rsid
attributes, ``w14:paraId``, proofing marks, bookmarks, language tags, ``mc:Ignorable``
declarations, separator footnotes).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from lxml import etree

from exports.docx_layout import LAYOUT_CHECKS
from exports.docx_package import MAIN_PART, DocxPackage, Unverifiable
from exports.docx_settings import check_content_types, check_font_table, check_settings
from exports.docx_visibility import (
    A14,
    OFF_ONLY,
    OFFICE,
    PIC,
    VALUE_CHECKS,
    W10,
    W14,
    WP,
    A,
    R,
    V,
    W,
    attr,
    check_theme_fonts,
    describe,
    int_attr,
    names,
)

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


_STRUCTURE = names(
    W,
    "document body hdr ftr footnotes endnotes footnote endnote p r t tbl tr tc sectPr pPr rPr "
    "tblPr tblGrid gridCol trPr tcPr tblPrEx tab tabs br cr noBreakHyphen "
    "lastRenderedPageBreak bookmarkStart bookmarkEnd proofErr fldChar instrText",
)
# Word 2010+ typography it writes on save (digit and ligature forms, never fill or outline:
# w14:textFill could draw text invisible).
_RUN_PROPS = names(W, "rStyle rFonts b bCs i iCs color sz szCs u lang kern noProof") | names(
    W14, "ligatures numForm numSpacing cntxtAlts"
)
_PAR_PROPS = names(
    W,
    "pStyle keepNext keepLines pageBreakBefore widowControl pBdr shd spacing ind jc "
    "snapToGrid contextualSpacing adjustRightInd autoSpaceDE autoSpaceDN textAlignment "
    "outlineLvl cnfStyle overflowPunct kinsoku wordWrap topLinePunct suppressAutoHyphens "
    "suppressLineNumbers mirrorIndents",
)
_BORDERS = names(W, "top left bottom right start end insideH insideV between bar")
_SECTION = names(
    W,
    "headerReference footerReference pgSz pgMar cols col docGrid pgNumType formProt "
    "textDirection type vAlign noEndnote",
)
_TABLE = names(
    W,
    "tblStyle tblW tblInd tblLayout tblLook tblCellMar tblBorders trHeight cantSplit "
    "tblHeader tcW gridSpan vMerge hMerge tcBorders tcMar",
)
_NOTES = names(W, "separator continuationSeparator continuationNotice")
_PICTURE = (
    names(W, "drawing")
    | names(WP, "inline extent effectExtent docPr cNvGraphicFramePr")
    | names(
        A,
        "graphicFrameLocks graphic graphicData picLocks blip srcRect stretch fillRect xfrm "
        "off ext extLst prstGeom avLst",
    )
    | names(A14, "useLocalDpi")
    | names(PIC, "pic nvPicPr cNvPr cNvPicPr blipFill spPr")
)
_WATERMARK = (
    names(W, "pict")
    | names(V, "shapetype stroke formulas f path handles h textpath shape fill")
    | names(OFFICE, "lock")
    | names(W10, "wrap")
)
# Visibility checks first, then the layout ones (a watermark shape gets both).
_CHECK_LISTS = {
    tag: [c for c in (VALUE_CHECKS.get(tag), LAYOUT_CHECKS.get(tag)) if c is not None]
    for tag in VALUE_CHECKS.keys() | LAYOUT_CHECKS.keys()
}


def _check_value(el: etree._Element) -> str | None:
    """The first reason any visibility or layout check gives for ``el``, or None."""
    for check in _CHECK_LISTS.get(el.tag, ()):
        reason = check(el)
        if reason:
            return reason
    return None


_ALLOWED = _STRUCTURE | _RUN_PROPS | _PAR_PROPS | _BORDERS | _SECTION | _TABLE | OFF_ONLY

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
_IND, _TAB, _JC = f"{{{W}}}ind", f"{{{W}}}tab", f"{{{W}}}jc"
_HEADER_ALIGN = ("right", "end")  # the DRAF header line is right-aligned (page_marks)
# Where text-bearing elements may stand (a paragraph inside a run is drawn by some viewers
# and read by none of our code).
_STORY_ROOTS = names(W, "body tc hdr ftr footnote endnote")
_PARENTS = {
    f"{{{W}}}t": names(W, "r"),
    f"{{{W}}}r": names(W, "p"),
    f"{{{W}}}p": _STORY_ROOTS,
    f"{{{W}}}tbl": _STORY_ROOTS,
    f"{{{W}}}tr": names(W, "tbl"),
    f"{{{W}}}tc": names(W, "tr"),
    f"{{{W}}}instrText": names(W, "r"),
    f"{{{W}}}fldChar": names(W, "r"),
    f"{{{W}}}tab": names(W, "r tabs"),
    f"{{{W}}}br": names(W, "r"),
    f"{{{W}}}cr": names(W, "r"),
    f"{{{W}}}drawing": names(W, "r"),
    f"{{{W}}}pict": names(W, "r"),
    f"{{{W}}}sectPr": names(W, "body pPr"),
    f"{{{W}}}body": names(W, "document"),
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
    check_content_types(pkg, main)
    check_settings(pkg, main)
    check_font_table(pkg, main)
    styles_root = _styles_root(pkg, main)
    style_names = _stylenames(styles_root)
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
    check_theme_fonts(pkg, main)
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
            check = _check_value if tag in _CHECK_LISTS else None
            if story == "header" and tag == _JC and attr(el, "val") not in _HEADER_ALIGN:
                raise Unverifiable(f"tata letak kepala halaman diubah (rata {attr(el, 'val')})")
            if check is not None:
                reason = check(el) or self._check_position(el)
                if reason:
                    raise Unverifiable(f"{reason} di {part}")
            if tag in _STYLE_REFS:
                self.used_styles.add(attr(el, "val") or "")
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
            return style is not None and attr(style, "val") in self.block_ids
        return False

    def _check_position(self, el) -> str | None:
        """Indents and tab stops stay within the text width: beyond it, text is pushed off
        the page while still counted as signed text."""
        names = {_IND: ("left", "right", "start", "end", "firstLine"), _TAB: ("pos",)}.get(el.tag)
        if not names or (el.tag == _TAB and attr(el, "val") == "clear"):
            return None
        for name in names:
            value = int_attr(el, name)
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
            kind = attr(el, "fldCharType")
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
        page = int_attr(size, "w") if size is not None else None
        left = (int_attr(margins, "left") or 0) if margins is not None else 0
        right = (int_attr(margins, "right") or 0) if margins is not None else 0
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


def _stylenames(styles_root) -> dict[str, str]:
    names: dict[str, str] = {}
    if styles_root is None:
        return names
    for style in styles_root.iter(f"{{{W}}}style"):
        name = style.find(f"{{{W}}}name")
        if name is not None:
            names[attr(style, "styleId") or ""] = attr(name, "val") or ""
    return names


_PROPERTY_HOLDERS = {f"{{{W}}}{t}" for t in ("rPr", "pPr", "tblPr", "trPr", "tcPr")}
_STYLE_PROPERTIES = (
    _RUN_PROPS
    | _PAR_PROPS
    | _BORDERS
    | _TABLE
    | OFF_ONLY
    | _PROPERTY_HOLDERS
    | names(W, "tabs tab")
)


def _check_styles(styles_root, used: set[str]) -> None:
    """The styles the stories use (with what they are based on or linked to) and the
    document defaults must not hide, shrink, blank or number text either."""
    if styles_root is None:
        return
    by_id = {attr(s, "styleId"): s for s in styles_root.iter(f"{{{W}}}style")}
    todo = set(used) | {
        attr(s, "styleId") for s in by_id.values() if attr(s, "default") in ("1", "true")
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
                todo.add(attr(ref, "val"))
    for holder_root in checked:
        name = attr(holder_root, "styleId") or "bawaan dokumen"
        for holder in holder_root.iter(*_PROPERTY_HOLDERS):
            for prop in holder.iterdescendants():
                if not isinstance(prop.tag, str):
                    continue
                if prop.tag not in _STYLE_PROPERTIES:
                    raise Unverifiable(f"{describe(prop)} dalam gaya '{name}'")
                reason = _check_value(prop)
                if reason:
                    raise Unverifiable(f"{reason} dalam gaya '{name}'")


__all__ = ["MAIN_PART", "Stories", "Unverifiable", "check_package", "describe"]
