"""Forging issued .docx files for the verification tests: lxml edits of chosen parts,
parts added or dropped, and raw zip tricks (duplicate names, lying sizes)."""

from __future__ import annotations

import struct
import zipfile
from collections.abc import Callable
from pathlib import Path

from lxml import etree

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NS = {
    "w": W,
    "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
    "v": "urn:schemas-microsoft-com:vml",
    "mc": "http://schemas.openxmlformats.org/markup-compatibility/2006",
    "wp": "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing",
    "a": "http://schemas.openxmlformats.org/drawingml/2006/main",
    "pr": "http://schemas.openxmlformats.org/package/2006/relationships",
}
DECLARATIONS = " ".join(f'xmlns:{p}="{u}"' for p, u in NS.items() if p != "pr")

Edit = Callable[[etree._Element], None]


def w(tag: str) -> str:
    return f"{{{W}}}{tag}"


def fragment(xml: str) -> etree._Element:
    """One element written with the usual prefixes (w:, r:, v:, mc:, wp:, a:)."""
    wrapper = etree.fromstring(f"<wrap {DECLARATIONS}>{xml}</wrap>")
    return wrapper[0]


def forge(
    source: Path,
    target: Path,
    edits: dict[str, Edit] | None = None,
    *,
    add: dict[str, bytes] | None = None,
    replace: dict[str, bytes] | None = None,
    drop: frozenset[str] = frozenset(),
) -> Path:
    """Copy ``source`` with parts edited (root passed to the edit), replaced, added or
    dropped."""
    edits, add, replace = edits or {}, add or {}, replace or {}
    with zipfile.ZipFile(source) as zin, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            if item.filename in drop:
                continue
            data = replace.get(item.filename) or zin.read(item)
            if item.filename in edits:
                root = etree.fromstring(data)
                edits[item.filename](root)
                data = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
            zout.writestr(item, data)
        for name, data in add.items():
            zout.writestr(name, data)
    return target


def body_runs(root: etree._Element) -> list[etree._Element]:
    """Runs with text in the body outside tables' verification block: the signed text."""
    return [r for r in root.iter(w("r")) if r.find(w("t")) is not None]


def run_with(root: etree._Element, text: str) -> etree._Element:
    for run in root.iter(w("r")):
        t = run.find(w("t"))
        if t is not None and text in (t.text or ""):
            return run
    raise AssertionError(f"no run holds {text!r}")


def props_of(parent: etree._Element, tag: str = "rPr") -> etree._Element:
    """The properties child (``rPr``, ``pPr``, ``trPr``, ``tcPr``) of ``parent``, made first
    child when missing."""
    props = parent.find(w(tag))
    if props is None:
        props = etree.Element(w(tag))
        parent.insert(0, props)
    return props


def add_relationship(root: etree._Element, rel_id: str, kind: str, target: str, **extra) -> None:
    rel = etree.SubElement(root, f"{{{NS['pr']}}}Relationship")
    rel.set("Id", rel_id)
    rel.set("Type", f"http://schemas.openxmlformats.org/officeDocument/2006/relationships/{kind}")
    rel.set("Target", target)
    for key, value in extra.items():
        rel.set(key, value)


def with_duplicate_entry(source: Path, target: Path, name: str, data: bytes) -> Path:
    """Append a second member called ``name`` (zipfile warns but writes it)."""
    import shutil
    import warnings

    shutil.copyfile(source, target)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with zipfile.ZipFile(target, "a") as zout:
            zout.writestr(name, data)
    return target


def with_declared_size(source: Path, target: Path, name: str, size: int) -> Path:
    """Rewrite the central directory so ``name`` declares ``size`` bytes (nothing else
    changes: the file stays small)."""
    data = bytearray(source.read_bytes())
    encoded = name.encode()
    pos = 0
    while True:
        pos = data.find(b"PK\x01\x02", pos)
        if pos < 0:
            raise AssertionError(f"{name} not in the central directory")
        name_len = struct.unpack_from("<H", data, pos + 28)[0]
        if bytes(data[pos + 46 : pos + 46 + name_len]) == encoded:
            struct.pack_into("<I", data, pos + 24, size)
            break
        pos += 4
    target.write_bytes(bytes(data))
    return target


def with_prefix(source: Path, target: Path, prefix: bytes) -> Path:
    """``prefix`` glued before the zip (an RTF or HTML polyglot); zip readers still open
    it because they find the central directory from the end."""
    target.write_bytes(prefix + source.read_bytes())
    return target


def with_comment(source: Path, target: Path, comment: bytes) -> Path:
    """The zip with an end-of-archive comment."""
    import shutil

    shutil.copyfile(source, target)
    with zipfile.ZipFile(target, "a") as zf:
        zf.comment = comment
    return target


def with_gap(source: Path, target: Path, filler: bytes) -> Path:
    """``filler`` hidden between the members and the central directory."""
    data = source.read_bytes()
    end = data.rfind(b"PK\x05\x06")
    directory_offset = struct.unpack_from("<I", data, end + 16)[0]
    moved = bytearray(data[:directory_offset] + filler + data[directory_offset:])
    struct.pack_into("<I", moved, end + len(filler) + 16, directory_offset + len(filler))
    target.write_bytes(bytes(moved))
    return target
