"""The generated classical C: -Werror on arm-none-eabi-gcc for the Cortex-M4 and M0+ (no RAM:
every table is const), and clean under ASan/UBSan on the host with the same decisions."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import numpy as np
import pytest

pytest.importorskip("sklearn", reason="scikit-learn not installed: pip install 'microforge[classical]'")
from sklearn import ensemble

import microforge
from microforge.classical.reference_data import har_features
from microforge.classical.reference_models import reference_classifiers
from microforge.runners.sizes import WARNING_FLAGS, measure_library

CORES = {
    "cortex-m4": ["-mcpu=cortex-m4", "-mthumb", "-mfpu=fpv4-sp-d16", "-mfloat-abi=hard"],
    "cortex-m0plus": ["-mcpu=cortex-m0plus", "-mthumb"],
}

HARNESS = """#include <stdio.h>
#include "{name}.h"
int main(void) {{
    float x[MF_{up}_N_FEATURES];
    while (fread(x, sizeof x, 1, stdin) == 1) {{
        printf("%d\\n", mf_{name}_predict(x));
    }}
    return 0;
}}
"""


@pytest.fixture(scope="module")
def compiled(shared_data: Path, tmp_path_factory: pytest.TempPathFactory):
    x_train, y_train, x_test, _ = har_features(shared_data)
    est = ensemble.HistGradientBoostingClassifier(max_iter=20, random_state=0)
    est.fit(x_train, y_train)
    out = tmp_path_factory.mktemp("gbt")
    return est, microforge.compile(est, out, name="gbt"), x_test


@pytest.mark.parametrize("core", list(CORES))
def test_builds_for_cortex_m_without_ram(core: str, compiled) -> None:
    if shutil.which("arm-none-eabi-gcc") is None:
        pytest.skip("arm-none-eabi-gcc not installed")
    _, model, _ = compiled
    sizes = measure_library(model.out_dir, lambda _: "model", arm_flags=CORES[core])
    part = sizes.parts["model"]
    print(f"{core}: flash {part.flash_bytes} B, RAM {part.ram_bytes} B")
    assert part.ram_bytes == 0
    assert part.flash_bytes > model.emitted.n_features  # the tables are in flash


def test_sanitizers_clean_and_same_decisions(compiled, tmp_path: Path) -> None:
    gcc = shutil.which("gcc")
    if gcc is None:
        pytest.skip("gcc not installed")
    est, model, x_test = compiled
    (tmp_path / "main.c").write_text(HARNESS.format(name="gbt", up="GBT"))
    exe = tmp_path / "run"
    subprocess.run([gcc, *WARNING_FLAGS, "-g", "-fsanitize=address,undefined",
                    "-fno-sanitize-recover=all", "-I", str(model.out_dir),
                    str(model.out_dir / "gbt.c"), str(tmp_path / "main.c"), "-o", str(exe)],
                   check=True)
    done = subprocess.run([str(exe)], input=np.ascontiguousarray(x_test, np.float32).tobytes(),
                          capture_output=True, check=True)
    assert done.stderr == b""
    index = np.array(done.stdout.split(), np.int64)
    np.testing.assert_array_equal(model.classes_[index], est.predict(x_test))


@pytest.mark.parametrize(("kind", "layout"), [("random_forest", "tables"),
                                              ("random_forest", "inline"),
                                              ("gaussian_nb", "tables")])
def test_sanitizers_clean_on_forests_and_naive_bayes(kind: str, layout: str, shared_data: Path,
                                                     tmp_path: Path) -> None:
    gcc = shutil.which("gcc")
    if gcc is None:
        pytest.skip("gcc not installed")
    x_train, y_train, x_test, _ = har_features(shared_data)
    est = reference_classifiers()[kind]().fit(x_train, y_train)
    model = microforge.compile(est, tmp_path / "c", name="m", layout=layout)
    (tmp_path / "main.c").write_text(HARNESS.format(name="m", up="M"))
    exe = tmp_path / "run"
    subprocess.run([gcc, *WARNING_FLAGS, "-g", "-fsanitize=address,undefined",
                    "-fno-sanitize-recover=all", "-I", str(model.out_dir),
                    str(model.out_dir / "m.c"), str(tmp_path / "main.c"), "-o", str(exe)],
                   check=True)
    done = subprocess.run([str(exe)], input=np.ascontiguousarray(x_test, np.float32).tobytes(),
                          capture_output=True, check=True)
    assert done.stderr == b""
    index = np.array(done.stdout.split(), np.int64)
    np.testing.assert_array_equal(model.classes_[index], est.predict(x_test))
