"""The buku agenda surat: the office's register of incoming and outgoing letters.

SOP step 1 starts from the Kabupaten's letter written into the incoming-letter book, and
step 7 ends with the surat pengantar written into the outgoing-letter book. Outgoing numbers
look like ``050/81/416-313/2026`` (klasifikasi / sequence / the office's own kode unit /
year; never the Kemendagri region code): the sequence comes from this book, one run per
direction and calendar year, and stays editable because offices often take a number by hand
first (the book refuses a sequence already used). When a forum becomes final, every letter
it sends (berita acara, surat pengantar, surat mandat) takes its number here, dated the day
of the forum (:func:`number_forum_letters`).

The book outlives forums and years, so it lives in the office file (``kantor.json``, key
``agenda_surat``), not in a forum. Every change is read-modify-write of that file under a
file lock, written atomically by ``store.office.save_office``. The demo forum is the one
exception: it carries its own fictional office (``kantor_contoh``), and inside
:func:`book_of` its letters are numbered in that office's book, saved in the demo forum, so
a demo never writes into, nor takes numbers from, the real office's book.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from contextvars import ContextVar
from datetime import date, datetime
from typing import Any

from filelock import FileLock

from store import paths
from store.office import load_office, office_for, resolve_operator, save_office
from store.regions import region
from store.validation import ValidationError, clean_text, parse_date

BOOK_KEY = "agenda_surat"
SETTINGS_KEY = "agenda_setelan"
DIRECTIONS = {"masuk": "surat masuk", "keluar": "surat keluar"}
#: Kode klasifikasi arsip for planning (Perencanaan), the usual one for Musrenbang letters.
DEFAULT_KLASIFIKASI = "050"
#: Kinds of letters the SOP chain writes into the book.
KINDS = {
    "surat-kabupaten": "Surat dari Kabupaten",
    "surat-desa": "Surat ke desa (pelaksanaan Musrenbang Desa)",
    "berita-acara": "Berita Acara",
    "surat-pengantar": "Surat pengantar",
    "surat-mandat": "Surat mandat",
    "lainnya": "Lainnya",
}
EDITABLE = ("urut", "klasifikasi", "kode_unit", "nomor", "tanggal", "pihak", "perihal")
#: The demo forum whose own book the calls in this context use (see :func:`book_of`).
_DEMO_FORUM: ContextVar[Any] = ContextVar("agenda_book_demo_forum", default=None)


@contextlib.contextmanager
def book_of(forum: Any) -> Iterator[None]:
    """Every book call inside uses the book of the office ``forum``'s documents name: the
    real office's, or for the demo forum (``kantor_contoh``) the demo office's own, kept in
    the demo forum's header."""
    if not isinstance(forum.meta.get("kantor_contoh"), dict):
        yield
        return
    token = _DEMO_FORUM.set(forum)
    try:
        yield
    finally:
        _DEMO_FORUM.reset(token)


def _office() -> dict[str, Any]:
    demo = _DEMO_FORUM.get()
    return office_for(demo.meta) if demo is not None else load_office()


def format_number(klasifikasi: str, urut: int, kode_unit: str, tahun: int) -> str:
    """``050/81/35.16.13/2026``; a part left empty is left out."""
    return "/".join(str(p) for p in (klasifikasi, urut, kode_unit, tahun) if str(p))


def settings() -> dict[str, str]:
    """Klasifikasi and kode unit the office numbers its letters with (``kantor.json``,
    ``agenda_setelan``). The kode unit is the office's own (Kecamatan Sooko: ``416-313``),
    set in the office settings; it is never made up from the region code."""
    stored = _office().get(SETTINGS_KEY) or {}
    return {
        "klasifikasi": stored.get("klasifikasi") or DEFAULT_KLASIFIKASI,
        "kode_unit": stored.get("kode_unit") or "",
    }


def number_settings(*, klasifikasi: str, kode_unit: str) -> dict[str, str]:
    """Checked ``agenda_setelan`` as the office settings store it; ValidationError (field
    ``klasifikasi`` or ``kode_unit``) for a part holding '/' or too long."""
    return {
        "klasifikasi": _part(klasifikasi, "klasifikasi") or DEFAULT_KLASIFIKASI,
        "kode_unit": _part(kode_unit, "kode_unit"),
    }


def entries(
    *,
    arah: str | None = None,
    tahun: int | None = None,
    jenis: str | None = None,
    tahun_perencanaan: int | None = None,
    wilayah: str | None = None,
) -> list[dict[str, Any]]:
    """Entries matching every filter given, in book order (direction, year, sequence)."""
    wanted = {
        "arah": arah,
        "tahun": tahun,
        "jenis": jenis,
        "tahun_perencanaan": tahun_perencanaan,
        "wilayah": wilayah,
    }
    found = [
        dict(e)
        for e in _office().get(BOOK_KEY) or []
        if all(value is None or e.get(key) == value for key, value in wanted.items())
    ]
    return sorted(found, key=lambda e: (e["arah"], e["tahun"], e["urut"]))


def get(entry_id: int) -> dict[str, Any]:
    for entry in _office().get(BOOK_KEY) or []:
        if entry["id"] == entry_id:
            return dict(entry)
    raise ValidationError("agenda", f"Buku agenda: entri nomor {entry_id} tidak ditemukan.")


def next_sequence(arah: str, tahun: int) -> int:
    """The next free sequence of the book for a direction and calendar year."""
    used = [e["urut"] for e in entries(arah=arah, tahun=tahun)]
    return max(used, default=0) + 1


def register_incoming(
    *,
    nomor: str,
    tanggal: date | str,
    pihak: str,
    perihal: str,
    jenis: str = "surat-kabupaten",
    tahun_perencanaan: int | None = None,
    wilayah: str = "",
    diterima: date | str | None = None,
    operator: str | None = None,
) -> dict[str, Any]:
    """Write a received letter (e.g. the Kabupaten's, SOP step 1) into the incoming book."""
    letter_date = _date(tanggal, "tanggal", "Tanggal surat")
    received = _date(diterima, "diterima", "Tanggal diterima") if diterima else date.today()
    record = {
        "arah": "masuk",
        "tahun": received.year,
        "nomor": clean_text(nomor, field="nomor", label="Nomor surat", limit=100, required=True),
        "tanggal": letter_date.isoformat(),
        "diterima": received.isoformat(),
        **_common(pihak, perihal, jenis, tahun_perencanaan, wilayah, None, operator),
    }
    with _book() as book:
        record["urut"] = _max_sequence(book, "masuk", record["tahun"]) + 1
        return _append(book, record)


def number_outgoing(
    *,
    tanggal: date | str,
    pihak: str,
    perihal: str,
    jenis: str,
    tahun_perencanaan: int | None = None,
    wilayah: str = "",
    tujuan_kode: str | None = None,
    klasifikasi: str | None = None,
    kode_unit: str | None = None,
    urut: int | None = None,
    operator: str | None = None,
    forum_id: str | None = None,
) -> dict[str, Any]:
    """Take the next outgoing number (or ``urut`` if given and free) and record the letter;
    ``forum_id`` records which forum sends it (see :func:`find_outgoing`)."""
    letter_date = _date(tanggal, "tanggal", "Tanggal surat")
    defaults = settings()
    record = {
        "arah": "keluar",
        "tahun": letter_date.year,
        "tanggal": letter_date.isoformat(),
        "diterima": None,
        "klasifikasi": _part(klasifikasi or defaults["klasifikasi"], "klasifikasi"),
        "kode_unit": _part(
            kode_unit if kode_unit is not None else defaults["kode_unit"], "kode_unit"
        ),
        **_common(pihak, perihal, jenis, tahun_perencanaan, wilayah, tujuan_kode, operator),
    }
    if forum_id:
        record["forum_id"] = forum_id
    with _book() as book:
        if urut is None:
            urut = _max_sequence(book, "keluar", record["tahun"]) + 1
        record["urut"] = _free_sequence(book, urut, record["tahun"], exclude=None)
        record["nomor"] = _outgoing_number(record)
        return _append(book, record)


def find_outgoing(
    jenis: str,
    *,
    tahun_perencanaan: int,
    wilayah: str,
    tujuan_kode: str | None = None,
    forum_id: str | None = None,
    nomor: str = "",
) -> dict[str, Any] | None:
    """The outgoing letter of this kind already numbered (so re-generating reuses it).

    With ``forum_id`` only that forum's letter: an entry recording that forum first, else
    an entry no forum has claimed yet (numbered by hand, or before entries recorded their
    forum) whose number the forum carries (``nomor``) or, when the forum carries none, any
    such entry; :func:`number_forum_letters` then claims it. Two forums of one region and
    year (a desa holding its Musrenbang twice) never share a claimed entry, so one number is
    never printed on two forums' letters.
    """
    found = [
        e
        for e in entries(
            arah="keluar", jenis=jenis, tahun_perencanaan=tahun_perencanaan, wilayah=wilayah
        )
        if (tujuan_kode is None or e.get("tujuan_kode") == tujuan_kode)
    ]
    if forum_id is not None:
        own = [e for e in found if e.get("forum_id") == forum_id]
        free = [
            e for e in found if not e.get("forum_id") and (not nomor or e.get("nomor") == nomor)
        ]
        found = own or free
    return found[-1] if found else None


def claim(entry_id: int, forum_id: str) -> None:
    """Record that the entry is the letter of forum ``forum_id`` (no other forum takes it);
    nothing is written when it is already claimed."""
    if get(entry_id).get("forum_id"):
        return
    with _book() as book:
        for entry in book:
            if entry["id"] == entry_id and not entry.get("forum_id"):
                entry["forum_id"] = forum_id


def forum_letter(forum: Any, jenis: str) -> dict[str, Any] | None:
    """The book entry of the letter of kind ``jenis`` that ``forum`` sends (see
    :func:`find_outgoing`); call inside :func:`book_of`."""
    meta = forum.meta
    key = next(k for k, (kind, _) in FORUM_LETTERS.items() if kind == jenis)
    return find_outgoing(
        jenis,
        tahun_perencanaan=int(meta["tahun"]),
        wilayah=meta["wilayah_kode"],
        forum_id=forum_key(meta),
        nomor=meta.get(key) or "",
    )


def forum_key(meta: dict[str, Any]) -> str:
    """What ties a book entry to one forum: its lifelong ``forum_id`` (``store.meta``); an
    older forum without one falls back to its creation time, then its title."""
    return str(meta.get("forum_id") or meta.get("created_at") or meta.get("judul") or "")


def edit_entry(entry_id: int, **changes: Any) -> dict[str, Any]:
    """Correct an entry (numbers stay editable); an outgoing number is rebuilt from its parts
    unless ``nomor`` itself is given. A sequence already used that year is refused."""
    unknown = set(changes) - set(EDITABLE) - {"berkas"}
    if unknown:
        raise ValidationError("agenda", f"Kolom buku agenda tidak dikenal: {', '.join(unknown)}.")
    with _book() as book:
        entry = next((e for e in book if e["id"] == entry_id), None)
        if entry is None:
            raise ValidationError("agenda", f"Buku agenda: entri nomor {entry_id} tidak ada.")
        updated = dict(entry)
        for key, value in changes.items():
            if key == "tanggal":
                updated[key] = _date(value, "tanggal", "Tanggal surat").isoformat()
            elif key == "urut":
                updated[key] = _positive(value)
            elif key in ("klasifikasi", "kode_unit"):
                updated[key] = _part(value, key)
            elif key == "berkas":
                updated[key] = str(value)
            else:
                updated[key] = clean_text(value, field=key, limit=300, required=key != "perihal")
        if updated["arah"] == "keluar":
            updated["tahun"] = date.fromisoformat(updated["tanggal"]).year
            updated["urut"] = _free_sequence(
                book, updated["urut"], updated["tahun"], exclude=entry_id
            )
            if "nomor" not in changes:
                updated["nomor"] = _outgoing_number(updated)
        entry.clear()
        entry.update(updated)
        return dict(entry)


# --------------------------------------------------------------------------- helpers


@contextlib.contextmanager
def _book() -> Iterator[list[dict[str, Any]]]:
    """The book's entries, saved back when the block ends without an error."""
    demo = _DEMO_FORUM.get()
    if demo is not None:
        office = dict(demo.meta["kantor_contoh"])
        book = office.setdefault(BOOK_KEY, [])
        yield book
        demo.update_meta(kantor_contoh=office)
        return
    paths.data_dir()  # the lock file lives beside kantor.json
    with FileLock(str(paths.office_file()) + ".lock", timeout=10):
        office = load_office()
        book = office.setdefault(BOOK_KEY, [])
        yield book
        save_office(office)


def _append(book: list[dict[str, Any]], record: dict[str, Any]) -> dict[str, Any]:
    record["id"] = max((e["id"] for e in book), default=0) + 1
    book.append(record)
    return dict(record)


def _common(
    pihak: str,
    perihal: str,
    jenis: str,
    tahun_perencanaan: int | None,
    wilayah: str,
    tujuan_kode: str | None,
    operator: str | None,
) -> dict[str, Any]:
    if jenis not in KINDS:
        raise ValidationError("jenis", f"Jenis surat '{jenis}' tidak dikenal.")
    return {
        "pihak": clean_text(
            pihak, field="pihak", label="Pengirim/tujuan", limit=300, required=True
        ),
        "perihal": clean_text(perihal, field="perihal", label="Perihal", limit=500),
        "jenis": jenis,
        "tahun_perencanaan": tahun_perencanaan,
        "wilayah": wilayah,
        "tujuan_kode": tujuan_kode,
        "berkas": "",
        "dicatat": datetime.now().isoformat(timespec="seconds"),
        "operator": resolve_operator(operator),
    }


def _max_sequence(book: list[dict[str, Any]], arah: str, tahun: int) -> int:
    return max((e["urut"] for e in book if e["arah"] == arah and e["tahun"] == tahun), default=0)


def _free_sequence(
    book: list[dict[str, Any]], urut: int, tahun: int, *, exclude: int | None
) -> int:
    urut = _positive(urut)
    taken = next(
        (
            e
            for e in book
            if e["arah"] == "keluar"
            and e["tahun"] == tahun
            and e["urut"] == urut
            and e["id"] != exclude
        ),
        None,
    )
    if taken is not None:
        raise ValidationError(
            "urut",
            f"Nomor urut {urut} tahun {tahun} sudah dipakai untuk surat {taken['nomor']} "
            f"({taken['perihal'] or taken['pihak']}).",
        )
    return urut


def _outgoing_number(record: dict[str, Any]) -> str:
    return format_number(
        record["klasifikasi"], record["urut"], record["kode_unit"], record["tahun"]
    )


def _positive(value: Any) -> int:
    try:
        number = int(str(value).strip())
    except ValueError:
        raise ValidationError("urut", f"Nomor urut '{value}' bukan angka.") from None
    if number < 1:
        raise ValidationError("urut", "Nomor urut harus 1 atau lebih.")
    return number


def _part(value: str, field: str) -> str:
    label = {"klasifikasi": "Kode klasifikasi", "kode_unit": "Kode unit"}[field]
    text = clean_text(value or "", field=field, label=label, limit=40)
    if "/" in text:
        raise ValidationError(field, f"{label} tidak boleh memuat '/'.")
    return text


def _date(value: date | str | None, field: str, label: str) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    return parse_date(value, field=field, label=label)


def number_berita_acara(forum: Any, *, tanggal: date | str | None = None) -> dict[str, Any]:
    """Give a draf forum's Berita Acara its number from the book (kept if it has one already,
    so the book and the forum never disagree); returns the book entry."""
    with book_of(forum):
        return _number_berita_acara(forum, tanggal)


def _number_berita_acara(forum: Any, tanggal: date | str | None) -> dict[str, Any]:
    meta = forum.meta
    existing = forum_letter(forum, "berita-acara")
    if existing is not None and existing["nomor"] == meta.get("nomor_surat"):
        claim(existing["id"], forum_key(meta))
        return existing
    if meta.get("nomor_surat"):
        raise ValidationError(
            "nomor_surat",
            f"Berita acara sudah bernomor {meta['nomor_surat']}: ubah nomornya di buku agenda "
            "atau kosongkan nomor di forum dahulu.",
        )
    if forum.status != "draf":
        raise ValidationError(
            "nomor_surat", f"Forum berstatus {forum.status}: nomor berita acara tidak diubah."
        )
    entry = number_outgoing(
        tanggal=tanggal or meta.get("tanggal") or date.today(),
        pihak=meta.get("judul", ""),
        perihal=f"Berita Acara {meta.get('judul', '')}",
        jenis="berita-acara",
        tahun_perencanaan=int(meta["tahun"]),
        wilayah=meta["wilayah_kode"],
        operator=getattr(forum, "operator", None),
        forum_id=forum_key(meta),
    )
    forum.update_meta(nomor_surat=entry["nomor"])
    return entry


#: Header key of each letter a forum sends -> (kind in the book, what the book calls it).
FORUM_LETTERS = {
    "nomor_surat": ("berita-acara", "Berita Acara"),
    "nomor_surat_pengantar": ("surat-pengantar", "Penyampaian Hasil"),
    "nomor_surat_mandat": ("surat-mandat", "Surat Mandat Utusan"),
}


def letter_addressee(meta: dict[str, Any], office: dict[str, Any]) -> tuple[str, str]:
    """(to whom, the ``di`` place line) of a forum's surat pengantar: the Kabupaten's
    Bappeda for a kecamatan, the Camat for a desa; the office may set its own."""
    custom = office.get("tujuan_surat_pengantar") or {}
    if custom.get("kepada"):
        return custom["kepada"], custom.get("di") or ""
    place = region(meta["wilayah_kode"])
    kabupaten = meta.get("kabupaten") or region(".".join(place.code.split(".")[:2])).name
    if meta["level"] == "kecamatan":
        return f"Kepala Bappeda Kabupaten {kabupaten}", kabupaten.upper()
    kecamatan = region(place.parent_code or "").name
    return f"Camat {kecamatan}", kecamatan.upper()


def number_forum_letters(forum: Any) -> list[str]:
    """Number every letter a forum sends, as it becomes final; returns warnings.

    Each letter keeps the number it already has (a number typed by hand is written into the
    book with its sequence, so the book never gives that sequence again); otherwise it takes
    the next one, dated the day of the forum, the date every document prints. A forum of
    another region (a desa forum typed at the kecamatan) is left alone: that office numbers
    its own letters.
    """
    with book_of(forum):
        return _number_forum_letters(forum)


def numbers_forum(forum: Any) -> bool:
    """Whether this office's book numbers the forum's letters: a forum of another region (a
    desa forum typed at the kecamatan) is numbered by that office. Call inside book_of."""
    home = _office().get("wilayah_kode") or ""
    return not home or home == forum.meta["wilayah_kode"]


def _number_forum_letters(forum: Any) -> list[str]:
    meta = forum.meta
    office = _office()
    if not numbers_forum(forum):
        return []
    warnings: list[str] = []  # readiness already stopped an office without kode unit
    tahun, wilayah = int(meta["tahun"]), meta["wilayah_kode"]
    tanggal = meta.get("tanggal") or forum.clock().date()
    recipients = {
        "berita-acara": meta.get("judul", ""),
        "surat-pengantar": letter_addressee(meta, office)[0],
        "surat-mandat": f"Utusan {meta.get('judul', '')}",
    }
    numbers: dict[str, str] = {}
    for key, (jenis, perihal) in FORUM_LETTERS.items():
        entry = forum_letter(forum, jenis)
        typed = meta.get(key) or ""
        if entry is not None and (not typed or entry["nomor"] == typed):
            numbers[key] = entry["nomor"]
            claim(entry["id"], forum_key(meta))
            continue
        fields = {
            "tanggal": tanggal,
            "pihak": recipients[jenis],
            "perihal": f"{perihal} {meta.get('judul', '')}",
            "jenis": jenis,
            "tahun_perencanaan": tahun,
            "wilayah": wilayah,
            "operator": getattr(forum, "operator", None),
            "forum_id": forum_key(meta),
        }
        parts = _parse_number(typed) if typed else None
        if typed and parts is None:
            continue  # a number in another pattern: the office's own, kept as typed
        if parts is not None:
            fields.update(parts)
        entry = number_outgoing(**fields)
        numbers[key] = typed or entry["nomor"]
    changed = {key: nomor for key, nomor in numbers.items() if meta.get(key) != nomor}
    if changed:
        forum.update_meta(**changed)
    return warnings


def check_typed_number(forum: Any, key: str, nomor: str) -> None:
    """Refuse, as the book will at finalize, a number typed for the forum's letter ``key``
    (``nomor_surat``...) whose sequence the book already gave another letter that year; a
    number in another pattern, or one of a forum the office does not number, passes."""
    parts = _parse_number(nomor) if nomor else None
    if parts is None:
        return
    with book_of(forum):
        if not numbers_forum(forum):
            return
        own = forum_letter(forum, FORUM_LETTERS[key][0])
        tanggal = forum.meta.get("tanggal") or forum.clock().date()
        tahun = _date(tanggal, "tanggal", "Tanggal surat").year
        book = _office().get(BOOK_KEY) or []
        _free_sequence(book, parts["urut"], tahun, exclude=own["id"] if own else None)


def _parse_number(nomor: str) -> dict[str, Any] | None:
    """``050/12/416-313/2026`` -> klasifikasi, urut, kode unit (year checked by the book)."""
    parts = nomor.split("/")
    if len(parts) != 4 or not parts[1].strip().isdigit():
        return None
    return {
        "klasifikasi": parts[0].strip(),
        "urut": int(parts[1]),
        "kode_unit": parts[2].strip(),
    }
