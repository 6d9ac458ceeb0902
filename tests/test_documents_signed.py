"""What a Sekcam checks before the Camat signs: numbers from the agenda book, the method the
minutes record, one spelling per person, the T-D.4 columns, the desa's own recap form, the
kop and letters, and (rendered by LibreOffice) no word or number broken by a column.

The demo forum is finalized and signed once for the module, as an operator would from the
command line; a small desa forum is made from scratch with a voted decision.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import docx
import openpyxl
import pytest
from docx.oxml.ns import qn
from docx.text.paragraph import Paragraph

from exports.documents.context import name_key
from exports.export_all import export_document
from store import agenda_book
from store.demo import DEMO_OFFICE
from store.forum import open_forum
from store.office import load_office, save_office
from store.regions import desa_of
from store.rpjmd import default_mapping, merged, td4_columns
from store.signoff import NotReadyError
from tests.forum_factory import make_forum, make_ready

SOOKO = "35.16.13"


def _lines(path: Path) -> list[str]:
    document = docx.Document(str(path))
    return [  # the no-break space of "TAHUN 2027" read as a space
        Paragraph(p, None).text.replace("\u00a0", " ")
        for p in document.element.body.iter(qn("w:p"))
    ]


def _text(path: Path) -> str:
    return "\n".join(_lines(path))


def _rows(path: Path, first_header: str) -> list[list[str]]:
    document = docx.Document(str(path))
    for table in document.tables:
        rows = [[c.text.replace("\u00a0", " ") for c in row.cells] for row in table.rows]
        if rows and rows[0][0] == first_header and len(rows[0]) >= 4:
            return rows
    raise AssertionError(f"no table starting with {first_header}")


@dataclass
class Signed:
    home: Path
    files: dict[str, Path]
    xlsx: Path
    meta: dict[str, Any]
    proposals: list[dict[str, Any]]
    participants: list[dict[str, Any]]
    utusan: list[dict[str, Any]]
    book: list[dict[str, Any]]


@pytest.fixture(scope="module")
def signed(_demo_master: Path, tmp_path_factory: pytest.TempPathFactory) -> Signed:
    home = tmp_path_factory.mktemp("ditandatangani")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("MUSRENBANG_HOME", str(home))
        path = home / "sooko.musrenbang"
        shutil.copyfile(_demo_master, path)
        with open_forum(path) as forum:
            forum.signoff.finalize()
            forum.signoff.sign("sekcam", "SUGENG RIYADI")  # typed another way than the office
            forum.signoff.sign("camat", "Hendro Prasetyo", nip="196911191998031005")
            files = {p.stem: p for p in export_document(forum, "all", home / "dokumen")}
            xlsx = export_document(forum, "rekap", home / "rekap.xlsx", "xlsx")[0]
            with agenda_book.book_of(forum):  # the demo numbers in its own office's book
                book = agenda_book.entries(arah="keluar")
            assert agenda_book.entries() == []  # never in the real office's book
            return Signed(
                home,
                files,
                xlsx,
                forum.meta,
                forum.proposals.all(),
                forum.participants.all(),
                forum.utusan.all(),
                book,
            )


# --------------------------------------------------------------------------- numbers


def test_signed_forum_prints_the_numbers_the_agenda_book_gave(signed: Signed):
    numbers = {e["jenis"]: e["nomor"] for e in signed.book}
    assert numbers == {
        "berita-acara": "050/12/416-313/2026",  # typed first, kept, written into the book
        "surat-pengantar": "050/13/416-313/2026",
        "surat-mandat": "050/14/416-313/2026",
    }
    assert {e["tanggal"] for e in signed.book} == {signed.meta["tanggal"]}  # the letter's day
    assert "NOMOR: 050/12/416-313/2026" in _lines(signed.files["berita-acara"])
    assert "Nomor\t: 050/13/416-313/2026" in _lines(signed.files["surat-pengantar"])
    assert "Nomor: 050/14/416-313/2026" in _lines(signed.files["surat-mandat"])
    for path in signed.files.values():
        assert "35.16.13/2026" not in _text(path)
        assert not re.search(r"(?i)nomor\s*:?\s*\.{5}", _text(path)), path.stem


# --------------------------------------------------------------------------- names


def test_one_person_has_one_spelling_in_every_document(signed: Signed):
    camat = DEMO_OFFICE["penandatangan"]["camat"]["nama"]
    sekcam = DEMO_OFFICE["penandatangan"]["sekcam"]["nama"]
    spellings: set[str] = set()
    for path in signed.files.values():
        text = _text(path)
        spellings |= set(re.findall(r"(?:\b\w{1,4}\.\s)*Hendro Prasetyo(?:,\s[\w.]+)?", text, re.I))
        assert "SUGENG RIYADI" not in text and "HENDRO" not in text
    assert spellings == {camat}
    assert sekcam in _lines(signed.files["rekap"])
    assert f"Pimpinan rapat\t: {camat} (Camat Sooko)" in _lines(signed.files["berita-acara"])


def test_demo_utusan_are_present_participants_and_never_the_camat(signed: Signed):
    present = {p["nama"] for p in signed.participants if p.get("hadir_pukul")}
    names = [u["nama"] for u in signed.utusan]
    assert len(names) == 3 and set(names) <= present
    camat = name_key(DEMO_OFFICE["penandatangan"]["camat"]["nama"])
    assert camat not in {name_key(n) for n in names}
    mandat = _rows(signed.files["surat-mandat"], "No")
    assert [r[1] for r in mandat[1:]] == names


def test_name_key_ignores_titles_case_and_spacing():
    assert name_key("Drs. HENDRO  PRASETYO, M.Si") == name_key("Hendro Prasetyo")
    assert name_key("H. Mochamad Sholeh") == "mochamad sholeh"
    assert name_key("Hj. Siti Aminah, S.Pd") == "siti aminah"
    assert name_key("Agus Santoso") != name_key("Agus Santosa")


# --------------------------------------------------------------------------- T-D.4


def test_rekap_fills_td4_columns_from_the_mapping_and_the_xlsx_carries_them(signed: Signed):
    rows = _rows(signed.files["rekap"], "No")
    agreed = [p for p in signed.proposals if p["status"] == "diakomodir"]
    mapping = default_mapping()
    expected = {p["kegiatan"]: list(td4_columns(p, mapping).values()) for p in agreed}
    data = [r for r in rows[2:] if r[0].isdigit()]
    assert len(data) == len(agreed)
    for row in data:
        assert row[1:4] == expected[row[4]] and all(row[1:4]), row
    sheet = openpyxl.load_workbook(signed.xlsx).active
    values = [[c.value for c in r] for r in sheet.iter_rows()]
    header = next(r for r in values if r and "Program" in r)
    at = header.index("Prioritas Daerah")
    assert header[at : at + 3] == ["Prioritas Daerah", "Sasaran Daerah", "Program"]
    filled = [r for r in values[values.index(header) + 1 :] if r[at]]
    assert len(filled) == len(signed.proposals)


def test_td4_columns_come_from_the_proposal_first_then_kamus_then_sector():
    mapping = merged(
        default_mapping(),
        {"sektor": {"Sosial": {"program": "Program Perlindungan dan Jaminan Sosial"}}},
    )
    own = td4_columns({"bidang": "Sosial", "program": "Program Sendiri"}, mapping)
    assert own["program"] == "Program Sendiri" and own["prioritas_daerah"]
    office = td4_columns({"bidang": "sosial", "kegiatan": "Alat bantu"}, mapping)
    assert office["program"] == "Program Perlindungan dan Jaminan Sosial"
    kamus = td4_columns(
        {"bidang": "Infrastruktur", "kamus_usulan": "Pembangunan saluran drainase Dusun Lor"},
        mapping,
    )
    assert kamus["program"] == "Program Pengelolaan dan Pengembangan Sistem Drainase"
    assert td4_columns({"bidang": "Tidak dikenal"}, mapping) == {
        "prioritas_daerah": "",
        "sasaran_daerah": "",
        "program": "",
    }


# --------------------------------------------------------------------------- letters, kop, notulen


def test_kop_tembusan_mandat_and_notulen(signed: Signed):
    ba = _text(signed.files["berita-acara"])
    assert "Laman: " in ba and "Pos-el: " in ba and "Website" not in ba and "Email" not in ba
    letter = _lines(signed.files["surat-pengantar"])
    tembusan = letter.index("Tembusan:")
    assert letter[tembusan + 1].startswith("1.\tYth. Bupati Mojokerto")
    assert letter[-1] == "2.\tArsip." or "2.\tArsip." in letter[tembusan:]
    notulen = _rows(signed.files["notulen"], "No")
    held = {r[1]: r[3] for r in notulen[1:]}
    assert "-" not in held.values() and "" not in held.values()
    assert held["Penutupan"] == "14.15-14.30*"  # never started: the plan, marked, not blank
    assert re.fullmatch(r"\d\d\.\d\d-\d\d\.\d\d", held["Pembukaan"])  # started and ended
    assert held["Penetapan utusan dan penandatanganan berita acara"].endswith("-selesai")


# --------------------------------------------------------------------------- a desa forum


def _desa(path: Path, decisions: list[tuple[str, str, str]]):
    forum = make_forum(
        path,
        level="desa",
        pimpinan="H. Sutrisno",
        pimpinan_jabatan="Kepala Desa Japan",
        tempat="Balai Desa Japan",
        pagu=200_000_000,
    )
    for nama, jabatan in (("Sutrisno", "Kepala Desa"), ("Agus Santoso", "Ketua BPD")):
        rec_id, _ = forum.participants.add(
            nama=nama, jenis_kelamin="L", jabatan=jabatan, desa="Japan", unsur="BPD"
        )
        forum.participants.check_in(rec_id)
    for kegiatan, bidang, biaya, dana in (
        ("Paving jalan Dusun Krajan", "Infrastruktur", 150_000_000, "DD"),
        ("Pelatihan menjahit", "Ekonomi", 25_000_000, "APBD Kab"),
    ):
        rec_id, _ = forum.proposals.add(
            desa="Japan", kegiatan=kegiatan, bidang=bidang, biaya=biaya, sumber_dana=dana
        )
        forum.proposals.set_status(rec_id, "diakomodir")
    for teks, metode, hasil in decisions:
        forum.minutes.add(teks, jenis="keputusan", metode=metode, hasil=hasil)
    forum.utusan.add("Agus Santoso", "Ketua BPD Japan", "BPD Japan")
    return forum


def _method_sentence(path: Path) -> str:
    return next(line for line in _lines(path) if line.startswith("Setelah dilakukan pembahasan"))


def test_ba_claims_no_method_the_minutes_do_not_record(tmp_path):
    """No decision in the notulen: the BA names no method at all (and readiness blocks)."""
    with _desa(tmp_path / "japan.musrenbang", []) as forum:
        forum.minutes.add("Usulan dibahas satu per satu.")
        sentence = _method_sentence(export_document(forum, "berita-acara", tmp_path / "a.docx")[0])
        blocking = [i.kode for i in forum.signoff.readiness().penghalang]
    assert "mufakat" not in sentence and "suara" not in sentence
    assert "keputusan diambil" not in sentence
    assert "keputusan" in blocking


@pytest.mark.parametrize(
    ("decisions", "wanted", "unwanted"),
    [
        ([("Prioritas disepakati.", "mufakat", "")], "secara musyawarah mufakat.", "suara"),
        (
            [("Prioritas disepakati.", "voting", "setuju 7, tidak setuju 1, abstain 1")],
            "secara pemungutan suara (hasil: setuju 7, tidak setuju 1, abstain 1).",
            "mufakat",
        ),
        (
            [
                ("Prioritas disepakati.", "voting", "setuju 7, tidak setuju 1, abstain 1"),
                ("Delegasi ditetapkan.", "mufakat", ""),
            ],
            "secara musyawarah mufakat, kecuali keputusan \u201cPrioritas disepakati\u201d yang "
            "diambil dengan pemungutan suara (hasil: setuju 7, tidak setuju 1, abstain 1).",
            "mufakat dan",
        ),
    ],
)
def test_ba_states_the_method_the_minutes_record(tmp_path, decisions, wanted, unwanted):
    with _desa(tmp_path / "japan.musrenbang", decisions) as forum:
        path = export_document(forum, "berita-acara", tmp_path / "ba.docx")[0]
    sentence = _method_sentence(path)
    assert wanted in sentence and unwanted not in sentence


def test_ba_claims_a_priority_method_only_when_its_marks_exist(tmp_path):
    """Nothing scored: the BA never says "metode penilaian skor matriks kriteria berbobot"."""
    with _desa(tmp_path / "japan.musrenbang", []) as forum:
        forum.update_meta(metode_prioritas="skoring")
        unscored = _method_sentence(export_document(forum, "berita-acara", tmp_path / "a.docx")[0])
        proposal = forum.proposals.all()[0]["id"]
        forum.priority.ensure_default_criteria()
        criterion = forum.priority.criteria()[0]["id"]
        forum.priority.set_score(proposal, criterion, 4)
        scored = _method_sentence(export_document(forum, "berita-acara", tmp_path / "b.docx")[0])
    assert "penilaian skor" not in unscored
    assert "penentuan prioritas melalui pembahasan bersama." in unscored
    assert "metode penilaian skor matriks kriteria berbobot" in scored


def test_desa_recap_follows_the_daftar_usulan_rkp_desa_form(tmp_path):
    with _desa(tmp_path / "japan.musrenbang", []) as forum:
        files = {p.stem: p for p in export_document(forum, "all", tmp_path / "out")}
    rows = _rows(files["rekap"], "No")
    assert rows[0][1:] == [
        "Bidang/Jenis Kegiatan",
        "Lokasi (Dusun/RT/RW)",
        "Prakiraan Volume",
        "Sasaran/ Manfaat",
        "Waktu Pelaksanaan",
        "Prakiraan Biaya (Rp)",
        "Sumber Biaya",
        "Pola Pelaksanaan",
    ]
    lines = _lines(files["rekap"])
    assert "DAFTAR USULAN RENCANA KERJA PEMERINTAH DESA (RKP DESA)" in lines
    by_kegiatan = {r[1]: r for r in rows[2:]}
    assert by_kegiatan["Paving jalan Dusun Krajan"][8] == "Swakelola"
    assert by_kegiatan["Pelatihan menjahit"][8] == "Usulan ke Kabupaten"
    assert "Jumlah Bidang II. Pelaksanaan Pembangunan Desa (1 usulan)" in lines
    assert "NOMOR: ...................." in _lines(files["berita-acara"])  # desa BA number line
    mandat = _lines(files["surat-mandat"])
    assert not any(line.startswith("NIP") for line in mandat)  # no "NIP: -" for a Kepala Desa


# --------------------------------------------------------------------------- rendered


def _need_tools() -> None:
    missing = [tool for tool in ("soffice", "pdftotext") if not shutil.which(tool)]
    if missing:
        pytest.skip(f"{', '.join(missing)} tidak terpasang: render LibreOffice dilewati")


def _pdf_pages(docs: list[Path], folder: Path) -> dict[str, list[str]]:
    """Each document rendered by LibreOffice, as the text of its pages."""
    _need_tools()
    subprocess.run(
        [
            "soffice",
            f"-env:UserInstallation=file://{folder / 'profil'}",
            "--headless",
            *("--convert-to", "pdf", "--outdir", str(folder)),
            *map(str, docs),
        ],
        check=True,
        capture_output=True,
        timeout=300,
    )
    return {
        doc.stem: subprocess.run(
            ["pdftotext", "-layout", str(folder / f"{doc.stem}.pdf"), "-"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.split("\f")
        for doc in docs
    }


@pytest.fixture(scope="module")
def pdf_text(signed: Signed, tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    folder = tmp_path_factory.mktemp("render-signed")
    files = [signed.files[k] for k in ("rekap", "daftar-hadir", "surat-mandat")]
    return {name: "\f".join(pages) for name, pages in _pdf_pages(files, folder).items()}


def test_no_column_breaks_a_desa_name_or_a_number(signed: Signed, pdf_text: dict[str, str]):
    names = [d.name for d in desa_of(SOOKO)]
    for kind in ("rekap", "daftar-hadir"):
        words = set(pdf_text[kind].split())
        for name in names:
            broken = [  # "Kedungmalin" and "g", "Ngingasremb" and "yong"
                name[:k] for k in range(2, len(name)) if {name[:k], name[k:]} <= words
            ]
            assert not broken, (kind, name, broken)
        assert {"Kedungmaling", "Ngingasrembyong", "Karangkedawang"} <= words, kind
    numbered = {int(m.group(1)) for m in re.finditer(r"^\s*(\d{1,3})\s", pdf_text["rekap"], re.M)}
    not_agreed = sum(1 for p in signed.proposals if p["status"] != "diakomodir")
    assert set(range(1, not_agreed + 1)) <= numbered  # "10/0" would lose 100
    came = sum(1 for p in signed.participants if p.get("hadir_pukul"))
    listed = {
        int(m.group(1)) for m in re.finditer(r"^\s*(\d{1,3})\s", pdf_text["daftar-hadir"], re.M)
    }
    assert set(range(1, came + 1)) <= listed


def test_every_amount_of_the_rekap_prints_whole_totals_included(
    signed: Signed, pdf_text: dict[str, str]
):
    """ "2.495.700.00" over "0" in the JUMLAH cell: the bold totals must fit their column."""
    from store.formatting import format_decimal_id

    agreed = [p["biaya"] for p in signed.proposals if p["status"] == "diakomodir"]
    amounts = {format_decimal_id(a, 0) for a in [*agreed, sum(agreed)]}
    words = set(pdf_text["rekap"].split())
    missing = sorted(a for a in amounts if a not in words)
    assert not missing, missing


def test_letter_numbers_and_years_never_break_at_a_line_end(signed: Signed):
    """ "140/05/416-" over "313.01/2026" and "TAHUN" over "2027": the hyphen of a number is a
    w:noBreakHyphen (read back as "-"), the space before a year a no-break space."""
    document = docx.Document(str(signed.files["berita-acara"]))
    body = document.element.body
    texts = "".join(t.text or "" for t in body.iter(qn("w:t")))
    assert body.find(f".//{qn('w:noBreakHyphen')}") is not None
    assert not re.search(r"\d-\d", texts)  # every number's hyphen is unbreakable
    assert "TAHUN\u00a0" in texts and not re.search(r"TAHUN \d{4}", texts)
    assert signed.meta["nomor_surat"] in _text(signed.files["berita-acara"])


def test_every_lampiran_page_carries_its_reference_and_the_table_header(
    pdf_text: dict[str, str],
):
    """DOMAIN.md section 3: each lampiran page carries "LAMPIRAN n ... Nomor ... Tanggal";
    a multi-page table repeats its header row (w:tblHeader) on every page."""
    for kind, lampiran, header in (
        ("rekap", "LAMPIRAN II", "Perangkat"),
        ("daftar-hadir", "LAMPIRAN I", "Tanda tangan"),
    ):
        pages = [p for p in pdf_text[kind].split("\f") if p.strip()]
        assert len(pages) > 1, kind  # the demo's lampiran run over several pages
        for number, page in enumerate(pages, start=1):
            assert lampiran in page and "Nomor" in page and "Tanggal" in page, (kind, number)
            assert header in page, (kind, number)


def test_signature_block_shares_its_page_with_the_last_rows(pdf_text: dict[str, str]):
    for kind in ("rekap", "daftar-hadir"):
        page = next(p for p in reversed(pdf_text[kind].split("\f")) if "Kode verifikasi" in p)
        before = page.split("Kode verifikasi")[0]
        assert re.search(r"^\s*\d{1,3}\s+\S", before, re.M), kind
        assert "NIP." in page and "ID " in page, kind


def test_office_without_kode_unit_cannot_number_and_never_uses_the_region_code(tmp_path):
    office = load_office()
    office["wilayah_kode"] = SOOKO
    save_office(office)
    with make_forum(tmp_path / "kec.musrenbang") as forum:
        make_ready(forum)
        forum.update_meta(nomor_surat="", nomor_surat_pengantar="", nomor_surat_mandat="")
        with pytest.raises(NotReadyError, match="Kode unit kantor belum diisi"):
            forum.signoff.finalize()
        meta = forum.meta
    assert meta["status"] == "draf"
    assert not meta["nomor_surat"] and not meta.get("nomor_surat_mandat")


def test_a_hand_edited_mapping_of_another_shape_keeps_the_default():
    base = default_mapping()
    for odd in (None, [], {"sektor": ["x"]}, {"sektor": {"Sosial": "teks"}}, "rusak"):
        assert merged(base, odd) == base


def test_one_endless_word_cannot_push_a_table_off_the_page():
    from exports.docx_kit import Column, fit_words

    columns = [Column("No", 6), Column("Kegiatan", 84), Column("Desa", 20), Column("Lokasi", 10)]
    fitted = fit_words(columns, [["100", "Paving", "Ngingasrembyong", "x" * 300]], size_pt=8)
    assert round(sum(c.width_mm for c in fitted), 6) == 120  # the page width is kept
    assert fitted[3].width_mm == pytest.approx(120 * 0.3)  # the endless word: capped
    assert fitted[0].width_mm > 6 and fitted[2].width_mm > 20  # "100", the desa name: whole


def test_the_desa_ba_signature_block_takes_the_last_points_to_its_page(tmp_path):
    """However long the text above, the page of "Demikian..." and the signatures also holds
    the last agreed point: the block never stands alone with only the closing line."""
    docs = []
    for extra in range(0, 24, 2):  # more materi lines move the page break down the text
        with _desa(tmp_path / f"japan{extra}.musrenbang", []) as forum:
            forum.update_meta(materi=[f"Materi pembahasan nomor {i}" for i in range(1, extra + 2)])
            docs.append(export_document(forum, "berita-acara", tmp_path / f"ba{extra:02}.docx")[0])
    pages = _pdf_pages(docs, tmp_path / "pdf")
    moved = 0
    for name, texts in pages.items():
        closing = next(i for i, page in enumerate(texts) if "Demikian berita acara" in page)
        if closing == 0:
            continue
        moved += 1
        before = texts[closing].split("Demikian berita acara")[0]
        assert "KETIGA" in before or "KEEMPAT" in before, (name, before)
    assert moved, "no padding moved the closing line to page 2: the test proves nothing"


def test_the_notulen_speaks_of_utusan_only_when_the_forum_named_them(tmp_path):
    with _desa(tmp_path / "japan.musrenbang", []) as forum:
        named = _text(export_document(forum, "notulen", tmp_path / "a.docx")[0])
    with make_forum(tmp_path / "baru.musrenbang", level="desa") as forum:
        unnamed = _text(export_document(forum, "notulen", tmp_path / "b.docx")[0])
    assert "dikawal oleh 1 orang utusan yang telah ditetapkan." in named
    assert "utusan" not in unnamed.split("Tindak lanjut")[-1].lower()
    assert "dengan surat pengantar." in unnamed
