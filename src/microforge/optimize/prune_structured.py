"""Structured pruning: remove whole channels (filters/units), then fine-tune.

Every hidden Conv1D/Conv2D/Dense layer (all but the last weighted layer, whose units are the
classes) loses `fraction` of its output channels, the least important first. Importance is the
L1 (or L2) norm of each filter after folding the following BatchNormalization into it
(|gamma| / sqrt(var + eps) times the filter), or the BN scale |gamma| alone ("bn"). The model
is rebuilt with fewer filters and the kept weights copied: the following BatchNormalization,
DepthwiseConv (its channels follow its input), pooling, activations, dropout, Flatten/Reshape
and the next Conv/Dense (its input channels) shrink to match. The compiled model really has
fewer MACs, fewer weight bytes and smaller activations.

Supported: single-input, single-output chains (every zoo architecture). Branches (Add,
Concatenate) or an unknown layer between a pruned layer and its consumer raise a ModelError
naming the layer.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from microforge.errors import ConfigError, ModelError
from microforge.optimize.prune_magnitude import check_finetune_fields, finetune
from microforge.train.augment import BatchTransform

PRODUCERS = ("Conv1D", "Conv2D", "Dense")
DEPTHWISE = ("DepthwiseConv1D", "DepthwiseConv2D")
CHANNEL_WISE = (  # layers that keep the channel axis (last) as it is
    "ReLU", "Activation", "Dropout", "SpatialDropout1D", "SpatialDropout2D", "LeakyReLU",
    "MaxPooling1D", "MaxPooling2D", "AveragePooling1D", "AveragePooling2D",
    "GlobalAveragePooling1D", "GlobalAveragePooling2D", "GlobalMaxPooling1D",
    "GlobalMaxPooling2D", "ZeroPadding1D", "ZeroPadding2D", "Cropping1D", "Cropping2D",
)
CRITERIA = ("l1", "l2", "bn")


@dataclass
class StructuredPruneParams:
    fraction: float = 0.5  # fraction of the channels removed from every hidden layer
    epochs: int = 10  # fine-tuning epochs after the removal (0: none)
    learning_rate: float = 5e-4
    batch_size: int = 32
    seed: int = 0
    criterion: str = "l1"  # l1 | l2 (of the BN-folded filter) | bn (|gamma|)
    # > 0: fine-tune by distillation from the unpruned model, soft-target weight distill_alpha
    distill_alpha: float = 0.0
    distill_temperature: float = 4.0
    batch_transform: BatchTransform | None = None  # per-batch augmentation, as in TrainParams

    def __post_init__(self) -> None:
        if not 0 < self.fraction < 1:
            raise ConfigError(f"optimize.prune_channels must be in (0, 1), got {self.fraction}")
        if self.criterion not in CRITERIA:
            raise ConfigError(
                f"criterion must be one of {', '.join(CRITERIA)}, not {self.criterion!r}"
            )
        if not 0 <= self.distill_alpha <= 1 or self.distill_temperature <= 0:
            raise ConfigError("distill_alpha must be in [0, 1] and distill_temperature > 0")
        check_finetune_fields(self)


def prune_channels(model, x, y, x_val, y_val, params: StructuredPruneParams | None = None):
    """A new model with `fraction` of the hidden channels removed, fine-tuned on (x, y).

    With `distill_alpha` > 0 the fine-tuning is knowledge distillation from `model` itself (the
    unpruned model is the teacher), which recovers more accuracy than labels alone.
    """
    params = params or StructuredPruneParams()
    chain = layer_chain(model)
    importance = channel_importance(chain, params.criterion)
    keep = {
        name: np.sort(np.argsort(-score, kind="stable")[: _n_keep(len(score), params.fraction)])
        for name, score in importance.items()
    }
    pruned = rebuild_with_channels(model, chain, keep)
    if params.epochs > 0 and params.distill_alpha > 0:
        from microforge.optimize.distill import DistillParams, distill

        kd = DistillParams(
            temperature=params.distill_temperature,
            alpha=params.distill_alpha,
            epochs=params.epochs,
            learning_rate=params.learning_rate,
            batch_size=params.batch_size,
            seed=params.seed,
            batch_transform=params.batch_transform,
        )
        distill(model, pruned, x, y, x_val, y_val, kd)
    elif params.epochs > 0:
        finetune(pruned, x, y, x_val, y_val, params)
    return pruned


def _n_keep(n: int, fraction: float) -> int:
    return max(1, int(round(n * (1.0 - fraction))))


def layer_chain(model) -> list:
    """The layers after the input, in order; ModelError unless the model is a simple chain."""
    if len(model.inputs) != 1 or len(model.outputs) != 1:
        raise ModelError(f"{model.name}: structured pruning needs one input and one output")
    chain, previous = [], model.inputs[0]
    for layer in model.layers:
        if type(layer).__name__ == "InputLayer":
            continue
        nodes = layer._inbound_nodes
        inputs = nodes[0].input_tensors if len(nodes) == 1 else []
        if len(inputs) != 1 or inputs[0] is not previous:
            raise ModelError(f"layer {layer.name!r} ({type(layer).__name__}): structured "
                             "pruning supports single-input chains only (no branches, no reuse)")
        chain.append(layer)
        previous = layer.output
    return chain


def channel_importance(chain: list, criterion: str) -> dict[str, np.ndarray]:
    """Per prunable layer name: one score per output channel (higher: more important)."""
    weighted = [i for i, layer in enumerate(chain) if type(layer).__name__ in PRODUCERS]
    scores = {}
    for i in weighted[:-1]:  # the last weighted layer's outputs are the classes
        layer = chain[i]
        kernel = layer.kernel.numpy()
        filters = kernel.reshape(-1, kernel.shape[-1])
        bn = chain[i + 1] if i + 1 < len(chain) else None
        scale = np.ones(kernel.shape[-1], np.float32)
        if bn is not None and type(bn).__name__ == "BatchNormalization":
            gamma = bn.gamma.numpy() if bn.gamma is not None else scale
            variance = bn.moving_variance.numpy()
            scale = gamma / np.sqrt(variance + bn.epsilon)
            if criterion == "bn":
                scores[layer.name] = np.abs(gamma)
                continue
        elif criterion == "bn":
            raise ModelError(f"layer {layer.name!r}: criterion 'bn' needs a BatchNormalization "
                             "right after it; use l1 or l2")
        folded = filters * np.abs(scale)
        order = 1 if criterion == "l1" else 2
        scores[layer.name] = np.linalg.norm(folded, ord=order, axis=0)
    return scores


def rebuild_with_channels(model, chain: list, keep: dict[str, np.ndarray]):
    """A copy of the chain `model` whose layers in `keep` keep only those output channels."""
    import keras

    inputs = keras.Input(shape=model.input_shape[1:], name=model.inputs[0].name)
    x = inputs
    channels = None  # indices kept of the current tensor's last axis (None: all)
    for layer in chain:
        kind = type(layer).__name__
        config = layer.get_config()
        weights = [np.asarray(w) for w in layer.get_weights()]
        out_channels = channels
        if kind in PRODUCERS:
            out_keep = keep.get(layer.name)
            if out_keep is not None:
                config["filters" if "filters" in config else "units"] = len(out_keep)
            weights = _slice_producer(weights, channels, out_keep)
            out_channels = out_keep
        elif channels is None:
            pass  # nothing pruned upstream: the layer is copied as it is
        elif kind in DEPTHWISE:
            weights, out_channels = _slice_depthwise(layer, weights, channels)
        elif kind == "BatchNormalization":
            if config.get("axis") not in (-1, len(layer.input.shape) - 1, [-1]):
                raise ModelError(f"layer {layer.name!r}: BatchNormalization over axis "
                                 f"{config.get('axis')} after a pruned layer; only the last")
            weights = [w[channels] for w in weights]
        elif kind == "Flatten" or (kind == "Reshape" and len(config["target_shape"]) == 1):
            out_channels = _flattened(layer.input.shape, channels)
            if kind == "Reshape":
                config["target_shape"] = (len(out_channels),)
        elif kind == "Reshape" and config["target_shape"][-1] == layer.input.shape[-1]:
            config["target_shape"] = (*config["target_shape"][:-1], len(channels))
        elif kind not in CHANNEL_WISE:
            raise ModelError(f"layer {layer.name!r} ({kind}) follows a pruned layer and "
                             "structured pruning cannot shrink it; prune a chain of Conv/Dense, "
                             "BatchNormalization, pooling, activation, Flatten layers")
        clone = layer.__class__.from_config(config)
        x = clone(x)
        if weights:
            clone.set_weights(weights)
        channels = out_channels
    return keras.Model(inputs, x, name=model.name)


def _slice_producer(weights: list, in_keep, out_keep) -> list:
    kernel, rest = weights[0], weights[1:]
    if in_keep is not None:
        kernel = np.take(kernel, in_keep, axis=-2)
    if out_keep is not None:
        kernel = np.take(kernel, out_keep, axis=-1)
        rest = [b[out_keep] for b in rest]
    return [kernel, *rest]


def _slice_depthwise(layer, weights: list, channels: np.ndarray):
    multiplier = int(layer.depth_multiplier)
    kernel = np.take(weights[0], channels, axis=-2)
    out_channels = (channels[:, None] * multiplier + np.arange(multiplier)).reshape(-1)
    return [kernel, *[b[out_channels] for b in weights[1:]]], out_channels


def _flattened(input_shape, channels: np.ndarray) -> np.ndarray:
    """Kept indices after flattening (..., C) channel-last: every position keeps `channels`."""
    n_channels = int(input_shape[-1])
    positions = int(np.prod([int(d) for d in input_shape[1:-1]])) if len(input_shape) > 2 else 1
    return (np.arange(positions)[:, None] * n_channels + channels[None, :]).reshape(-1)
