"""Calibrate and check the search's per-op cost model (src/microforge/search/cost_model.py).

    nice -n 10 .venv/bin/python -m bench.search_cost [--boards nucleo_l4r5zi raspberry_pi_pico]

24 untrained zoo networks of the shapes `microforge search` tries (cnn1d on raw IMU windows,
dense on spectral features, dscnn on MFCC) are compiled and run once on the emulated core of
each board. The factors are fitted on the even-numbered networks and the estimate's error is
measured on the odd-numbered ones; the fitted table (on all of them) is printed as Python to
paste into TABLES.
"""

from __future__ import annotations

import argparse
import time

import numpy as np

# (architecture, input shape, width, depth): the held-out half is every second entry
NETWORKS = [
    ("cnn1d", (128, 9), 1.0, 3), ("cnn1d", (64, 9), 0.5, 2), ("cnn1d", (96, 9), 0.75, 4),
    ("cnn1d", (128, 9), 0.25, 1), ("cnn1d", (64, 9), 1.5, 3), ("cnn1d", (128, 9), 0.5, 4),
    ("cnn1d", (96, 9), 1.0, 2), ("cnn1d", (64, 9), 0.25, 3),
    ("dense", (90,), 1.0, 2), ("dense", (198,), 0.5, 3), ("dense", (54,), 1.5, 1),
    ("dense", (126,), 0.75, 2),
    ("dscnn", (49, 10), 0.5, 2), ("dscnn", (61, 13), 0.25, 3), ("dscnn", (49, 13), 0.5, 1),
    ("dscnn", (32, 10), 0.75, 2),
    ("cnn1d", (128, 3), 0.5, 3), ("cnn1d", (48, 6), 1.0, 2), ("cnn1d", (128, 6), 0.25, 2),
    ("cnn1d", (32, 9), 0.75, 1), ("dense", (27,), 0.5, 1), ("dense", (300,), 1.0, 3),
    ("dscnn", (49, 10), 0.25, 4), ("dscnn", (24, 20), 0.5, 1),
]


def measure(board_id: str) -> tuple[list[np.ndarray], list[int], list[str]]:
    from microforge.ir.tflite_reader import read_tflite
    from microforge.runners.host import compile_and_load
    from microforge.search.cost import network_cost, network_int8
    from microforge.search.cost_model import op_features
    from microforge.targets.boards import load_board

    board = load_board(board_id)
    rows, counts, names = [], [], []
    for arch, shape, width, depth in NETWORKS:
        tflite = network_int8(arch, shape, 6, width, depth)
        cost = network_cost(tflite, shape, board, "emulator")
        ops = compile_and_load(tflite, target=board).info.ops  # its kernel variants
        rows.append(op_features(ops, read_tflite(tflite)))
        counts.append(int(cost.instructions or 0))
        names.append(f"{arch} {shape} w{width} d{depth}")
    return rows, counts, names


def main() -> None:
    from microforge.search.cost_model import fit_table, predict
    from microforge.targets.boards import load_board

    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--boards", nargs="+", default=["nucleo_l4r5zi", "raspberry_pi_pico"])
    args = parser.parse_args()
    for board_id in args.boards:
        started = time.perf_counter()
        core = load_board(board_id).core
        rows, counts, names = measure(board_id)
        fit = fit_table(core, rows[::2], counts[::2], "")
        errors = [predict(fit, r) / c - 1 for r, c in zip(rows[1::2], counts[1::2], strict=True)]
        print(f"## {core} ({board_id}), {len(rows)} networks, "
              f"{time.perf_counter() - started:.0f} s")
        for name, r, c in zip(names[1::2], rows[1::2], counts[1::2], strict=True):
            print(f"  held out {name}: measured {c:,}, estimated {predict(fit, r):,} "
                  f"({100 * (predict(fit, r) / c - 1):+.1f} %)")
        print(f"  held-out error: mean |e| {100 * np.mean(np.abs(errors)):.1f} %, "
              f"max |e| {100 * np.max(np.abs(errors)):.1f} %")
        table = fit_table(core, rows, counts, "")
        print(f"  {core!r}: {table.factors}")


if __name__ == "__main__":
    main()
