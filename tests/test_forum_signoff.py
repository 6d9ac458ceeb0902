"""Sign-off lifecycle, freezing, amendments, personal-data purge, minutes and agenda."""

from __future__ import annotations

import pytest

from store.forum import FrozenForumError, ReadOnlyForumError, open_forum
from store.validation import ValidationError
from tests.forum_factory import make_forum, make_ready, present_name


def test_finalize_names_what_is_missing(tmp_path, monkeypatch):
    monkeypatch.setenv("MUSRENBANG_HOME", str(tmp_path / "home"))
    with make_forum(tmp_path / "g.musrenbang", tanggal=None, tempat="") as forum:
        with pytest.raises(ValidationError) as error:
            forum.signoff.finalize()
        assert "tanggal" in error.value.message and "tempat" in error.value.message
        assert "pukul" not in error.value.message
        assert forum.status == "draf"


def test_finalize_warns_on_undecided_then_freezes(forum):
    forum.proposals.add(desa="Japan", kegiatan="Paving", biaya="1.000.000")
    forum.proposals.add(desa="Japan", kegiatan="Drainase", biaya="1.000.000")
    warnings = make_ready(forum).signoff.finalize()
    assert warnings and "1 usulan belum diputuskan" in warnings[0]
    assert forum.status == "final"
    with pytest.raises(FrozenForumError):
        forum.proposals.add(desa="Japan", kegiatan="Lain", biaya="1.000.000")
    with pytest.raises(FrozenForumError):
        forum.update_meta(tempat="Balai Desa")


def test_amendment_is_the_only_way_and_is_recorded(forum):
    rec_id, _ = forum.proposals.add(desa="Japan", kegiatan="Paving", biaya="1.000.000")
    make_ready(forum).signoff.finalize()
    with pytest.raises(ValidationError), forum.amendment(""):
        pass
    with forum.amendment("Biaya salah ketik, sesuai RAB Rp1.500.000"):
        forum.proposals.update(rec_id, biaya="1.500.000")
    assert forum.proposals.get(rec_id)["biaya"] == 1_500_000
    [amendment] = forum.amendments()
    assert amendment["alasan"].startswith("Biaya salah ketik")
    assert forum.audit()[-2]["amandemen"] == amendment["alasan"]


def test_kecamatan_signing_order_sekcam_paraf_first(forum):
    with pytest.raises(ValidationError, match="draf"):
        forum.signoff.sign("camat", "Hendro")
    make_ready(forum).signoff.finalize()
    with pytest.raises(ValidationError, match="paraf"):
        forum.signoff.sign("camat", "Hendro")
    with pytest.raises(ValidationError, match="tidak berlaku"):
        forum.signoff.sign("kepala-desa", "X")
    with pytest.raises(ValidationError, match="NIP"):
        forum.signoff.sign("sekcam", "Sugeng", nip="1234")
    assert forum.signoff.sign("sekcam", "Sugeng", nip="19720315 199703 1 004") == "final"
    assert forum.signoff.signatures()[0]["jenis"] == "paraf"
    assert forum.signoff.sign("camat", "Hendro") == "ditandatangani"
    with pytest.raises(ValidationError, match="sudah"):
        forum.signoff.sign("camat", "Hendro")


def test_desa_needs_three_roles(tmp_path, monkeypatch):
    monkeypatch.setenv("MUSRENBANG_HOME", str(tmp_path / "home"))
    with make_forum(tmp_path / "d.musrenbang", level="desa") as forum:
        make_ready(forum).signoff.finalize()
        forum.signoff.sign("kepala-desa", "Kades")
        forum.signoff.sign("ketua-bpd", "Ketua")
        assert forum.status == "final"
        forum.signoff.sign("wakil-masyarakat", present_name(forum))
        assert forum.status == "ditandatangani"


def test_document_register_supersedes_older_version(forum):
    forum.signoff.register_document("A1", "rekap", "050/1", "2026-02-12", "d1")
    forum.signoff.register_document("A1", "rekap", "050/1", "2026-02-12", "d1")
    forum.signoff.register_document("A2", "rekap", "050/1", "2026-02-13", "d2")
    docs = {d["doc_id"]: d for d in forum.signoff.documents()}
    assert len(docs) == 2
    assert docs["A1"]["status"] == "diganti" and docs["A1"]["diganti_oleh"] == "A2"
    assert docs["A2"]["status"] == "berlaku"


def test_purge_personal_erases_nik_and_phone_everywhere(forum):
    nik = "3516134107950003"
    rec_id, _ = forum.participants.add(
        nama="Siti", jenis_kelamin="P", nik=nik, telepon="081234567890"
    )
    with pytest.raises(ValidationError, match="setelah forum ditandatangani"):
        forum.signoff.purge_personal()
    make_ready(forum).signoff.finalize()
    forum.signoff.sign("sekcam", "S")
    forum.signoff.sign("camat", "C")
    assert forum.signoff.purge_personal() == 1
    person = forum.participants.get(rec_id)
    assert person["nik"] == "" and person["telepon"] == ""
    assert nik not in repr(forum.export_tables())
    assert "081234567890" not in repr(forum.export_tables())


def test_minutes_kinds_and_current_agenda(forum):
    forum.agenda.add_standard()
    first = forum.agenda.current()
    assert first["judul"] == "Registrasi peserta"
    forum.agenda.step(+1)
    current = forum.agenda.current()
    assert current["judul"] == "Pembukaan" and current["mulai"]
    speaker, _ = forum.participants.add(nama="Agus", jenis_kelamin="L", unsur="BPD", desa="Japan")
    note = forum.minutes.add("Acara dibuka")
    reply = forum.minutes.add("Jalan rusak", jenis="tanggapan", pembicara_id=speaker)
    decision = forum.minutes.add(
        "Irigasi masuk prioritas", jenis="keputusan", metode="mufakat", hasil="Disepakati"
    )
    entries = {m["id"]: m for m in forum.minutes.all()}
    assert entries[note]["agenda_id"] == current["id"]
    assert entries[reply]["pembicara_nama"] == "Agus"
    assert entries[reply]["pembicara_unsur"] == "BPD Japan"
    assert entries[decision]["metode"] == "mufakat"
    with pytest.raises(ValidationError, match="pembicara"):
        forum.minutes.add("Tanpa nama", jenis="tanggapan")
    with pytest.raises(ValidationError, match="metode"):
        forum.minutes.add("Tanpa metode", jenis="keputusan")
    forum.minutes.edit(note, teks="Acara dibuka oleh Camat")
    forum.minutes.delete(reply)
    actions = [(e["tabel"], e["aksi"]) for e in forum.audit()[-2:]]
    assert actions == [("minutes", "ubah"), ("minutes", "hapus")]


def test_changes_survive_reopen_and_readonly_refuses_writes(forum, tmp_path):
    rec_id, _ = forum.participants.add(nama="Siti", jenis_kelamin="P")
    forum.participants.check_in(rec_id)
    path = forum.path
    forum.close()
    with open_forum(path, readonly=True) as reader:
        assert reader.participants.get(rec_id)["hadir_pukul"]
        with pytest.raises(ReadOnlyForumError):
            reader.participants.check_out(rec_id)


def test_batch_is_all_or_nothing(forum):
    with pytest.raises(ValidationError), forum.batch():
        forum.participants.add(nama="A", jenis_kelamin="L")
        forum.participants.add(nama="", jenis_kelamin="L")
    assert forum.participants.all() == []


def test_listeners_get_one_change_per_table_per_batch(forum):
    seen = []
    forum.subscribe(seen.append)
    with forum.batch():
        forum.participants.add(nama="A", jenis_kelamin="L")
        forum.participants.add(nama="B", jenis_kelamin="P")
    assert len(seen) == 1 and seen[0].table == "participants" and len(seen[0].ids) == 2
    assert forum.last_saved_at is not None


def test_a_write_from_another_thread_waits_for_a_running_batch(forum):
    import threading

    inside, release = threading.Event(), threading.Event()
    outcome = {}

    def worker():
        try:
            with forum.batch():
                forum.participants.add(nama="Dari worker", jenis_kelamin="L")
                inside.set()
                release.wait(5)
                raise RuntimeError("worker gagal")
        except RuntimeError:
            outcome["worker"] = "rolled back"

    def ui_write():
        forum.participants.add(nama="Dari UI", jenis_kelamin="P")
        outcome["ui"] = "saved"

    first = threading.Thread(target=worker)
    first.start()
    assert inside.wait(5)
    second = threading.Thread(target=ui_write)
    second.start()
    second.join(0.3)
    assert second.is_alive(), "the UI write must wait for the worker's batch"
    release.set()
    first.join(5)
    second.join(5)
    assert outcome == {"worker": "rolled back", "ui": "saved"}
    assert [p["nama"] for p in forum.participants.all()] == ["Dari UI"]


def test_readonly_refresh_names_the_tables_the_writer_touched(forum, monkeypatch):
    from store.forum import TABLES

    reader = open_forum(forum.path, readonly=True)
    heard = []
    reader.subscribe(heard.append)
    try:
        assert reader.refresh() is False
        rec_id, _ = forum.participants.add(nama="Siti", jenis_kelamin="P")
        forum.participants.check_in(rec_id)
        assert reader.refresh() is True
        assert {c.table for c in heard} == {"participants", "audit"}
        assert reader.participants.get(rec_id)["hadir_pukul"]
        heard.clear()
        monkeypatch.setattr("store.storage.COMPACT_LINES", 1)
        monkeypatch.setattr("store.storage.COMPACT_MIN_BYTES", 0)
        forum.participants.check_out(rec_id)
        forum._db.wait_for_maintenance()  # compaction runs in the background
        assert reader.refresh() is True
        assert [c.table for c in heard] == list(TABLES)
        assert reader.participants.get(rec_id)["pulang_pukul"]
    finally:
        reader.close()


def test_who_signs_from_the_room_must_be_marked_present(tmp_path, monkeypatch):
    """The wakil masyarakat (and any capacity held at this forum only) signs from the room:
    a registered person never marked present, or an unknown name, is refused, naming why;
    the Kepala Desa and Ketua BPD sign by their post, present or not."""
    monkeypatch.setenv("MUSRENBANG_HOME", str(tmp_path / "home"))
    with make_forum(tmp_path / "d.musrenbang", level="desa") as forum:
        forum.participants.add(nama="Mbah Karto", jenis_kelamin="L", unsur="Tokoh Masyarakat")
        make_ready(forum).signoff.finalize()
        forum.signoff.sign("kepala-desa", "Kades Tidak Hadir")
        forum.signoff.sign("ketua-bpd", "Ketua Tidak Hadir")
        with pytest.raises(ValidationError, match=r"(?i)Mbah Karto terdaftar.*belum") as registered:
            forum.signoff.sign("wakil-masyarakat", "mbah  KARTO")
        assert registered.value.field == "nama" and "\n" not in registered.value.message
        with pytest.raises(ValidationError, match="Orang Lain tidak ada di daftar hadir"):
            forum.signoff.sign("wakil-masyarakat", "Orang Lain")
        with pytest.raises(ValidationError, match="Orang Lain tidak ada"):
            forum.signoff.sign("notulis", "Orang Lain")
        assert forum.status == "final" and len(forum.signoff.signatures()) == 2
        assert forum.signoff.sign("wakil-masyarakat", present_name(forum)) == "ditandatangani"


def test_cli_sign_refuses_a_wakil_masyarakat_never_marked_present(tmp_path, monkeypatch):
    from tests.test_cli_store import run

    home = tmp_path / "home"
    monkeypatch.setenv("MUSRENBANG_HOME", str(home))
    path = tmp_path / "d.musrenbang"
    with make_forum(path, level="desa") as forum:
        forum.participants.add(nama="Mbah Karto", jenis_kelamin="L", unsur="Tokoh Masyarakat")
        make_ready(forum).signoff.finalize()
    args = ("sign", str(path), "--role", "wakil-masyarakat", "--name", "Mbah Karto")
    done = run(*args, home=home, check_code=2)
    assert done.stderr.strip().count("\n") == 0 and "Traceback" not in done.stderr
    assert "Mbah Karto terdaftar tetapi belum ditandai hadir" in done.stderr
    with open_forum(path, operator="Uji") as forum:
        assert forum.signoff.signatures() == []
