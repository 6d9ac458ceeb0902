"""Free text in the audit log (F3): a NIK or phone typed into an amendment's reason, or kept
in any audit field, is masked when written and scrubbed by the erase, in the forum file's
snapshot and journal lines and in its backups."""

from __future__ import annotations

from pathlib import Path

from reliability_kit import files_left_behind

from store.forum import AUDIT_KEPT_FIELDS, Forum, open_forum
from tests.forum_factory import make_forum, make_ready
from tests.forum_layout import layout

NIK = "3516134107950003"
PHONE = "0812-3456-7890"
#: Digits only, so no separator or JSON escape hides a survivor in the raw bytes.
NEEDLES = {"nik": NIK.encode(), "phone": b"81234567890"}


def _digits_of(data: bytes) -> bytes:
    return bytes(c for c in data if 48 <= c <= 57)


def _found_in(paths: list[Path]) -> list[str]:
    """``"FILE: NEEDLE"`` for each NIK or phone whose digits a file's raw bytes hold."""
    hits = []
    for path in paths:
        digits = _digits_of(path.read_bytes())
        hits += [f"{path.name}: {name}" for name, needle in NEEDLES.items() if needle in digits]
    return hits


def _final_forum(path: Path) -> tuple[Forum, int]:
    forum = make_forum(path)
    rec_id, _ = forum.proposals.add(desa="Japan", kegiatan="Paving", biaya="1.000.000")
    make_ready(forum).signoff.finalize()
    return forum, rec_id


def _sign(forum: Forum) -> None:
    for role in forum.signoff.required_roles():
        forum.signoff.sign(role, "Penanda", nip="19720315 199703 1 004" * (role == "sekcam"))


def test_a_nik_and_phone_in_an_amendment_reason_never_reach_the_file_in_full(
    tmp_path: Path,
) -> None:
    path = tmp_path / "amandemen.musrenbang"
    forum, rec_id = _final_forum(path)
    with forum:
        with forum.amendment(f"Permintaan warga NIK {NIK}, dihubungi di {PHONE}"):
            forum.proposals.update(rec_id, biaya="1.500.000")

        assert forum.proposals.get(rec_id)["biaya"] == 1_500_000
        [amendment] = forum.amendments()
        assert "351613********0003" in amendment["alasan"]
        assert "0812******90" in amendment["alasan"]
        entries = [e for e in forum.audit() if e.get("amandemen")]
        assert {e["amandemen"] for e in entries} == {amendment["alasan"]}
        assert {e["tabel"] for e in entries} == {"proposals", "amendments"}
        assert layout(path).journal, "the amendment must sit in a journal line"
        assert _found_in([path]) == []

        forum.compact()  # now the snapshot's table lines hold the amendment
        assert not layout(path).journal
        assert _found_in([path]) == []
    for _ in range(2):  # reopened: backups of the file
        with open_forum(path) as reopened:
            reopened.refresh()
    assert len(files_left_behind(path)) > 1
    assert _found_in(files_left_behind(path)) == []


def test_an_operator_name_holding_a_phone_is_masked_in_the_audit(tmp_path: Path) -> None:
    path = tmp_path / "operator.musrenbang"
    make_forum(path).close()
    with open_forum(path, operator=f"Budi {PHONE}") as forum:
        forum.proposals.add(desa="Japan", kegiatan="Paving", biaya="1.000.000")
        entry = forum.audit()[-1]
    assert entry["operator"] == "Budi 0812******90"


def test_the_erase_scrubs_every_audit_field_not_only_old_and_new_values(tmp_path: Path) -> None:
    path = tmp_path / "hapus.musrenbang"
    forum, _ = _final_forum(path)
    with forum:
        _sign(forum)
        with forum.batch():  # as an older version wrote them: clear, in any field
            forum._db.table("audit").insert(
                {
                    "waktu": "2026-02-12T10:00:00",
                    "operator": f"Uji {PHONE}",
                    "tabel": "proposals",
                    "rec_id": 1,
                    "aksi": "ubah",
                    "lama": {"catatan": f"telp {PHONE}"},
                    "baru": None,
                    "amandemen": f"Koreksi data warga NIK {NIK}",
                    "keterangan": {"dari": [f"HP {PHONE}", NIK]},
                }
            )
    for _ in range(3):  # reopened: backups hold the entry too
        with open_forum(path) as reopened:
            reopened.refresh()
    held = [file for file in files_left_behind(path) if _found_in([file])]
    assert path in held and len(held) > 1, "the setup must hold the numbers, a backup too"

    with open_forum(path) as forum:
        forum.signoff.purge_personal()
        [old] = [e for e in forum.audit() if "keterangan" in e]
        audit = forum.audit()

    assert old["amandemen"] == "Koreksi data warga NIK 351613********0003"
    assert old["operator"] == "Uji 0812******90"
    assert old["keterangan"] == {"dari": ["HP 0812******90", "351613********0003"]}
    assert (old["waktu"], old["tabel"], old["rec_id"], old["aksi"]) == (
        "2026-02-12T10:00:00",
        "proposals",
        1,
        "ubah",
    )
    for entry in audit:  # every field, whatever its name
        for field, value in entry.items():
            if field not in AUDIT_KEPT_FIELDS:
                text = repr(value)
                assert NIK not in text and "81234567890" not in text, (entry["id"], field)
    assert _found_in(files_left_behind(path)) == []
