"""The planning year: seven steps with their standards, derived times, overdue marks, desa."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from store import agenda_book
from store.planning_year import STEPS, PlanningYear
from store.validation import ValidationError
from tests.forum_factory import StepClock, make_ready
from tests.sop_helpers import SOOKO, kecamatan_forum

NOW = datetime(2026, 2, 20, 10, 0)


def by_number(view) -> dict:
    return {status.step.nomor: status for status in view.steps}


def test_the_sop_steps_and_their_time_standards() -> None:
    assert [s.nomor for s in STEPS] == list(range(1, 8))
    assert [s.standar for s in STEPS] == [
        timedelta(minutes=30),
        timedelta(days=4),
        timedelta(minutes=30),
        timedelta(days=1),
        timedelta(days=2),
        timedelta(minutes=10),
        timedelta(minutes=15),
    ]
    assert all(s.keluaran for s in STEPS)


def test_an_empty_year_lists_every_desa_and_no_step_started() -> None:
    view = PlanningYear(SOOKO, 2027).view(now=NOW)
    assert [s.keadaan for s in view.steps] == ["belum"] * 7
    assert not any(s.terlambat for s in view.steps)
    assert len(view.desa) == 15 and view.desa[0].nama == "Gemekan"
    assert view.desa[0].keadaan == "belum ada surat" and view.diterima == 0


@pytest.mark.parametrize(("minutes", "late"), [(20, False), (45, True)])
def test_a_step_longer_than_its_standard_is_overdue(minutes, late) -> None:
    year = PlanningYear(SOOKO, 2027)
    start = datetime(2026, 1, 6, 8, 0)
    year.mark(1, mulai=start, selesai=start + timedelta(minutes=minutes), keluaran="15 surat")
    step = by_number(year.view(now=NOW))[1]
    assert step.keadaan == "selesai" and step.durasi == timedelta(minutes=minutes)
    assert step.terlambat is late and step.keluaran == "15 surat" and step.dicatat


def test_a_running_step_is_overdue_once_its_time_has_passed() -> None:
    year = PlanningYear(SOOKO, 2027)
    year.mark(2, mulai=datetime(2026, 1, 6, 9, 0))
    assert not by_number(year.view(now=datetime(2026, 1, 9, 9, 0)))[2].terlambat
    late = by_number(year.view(now=datetime(2026, 1, 11, 9, 0)))[2]
    assert late.keadaan == "berjalan" and late.terlambat


def test_letters_in_the_agenda_book_make_step_one() -> None:
    agenda_book.register_incoming(
        nomor="050/1/416/2026",
        tanggal="2026-01-05",
        pihak="Bappeda",
        perihal="Musrenbang",
        tahun_perencanaan=2027,
        wilayah=SOOKO,
    )
    year = PlanningYear(SOOKO, 2027)
    for place in year.view(now=NOW).desa[:3]:
        agenda_book.number_outgoing(
            tanggal="2026-01-06",
            pihak=place.nama,
            perihal="x",
            jenis="surat-desa",
            tahun_perencanaan=2027,
            wilayah=SOOKO,
            tujuan_kode=place.kode,
        )
    view = year.view(now=NOW)
    step = by_number(view)[1]
    assert step.mulai is not None and step.selesai is None
    assert step.keluaran == "3 dari 15 surat ke desa"
    assert view.desa[0].surat_nomor.startswith("050/1/") and view.desa[0].keadaan == (
        "surat terkirim"
    )
    assert view.desa[3].surat_nomor == ""


def test_desa_records_make_steps_two_and_three() -> None:
    year = PlanningYear(SOOKO, 2027)
    year.record_desa(
        "35.16.13.2001",
        musrenbangdes=datetime(2026, 1, 20, 9, 0),
        ditandatangani=datetime(2026, 1, 20, 13, 0),
        diterima=datetime(2026, 1, 20, 13, 20),
    )
    year.record_desa(
        "35.16.13.2002",
        musrenbangdes=datetime(2026, 1, 21, 9, 0),
        ditandatangani=datetime(2026, 1, 21, 12, 0),
        diterima=datetime(2026, 1, 22, 8, 0),
    )
    view = year.view(now=NOW)
    steps = by_number(view)
    assert steps[2].mulai == datetime(2026, 1, 20, 9, 0) and steps[2].selesai is None
    assert steps[2].keluaran == "2 dari 15 desa telah melaksanakan"
    assert steps[3].keluaran == "2 dari 15 bundel desa diterima"
    gemekan, blimbingsari = view.desa[:2]
    assert gemekan.keadaan == "usulan diterima" and not gemekan.terlambat_kirim
    assert blimbingsari.terlambat_kirim and steps[3].terlambat
    with pytest.raises(ValidationError):
        year.record_desa("35.16.01.2001", diterima=NOW)


def test_forum_makes_steps_four_to_six_and_sop_order(tmp_path) -> None:
    clock = StepClock(datetime(2026, 2, 12, 8, 0))
    with kecamatan_forum(tmp_path / "kec.musrenbang", clock=clock) as forum:
        forum.proposals.add(desa="Japan", kegiatan="Drainase", biaya="50000000")
        clock.tick(6 * 60)
        make_ready(forum).signoff.finalize()
        clock.tick(24 * 60)
        forum.signoff.sign("sekcam", "Sekretaris")
        clock.tick(25)
        forum.signoff.sign("camat", "Camat")
        steps = by_number(PlanningYear(SOOKO, 2027).view(forum, now=NOW))
    assert steps[4].mulai == datetime(2026, 2, 12, 8, 0)
    assert steps[4].selesai == datetime(2026, 2, 12, 14, 0) and not steps[4].terlambat
    assert steps[4].keluaran == "1 usulan dari 1 desa"
    assert steps[6].mulai == datetime(2026, 2, 13, 14, 0)
    assert steps[6].durasi == timedelta(minutes=25) and steps[6].terlambat
    assert steps[7].mulai == steps[6].selesai and steps[7].keadaan == "berjalan"


def test_remembered_forum_is_read_when_none_is_given(tmp_path) -> None:
    with kecamatan_forum(tmp_path / "kec.musrenbang") as forum:
        forum.proposals.add(desa="Japan", kegiatan="Drainase", biaya="50000000")
        path = forum.path
    year = PlanningYear(SOOKO, 2027)
    year.set_forum(path)
    view = year.view(now=NOW)
    assert view.forum_path == str(path.resolve())
    assert by_number(view)[4].keluaran == "1 usulan dari 1 desa"
    path.write_text("bukan forum")
    assert "tidak dapat dibaca" in year.view(now=NOW).notes[0]


def test_bad_requests_are_refused() -> None:
    with pytest.raises(ValidationError):
        PlanningYear("35.16.13.2001", 2027)
    with pytest.raises(ValidationError):
        PlanningYear(SOOKO, 2027).mark(8, mulai=NOW)
