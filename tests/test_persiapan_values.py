"""The Persiapan form's parsing (tui.persiapan.values): every error at once, no placeholder
taken for a value, the pagu shown and read back as rupiah."""

from __future__ import annotations

from tui.persiapan.values import form_changes, form_values, parse_speakers

META = {"nomor_surat": "", "pagu": 0, "tanpa_pagu": False, "materi": [], "narasumber": []}


def test_values_round_trip_through_the_form():
    meta = {
        "nomor_surat": "050/1/416-313/2026",
        "pagu": 2_500_000_000,
        "tanpa_pagu": False,
        "materi": ["Arah kebijakan", "Rekap usulan"],
        "narasumber": [
            {"nama": "Ir. Bambang", "jabatan": "Kabid Bappeda"},
            {"nama": "Endang", "jabatan": ""},
        ],
    }
    values = form_values(meta)
    assert values["pagu"] == "Rp2.500.000.000"
    assert form_changes(values, meta) == ({}, {})


def test_every_field_error_is_reported_at_once_and_nothing_is_saved():
    values = {
        "nomor_surat": "x" * 101,
        "pagu": "2,5 m",
        "tanpa_pagu": False,
        "materi": "Rekap",
        "narasumber": " | Kabid",
    }
    changes, errors = form_changes(values, META)
    assert changes == {}
    assert set(errors) == {"nomor_surat", "pagu", "narasumber"}


def test_pagu_and_tanpa_pagu_together_are_refused():
    _, errors = form_changes({"pagu": "Rp1.000.000", "tanpa_pagu": True}, META)
    assert "tanpa pagu" in errors["pagu"]


def test_an_empty_pagu_with_tanpa_pagu_is_saved_as_the_statement():
    changes, errors = form_changes({"pagu": "", "tanpa_pagu": True, "materi": "A\n\nB"}, META)
    assert errors == {}
    assert changes == {"tanpa_pagu": True, "materi": ["A", "B"]}


def test_speakers_one_per_line_name_then_jabatan():
    assert parse_speakers("Drs. Hendro, M.Si | Camat\n\nEndang\n") == [
        {"nama": "Drs. Hendro, M.Si", "jabatan": "Camat"},
        {"nama": "Endang", "jabatan": ""},
    ]


def test_a_pasted_flood_of_lines_is_refused_not_saved():
    changes, errors = form_changes({"materi": "\n".join(f"Materi {i}" for i in range(500))}, META)
    assert changes == {} and "paling banyak 30" in errors["materi"]
