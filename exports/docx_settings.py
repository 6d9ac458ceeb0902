"""The package-wide parts that change how every page is drawn: the content type of the main
document, the document settings and the font table.

Word reads ``[Content_Types].xml`` to decide what the main part is (a macro-enabled or
template type changes how it opens), and ``settings.xml`` holds switches that redraw every
page without touching the text we sign: different headers on even pages, mirrored
margins, book folds, two pages on one sheet, a tab stop a page wide. The font table can
map a text font to a symbol font (``altName``, symbol charset). Each is an allow-list: what
our generator writes plus what Word and LibreOffice write on a plain save.
"""

from __future__ import annotations

from lxml import etree

from exports.docx_package import DocxPackage, Unverifiable
from exports.docx_visibility import TEXT_FONTS, W, attr, int_attr, names

_CT = "http://schemas.openxmlformats.org/package/2006/content-types"
MAIN_CONTENT_TYPE = (
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
)

# Settings of a plain save: ours (python-docx template), LibreOffice's and Word's. Left out
# on purpose: evenAndOddHeaders, mirrorMargins, gutterAtTop, bookFoldPrinting,
# bookFoldRevPrinting, printTwoOnOne, view, displayBackgroundShape, embedTrueTypeFonts,
# trackRevisions and anything else that changes what is drawn.
_SETTINGS = names(
    W,
    "zoom proofState defaultTabStop characterSpacingControl compat rsids clrSchemeMapping "
    "shapeDefaults hdrShapeDefaults decimalSymbol listSeparator themeFontLang "
    "doNotAutoCompressPictures savePreviewPicture autoHyphenation hyphenationZone "
    "documentProtection writeProtection removePersonalInformation removeDateAndTime "
    "doNotDisplayPageBoundaries doNotShadeFormData punctuationKerning stylePaneFormatFilter "
    "stylePaneSortMethod footnotePr endnotePr attachedTemplate doNotTrackMoves "
    "doNotValidateAgainstSchema saveSubsetFonts",
) | {
    "{http://schemas.openxmlformats.org/officeDocument/2006/math}mathPr",
    "{http://schemas.microsoft.com/office/word/2010/wordml}docId",
    "{http://schemas.microsoft.com/office/word/2010/wordml}defaultImageDpi",
    "{http://schemas.microsoft.com/office/word/2012/wordml}docId",
    "{http://schemas.microsoft.com/office/word/2012/wordml}chartTrackingRefBased",
}
MAX_DEFAULT_TAB = 1440  # ours 720 (1.27 cm); LibreOffice keeps it


def check_content_types(pkg: DocxPackage, main: str) -> None:
    """The main part is declared exactly once, as a plain Word document."""
    root = pkg.xml("[Content_Types].xml")
    declared = [
        el.get("ContentType")
        for el in root.iter(f"{{{_CT}}}Override")
        if (el.get("PartName") or "").lstrip("/").lower() == main.lower()
    ]
    if declared != [MAIN_CONTENT_TYPE]:
        kind = ", ".join(str(d) for d in declared) or "tidak ada"
        raise Unverifiable(f"jenis isi dokumen utama bukan dokumen Word biasa ({kind})")


def check_settings(pkg: DocxPackage, main: str) -> None:
    """Only the settings of a plain save, and a default tab stop within a line."""
    for rel in pkg.relationships(main):
        if rel.type != "settings":
            continue
        for el in pkg.xml(rel.target):
            if not isinstance(el.tag, str):
                continue
            if el.tag not in _SETTINGS:
                name = etree.QName(el).localname
                raise Unverifiable(f"pengaturan dokumen <w:{name}> di {rel.target}")
            if el.tag == f"{{{W}}}defaultTabStop":
                value = int_attr(el, "val")
                if value is None or not 0 < value <= MAX_DEFAULT_TAB:
                    raise Unverifiable(f"tab bawaan selebar {attr(el, 'val')} di {rel.target}")


_SYMBOL_CHARSET = "02"


def check_font_table(pkg: DocxPackage, main: str) -> None:
    """A text font is never mapped to another font or marked as a symbol font."""
    for rel in pkg.relationships(main):
        if rel.type != "fontTable":
            continue
        for font in pkg.xml(rel.target).iter(f"{{{W}}}font"):
            name = (attr(font, "name") or "").strip().lower()
            if name not in TEXT_FONTS:
                continue
            alt = font.find(f"{{{W}}}altName")
            alt_name = (attr(alt, "val") or "").strip().lower() if alt is not None else name
            charset = font.find(f"{{{W}}}charset")
            symbol = charset is not None and attr(charset, "val") == _SYMBOL_CHARSET
            if alt_name not in TEXT_FONTS or symbol:
                raise Unverifiable(f"huruf '{attr(font, 'name')}' dialihkan di {rel.target}")
