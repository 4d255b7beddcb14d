"""Structural checks of a Graph, run after reading and after every pass."""

from __future__ import annotations

from microforge.errors import ModelError
from microforge.ir.graph import NO_TENSOR, Graph


def verify_graph(graph: Graph) -> None:
    """Raise ModelError when the graph is not a well-formed, topologically ordered dataflow."""
    n = len(graph.tensors)
    for position, tensor in enumerate(graph.tensors):
        if tensor.index != position:
            raise ModelError(f"graph {graph.name!r}: tensor at position {position} has index "
                             f"{tensor.index}")
        if tensor.data is not None and tuple(tensor.data.shape) != tuple(tensor.shape):
            raise ModelError(f"tensor {tensor.index} ({tensor.name!r}): constant data shape "
                             f"{tensor.data.shape} differs from the declared {tensor.shape}")
    for index in graph.inputs + graph.outputs:
        if not 0 <= index < n:
            raise ModelError(f"graph {graph.name!r}: input/output tensor {index} out of range")
    for index in graph.inputs:
        if graph.tensors[index].is_constant:
            raise ModelError(f"graph input tensor {index} ({graph.tensors[index].name!r}) "
                             "is a constant")
    for kind, indices in (("input", graph.inputs), ("output", graph.outputs)):
        if len(set(indices)) != len(indices):
            twice = next(i for i in indices if indices.count(i) > 1)
            raise ModelError(f"graph {kind} tensor {twice} ({graph.tensors[twice].name[:64]!r}) "
                             f"is listed more than once; each graph {kind} must be its own tensor")
    for index in graph.outputs:
        if index in graph.inputs:
            raise ModelError(f"graph output tensor {index} ({graph.tensors[index].name[:64]!r}) "
                             "is also a graph input; an output must be computed by an operator")
    available = set(graph.inputs) | {t.index for t in graph.tensors
                                     if t.is_constant or t.is_variable}
    produced: dict[int, int] = {}
    for position, op in enumerate(graph.operators):
        where = f"operator {op.index} ({op.op_type})"
        if op.index != position:
            raise ModelError(f"{where} is at position {position}; operator indices must be in order")
        _check_arity(op, where)
        for i in op.inputs:
            if i == NO_TENSOR:
                continue
            if not 0 <= i < n:
                raise ModelError(f"{where}: input tensor {i} out of range")
            if i not in available:
                raise ModelError(f"{where}: input tensor {i} ({graph.tensors[i].name!r}) is used "
                                 "before any operator produces it")
        for o in op.outputs:
            if not 0 <= o < n:
                raise ModelError(f"{where}: output tensor {o} out of range")
            if o in produced:
                raise ModelError(f"{where}: tensor {o} ({graph.tensors[o].name!r}) is already "
                                 f"produced by operator {produced[o]}")
            if graph.tensors[o].is_constant or graph.tensors[o].is_variable or o in graph.inputs:
                raise ModelError(f"{where}: writes tensor {o} ({graph.tensors[o].name!r}), which "
                                 "is a constant, a variable or a graph input")
            produced[o] = op.index
            available.add(o)
        _check_dtypes(graph, op.index)
    for index in graph.outputs:
        if index not in available:
            raise ModelError(f"graph output tensor {index} ({graph.tensors[index].name!r}) is "
                             "never produced")


# TFLite builtin ops: (fewest inputs, most inputs, positions that may be absent (-1)), as
# TFLite's kernels define them; every op has one output except those in _MULTI_OUTPUT. Ops not
# listed (fused ops made by the passes, ops the compiler does not implement) are checked by their
# own modules.
_ARITY: dict[str, tuple[int, int, frozenset[int]]] = {
    "CONV_2D": (2, 3, frozenset({2})), "DEPTHWISE_CONV_2D": (2, 3, frozenset({2})),
    "FULLY_CONNECTED": (2, 3, frozenset({2})), "RESHAPE": (1, 2, frozenset({1})),
    "ADD": (2, 2, frozenset()), "SUB": (2, 2, frozenset()), "MUL": (2, 2, frozenset()),
    "MAXIMUM": (2, 2, frozenset()), "MINIMUM": (2, 2, frozenset()),
    "MEAN": (2, 2, frozenset()), "PAD": (2, 2, frozenset()), "PADV2": (2, 3, frozenset()),
    "TRANSPOSE": (2, 2, frozenset()), "EXPAND_DIMS": (2, 2, frozenset()),
    "STRIDED_SLICE": (4, 4, frozenset()), "CONCATENATION": (1, 1 << 10, frozenset()),
    "SOFTMAX": (1, 1, frozenset()), "LOGISTIC": (1, 1, frozenset()), "TANH": (1, 1, frozenset()),
    "RELU": (1, 1, frozenset()), "RELU6": (1, 1, frozenset()), "LEAKY_RELU": (1, 1, frozenset()),
    "HARD_SWISH": (1, 1, frozenset()), "QUANTIZE": (1, 1, frozenset()),
    "DEQUANTIZE": (1, 1, frozenset()), "SQUEEZE": (1, 1, frozenset()),
    "AVERAGE_POOL_2D": (1, 1, frozenset()), "MAX_POOL_2D": (1, 1, frozenset()),
    **{name: (1, 1, frozenset()) for name in (
        "ABS", "NEG", "SQUARE", "SQRT", "RSQRT", "EXP", "LOG", "SIN", "COS", "FLOOR", "CEIL",
        "ROUND", "ELU", "LOG_SOFTMAX", "L2_NORMALIZATION")},
    "PRELU": (2, 2, frozenset()), "SQUARED_DIFFERENCE": (2, 2, frozenset()),
    "DIV": (2, 2, frozenset()), "RESIZE_NEAREST_NEIGHBOR": (2, 2, frozenset()),
    "FLOOR_DIV": (2, 2, frozenset()), "FLOOR_MOD": (2, 2, frozenset()),
    "SLICE": (3, 3, frozenset()), "GATHER": (2, 2, frozenset()),
    "SPLIT": (2, 2, frozenset()), "SPLIT_V": (3, 3, frozenset()), "PACK": (1, 1 << 10, frozenset()),
    "UNPACK": (1, 1, frozenset()), "CAST": (1, 1, frozenset()), "ARG_MAX": (2, 2, frozenset()),
    "ARG_MIN": (2, 2, frozenset()), "REDUCE_MAX": (2, 2, frozenset()),
    "REDUCE_MIN": (2, 2, frozenset()), "DEPTH_TO_SPACE": (1, 1, frozenset()),
    "SPACE_TO_DEPTH": (1, 1, frozenset()), "MIRROR_PAD": (2, 2, frozenset()),
    "ZEROS_LIKE": (1, 1, frozenset()),
}
# listed ops with one or more outputs (their modules check the count against the options)
_MULTI_OUTPUT = frozenset({"SPLIT", "SPLIT_V", "UNPACK", "IF", "WHILE", "MF_IF_MERGE", "MF_COPY"})
# ops that act on resource variables or mark a loop (no output tensor)
_NO_OUTPUT = frozenset({"ASSIGN_VARIABLE", "CALL_ONCE", "MF_LOOP_BEGIN", "MF_LOOP_BREAK",
                        "MF_LOOP_STORE", "MF_LOOP_END"})


def _check_arity(op, where: str) -> None:
    if not op.outputs and op.op_type not in _NO_OUTPUT:
        raise ModelError(f"{where} has no output; the file is corrupt")
    arity = _ARITY.get(op.op_type)
    if arity is None:
        return
    fewest, most, optional = arity
    if not fewest <= len(op.inputs) <= most:
        expected = str(fewest) if fewest == most else f"{fewest} to {most}"
        raise ModelError(f"{where} has {len(op.inputs)} inputs; TFLite's {op.op_type} takes "
                         f"{expected}")
    for position, index in enumerate(op.inputs):
        if index == NO_TENSOR and position not in optional:
            raise ModelError(f"{where}: input {position} is absent (-1), but TFLite's "
                             f"{op.op_type} requires it")
    if len(op.outputs) != 1 and op.op_type not in _MULTI_OUTPUT | _NO_OUTPUT:
        raise ModelError(f"{where} has {len(op.outputs)} outputs; TFLite's {op.op_type} has one")


# ops whose data inputs and output must share one dtype (the first data input's)
_SAME_DTYPE = {
    "CONV_2D": (0,), "DEPTHWISE_CONV_2D": (0,), "AVERAGE_POOL_2D": (0,), "MAX_POOL_2D": (0,),
    "RESHAPE": (0,), "SOFTMAX": (0,), "ADD": (0, 1), "MUL": (0, 1), "SUB": (0, 1),
    "RELU": (0,), "RELU6": (0,), "LOGISTIC": (0,), "TANH": (0,), "SQUEEZE": (0,),
}


def _check_dtypes(graph: Graph, op_index: int) -> None:
    op = graph.operators[op_index]
    positions = _SAME_DTYPE.get(op.op_type)
    if not positions or not op.outputs:
        return
    out = graph.tensors[op.outputs[0]]
    for p in positions:
        if p >= len(op.inputs) or op.inputs[p] == NO_TENSOR:
            continue
        t = graph.tensors[op.inputs[p]]
        if t.dtype != out.dtype:
            raise ModelError(f"operator {op.index} ({op.op_type}): input {p} is {t.dtype} but the "
                             f"output is {out.dtype}")
