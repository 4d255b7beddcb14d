"""Small PyTorch-style ONNX models, built with the `onnx` helper API (regenerated in each test
run, nothing stored): a backbone of random weights and a classifier head fitted by ridge
regression on a labelled synthetic task, so that the classes are separated as in a trained model.

Each builder returns (onnx.ModelProto, x, labels): x float32 in the ONNX layout (NCHW / NCW).
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

N_CLASSES = 4
OPSET = 17


class Builder:
    """Nodes and initializers of one graph, with fresh names."""

    def __init__(self, seed: int) -> None:
        self.rng = np.random.default_rng(seed)
        self.nodes: list = []
        self.inits: list = []
        self.count = 0

    def name(self, prefix: str) -> str:
        self.count += 1
        return f"{prefix}{self.count}"

    def const(self, value: np.ndarray, prefix: str = "w") -> str:
        from onnx import numpy_helper

        name = self.name(prefix)
        self.inits.append(numpy_helper.from_array(np.asarray(value), name))
        return name

    def node(self, op: str, inputs: list[str], **attrs) -> str:
        from onnx import helper

        out = self.name(op.lower())
        self.nodes.append(helper.make_node(op, inputs, [out], **attrs))
        return out

    def conv(self, x: str, c_in: int, c_out: int, kernel: tuple[int, ...], group: int = 1,
             **attrs) -> str:
        fan_in = c_in // group * int(np.prod(kernel))
        w = self.rng.normal(0, np.sqrt(2.0 / fan_in), (c_out, c_in // group, *kernel))
        b = self.rng.normal(0, 0.05, c_out)
        return self.node("Conv", [x, self.const(w.astype(np.float32)),
                                  self.const(b.astype(np.float32))], group=group, **attrs)

    def batch_norm(self, x: str, c: int) -> str:
        f32 = np.float32
        parts = [self.rng.uniform(0.6, 1.4, c), self.rng.normal(0, 0.1, c),
                 self.rng.normal(0, 0.1, c), self.rng.uniform(0.5, 1.5, c)]
        return self.node("BatchNormalization", [x, *(self.const(p.astype(f32)) for p in parts)])

    def relu6(self, x: str) -> str:
        return self.node("Clip", [x, self.const(np.float32(0.0), "lo"),
                                  self.const(np.float32(6.0), "hi")])

    def gemm(self, x: str, w: np.ndarray, b: np.ndarray) -> str:  # w: (out, in), as nn.Linear
        return self.node("Gemm", [x, self.const(w.astype(np.float32)),
                                  self.const(b.astype(np.float32))], transB=1)

    def model(self, x_shape: tuple[int, ...], output: str, out_shape: list[int]):
        import onnx
        from onnx import TensorProto, helper

        graph = helper.make_graph(
            self.nodes, "fixture", [helper.make_tensor_value_info("x", TensorProto.FLOAT,
                                                                  list(x_shape))],
            [helper.make_tensor_value_info(output, TensorProto.FLOAT, out_shape)], self.inits)
        model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", OPSET)])
        model.ir_version = 9
        onnx.checker.check_model(model)
        return model


def _data(rng: np.random.Generator, shape: tuple[int, ...], n: int):
    protos = rng.normal(0, 1, (N_CLASSES, *shape[1:]))
    labels = np.arange(n) % N_CLASSES
    x = protos[labels] + 0.3 * rng.normal(0, 1, (n, *shape[1:]))
    return x.astype(np.float32), labels


def _features(builder: Builder, x_shape, feature: str, dim: int, x: np.ndarray) -> np.ndarray:
    import onnxruntime as ort

    model = builder.model(x_shape, feature, [1, dim])
    session = ort.InferenceSession(model.SerializeToString(), providers=["CPUExecutionProvider"])
    return np.concatenate([session.run(None, {"x": s[None]})[0] for s in x])


def with_head(builder: Builder, x_shape: tuple[int, ...], feature: str, dim: int, n: int = 240):
    """The backbone ending at `feature` (1 x dim) + a fitted Gemm head over N_CLASSES."""
    x, labels = _data(builder.rng, x_shape, n)
    f = _features(builder, x_shape, feature, dim, x)
    design = np.concatenate([f, np.ones((len(f), 1))], axis=1)
    target = 4.0 * (np.eye(N_CLASSES)[labels] - 0.5)
    ridge = 1.0 * np.eye(design.shape[1])  # keeps the head's weights small, as training would
    coef = np.linalg.solve(design.T @ design + ridge, design.T @ target)
    out = builder.gemm(feature, coef[:-1].T, coef[-1])
    return builder.model(x_shape, out, [1, N_CLASSES]), x, labels


def mlp():
    b, shape = Builder(1), (1, 16)
    h = b.node("Relu", [b.gemm("x", b.rng.normal(0, 0.35, (32, 16)), np.zeros(32))])
    return with_head(b, shape, h, 32)


def cnn1d_imu():
    """Conv1d -> BatchNorm1d -> ReLU6 -> MaxPool1d -> Conv1d -> ReLU -> global average -> head:
    3-axis IMU windows of 32 samples (NCW)."""
    b, shape = Builder(2), (1, 3, 32)
    h = b.relu6(b.batch_norm(b.conv("x", 3, 8, (5,), pads=[2, 2]), 8))
    h = b.node("MaxPool", [h], kernel_shape=[2], strides=[2])
    h = b.node("Relu", [b.conv(h, 8, 12, (3,), pads=[1, 1])])
    h = b.node("Flatten", [b.node("GlobalAveragePool", [h])])
    return with_head(b, shape, h, 12)


def dscnn():
    """Conv 3x3/2 -> BN -> ReLU, depthwise 3x3 -> BN -> ReLU, pointwise 1x1 -> ReLU, average
    pool -> flatten (NCHW order) -> head: a 16 x 10 spectrogram."""
    b, shape = Builder(3), (1, 1, 16, 10)
    h = b.node("Relu", [b.batch_norm(b.conv("x", 1, 8, (3, 3), pads=[1, 1, 1, 1],
                                            strides=[2, 2]), 8)])
    h = b.node("Relu", [b.batch_norm(b.conv(h, 8, 8, (3, 3), group=8, pads=[1, 1, 1, 1]), 8)])
    h = b.node("Relu", [b.conv(h, 8, 12, (1, 1))])
    h = b.node("AveragePool", [h], kernel_shape=[2, 1], strides=[2, 1])
    return with_head(b, shape, b.node("Flatten", [h]), 12 * 4 * 5)


def residual():
    """A ResNet-style block: conv -> BN -> ReLU -> conv -> BN, + the input, ReLU, global
    average pool, reshape -> head."""
    b, shape = Builder(4), (1, 4, 8, 8)
    stem = b.node("Relu", [b.conv("x", 4, 8, (3, 3), pads=[1, 1, 1, 1])])
    h = b.node("Relu", [b.batch_norm(b.conv(stem, 8, 8, (3, 3), pads=[1, 1, 1, 1]), 8)])
    h = b.batch_norm(b.conv(h, 8, 8, (3, 3), pads=[1, 1, 1, 1]), 8)
    h = b.node("Relu", [b.node("Add", [h, stem])])
    h = b.node("GlobalAveragePool", [h])
    h = b.node("Reshape", [h, b.const(np.array([1, 8], np.int64), "shape")])
    return with_head(b, shape, h, 8)


def hardswish():
    """Conv -> HardSwish -> MaxPool 2x2 -> Flatten -> head."""
    b, shape = Builder(5), (1, 2, 8, 8)
    h = b.node("HardSwish", [b.conv("x", 2, 6, (3, 3), pads=[1, 1, 1, 1])])
    h = b.node("MaxPool", [h], kernel_shape=[2, 2], strides=[2, 2])
    return with_head(b, shape, b.node("Flatten", [h]), 6 * 4 * 4)


def gru():
    """As nn.GRU(3, 8, batch_first=True) exports it: Transpose to [T, N, C] -> GRU -> the last
    hidden state -> head; an IMU sequence of 8 steps ([N, T, C]: its layout is kept)."""
    from onnx import helper

    b, shape, hidden = Builder(6), (1, 8, 3), 8
    seq = b.node("Transpose", ["x"], perm=[1, 0, 2])
    w = b.const(b.rng.normal(0, 0.5, (1, 3 * hidden, 3)).astype(np.float32))
    r = b.const(b.rng.normal(0, 0.3, (1, 3 * hidden, hidden)).astype(np.float32))
    bias = b.const(b.rng.normal(0, 0.1, (1, 6 * hidden)).astype(np.float32))
    last = b.name("gru")
    b.nodes.append(helper.make_node("GRU", [seq, w, r, bias], ["", last],
                                    hidden_size=hidden))
    h = b.node("Reshape", [last, b.const(np.array([1, hidden], np.int64), "shape")])
    return with_head(b, shape, h, hidden)


MODELS: dict[str, Callable] = {"mlp": mlp, "cnn1d_imu": cnn1d_imu, "dscnn": dscnn,
                               "residual": residual, "hardswish": hardswish, "gru": gru}
