"""The canonical text of a .docx: what a reader sees, and nothing else.

The verification code signs a digest of this text, so it must change when any visible word
or number changes and stay the same when Word or LibreOffice re-saves the file with nothing
changed (runs split or merged, styles renamed, empty paragraphs added, fields refreshed).
Hence: body paragraphs and table rows in document order, whitespace normalised, empty lines
dropped; page-number fields, hidden text and deleted revisions left out; and the
verification block (paragraphs in the "Kode Verifikasi" style, which holds the QR and the
code derived from this very text) kept apart.

Two schemes, named by the record (``Record.scheme``):

1. the body only (documents issued before headers and footers were signed);
2. the body, then each header's lines (``kepala halaman: ...``), then each footer's
   (``kaki halaman: ...``), each kind in the order the sections name them, a watermark's text as
   ``tanda air: ...`` after its header's lines: removing a draft's DRAF header or
   watermark changes the digest.

What a file may contain besides this text is not decided here: :mod:`exports.docx_allowlist`
refuses what this walk would not read (text boxes, symbols, alternate content...).
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

VERIFICATION_STYLE = "Kode Verifikasi"
CANON_VERSIONS = {1: b"musrenbang-kanonik-1\n", 2: b"musrenbang-kanonik-2\n"}
LEGACY_SCHEME, CURRENT_SCHEME = 1, 2
HEADER_LABEL, FOOTER_LABEL, WATERMARK_LABEL = "kepala halaman", "kaki halaman", "tanda air"

_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_WP = "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"
_R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_TEXTPATH, _SHAPE = (
    "{urn:schemas-microsoft-com:vml}textpath",
    "{urn:schemas-microsoft-com:vml}shape",
)


def _w(tag: str) -> str:
    return f"{{{_W}}}{tag}"


P, TBL, TR, TC, R, T = _w("p"), _w("tbl"), _w("tr"), _w("tc"), _w("r"), _w("t")
_SDT, _SDT_CONTENT = _w("sdt"), _w("sdtContent")
_PPR, _PSTYLE, _VAL, _RPR, _VANISH = _w("pPr"), _w("pStyle"), _w("val"), _w("rPr"), _w("vanish")
_FLD_SIMPLE, _INSTR, _FLD_CHAR, _FLD_CHAR_TYPE = (
    _w("fldSimple"),
    _w("instr"),
    _w("fldChar"),
    _w("fldCharType"),
)
_INSTR_TEXT, _NO_BREAK_HYPHEN = _w("instrText"), _w("noBreakHyphen")
_SPACE_TAGS = {_w("tab"), _w("br"), _w("cr"), _w("ptab")}
# Inline wrappers whose text is part of the paragraph.
_TRANSPARENT = {
    _w(t)
    for t in ("hyperlink", "ins", "smartTag", "customXml", "moveTo", "dir", "bdo", "sdtContent")
}
# Fields whose result the word processor recomputes by itself (page numbers, dates).
VOLATILE_FIELDS = {
    "PAGE",
    "NUMPAGES",
    "SECTIONPAGES",
    "DATE",
    "TIME",
    "SAVEDATE",
    "PRINTDATE",
    "CREATEDATE",
    "FILENAME",
    "NUMWORDS",
    "NUMCHARS",
    "EDITTIME",
}
_SPACES = re.compile(r"\s+")
_OFF = {"0", "false", "off"}


@dataclass
class Canonical:
    """The canonical text plus what the verification block holds.

    ``headers``/``footers``: each header's and footer's lines (watermarks as
    ``tanda air: ...``), kept apart so the legacy scheme can check them against what our
    generator writes; ``text`` includes them for scheme 2 only.
    """

    text: str
    block_lines: list[str] = field(default_factory=list)
    block_descriptions: list[str] = field(default_factory=list)
    headers: list[list[str]] = field(default_factory=list)
    footers: list[list[str]] = field(default_factory=list)
    scheme: int = CURRENT_SCHEME

    @property
    def digest(self) -> bytes:
        return text_digest(self.text, self.scheme)


def text_digest(text: str, scheme: int = CURRENT_SCHEME) -> bytes:
    """SHA-256 of the scheme's version line and the UTF-8 text (32 bytes)."""
    return hashlib.sha256(CANON_VERSIONS[scheme] + text.encode("utf-8")).digest()


def normalise(text: str) -> str:
    """NFC, every run of whitespace (tabs, breaks, no-break spaces) one space, trimmed. A
    soft hyphen stays: LibreOffice prints "-" where a line breaks at one, so it is content."""
    return _SPACES.sub(" ", unicodedata.normalize("NFC", text)).strip()


# --------------------------------------------------------------------------- entry points


def canonical_of_document(doc, scheme: int = CURRENT_SCHEME) -> Canonical:
    """Canonical text of an in-memory python-docx Document (before saving it)."""
    related = doc.part.related_parts

    def resolve(rel_id: str):
        return related[rel_id].element

    body = doc.element.body
    return canonical_of_stories(
        body, section_stories(body, resolve), style_names(doc.styles.element), scheme
    )


def canonical_of_file(path: Path, scheme: int = CURRENT_SCHEME) -> Canonical:
    """Canonical text of a .docx file that passes the allow-list (bounded zip reading).

    Raises ``exports.docx_package.NotADocx`` or ``Unverifiable`` (Indonesian messages).
    """
    from exports.docx_allowlist import check_package
    from exports.docx_package import DocxPackage

    with DocxPackage(Path(path)) as pkg:
        stories = check_package(pkg, VERIFICATION_STYLE)
    return canonical_of_stories(stories.body, stories.sections, stories.style_names, scheme)


def section_stories(body, resolve) -> list[tuple[str, etree._Element]]:
    """``[("header" | "footer", root)]`` in the order the sections name them, each part
    once; ``resolve`` maps a relationship id to the part's root element."""
    seen: list[etree._Element] = []
    stories = []
    for ref in body.iter(_w("headerReference"), _w("footerReference")):
        root = resolve(ref.get(f"{{{_R}}}id"))
        if any(root is known for known in seen):
            continue
        seen.append(root)
        stories.append(("header" if ref.tag == _w("headerReference") else "footer", root))
    return stories


def style_names(styles_root) -> dict[str, str]:
    """Map paragraph style ids to their names (ids may change on re-save, names do not)."""
    names = {}
    for style in styles_root.iter(_w("style")):
        name = style.find(_w("name"))
        if name is not None:
            names[style.get(_w("styleId"))] = name.get(_w("val"), "")
    return names


def canonical_of_stories(
    body, stories: list[tuple[str, etree._Element]], styles: dict[str, str], scheme: int
) -> Canonical:
    """The canonical text of a body and its headers and footers under ``scheme``."""
    canon = canonical_of_body(body, styles)
    canon.scheme = scheme
    lines = [canon.text] if canon.text else []
    # Headers first, then footers: a re-save may reorder a section's references.
    for kind, root in sorted(stories, key=lambda story: story[0] != "header"):
        story = _story_lines(root, styles)
        (canon.headers if kind == "header" else canon.footers).append(story)
        label = HEADER_LABEL if kind == "header" else FOOTER_LABEL
        lines.extend(f"{label}: {line}" for line in story)
    if scheme == CURRENT_SCHEME:
        canon.text = "\n".join(lines)
    return canon


def _story_lines(root, styles: dict[str, str]) -> list[str]:
    """A header's or footer's lines, then its watermarks' text (sorted: a re-save may move
    the watermark's run within the paragraph)."""
    lines: list[str] = []
    _Walker(styles).blocks(root, lines)
    marks = sorted(
        normalise(t.get("string", "")) for t in root.iter(_TEXTPATH) if t.getparent().tag == _SHAPE
    )
    return lines + [f"{WATERMARK_LABEL}: {mark}" for mark in marks]


# --------------------------------------------------------------------------- the walk


def canonical_of_body(body, styles: dict[str, str]) -> Canonical:
    walker = _Walker(styles)
    lines: list[str] = []
    walker.blocks(body, lines)
    return Canonical("\n".join(lines), walker.block_lines, walker.block_descriptions)


class _Walker:
    def __init__(self, styles: dict[str, str]):
        self.verification_ids = {
            sid for sid, name in styles.items() if _same_name(name, VERIFICATION_STYLE)
        }
        self.block_lines: list[str] = []
        self.block_descriptions: list[str] = []

    def blocks(self, container, out: list[str]) -> None:
        """Paragraphs and tables of a body, cell or content control, in order."""
        for child in container:
            tag = child.tag
            if tag == P:
                self.paragraph(child, out)
            elif tag == TBL:
                self.table(child, out)
            elif tag == _SDT:
                content = child.find(_SDT_CONTENT)
                if content is not None:
                    self.blocks(content, out)

    def table(self, tbl, out: list[str]) -> None:
        """One line per row, cells joined by `` | `` so text cannot move between cells."""
        for tr in _rows(tbl):
            cells = []
            for tc in _cells(tr):
                cell_lines: list[str] = []
                self.blocks(tc, cell_lines)
                cells.append(" ".join(cell_lines))
            if any(cells):
                out.append(" | ".join(cells))

    def paragraph(self, p, out: list[str]) -> None:
        parts: list[str] = []
        _inline(p, parts, [])
        text = normalise("".join(parts))
        if self._in_block(p):
            self.block_lines.append(text)
            for doc_pr in p.iter(f"{{{_WP}}}docPr"):
                self.block_descriptions.append(doc_pr.get("descr", ""))
        elif text:
            out.append(text)

    def _in_block(self, p) -> bool:
        ppr = p.find(_PPR)
        style = ppr.find(_PSTYLE) if ppr is not None else None
        return style is not None and style.get(_VAL) in self.verification_ids


def _same_name(a: str, b: str) -> bool:
    return a.replace(" ", "").lower() == b.replace(" ", "").lower()


def _rows(tbl):
    for child in tbl:
        if child.tag == TR:
            yield child
        elif child.tag == _SDT:  # rows wrapped in a content control
            content = child.find(_SDT_CONTENT)
            if content is not None:
                yield from (tr for tr in content if tr.tag == TR)


def _cells(tr):
    for child in tr:
        if child.tag == TC:
            yield child
        elif child.tag == _SDT:
            content = child.find(_SDT_CONTENT)
            if content is not None:
                yield from (tc for tc in content if tc.tag == TC)


def _inline(el, parts: list[str], fields: list[list]) -> None:
    """Collect the visible text of a paragraph's runs.

    ``fields`` is the stack of open complex fields, each ``[instruction, in_result]``; text
    in the result of a volatile field (page number...) is left out.
    """
    for child in el:
        tag = child.tag
        if tag == R:
            _run(child, parts, fields)
        elif tag == _FLD_SIMPLE:
            if _field_name(child.get(_INSTR, "")) not in VOLATILE_FIELDS:
                _inline(child, parts, fields)
        elif tag in _TRANSPARENT or tag == _SDT:
            _inline(child, parts, fields)


def _run(r, parts: list[str], fields: list[list]) -> None:
    rpr = r.find(_RPR)
    hidden = False
    if rpr is not None:
        vanish = rpr.find(_VANISH)
        hidden = vanish is not None and vanish.get(_VAL, "true").lower() not in _OFF
    for child in r:
        tag = child.tag
        if tag == _FLD_CHAR:
            kind = child.get(_FLD_CHAR_TYPE)
            if kind == "begin":
                fields.append(["", False])
            elif kind == "separate" and fields:
                fields[-1][1] = True
            elif kind == "end" and fields:
                fields.pop()
        elif tag == _INSTR_TEXT:
            if fields:
                fields[-1][0] += child.text or ""
        elif hidden or _in_volatile_result(fields):
            continue
        elif tag == T:
            parts.append(child.text or "")
        elif tag in _SPACE_TAGS:
            parts.append(" ")
        elif tag == _NO_BREAK_HYPHEN:
            parts.append("-")


def _in_volatile_result(fields: list[list]) -> bool:
    return any(in_result and _field_name(instr) in VOLATILE_FIELDS for instr, in_result in fields)


def _field_name(instruction: str) -> str:
    words = instruction.split()
    return words[0].upper() if words else ""
