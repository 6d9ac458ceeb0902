"""Forums built through every writer the app has, for tests that must accept all they store.

A stored-value check that refuses a value the app itself wrote locks the user out of their
own forum (an import with only a ``nama`` column stores an empty sex), so the checks are
tested against forums made by: the demo, an import of each sample file, the forms through
the store API (minimal and full), priority by scores, hand votes and ballots, finalize, sign
and the personal-data purge.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from hypothesis import strategies as st

from store.demo import build_demo
from store.forum import Forum, open_forum
from store.importer import import_files
from store.intake import add_agency_proposal
from store.room import ROOM_ROLES
from store.text_controls import BIDI_CONTROLS
from store.validation import ValidationError
from tests.forum_factory import StepClock, make_forum, make_ready, present_name

DATA = Path(__file__).parent / "data"
#: Every sample file an import may take (good and bad: a bad one must leave a sound forum).
IMPORT_CASES = sorted(
    p for p in [*DATA.glob("*.csv"), *(DATA / "import").iterdir()] if p.suffix != ".md"
)


def _forms(forum: Forum, clock: StepClock) -> None:
    """The forms with the fewest and the most fields, as the app's screens fill them."""
    bare, _ = forum.participants.add(nama="Tanpa Isian")
    full, _ = forum.participants.add(
        nama="Siti Aminah",
        jenis_kelamin="P",
        lembaga="PKK",
        unsur="Delegasi Desa",
        jabatan="Ketua",
        desa="Japan",
        delegasi=True,
        hak_suara=True,
        disabilitas=True,
        telepon="0812 3456 7890",
        nik="3516135507850001",
        hadir=True,
    )
    forum.participants.check_in(bare)
    clock.tick()
    forum.participants.check_out(bare)
    forum.proposals.add(desa="Japan", kegiatan="Sumur bor", biaya="5000000")
    rec, _ = forum.proposals.add(
        desa="Japan",
        bidang="Pekerjaan Umum",
        permasalahan="Jalan rusak",
        kegiatan="Paving jalan dusun",
        lokasi="Dusun Krajan RT 01",
        volume="1,5",
        satuan="km",
        penerima_manfaat="120",
        biaya="Rp 150.000.000",
        sumber_dana="DD:100.000.000; ADD:50.000.000",
        catatan="Hubungi 0812 3456 7890",
    )
    forum.proposals.set_status(rec, "tidak diakomodir", "Bukan kewenangan")
    forum.proposals.set_status(rec, "diusulkan")
    agenda = forum.agenda.add("Tanya jawab", "10:00", "10:30")
    forum.agenda.start(agenda)
    clock.tick()
    forum.minutes.add("Pembukaan oleh kepala desa", pembicara_id=full)
    forum.minutes.add("Disepakati", jenis="keputusan", metode="mufakat", hasil="setuju")
    for criterion in forum.priority.criteria():
        forum.priority.set_score(rec, criterion["id"], criterion.get("skala_max", 5))
    forum.priority.set_tally(rec, 7)
    ballot = forum.priority.cast_ballot(full, [rec])
    forum.priority.correct_ballot(ballot, [rec], "Salah ketik")
    if forum.meta["level"] == "kecamatan":
        add_agency_proposal(
            forum, "UPT Puskesmas Sooko", desa="Japan", kegiatan="Posyandu", biaya="2000000"
        )
    forum.update_meta(
        kuorum={"aturan": "persen_delegasi", "nilai": "50"},
        target_perempuan="30%",
        materi=["Rekapitulasi"],
        narasumber=[{"nama": "Camat", "jabatan": "Camat Sooko"}],
    )


def _signed(forum: Forum) -> None:
    make_ready(forum).signoff.finalize()
    forum.signoff.sign("notulis", present_name(forum), pangkat="Penata")
    for role in forum.signoff.required_roles():
        nip = "19720315 199703 1 004" if role == "sekcam" else ""
        name = present_name(forum) if role in ROOM_ROLES else f"Penanda {role}"
        forum.signoff.sign(role, name, nip=nip)


def writers(tmp: Path) -> Iterator[tuple[str, Path]]:
    """(what wrote it, forum path) for each writer; each forum is closed when yielded."""
    demo = build_demo(tmp / "demo.musrenbang")
    yield "demo", demo
    for case in IMPORT_CASES:
        path = tmp / f"impor-{case.stem}.musrenbang"
        make_forum(path, level="desa").close()
        import_files(path, [case])
        yield f"impor {case.name}", path
    steps: list[tuple[str, Callable[[Forum], None]]] = [
        ("formulir", lambda forum: None),
        ("final dan tanda tangan", _signed),
        ("hapus data pribadi", lambda forum: (_signed(forum), forum.signoff.purge_personal())),
    ]
    for level in ("desa", "kecamatan"):
        for name, step in steps:
            path = tmp / f"{level}-{name.replace(' ', '-')}.musrenbang"
            clock = StepClock()
            with make_forum(path, level=level, clock=clock) as forum:
                _forms(forum, clock)
                step(forum)
            yield f"{level}: {name}", path
    with open_forum(demo) as forum:
        _signed(forum)
        forum.signoff.purge_personal()
    yield "demo ditandatangani, data pribadi dihapus", demo


# --- hostile but typable values --------------------------------------------------------

#: Characters a paste, a spreadsheet cell or a forged file brings: bidi controls, C0/C1,
#: zero-width and line separators, among ordinary letters.
_ODD_CHARS = [
    *"aZé ;:.,-'\n\t\r",
    *BIDI_CONTROLS,
    "\x00",
    "\x1b",
    "\x7f",
    "\x85",
    "\x9b",
    "\u200b",
    "\ufeff",
    "\u2028",
]
HOSTILE_TEXT = (
    st.text(alphabet=st.sampled_from(_ODD_CHARS), max_size=12)
    | st.text(max_size=12)
    | st.sampled_from(["", "Japan", "Sooko", "08:00", "2026-02-12", "ya", "L", "P"])
)
#: Numbers as typed or as a spreadsheet cell holds them, most at or past some limit.
HOSTILE_NUMBER = (
    st.sampled_from(
        [
            "10000000000000",
            "1.000.000.000.001",
            "9" * 40,
            10**13,
            2**60,
            1e13,
            float("nan"),
            "nan",
            "1e400",
            "-1",
            "1,5",
            "150 juta",
        ]
    )
    | st.integers(-5, 2**64).map(str)
    | st.floats()
    | HOSTILE_TEXT
)
#: A photo cell: up to a few more names than a proposal may hold.
HOSTILE_PHOTOS = st.sampled_from([0, 1, 499, 500, 501, 520]).map(
    lambda n: "\n".join(f"f{i}.jpg" for i in range(n))
)
_ANY = HOSTILE_TEXT | HOSTILE_NUMBER | st.booleans() | st.none()
_HEADER = {
    **dict.fromkeys(
        ["tempat", "pimpinan", "notulis", "hasil_keputusan", "nomor_surat", "tindak_lanjut"],
        HOSTILE_TEXT,
    ),
    "tanggal": HOSTILE_TEXT,
    "pukul": HOSTILE_TEXT,
    "pagu": HOSTILE_NUMBER,
    "tahun": HOSTILE_NUMBER,
    "target_perempuan": HOSTILE_NUMBER,
    "materi": st.lists(HOSTILE_TEXT, max_size=3),
    "narasumber": st.lists(st.fixed_dictionaries({"nama": HOSTILE_TEXT, "jabatan": _ANY})),
    "kuorum": st.fixed_dictionaries(
        {"aturan": st.sampled_from(["tidak_ada", "persen_delegasi", "minimal_hadir", "x"])},
        optional={"nilai": HOSTILE_NUMBER},
    ),
    "surat_suara": st.fixed_dictionaries(
        {}, optional={"maks_pilihan": _ANY, "bobot": st.sampled_from(["3-2-1", "sama", "x"])}
    ),
    "aturan_pagu": st.fixed_dictionaries(
        {}, optional={"minimal_satu_per_desa": _ANY, "batas_per_desa": _ANY}
    ),
    "status": st.sampled_from(["draf", "hantu", ""]) | HOSTILE_TEXT,
    "pemungutan_ditutup": _ANY,
    "kantor_contoh": st.fixed_dictionaries(
        {"nama": HOSTILE_TEXT}, optional={"kop": st.dictionaries(HOSTILE_TEXT, _ANY, max_size=2)}
    ),
}


#: writer -> arguments it accepts, and the strategy of a hostile value for each of them.
_PLAIN: dict[str, dict[str, Any]] = {
    "peserta": {"nama": "Siti Aminah", "jenis_kelamin": "P"},
    "usulan": {"desa": "Japan", "kegiatan": "Sumur bor", "biaya": "5000000"},
    "acara": {"judul": "Tanya jawab", "mulai": "10:00", "selesai": "10:30"},
    "notulen": {"teks": "Disepakati", "jenis": "catatan"},
    "utusan": {"nama": "Budi Santoso"},
    "kriteria": {"nama": "Urgensi", "bobot": "20"},
    "suara": {"suara": 3},
}
_HOSTILE: dict[str, dict[str, st.SearchStrategy]] = {
    "peserta": dict.fromkeys(
        ["nama", "lembaga", "jabatan", "desa", "unsur", "telepon", "nik", "jenis_kelamin"],
        HOSTILE_TEXT,
    ),
    "usulan": {
        **dict.fromkeys(
            ["desa", "kegiatan", "lokasi", "permasalahan", "satuan", "sumber_dana", "catatan"],
            HOSTILE_TEXT,
        ),
        **dict.fromkeys(["volume", "penerima_manfaat", "biaya"], HOSTILE_NUMBER),
        "foto": HOSTILE_PHOTOS,
    },
    "acara": dict.fromkeys(["judul", "mulai", "selesai"], HOSTILE_TEXT),
    "notulen": {
        "teks": HOSTILE_TEXT,
        "jenis": st.sampled_from(["catatan", "tanggapan", "keputusan", "x"]),
        "pembicara_nama": HOSTILE_TEXT,
        "metode": st.sampled_from(["mufakat", "voting", "x"]),
        "hasil": HOSTILE_TEXT,
    },
    "utusan": dict.fromkeys(["nama", "jabatan", "lembaga"], HOSTILE_TEXT),
    "kriteria": {"nama": HOSTILE_TEXT, "kode": HOSTILE_TEXT, "bobot": HOSTILE_NUMBER},
    "suara": {"suara": st.integers(-5, 2**64) | st.booleans()},
}


@st.composite
def hostile_write(draw, writer: str) -> tuple[str, dict[str, Any]]:
    """(writer, its arguments): a plain record with one or two values a stranger could
    type, paste or import (one odd value among plain ones reaches the store when accepted);
    the header one value at a time."""
    if writer == "kepala":
        key = draw(st.sampled_from(sorted(_HEADER)))
        return writer, {key: draw(_HEADER[key])}
    odd = _HOSTILE[writer]
    keys = draw(st.lists(st.sampled_from(sorted(odd)), min_size=1, max_size=2, unique=True))
    return writer, {**_PLAIN[writer], **{key: draw(odd[key]) for key in keys}}


@st.composite
def hostile_session(draw) -> list[tuple[str, dict[str, Any]]]:
    """Two hostile writes through every writer, then a few to the header, in a random order
    (a stored status or closed vote then refuses what follows, as in the app)."""
    writes = [draw(hostile_write(writer)) for writer in sorted(_PLAIN) for _ in range(2)]
    writes += draw(st.lists(hostile_write("kepala"), min_size=1, max_size=4))
    return draw(st.permutations(writes))


def apply_hostile(forum: Forum, writes: list[tuple[str, dict[str, Any]]]) -> int:
    """Each write through the public writers; a refusal (``ValidationError``) is expected,
    any other error is not. Returns how many were accepted."""
    accepted = 0
    for writer, args in writes:
        try:
            _WRITERS[writer](forum, args)
        except ValidationError:
            continue
        accepted += 1
    return accepted


def _set_tally(forum: Forum, suara: Any) -> None:
    proposals = forum.proposals.all()
    if proposals:
        forum.priority.set_tally(proposals[0]["id"], suara)


#: writer -> how it is called with its drawn arguments, as the screens call it.
_WRITERS: dict[str, Callable[[Forum, dict[str, Any]], Any]] = {
    "peserta": lambda forum, args: forum.participants.add(**args),
    "usulan": lambda forum, args: forum.proposals.add(**args),
    "acara": lambda forum, args: forum.agenda.add(args["judul"], args["mulai"], args["selesai"]),
    "notulen": lambda forum, args: forum.minutes.add(**args),
    "kepala": lambda forum, args: forum.update_meta(**args),
    "utusan": lambda forum, args: forum.utusan.add(**args),
    "kriteria": lambda forum, args: forum.priority.set_criteria([*forum.priority.criteria(), args]),
    "suara": lambda forum, args: _set_tally(forum, args["suara"]),
}
