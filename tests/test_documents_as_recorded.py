"""Documents say what the forum recorded (issue 11, the Sekcam's second reading): undecided
proposals apart as "belum diputuskan", notulen times from the agenda, officials on the
daftar hadir, the lampiran reference on every page."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import docx
from docx.oxml.ns import qn
from docx.text.paragraph import Paragraph

from exports.documents import notulen
from exports.documents.context import DocContext
from exports.export_all import export_document
from tests.forum_factory import StepClock, make_forum


def _cells(path: Path) -> list[list[str]]:
    document = docx.Document(str(path))
    return [[c.text for c in row.cells] for t in document.tables for row in t.rows]


def _header(path: Path) -> list[str]:
    header = docx.Document(str(path)).sections[0].header._element
    return [Paragraph(p, None).text for p in header.iter(qn("w:p"))]


def _forum(path: Path, clock: StepClock):
    forum = make_forum(
        path,
        clock=clock,
        level="desa",
        pimpinan="H. Sutrisno",
        pimpinan_jabatan="Kepala Desa Japan",
        tanggal="2026-02-12",
        pukul="09:00",
        tempat="Balai Desa Japan",
    )
    forum.update_meta(narasumber=[{"nama": "Ir. Bambang", "jabatan": "Pendamping Desa"}])
    for nama in ("Sutrisno", "Bambang", "Ani"):
        rec_id, _ = forum.participants.add(nama=nama, jenis_kelamin="L", desa="Japan")
        forum.participants.check_in(rec_id)
    for kegiatan, status in (("Paving", "diakomodir"), ("Drainase", "cadangan"), ("Jembatan", "")):
        rec_id, _ = forum.proposals.add(desa="Japan", kegiatan=kegiatan, biaya="1.000.000")
        if status:
            forum.proposals.set_status(rec_id, status, "melebihi pagu")
    forum.agenda.add_standard()
    return forum


def test_undecided_proposals_are_belum_diputuskan_never_tidak_disepakati(tmp_path):
    with _forum(tmp_path / "f.musrenbang", StepClock(datetime(2026, 2, 12, 9, 5))) as forum:
        files = {p.stem: p for p in export_document(forum, "all", tmp_path / "out")}
    rows = _cells(files["rekap"])
    jembatan = next(r for r in rows if "Jembatan" in r)
    assert "belum diputuskan" in jembatan and "diusulkan" not in jembatan
    headings = [p.text for p in docx.Document(str(files["rekap"])).paragraphs]
    b_heading = next(h for h in headings if h.startswith("B. "))
    assert "(1 usulan" in b_heading  # only the cadangan one is "tidak disepakati"
    assert any(h.startswith("C. Usulan yang belum diputuskan forum (1 usulan") for h in headings)
    ba = "\n".join(p.text for p in docx.Document(str(files["berita-acara"])).paragraphs)
    ba += "\n".join(c for r in _cells(files["berita-acara"]) for c in r)
    assert "1 usulan belum diputuskan forum" in ba and "bagian C" in ba


def test_the_lampiran_reference_and_the_officials_roles(tmp_path):
    with _forum(tmp_path / "f.musrenbang", StepClock(datetime(2026, 2, 12, 9, 5))) as forum:
        files = {p.stem: p for p in export_document(forum, "all", tmp_path / "out")}
    assert "LAMPIRAN II" in _header(files["rekap"])  # the page header: every page
    assert "LAMPIRAN I" in _header(files["daftar-hadir"])
    rows = _cells(files["daftar-hadir"])
    listed = [r for r in rows if r[0].isdigit()]
    assert listed[0][1] == "H. Sutrisno" and listed[0][3] == "Kepala Desa Japan (Pimpinan rapat)"
    assert listed[1][1] == "Ir. Bambang" and listed[1][3] == "Pendamping Desa (Narasumber)"


def test_notulen_prints_agenda_times_for_entries_typed_after_the_forum(tmp_path):
    clock = StepClock(datetime(2026, 2, 12, 9, 5))
    with _forum(tmp_path / "f.musrenbang", clock) as forum:
        first = forum.agenda.all()[0]
        forum.agenda.start(first["id"])
        clock.now = datetime(2026, 2, 12, 9, 20)
        forum.minutes.add("Dicatat saat forum.")
        clock.now = datetime(2026, 2, 12, 21, 40)  # tidied up in the evening
        forum.minutes.add("Dicatat malam hari.")
        warnings = [i.kode for i in forum.signoff.readiness().peringatan]
        path = export_document(forum, "notulen", tmp_path / "n.docx")[0]
        sheet_times = [row[1] for row in notulen.sheet(DocContext(forum)).rows]
    assert sheet_times == ["09.20", "09.05"]  # the spreadsheet prints the same times
    rows = _cells(path)
    during = next(r for r in rows if "Dicatat saat forum." in r[-1])
    late = next(r for r in rows if "Dicatat malam hari." in r[-1])
    assert during[0] == "09.20"  # inside the forum: when it was said
    assert late[0] == "09.05"  # after it: its agenda item's start, never 21.40
    assert "21.40" not in "".join(c for r in rows for c in r)
    assert "notulen-terlambat" in warnings


def test_ba_and_rekap_count_only_what_the_kecamatan_pagu_pays(tmp_path):
    forum = make_forum(
        tmp_path / "k.musrenbang",
        level="kecamatan",
        pagu=2_000_000,
    )
    with forum:
        forum.update_meta(metode_prioritas="voting")
        for kegiatan, biaya, dana, votes in (
            ("Jalan", "1.000.000", "APBD Kab:900.000; Swadaya:100.000", 9),
            ("PMT balita", "500.000", "DD", 8),
            ("Jembatan", "1.500.000", "APBD Kab", 7),
        ):
            rec_id, _ = forum.proposals.add(
                desa="Japan", kegiatan=kegiatan, biaya=biaya, sumber_dana=dana
            )
            forum.priority.set_tally(rec_id, votes)
        forum.priority.apply_ranking()
        status = {p["kegiatan"]: (p["status"], p["alasan"]) for p in forum.proposals.all()}
        files = {p.stem: p for p in export_document(forum, "all", tmp_path / "out")}
    assert status["PMT balita"] == ("diakomodir", "peringkat 2, di luar pagu (sumber dana DD)")
    assert status["Jembatan"][0] == "cadangan"  # 900.000 used: 1.500.000 no longer fits
    totals = {r[0]: r[1] for r in _cells(files["rekap"]) if len(r) == 2}
    assert totals["Dibebankan pada pagu"] == "Rp900.000"
    assert totals["Sisa pagu"] == "Rp1.100.000"
    ba = " ".join(p.text for p in docx.Document(str(files["berita-acara"])).paragraphs)
    ba += " ".join(c for r in _cells(files["berita-acara"]) for c in r)
    assert "dibebankan pada pagu indikatif Rp2.000.000 sebesar Rp900.000" in ba
    letter = " ".join(p.text for p in docx.Document(str(files["surat-pengantar"])).paragraphs)
    assert "dibebankan pada pagu indikatif Rp2.000.000 sebesar Rp900.000" in letter


def test_pelaksanaan_is_never_blank_for_minutes_typed_after_the_forum(tmp_path):
    """Nothing clicked during the forum (the minutes typed the next day): each acara prints
    its planned span with the mark and the note says so, never a blank cell."""
    from store.forum_times import PLANNED_NOTE

    clock = StepClock(datetime(2026, 2, 13, 10, 0))  # the day after the forum
    with _forum(tmp_path / "f.musrenbang", clock) as forum:
        for item in forum.agenda.all():
            forum.agenda.start(item["id"])  # clicked through while typing, the next day
        forum.minutes.add("Diketik keesokan harinya.")
        path = export_document(forum, "notulen", tmp_path / "n.docx")[0]
        planned = [(a["rencana_mulai"], a["rencana_selesai"]) for a in forum.agenda.all()]
    document = docx.Document(str(path))
    (table,) = [t for t in document.tables if "Pelaksanaan" in t.rows[0].cells[-1].text]
    acara = [[c.text for c in row.cells] for row in table.rows][1:]
    assert len(acara) == len(planned) > 1
    for row, (start, end) in zip(acara, planned, strict=True):
        assert row[3] == f"{start}-{end}*".replace(":", ".")
    assert PLANNED_NOTE in [p.text for p in document.paragraphs]


def test_held_span_from_the_record_else_the_plan_else_said_unrecorded():
    from store.forum_times import NOT_RECORDED, forum_window, held_span

    meta = {"tanggal": "2026-02-12", "pukul": "09:00"}
    item = {"rencana_mulai": "09:00", "rencana_selesai": "09:30"}
    ran = {**item, "mulai": "2026-02-12T09:05:00", "selesai": "2026-02-12T09:40:00"}
    window = forum_window(meta, [ran])
    assert held_span(ran, window) == "09.05-09.40"
    assert held_span({**ran, "selesai": None}, window) == "09.05-selesai"
    assert held_span({**ran, "mulai": "2026-02-13T08:00:00"}, window) == "09.00-09.30*"
    assert held_span(item, window) == "09.00-09.30*"
    assert held_span({"rencana_mulai": None}, window) == NOT_RECORDED
