"""The SOP chain through the real command line: desa bundle out, kecamatan intake in."""

from __future__ import annotations

from pathlib import Path

from store.forum import open_forum
from tests.forum_factory import make_ready, present_name
from tests.test_cli_store import DATA, DESA_JAPAN, KECAMATAN_SOOKO, run


def japan_rows(tmp_path: Path) -> Path:
    lines = (DATA / "usulan-contoh.csv").read_text(encoding="utf-8").splitlines()
    rows = [lines[0], *[line for line in lines[1:] if line.startswith("Japan,")]]
    target = tmp_path / "usulan-japan.csv"
    target.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return target


def test_desa_bundle_exported_and_taken_in_by_the_kecamatan(tmp_path):
    desa_home, kec_home = tmp_path / "desa-home", tmp_path / "kec-home"
    desa = tmp_path / "japan.musrenbang"
    run(
        "new",
        str(desa),
        *DESA_JAPAN,
        "--tempat",
        "Balai Desa Japan",
        "--pimpinan",
        "Kepala Desa Japan",
        home=desa_home,
    )
    run("import", str(desa), str(japan_rows(tmp_path)), home=desa_home)
    with open_forum(desa, operator="Uji") as forum:
        make_ready(forum)  # people, materi and BA number have no CLI verb (the app sets them)
    run("finalize", str(desa), "--lanjutkan", home=desa_home)
    with open_forum(desa, operator="Uji") as forum:
        wakil = present_name(forum)  # the wakil masyarakat signs from the room (store.room)
    for role, nama in (
        ("kepala-desa", "Kades"),
        ("ketua-bpd", "Ketua"),
        ("wakil-masyarakat", wakil),
    ):
        run("sign", str(desa), "--role", role, "--name", nama, home=desa_home)
    bundle = tmp_path / "bundel-japan.zip"
    out = run("export", str(desa), "--doc", "bundle", "--out", str(bundle), home=desa_home)
    assert bundle.exists() and "sidik kunci" in out.stdout

    kec = tmp_path / "sooko.musrenbang"
    run(
        "new",
        str(kec),
        *KECAMATAN_SOOKO,
        home=kec_home,
    )
    untrusted = run("import", str(kec), str(bundle), home=kec_home, check_code=1)
    assert untrusted.stderr.strip()
    with open_forum(kec, readonly=True) as forum:
        assert forum.proposals.all() == []
    run("import", str(kec), str(bundle), "--trust", home=kec_home)
    with open_forum(kec, readonly=True) as forum, open_forum(desa, readonly=True) as source:
        taken = forum.proposals.all()
        assert len(taken) == len(source.proposals.all()) > 0
        assert {p["desa"] for p in taken} == {"Japan"}
        assert all(p["asal"]["jenis"] == "desa" for p in taken)


def test_unfunded_proposals_carried_into_next_year_once(tmp_path):
    home = tmp_path / "home"
    this_year, next_year = tmp_path / "japan-2027.musrenbang", tmp_path / "japan-2028.musrenbang"
    run("new", str(this_year), *DESA_JAPAN, home=home)
    run("import", str(this_year), str(japan_rows(tmp_path)), home=home)
    with open_forum(this_year) as forum:
        first, second = forum.proposals.all()[:2]
        forum.proposals.set_status(first["id"], "cadangan", "melebihi sisa pagu")
        forum.proposals.set_status(second["id"], "diakomodir")
    run("new", str(next_year), *[a if a != "2027" else "2028" for a in DESA_JAPAN], home=home)
    out = run("bawa", str(this_year), str(next_year), home=home)
    assert out.stdout.startswith("1 usulan")
    again = run("bawa", str(this_year), str(next_year), home=home)
    assert again.stdout.startswith("0 usulan") and "1 sudah pernah dibawa" in again.stdout
    with open_forum(next_year, readonly=True) as forum:
        [carried] = forum.proposals.all()
        assert carried["kegiatan"] == first["kegiatan"]
        assert carried["riwayat"][-1]["status"] == "cadangan"
        assert carried["riwayat"][-1]["alasan"] == "melebihi sisa pagu"
