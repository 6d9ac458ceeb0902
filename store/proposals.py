"""Proposals (usulan): add, edit, decide, with duplicates flagged and reasons required.

A proposal not recorded is not funded, so adding never refuses a likely duplicate: it is
saved with ``duplikat_dari`` pointing at the earlier one and a warning for the note-taker.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import TYPE_CHECKING, Any

from store.duplicates import DuplicateIndex
from store.lazy_index import LazyIndex, stored_copy, stored_reference
from store.record_area import RecordArea
from store.sectors import PROPOSAL_STATUSES, STATUSES_NEEDING_REASON
from store.validation import ValidationError, clean_text, validate_proposal

if TYPE_CHECKING:
    from store.forum import Forum

PROPOSAL_FIELDS = (
    "desa",
    "sumber",
    "bidang",
    "permasalahan",
    "kegiatan",
    "lokasi",
    "volume",
    "satuan",
    "penerima_manfaat",
    "biaya",
    "sumber_dana",
    "opd_tujuan",
    "kamus_usulan",
    "foto",
    "catatan",
    "prioritas_daerah",
    "sasaran_daerah",
    "program",
    "sasaran_kegiatan",
)


class Proposals(RecordArea):
    """The forum's proposals and their decisions."""

    table = "proposals"

    def __init__(self, forum: Forum) -> None:
        super().__init__(forum)
        self._live = LazyIndex(forum, self.table, stored_reference, self._indexed, self._followed)
        self._last_urutan = 0

    def prepare(self, fields: dict[str, Any]) -> dict[str, Any]:
        """Validate and complete a new proposal without saving it (import previews use it)."""
        return self.complete(self._validate(fields), fields.get("asal"))

    def complete(
        self, record: dict[str, Any], asal: dict[str, str] | None = None
    ) -> dict[str, Any]:
        """Add what a validated proposal needs to be saved in this forum (status, origin)."""
        return self.complete_all([record], asal)[0]

    def complete_all(
        self, records: Iterable[dict[str, Any]], asal: dict[str, str] | None = None
    ) -> list[dict[str, Any]]:
        """``complete`` for a file's rows, reading the forum's header once."""
        meta = self._forum.meta
        completed = []
        for record in records:
            record = dict(record)
            record["status"] = "diusulkan"
            record["alasan"] = ""
            record["asal"] = asal or _default_origin(record, meta)
            record.setdefault("catatan", "")
            completed.append(record)
        return completed

    def add(self, **fields: Any) -> tuple[int, list[str]]:
        """Save a proposal; returns its id and warnings (e.g. likely duplicate)."""
        return self.add_prepared(self.prepare(fields))

    def add_prepared(
        self, record: dict[str, Any], existing: DuplicateIndex | None = None
    ) -> tuple[int, list[str]]:
        """Save an already validated proposal, flagging a likely duplicate.

        Checked against the forum's proposals (kept indexed, so a save costs what shares its
        words, not the forum), or against ``existing`` when given (a preview's own pool).
        """
        index = self._live_index()
        first = (index if existing is None else existing).first_match(record)
        record = self._flagged(record, first)
        rec_id = self._forum._insert(self.table, record)
        if existing is not None:
            existing.add({**record, "id": rec_id})
        return rec_id, _duplicate_warnings(first)

    def add_all(
        self,
        records: Sequence[dict[str, Any]],
        progress: Callable[[int, int], None] | None = None,
    ) -> list[tuple[int, list[str]]]:
        """Save a file's validated proposals in one batch, each flagged against the forum
        and the rows before it exactly as ``add_prepared`` one by one would.

        The forum is checked writable once and the live index is updated in place, so a
        row costs the same whether it is the 10th or the 20,000th. ``progress(done, total)``
        is called after each row.
        """
        added: list[tuple[int, list[str]]] = []
        total = len(records)
        with self._forum.batch():
            self._forum._guard(self.table)
            index = self._live_index()
            try:
                for done, record in enumerate(records, start=1):
                    first = index.first_match(record)
                    flagged = self._flagged(record, first)
                    rec_id = self._forum._insert_raw(self.table, flagged)
                    # the stored record (the batch holds the storage mutex), not a copy
                    index.add_stored(rec_id, self._forum._stored(self.table)[str(rec_id)])
                    self._last_urutan = flagged["urutan"]
                    added.append((rec_id, _duplicate_warnings(first)))
                    if progress:
                        progress(done, total)
            except BaseException:
                self._live.forget()  # it holds rows the rolled-back batch never saved
                raise
            # Every change to the table since the index was last synced is one made here.
            self._live.caught_up()
        return added

    def _flagged(self, record: dict[str, Any], first: dict[str, Any] | None) -> dict[str, Any]:
        """The record to save: numbered, stamped, pointing at the first likely duplicate."""
        record = dict(record)
        record["duplikat_dari"] = first["id"] if first else None
        record["urutan"] = self._last_urutan + 1
        record["dibuat"] = self._forum.clock().isoformat()
        return record

    def update(self, rec_id: int, **changes: Any) -> dict[str, Any]:
        """Edit fields, re-validating the whole proposal; status goes through set_status."""
        current = self.get(rec_id)
        merged = {key: current.get(key) for key in PROPOSAL_FIELDS} | changes
        record = self._validate(merged)
        first = self._live_index().first_match({**record, "id": rec_id})
        record["duplikat_dari"] = first["id"] if first else None
        return self._forum._update(self.table, rec_id, record)

    def set_status(self, rec_id: int, status: str, alasan: str = "") -> dict[str, Any]:
        """Decide a proposal; cadangan and tidak diakomodir need a reason."""
        if status not in PROPOSAL_STATUSES:
            raise ValidationError("status", f"Status '{status}' tidak dikenal.")
        reason = clean_text(alasan or "", field="alasan", label="Alasan", limit=1000)
        if status in STATUSES_NEEDING_REASON and not reason:
            raise ValidationError("alasan", f"Status {status} wajib disertai alasan.")
        return self._forum._update(self.table, rec_id, {"status": status, "alasan": reason})

    def remove(self, rec_id: int) -> None:
        """Delete a proposal with its scores and tally, in one save (all audited)."""
        with self._forum.batch():
            for table in ("scores", "tallies"):
                for row in self._forum.records(table):
                    if row["usulan_id"] == rec_id:
                        self._forum._delete(table, row["id"])
            self._forum._delete(self.table, rec_id)

    def likely_duplicates(self, fields: dict[str, Any]) -> list[dict[str, Any]]:
        """What a proposal being typed probably repeats (the form warns before saving)."""
        return [stored_copy(str(p["id"]), p) for p in self._live_index().matches(fields)]

    def duplicate_index(self) -> DuplicateIndex:
        """A private index of the forum's proposals, for checking a file's rows against
        them and against each other before anything is saved (the import preview)."""
        return DuplicateIndex(self.all())

    def warm_index(self) -> None:
        """Build the live duplicate index ahead of the first save (``Forum.warm_up``)."""
        self._live.warm()

    def _live_index(self) -> DuplicateIndex:
        """The forum's proposals indexed; follows changes by re-reading only what changed."""
        return self._live.current()

    def _indexed(self, proposals: list[tuple[int, dict[str, Any]]]) -> DuplicateIndex:
        """The live index built from every stored proposal, referenced, not copied (no
        forum access: may run on the warm-up thread while a save waits for it)."""
        self._last_urutan = max((p.get("urutan", 0) for _, p in proposals), default=0)
        index = DuplicateIndex(id_order=True)
        for rec_id, stored in proposals:
            index.add_stored(rec_id, stored)
        return index

    def _followed(self, index: DuplicateIndex, changed: set[int]) -> DuplicateIndex:
        """``index`` brought up to date with the proposals ``changed`` since it last looked."""
        removed = False
        stored = self._forum._stored(self.table)  # a use holds the storage mutex
        for rec_id in changed:
            record = stored.get(str(rec_id))
            if record is None:
                removed = index.discard(rec_id) is not None or removed
                continue
            index.add_stored(rec_id, record)
            self._last_urutan = max(self._last_urutan, record.get("urutan", 0))
        if removed:  # the last entry number may have gone with it (rare: a full pass)
            self._last_urutan = max((p.get("urutan", 0) for p in index), default=0)
        return index

    def _validate(self, fields: dict[str, Any]) -> dict[str, Any]:
        """Validate against this forum's region (a desa outside it is refused)."""
        return validate_proposal(
            _as_import_values(fields), wilayah_kode=self._forum.meta["wilayah_kode"]
        )


def _default_origin(record: dict[str, Any], meta: dict[str, Any]) -> dict[str, str]:
    source = (record.get("sumber") or "").strip()
    if source.upper().startswith(("UPT", "DINAS", "OPD", "PUSKESMAS")):
        return {"jenis": "upt", "nama": source}
    if meta.get("level") == "kecamatan":
        return {"jenis": "desa", "nama": record.get("desa", "")}
    return {"jenis": "forum", "nama": meta.get("judul", "")}


def _duplicate_warnings(first: dict[str, Any] | None) -> list[str]:
    if first is None:
        return []
    return [
        f"Kemungkinan duplikat dengan usulan #{first['id']} ({first['kegiatan']}, "
        f"{first['desa']}): tetap disimpan dan ditandai."
    ]


def _as_import_values(fields: dict[str, Any]) -> dict[str, Any]:
    """Structured values from the UI back to the import columns the validator reads."""
    values: dict[str, Any] = {}
    for key in PROPOSAL_FIELDS:
        value = fields.get(key)
        if key == "sumber_dana" and isinstance(value, list):
            value = "; ".join(f"{s['sumber']}:{s['jumlah']}" for s in value)
        elif key == "foto" and isinstance(value, list):
            value = "; ".join(value)
        values[key] = "" if value is None else value
    return values
