"""The model-blob mode's cost on the emulated Cortex-M4: baked vs blob (issue 14).

    .venv/bin/python -m bench.ota_blob [--inputs 3] [--write-docs]

Then a KWS blob bundle (`bundle --payload blob`) runs the update flow on the emulated M4
(`verify MODEL --bundle`): verify, set_blob from the slot, canaries.

Each model is compiled twice (weights baked into the code, and `weights="blob"`: read from
the blob through one base pointer), built for the NUCLEO-L4R5ZI profile (-O2) and run in QEMU
mps2-an386 on the same seeded inputs; the blob is a constant in flash, as a model partition
would be. Instructions are exact counts (the project's TCG plugin); the outputs of both builds
must be identical.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from bench.doc_section import markdown_table, write_section
from microforge.measure.verify import random_inputs
from microforge.paths import shared_data_dir
from microforge.runners.host import compile_and_load
from microforge.runners.mcu import run_model_on_mcu

ROOT = Path(__file__).resolve().parents[1]
DOC = ROOT / "docs" / "benchmarks.md"
HEADING = "## Model-only updates: the blob mode on the Cortex-M4 (issue 14)"
BOARD = "nucleo_l4r5zi"
MODELS = {"kws": "models/mlperf_kws/kws_ref_model.tflite",
          "ic_int8": "models/mlperf_ic/pretrainedResnet_quant.tflite",
          "ad_int8": "models/mlperf_ad/ad01_int8.tflite"}


@dataclass(frozen=True)
class Build:
    instructions: int  # median per inference
    library_flash: int  # generated library: text + rodata + data (the blob is the app's)
    stack: int
    blob: int  # bytes of the blob (0 when baked)


def measure(path: Path, weights: str, work: Path, n: int) -> tuple[Build, list]:
    model = compile_and_load(path, work / weights / "c", name="m", weights=weights)
    samples = random_inputs(model.info, n, seed=1)
    result = run_model_on_mcu(model, BOARD, samples, work_dir=work / weights / "mcu")
    blob = len(model.info.blob) if model.info.blob is not None else 0
    return Build(int(statistics.median(result.instructions)), result.library_flash_bytes,
                 result.stack_bytes, blob), result.outputs


def blob_bundle_flow(kws: Path, work: Path) -> str:
    """The KWS blob bundle on the M4: its size, verify and canary instructions."""
    from microforge.ota.bundle import (
        DEFAULT_CLASS,
        DEFAULT_VENDOR,
        class_uuid,
        make_bundle,
        vendor_uuid,
    )
    from microforge.ota.host import Policy
    from microforge.ota.keys import generate_keys, load_public_key, raw_public_key
    from microforge.ota.mcu import update_flow_on_mcu

    private, public = generate_keys(work / "keys")
    sizes = {}
    for payload in ("tflite", "blob"):
        result = make_bundle(kws, private, "1.0.0", 1, work / f"{payload}.bin", payload=payload)
        sizes[payload] = result
    blob = sizes["blob"]
    policy = Policy(keys=[(raw_public_key(load_public_key(public)), False)],
                    vendor=vendor_uuid(DEFAULT_VENDOR),
                    model_class=class_uuid(DEFAULT_VENDOR, DEFAULT_CLASS),
                    abi_hash=blob.abi_hash, min_counter=0)
    flow = update_flow_on_mcu(BOARD, policy, blob.path.read_bytes(), work / "flow",
                              firmware_model=kws)
    if (flow.verify, flow.blob, flow.canary) != ("ok", "ok", "ok"):
        raise SystemExit(f"KWS blob bundle flow: {flow}")
    return (f"KWS as a blob bundle (`bundle --payload blob`): {blob.size:,} B (payload "
            f"{blob.payload_size:,} B + {blob.overhead:,} B) instead of "
            f"{sizes['tflite'].size:,} B with the .tflite. On the M4 (`verify kws.tflite "
            f"--bundle`, -Os): verify {flow.verify_instructions:,} instructions, then "
            f"`mf_<name>_set_blob` from the verified slot accepts it ({flow.blob}) and the "
            f"{blob.canaries} canaries pass bit-exact in {flow.canary_instructions:,} "
            f"instructions; firmware library (verifier + crypto + blob-mode model) "
            f"{flow.library_flash_bytes:,} B flash, stack high-water {flow.stack_bytes:,} B.")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--inputs", type=int, default=3)
    parser.add_argument("--models", nargs="*", default=list(MODELS))
    parser.add_argument("--write-docs", action="store_true")
    args = parser.parse_args()
    data = shared_data_dir()
    if data is None:
        raise SystemExit("../shared/data not found")
    rows = []
    with tempfile.TemporaryDirectory(prefix="mf_bench_blob_") as tmp:
        for name in args.models:
            work = Path(tmp) / name
            baked, out_baked = measure(data / MODELS[name], "baked", work, args.inputs)
            blob, out_blob = measure(data / MODELS[name], "blob", work, args.inputs)
            same = all(np.array_equal(a, b) for x, y in zip(out_baked, out_blob, strict=True)
                       for a, b in zip(x, y, strict=True))
            if not same:
                raise SystemExit(f"{name}: blob and baked outputs differ")
            extra = blob.instructions - baked.instructions
            rows.append([name, f"{baked.instructions:,}", f"{blob.instructions:,}",
                         f"{extra:+,} ({extra / baked.instructions:+.3%})", f"{baked.library_flash:,}", f"{blob.library_flash:,}",
                         f"{blob.blob:,}", f"{baked.stack:,} / {blob.stack:,}"])
            print(rows[-1])
        flow = blob_bundle_flow(data / MODELS["kws"], Path(tmp) / "bundle")
        print(flow)
    table = markdown_table(
        ["model", "instructions, baked", "instructions, blob", "cost", "flash baked (code + "
         "constants)", "flash blob (code only)", "blob", "stack baked / blob"],
        "lrrrrrrr", rows)
    text = f"""{HEADING}

`python -m bench.ota_blob --write-docs`: each model compiled with its weights baked in and
with `--weights blob` (weights, biases and quantization constants read from a blob in flash
through one base pointer), run on the emulated Cortex-M4 (QEMU mps2-an386, NUCLEO-L4R5ZI
profile, -O2, {args.inputs} seeded inputs, exact instruction counts per inference). The outputs
of the two builds are identical (checked). The cost is each operator's parameter struct built
on the stack from the blob at every invoke instead of read from a `static const` struct;
the kernels themselves are the same. "flash" is the generated library (the blob excluded for
the blob build); stack is the painted high-water mark of the whole test firmware.

{table}

{flow}
"""
    print(text)
    if args.write_docs:
        write_section(DOC, HEADING, text)


if __name__ == "__main__":
    main()
