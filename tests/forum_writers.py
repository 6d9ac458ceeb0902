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

from store.demo import build_demo
from store.forum import Forum, open_forum
from store.importer import import_files
from store.intake import add_agency_proposal
from store.room import ROOM_ROLES
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
