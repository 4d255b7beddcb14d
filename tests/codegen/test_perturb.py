"""Perturbed copies of a graph keep the architecture and change the trained values."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from microforge.codegen.perturb import perturbed_graph
from microforge.ir.tflite_reader import read_tflite

KWS = "models/mlperf_kws/kws_ref_model.tflite"


def test_shapes_kept_values_and_quantization_changed(shared_data: Path) -> None:
    graph = read_tflite(shared_data / KWS)
    other = perturbed_graph(graph, seed=1)
    assert [op.op_type for op in other.operators] == [op.op_type for op in graph.operators]
    changed_scale = changed_zero = changed_data = 0
    for a, b in zip(graph.tensors, other.tensors, strict=True):
        assert (a.shape, a.dtype, a.is_constant) == (b.shape, b.dtype, b.is_constant)
        if a.data is not None and b.data is not None:
            assert np.array_equal(np.abs(a.data.astype(np.int64)).clip(max=127),
                                  np.abs(b.data.astype(np.int64)).clip(max=127))
            changed_data += not np.array_equal(a.data, b.data)
        if a.quant is not None and b.quant is not None:
            changed_scale += a.quant.scale != b.quant.scale
            changed_zero += a.quant.zero_point != b.quant.zero_point
            if a.is_constant:  # symmetric weights stay symmetric
                assert a.quant.zero_point == b.quant.zero_point
    assert changed_scale and changed_zero and changed_data
    # the softmax output keeps TFLite's fixed 1/256, -128
    out = graph.tensors[graph.outputs[0]]
    assert other.tensors[graph.outputs[0]].quant == out.quant


def test_shared_quantization_stays_shared_and_seeds_differ(shared_data: Path) -> None:
    graph = read_tflite(shared_data / KWS)
    one, two = perturbed_graph(graph, 1), perturbed_graph(graph, 2)
    groups: dict = {}
    for t, p in zip(graph.tensors, one.tensors, strict=True):
        if t.quant is not None and not t.is_constant:
            groups.setdefault((t.dtype, t.quant), set()).add(p.quant)
    assert all(len(v) == 1 for v in groups.values())
    assert any(a.quant != b.quant for a, b in zip(one.tensors, two.tensors, strict=True))
