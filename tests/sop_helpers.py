"""Forums and bundles for the SOP chain tests: desa forums from the sample CSV, signed off,
bundled by their own office (each office its own ``MUSRENBANG_HOME``, so its own key)."""

from __future__ import annotations

from pathlib import Path

import pytest

from exports.bundle import write_bundle
from store.forum import Forum, create_forum
from store.import_files import parse_import
from store.importer import import_records
from store.regions import find_desa
from store.room import ROOM_ROLES
from tests.forum_factory import StepClock, make_ready, present_name

SAMPLE_CSV = Path(__file__).parent / "data" / "usulan-contoh.csv"
SOOKO = "35.16.13"
JATIREJO = "35.16.01"  # another kecamatan of Kab. Mojokerto
DESA_ROLES = ("kepala-desa", "ketua-bpd", "wakil-masyarakat")


def use_office(monkeypatch: pytest.MonkeyPatch, root: Path, name: str) -> Path:
    """Work as office ``name`` from now on (its own data dir, kantor.json and key)."""
    home = root / f"kantor-{name}"
    home.mkdir(parents=True, exist_ok=True)
    monkeypatch.setenv("MUSRENBANG_HOME", str(home))
    return home


def sample_rows(desa: str, folder: Path) -> Path:
    """The sample CSV's rows of one desa, as a CSV file of their own."""
    lines = SAMPLE_CSV.read_text(encoding="utf-8").splitlines()
    own = [line for line in lines[1:] if line.split(",", 1)[0] == desa]
    target = folder / f"usulan-{desa}.csv"
    target.write_text("\n".join([lines[0], *own]) + "\n", encoding="utf-8")
    return target


def desa_forum(
    path: Path,
    desa: str,
    *,
    tahun: int = 2027,
    kecamatan: str = SOOKO,
    clock: StepClock | None = None,
    with_rows: bool = True,
) -> Forum:
    """A desa forum with date, time, place and chair; the sample CSV rows of that desa."""
    place = find_desa(desa, kecamatan)
    assert place is not None, desa
    forum = create_forum(
        path,
        operator="Uji",
        clock=clock or StepClock(),
        level="desa",
        wilayah=place.code,
        tahun=tahun,
        tanggal="2026-01-20",
        pukul="09:00",
        tempat=f"Balai Desa {place.name}",
        pimpinan=f"Kepala Desa {place.name}",
    )
    if with_rows:
        rows = sample_rows(desa, path.parent)
        report = import_records(forum, parse_import(rows, wilayah_kode=place.code), rows)
        assert report.ok, report.describe()
    return forum


def sign_desa(forum: Forum) -> None:
    """Finalize and sign by the three roles a desa forum needs."""
    make_ready(forum).signoff.finalize()
    for role in DESA_ROLES:
        forum.signoff.sign(role, present_name(forum) if role in ROOM_ROLES else f"Penanda {role}")


def kecamatan_forum(path: Path, *, tahun: int = 2027, clock: StepClock | None = None) -> Forum:
    return create_forum(
        path,
        operator="Kasi",
        clock=clock or StepClock(),
        level="kecamatan",
        wilayah=SOOKO,
        tahun=tahun,
        tanggal="2026-02-12",
        pukul="08:00",
        tempat="Pendopo Kecamatan Sooko",
        pimpinan="Camat Sooko",
        pagu=1_000_000_000,
    )


def signed_bundle(
    monkeypatch: pytest.MonkeyPatch,
    root: Path,
    desa: str,
    *,
    tahun: int = 2027,
    kecamatan: str = SOOKO,
    sign: bool = True,
    documents: bool = False,
) -> Path:
    """A desa office makes its forum, signs it off and writes its bundle (its own key)."""
    use_office(monkeypatch, root, f"desa-{desa}-{tahun}")
    folder = root / f"desa-{desa}-{tahun}"
    folder.mkdir(parents=True, exist_ok=True)
    own = kecamatan == SOOKO
    path = folder / f"{desa}.musrenbang"
    with desa_forum(path, desa, tahun=tahun, kecamatan=kecamatan, with_rows=own) as forum:
        if not own:  # the sample CSV has Sooko's desa only
            forum.proposals.add(desa=desa, kegiatan="Rehabilitasi jalan desa", biaya="90000000")
        if sign:
            sign_desa(forum)
        return write_bundle(forum, folder / f"bundel-{desa}.zip", documents=documents)
