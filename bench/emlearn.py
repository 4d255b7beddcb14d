"""microforge against emlearn, side by side in one run: the same fitted random forest and
Gaussian naive Bayes (UCI HAR spectral features) and Gaussian mixture anomaly detector (CWRU,
normal windows only) converted by emlearn and by microforge, both built by the same
arm-none-eabi-gcc with the same flags (`runners/firmware.py`, -O2, Cortex-M4F hard float) and
run on the emulated M4 (QEMU): flash and RAM of the model's code and tables, the stack
high-water mark, instructions per decision, and the test windows decided as scikit-learn.

    .venv/bin/pip install 'microforge[bench]'       # emlearn 0.23, for this comparison only
    .venv/bin/python -m bench.emlearn --write-docs
"""

from __future__ import annotations

import argparse
import contextlib
import importlib.metadata
import os
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import sklearn

import microforge
from bench.doc_section import markdown_table, write_section
from microforge.classical.detectors import DETECTORS
from microforge.classical.mcu import McuClassicalResult, run_calls_on_mcu, run_classical_on_mcu
from microforge.classical.reference_data import cwru_split, har_features
from microforge.classical.reference_models import reference_classifiers, reference_detectors
from microforge.paths import shared_data_dir

BOARD = "arduino_nano_33_ble_sense"  # Cortex-M4F
HEADING = "## Classical models side by side with emlearn"
DOC = Path(__file__).resolve().parents[1] / "docs" / "benchmarks.md"

# emlearn's generated code and headers are compiled as they are, with microforge's flags;
# only the diagnostics -Werror would turn into errors are silenced (no effect on the code)
_WRAPPER = """/* microforge bench: emlearn's {what}, as emlearn {version} generated it */
#pragma GCC diagnostic ignored "-Wpedantic"
#pragma GCC diagnostic ignored "-Wunused-function"
#pragma GCC diagnostic ignored "-Wunused-variable"
#pragma GCC diagnostic ignored "-Wunused-parameter"
#pragma GCC diagnostic ignored "-Wunused-but-set-variable"
#pragma GCC diagnostic ignored "-Wsign-compare"
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"
#pragma GCC diagnostic ignored "-Wunused-const-variable"
#pragma GCC diagnostic ignored "-Wtype-limits"
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#include <stdint.h>
#include "{name}_model.h"
#include "{name}.h"

{functions}
"""


@dataclass(frozen=True)
class Row:
    model: str
    converter: str
    run: McuClassicalResult
    agree: int
    total: int


def _emlearn() -> Any:
    errors = np.geterr()  # importing emlearn.bayes sets numpy.seterr(all="raise") process-wide
    try:
        import emlearn
    except ImportError:
        raise SystemExit("emlearn is not installed; the comparison needs it (bench only): "
                         ".venv/bin/pip install 'microforge[bench]'") from None
    finally:
        np.seterr(**errors)
    return emlearn


def _emlearn_on_mcu(work: Path, name: str, what: str, code: str, decide: str, score: str,
                    n_features: int, x: np.ndarray) -> McuClassicalResult:
    emlearn = _emlearn()
    work.mkdir(parents=True, exist_ok=True)
    (work / f"{name}_model.h").write_text(code, encoding="utf-8")
    (work / f"{name}.h").write_text(
        f"#include <stdint.h>\nint32_t {name}_decide(const float *x);\n"
        f"double {name}_value(const float *x);\n", encoding="utf-8")
    functions = (f"int32_t {name}_decide(const float *x) {{\n{decide}\n}}\n\n"
                 f"double {name}_value(const float *x) {{\n{score}\n}}\n")
    source = work / f"{name}.c"
    source.write_text(_WRAPPER.format(what=what, version=importlib.metadata.version("emlearn"),
                                      name=name, functions=functions), encoding="utf-8")
    return run_calls_on_mcu(BOARD, [source], [work, Path(emlearn.common.get_include_dir())],
                            name, n_features, f"    return {name}_decide(x);",
                            f"    return {name}_value(x);", x, work_dir=work / "fw")


def _forest(est: Any, x: np.ndarray, work: Path) -> list[Row]:
    emlearn = _emlearn()
    ref = est.predict(x)
    n = x.shape[1]
    rows = []
    for layout in ("tables", "inline"):
        model = microforge.compile(est, work / layout, name="rf", layout=layout)
        run = run_classical_on_mcu(model, BOARD, x, work_dir=work / f"{layout}_fw")
        rows.append(Row("random_forest", f"microforge (layout={layout})", run,
                        int(np.sum(model.classes_[run.decisions] == ref)), len(x)))
    # HAR has 171 features: emlearn's 'loadable' trees take at most 127 (int8 feature index)
    # and int16 features only, so its 'inline' code (if/else per node) with float features
    for label, bits in (("emlearn (majority vote)", 0), ("emlearn (leaf_bits=8)", 8)):
        eml = emlearn.convert(est, method="inline", dtype="float", leaf_bits=bits)
        name = f"eml_rf{bits}"
        run = _emlearn_on_mcu(work / name, name, f"random forest, inline, leaf_bits={bits}",
                              eml.save(name=name),
                              f"    return {name}_predict(x, {n});", "    return 0.0;", n, x)
        rows.append(Row("random_forest", label, run,
                        int(np.sum(est.classes_[run.decisions] == ref)), len(x)))
    return rows


def _bayes(est: Any, x: np.ndarray, work: Path) -> list[Row]:
    emlearn = _emlearn()
    ref = est.predict(x)
    n = x.shape[1]
    model = microforge.compile(est, work / "mf", name="gnb")
    run = run_classical_on_mcu(model, BOARD, x, work_dir=work / "mf_fw")
    rows = [Row("gaussian_nb", "microforge", run,
                int(np.sum(model.classes_[run.decisions] == ref)), len(x))]
    (work / "eml").mkdir(parents=True, exist_ok=True)
    with contextlib.chdir(work / "eml"):  # emlearn builds a host check binary in ./tmp
        eml = emlearn.convert(est)
    run = _emlearn_on_mcu(work / "eml_gnb", "eml_gnb", "Gaussian naive Bayes (Q16 fixed point)",
                          eml.save(name="eml_gnb"), f"    return eml_gnb_predict(x, {n});",
                          "    return 0.0;", n, x)
    rows.append(Row("gaussian_nb", "emlearn", run,
                    int(np.sum(est.classes_[run.decisions] == ref)), len(x)))
    return rows


def _mixture(est: Any, calibration: np.ndarray, x: np.ndarray, work: Path) -> list[Row]:
    emlearn = _emlearn()
    n = x.shape[1]
    model = microforge.compile(est, work / "mf", name="gmm", calibration=calibration,
                               false_alarm_rate=0.01)
    threshold = model.threshold
    ref = DETECTORS["gaussian_mixture"].reference(est, x) > threshold
    run = run_classical_on_mcu(model, BOARD, x, work_dir=work / "mf_fw")
    rows = [Row("gaussian_mixture", "microforge", run,
                int(np.sum(run.decisions.astype(bool) == ref)), len(x))]
    eml = emlearn.convert(est)
    k = est.n_components
    # anomaly = negative log-likelihood above the same calibrated threshold
    decide = (f"    float p[{k}];\n    float ll = 0.0f;\n"
              f"    if (eml_gmm_score(x, {n}, p, &ll) != 0) {{\n        return -1;\n    }}\n"
              f"    return -(double)ll > {threshold!r} ? 1 : 0;")
    score = (f"    float p[{k}];\n    float ll = 0.0f;\n"
             f"    (void)eml_gmm_score(x, {n}, p, &ll);\n    return -(double)ll;")
    run = _emlearn_on_mcu(work / "eml_gmm", "eml_gmm", "Gaussian mixture (float)",
                          eml.save(name="eml_gmm"), decide, score, n, x)
    rows.append(Row("gaussian_mixture", "emlearn", run,
                    int(np.sum(run.decisions.astype(bool) == ref)), len(x)))
    return rows


def run() -> list[Row]:
    data = shared_data_dir()
    if data is None:
        raise SystemExit("../shared/data not found (set MICROFORGE_DATA)")
    _emlearn()
    x_train, y_train, x_test, _ = har_features(Path(data))
    split = cwru_split(Path(data))
    x_cwru = np.concatenate([split.normal_test, *split.faults.values()])
    classifiers = reference_classifiers()
    jobs: list[Callable[[Path], list[Row]]] = [
        lambda w: _forest(classifiers["random_forest"]().fit(x_train, y_train), x_test, w),
        lambda w: _bayes(classifiers["gaussian_nb"]().fit(x_train, y_train), x_test, w),
        lambda w: _mixture(reference_detectors()["gaussian_mixture"]().fit(split.train),
                           split.calibration, x_cwru, w),
    ]
    rows: list[Row] = []
    with tempfile.TemporaryDirectory(prefix="mf_bench_eml_") as tmp:
        for i, job in enumerate(jobs):
            rows += job(Path(tmp) / str(i))
    return rows


def table(rows: list[Row]) -> str:
    cells = [[r.model, r.converter, f"{r.run.library_flash_bytes:,}",
              f"{r.run.library_ram_bytes:,}", f"{r.run.stack_bytes:,}",
              f"{np.mean(r.run.instructions):,.0f} ({max(r.run.instructions):,})",
              f"{r.agree}/{r.total} ({100.0 * r.agree / r.total:.1f} %)"] for r in rows]
    return markdown_table(["model", "converter", "flash (B)", "RAM (B)", "stack (B)",
                           "instructions mean (max)", "decision == sklearn"],
                          "llrrrrr", cells)


def section(rows: list[Row]) -> str:
    version = importlib.metadata.version("emlearn")
    return f"""{HEADING}

`.venv/bin/pip install 'microforge[bench]' && .venv/bin/python -m bench.emlearn --write-docs`
(emlearn {version}, scikit-learn {sklearn.__version__}): the same fitted models converted by
both, each built with `runners/firmware.py` (arm-none-eabi-gcc -O2, `-mcpu=cortex-m4 -mthumb
-mfpu=fpv4-sp-d16 -mfloat-abi=hard`, newlib-nano) and run on the emulated Cortex-M4F (QEMU,
{BOARD}), every test window in one run. Random forest (20 trees, depth 10) and Gaussian
naive Bayes on UCI HAR (1,099 test windows of 3 held-out subjects, 171 spectral features);
Gaussian mixture (4 components, full covariance) on CWRU (1,115 test windows: 48 normal and
1,067 faulty), anomaly = negative log-likelihood above the threshold calibrated on held-out
normal windows (1 % false alarms), the same threshold for both. Flash and RAM: the model's
object (code + tables: `.text + .rodata + .data`; RAM `.data + .bss`); stack: the harness's
painted high-water mark; instructions: the decision call between the measure markers.

{table(rows)}

emlearn's trees compare `x < t` with each threshold printed to 6 decimals (`%.6f`) and vote per
tree (majority, or leaf class proportions quantised to a byte); scikit-learn compares
`x <= t` and averages the trees' class probabilities. Its loadable trees take at most 127
features (int8 index) and int16 features, so the forest is its inline code with float
features. Its naive Bayes is Q16 fixed point with a quadratic log-density and no class priors
(its tables are not const: RAM); its Gaussian mixture computes in float with every constant
printed to 6 decimals. microforge stores each threshold as the largest float32 <= it, decides
the forest by a certified int32 vote (exact double sums on near ties) and the naive Bayes and
mixture by certified float32 passes (double near a tie or the threshold); docs/classical.md.
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--write-docs", action="store_true",
                        help=f"replace the section {HEADING!r} of docs/benchmarks.md")
    args = parser.parse_args()
    rows = run()
    text = section(rows)
    print(text)
    if args.write_docs:
        write_section(DOC, HEADING, text)
        print(f"wrote {os.path.relpath(DOC)}")


if __name__ == "__main__":
    main()
