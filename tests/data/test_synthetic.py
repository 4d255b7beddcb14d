
import numpy as np

from microforge.data.load import load_dataset
from microforge.data.spec import CsvOptions, DatasetSpec
from microforge.data.synthetic import MACHINE_STATES, MachineDatasetParams, write_machine_dataset
from microforge.data.windowing import WindowSpec, make_windows


def _load(path):
    return load_dataset(DatasetSpec(path, format="csv",
                                    csv=CsvOptions(timestamp_column="timestamp")))


def test_written_through_the_csv_reader(tmp_path):
    write_machine_dataset(tmp_path / "d", seed=0)
    ds = _load(tmp_path / "d")
    assert ds.classes == sorted(MACHINE_STATES) and ds.sample_rate == 100.0
    assert ds.channel_names == ("acc_x", "acc_y", "acc_z")
    assert len(ds.recordings) == 96 and len({r.group for r in ds.recordings}) == 96
    windows = make_windows(ds, WindowSpec(1280, 640, "drop"))
    assert windows.x.shape == (96 * 11, 128, 3)


def test_deterministic_and_seed_dependent(tmp_path):
    params = MachineDatasetParams(recordings_per_class=2, duration_s=2.0)
    for name, seed in (("a", 1), ("b", 1), ("c", 2)):
        write_machine_dataset(tmp_path / name, seed=seed, params=params)
    names = {n: sorted(p.name for p in (tmp_path / n / "idle").iterdir()) for n in "abc"}
    assert names["a"] == names["b"] and len(names["a"]) == 2
    a = sorted((tmp_path / "a").rglob("*.csv"))
    b = sorted((tmp_path / "b").rglob("*.csv"))
    c = sorted((tmp_path / "c").rglob("*.csv"))
    assert [p.read_text() for p in a] == [p.read_text() for p in b]
    assert [p.read_text() for p in a] != [p.read_text() for p in c]


def test_physically_plausible_and_classes_differ(tmp_path):
    write_machine_dataset(tmp_path / "d", seed=0)
    ds = _load(tmp_path / "d")
    gravity = [np.linalg.norm(r.signal.mean(axis=0)) for r in ds.recordings]
    assert np.allclose(gravity, 1.0, atol=0.05)  # about 1 g whatever the orientation
    vib = {c: [] for c in ds.classes}
    peak = {c: [] for c in ds.classes}
    for r in ds.recordings:
        centred = r.signal - r.signal.mean(axis=0)
        vib[r.label].append(centred.std())
        peak[r.label].append(np.abs(centred).max() / centred.std())
    assert np.median(vib["idle"]) < np.median(vib["normal"]) < np.median(vib["imbalance"])
    assert np.median(peak["bearing_fault"]) > np.median(peak["normal"])  # impulsive
    # not trivial: one number (overall level) does not separate normal from bearing_fault
    assert max(vib["normal"]) > min(vib["bearing_fault"])
