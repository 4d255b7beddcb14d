"""Instructions per kernel of the MLPerf Tiny KWS DS-CNN on the emulated Cortex-M4, beside the
CMSIS-NN figures of issue 12 (issue 12: "faster than CMSIS-NN").

    .venv/bin/python -m bench.kws_kernels [--write-docs]

One QEMU run (Arduino Nano 33 BLE Sense profile: cortex-m4, fpv4-sp-d16, -O2, one seeded
random input) with the plugin's per-function counts: every executed block is counted in the
function it starts in, so a kernel's figure is its own code plus the static helpers it calls.
The shared requantization function of CONV_2D (`mf_conv_requantize`) is split between the
first convolution and the 1x1 convolutions by their number of outputs (one call per output).
"""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

from bench.doc_section import markdown_table, write_section
from microforge.measure.verify import random_inputs
from microforge.paths import shared_data_dir
from microforge.runners.firmware import FirmwareImage
from microforge.runners.host import compile_and_load
from microforge.runners.mcu import function_ranges, run_model_on_mcu

ROOT = Path(__file__).resolve().parents[1]
DOC = ROOT / "docs" / "benchmarks.md"
HEADING = "## KWS kernels on the Cortex-M4 against CMSIS-NN (issue 12)"
BOARD = "arduino_nano_33_ble_sense"
MODEL = "models/mlperf_kws/kws_ref_model.tflite"

# (layer, MACs, calls, CMSIS-NN instructions per call, microforge as issue 12 measured it, per
# call, microforge before the DSP variants (at 1709a58, the kernels' inline SIMD32 paths), per
# call), as measured on QEMU mps2-an386 with arm-none-eabi-gcc 12.2 -O2
ISSUE_12 = {
    "conv": ("CONV_2D 10x4 stride 2, 49x10x1 -> 25x5x64", 320_000, 1, 1_118_175, 2_068_856,
             1_526_476),
    "depthwise": ("DEPTHWISE 3x3, 25x5x64 (each of 4)", 72_000, 4, 560_980, 1_038_800, 744_931),
    "pointwise": ("CONV_2D 1x1, 64 -> 64 (each of 4)", 512_000, 4, 1_069_030, 1_857_923,
                  1_237_438),
    "pool": ("AVERAGE_POOL 25x5", 8_000, 1, 50_751, 67_674, 67_670),
    "fc": ("FULLY_CONNECTED 64 -> 12", 768, 1, 2_188, 2_924, 2_301),
    "softmax": ("SOFTMAX 12", 0, 1, 4_388, 4_257, 2_035),
    "other": ("memcpy/memset, out-of-line DSP requantization (last passes), invoke", 0, 1, 0,
              0, 38_814),
}
NETWORK_CMSIS, NETWORK_BEFORE, NETWORK_SIMD32 = 7_700_000, 13_730_000, 9_570_000
FUNCTIONS = {
    "conv": ("mf_conv2d_s8", "mf_conv_pixels", "mf_conv_pixels_patch", "mf_conv2d_s8_dsp",
             "mf_conv_dsp_gather"),
    "depthwise": ("mf_depthwise_conv2d_s8", "mf_dw_row", "mf_dw_pixel_simd", "mf_dw_store",
                  "mf_depthwise_conv2d_s8_dsp", "mf_dw_dsp_row", "mf_dw_dsp_pixel3x3"),
    "pointwise": ("mf_conv2d_s8_1x1", "mf_conv_1x1_pixel_pair", "mf_conv2d_s8_1x1_dsp"),
    "pool": ("mf_average_pool2d_s8", "mf_average_pool2d_s8_dsp"),
    "fc": ("mf_fully_connected_s8", "mf_fc_requantize", "mf_fully_connected_s8_dsp"),
    "softmax": ("mf_softmax_s8", "mf_sm_exp_negative"),
    "other": ("memcpy", "memset", "mf_kws_invoke", "mf_dsp_store_any", "mf_dsp_requantize",
              "mf_dsp_output"),
}
OUTPUTS = {"conv": 25 * 5 * 64, "pointwise": 4 * 25 * 5 * 64}  # requantize calls per layer kind


KERNEL_TEXT_BEFORE = 8_940  # the same sum at 1709a58 (inline SIMD32 paths, measured)


def kernel_text(image: FirmwareImage, ran: dict[str, int]) -> int:
    """Bytes of code of the kernel functions (mf_*, not the model's own mf_kws_*) that ran."""
    return sum(end - start for start, end, name in function_ranges(image)
               if name in ran and name.startswith("mf_") and not name.startswith("mf_kws_")
               and name not in ("mf_app_main", "mf_run_invoke"))


def per_layer(by_function: dict[str, int]) -> dict[str, int]:
    totals = {k: sum(by_function.get(f, 0) for f in names) for k, names in FUNCTIONS.items()}
    shared = by_function.get("mf_conv_requantize", 0)
    calls = sum(OUTPUTS.values())
    for kind, outputs in OUTPUTS.items():
        totals[kind] += round(shared * outputs / calls)
    return totals


def goals(totals: dict[str, int], network: int) -> str:
    """Issue 12's KWS goals against these figures (computed, not written by hand)."""
    over = [ISSUE_12[k][0] for k, row in ISSUE_12.items()
            if row[3] and totals[k] / row[2] > row[3]]
    layers = ("every layer at or below CMSIS-NN's instructions: holds" if not over
              else "at or below CMSIS-NN: not for " + ", ".join(over))
    whole = (f"whole network <= 5.3 M (2.0/MAC): {'holds' if network <= 5_300_000 else 'not'}"
             f" ({network / 1e6:.2f} M, {network / 2.66e6:.2f}/MAC)")
    return f"Goals (issue 12): {layers}; {whole}."


def doc_text(totals: dict[str, int], network: int, sizes: dict[str, int]) -> str:
    rows = []
    for kind, (layer, macs, calls, cmsis, before, simd32) in ISSUE_12.items():
        ours = totals[kind] / calls
        per_mac = f" ({ours / macs:.2f}/MAC)" if macs else ""
        rows.append([layer, f"{macs:,}" if macs else "", f"{cmsis:,}" if cmsis else "",
                     f"{before:,}" if before else "", f"{simd32:,}",
                     f"{ours:,.0f}{per_mac}", f"{ours / cmsis:.2f}x" if cmsis else ""])
    rows.append(["**whole network**", "2.66 M", f"{NETWORK_CMSIS / 1e6:.2f} M",
                 f"{NETWORK_BEFORE / 1e6:.2f} M", f"{NETWORK_SIMD32 / 1e6:.2f} M",
                 f"**{network / 1e6:.2f} M** ({network / 2.66e6:.2f}/MAC)",
                 f"**{network / NETWORK_CMSIS:.2f}x**"])
    table = markdown_table(["layer", "MACs", "CMSIS-NN (issue 12)", "microforge (issue 12)",
                            "inline SIMD32 paths", "DSP variants now", "now / CMSIS-NN"],
                           "lrrrrrr", rows)
    return f"""{HEADING}

`python -m bench.kws_kernels --write-docs`: instructions per call on the emulated Cortex-M4
(QEMU mps2-an386, {BOARD} profile, arm-none-eabi-gcc 12.2 -O2, one random input), the model
compiled for that board (`target=`, so the DSP kernel variants of codegen/variants.py run),
counted per function by the QEMU plugin (a kernel's own code and its static helpers). The
CMSIS-NN and "issue 12" columns are the measurements quoted in issue 12, "inline SIMD32 paths"
the kernels before the variants (same emulator and compiler). Outputs are bit-exact with TFLM
(tests/ops/test_simd32_kernels.py, tests/e2e/test_shared_models_mcu.py).

{table}

{goals(totals, network)}

Firmware (whole KWS image, this board): flash {sizes["flash"]:,} B (before: 39,556 B), static RAM
{sizes["ram"]:,} B (before: 9,152 B). Kernel code linked (the text of the mf_ kernel functions
that ran): {sizes["kernel_text"]:,} B (before: {KERNEL_TEXT_BEFORE:,} B).
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--write-docs", action="store_true")
    args = parser.parse_args()
    data = shared_data_dir()
    if data is None:
        raise SystemExit("bench.kws_kernels needs ../shared/data (or MICROFORGE_DATA)")
    with tempfile.TemporaryDirectory(prefix="mf_bench_kws_") as tmp:
        model = compile_and_load(data / MODEL, Path(tmp) / "c", name="kws", target=BOARD)
        result = run_model_on_mcu(model, BOARD, random_inputs(model.info, 1, seed=1),
                                  work_dir=Path(tmp) / "m4", functions=True)
        sizes = {"flash": result.flash_bytes, "ram": result.ram_bytes,
                 "kernel_text": kernel_text(result.image, result.functions[0])}
    text = doc_text(per_layer(result.functions[0]), result.instructions[0], sizes)
    print(text)
    if args.write_docs:
        write_section(DOC, HEADING, text)


if __name__ == "__main__":
    main()
