"""The whole trained pipeline in generated C (DSP + int8 model + post-processing, streaming)
against the Python pipeline (the fitted block + TFLM + microforge.postprocess), on real data:
UCI HAR and CWRU test recordings (small projects trained here with the examples' dataset and
DSP settings; CWRU also as a 16x8 network) on the host and on the emulated Cortex-M4, and a long Speech Commands recording
through the MLPerf KWS detector."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from microforge.cli import main
from microforge.library.assemble import compile_project, load_trained
from microforge.postprocess import PostprocessParams, StreamingPipeline
from microforge.runners.model_runners import TflmRunner
from tests.e2e.pipeline_data import (
    KWS_LABELS,
    kws_block,
    kws_model,
    score_detections,
    speech_recording,
)

MIN_AGREEMENT = 0.995
BOARD = "nucleo_l4r5zi"  # Cortex-M4F, verified on QEMU mps2-an386

PROJECTS = {
    # the uci_har example's data, windows and DSP (raw, normalised); fewer epochs, no CV
    "uci_har": """
[project]
name = "har_small"
output_dir = "out"
[dataset]
path = "{data}/datasets/uci_har_test"
format = "uci_har"
[windowing]
window_ms = 2560
stride_ms = 2560
[split]
seed = 0
test_fraction = 0.3
val_fraction = 0.0
[dsp]
block = "raw"
[dsp.params]
normalize = true
[model]
architecture = "cnn1d"
width = 0.5
[training]
epochs = 4
learning_rate = 0.002
early_stopping_patience = 0
lr_schedule = "cosine"
class_weights = false
[target]
board = "{board}"
compare = []
""",
    # the cwru_bearing example's data, windows and DSP (spectral); posterior averaging over 3
    "cwru_bearing": """
[project]
name = "cwru_small"
output_dir = "out"
[dataset]
path = "{data}/datasets/cwru_bearing"
format = "cwru"
[windowing]
window_ms = 85.33
stride_ms = 42.67
[split]
seed = 0
test_fraction = 0.3
val_fraction = 0.2
[dsp]
block = "spectral"
[model]
architecture = "dense"
[training]
epochs = 10
early_stopping_patience = 0
[target]
board = "{board}"
compare = []
[postprocess]
average_windows = 3
""",
}
# the same CWRU project deployed as a 16x8 network: int16 features and scores in the C pipeline
PROJECTS["cwru_16x8"] = (PROJECTS["cwru_bearing"].replace('name = "cwru_small"',
                                                          'name = "cwru_16x8"')
                         + '[quantization]\nvariant = "ptq_16x8"\n')


class TrainedProject:
    """A small project trained in a temp folder, its C library and its test recordings."""

    def __init__(self, name: str, shared_data: Path, folder: Path) -> None:
        from microforge.project import Project

        self.toml = folder / "microforge.toml"
        self.toml.write_text(PROJECTS[name].format(data=shared_data, board=BOARD))
        self.project = Project.from_toml(self.toml)
        self.project.run()
        self.library = compile_project(self.toml)
        trained = load_trained(self.toml)
        self.python = StreamingPipeline(trained.block, TflmRunner(trained.model_bytes),
                                        trained.labels, trained.stride, trained.postprocess)
        dataset, windows = self.project.load()
        test = np.unique(windows.recording[self.project.final_fold().mask("test")])
        self.recordings = [dataset.recordings[i].signal for i in test]
        self.true_labels = [dataset.label_index(dataset.recordings[i].label) for i in test]

    def python_decisions(self):
        return [self.python.run(signal) for signal in self.recordings]


@pytest.fixture(scope="module")
def trained(shared_data: Path, tmp_path_factory: pytest.TempPathFactory):
    cache: dict[str, TrainedProject] = {}

    def get(name: str) -> TrainedProject:
        if name not in cache:
            cache[name] = TrainedProject(name, shared_data, tmp_path_factory.mktemp(name))
        return cache[name]

    return get


def agreement(c_runs, py_runs) -> tuple[float, int]:
    pairs = [(c.label, p.label) for cr, pr in zip(c_runs, py_runs, strict=True)
             for c, p in zip(cr, pr, strict=True)]
    assert [len(r) for r in c_runs] == [len(r) for r in py_runs]
    return sum(a == b for a, b in pairs) / len(pairs), len(pairs)


def accuracy(runs, true_labels) -> float:
    hits = [d.label == y for run, y in zip(runs, true_labels, strict=True) for d in run]
    return sum(hits) / len(hits)


@pytest.mark.slow
@pytest.mark.parametrize("name", ["uci_har", "cwru_bearing", "cwru_16x8"])
def test_c_pipeline_decisions_equal_python_on_the_host(name, trained, tf, tflm, capsys):
    from microforge.runners.pipeline_host import HostPipeline

    project = trained(name)
    host = HostPipeline(project.library)
    c_runs = [host.run(signal) for signal in project.recordings]
    py_runs = project.python_decisions()
    share, windows = agreement(c_runs, py_runs)
    c_accuracy = accuracy(c_runs, project.true_labels)
    with capsys.disabled():
        print(f"\n{name} host: {windows} test windows, C == Python on {100 * share:.2f} %, "
              f"accuracy C {100 * c_accuracy:.1f} %, Python "
              f"{100 * accuracy(py_runs, project.true_labels):.1f} %; Cortex-M4 -Os flash/RAM: "
              + ", ".join(f"{part} {size.flash_bytes:,}/{size.ram_bytes:,} B"
                          for part, size in project.library.sizes().parts.items()))
    assert windows > 300
    assert share >= MIN_AGREEMENT
    assert c_accuracy > 2 / len(project.library.constants.labels)  # well above chance


@pytest.mark.slow
@pytest.mark.parametrize("name", ["uci_har", "cwru_bearing", "cwru_16x8"])
def test_c_pipeline_decisions_equal_python_on_the_emulated_cortex_m4(name, trained, tf, tflm,
                                                                   capsys):
    from microforge.runners.pipeline_mcu import run_pipeline_on_mcu
    from microforge.targets.toolchain import toolchain_available

    if not toolchain_available("arm"):
        pytest.skip("arm-none-eabi-gcc / qemu-system-arm not installed (make toolchain)")
    project = trained(name)
    run = run_pipeline_on_mcu(project.library, BOARD, project.recordings)
    share, windows = agreement(run.decisions, project.python_decisions())
    with capsys.disabled():
        print(f"\n{name} Cortex-M4: {windows} test windows, C == Python on {100 * share:.2f} %,"
              f" instructions per window: DSP {np.mean(run.dsp_instructions):,.0f}, network "
              f"{np.mean(run.network_instructions):,.0f}; firmware flash "
              f"{run.image.flash_bytes:,} B, RAM {run.image.ram_bytes:,} B "
              f"(library {run.image.library_flash_bytes:,} / {run.image.library_ram_bytes:,} B)"
              f", stack {run.stack_bytes:,} B")
    assert share >= MIN_AGREEMENT
    assert min(run.dsp_instructions) > 0 and min(run.network_instructions) > 0


@pytest.mark.slow
def test_compile_command_on_a_project(trained, tf, tflm, capsys, tmp_path):
    project = trained("uci_har")
    code = main(["compile", str(project.toml), "-o", str(tmp_path / "lib")])
    out = capsys.readouterr().out
    assert code == 0, out
    assert "DSP" in out and "network (arena included)" in out and "total" in out
    assert "mf_har_small_pipeline_push_f32" in out
    assert (tmp_path / "lib" / "har_small_pipeline.h").is_file()
    assert (tmp_path / "lib" / "mf_har_small_dsp.c").is_file()
    assert (tmp_path / "lib" / "har_small.c").is_file()


KWS_STREAM = PostprocessParams("detector", 3, 0.7, 1000.0, ("_silence_", "_unknown_"))
KWS_STRIDE = 1600  # 100 ms
KEYWORDS = KWS_LABELS[:10]
OTHER_WORDS = ["bed", "bird", "cat", "dog", "happy", "house", "marvin", "sheila", "tree", "wow"]


@pytest.mark.slow
def test_kws_streaming_detector_c_equals_python(shared_data: Path, tmp_path: Path, capsys):
    """A long recording: every keyword clip (10 per word) and 3 clips of each of 10 other words,
    shuffled, with 1-2 s of background noise between them; the C detector (int16 PCM in) and
    the Python detector (TFLM) report the same detections (time and label)."""
    from microforge.library.assemble import compile_pipeline
    from microforge.runners.pipeline_host import HostPipeline

    pcm, placements = speech_recording(shared_data, KEYWORDS, 10, seed=0)
    extra, extra_places = speech_recording(shared_data, OTHER_WORDS, 3, seed=1)
    offset = len(pcm)
    pcm = np.concatenate([pcm, extra])
    for p in extra_places:
        p.start += offset
    placements += extra_places
    library = compile_pipeline(kws_block(), kws_model(shared_data), KWS_LABELS, KWS_STRIDE,
                               KWS_STREAM, tmp_path / "kws", name="kws")
    c_events = [(d.end_sample, KWS_LABELS[d.label]) for d in
                HostPipeline(library).push_int16(pcm, chunk=512) if d.detected]
    python = StreamingPipeline(kws_block(), TflmRunner(kws_model(shared_data)), KWS_LABELS,
                               KWS_STRIDE, KWS_STREAM)
    py_events = [(d.end_sample, KWS_LABELS[d.label]) for d in python.push_int16(pcm)
                 if d.detected]
    score = score_detections(c_events, placements, KEYWORDS)
    py_score = score_detections(py_events, placements, KEYWORDS)
    with capsys.disabled():
        print(f"\nKWS stream: {len(pcm) / 16000:.0f} s, {len(placements)} clips "
              f"({score.keywords} keywords); C: {len(c_events)} detections, hit rate "
              f"{100 * score.hit_rate:.1f} %, {score.false_alarms} false alarms "
              f"({score.false_alarms / score.hours:.0f}/h); Python: {len(py_events)} "
              f"detections, {py_score.hits} hits, {py_score.false_alarms} false alarms; "
              f"same detections: {c_events == py_events}")
    assert c_events == py_events
    assert score.hit_rate >= 0.85


@pytest.mark.slow
def test_fixed_point_dsp_pipeline_on_cwru(trained, tf, tflm, tmp_path, capsys):
    """The board profile picks the fixed-point DSP for cores without an FPU (the CWRU example
    targets a Cortex-M0+): its decisions against the float Python pipeline."""
    from microforge.runners.pipeline_host import HostPipeline

    project = trained("cwru_bearing")
    library = compile_project(project.toml, tmp_path / "fixed", fixed_point=True)
    assert any("fixed" in name for name in library.dsp_files)
    host = HostPipeline(library)
    share, windows = agreement([host.run(s) for s in project.recordings],
                               project.python_decisions())
    with capsys.disabled():
        print(f"\ncwru_bearing fixed-point DSP, host: {windows} test windows, C == Python on "
              f"{100 * share:.2f} %")
    assert share >= 0.99


@pytest.mark.slow
def test_kws_streaming_detector_on_the_emulated_cortex_m4(shared_data: Path, tmp_path: Path,
                                                          capsys):
    """30 s of the stream on the Cortex-M4: the same decisions as the host C pipeline."""
    from microforge.library.assemble import compile_pipeline
    from microforge.runners.pipeline_host import HostPipeline
    from microforge.runners.pipeline_mcu import run_pipeline_on_mcu
    from microforge.targets.toolchain import toolchain_available

    if not toolchain_available("arm"):
        pytest.skip("arm-none-eabi-gcc / qemu-system-arm not installed (make toolchain)")
    pcm, _ = speech_recording(shared_data, ["yes", "no", "left", "bed"], 3, seed=3)
    signal = pcm[:30 * 16000].astype(np.float32) / 32768
    library = compile_pipeline(kws_block(), kws_model(shared_data), KWS_LABELS, KWS_STRIDE,
                               KWS_STREAM, tmp_path / "kws", name="kws")
    run = run_pipeline_on_mcu(library, BOARD, [signal])
    host = HostPipeline(library).run(signal)
    with capsys.disabled():
        print(f"\nKWS stream Cortex-M4: {len(host)} windows, "
              f"{sum(d.detected for d in host)} detections, "
              f"instructions per window: DSP {np.mean(run.dsp_instructions):,.0f}, network "
              f"{np.mean(run.network_instructions):,.0f}, "
              f"library flash {run.image.library_flash_bytes:,} B, RAM "
              f"{run.image.library_ram_bytes:,} B, stack {run.stack_bytes:,} B")
    assert [(d.end_sample, d.label, d.detected) for d in run.decisions[0]] == \
        [(d.end_sample, d.label, d.detected) for d in host]
    assert any(d.detected for d in host)
