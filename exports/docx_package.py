"""Reading a .docx package for verification, with every size bounded before inflating
(:mod:`exports.zip_bounds`): the central directory is checked first, then members are read,
never more than their declared size, and parsed with entities and network off.

Two outcomes besides success: :class:`NotADocx` (bad input: not a zip, no main document;
the command exits 2) and :class:`Unverifiable` (a Word file this verifier cannot account
for; exit 1, "tidak dapat diverifikasi").
"""

from __future__ import annotations

import posixpath
import zipfile
from dataclasses import dataclass
from pathlib import Path

from lxml import etree

from exports.zip_bounds import ZipRefused, check_layout, check_members, read_member

MAX_ENTRIES = 100
MAX_PART_BYTES = 48 * 1024 * 1024
MAX_TOTAL_BYTES = 96 * 1024 * 1024

_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
_OFFICE_DOC = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument"
MAIN_PART = "word/document.xml"


class NotADocx(ValueError):
    """The file is not a Word document at all (Indonesian message)."""


class Unverifiable(ValueError):
    """A Word document holding something verification cannot account for.

    The message names that thing, in Indonesian, without the leading verdict words.
    """


@dataclass(frozen=True)
class Relationship:
    rel_id: str
    type: str  # the last segment of the relationship type URI, e.g. "header"
    target: str  # the part name it points to, resolved against its source part
    external: bool


class DocxPackage:
    """The members of a checked zip, read lazily and bounded, parsed with entities off."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        try:
            self._zip = zipfile.ZipFile(self.path)
        except (zipfile.BadZipFile, OSError, ValueError) as exc:
            raise NotADocx(
                f"{self.path.name} bukan dokumen Word (.docx) yang dapat dibaca."
            ) from exc
        try:
            check_layout(self._zip, self.path)
            self.names = _checked_names(self._zip)
        except ZipRefused as exc:
            self._zip.close()
            raise Unverifiable(str(exc)) from None
        except Unverifiable:
            self._zip.close()
            raise
        self._xml: dict[str, etree._Element] = {}

    def close(self) -> None:
        self._zip.close()

    def __enter__(self) -> DocxPackage:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def read(self, name: str) -> bytes:
        """The member's bytes; never more than its (already checked) declared size."""
        try:
            return read_member(self._zip, name)
        except ZipRefused as exc:
            raise Unverifiable(str(exc)) from None

    def xml(self, name: str) -> etree._Element:
        """The parsed member (cached); malformed XML is :class:`Unverifiable`."""
        if name not in self._xml:
            try:
                self._xml[name] = etree.fromstring(self.read(name), _PARSER)
            except etree.XMLSyntaxError as exc:
                raise Unverifiable(f"bagian {name} bukan XML yang sah") from exc
        return self._xml[name]

    def relationships(self, source: str) -> list[Relationship]:
        """The relationships of ``source`` (``""`` for the package itself), resolved."""
        folder, name = posixpath.split(source)
        rels_name = posixpath.join(folder, "_rels", name + ".rels")
        if rels_name not in self.names:
            return []
        result = []
        seen: set[str] = set()
        for rel in self.xml(rels_name).iter(f"{{{_REL}}}Relationship"):
            if rel.get("Id", "") in seen:
                raise Unverifiable(f"nomor hubungan ganda {rel.get('Id')} di {rels_name}")
            seen.add(rel.get("Id", ""))
            target = rel.get("Target", "")
            external = rel.get("TargetMode") == "External"
            if not external:
                joined = (
                    target.lstrip("/")
                    if target.startswith("/")
                    else (posixpath.join(folder, target))
                )
                target = posixpath.normpath(joined)
            kind = rel.get("Type", "").rsplit("/", 1)[-1]
            result.append(Relationship(rel.get("Id", ""), kind, target, external))
        return result

    def main_part(self) -> str:
        """The officeDocument part named by the package relationships (must be ours)."""
        if "_rels/.rels" not in self.names:
            raise NotADocx(f"{self.path.name} bukan dokumen Word (.docx) yang dapat dibaca.")
        mains = [r for r in self.relationships("") if r.type == _OFFICE_DOC.rsplit("/", 1)[-1]]
        if not mains:
            raise NotADocx(f"{self.path.name} bukan dokumen Word (.docx) yang dapat dibaca.")
        if len(mains) > 1:
            raise Unverifiable("berkas menyatakan lebih dari satu dokumen utama")
        if mains[0].target != MAIN_PART or MAIN_PART not in self.names:
            raise Unverifiable(f"dokumen utama berada di {mains[0].target}, bukan {MAIN_PART}")
        return MAIN_PART


_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)


def _limit_for(name: str) -> int | None:
    """Every name gets the part limit here; which parts may exist is the allow-list's job
    (:mod:`exports.docx_allowlist`), which names the extra part it finds."""
    return MAX_PART_BYTES


def _checked_names(zf: zipfile.ZipFile) -> frozenset[str]:
    """Member names after checking count, duplicates and declared sizes (nothing inflated)."""
    try:
        return check_members(zf, _limit_for, max_entries=MAX_ENTRIES, max_total=MAX_TOTAL_BYTES)
    except ZipRefused as exc:
        raise Unverifiable(str(exc)) from None
