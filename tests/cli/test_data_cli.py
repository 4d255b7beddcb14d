from microforge.cli import main
from tests.data.files import csv_dataset, write_csv


def test_inspect_prints_table(tmp_path, capsys):
    csv_dataset(tmp_path / "d")
    code = main(["data", "inspect", str(tmp_path / "d"), "--timestamp-column", "timestamp"])
    out = capsys.readouterr().out
    assert code == 0
    assert "recordings" in out and "│ a " in out and "sample rate 50 Hz" in out
    assert "no problems found" in out


def test_missing_folder_exit_2_without_traceback(tmp_path, capsys):
    code = main(["data", "inspect", str(tmp_path / "missing")])
    captured = capsys.readouterr()
    assert code == 2
    assert "no such folder" in captured.err and "Traceback" not in captured.err + captured.out


def test_ragged_csv_and_bad_format(tmp_path, capsys):
    write_csv(tmp_path / "a" / "r.csv", [], lines=["1,2", "3"])
    assert main(["data", "inspect", str(tmp_path), "--sample-rate", "10"]) == 2
    assert "line 2: 1 values, expected 2" in capsys.readouterr().err
    assert main(["data", "inspect", str(tmp_path), "--format", "xls"]) == 2
    assert "unknown format 'xls'" in capsys.readouterr().err


def test_real_uci_har_format(shared_data, capsys):
    code = main(["data", "inspect", str(shared_data / "datasets" / "uci_har_test")])
    out = capsys.readouterr().out
    assert code == 0 and "WALKING_UPSTAIRS" in out and "2947 recordings, 9 groups" in out


def test_errors_name_the_flag_as_well_as_the_field(tmp_path, capsys):
    import numpy as np

    (tmp_path / "a").mkdir()
    np.save(tmp_path / "a" / "r.npy", np.zeros(10))
    assert main(["data", "inspect", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert "set dataset.sample_rate (--sample-rate)" in err and "Traceback" not in err


def test_class_by_group_table(tmp_path, capsys):
    for label, groups in (("walk", ("alice", "bob")), ("idle", ("alice",))):
        for g in groups:
            write_csv(tmp_path / label / g / "r.csv", [[0, 1], [1, 2]], ["timestamp", "x"])
    assert main(["data", "inspect", str(tmp_path), "--timestamp-column", "timestamp"]) == 0
    out = capsys.readouterr().out
    assert "recordings per class and group:" in out
    rows = {line.split("│")[1].strip(): [c.strip() for c in line.split("│")[2:-1]]
            for line in out.splitlines() if line.startswith("│ walk") or line.startswith("│ idle")
            and line.count("│") == 4}
    assert rows["walk"] == ["1", "1"] and rows["idle"] == ["1", "0"]
    assert "class idle comes from a single group" in out


def test_symlinked_folders_are_followed_and_loops_reported(tmp_path, capsys):
    real = tmp_path / "elsewhere" / "carol"
    write_csv(real / "r.csv", [[0, 1], [1, 2]], ["timestamp", "x"])
    write_csv(tmp_path / "d" / "walk" / "alice" / "r.csv", [[0, 1], [1, 2]], ["timestamp", "x"])
    write_csv(tmp_path / "d" / "idle" / "dave" / "r.csv", [[0, 1], [1, 2]], ["timestamp", "x"])
    (tmp_path / "d" / "walk" / "carol").symlink_to(real, target_is_directory=True)
    (tmp_path / "d" / "walk" / "alice" / "loop").symlink_to(tmp_path / "d" / "walk",
                                                           target_is_directory=True)
    assert main(["data", "inspect", str(tmp_path / "d"), "--timestamp-column", "timestamp"]) == 0
    out = capsys.readouterr().out
    assert "3 recordings, 3 groups" in out  # carol's recording read through the link
    assert "symlink loop" in out and "skipped" in out


def test_inspect_images_writes_a_contact_sheet(tmp_path, capsys):
    from tests.data.images import digits_folder

    root = digits_folder(tmp_path / "digits", per_class=10, classes=(0, 1))
    sheet = tmp_path / "out" / "sheet.png"
    assert main(["data", "inspect", str(root), "--contact-sheet", str(sheet)]) == 0
    out = capsys.readouterr().out
    assert "20 images, 2 groups; sizes 16x16 (20); channels: gray" in out
    assert sheet.is_file() and str(sheet) in out.replace("\n", "")


def test_inspect_unreadable_image_exit_2(tmp_path, capsys):
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "bad.jpg").write_bytes(b"xx")
    assert main(["data", "inspect", str(tmp_path), "--contact-sheet",
                 str(tmp_path / "s.png")]) == 2
    err = capsys.readouterr().err
    assert "bad.jpg: not a readable image" in err and "Traceback" not in err
    assert not (tmp_path / "s.png").exists()
