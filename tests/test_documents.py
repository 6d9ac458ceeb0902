"""The six official documents, read back and checked against the forum they came from.

The demo forum's documents are exported once for the module; LibreOffice renders them once
(tests needing it skip with the reason when soffice or pdftoppm is missing; CI has both).
"""

from __future__ import annotations

import re
import shutil
import subprocess
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import docx
import pytest
from docx.oxml.ns import qn
from docx.text.paragraph import Paragraph

from exports import keys
from exports.export_all import DOC_KINDS, ExportError, export_document
from exports.verification import verify_code, verify_docx
from store.attendance import attended
from store.demo import DEMO_OFFICE
from store.formatting import format_rupiah, terbilang
from store.forum import open_forum
from store.office import load_office, save_office
from tests.forum_factory import make_forum, make_ready

W_T = qn("w:t")


@dataclass
class Issued:
    home: Path
    forum_path: Path
    files: dict[str, Path]
    blanko: Path
    meta: dict[str, Any]
    participants: list[dict[str, Any]]
    proposals: list[dict[str, Any]]
    minutes: list[dict[str, Any]]
    utusan: list[dict[str, Any]]
    per_unsur: dict[str, int]


@pytest.fixture(scope="module")
def _demo_issued(_demo_master: Path, tmp_path_factory: pytest.TempPathFactory) -> Issued:
    home = tmp_path_factory.mktemp("dokumen-home")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("MUSRENBANG_HOME", str(home))
        forum_path = home / "demo.musrenbang"
        shutil.copyfile(_demo_master, forum_path)
        out = home / "dokumen"
        with open_forum(forum_path, readonly=True) as forum:
            files = export_document(forum, "all", out)
            blanko = export_document(forum, "daftar-hadir", out / "blanko.docx", blanko=True)[0]
            return Issued(
                home,
                forum_path,
                {p.stem: p for p in files},
                blanko,
                forum.meta,
                forum.participants.all(),
                forum.proposals.all(),
                forum.minutes.all(),
                forum.utusan.all(),
                forum.participants.summary().per_unsur,
            )


@pytest.fixture
def demo(_demo_issued: Issued, monkeypatch: pytest.MonkeyPatch) -> Issued:
    """The demo's issued documents, with the data dir (keys, register) they were issued in."""
    monkeypatch.setenv("MUSRENBANG_HOME", str(_demo_issued.home))
    return _demo_issued


def _open(path: Path):
    return docx.Document(str(path))


def _body_lines(document) -> list[str]:
    """Every body paragraph, table cells included, as a reader sees them (the no-break
    space of "TAHUN 2027" read as a space)."""
    return [
        Paragraph(p, None).text.replace("\u00a0", " ")
        for p in document.element.body.iter(qn("w:p"))
    ]


def _header_lines(document) -> list[str]:
    """Every paragraph of the first section's page header, table cells included."""
    return [Paragraph(p, None).text for p in document.sections[0].header._element.iter(qn("w:p"))]


def _body(document) -> str:
    return "\n".join(_body_lines(document))


def _tables(document) -> list[list[list[str]]]:
    return [
        [[c.text.replace("\u00a0", " ") for c in row.cells] for row in table.rows]
        for table in document.tables
    ]


def _table(document, first_cell: str) -> list[list[str]]:
    """The table whose first header cell reads ``first_cell``."""
    return next(t for t in _tables(document) if t[0][0] == first_cell)


def _header_text(document) -> str:
    return "".join(t.text or "" for s in document.sections for t in s.header._element.iter(W_T))


def _all_xml(path: Path) -> str:
    with zipfile.ZipFile(path) as zf:
        return "".join(
            zf.read(n).decode("utf-8", "replace") for n in zf.namelist() if n.endswith(".xml")
        )


# --------------------------------------------------------------------------- every document


def test_all_writes_the_six_documents_and_each_verifies(demo: Issued):
    assert sorted(demo.files) == sorted(DOC_KINDS)
    for kind, path in demo.files.items():
        result = verify_docx(path)
        assert result.ok, (kind, result.reason)
        assert result.record.kind == kind and result.record.is_draft


def test_every_page_of_a_draft_says_draf_and_the_code_is_labelled(demo: Issued):
    for kind, path in demo.files.items():
        document = _open(path)
        assert "DRAF" in _header_text(document), kind
        xml = _all_xml(path)
        assert "Kode verifikasi dokumen" in xml, kind
        assert "tanda tangan elektronik" not in xml.lower(), kind
        assert "PAGE" in xml and "NUMPAGES" in xml and "Halaman" in xml, kind


def test_no_nik_and_no_phone_number_in_any_document(demo: Issued):
    secrets = [p[k] for p in demo.participants for k in ("nik", "telepon") if p.get(k)]
    assert secrets
    for path in [*demo.files.values(), demo.blanko]:
        xml = _all_xml(path)
        assert not [s for s in secrets if s in xml], path.name


# --------------------------------------------------------------------------- berita acara


def test_berita_acara_kecamatan_form(demo: Issued):
    document = _open(demo.files["berita-acara"])
    text = _body(document)
    lines = _body_lines(document)
    assert "BERITA ACARA" in lines
    assert "HASIL KESEPAKATAN MUSRENBANG KECAMATAN SOOKO" in lines
    assert "NOMOR: 050/12/416-313/2026" in lines
    assert "Kamis tanggal Dua Belas bulan Februari tahun Dua Ribu Dua Puluh Enam" in text
    assert "MENYEPAKATI" in lines
    for ordinal in ("KESATU", "KEDUA", "KETIGA", "KEEMPAT"):
        assert any(line.startswith(f"{ordinal}\t: ") for line in lines), ordinal
    for materi in demo.meta["materi"]:
        assert materi in text
    for person in demo.utusan:
        assert person["nama"] in text
    unsur = _table(document, "No")
    assert unsur[0] == ["No", "Unsur", "Jumlah (orang)"]
    counts = {row[1]: int(row[2]) for row in unsur[1:-1]}
    assert counts == {k: v for k, v in demo.per_unsur.items() if v}
    hadir = sum(1 for p in demo.participants if attended(p))
    assert unsur[-1][1:] == ["Jumlah", str(hadir)]
    agreed = [p for p in demo.proposals if p["status"] == "diakomodir"]
    cost = sum(p["biaya"] for p in agreed)
    assert f"sebanyak {len(agreed)} usulan dengan jumlah biaya {format_rupiah(cost)}" in text
    assert f"({terbilang(cost)})" in text
    assert "Drs. Hendro Prasetyo, M.Si" in lines and "NIP. 19691119 199803 1 005" in lines
    camat = [
        r
        for r in document.element.body.iter(qn("w:r"))
        if "Hendro Prasetyo" in "".join(t.text or "" for t in r.iter(W_T))
    ]
    assert camat and camat[-1].find(qn("w:rPr")).find(qn("w:u")) is not None  # underlined
    assert "selaku Penanggung Jawab," in lines


# --------------------------------------------------------------------------- daftar hadir


def test_daftar_hadir_lists_who_came_with_zigzag_and_repeated_header(demo: Issued):
    document = _open(demo.files["daftar-hadir"])
    lines = _body_lines(document)
    header = _header_lines(document)  # the lampiran reference is on every page
    assert "LAMPIRAN I" in header and "050/12/416-313/2026" in header
    table = document.tables[0]
    assert [c.text for c in table.rows[0].cells] == [
        "No",
        "Nama",
        "L/P",
        "Lembaga/Unsur",
        "Desa",
        "Tanda tangan",
    ]
    assert table.rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None
    came = [p for p in demo.participants if attended(p)]
    *rows, closing = _tables(document)[0][1:]  # the last row carries the signature block
    assert (
        closing[0].startswith("Jumlah hadir") and len(table.rows[-1]._tr.findall(qn("w:tc"))) == 1
    )
    assert "Camat Sooko," in lines and table.rows[-1]._tr.find(".//" + qn("w:tbl")) is not None
    assert len(rows) == len(came)
    assert sorted(r[1] for r in rows) == sorted(p["nama"] for p in came)
    by_name = {p["nama"]: p for p in came}
    for row in rows:
        assert row[2] == by_name[row[1]]["jenis_kelamin"]
        assert row[5].startswith(f"{row[0]}. ")
    sides = [r.cells[5].paragraphs[0].alignment for r in table.rows[1:5]]
    assert [int(s) for s in sides] == [0, 2, 0, 2]  # left, right, left, right
    men = sum(1 for p in came if p["jenis_kelamin"] == "L")
    assert f"Jumlah hadir: {len(came)} orang ({men} laki-laki, {len(came) - men} perempuan)." in (
        lines
    )


def test_blanko_has_everyone_registered_then_empty_rows_and_no_draf(demo: Issued):
    document = _open(demo.blanko)
    rows = _tables(document)[0][1:]
    named = [r for r in rows if r[1]]
    assert len(named) == len(demo.participants)
    assert len(rows) - len(named) >= 15 and all(r[1] == "" for r in rows[len(named) :])
    assert "DRAF" not in _header_text(document)
    assert "Kode verifikasi" not in _all_xml(demo.blanko)


# --------------------------------------------------------------------------- notulen


def test_notulen_has_every_entry_decisions_and_signatures(demo: Issued):
    document = _open(demo.files["notulen"])
    text = _body(document)
    for entry in demo.minutes:
        assert entry["teks"] in text
        if entry["jenis"] == "tanggapan":
            assert f"{entry['pembicara_nama']} ({entry['pembicara_unsur']}): " in text
    decisions = [m for m in demo.minutes if m["jenis"] == "keputusan"]
    assert decisions and all(
        f"{m['teks']} (Musyawarah mufakat; hasil: {m['hasil']})" in text for m in decisions
    )
    lines = _body_lines(document)
    assert "Mengetahui," in lines and "Pimpinan Rapat," in lines and "Notulis," in lines
    came = sum(1 for p in demo.participants if attended(p))
    assert any(line.startswith(f"Peserta\t: {came} orang") for line in lines)


# --------------------------------------------------------------------------- rekap


def test_rekap_is_landscape_grouped_with_subtotals_and_totals_against_pagu(demo: Issued):
    document = _open(demo.files["rekap"])
    section = document.sections[0]
    assert section.page_width > section.page_height
    tables = _tables(document)
    assert "LAMPIRAN II" in _header_lines(document)  # every page: in the page header
    main = tables[0]
    assert main[0][:10] == [
        "No",
        "Prioritas Daerah",
        "Sasaran Daerah",
        "Program",
        "Kegiatan Prioritas",
        "Sasaran Kegiatan",
        "Lokasi",
        "Desa Pengusul",
        "Volume",
        "Pagu (Rp)",
    ]
    assert main[0][10:] == ["Perangkat Daerah", "Sumber Dana", "Peringkat", "Nilai"]
    agreed = [p for p in demo.proposals if p["status"] == "diakomodir"]
    data = [r for r in main[2:] if r[0].isdigit()]
    assert sorted(r[4] for r in data) == sorted(p["kegiatan"] for p in agreed)
    # No runs 1, 2, 3 ... down the grouped table; the rank has its own column, in rank
    # order within each sector, and every agreed proposal's rank appears once
    assert [r[0] for r in data] == [str(n) for n in range(1, len(data) + 1)]
    ranks = [int(r[12]) for r in data]
    assert sorted(ranks) == sorted(set(ranks)) and ranks != sorted(ranks)  # grouped, not ranked
    sector_of = {r[4] + r[7]: p["bidang"] for p in agreed for r in data if r[4] == p["kegiatan"]}
    for sector in set(sector_of.values()):
        in_sector = [int(r[12]) for r in data if sector_of[r[4] + r[7]] == sector]
        assert in_sector == sorted(in_sector)
    subtotals = [r for r in main if r[0].startswith("Jumlah Sektor ")]
    by_sector: dict[str, int] = {}
    for p in agreed:
        by_sector[p["bidang"]] = by_sector.get(p["bidang"], 0) + p["biaya"]
    for row in subtotals:
        sector = re.match(r"Jumlah Sektor (.+) \(", row[0]).group(1)
        assert row[9] == format_rupiah(by_sector[sector]).removeprefix("Rp")
    assert len(subtotals) == len(by_sector)
    totals = dict(tuple(r) for r in tables[1])
    cost = sum(p["biaya"] for p in agreed)
    assert totals["Pagu indikatif"] == "Rp2.500.000.000"
    assert totals["Sisa pagu"] == format_rupiah(2_500_000_000 - cost)
    not_agreed = tables[2][:-1]  # the last row carries the closing line and the signatures
    assert tables[2][-1][0].startswith("Demikian rekapitulasi")
    assert len(not_agreed) - 1 == len(demo.proposals) - len(agreed)
    reasons = {
        p["kegiatan"] + p["desa"]: p["alasan"]
        for p in demo.proposals
        if p["status"] != "diakomodir"
    }
    for row in not_agreed[1:]:
        assert row[9] == reasons[row[1] + row[2]] and row[9]
    lines = _body_lines(document)
    assert "Paraf," in lines and "Sekretaris Kecamatan Sooko," in lines  # post with region


def test_rekap_group_by_desa(demo: Issued, tmp_path: Path):
    with open_forum(demo.forum_path, readonly=True) as forum:
        from exports.documents import rekap
        from exports.documents.context import DocContext

        built = rekap.build(DocContext(forum), group_by="desa")
        with pytest.raises(ValueError, match="Pengelompokan"):
            rekap.build(DocContext(forum), group_by="warna")
    headings = [
        line
        for line in _body_lines(built.doc)
        if line.startswith("Desa ") and line != "Desa Pengusul"
    ]
    assert headings == sorted(headings) and len(headings) > 3


# --------------------------------------------------------------------------- letters


def test_surat_pengantar_and_surat_mandat(demo: Issued):
    letter = _body(_open(demo.files["surat-pengantar"]))
    assert "Yth. Kepala Bappeda Kabupaten Mojokerto" in letter
    assert "Penyampaian Hasil Musrenbang Kecamatan Sooko Tahun 2027" in letter
    assert "Nomor 050/12/416-313/2026;" in letter
    agreed = sum(p["biaya"] for p in demo.proposals if p["status"] == "diakomodir")
    assert f"{format_rupiah(agreed)} ({terbilang(agreed)})" in letter
    mandat = _open(demo.files["surat-mandat"])
    rows = _table(mandat, "No")
    assert [r[1] for r in rows[1:]] == [u["nama"] for u in demo.utusan]
    assert "NIP\t: 19691119 199803 1 005" in _body_lines(mandat)


# --------------------------------------------------------------------------- desa, final, F4


def _desa_forum(path: Path):
    forum = make_forum(
        path,
        level="desa",
        pimpinan="Sutrisno",
        pimpinan_jabatan="Kepala Desa Japan",
        tempat="Balai Desa Japan",
        pagu=300_000_000,
    )
    forum.update_meta(materi=["Penggalian gagasan"], nomor_surat="140/3/416-313.09/2026")
    for nama, jabatan in (("Sutrisno", "Kepala Desa"), ("Agus Santoso", "Ketua BPD")):
        rec_id, _ = forum.participants.add(
            nama=nama, jenis_kelamin="L", jabatan=jabatan, desa="Japan", unsur="BPD"
        )
        forum.participants.check_in(rec_id)
    for kegiatan, bidang, biaya, status in (
        ("Paving jalan Dusun Krajan", "Infrastruktur", 150_000_000, "diakomodir"),
        ("Pelatihan menjahit", "Ekonomi", 25_000_000, "diakomodir"),
        ("Talud sungai", "Kebencanaan", 300_000_000, "cadangan"),
    ):
        rec_id, _ = forum.proposals.add(desa="Japan", kegiatan=kegiatan, bidang=bidang, biaya=biaya)
        forum.proposals.set_status(
            rec_id, status, "melebihi sisa pagu" if status != "diakomodir" else ""
        )
    forum.utusan.add("Agus Santoso", "Ketua BPD Japan", "BPD Japan")
    return forum


def test_desa_forum_has_its_own_forms(tmp_path: Path):
    with _desa_forum(tmp_path / "japan.musrenbang") as forum:
        files = {p.stem: p for p in export_document(forum, "all", tmp_path / "out")}
    ba = _body_lines(_open(files["berita-acara"]))
    assert "MUSYAWARAH PERENCANAAN PEMBANGUNAN DESA" in ba
    assert "DESA JAPAN" in ba  # the derived kop: no office settings for this desa
    assert "Ketua BPD Japan," in ba and "Wakil Masyarakat," in ba
    assert "Mengetahui," in ba and "Kepala Desa Japan," in ba
    assert "Sutrisno" in ba and "Agus Santoso" in ba  # names found in the forum itself
    assert any(
        line.startswith("Pada hari ini Kamis, 12 Februari 2026, pukul 08.00 WIB") for line in ba
    )
    rekap = _body_lines(_open(files["rekap"]))
    assert "Bidang II. Pelaksanaan Pembangunan Desa" in rekap
    assert "Bidang IV. Pemberdayaan Masyarakat" in rekap
    assert rekap.index("Bidang II. Pelaksanaan Pembangunan Desa") < rekap.index(
        "Bidang IV. Pemberdayaan Masyarakat"
    )
    assert "Yth. Camat Sooko" in _body(_open(files["surat-pengantar"]))
    assert all(verify_docx(p).ok for p in files.values())


def test_a_post_printed_alone_names_its_region(tmp_path: Path):
    """The desa's own office typed "Kepala Desa" and "Camat" without a place: the mandat,
    the BA and the daftar hadir print "Kepala Desa Japan"; a bare post at a kecamatan forum
    is completed only for the kecamatan's own posts (a Kepala Desa there is of any desa)."""
    from exports.documents.context import DocContext

    save_office(
        {
            **load_office(),
            "wilayah_kode": "35.16.13.2009",
            "penandatangan": {"kepala-desa": {"nama": "Sutrisno", "jabatan": "Kepala Desa"}},
        }
    )
    with _desa_forum(tmp_path / "japan.musrenbang") as forum:
        forum.update_meta(pimpinan_jabatan="kepala  desa")
        ctx = DocContext(forum)
        posts = ("Kepala Desa", "CAMAT", "Ketua BPD", "Sekdes", "Kaur Umum")
        assert [ctx.post(t) for t in posts] == [
            "Kepala Desa Japan",
            "Camat Sooko",
            "Ketua BPD Japan",
            "Sekretaris Desa Japan",
            "Kaur Umum",
        ]
        files = {p.stem: p for p in export_document(forum, "all", tmp_path / "out")}
    mandat = _body(_open(files["surat-mandat"]))
    assert re.search(r"Jabatan\W*Kepala Desa Japan", mandat), mandat
    assert not re.search(r"Kepala Desa(?! Japan)", mandat)
    assert "Sutrisno (Kepala Desa Japan)" in _body(_open(files["berita-acara"]))
    assert "Kepala Desa Japan (Pimpinan rapat)" in _body(_open(files["daftar-hadir"]))
    with make_forum(tmp_path / "kec.musrenbang") as kecamatan:
        ctx = DocContext(kecamatan)
        assert (ctx.post("Kepala Desa"), ctx.post("Camat")) == ("Kepala Desa", "Camat Sooko")


def test_desa_officials_without_a_post_in_the_header_take_the_one_recorded(tmp_path: Path):
    """The desa header names the chair and the note-taker without a post (as the Sekcam saw
    it): the BA, the notulen and the daftar hadir take the post of their attendance entry
    (matched by name), with the desa's name ("Sutrisno (Kepala Desa Japan)"); a post typed
    in the header wins."""
    with _desa_forum(tmp_path / "japan.musrenbang") as forum:
        forum.update_meta(pimpinan="Sutrisno", pimpinan_jabatan="", notulis="Agus Salim")
        rec_id, _ = forum.participants.add(
            nama="AGUS SALIM", jenis_kelamin="L", jabatan="Sekretaris Desa", desa="Japan"
        )
        forum.participants.check_in(rec_id)
        files = {p.stem: p for p in export_document(forum, "all", tmp_path / "out")}
        forum.update_meta(notulis_jabatan="Kaur Perencanaan")
        again = export_document(forum, "notulen", tmp_path / "again")[0]
    for kind in ("berita-acara", "notulen"):
        text = _body(_open(files[kind]))
        assert "Sutrisno (Kepala Desa Japan)" in text, kind
        assert "Agus Salim (Sekretaris Desa Japan)" in text, kind
    hadir = _body(_open(files["daftar-hadir"]))
    assert "Kepala Desa Japan (Pimpinan rapat)" in hadir
    assert "Sekretaris Desa Japan (Notulis)" in hadir
    assert "Agus Salim (Kaur Perencanaan)" in _body(_open(again))


def test_desa_ba_says_its_attachments_are_part_of_it_and_rekap_says_tanpa_pagu(tmp_path: Path):
    """The desa BA ends its agreement like the kecamatan BA (Lampiran I and II are part of
    it); a forum marked without a pagu says so in the rekap instead of "belum ditetapkan"."""
    with _desa_forum(tmp_path / "japan.musrenbang") as forum:
        forum.update_meta(pagu=0, tanpa_pagu=True)
        files = {p.stem: p for p in export_document(forum, "all", tmp_path / "out")}
        forum.update_meta(tanpa_pagu=False)
        pending = export_document(forum, "rekap", tmp_path / "pending")[0]
    ba = _body_lines(_open(files["berita-acara"]))
    clause = (
        "Lampiran I (Daftar Hadir) dan Lampiran II (Rekapitulasi Usulan) merupakan bagian "
        "yang tidak terpisahkan dari Berita Acara ini."
    )
    assert any(line.endswith(clause) for line in ba), ba
    rows = [row for t in _tables(_open(files["rekap"])) for row in t]
    assert ["Pagu indikatif", "tanpa pagu"] in rows
    rows = [row for t in _tables(_open(pending)) for row in t]
    assert ["Pagu indikatif", "belum ditetapkan"] in rows


def test_final_forum_has_no_draf_and_amendment_supersedes(tmp_path: Path):
    save_office({**load_office(), **DEMO_OFFICE, "kertas": "F4"})
    forum = make_forum(tmp_path / "final.musrenbang")
    rec_id, _ = forum.proposals.add(
        desa="Japan", kegiatan="Paving", bidang="Infrastruktur", biaya=100_000_000
    )
    forum.proposals.set_status(rec_id, "diakomodir")
    make_ready(forum).signoff.finalize()
    first = export_document(forum, "rekap", tmp_path / "rekap-1.docx")[0]
    document = _open(first)
    assert "DRAF" not in _header_text(document)
    assert round(document.sections[0].page_width.mm) == 330  # F4 from the office settings
    result = verify_docx(first)
    assert result.ok and result.record.status == "final"
    assert "DRAF" not in result.record.qr_text()
    with forum.amendment("Biaya dikoreksi sesuai RAB"):
        forum.proposals.update(rec_id, biaya=90_000_000)
    second = export_document(forum, "rekap", tmp_path / "rekap-2.docx")[0]
    assert verify_docx(second).ok
    old = verify_docx(first)
    assert not old.ok and "diganti" in old.reason
    statuses = {d["doc_id"]: d["status"] for d in forum.signoff.documents()}
    assert statuses[old.record.doc_id] == "diganti"
    forum.close()


def test_same_content_issued_again_keeps_its_id(demo: Issued, tmp_path: Path):
    with open_forum(demo.forum_path, readonly=True) as forum:
        again = export_document(forum, "surat-mandat", tmp_path)[0]
    assert verify_docx(again).record.doc_id == verify_docx(demo.files["surat-mandat"]).record.doc_id
    assert verify_docx(demo.files["surat-mandat"]).ok


def test_bad_export_requests_are_refused(demo: Issued, tmp_path: Path):
    with open_forum(demo.forum_path, readonly=True) as forum:
        for kind, fmt, blanko, words in (
            ("bundle", "docx", False, "belum tersedia"),
            ("sertifikat", "docx", False, "tidak dikenal"),
            ("berita-acara", "xlsx", False, "hanya tersedia sebagai docx"),
            ("rekap", "docx", True, "--blanko"),
            ("rekap", "pdf", False, "Format"),
        ):
            with pytest.raises(ExportError, match=words):
                export_document(forum, kind, tmp_path / "x", fmt, blanko)
        with pytest.raises(ExportError, match="tidak ada"):
            export_document(forum, "rekap", tmp_path / "tidak" / "ada" / "r.docx")


# --------------------------------------------------------------------------- LibreOffice


def _need_tools() -> None:
    missing = [tool for tool in ("soffice", "pdftoppm", "pdfinfo") if not shutil.which(tool)]
    if missing:
        pytest.skip(f"{', '.join(missing)} tidak terpasang: render LibreOffice dilewati")


def _soffice(files: list[Path], target: str, outdir: Path, profile: Path) -> subprocess.Popen:
    """Start a conversion with a private LibreOffice profile (another soffice may be running,
    so two conversions can run side by side); the caller waits with ``_finish``."""
    return subprocess.Popen(
        [
            "soffice",
            f"-env:UserInstallation=file://{profile}",
            "--headless",
            "--convert-to",
            target,
            "--outdir",
            str(outdir),
            *map(str, files),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )


def _finish(processes: list[subprocess.Popen]) -> None:
    """Wait for every process (300 s at most each); a failed one fails the fixture."""
    for process in processes:
        _, stderr = process.communicate(timeout=300)
        assert process.returncode == 0, (process.args, stderr)


@pytest.fixture(scope="module")
def rendered(_demo_issued: Issued, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    _need_tools()
    folder = tmp_path_factory.mktemp("render")
    files = [*_demo_issued.files.values(), _demo_issued.blanko]
    _finish(  # the two conversions side by side, each with its own profile
        [
            _soffice(files, "pdf", folder / "pdf", folder / "profil-pdf"),
            _soffice(
                list(_demo_issued.files.values()), "docx", folder / "resaved", folder / "profil"
            ),
        ]
    )
    (folder / "png").mkdir()
    _finish(
        [
            subprocess.Popen(
                [
                    *("pdftoppm", "-r", "150", "-png"),
                    *(str(folder / "pdf" / f"{path.stem}.pdf"), str(folder / "png" / path.stem)),
                ],
                stderr=subprocess.PIPE,
            )
            for path in files
        ]
    )
    pages = {path.stem: sorted((folder / "png").glob(f"{path.stem}-*.png")) for path in files}
    return {"folder": folder, "pages": pages}


PAGE_RANGE = {
    "berita-acara": (1, 4),
    "daftar-hadir": (3, 10),
    "notulen": (1, 5),
    "rekap": (4, 30),
    "surat-pengantar": (1, 1),
    "surat-mandat": (1, 1),
    "blanko": (3, 12),
}


def test_libreoffice_renders_each_document_with_sane_page_count(rendered: dict[str, Any]):
    for name, (low, high) in PAGE_RANGE.items():
        count = len(rendered["pages"][name])
        assert low <= count <= high, (name, count)


def test_qr_reads_from_the_150_dpi_render_and_verifies(demo: Issued, rendered: dict[str, Any]):
    zxingcpp = pytest.importorskip("zxingcpp")
    from PIL import Image

    for kind, path in demo.files.items():
        found = [
            r.text
            for png in rendered["pages"][kind]
            for r in zxingcpp.read_barcodes(Image.open(png))
        ]
        assert len(found) == 1, (kind, found)
        result = verify_code(found[0])
        assert result.ok, (kind, result.reason)
        assert result.record == verify_docx(path).record
    assert not [
        r for png in rendered["pages"]["blanko"] for r in zxingcpp.read_barcodes(Image.open(png))
    ]


def test_libreoffice_resave_still_verifies(demo: Issued, rendered: dict[str, Any]):
    for kind in demo.files:
        resaved = rendered["folder"] / "resaved" / f"{kind}.docx"
        assert resaved.read_bytes() != demo.files[kind].read_bytes()
        result = verify_docx(resaved)
        assert result.ok, (kind, result.reason)


def test_signature_block_never_split_across_pages(rendered: dict[str, Any]):
    for name in ("berita-acara", "daftar-hadir", "notulen", "rekap"):
        pdf = rendered["folder"] / "pdf" / f"{name}.pdf"
        out = subprocess.run(
            ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
        ).stdout
        last = out.split("\f")
        block = next(p for p in reversed(last) if "Kode verifikasi dokumen" in p)
        assert "NIP." in block and "ID " in block, name


def test_office_key_fingerprint_is_on_the_rendered_page(demo: Issued, rendered: dict[str, Any]):
    fingerprint = keys.format_key_id(keys.key_id(keys.public_key()))
    for kind in demo.files:
        pdf = rendered["folder"] / "pdf" / f"{kind}.pdf"
        out = subprocess.run(
            ["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True
        ).stdout
        assert "Kunci:" in out and fingerprint in out, kind
    blanko = rendered["folder"] / "pdf" / "blanko.pdf"
    out = subprocess.run(["pdftotext", str(blanko), "-"], capture_output=True, text=True).stdout
    assert fingerprint not in out  # no code, no key line on a form printed before the forum


def test_key_id_of_issued_documents_is_the_office_key(demo: Issued):
    kid = keys.key_id(keys.public_key())
    assert {verify_docx(p).record.key_id for p in demo.files.values()} == {kid}
