"""Values a forum's records must hold beyond their kinds: ranges, scales, no control codes."""

from __future__ import annotations

import pytest

from store.forum_values import control_problems, score_problems, value_problems


@pytest.mark.parametrize("text", ["Sari\x1b]0;X\x07", "a\rb", "x\x7f", "x\x85", "a\x00"])
def test_a_control_character_in_any_stored_text_is_named(text: str) -> None:
    tables = {"participants": {"1": {"nama": "Budi"}, "2": {"catatan": [{"isi": text}]}}}
    problems = control_problems(tables)
    assert len(problems) == 1 and "#2" in problems[0] and "karakter kendali" in problems[0]


@pytest.mark.parametrize("text", ["baris\nbaris", "a\tb", "C:\\berkas\\u001b", "Sooko ° é"])
def test_line_breaks_tabs_and_escaped_backslashes_are_fine(text: str) -> None:
    assert control_problems({"minutes": {"1": {"teks": text}}}) == []


def test_a_score_outside_its_criterions_scale_is_named() -> None:
    tables = {
        "criteria": {"1": {"skala_min": 1, "skala_max": 5}, "2": {"skala_min": 0, "skala_max": 10}},
        "scores": {
            "1": {"kriteria_id": 1, "nilai": 99},
            "2": {"kriteria_id": 2, "nilai": 10},
            "3": {"kriteria_id": 1, "nilai": 0},
        },
    }
    problems = score_problems(tables)
    assert [p.split(":")[0] for p in problems] == ["Tabel 'scores' #1", "Tabel 'scores' #3"]
    assert "1-5" in problems[0]


@pytest.mark.parametrize(
    ("table", "record"),
    [
        ("tallies", {"suara": -1}),
        ("proposals", {"volume": -0.5}),
        ("proposals", {"penerima_manfaat": -3}),
        ("criteria", {"bobot": -1}),
        ("criteria", {"skala_min": 5, "skala_max": 1}),
        ("meta", {"tahun": 1850}),
        ("meta", {"target_perempuan": 3.5}),
        ("meta", {"pagu": -10}),
    ],
)
def test_values_out_of_their_range_are_named(table: str, record: dict) -> None:
    assert value_problems(table, "1", record)


def test_values_in_range_pass() -> None:
    assert value_problems("meta", "1", {"tahun": 2027, "target_perempuan": 0.3, "pagu": 0}) == []
    assert value_problems("criteria", "1", {"bobot": 0.25, "skala_min": 1, "skala_max": 5}) == []
    assert value_problems("tallies", "1", {"suara": 0}) == []
