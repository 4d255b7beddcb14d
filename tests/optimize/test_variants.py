import pytest

from microforge.errors import ConfigError
from microforge.optimize.techniques import TECHNIQUES
from microforge.optimize.variants import check_techniques, evaluated_folds, optimize_project
from tests.optimize.project_fixture import small_project


def test_check_techniques_validates_and_defaults():
    assert check_techniques(None, ["float32", "qat"]) == ["float32", "qat"]
    assert check_techniques(["ptq_int8", "ptq_int8"], ["float32"]) == ["ptq_int8"]
    with pytest.raises(ConfigError, match="unknown technique.*bogus"):
        check_techniques(["bogus"], ["float32"])
    with pytest.raises(ConfigError, match="at least one"):
        check_techniques([], ["float32"])


def test_evaluated_folds_are_the_ones_with_test_windows(tmp_path):
    project = small_project(tmp_path)
    folds = evaluated_folds(project)
    assert [f.name for f in folds] == ["fold1", "fold2"]  # not the final (train-only) fold
    assert [f.name for f in evaluated_folds(project, 1)] == ["fold1"]
    with pytest.raises(ConfigError, match="--folds"):
        evaluated_folds(project, 0)


@pytest.mark.slow
def test_every_technique_runs_and_is_measured(tmp_path):
    project = small_project(tmp_path, epochs=3)
    steps = []
    run = optimize_project(project, progress=lambda text, done, total: steps.append(done),
                           measure_instructions=False)
    assert [v.technique for v in run.variants] == list(TECHNIQUES)
    assert steps[-1] == 2 * (1 + len(TECHNIQUES))
    for v in run.variants:
        assert v.skipped is None, v.skipped
        assert set(v.fold_accuracy) == {"fold1", "fold2"}
        assert 0.0 <= v.accuracy <= 1.0
        assert v.cost.tflite_bytes > 0 and v.params > 0
        assert v.cost.flash_bytes and v.cost.flash_source
        # the per-layer error table is measured for the PTQ variants only
        assert bool(v.layer_errors) == (v.technique in ("ptq_int8", "ptq_16x8"))
    for e in run.variant("ptq_int8").layer_errors:
        assert e["op"] and e["tensor"] and (e["sqnr_db"] is None or e["sqnr_db"] > -20)
    assert {e["op"] for e in run.variant("ptq_int8").layer_errors} >= {"FULLY_CONNECTED"}
    base, int8 = run.variant("float32"), run.variant("ptq_int8")
    assert int8.cost.tflite_bytes < base.cost.tflite_bytes
    assert int8.cost.ram_bytes < base.cost.ram_bytes  # int8 activations are 4x smaller
    assert int8.cost.macs == base.cost.macs
    assert abs(int8.accuracy - base.accuracy) < 0.2
    structured = run.variant("structured_prune")
    assert structured.cost.macs < int8.cost.macs
    assert structured.params < int8.params
