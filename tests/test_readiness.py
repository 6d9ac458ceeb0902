"""Readiness rules (store.readiness): each blocking item and warning, one test per rule."""

from __future__ import annotations

from dataclasses import replace

import pytest

from store.readiness import ForumFacts, assess

PRESENT = "2026-02-12T08:10:00"


def person(pid: int, nama: str, jk: str = "L", *, hadir: bool = True, **extra) -> dict:
    return {
        "id": pid,
        "nama": nama,
        "jenis_kelamin": jk,
        "hadir_pukul": PRESENT if hadir else None,
        **extra,
    }


def ready_facts(**meta) -> ForumFacts:
    """A kecamatan forum that passes every rule; each test breaks one thing."""
    people = [person(1, "Ani", "P"), person(2, "Budi"), person(3, "Citra", "P")]
    return ForumFacts(
        meta={
            "level": "kecamatan",
            "tanggal": "2026-02-12",
            "pukul": "08:00",
            "tempat": "Pendopo",
            "pimpinan": "Ani",
            "pagu": 1_000_000,
            "materi": ["Rekap usulan"],
            "nomor_surat": "050/1/416-313/2026",
            "target_perempuan": 0.30,
            "kuorum": {"aturan": "tidak_ada"},
            **meta,
        },
        participants=people,
        proposals=[
            {
                "status": "diakomodir",
                "prioritas_daerah": "Infrastruktur",
                "sasaran_daerah": "Jalan mantap",
                "program": "Jalan",
            }
        ],
        minutes=[{"jenis": "keputusan", "metode": "mufakat", "teks": "Prioritas disepakati"}],
        utusan=[{"nama": p["nama"], "peserta_id": p["id"]} for p in people],
    )


def codes(facts: ForumFacts) -> tuple[list[str], list[str]]:
    result = assess(facts)
    return [i.kode for i in result.penghalang], [i.kode for i in result.peringatan]


def test_a_complete_forum_is_ready_without_warnings():
    result = assess(ready_facts())
    assert result.siap and not result.peringatan


def test_nobody_present_blocks():
    facts = ready_facts()
    absent = [{**p, "hadir_pukul": None} for p in facts.participants]
    blocking, _ = codes(replace(facts, participants=absent))
    assert "peserta" in blocking


def test_no_proposal_blocks():
    blocking, _ = codes(replace(ready_facts(), proposals=[]))
    assert blocking == ["usulan"]


def test_a_vote_without_result_blocks_and_names_the_decision():
    vote = {"jenis": "keputusan", "metode": "voting", "hasil": " ", "teks": "Prioritas jalan"}
    agreed = {"jenis": "keputusan", "metode": "mufakat", "hasil": "", "teks": "Utusan"}
    result = assess(replace(ready_facts(), minutes=[vote, agreed]))
    assert [i.kode for i in result.penghalang] == ["hasil-voting"]
    assert "Prioritas jalan" in result.penghalang[0].pesan
    assert result.penghalang[0].tempat.startswith("F3")


def test_header_decided_by_vote_needs_its_result():
    blocking, _ = codes(ready_facts(metode_keputusan="voting", hasil_keputusan=""))
    assert blocking == ["hasil-voting"]
    blocking, _ = codes(ready_facts(metode_keputusan="voting", hasil_keputusan="7-1-1"))
    assert blocking == []


def test_priority_by_vote_needs_votes_recorded():
    facts = ready_facts(metode_prioritas="surat_suara")
    assert codes(facts)[0] == ["hasil-voting"]
    assert codes(replace(facts, suara_tercatat=12))[0] == []
    assert codes(ready_facts(metode_prioritas="skoring"))[0] == []


@pytest.mark.parametrize(
    ("level", "pagu", "tanpa", "blocked"),
    [
        ("kecamatan", 0, False, True),
        ("kecamatan", 0, True, False),
        ("kecamatan", 5, False, False),
        ("desa", 0, False, False),
    ],
)
def test_pagu_zero_blocks_a_kecamatan_unless_it_says_it_has_none(level, pagu, tanpa, blocked):
    blocking, _ = codes(ready_facts(level=level, pagu=pagu, tanpa_pagu=tanpa))
    assert ("pagu" in blocking) is blocked


def test_fewer_than_three_utusan_blocks_a_kecamatan_only():
    facts = ready_facts()
    two = replace(facts, utusan=facts.utusan[:2])
    result = assess(two)
    assert [i.kode for i in result.penghalang] == ["utusan"]
    assert "2 dari 3" in result.penghalang[0].pesan
    desa = replace(two, meta={**two.meta, "level": "desa"})
    assert assess(desa).siap


def test_an_utusan_not_on_the_attendance_list_blocks():
    facts = ready_facts()
    people = [*facts.participants, person(4, "Dedi", hadir=False)]
    utusan = [*facts.utusan[:2], {"nama": "Dedi", "peserta_id": 4}]
    result = assess(replace(facts, participants=people, utusan=utusan))
    assert [i.kode for i in result.penghalang] == ["utusan-hadir"]
    assert "Dedi" in result.penghalang[0].pesan


def test_an_utusan_typed_by_name_matches_a_present_participant():
    facts = ready_facts()
    typed = [{"nama": "  ani "}, {"nama": "BUDI"}, {"nama": "Hendro"}]
    result = assess(replace(facts, utusan=typed))
    assert [i.pesan for i in result.penghalang] == [
        "Utusan Hendro tidak tercatat hadir di daftar hadir."
    ]


def test_missing_header_blocks_naming_each_field():
    result = assess(ready_facts(tanggal=None, tempat=""))
    assert [i.pesan for i in result.penghalang] == ["Belum diisi: tanggal, tempat."]


def test_empty_materi_blocks():
    blocking, _ = codes(ready_facts(materi=["", "  "]))
    assert blocking == ["materi"]


def test_ba_number_blocks_only_when_it_cannot_be_assigned():
    no_number = ready_facts(nomor_surat="")
    assert codes(no_number)[0] == ["nomor-ba"]
    assert codes(replace(no_number, nomor_ba_otomatis=True))[0] == []


def test_quorum_missed_warns():
    facts = ready_facts(kuorum={"aturan": "minimal_hadir", "nilai": 10})
    blocking, warnings = codes(facts)
    assert blocking == [] and warnings == ["kuorum"]


def test_women_below_target_warns_with_both_shares():
    result = assess(ready_facts(target_perempuan=0.8))
    assert [i.kode for i in result.peringatan] == ["perempuan"]
    assert "67%" in result.peringatan[0].pesan and "80%" in result.peringatan[0].pesan


def test_undecided_proposals_warn_with_their_count_and_where_to_close_the_vote():
    facts = ready_facts()
    open_ones = [
        {**facts.proposals[0], "status": "diusulkan", "kegiatan": "Paving", "desa": "Japan"},
        {**facts.proposals[0], "status": "diusulkan", "kegiatan": "Posyandu"},
    ]
    result = assess(replace(facts, proposals=[*open_ones, facts.proposals[0]]))
    assert [i.pesan for i in result.peringatan] == [
        '2 usulan belum diputuskan (masih berstatus diusulkan): "Paving" (Japan); "Posyandu". '
        'Rekap mencetaknya sebagai "belum diputuskan" di Lampiran II bagian C.'
    ]
    assert "tutup pemungutan di F5 Prioritas" in result.peringatan[0].line()
    closed = replace(facts, proposals=[*open_ones, facts.proposals[0]])
    closed = replace(closed, meta={**closed.meta, "pemungutan_ditutup": True})
    assert "tutup pemungutan" not in assess(closed).peringatan[0].line()


def test_a_forum_that_decided_no_proposal_is_not_ready():
    facts = ready_facts()
    open_ones = [{**facts.proposals[0], "status": "diusulkan"}] * 3
    result = assess(replace(facts, proposals=open_ones))
    assert [i.kode for i in result.penghalang] == ["tanpa-keputusan"]
    assert "semua 3 usulan" in result.penghalang[0].pesan
    assert "tutup pemungutan di F5 Prioritas" in result.penghalang[0].line()
    assert "belum-diputuskan" not in [i.kode for i in result.peringatan]


def test_an_office_without_kode_unit_blocks_before_final():
    result = assess(replace(ready_facts(), kode_unit_kosong=True))
    assert [i.kode for i in result.penghalang] == ["kode-unit"]
    assert "Pengaturan kantor" in result.penghalang[0].line()


def test_a_desa_forum_needs_an_utusan_to_the_kecamatan_who_was_present():
    facts = ready_facts(level="desa", pagu=0)
    result = assess(replace(facts, utusan=[]))
    assert [i.kode for i in result.penghalang] == ["utusan"]
    assert "Musrenbang Kecamatan" in result.penghalang[0].pesan
    one = replace(facts, utusan=[{"nama": "Ani", "peserta_id": 1}])
    assert assess(one).siap
    stranger = replace(facts, utusan=[{"nama": "Dodi", "peserta_id": 99}])
    assert [i.kode for i in assess(stranger).penghalang] == ["utusan-hadir"]


def test_an_incomplete_letterhead_warns_naming_each_part():
    result = assess(replace(ready_facts(), kop_kurang=("alamat", "laman")))
    assert [i.kode for i in result.peringatan] == ["kop"]
    assert "Kop surat belum lengkap: alamat, laman" in result.peringatan[0].pesan


def test_td4_warning_counts_only_what_the_rpjmd_mapping_cannot_fill():
    from store.rpjmd import default_mapping, td4_columns

    mapping = default_mapping()
    sector = next(iter(mapping["sektor"]))
    mapped = {"status": "diakomodir", "bidang": sector, "kegiatan": "x"}
    unmapped = {"status": "diakomodir", "bidang": "", "kegiatan": "zzz tidak dikenal"}
    assert all(td4_columns(mapped, mapping).values())
    facts = replace(ready_facts(), proposals=[mapped, unmapped], rpjmd=mapping)
    warnings = assess(facts).peringatan
    assert [i.kode for i in warnings] == [
        "td4-prioritas_daerah",
        "td4-sasaran_daerah",
        "td4-program",
    ]
    assert all(i.pesan.startswith("1 usulan") for i in warnings)


def test_empty_td4_columns_warn_per_column_for_a_kecamatan():
    facts = ready_facts()
    bare = [{**facts.proposals[0], "program": "", "sasaran_daerah": None}]
    _, warnings = codes(replace(facts, proposals=bare))
    assert warnings == ["td4-sasaran_daerah", "td4-program"]
    desa = replace(facts, proposals=bare, meta={**facts.meta, "level": "desa"})
    assert codes(desa)[1] == []


def test_every_item_says_where_to_fix_it():
    empty = ForumFacts(
        meta={"level": "kecamatan"}, participants=[], proposals=[], minutes=[], utusan=[]
    )
    result = assess(empty)
    assert [i.kode for i in result.penghalang] == [
        "kepala",
        "peserta",
        "usulan",
        "keputusan",
        "pagu",
        "utusan",
        "materi",
        "nomor-ba",
    ]
    desa = assess(replace(empty, meta={"level": "desa"}, proposals=[{"status": "diusulkan"}]))
    assert [i.kode for i in desa.penghalang] == [
        "kepala",
        "peserta",
        "tanpa-keputusan",
        "keputusan",
        "utusan",
        "materi",
        "nomor-ba",
    ]
    assert all(i.tempat and i.tempat in i.line() for i in result.penghalang)


# -- the new-forum header (store.meta) ---------------------------------------------------------
def test_header_errors_lists_every_bad_field():
    from store.meta import header_errors

    errors = header_errors(
        {"tahun": "20x7", "tanggal": "31-02-2026", "pukul": "25.00", "pagu": "150 m", "tempat": "A"}
    )
    assert [e.field for e in errors] == ["tahun", "tanggal", "pukul", "pagu"]


@pytest.mark.parametrize(
    ("tahun", "tanggal", "asked"),
    [
        (2027, "2026-02-12", False),
        (2026, "2026-02-12", True),
        (2028, "2026-02-12", True),
        (2027, None, False),
    ],
)
def test_a_planning_year_not_following_the_date_is_questioned(tahun, tanggal, asked):
    from store.meta import planning_year_question

    question = planning_year_question(tahun, tanggal)
    assert bool(question) is asked
    if asked:
        assert "2027" in question  # the year it usually is


def test_standard_agenda_starts_at_the_forums_time():
    from store.agenda import standard_agenda

    shifted = standard_agenda("13:00")
    assert shifted[0][1:] == ("13:00", "13:30")
    assert shifted[-1][2] == "19:45"
    assert standard_agenda(None)[0][1] == "08:00"
    assert standard_agenda("23:00")[-1][2] == "23:59"  # clipped, never past midnight


# -- what the documents say must be recorded (issue 11, Sekcam's return) ---------------------
def test_no_decision_in_the_minutes_blocks_so_the_ba_never_claims_a_method():
    blocking, _ = codes(replace(ready_facts(), minutes=[{"jenis": "catatan", "teks": "Dibuka"}]))
    assert blocking == ["keputusan"]


def test_a_vote_recorded_in_the_header_is_a_recorded_method():
    facts = ready_facts(metode_keputusan="voting", hasil_keputusan="setuju 30, tidak 4")
    blocking, _ = codes(replace(facts, minutes=[]))
    assert "keputusan" not in blocking


def test_the_chair_and_speakers_must_be_on_the_attendance_list():
    facts = ready_facts(
        pimpinan="Drs. ANI, M.Si",  # the same person as participant Ani, titles aside
        narasumber=[{"nama": "Ir. Bambang", "jabatan": "Bappeda"}],
    )
    result = assess(facts)
    assert [i.kode for i in result.penghalang] == ["pejabat-hadir"]
    assert "Narasumber Ir. Bambang" in result.penghalang[0].pesan
    present = [*facts.participants, person(9, "Bambang")]
    assert assess(replace(facts, participants=present)).siap


def test_undecided_proposals_warn_as_the_rekap_prints_them():
    facts = ready_facts()
    proposals = [*facts.proposals, {"status": "diusulkan"}]
    result = assess(replace(facts, proposals=proposals))
    (item,) = [i for i in result.peringatan if i.kode == "belum-diputuskan"]
    assert "belum diputuskan" in item.pesan and "bagian C" in item.pesan


def test_minutes_typed_after_the_forum_ended_warn():
    agenda = [
        {"rencana_mulai": "08:00", "rencana_selesai": "10:00", "mulai": None, "selesai": None},
    ]
    during = {"jenis": "keputusan", "metode": "mufakat", "teks": "A"}
    during["waktu"] = "2026-02-12T09:30:00"
    late = {"jenis": "catatan", "teks": "B", "waktu": "2026-02-12T19:05:00"}
    facts = replace(ready_facts(), agenda=agenda, minutes=[during])
    assert "notulen-terlambat" not in codes(facts)[1]
    _, warnings = codes(replace(facts, minutes=[during, late]))
    assert warnings == ["notulen-terlambat"]


def test_a_letter_the_book_will_not_number_blocks_instead_of_printing_dots():
    facts = replace(ready_facts(), surat_tanpa_nomor=("surat-pengantar", "surat-mandat"))
    result = assess(facts)
    assert [i.kode for i in result.penghalang] == ["nomor-surat", "nomor-surat"]
    assert "surat pengantar" in result.penghalang[0].pesan
    assert not assess(replace(facts, kode_unit_kosong=True)).penghalang[1:]


@pytest.mark.parametrize(
    ("role_key", "label"),
    [("pimpinan", "Pimpinan rapat"), ("notulis", "Notulis"), ("narasumber", "Narasumber")],
)
def test_advice_for_an_absent_official_depends_on_whether_they_are_registered(role_key, label):
    """Registered but not marked present: mark them (Enter); never registered: ctrl+n.
    Advising ctrl+n for a registered person would make a duplicate participant."""
    value = [{"nama": "Suwarno", "jabatan": "Bappeda"}] if role_key == "narasumber" else "Suwarno"
    facts = ready_facts(**{role_key: value})
    registered = replace(
        facts, participants=[*facts.participants, person(7, "SUWARNO", hadir=False)]
    )
    (item,) = assess(registered).penghalang
    assert item.kode == "pejabat-hadir" and f"{label} Suwarno" in item.pesan
    assert "Enter" in item.tempat and "ctrl+n" not in item.line()
    (missing,) = assess(facts).penghalang
    assert "ctrl+n" in missing.tempat and "Enter" not in missing.line()
    present = replace(facts, participants=[*facts.participants, person(7, "Suwarno")])
    assert assess(present).siap


def test_the_notulis_is_checked_against_the_attendance_list_like_the_chair():
    facts = ready_facts(notulis="Dewi")
    assert [i.kode for i in assess(facts).penghalang] == ["pejabat-hadir"]
    left_early = person(8, "Dewi", "P", pulang_pukul="2026-02-12T10:00:00")
    assert assess(replace(facts, participants=[*facts.participants, left_early])).siap


def test_the_undecided_warning_names_them_up_to_a_bound():
    from store.readiness import NAMED_UNDECIDED

    facts = ready_facts()
    many = [
        {"status": "diusulkan", "kegiatan": f"Usulan {n}", "desa": "Japan"}
        for n in range(NAMED_UNDECIDED + 5)
    ]
    warnings = assess(replace(facts, proposals=[*many, *facts.proposals])).peringatan
    (item,) = [i for i in warnings if i.kode == "belum-diputuskan"]
    assert f'"Usulan {NAMED_UNDECIDED - 1}" (Japan)' in item.pesan
    assert f'"Usulan {NAMED_UNDECIDED}"' not in item.pesan and "dan 5 usulan lainnya" in item.pesan
