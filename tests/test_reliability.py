"""The forum file under attack (issue 13): an erase that erases, one writer per file, harm
refused. A few cases of each kind here; ``tests/reliability.py`` runs the long series."""

from __future__ import annotations

import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import orjson
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from reliability_kit import (
    DAMAGE_KINDS,
    cli,
    cli_popen,
    damage,
    files_left_behind,
    grep,
    one_clear_line,
    people_csv,
    personal_needles,
    run_in_process,
    signed_forum_with_people,
    start_holder,
    verbs_on,
)

from store.backup import copy_to, list_backups, make_backup
from store.drafts import draft_path, save_drafts
from store.forum import open_forum
from store.storage import ForumDatabase
from store.storage_format import parse_forum

posix_only = pytest.mark.skipif(os.name == "nt", reason="kill -9, symlinks and mounts: POSIX")


def imported(forum) -> list:
    """The participants the CSV brought ("Warga N"), not those the setup added."""
    return [p for p in forum.participants.all() if p["nama"].startswith("Warga ")]


@pytest.fixture
def signed(tmp_path: Path, musrenbang_home: Path) -> tuple[Path, list]:
    return signed_forum_with_people(tmp_path, musrenbang_home, count=12)


# -- 1. purge-personal erases everywhere -----------------------------------------------------


def test_purge_leaves_no_personal_value_in_the_forum_its_backups_or_a_flash_copy(
    signed, tmp_path: Path, musrenbang_home: Path
) -> None:
    forum, people = signed
    needles = personal_needles(people)
    assert grep(files_left_behind(forum), needles), "the setup must hold personal values"
    assert len(list_backups(forum)) >= 3

    typed = {"judul": "Peserta baru", "nilai": {"telepon": "0812" + people[0][1][4:]}}
    save_drafts(forum, {"peserta-baru": typed})  # a walk-in form killed mid-typing
    assert grep([draft_path(forum)], needles)

    done = cli("purge-personal", forum, home=musrenbang_home)

    assert done.returncode == 0, done.stderr
    assert "12 peserta" in done.stdout
    assert not draft_path(forum).exists()
    flash = copy_to(forum, tmp_path / "flashdisk")
    everything = files_left_behind(forum) + flash
    assert len(flash) >= 2
    assert grep(everything, needles) == []
    with open_forum(forum, readonly=True) as opened:
        # only the personal values went (the chair make_ready registered is not one of them)
        assert len(imported(opened)) == 12


def test_a_flash_disk_copied_to_before_the_purge_is_mirrored_without_them_after(
    signed, tmp_path: Path, musrenbang_home: Path
) -> None:
    forum, people = signed
    flashdisk = tmp_path / "flashdisk"
    copy_to(forum, flashdisk)
    cli("purge-personal", forum, home=musrenbang_home)

    copies = copy_to(forum, flashdisk)

    on_flashdisk = files_left_behind(flashdisk / forum.name)
    assert sorted(on_flashdisk) == sorted(copies)
    assert grep(on_flashdisk, personal_needles(people)) == []


def test_audit_entries_hold_personal_values_masked_from_the_start(
    signed, musrenbang_home: Path
) -> None:
    forum, people = signed
    full = cli("dump", forum, "--lengkap", home=musrenbang_home).stdout
    audit = orjson.dumps(orjson.loads(full)["audit"])
    masked = cli("dump", forum, home=musrenbang_home).stdout

    assert grep_text(audit, people) == []
    assert grep_text(masked.encode(), people) == []
    assert b"0812******" in audit and "0812******" in masked
    nik, phone = people[0]
    assert nik in full and phone in full  # --lengkap still shows the record itself


def grep_text(data: bytes, people: list[tuple[str, str]]) -> list[bytes]:
    return [needle for needle in personal_needles(people) if needle in data]


def test_purge_audit_entry_records_no_old_value(signed, musrenbang_home: Path) -> None:
    forum, _people = signed
    cli("purge-personal", forum, home=musrenbang_home)
    with open_forum(forum, readonly=True) as opened:
        erase = [
            e
            for e in opened.audit()
            if e["tabel"] == "participants"
            and e["aksi"] == "ubah"
            and {"nik", "telepon"} & set(e["baru"])
        ]
    assert erase and all(set(e["lama"].values()) == {""} for e in erase)


# -- 2. one writer per file, whatever its path ------------------------------------------------


def holder(path: Path) -> subprocess.Popen:
    process = start_holder(path)
    assert process.stdout.readline().strip() == "ready", process.stderr.read()
    return process


@posix_only
@pytest.mark.parametrize("held_through", ["real", "link"])
def test_a_second_writer_through_a_symlink_is_refused(
    tmp_path: Path, musrenbang_home: Path, held_through: str
) -> None:
    real = tmp_path / "data" / "asli.musrenbang"
    real.parent.mkdir()
    ForumDatabase.create(real, {"t": {1: {"a": 1}}}, operator="x").close()
    link = tmp_path / "pintasan.musrenbang"
    link.symlink_to(real)
    first, second = (real, link) if held_through == "real" else (link, real)
    process = holder(first)
    try:
        done = cli("sign", second, "--role", "notulis", "--name", "X", home=musrenbang_home)
    finally:
        process.kill()
        process.wait()
    assert done.returncode == 3, done.stderr
    assert "Wati" in done.stderr


@posix_only
def test_compaction_through_a_symlink_keeps_the_link_and_every_write(tmp_path: Path) -> None:
    real = tmp_path / "asli.musrenbang"
    ForumDatabase.create(real, {"t": {1: {"n": 0}}}, operator="x").close()
    link = tmp_path / "pintasan.musrenbang"
    link.symlink_to(real)
    with ForumDatabase.open(link, operator="x") as db:
        for n in range(1, 30):
            db.table("t").insert({"n": n})
        db.compact()
        db.table("t").insert({"n": 30})

    assert link.is_symlink() and os.readlink(link) == str(real)
    assert not list(tmp_path.glob("*.tmp"))
    image = parse_forum(real.read_bytes())
    assert sorted(d["n"] for d in image.state.tables["t"].values()) == list(range(31))


@posix_only
def test_a_hard_linked_forum_is_refused_for_writing_with_the_reason(
    tmp_path: Path, musrenbang_home: Path
) -> None:
    real = tmp_path / "asli.musrenbang"
    ForumDatabase.create(real, {"t": {1: {"a": 1}}}, operator="x").close()
    other = tmp_path / "lain.musrenbang"
    os.link(real, other)

    for name in (real, other):
        done = cli("sign", name, "--role", "notulis", "--name", "X", home=musrenbang_home)
        assert done.returncode == 2
        assert "tautan keras" in done.stderr and "Traceback" not in done.stderr
    assert cli("dump", other, home=musrenbang_home).returncode in (0, 2)  # reading is fine


@posix_only
def test_a_hard_link_made_while_open_postpones_compaction_so_no_write_is_lost(
    tmp_path: Path, musrenbang_home: Path
) -> None:
    real = tmp_path / "asli.musrenbang"
    ForumDatabase.create(real, {"t": {1: {"n": 0}}}, operator="x").close()
    other = tmp_path / "lain.musrenbang"
    db = ForumDatabase.open(real, operator="x")
    os.link(real, other)
    db.table("t").insert({"n": 1})
    with pytest.raises(OSError):
        db.compact()
    db.table("t").insert({"n": 2})
    refused = cli("sign", other, "--role", "notulis", "--name", "X", home=musrenbang_home)
    db.close()

    assert refused.returncode == 2
    for name in (real, other):  # both names still one file with every write
        ns = sorted(d["n"] for d in parse_forum(name.read_bytes()).state.tables["t"].values())
        assert ns == [0, 1, 2]


def test_a_bind_mounted_forum_file_never_gets_a_second_writer(tmp_path: Path) -> None:
    """A forum file mounted at another path (root, private mount namespace): writing
    through that path is refused with the reason (exit 2), and so is reading; with the mount
    table hidden, the lock on the file's identity alone refuses it, before and after the
    holder's compactions; and no write goes to a deleted copy."""
    real = tmp_path / "asli.musrenbang"
    ForumDatabase.create(real, {"counter": {1: {"value": 0}}}, operator="x").close()
    bound = tmp_path / "lain" / "pasang.musrenbang"
    bound.parent.mkdir()
    bound.touch()
    child = f"{sys.executable} {Path(__file__).with_name('storage_writer_child.py')}"
    refused = "^store.lock.ForumLocked"
    done = in_private_mounts(
        f"mount --bind {real} {bound} || exit 97\n"
        f"$M sign {bound} --role notulis --name X; echo sign=$?\n"
        f"{sys.executable} -c 'from store.storage import ForumDatabase as F\n"
        "from store.storage_errors import ForumPathError\n"
        f'try: F.open("{bound}", readonly=True).close()\n'
        "except ForumPathError: raise SystemExit(5)'; echo read=$?\n"
        f"{child} hold {real} Wati > {tmp_path}/holder.out 2>&1 & HOLDER=$!\n"
        f"for i in $(seq 100); do grep -q ready {tmp_path}/holder.out && break; sleep 0.1; done\n"
        f"timeout 20 {child} hold {bound} Budi --blind-to-mounts 2>&1 | grep -q {refused} "
        "&& echo blind_held=refused\n"
        "kill -9 $HOLDER; wait $HOLDER\n"
        f"{child} write {real} 40 --compact-every 5 > /dev/null; echo wrote=$?\n"
        f"timeout 20 {child} hold {bound} Budi --blind-to-mounts 2>&1 | grep -q {refused} "
        "&& echo blind_after_compaction=refused\n"
    )
    if done.returncode == 97:
        pytest.skip(f"mount --bind refused: {done.stderr.strip()}")
    out = done.stdout
    assert "sign=2" in out and "read=5" in out, out + done.stderr
    assert "dipasang (mount) dari lokasi lain" in done.stderr and "Traceback" not in done.stderr
    assert "blind_held=refused" in out  # the identity lock alone refuses it while held
    assert "wrote=0" in out
    assert "blind_after_compaction=refused" in out  # a deleted copy is never locked for writing
    image = parse_forum(real.read_bytes())
    assert image.state.tables["counter"]["1"]["value"] == 40


def test_a_reader_of_a_bind_mounted_file_is_told_to_open_the_real_path(
    tmp_path: Path, musrenbang_home: Path
) -> None:
    """After the real side compacted, the mount shows the deleted old copy: ``export
    --hanya-baca``, ``dump`` and ``check`` through it refuse (exit 2, one line) instead of
    reading stale data; through the real path they read the current forum."""
    real = tmp_path / "asli.musrenbang"
    cli("new", real, "--level", "desa", "--wilayah", "35.16.13.2009", "--tahun", "2027",
        home=musrenbang_home)  # fmt: skip
    bound = tmp_path / "lain" / "pasang.musrenbang"
    bound.parent.mkdir()
    bound.touch()
    out = tmp_path / "dh.docx"
    env = f"MUSRENBANG_HOME={musrenbang_home}"
    done = in_private_mounts(
        f"mount --bind {real} {bound} || exit 97\n"
        f"{sys.executable} -c 'from store.forum import open_forum as o; "
        f'f = o("{real}"); f.update_meta(tempat="Balai"); f.compact(); f.close()\'\n'
        f"{env} $M export {bound} --doc daftar-hadir --out {out} --hanya-baca; echo export=$?\n"
        f"{env} $M dump {bound} > /dev/null; echo dump=$?\n"
        f"{env} $M check {bound}; echo check=$?\n"
        f"{env} $M check {real}; echo real=$?\n"
    )
    if done.returncode == 97:
        pytest.skip(f"mount --bind refused: {done.stderr.strip()}")
    assert "export=2" in done.stdout and "dump=2" in done.stdout, done.stdout + done.stderr
    assert "check=2" in done.stdout and "real=0" in done.stdout
    assert not out.exists()
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 3 and all("lokasi aslinya" in line for line in lines), lines


def test_a_forum_named_by_a_file_descriptor_path_is_opened_as_given(
    tmp_path: Path, musrenbang_home: Path
) -> None:
    forum = tmp_path / "a.musrenbang"
    cli("new", forum, "--level", "desa", "--wilayah", "35.16.13.2009", "--tahun", "2027",
        home=musrenbang_home)  # fmt: skip
    if not Path("/proc/self/fd").is_dir():
        pytest.skip("no /proc on this system")
    with forum.open("rb") as held:
        done = subprocess.run(
            [sys.executable, "-m", "tui.cli.main", "check", f"/proc/self/fd/{held.fileno()}"],
            env={**os.environ, "MUSRENBANG_HOME": str(musrenbang_home)},
            pass_fds=(held.fileno(),),
            capture_output=True,
            text=True,
            cwd=Path(__file__).resolve().parent.parent,
        )
    assert done.returncode == 0, done.stderr
    assert "utuh" in done.stdout


def test_a_bare_name_found_nowhere_names_both_places_looked(musrenbang_home: Path) -> None:
    done = cli("check", "tidakada", home=musrenbang_home)  # run in the project's folder
    assert done.returncode == 2
    here = Path(__file__).resolve().parent.parent
    assert f"folder ini ({here})" in done.stderr
    assert str(musrenbang_home / "forum") in done.stderr
    assert len(done.stderr.splitlines()) == 1


# -- 3. refuse what would do harm --------------------------------------------------------------


def test_restore_refuses_a_backup_of_another_forum_unless_forced(
    tmp_path: Path, musrenbang_home: Path
) -> None:
    mine, theirs = tmp_path / "a.musrenbang", tmp_path / "b.musrenbang"
    for path, wilayah in ((mine, "35.16.13"), (theirs, "35.16.01")):
        cli("new", path, "--level", "kecamatan", "--wilayah", wilayah, "--tahun", "2027",
            home=musrenbang_home)  # fmt: skip
    before = mine.read_bytes()

    refused = cli("restore", mine, theirs, home=musrenbang_home)
    forced = cli("restore", mine, theirs, "--paksa", home=musrenbang_home)

    assert refused.returncode == 2 and "forum lain" in refused.stderr
    assert "--paksa" in refused.stderr and len(refused.stderr.splitlines()) == 1
    ids = [
        parse_forum(p.read_bytes()).state.tables["meta"]["1"]["forum_id"][:8]
        for p in (mine, theirs)
    ]
    assert all(f"id {short}," in refused.stderr for short in ids)  # what differs is named
    assert refused.stderr.count("0 peserta, 0 usulan") == 2
    assert forced.returncode == 0 and mine.read_bytes() == theirs.read_bytes() != before


def test_restore_of_its_own_backup_needs_no_force(tmp_path: Path, musrenbang_home: Path) -> None:
    forum = tmp_path / "a.musrenbang"
    cli("new", forum, "--level", "desa", "--wilayah", "35.16.13.2009", "--tahun", "2027",
        home=musrenbang_home)  # fmt: skip
    backup = make_backup(forum)
    assert cli("restore", forum, backup, home=musrenbang_home).returncode == 0


@posix_only
def test_new_in_a_folder_that_cannot_hold_a_forum_is_exit_2_with_its_reason(
    musrenbang_home: Path,
) -> None:
    if not Path("/proc/self").exists():
        pytest.skip("no /proc on this system")
    done = cli("new", "/proc/x", "--level", "desa", "--wilayah", "35.16.13.2009",
               "--tahun", "2027", home=musrenbang_home)  # fmt: skip
    assert done.returncode == 2
    assert "/proc/x.musrenbang" in done.stderr and "pid 0" not in done.stderr


def in_private_mounts(script: str) -> subprocess.CompletedProcess:
    """Run a shell script in its own mount namespace (root only), with this project's CLI
    as ``$M``; skip when this machine does not allow it."""
    if os.name == "nt" or os.geteuid() != 0 or not shutil.which("unshare"):
        pytest.skip("needs root and unshare -m for a private mount")
    probe = subprocess.run(["unshare", "-m", "true"], capture_output=True)
    if probe.returncode != 0:
        pytest.skip(f"unshare -m refused: {probe.stderr.decode().strip()}")
    cli_cmd = f"{sys.executable} -m tui.cli.main"
    return subprocess.run(
        ["unshare", "-m", "sh", "-c", f"M='{cli_cmd}'\n{script}"],
        cwd=Path(__file__).resolve().parent.parent,
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_new_on_a_full_disk_names_the_file(tmp_path: Path) -> None:
    disk = tmp_path / "disk"
    disk.mkdir()
    done = in_private_mounts(
        f"mount -t tmpfs -o size=8k tmpfs {disk} || exit 97\n"
        f"head -c 8192 /dev/zero > {disk}/isi 2>/dev/null\n"
        f"$M new {disk}/penuh --level desa --wilayah 35.16.13.2009 --tahun 2027; echo rc=$?\n"
        f"ls {disk}\n"
    )
    if "rc=" not in done.stdout:
        pytest.skip(f"no tmpfs: {done.stderr.strip()}")
    assert "rc=2" in done.stdout, done.stdout + done.stderr
    assert f"{disk}/penuh.musrenbang" in done.stderr and "disk penuh" in done.stderr
    assert "Traceback" not in done.stderr
    assert "penuh.musrenbang\n" not in done.stdout  # no half-made forum left behind


def test_a_forum_on_read_only_media_is_read_and_exported_with_hanya_baca(
    demo_forum_path: Path, tmp_path: Path
) -> None:
    media = tmp_path / "media"
    media.mkdir()
    shutil.copy(demo_forum_path, media / "d.musrenbang")
    out = tmp_path / "out"
    out.mkdir()
    home = demo_forum_path.parent.parent
    done = in_private_mounts(
        f"export MUSRENBANG_HOME={home}\n"
        f"mount --bind -o ro {media} {media} || exit 97\n"
        f"$M export {media}/d --doc rekap --out {out}/a.docx; echo rc1=$?\n"
        f"$M export {media}/d --doc rekap --out {out}/b.docx --hanya-baca; echo rc2=$?\n"
        f"$M dump {media}/d --hanya-baca > {out}/dump.json; echo rc3=$?\n"
        f"$M open {media}/d --hanya-baca --exit-when-ready > /dev/null; echo rc4=$?\n"
        f"ls -A {media}\n"
    )
    if "rc1=" not in done.stdout:
        pytest.skip(f"no read-only bind mount: {done.stderr.strip()}")
    assert "rc1=2" in done.stdout and "--hanya-baca" in done.stderr
    assert "rc2=0" in done.stdout and (out / "b.docx").stat().st_size > 0
    assert "rc3=0" in done.stdout and orjson.loads((out / "dump.json").read_bytes())["meta"]
    assert "rc4=0" in done.stdout
    assert done.stdout.strip().endswith("d.musrenbang")  # nothing written beside it


@pytest.mark.parametrize("kind", sorted(DAMAGE_KINDS))
def test_every_verb_refuses_a_damaged_forum_in_one_line_naming_the_backup(
    demo_forum_path: Path, tmp_path: Path, kind: str
) -> None:
    make_backup(demo_forum_path)
    damage(demo_forum_path, DAMAGE_KINDS[kind])
    before = demo_forum_path.read_bytes()
    for args in verbs_on(demo_forum_path, tmp_path):
        code, stderr = run_in_process(*args)
        assert one_clear_line(str(args[0]), code, stderr) is None
        if args[0] != "check":
            assert "Cadangan terbaru yang baik" in stderr, (args, stderr)
    assert demo_forum_path.read_bytes() == before  # nothing changed


_FUZZ_VALUES = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=8),
    st.lists(st.integers(), max_size=3),
    st.dictionaries(st.text(max_size=4), st.integers(), max_size=2),
)


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.data())
def test_fuzz_a_spoiled_field_never_makes_a_verb_crash(demo_forum_path: Path, data) -> None:
    """Any field of any record set to any JSON value: each verb works (exit 0) or refuses
    in one clear line; never a traceback."""
    master = demo_forum_path.read_bytes()
    with tempfile.TemporaryDirectory() as scratch:
        work = Path(scratch)
        forum = work / "f.musrenbang"
        forum.write_bytes(master)
        tables = parse_forum(master).state.tables
        table = data.draw(st.sampled_from(sorted(t for t in tables if tables[t])))
        key = data.draw(st.sampled_from(sorted(tables[table])))
        field = data.draw(st.sampled_from(sorted(tables[table][key])))
        value = data.draw(_FUZZ_VALUES)

        def spoil(raw: dict, _counters: dict) -> None:
            raw[table][key][field] = value

        damage(forum, spoil)
        for args in random.Random(0).sample(verbs_on(forum, work), 5):
            code, stderr = run_in_process(*args)
            if code != 0:
                assert one_clear_line(str(args[0]), code, stderr) is None


# -- 4. kill -9 in the middle, a few times (tests/reliability.py: 50 each) ---------------------


@posix_only
def test_kill_9_during_purge_then_purge_again_leaves_nothing_and_loses_no_one(
    signed, tmp_path: Path, musrenbang_home: Path
) -> None:
    forum, people = signed
    master = {p: p.read_bytes() for p in files_left_behind(forum)}
    for delay in (0.05, 0.3, 0.6):
        for path, content in master.items():
            path.write_bytes(content)
        process = cli_popen("purge-personal", forum, home=musrenbang_home)
        time.sleep(delay)
        process.send_signal(signal.SIGKILL)
        process.wait()
        with open_forum(forum, readonly=True) as opened:  # readable after any kill
            assert len(imported(opened)) == len(people)
        again = cli("purge-personal", forum, home=musrenbang_home)
        assert again.returncode == 0, again.stderr
        assert grep(files_left_behind(forum), personal_needles(people)) == []


@posix_only
def test_kill_9_during_import_keeps_a_file_whole(tmp_path: Path, musrenbang_home: Path) -> None:
    forum = tmp_path / "f.musrenbang"
    cli("new", forum, "--level", "kecamatan", "--wilayah", "35.16.13", "--tahun", "2027",
        home=musrenbang_home)  # fmt: skip
    acknowledged = 0
    for round_, delay in enumerate((0.1, 0.4, 0.8, 5.0)):
        people_csv(tmp_path / "p.csv", 30, start=100 * round_)
        process = cli_popen("import", forum, tmp_path / "p.csv", home=musrenbang_home)
        time.sleep(delay)
        process.send_signal(signal.SIGKILL)
        if process.wait() == 0:
            acknowledged += 30
        with open_forum(forum, readonly=True) as opened:
            count = len(opened.participants.all())
        assert count % 30 == 0 and count >= acknowledged  # all of a file or none of it


FREE_TEXT = {
    "nik": ("3516 1312 3456 0009", b"3516131234560009"),
    "hp": ("0812–3456–7891", b"81234567891"),
    "rumah": ("(0321) 555 1234", b"3215551234"),
}


def _digits_of(data: bytes) -> bytes:
    return bytes(c for c in data if 48 <= c <= 57)


def test_purge_masks_numbers_typed_into_free_text_everywhere(tmp_path: Path) -> None:
    from tests.forum_factory import make_forum, make_ready

    nik, phone, landline = (written for written, _ in FREE_TEXT.values())
    path = tmp_path / "bebas.musrenbang"
    with make_forum(path) as forum:
        forum.agenda.add_standard()
        forum.agenda.start(forum.agenda.all()[0]["id"])
        forum.minutes.add(f"Warga NIK {nik} minta dihubungi di {phone}")
        forum.proposals.add(
            desa="Japan",
            kegiatan="Sumur bor",
            biaya="5.000.000",
            lokasi=f"Rumah Pak Budi, telp {landline}",
            catatan=f"Narahubung {phone}",
        )
        forum.participants.add(nama="Budi", jabatan=f"Ketua RT (HP {phone})")
        make_ready(forum)
        forum.signoff.finalize()
        for role in forum.signoff.required_roles():
            forum.signoff.sign(role, "Penanda", nip="19720315 199703 1 004" * (role == "sekcam"))
    for _ in range(3):  # reopened: backups hold the free text too
        with open_forum(path) as forum:
            forum.refresh()
    before = files_left_behind(path)
    assert all(
        any(digits in _digits_of(p.read_bytes()) for p in before)
        for _, digits in FREE_TEXT.values()
    ), "the setup must hold the numbers"

    with open_forum(path) as forum:
        forum.signoff.purge_personal()
        assert "******" in forum.proposals.all()[0]["lokasi"]

    flash = copy_to(path, tmp_path / "flashdisk")
    for file in files_left_behind(path) + flash:
        data = file.read_bytes()
        for name, (_, digits) in FREE_TEXT.items():
            # digits only, so no separator or JSON escape hides a survivor
            assert digits not in _digits_of(data), (file.name, name)
    assert check_problems(path) == []


def check_problems(path: Path) -> list[str]:
    from store.integrity import check_forum

    return check_forum(path)
