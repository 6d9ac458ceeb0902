"""A realistic, deterministic demo forum: Musrenbang Kecamatan Sooko.

All 15 desa, ~150 proposals across the sectors with plausible volumes and costs, ~120
participants with a realistic unsur mix and women's share, agenda, minutes and scores.
Deterministic (a fixed seed and a fixed forum day) so demos, screenshots and tests agree.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from store.attendance import attended
from store.forum import Forum, create_forum
from store.regions import desa_of
from store.sectors import COMMON_REJECTION_REASONS

SEED = 2027
KECAMATAN = "35.16.13"
TAHUN = 2027
FORUM_DAY = datetime(2026, 2, 12, 7, 45)  # registration opens; the agenda starts here
PAGU = 2_500_000_000

MEN = (
    "Agus",
    "Bambang",
    "Slamet",
    "Hadi",
    "Joko",
    "Sugeng",
    "Eko",
    "Budi",
    "Imam",
    "Rudi",
    "Wahyu",
    "Suparno",
    "Heru",
    "Teguh",
    "Ahmad",
    "Mochamad",
    "Didik",
    "Sutrisno",
    "Yusuf",
    "Fajar",
)
WOMEN = (
    "Siti",
    "Sri",
    "Endang",
    "Rina",
    "Dewi",
    "Nur",
    "Lilik",
    "Tutik",
    "Yuli",
    "Wiwik",
    "Ani",
    "Umi",
    "Ratna",
    "Indah",
    "Puji",
    "Dwi",
)
#: Family names by gender (Rahayu, Wahyuni, Lestari are women's names in Java): a demo
#: participant's name agrees with the L/P printed beside it. Both tuples have the same length,
#: so a draw takes the same random numbers whichever it picks from (the demo stays seeded).
MEN_SURNAMES = (
    "Santoso",
    "Wibowo",
    "Purnomo",
    "Susanto",
    "Hidayat",
    "Setiawan",
    "Kurniawan",
    "Maulana",
    "Prasetyo",
    "Saputra",
    "Nugroho",
    "Mujiono",
    "Sholeh",
    "Hartono",
    "Suprapto",
    "Wahyudi",
    "Firmansyah",
    "Hermawan",
    "Gunawan",
    "Syaifudin",
)
WOMEN_SURNAMES = (
    "Rahayu",
    "Lestari",
    "Wahyuni",
    "Handayani",
    "Aini",
    "Utami",
    "Fauziah",
    "Wulandari",
    "Puspitasari",
    "Kusumawati",
    "Rahmawati",
    "Susilowati",
    "Anggraini",
    "Maharani",
    "Safitri",
    "Yuliana",
    "Ningsih",
    "Nurhayati",
    "Permatasari",
    "Mardiyah",
)
DUSUN = ("Krajan", "Kulon", "Wetan", "Lor", "Kidul", "Sumber", "Ngemplak", "Balong")
SOURCES = (
    "Dusun Krajan",
    "Dusun Kulon",
    "Dusun Wetan",
    "LPM",
    "PKK",
    "BPD",
    "Karang Taruna",
    "Kelompok Tani",
    "Posyandu",
)


@dataclass(frozen=True)
class Template:
    """One kind of proposal with a plausible unit cost range."""

    bidang: str
    kegiatan: str
    masalah: str
    satuan: str
    volume: tuple[int, int]
    harga_satuan: tuple[int, int]
    opd: str
    dana: str


TEMPLATES = (
    Template(
        "Infrastruktur",
        "Paving jalan lingkungan Dusun {dusun}",
        "Jalan lingkungan Dusun {dusun} berlubang dan becek saat hujan",
        "m2",
        (300, 1200),
        (150_000, 190_000),
        "Dinas PUPR",
        "APBD Kab",
    ),
    Template(
        "Infrastruktur",
        "Pembangunan saluran drainase Dusun {dusun}",
        "Genangan air di permukiman Dusun {dusun} setiap musim hujan",
        "m",
        (150, 600),
        (450_000, 650_000),
        "Dinas PUPR",
        "APBD Kab",
    ),
    Template(
        "Infrastruktur",
        "Rehabilitasi jembatan penghubung Dusun {dusun}",
        "Jembatan penghubung Dusun {dusun} retak dan membahayakan pengguna",
        "unit",
        (1, 1),
        (180_000_000, 420_000_000),
        "Dinas PUPR",
        "APBD Kab",
    ),
    Template(
        "Infrastruktur",
        "Pemasangan lampu penerangan jalan umum Dusun {dusun}",
        "Jalan Dusun {dusun} gelap pada malam hari",
        "titik",
        (8, 25),
        (4_500_000, 6_000_000),
        "Dinas Perhubungan",
        "APBD Kab",
    ),
    Template(
        "Pertanian",
        "Rehabilitasi saluran irigasi tersier Dusun {dusun}",
        "Saluran irigasi tersier Dusun {dusun} bocor sehingga sawah kekurangan air",
        "m",
        (200, 900),
        (600_000, 900_000),
        "Dinas Pertanian",
        "APBD Kab",
    ),
    Template(
        "Pertanian",
        "Pembangunan jalan usaha tani Dusun {dusun}",
        "Petani Dusun {dusun} kesulitan mengangkut hasil panen",
        "m",
        (300, 1000),
        (250_000, 350_000),
        "Dinas Pertanian",
        "APBD Kab",
    ),
    Template(
        "Kesehatan",
        "Pengadaan alat kesehatan Posyandu Dusun {dusun}",
        "Posyandu Dusun {dusun} belum memiliki timbangan dan alat ukur standar",
        "paket",
        (1, 3),
        (12_000_000, 25_000_000),
        "Dinas Kesehatan",
        "APBD Kab",
    ),
    Template(
        "Kesehatan",
        "Pemberian makanan tambahan balita stunting",
        "Masih ada balita stunting di desa",
        "paket",
        (40, 120),
        (350_000, 500_000),
        "Dinas Kesehatan",
        "APBD Kab",  # a kecamatan forum asks the Kabupaten: Dana Desa is the desa's own plan
    ),
    Template(
        "Pendidikan",
        "Rehabilitasi gedung PAUD Dusun {dusun}",
        "Atap gedung PAUD Dusun {dusun} bocor dan lantai rusak",
        "unit",
        (1, 1),
        (85_000_000, 160_000_000),
        "Dinas Pendidikan",
        "APBD Kab",
    ),
    Template(
        "Ekonomi",
        "Pelatihan usaha olahan pangan bagi ibu rumah tangga",
        "Pendapatan keluarga rendah dan usaha rumahan belum berkembang",
        "orang",
        (25, 40),
        (1_200_000, 1_800_000),
        "Dinas Koperasi dan Usaha Mikro",
        "APBD Kab",
    ),
    Template(
        "Ekonomi",
        "Pelatihan kewirausahaan pemuda Karang Taruna",
        "Banyak pemuda belum bekerja",
        "orang",
        (20, 40),
        (1_000_000, 1_500_000),
        "Dinas Tenaga Kerja",
        "APBD Kab",
    ),
    Template(
        "Lingkungan",
        "Pengadaan sarana pengelolaan sampah TPS3R",
        "Sampah rumah tangga dibuang ke sungai",
        "paket",
        (1, 1),
        (95_000_000, 180_000_000),
        "Dinas Lingkungan Hidup",
        "APBD Kab",
    ),
    Template(
        "Perumahan",
        "Bantuan rehabilitasi rumah tidak layak huni",
        "Masih ada rumah warga miskin yang tidak layak huni",
        "unit",
        (5, 15),
        (17_500_000, 20_000_000),
        "Dinas Perumahan Rakyat dan Kawasan Permukiman",
        "APBD Kab",
    ),
    Template(
        "Sosial",
        "Alat bantu bagi penyandang disabilitas",
        "Penyandang disabilitas belum memiliki alat bantu yang layak",
        "paket",
        (5, 20),
        (2_500_000, 4_000_000),
        "Dinas Sosial",
        "APBD Kab",
    ),
    Template(
        "Kebencanaan",
        "Normalisasi sungai rawan banjir Dusun {dusun}",
        "Sungai di Dusun {dusun} dangkal dan meluap saat hujan deras",
        "m",
        (300, 1000),
        (250_000, 400_000),
        "BPBD",
        "APBD Kab",
    ),
    Template(
        "Pemerintahan",
        "Pengadaan sarana pelayanan administrasi desa",
        "Pelayanan administrasi kependudukan di kantor desa lambat",
        "paket",
        (1, 1),
        (35_000_000, 60_000_000),
        "Dinas Kependudukan dan Pencatatan Sipil",
        "APBD Kab",
    ),
)

AGENDA_MINUTES = (
    (0, "catatan", "Registrasi peserta dibuka pukul 07.45 di meja penerimaan.", None),
    (1, "catatan", "Acara dibuka oleh Camat Sooko dan dilanjutkan doa bersama.", None),
    (2, "catatan", "Camat menekankan usulan harus sesuai kewenangan dan pagu indikatif.", None),
    (3, "catatan", "Bappeda memaparkan pagu indikatif kecamatan Rp2.500.000.000.", None),
    (3, "tanggapan", "Jalan usaha tani di beberapa dusun rusak berat, mohon diprioritaskan.", 0),
    (3, "tanggapan", "Usulan posyandu dan penanganan stunting perlu mendapat perhatian.", 1),
    (4, "catatan", "Tata tertib dan mekanisme penilaian dijelaskan kepada peserta.", None),
    (5, "catatan", "Peserta dibagi dalam kelompok infrastruktur, sosial budaya dan ekonomi.", None),
    (5, "tanggapan", "Usulan drainase dan jalan yang sama dari dua dusun perlu digabung.", 2),
    (5, "tanggapan", "Pelatihan bagi perempuan dan pemuda mohon tidak dihapus.", 3),
    (6, "catatan", "Penilaian usulan dengan matriks kriteria berbobot standar.", None),
    (6, "keputusan", "Urutan prioritas ditetapkan sesuai hasil penilaian dan pagu.", "mufakat"),
    (7, "keputusan", "Tiga utusan ke Musrenbang Kabupaten ditetapkan.", "mufakat"),
)


class DemoClock:
    """A settable clock, so demo timestamps fall on the forum day."""

    def __init__(self, start: datetime) -> None:
        self.now = start

    def __call__(self) -> datetime:
        return self.now

    def advance(self, minutes: float) -> None:
        self.now += timedelta(minutes=minutes)


def build_demo(path: Path, *, operator: str = "Kasi Pembangunan") -> Path:
    """Write the demo forum to ``path`` (which must not exist) and close it."""
    forum = create_demo(path, operator=operator)
    forum.close()
    return path


def create_demo(path: Path, *, operator: str = "Kasi Pembangunan") -> Forum:
    """Create the demo forum and leave it open for the caller."""
    rng = random.Random(SEED)
    clock = DemoClock(FORUM_DAY)
    forum = create_forum(
        path,
        operator=operator,
        clock=clock,
        level="kecamatan",
        wilayah=KECAMATAN,
        tahun=TAHUN,
        tanggal=FORUM_DAY.date().isoformat(),
        pukul=FORUM_DAY.strftime("%H:%M"),
        tempat="Pendopo Kecamatan Sooko",
        pimpinan=HEADER_OFFICIALS[0][0],
        pimpinan_jabatan=HEADER_OFFICIALS[0][1],
        notulis="Rina Wahyuni, S.Sos",
        notulis_jabatan="Kasi Pembangunan",
        pagu=PAGU,
    )
    with forum.batch():
        forum.update_meta(
            narasumber=[{"nama": o[0], "jabatan": o[1]} for o in HEADER_OFFICIALS[1:]],
            materi=[
                "Arah kebijakan pembangunan dan pagu indikatif kecamatan tahun 2027",
                "Rekapitulasi usulan hasil Musrenbang Desa se-Kecamatan Sooko",
                "Penentuan prioritas usulan dengan matriks kriteria berbobot",
            ],
            nomor_surat="050/12/416-313/2026",
            kantor_contoh=DEMO_OFFICE,
            kuorum={"aturan": "persen_delegasi", "nilai": 50},
        )
        forum.agenda.add_standard()
        people = _add_participants(forum, rng, clock)
        _add_officials(forum, clock)
        _add_proposals(forum, rng)
        _score_all(forum, rng)
        _reject_some(forum, rng)
        forum.priority.apply_ranking()
        _add_minutes(forum, clock, people)
        _add_utusan(forum)
    return forum


#: Who the demo forum mandates to the Kabupaten: present participants holding these posts
#: (never the Camat, who signs the mandate).
UTUSAN_POSTS = (("Kasi Pembangunan", ""), ("Ketua TP PKK Kecamatan", ""), ("Ketua LPM", "Japan"))
#: Kecamatan officials in the roster go by the names the office settings give them, so the
#: daftar hadir, the notulen and the signature blocks name each person the same way.
OFFICIALS = {
    "Sekretaris Kecamatan": "Sugeng Riyadi, S.Sos",
    "Kasi Pembangunan": "Rina Wahyuni, S.Sos",
}


#: The chair and the speakers the header names: they attend and sign the daftar hadir too
#: (nama, jabatan, unsur, lembaga, jenis kelamin); the first chairs, the others speak.
HEADER_OFFICIALS = (
    ("Drs. Hendro Prasetyo, M.Si", "Camat Sooko", "Perangkat Kecamatan", "Kecamatan Sooko", "L"),
    (
        "Ir. Bambang Susilo",
        "Kepala Bidang Perencanaan Bappeda",
        "Perangkat Daerah/UPTD",
        "Bappeda Kab. Mojokerto",
        "L",
    ),
    (
        "Dra. Endang Kurniasih",
        "Anggota DPRD Kab. Mojokerto",
        "DPRD",
        "DPRD Kab. Mojokerto",
        "P",
    ),
)


def _add_officials(forum: Forum, clock: DemoClock) -> None:
    """The header's chair and speakers, present (no random draw: the rest stays as seeded)."""
    for nama, jabatan, unsur, lembaga, jk in HEADER_OFFICIALS:
        clock.advance(1)
        rec_id, _ = forum.participants.add(
            nama=nama, jabatan=jabatan, unsur=unsur, lembaga=lembaga, jenis_kelamin=jk, desa=""
        )
        forum.participants.check_in(rec_id)


def _add_utusan(forum: Forum) -> None:
    present = [p for p in forum.participants.all() if attended(p)]
    for jabatan, desa in UTUSAN_POSTS:
        holders = [p for p in present if p.get("jabatan") == jabatan]
        person = next((p for p in holders if p["desa"] == desa), holders[0])
        desa = person["desa"]
        title = f"{jabatan} {desa}".strip() if desa else jabatan
        forum.utusan.add_participant(person["id"], title)


def _name(rng: random.Random, woman: bool) -> str:
    first = rng.choice(WOMEN if woman else MEN)
    return f"{first} {rng.choice(WOMEN_SURNAMES if woman else MEN_SURNAMES)}"


def _nik(rng: random.Random, woman: bool, serial: int) -> str:
    day = rng.randint(1, 28) + (40 if woman else 0)
    return f"351613{day:02d}{rng.randint(1, 12):02d}{rng.randint(60, 99):02d}{serial:04d}"


def _add_participants(forum: Forum, rng: random.Random, clock: DemoClock) -> list[int]:
    """Three delegates per desa plus kecamatan-wide groups; ~85% arrive."""
    roster: list[dict[str, Any]] = []
    for desa in desa_of(KECAMATAN):
        roster.append(
            {
                "jabatan": "Kepala Desa",
                "unsur": "Pemerintah Desa",
                "lembaga": f"Pemerintah Desa {desa.name}",
                "desa": desa.name,
                "delegasi": True,
                "woman": rng.random() < 0.2,
            }
        )
        roster.append(
            {
                "jabatan": "Ketua BPD",
                "unsur": "BPD",
                "lembaga": f"BPD {desa.name}",
                "desa": desa.name,
                "delegasi": True,
                "woman": rng.random() < 0.2,
            }
        )
        roster.append(
            {
                "jabatan": "Ketua TP PKK",
                "unsur": "PKK",
                "lembaga": f"PKK {desa.name}",
                "desa": desa.name,
                "delegasi": True,
                "woman": True,
            }
        )
        roster.append(
            {
                "jabatan": "Ketua LPM",
                "unsur": "LPM",
                "lembaga": f"LPM {desa.name}",
                "desa": desa.name,
                "delegasi": False,
                "woman": rng.random() < 0.2,
            }
        )
        roster.append(
            {
                "jabatan": "Kepala Dusun",
                "unsur": "Perangkat Desa",
                "lembaga": f"Pemerintah Desa {desa.name}",
                "desa": desa.name,
                "delegasi": False,
                "woman": rng.random() < 0.15,
            }
        )
        roster.append(
            {
                "jabatan": "Tokoh masyarakat",
                "unsur": rng.choice(
                    [
                        "Tokoh Masyarakat",
                        "Tokoh Agama",
                        "Karang Taruna",
                        "Kelompok Tani",
                        "Kader Posyandu",
                    ]
                ),
                "lembaga": desa.name,
                "desa": desa.name,
                "delegasi": False,
                "woman": rng.random() < 0.4,
            }
        )
        roster.append(
            {
                "jabatan": "Anggota",
                "unsur": rng.choice(
                    [
                        "Kelompok Perempuan",
                        "Kader Posyandu",
                        "Kelompok Disabilitas",
                        "Karang Taruna",
                    ]
                ),
                "lembaga": desa.name,
                "desa": desa.name,
                "delegasi": False,
                "woman": rng.random() < 0.6,
            }
        )
    for jabatan, unsur, lembaga, woman in (
        ("Sekretaris Kecamatan", "Perangkat Kecamatan", "Kecamatan Sooko", False),
        ("Kasi Pembangunan", "Perangkat Kecamatan", "Kecamatan Sooko", True),
        ("Kasi Pemerintahan", "Perangkat Kecamatan", "Kecamatan Sooko", False),
        ("Kepala Puskesmas", "Perangkat Daerah/UPTD", "UPT Puskesmas Sooko", True),
        ("Koordinator Wilayah Pendidikan", "Perangkat Daerah/UPTD", "UPTD Pendidikan Sooko", False),
        ("Penyuluh Pertanian", "Perangkat Daerah/UPTD", "UPT Pertanian Sooko", False),
        ("Kapolsek", "Lainnya", "Polsek Sooko", False),
        ("Danramil", "Lainnya", "Koramil Sooko", False),
        ("Anggota DPRD", "DPRD", "DPRD Kab. Mojokerto", True),
        ("Anggota DPRD", "DPRD", "DPRD Kab. Mojokerto", False),
        ("Perencana", "Perangkat Daerah/UPTD", "Bappeda Kab. Mojokerto", False),
        ("Ketua TP PKK Kecamatan", "PKK", "PKK Kecamatan Sooko", True),
    ):
        roster.append(
            {
                "jabatan": jabatan,
                "unsur": unsur,
                "lembaga": lembaga,
                "desa": "",
                "delegasi": False,
                "woman": woman,
            }
        )
    rng.shuffle(roster)
    ids: list[int] = []
    for serial, person in enumerate(roster, start=1):
        woman = person.pop("woman")
        drawn = _name(rng, woman)  # drawn for everyone, so the random sequence stays the same
        fields = {
            **person,
            "nama": OFFICIALS.get(person["jabatan"], drawn) if not person["desa"] else drawn,
            "jenis_kelamin": "P" if woman else "L",
            "hak_suara": person["delegasi"],
            "disabilitas": person["unsur"] == "Kelompok Disabilitas",
            "telepon": f"08{rng.randint(1, 9)}{rng.randint(10_000_000, 99_999_999)}"
            if rng.random() < 0.7
            else "",
            "nik": _nik(rng, woman, serial) if rng.random() < 0.5 else "",
        }
        rec_id, _ = forum.participants.add(**fields)
        ids.append(rec_id)
    arrivals = [i for i in ids if rng.random() < 0.88]
    for rec_id in arrivals:
        clock.advance(rng.uniform(0.2, 0.6))
        forum.participants.check_in(rec_id)
    return arrivals


def _add_proposals(forum: Forum, rng: random.Random) -> None:
    for desa in desa_of(KECAMATAN):
        for template in rng.sample(TEMPLATES, 10):
            dusun = rng.choice(DUSUN)
            volume = rng.randint(*template.volume)
            unit_cost = rng.randint(*template.harga_satuan) // 1000 * 1000
            cost = volume * unit_cost // 100_000 * 100_000 or unit_cost
            funding: str | list[dict[str, Any]] = template.dana
            if rng.random() < 0.15 and cost > 10_000_000:
                own = cost // 10 // 100_000 * 100_000
                funding = [
                    {"sumber": template.dana, "jumlah": cost - own},
                    {"sumber": "Swadaya", "jumlah": own},
                ]
            record = forum.proposals.prepare(
                {
                    "desa": desa.name,
                    "sumber": rng.choice(SOURCES),
                    "bidang": template.bidang,
                    "permasalahan": template.masalah.format(dusun=dusun),
                    "kegiatan": template.kegiatan.format(dusun=dusun),
                    "lokasi": f"Dusun {dusun} RT {rng.randint(1, 9):02d} "
                    f"RW {rng.randint(1, 5):02d}",
                    "volume": volume,
                    "satuan": template.satuan,
                    "penerima_manfaat": rng.randint(40, 2500),
                    "biaya": cost,
                    "sumber_dana": funding,
                    "opd_tujuan": template.opd,
                    "kamus_usulan": template.kegiatan.split(" Dusun")[0],
                }
            )
            forum.proposals.add_prepared(record)


def _reject_some(forum: Forum, rng: random.Random) -> None:
    """A few hard rejections with the reasons real berita acara give."""
    reasons = COMMON_REJECTION_REASONS[1:]
    for proposal, reason in zip(rng.sample(forum.proposals.all(), 6), reasons * 2, strict=False):
        forum.proposals.set_status(proposal["id"], "tidak diakomodir", reason)


def _score_all(forum: Forum, rng: random.Random) -> None:
    criteria = forum.priority.criteria()
    for proposal in forum.proposals.all():
        base = rng.randint(2, 4)
        for criterion in criteria:
            score = max(1, min(5, base + rng.choice((-1, 0, 0, 1, 1))))
            forum.priority.set_score(proposal["id"], criterion["id"], score)


def _add_minutes(forum: Forum, clock: DemoClock, people: list[int]) -> None:
    """Each agenda item starts two minutes after its planned time (the susunan acara is the
    one source of the day's times: registration opens when the forum does), entries three
    minutes apart."""
    agenda = forum.agenda.all()
    started: set[int] = set()
    speakers = people[:4]
    for index, kind, text, extra in AGENDA_MINUTES:
        item = agenda[index]
        if item["id"] not in started:
            clock.now = _planned(item["rencana_mulai"]) + timedelta(minutes=2 if index else 0)
            forum.agenda.start(item["id"])
            started.add(item["id"])
        clock.advance(3)
        forum.minutes.add(
            text,
            jenis=kind,
            agenda_id=item["id"],
            pembicara_id=speakers[extra] if kind == "tanggapan" else None,
            metode=extra if kind == "keputusan" else None,
            hasil="Disepakati seluruh peserta" if kind == "keputusan" else "",
        )


def _planned(hhmm: str) -> datetime:
    """A planned agenda time on the forum day."""
    hours, minutes = hhmm.split(":")
    return FORUM_DAY.replace(hour=int(hours), minute=int(minutes))


DEMO_OFFICE = {
    "nama": "Kecamatan Sooko",
    "wilayah_kode": KECAMATAN,
    "kop": {
        "pemerintah": "PEMERINTAH KABUPATEN MOJOKERTO",
        "instansi": "KECAMATAN SOOKO",
        "alamat": "Jl. Raya Sooko No. 1, Sooko, Mojokerto 61361",
        "telepon": "(0321) 000000",
        "website": "kecsooko.mojokertokab.go.id",
        "email": "kec.sooko@mojokertokab.go.id",
        "logo": "",
    },
    "penandatangan": {
        "camat": {
            "nama": "Drs. Hendro Prasetyo, M.Si",
            "pangkat": "Pembina Tk. I (IV/b)",
            "nip": "196911191998031005",
            "jabatan": "Camat Sooko",
        },
        "sekcam": {
            "nama": "Sugeng Riyadi, S.Sos",
            "pangkat": "Pembina (IV/a)",
            "nip": "197203151997031004",
            "jabatan": "Sekretaris Kecamatan",
        },
        "ketua-tim": {
            "nama": "Rina Wahyuni, S.Sos",
            "pangkat": "Penata (III/c)",
            "nip": "198005122006042011",
            "jabatan": "Kasi Pembangunan",
        },
    },
    "operator": "Kasi Pembangunan",
    "agenda_setelan": {"klasifikasi": "050", "kode_unit": "416-313"},
}
