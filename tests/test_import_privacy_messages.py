"""Phone numbers written with spaces and followed by text never appear whole in import
messages (UU PDP), whatever the number.

The masking rule lives in store/personal.py. Only the app's own hint "(contoh: 0812 3456
7890)" stays readable; the same number quoted from a cell (a desa secretary's test file
held it) is masked like any other.
"""

from __future__ import annotations

import re

import pytest

from store.import_files import parse_import
from store.importer import import_file

SOOKO = "35.16.13"
PHONE_RUN = re.compile(r"(?:\+?62|0)8\d{2}[\s.-]?\d{4}[\s.-]?\d{3,4}")
#: The format example a phone error gives: the app's text, not the cell's.
EXAMPLE_HINT = "(contoh: 0812 3456 7890)"

CELLS = [
    pytest.param("0812 3456 7890 (WA)", id="example-then-text"),
    pytest.param("0812 3456 7890 / 0857 1111 2222", id="example-slash"),
    pytest.param("0812 3456 7890, 0857 1111 2222", id="example-comma"),
    pytest.param("0813 9876 5432 (WA)", id="spaced-then-text"),
    pytest.param("0813 9876 5432 / 0857 1111 2222", id="spaced-slash-spaced"),
    pytest.param("0813 9876 5432, 0857 1111 2222", id="spaced-comma-spaced"),
    pytest.param("HP 081398765432 istri", id="joined-in-text"),
    pytest.param("0813-9876-5432 / 0857-1111-2222", id="dashed-slash-dashed"),
]


def _assert_masked(text: str) -> None:
    text = text.replace(EXAMPLE_HINT, "")
    assert not PHONE_RUN.search(text), text
    assert not re.search(r"\d{4}[\s.-]?\d{4}", text), text  # no 8 digits of it in a row


def _file(tmp_path, cell):
    path = tmp_path / "peserta.csv"
    path.write_text(f'Nama;No HP\nAni;"{cell}"\n', encoding="utf-8")
    return path


@pytest.mark.parametrize("cell", CELLS)
def test_phone_cells_are_masked_in_import_errors(tmp_path, cell):
    result = parse_import(_file(tmp_path, cell), wilayah_kode=SOOKO)
    assert result.errors, "the cell must be refused, or there is nothing to check"
    for message in [e.message for e in result.errors] + list(result.warnings):
        _assert_masked(message)


@pytest.mark.parametrize("cell", CELLS)
def test_phone_cells_are_masked_in_the_cli_report(forum, tmp_path, cell):
    _assert_masked(import_file(forum, _file(tmp_path, cell)).describe())
