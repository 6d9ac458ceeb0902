"""Reading a .docx package for verification, with every size bounded before inflating.

A .docx is a zip; a zip can declare a member of 2 GB in a file of 2 MB, hold the same name
twice (readers disagree on which one counts) or hold thousands of members. Verification is
the one place where the file comes from a stranger, so the central directory is checked
first (names, count, declared sizes, compression ratio) and only then are members read,
never more than their declared size.

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

MAX_ENTRIES = 100
MAX_PART_BYTES = 48 * 1024 * 1024
MAX_TOTAL_BYTES = 96 * 1024 * 1024
MAX_RATIO = 250  # inflated / compressed, for members above RATIO_FLOOR bytes
RATIO_FLOOR = 1024 * 1024

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
            self.names = _checked_names(self._zip)
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
        info = self._zip.getinfo(name)
        try:
            with self._zip.open(info) as member:
                data = member.read(info.file_size + 1)
        except (zipfile.BadZipFile, OSError, EOFError, ValueError, RuntimeError) as exc:
            raise Unverifiable(f"bagian {name} rusak di dalam berkas zip") from exc
        if len(data) != info.file_size:
            raise Unverifiable(f"bagian {name} tidak sebesar yang dinyatakan berkas zip")
        return data

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
        for rel in self.xml(rels_name).iter(f"{{{_REL}}}Relationship"):
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


def _checked_names(zf: zipfile.ZipFile) -> frozenset[str]:
    """Member names after checking count, duplicates and declared sizes (nothing inflated)."""
    infos = zf.infolist()
    if len(infos) > MAX_ENTRIES:
        raise Unverifiable(f"berkas zip memuat {len(infos)} bagian (paling banyak {MAX_ENTRIES})")
    seen: set[str] = set()
    total = 0
    for info in infos:
        folded = info.filename.lower()
        if folded in seen:
            raise Unverifiable(f"nama bagian ganda di dalam berkas zip: {info.filename}")
        seen.add(folded)
        if info.file_size > MAX_PART_BYTES:
            raise Unverifiable(
                f"bagian {info.filename} menyatakan ukuran {info.file_size} bita "
                f"(paling besar {MAX_PART_BYTES})"
            )
        if info.file_size > RATIO_FLOOR and info.file_size > MAX_RATIO * max(1, info.compress_size):
            raise Unverifiable(f"bagian {info.filename} dimampatkan secara tidak wajar")
        total += info.file_size
    if total > MAX_TOTAL_BYTES:
        raise Unverifiable(
            f"isi berkas zip menyatakan {total} bita (paling besar {MAX_TOTAL_BYTES})"
        )
    return frozenset(info.filename for info in infos)
