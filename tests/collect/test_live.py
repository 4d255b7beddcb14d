"""`live` against a pseudo-terminal device: host decisions equal the offline pipeline's, the
device's own printed lines are shown, and a trained project streams end to end (slow)."""

from __future__ import annotations

import pytest

from microforge.cli import main
from microforge.collect.live import run_live
from microforge.collect.session import open_port
from microforge.postprocess import Decision, WindowAssembler
from tests.collect.simulator import PtyDevice


class MeanSign:
    """A stand-in pipeline: label 1 when the window's mean of channel 1 is positive."""

    labels = ["neg", "pos"]
    sample_rate = 100.0

    class block:  # noqa: N801 - mirrors StreamingPipeline.block
        win_len, n_channels = 50, 2

    def __init__(self) -> None:
        self.windows = WindowAssembler(50, 2, 25)
        self.stride = 25
        self.count = 0

    def reset(self) -> None:
        self.windows.reset()
        self.count = 0

    def push(self, samples):
        out = []
        for window, end in self.windows.push(samples):
            m = float(window[:, 1].mean())
            out.append(Decision(self.count, end, int(m > 0), abs(m), True))
            self.count += 1
        return out

    def run(self, signal):
        self.reset()
        return self.push(signal)


def test_decisions_equal_the_offline_pipeline_and_device_lines_are_shown(tmp_path):
    results = {30: "result: pos 0.91", 120: "result: neg 0.77"}
    with PtyDevice(100.0, axes=2, garbled={60, 61}, results=results) as device:
        shown = []
        result = run_live(open_port(device.port), MeanSign(), seconds=2.5, on_event=shown.append)
    n = len(result.samples)
    assert n >= 180 and result.samples[:, 0].tolist() == [k for k in range(n + 2) if k not in (60, 61)][:n]
    offline = MeanSign().run(result.samples)
    assert [e.label for e in result.decisions] == [MeanSign.labels[d.label] for d in offline]
    assert len(offline) == (n - 50) // 25 + 1
    device_lines = [e.text for e in shown if e.kind == "device"]
    # Line 60 is binary noise (counted, not shown), line 61 text that is not numbers.
    assert device_lines[:3] == ["result: pos 0.91", "1.0,-,3", "result: neg 0.77"]
    assert (result.stats.garbled, result.stats.text_lines) == (2, len(results))
    assert result.warnings == []


def test_rate_mismatch_is_a_warning():
    with PtyDevice(50.0, axes=2) as device:
        result = run_live(open_port(device.port), MeanSign(), seconds=1.5)
    assert abs(result.rate.measured - 50.0) < 0.5
    assert "trained at 100 Hz (50% off)" in result.warnings[0]


def test_cli_without_a_project_shows_the_device(capsys, monkeypatch):
    import microforge.collect.session as session

    device = PtyDevice(20.0, axes=1, results={5: "yes 0.97", 15: "no 0.80"}, lines=30,
                       start_delay_s=0.1, gated=True, close_when_done=True)
    monkeypatch.setattr(session, "open_port", device.opened(session.open_port))
    with device:
        assert main(["live", "--port", device.port, "--seconds", "30"]) == 0
    out = capsys.readouterr().out
    assert "device: yes 0.97" in out and "device: no 0.80" in out
    assert "30 samples" in out and "0 decisions" in out and "2 text" in out


def test_cli_collect_writes_and_summarises(tmp_path, capsys, monkeypatch):
    import microforge.collect.session as session

    device = PtyDevice(100.0, axes=3, garbled={10, 20}, lines=150, start_delay_s=0.1,
                       gated=True, close_when_done=True)
    monkeypatch.setattr(session, "open_port", device.opened(session.open_port))
    with device:
        code = main(["collect", "--port", device.port, "--label", "wave", "--seconds", "30",
                     "--session", "bench1", "--axes", "k,a,b", "--rate", "100",
                     "-o", str(tmp_path)])
    out = capsys.readouterr().out
    assert code == 0, out
    assert (tmp_path / "wave" / "bench1" / "wave.001.csv").is_file()
    assert "148 samples x 3 (k, a, b) at 100 Hz" in out and "(the device went away" in out
    assert "150 received, 148 kept, 2 dropped (2 garbled" in out and "0 missing by --rate" in out
    assert "group (session): bench1" in out
    monkeypatch.undo()
    assert main(["collect", "--port", "/nonexistent", "--label", "a", "-o", str(tmp_path)]) == 2
    assert main(["collect", "--port", "x", "--label", "a/b", "-o", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert "--port /nonexistent: cannot open it" in err and "--label 'a/b'" in err
    assert "Traceback" not in err


def test_cli_live_untrained_project_is_one_line(tmp_path, capsys):
    (tmp_path / "microforge.toml").write_text('[dataset]\npath = "d"\n')
    assert main(["live", str(tmp_path), "--port", "/nonexistent"]) == 2
    err = capsys.readouterr().err.strip()
    assert "the project is not trained; run `microforge run" in err and len(err.splitlines()) == 1


@pytest.mark.slow
def test_trained_project_live_equals_its_pipeline(tmp_path, tf, tflm):
    """The tiny machine-vibration project, trained, then fed a device stream at 100 Hz."""
    from microforge.collect.live import load_pipeline
    from microforge.data.synthetic import MachineDatasetParams, write_machine_dataset
    from tests.e2e.test_pipeline import CONFIG

    write_machine_dataset(tmp_path / "dataset", seed=1,
                          params=MachineDatasetParams(recordings_per_class=6, duration_s=4.0))
    (tmp_path / "microforge.toml").write_text(CONFIG)
    assert main(["run", str(tmp_path / "microforge.toml")]) == 0
    pipeline = load_pipeline(tmp_path / "microforge.toml")
    with PtyDevice(100.0, axes=3) as device:
        result = run_live(open_port(device.port), pipeline, seconds=4.0)
    offline = pipeline.run(result.samples)
    assert len(offline) >= 4
    assert [(e.label, e.score) for e in result.decisions] == [
        (pipeline.labels[d.label], d.score) for d in offline if d.detected]
    assert set(e.label for e in result.decisions) <= set(pipeline.labels)
