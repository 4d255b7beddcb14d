"""UNIDIRECTIONAL_SEQUENCE_LSTM: the Keras LSTM layer as TFLM runs it (lstm_eval.h), float32,
and int8 activations with int8 weights, int32 biases and an int16 cell state.

Per time step, per gate (input, forget, cell, output): a fully connected layer of the input
(with the gate's bias) plus one of the hidden state (no bias), a sigmoid (the cell gate: the
op's activation, tanh or sigmoid); then cell = forget * cell + input * cell_gate (clipped to
cell_clip when it is set), hidden = output_gate * tanh(cell), and the hidden state is the step's
output. In int8, as TFLM: the gate sums are int16 in Q3.12, the gate outputs int16 in Q0.15,
the cell state int16 at its own power-of-two scale, with TFLM's int16 sigmoid/tanh
(kernels/sigmoid_tanh_s16.c) and its multipliers computed here.

The hidden and cell states are variable tensors: they live in the model's state area
(codegen/state.py) and carry over from one invoke to the next, exactly as in TFLM, until
mf_<name>_reset(). Like TFLM, only the standard LSTM: no peephole, projection, layer
normalisation or coupled input/forget gate.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from microforge.ir.graph import NO_TENSOR, Graph, Operator
from microforge.ir.tensor import Tensor
from microforge.ops._support import c_float, check_int8_accumulator, named, pick, struct_call
from microforge.ops.base import Cost, EmitContext, MemoryHints, OpDef, register
from microforge.ops.kernel_structs import designated
from microforge.ops.quant import quantize_multiplier

INPUT, HIDDEN, CELL = 0, 18, 19
GATES = ("input", "forget", "cell", "output")  # TFLM's order of weights and biases
INPUT_WEIGHTS = (1, 2, 3, 4)
RECURRENT_WEIGHTS = (5, 6, 7, 8)
BIASES = (12, 13, 14, 15)
VARIANT_INPUTS = {9: "peephole", 10: "peephole", 11: "peephole", 16: "projection",
                  17: "projection", 20: "layer normalisation", 21: "layer normalisation",
                  22: "layer normalisation", 23: "layer normalisation"}
CELL_ACTIVATIONS = {"TANH": 1, "SIGMOID": 0}
GATE_INPUT_SCALE = 2.0 ** -12  # the gate sums, Q3.12 (TFLM's nonlinear_input_scale)
GATE_OUTPUT_SCALE = 2.0 ** -15  # sigmoid/tanh outputs, Q0.15
INT16_MIN, INT16_MAX = -32768, 32767


@dataclass(frozen=True)
class LstmGeometry:
    batches: int
    steps: int
    input_dim: int
    state_dim: int
    time_major: bool

    @property
    def step_batches(self) -> int:
        """Rows of one step: every batch at once when time-major, else one at a time."""
        return self.batches if self.time_major else 1


@dataclass(frozen=True)
class GateQuant:
    input_bias: np.ndarray  # int32: bias + input offset x row sums of the input weights
    recurrent_bias: np.ndarray  # int32: hidden offset x row sums of the recurrent weights
    input_multiplier: int
    input_shift: int
    recurrent_multiplier: int
    recurrent_shift: int


@dataclass(frozen=True)
class LstmParams:
    dtype: str
    geometry: LstmGeometry
    cell_tanh: int  # the cell gate's activation: 1 tanh, 0 sigmoid
    cell_clip: float  # float32 only (0: none)
    # int8 only
    gates: tuple[GateQuant, ...] = ()
    forget_mul: tuple[int, int] = (0, 0)  # forget gate x cell -> cell
    input_mul: tuple[int, int] = (0, 0)  # input gate x cell gate -> cell
    output_mul: tuple[int, int] = (0, 0)  # output gate x tanh(cell) -> hidden
    hidden_zero_point: int = 0
    cell_tanh_multiplier: int = 0  # Tanh(cell state) input scaling (TFLM's, see _cell_tanh)
    cell_tanh_shift: int = 0
    quantized_cell_clip: int = 0


def _present(op: Operator, i: int) -> bool:
    return i < len(op.inputs) and op.inputs[i] != NO_TENSOR


@register
class UnidirectionalSequenceLstm(OpDef):
    op_type = "UNIDIRECTIONAL_SEQUENCE_LSTM"
    dtypes = ("float32", "int8")

    def unsupported_reason(self, op: Operator, graph: Graph) -> str | None:
        if len(op.inputs) != 24 or len(op.outputs) != 1:
            return f"{len(op.inputs)} inputs and {len(op.outputs)} outputs (TFLM needs 24 and 1)"
        missing = [i for i in (INPUT, *INPUT_WEIGHTS, *RECURRENT_WEIGHTS, *BIASES, HIDDEN, CELL)
                   if not _present(op, i)]
        if missing:
            return (f"input {missing[0]} is absent (a coupled input/forget gate is not "
                    "supported, as in TFLM)")
        variant = next((VARIANT_INPUTS[i] for i in sorted(VARIANT_INPUTS) if _present(op, i)),
                       None)
        if variant:
            return f"{variant} LSTM (TFLM runs the standard LSTM only)"
        activation = op.options.get("fused_activation_function", "TANH")
        if activation not in CELL_ACTIVATIONS:
            return f"cell gate activation {activation} (TFLM: TANH or SIGMOID)"
        if op.options.get("diagonal_recurrent_tensors", False):
            return "diagonal recurrent weights"
        t = [graph.tensors[i] for i in op.inputs]
        if not (t[HIDDEN].is_variable and t[CELL].is_variable):
            return "the hidden and cell states must be variable tensors"
        weights = [t[i] for i in (*INPUT_WEIGHTS, *RECURRENT_WEIGHTS)]
        biases = [t[i] for i in BIASES]
        if not all(w.is_constant for w in weights) or not all(b.is_constant for b in biases):
            return "weights and biases must be constant"
        x, out = t[INPUT], graph.tensors[op.outputs[0]]
        if x.dtype == "float32":
            kinds = {w.dtype for w in weights} | {b.dtype for b in biases} | {
                t[HIDDEN].dtype, t[CELL].dtype, out.dtype}
            return None if kinds == {"float32"} else f"float32 LSTM with {sorted(kinds)} tensors"
        if x.dtype != "int8":
            return f"{x.dtype} activations (int16 activations are not done yet)"
        if (out.dtype, t[HIDDEN].dtype, t[CELL].dtype) != ("int8", "int8", "int16"):
            return (f"int8 LSTM needs int8 output and hidden state and an int16 cell state, not "
                    f"{out.dtype}/{t[HIDDEN].dtype}/{t[CELL].dtype}")
        if {w.dtype for w in weights} != {"int8"} or {b.dtype for b in biases} != {"int32"}:
            return "int8 LSTM needs int8 weights and int32 biases"
        for tensor in (x, out, t[HIDDEN], t[CELL], *weights):
            if tensor.quant is None or tensor.quant.per_channel:
                return f"tensor {tensor.index} needs one (per-tensor) scale"
        if any(w.zero_point != 0 for w in weights):
            return "weights with a non-zero zero point"
        if t[CELL].zero_point != 0 or _log2(t[CELL].scale) is None:
            return "the cell state must have a power-of-two scale and zero point 0 (as TFLM)"
        return None

    def check_shapes(self, op: Operator, graph: Graph) -> None:
        g = self._geometry(op, graph)
        t = [graph.tensors[i] if i != NO_TENSOR else None for i in op.inputs]
        for i in INPUT_WEIGHTS:
            self._expect(op, t[i], (g.state_dim, g.input_dim), "input weights")
        for i in RECURRENT_WEIGHTS:
            self._expect(op, t[i], (g.state_dim, g.state_dim), "recurrent weights")
        for i in BIASES:
            self._expect(op, t[i], (g.state_dim,), "bias")
        for i in (HIDDEN, CELL):
            state = t[i]
            assert state is not None
            if state.num_elements != g.batches * g.state_dim:
                raise self.fail(op, f"state tensor {state.index} has {state.num_elements} values,"
                                    f" expected {g.batches} x {g.state_dim}")
        out = graph.tensors[op.outputs[0]]
        x = graph.tensors[op.inputs[INPUT]]
        if tuple(out.shape) != (*x.shape[:2], g.state_dim):
            raise self.fail(op, f"output shape {list(out.shape)} differs from "
                                f"{[*x.shape[:2], g.state_dim]}")

    def _expect(self, op: Operator, t: Tensor | None, shape: tuple[int, ...], what: str) -> None:
        if t is None or tuple(t.shape) != shape:
            raise self.fail(op, f"{what} tensor has shape {list(t.shape) if t else None}, "
                                f"expected {list(shape)}")

    def _geometry(self, op: Operator, graph: Graph) -> LstmGeometry:
        x = graph.tensors[op.inputs[INPUT]]
        w = graph.tensors[op.inputs[INPUT_WEIGHTS[1]]]
        if len(x.shape) != 3 or len(w.shape) != 2:
            raise self.fail(op, f"input must be 3-D and weights 2-D, not {list(x.shape)} and "
                                f"{list(w.shape)}")
        time_major = bool(op.options.get("time_major", False))
        steps, batches = (x.shape[0], x.shape[1]) if time_major else (x.shape[1], x.shape[0])
        return LstmGeometry(batches, steps, x.shape[2], w.shape[0], time_major)

    def prepare(self, op: Operator, graph: Graph) -> LstmParams:
        g = self._geometry(op, graph)
        cell_tanh = CELL_ACTIVATIONS[op.options.get("fused_activation_function", "TANH")]
        cell_clip = float(op.options.get("cell_clip", 0.0))
        x = graph.tensors[op.inputs[INPUT]]
        if x.dtype == "float32":
            return LstmParams("float32", g, cell_tanh, cell_clip)
        hidden, cell = graph.tensors[op.inputs[HIDDEN]], graph.tensors[op.inputs[CELL]]
        gates = tuple(self._gate(op, graph, x, hidden, iw, rw, b) for iw, rw, b in
                      zip(INPUT_WEIGHTS, RECURRENT_WEIGHTS, BIASES, strict=True))
        cell_scale = float(np.float32(cell.scale))
        power = _log2(cell.scale)
        assert power is not None
        tanh_multiplier, tanh_shift = _cell_tanh(power)
        return LstmParams(
            "int8", g, cell_tanh, cell_clip, gates,
            forget_mul=_mul(GATE_OUTPUT_SCALE, cell_scale, cell_scale),
            input_mul=_mul(GATE_OUTPUT_SCALE, GATE_OUTPUT_SCALE, cell_scale),
            output_mul=_mul(GATE_OUTPUT_SCALE, GATE_OUTPUT_SCALE, float(hidden.scale)),
            hidden_zero_point=hidden.zero_point, cell_tanh_multiplier=tanh_multiplier,
            cell_tanh_shift=tanh_shift,
            quantized_cell_clip=_quantized_clip(cell_clip, cell_scale) if cell_clip > 0 else 0)

    def _gate(self, op: Operator, graph: Graph, x: Tensor, hidden: Tensor, iw: int, rw: int,
              b: int) -> GateQuant:
        w_in, w_rec = graph.tensors[op.inputs[iw]], graph.tensors[op.inputs[rw]]
        bias = graph.tensors[op.inputs[b]]
        assert w_in.data is not None and w_rec.data is not None and bias.data is not None
        check_int8_accumulator(op, w_in.data, bias.data, x.zero_point)
        check_int8_accumulator(op, w_rec.data, None, hidden.zero_point)
        in_sums = w_in.data.astype(np.int64).sum(axis=1)
        rec_sums = w_rec.data.astype(np.int64).sum(axis=1)
        in_mult, in_shift = quantize_multiplier(_fc_multiplier(x, w_in))
        rec_mult, rec_shift = quantize_multiplier(_fc_multiplier(hidden, w_rec))
        return GateQuant(
            (bias.data.astype(np.int64) - x.zero_point * in_sums).astype(np.int32),
            (-hidden.zero_point * rec_sums).astype(np.int32),
            in_mult, in_shift, rec_mult, rec_shift)

    def cost(self, op: Operator, graph: Graph, params: LstmParams) -> Cost:
        g = params.geometry
        macs = g.batches * g.steps * 4 * g.state_dim * (g.input_dim + g.state_dim)
        weights = sum(graph.tensors[op.inputs[i]].nbytes
                      for i in (*INPUT_WEIGHTS, *RECURRENT_WEIGHTS, *BIASES))
        return Cost(macs=macs, weight_bytes=weights, scratch_bytes=self._scratch_bytes(params))

    @staticmethod
    def _scratch_bytes(params: LstmParams) -> int:
        """TFLM's four gate buffers of one step, in the cell state's type."""
        g = params.geometry
        return 4 * g.step_batches * g.state_dim * (4 if params.dtype == "float32" else 2)

    def memory(self, op: Operator, graph: Graph, params: LstmParams) -> MemoryHints:
        return MemoryHints(scratch_bytes=self._scratch_bytes(params))

    def emit(self, op: Operator, graph: Graph, params: LstmParams, ctx: EmitContext) -> None:
        g = params.geometry
        shape = {**pick(g, "batches steps input_dim state_dim"), "time_major": int(g.time_major),
                 "cell_tanh": params.cell_tanh}
        tensors = [ctx.ptr(op.inputs[INPUT]), ctx.ptr(op.inputs[HIDDEN]),
                   ctx.ptr(op.inputs[CELL]), ctx.ptr(op.outputs[0])]
        in_w = [ctx.ptr(op.inputs[i]) for i in INPUT_WEIGHTS]
        rec_w = [ctx.ptr(op.inputs[i]) for i in RECURRENT_WEIGHTS]
        if params.dtype == "float32":
            ctx.use_kernel("fully_connected_f32")
            ctx.use_kernel("logistic_tanh_f32")
            ctx.use_kernel("lstm_f32")
            biases = [ctx.ptr(op.inputs[i]) for i in BIASES]
            gates = [designated("mf_lstm_f32_gate", {"input_weights": w, "recurrent_weights": r,
                                                     "bias": b})
                     for w, r, b in zip(in_w, rec_w, biases, strict=True)]
            fields = {**shape, "cell_clip": c_float(float(np.float32(params.cell_clip))),
                      "gates": "{" + ", ".join(gates) + "}"}
            ctx.call(struct_call("lstm_f32", fields, [*tensors, f"(float *){ctx.scratch()}"]))
            return
        ctx.use_kernel("mf_requantize")
        ctx.use_kernel("sigmoid_tanh_s16")
        ctx.use_kernel("lstm_s8")
        gates = []
        for name, gate, w, r in zip(GATES, params.gates, in_w, rec_w, strict=True):
            in_bias = ctx.const(f"op{op.index}_{name}_bias", gate.input_bias)
            rec_bias = ctx.const(f"op{op.index}_{name}_recurrent_bias", gate.recurrent_bias)
            gates.append(designated("mf_lstm_s8_gate", {
                "input_weights": w, "recurrent_weights": r, "input_bias": in_bias,
                "recurrent_bias": rec_bias, **pick(gate, "input_multiplier input_shift "
                                                        "recurrent_multiplier recurrent_shift")}))
        fields = {**shape, "gates": "{" + ", ".join(gates) + "}",
                  **named("forget_multiplier forget_shift", params.forget_mul),
                  **named("input_multiplier input_shift", params.input_mul),
                  **named("output_multiplier output_shift", params.output_mul),
                  **pick(params, "hidden_zero_point cell_tanh_multiplier cell_tanh_shift"),
                  "cell_clip": params.quantized_cell_clip}
        ctx.call(struct_call("lstm_s8", fields, [*tensors, f"(int16_t *){ctx.scratch()}"]))


def _fc_multiplier(x: Tensor, w: Tensor) -> float:
    """GetQuantizedConvolutionMultipler for a gate's fully connected layer, over the Q3.12
    output scale. TFLM's source multiplies the two float scales in float32, but the TFLM this
    is verified against behaves as the double product (as for FULLY_CONNECTED, docs/ops.md):
    tests/ops/test_unidirectional_sequence_lstm.py finds inputs where the two differ."""
    return float(x.scale) * float(w.scale) / GATE_INPUT_SCALE


def _log2(scale: float) -> int | None:
    """TFLite's CheckedLog2: the rounded log2 of the scale when it is a power of two."""
    log = math.log2(float(np.float32(scale)))
    rounded = round(log)
    return int(rounded) if abs(log - rounded) < 1e-3 else None


def _cell_tanh(power: int) -> tuple[int, int]:
    """(multiplier, shift) of TFLM's lstm_internal::Tanh for a cell state scale of 2^power,
    already put in the form reference_integer_ops::Tanh uses: x -> (x * m + round) >> shift."""
    left = (15 + power) - 3
    if left < 0:
        return 3, -left
    return 3 << left, 0


def _mul(scale_a: float, scale_b: float, scale_out: float) -> tuple[int, int]:
    """TFLM's CreateInterGateMulParams: (a * b / out) in double, to (multiplier, shift)."""
    return quantize_multiplier(float(np.float32(scale_a)) * float(np.float32(scale_b))
                               / float(np.float32(scale_out)))


def _quantized_clip(cell_clip: float, cell_scale: float) -> int:
    """static_cast<int16_t>(min(max(clip / scale, -32768), 32767)): truncation toward zero."""
    value = min(max(float(np.float32(cell_clip)) / cell_scale, float(INT16_MIN)),
                float(INT16_MAX))
    return int(value)

