import os

import pytest

from microforge.atomic import atomic_dir, atomic_write_bytes, atomic_write_text


def test_atomic_dir_replaces_only_on_success(tmp_path):
    target = tmp_path / "out"
    with atomic_dir(target) as tmp:
        (tmp / "a.txt").write_text("first")
    assert (target / "a.txt").read_text() == "first"

    with pytest.raises(RuntimeError), atomic_dir(target) as tmp:
        (tmp / "a.txt").write_text("half-written")
        raise RuntimeError("stage failed")
    assert (target / "a.txt").read_text() == "first"  # the last good output is intact
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]  # no temp folder left

    with atomic_dir(target) as tmp:
        (tmp / "b.txt").write_text("second")
    assert sorted(p.name for p in target.iterdir()) == ["b.txt"]


def test_outputs_follow_the_umask(tmp_path):
    old = os.umask(0o022)
    try:
        atomic_write_text(tmp_path / "r.json", "{}")
        with atomic_dir(tmp_path / "d") as tmp:
            atomic_write_bytes(tmp / "x.bin", b"\\0")
    finally:
        os.umask(old)
    assert (tmp_path / "r.json").stat().st_mode & 0o777 == 0o644
    assert (tmp_path / "d").stat().st_mode & 0o777 == 0o755
    assert (tmp_path / "d" / "x.bin").stat().st_mode & 0o777 == 0o644


def test_atomic_write_json_writes_numpy_values_as_plain_json(tmp_path):
    import json
    from pathlib import Path

    import numpy as np

    from microforge.atomic import atomic_write_json

    atomic_write_json(tmp_path / "f.json", {"a": np.arange(3), "b": np.float32(0.5), "p": Path("x")})
    assert json.loads((tmp_path / "f.json").read_text()) == {"a": [0, 1, 2], "b": 0.5, "p": "x"}
    with pytest.raises(TypeError, match="object"):
        atomic_write_json(tmp_path / "g.json", {"bad": object()})
    assert not (tmp_path / "g.json").exists()


# -- hostile file system: locks, files in the way, killed runs, read-only folders ------------

def test_output_onto_an_existing_file_is_an_error(tmp_path):
    from microforge.errors import OutputError

    target = tmp_path / "out"
    target.write_text("mine")
    with pytest.raises(OutputError, match="exists and is not a folder"), atomic_dir(target):
        pass
    assert target.read_text() == "mine"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]


def test_a_second_writer_fails_in_one_line_while_the_first_holds_the_lock(tmp_path):
    import subprocess
    import sys

    from microforge.errors import OutputError

    target = tmp_path / "out"
    holder = subprocess.Popen(
        [sys.executable, "-c", "import sys, time\nfrom microforge.atomic import atomic_dir\n"
         f"with atomic_dir({str(target)!r}) as tmp:\n    print('in', flush=True)\n"
         "    time.sleep(30)\n"], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "in"
        with pytest.raises(OutputError) as info, atomic_dir(target):
            pass
        message = str(info.value)
        assert "\n" not in message and f"pid {holder.pid}" in message and str(target) in message
    finally:
        holder.kill()
        holder.wait()
    # the kill dropped the lock: the next run takes over and removes the dead run's temp folder
    with atomic_dir(target) as tmp:
        (tmp / "a").write_text("x")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]


def test_nested_atomic_dirs_on_one_target_share_the_lock(tmp_path):
    target = tmp_path / "out"
    with atomic_dir(target) as outer:
        with atomic_dir(target) as inner:
            (inner / "a").write_text("inner")
        (outer / "b").write_text("outer")
    assert sorted(p.name for p in target.iterdir()) == ["b"]


def test_stale_temp_folders_of_dead_runs_are_removed(tmp_path):
    import subprocess
    import sys
    import time

    from microforge.atomic import STALE_SECONDS, remove_stale_temp

    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    target = tmp_path / "out"
    target.mkdir()  # the new output took the place of the old one before the kill
    stale = [tmp_path / f".out.tmp.{dead.pid}.abc", tmp_path / f".out.old.{dead.pid}"]
    alive = tmp_path / f".out.tmp.{os.getppid()}.xyz"  # a live process: kept...
    old_alive = tmp_path / f".out.tmp.{os.getppid()}.old"  # ...unless older than a day
    other = tmp_path / f".other.tmp.{dead.pid}.abc"  # another output's: not ours to remove
    for folder in (*stale, alive, old_alive, other):
        folder.mkdir()
        (folder / "f").write_text("x")
    past = time.time() - STALE_SECONDS - 60
    os.utime(old_alive, (past, past))
    removed = remove_stale_temp(target)
    assert sorted(removed) == sorted([*stale, old_alive])
    assert alive.exists() and other.exists()


def test_read_only_folder_is_one_line_and_keeps_the_previous_output(tmp_path, monkeypatch):
    import errno
    import tempfile

    from microforge.errors import OutputError

    target = tmp_path / "out"
    with atomic_dir(target) as tmp:
        (tmp / "a").write_text("first")
    tmp_path.chmod(0o555)
    if os.geteuid() == 0:  # root writes into read-only folders: the OS error it would get
        def refuse(*args, **kwargs):
            raise PermissionError(errno.EACCES, "Permission denied")

        monkeypatch.setattr(tempfile, "mkdtemp", refuse)
    try:
        with pytest.raises(OutputError, match="cannot write here") as info, atomic_dir(target):
            pass
        assert "\n" not in str(info.value)
    finally:
        tmp_path.chmod(0o755)
    assert (target / "a").read_text() == "first"


def test_full_disk_while_writing_keeps_the_previous_output(tmp_path):
    import errno

    target = tmp_path / "out"
    with atomic_dir(target) as tmp:
        (tmp / "a").write_text("first")
    with pytest.raises(OSError), atomic_dir(target) as tmp:
        (tmp / "a").write_text("half")
        raise OSError(errno.ENOSPC, "No space left on device", str(tmp / "a"))
    assert (target / "a").read_text() == "first"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]


def test_an_old_output_left_by_a_kill_between_the_renames_is_put_back(tmp_path):
    import subprocess
    import sys

    from microforge.atomic import remove_stale_temp

    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    old = tmp_path / f".out.old.{dead.pid}"
    old.mkdir()
    (old / "a").write_text("last good")
    assert remove_stale_temp(tmp_path / "out") == []
    assert (tmp_path / "out" / "a").read_text() == "last good" and not old.exists()
