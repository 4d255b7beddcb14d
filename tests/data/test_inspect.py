import numpy as np
import pytest

from microforge.data.inspect import inspect_dataset
from microforge.data.spec import CsvOptions, DatasetSpec
from microforge.errors import DataError
from tests.data.files import csv_dataset, tone, write_csv, write_wav


def test_summary_of_a_clean_dataset(tmp_path):
    csv_dataset(tmp_path, per_class=3, n=100)
    report = inspect_dataset(DatasetSpec(tmp_path, csv=CsvOptions(timestamp_column="timestamp")))
    assert report.format == "csv" and report.class_names == ["a", "b"]
    assert [c.recordings for c in report.classes] == [3, 3]
    assert report.total_duration_s == pytest.approx(12.0)
    assert report.min_duration_s == report.max_duration_s == pytest.approx(2.0)
    assert report.sample_rates == [50.0] and report.channels == ("x", "y", "z")
    assert report.problems == []


def test_problems_listed(tmp_path):
    write_wav(tmp_path / "big" / "s1_nohash_0.wav", tone(16000 * 12, 16000), 16000)
    write_wav(tmp_path / "big" / "s2_nohash_0.wav", tone(16000 * 12, 16000), 16000)
    write_wav(tmp_path / "small" / "s3_nohash_0.wav", tone(8000, 8000), 8000)
    report = inspect_dataset(DatasetSpec(tmp_path))
    text = " | ".join(report.problems)
    assert "mixed sample rates: 1 at 8000 Hz, 2 at 16000 Hz" in text
    assert "class imbalance: big has 24x the data of small" in text
    assert "very short recording" in text and "s3_nohash_0.wav" in text
    assert "class small comes from a single group" in text
    assert report.sample_rates == [8000.0, 16000.0]


def test_fatal_problems_raise(tmp_path):
    write_csv(tmp_path / "a" / "r.csv", [], lines=["1,2", "3"])
    with pytest.raises(DataError, match="line 2"):
        inspect_dataset(DatasetSpec(tmp_path, sample_rate=10))


def test_real_speech_commands(shared_data):
    report = inspect_dataset(DatasetSpec(shared_data / "datasets" / "speech_commands_subset"))
    assert report.recordings == 330 and len(report.classes) == 31
    assert report.sample_rates == [16000.0]
    assert 0.5 < report.min_duration_s < 1.0 and report.max_duration_s == 1.0
    assert np.isclose(sum(c.duration_s for c in report.classes), report.total_duration_s)


def test_skipped_inputs_are_reported_with_the_reason(tmp_path):
    import os

    csv_dataset(tmp_path, per_class=3, n=100)
    (tmp_path / "a" / "gone.csv").symlink_to(tmp_path / "nowhere.csv")
    os.mkfifo(tmp_path / "a" / "pipe.csv")
    (tmp_path / "b" / "folder.csv").mkdir()
    report = inspect_dataset(DatasetSpec(tmp_path, csv=CsvOptions(timestamp_column="timestamp")))
    assert [c.recordings for c in report.classes] == [3, 3]  # the readers skip them...
    assert sorted(report.problems) == [  # ...and the inspector says which and why
        f"skipped {tmp_path / 'a' / 'gone.csv'}: a dangling symbolic link (its target does not "
        "exist)",
        f"skipped {tmp_path / 'a' / 'pipe.csv'}: not a regular file (a FIFO, socket or device)",
        f"skipped {tmp_path / 'b' / 'folder.csv'}: a folder named like a .csv file",
    ]
