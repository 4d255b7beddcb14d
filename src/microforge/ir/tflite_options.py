"""TFLite builtin options tables -> plain dicts (snake_case keys, enums by name)."""

from __future__ import annotations

import importlib
import math
import re
from typing import Any

import numpy as np

# option field (CamelCase accessor) -> tflite enum class holding its names
_ENUM_FIELDS = {
    "Padding": "Padding",
    "FusedActivationFunction": "ActivationFunctionType",
    "WeightsFormat": "FullyConnectedOptionsWeightsFormat",
    "QuantizedBiasType": "TensorType",
    "LshProjectionType": "LSHProjectionType",
    "CombinerType": "CombinerType",
    "Mode": "MirrorPadMode",
    "ReduceType": "ReduceWindowFunction",
}
_SKIP = {"Init", "GetRootAs"}


def _snake(name: str) -> str:
    return re.sub(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])", "_", name).lower()


def _enum_names(class_name: str) -> dict[int, str]:
    try:
        module = importlib.import_module(f"tflite.{class_name}")
    except ImportError:
        return {}
    cls = getattr(module, class_name)
    return {v: k for k, v in vars(cls).items() if not k.startswith("_") and isinstance(v, int)}


def _options_class_names() -> dict[int, str]:
    from tflite.BuiltinOptions import BuiltinOptions

    return {v: k for k, v in vars(BuiltinOptions).items() if isinstance(v, int)}


_OPTION_CLASSES = _options_class_names()


def read_options(op: Any) -> dict[str, Any]:
    """Every field of the operator's builtin options table, or {} when it has none."""
    kind = op.BuiltinOptionsType()
    table = op.BuiltinOptions()
    if kind == 0 or table is None:
        return {}
    class_name = _OPTION_CLASSES.get(kind)
    if class_name is None:
        raise ValueError(f"unknown builtin options type {kind}")
    module = importlib.import_module(f"tflite.{class_name}")
    options = getattr(module, class_name)()
    options.Init(table.Bytes, table.Pos)
    result: dict[str, Any] = {}
    for attr in dir(options):
        if not attr[0].isupper() or attr in _SKIP or attr.startswith("GetRootAs"):
            continue
        if attr.endswith(("Length", "IsNone", "BufferHasIdentifier")):
            continue
        method = getattr(options, attr)
        if attr.endswith("AsNumpy"):
            value = method()
            key = _snake(attr[: -len("AsNumpy")])
            result[key] = [int(v) for v in value] if isinstance(value, np.ndarray) else []
            continue
        if hasattr(options, f"{attr}AsNumpy"):
            continue  # vector accessor taking an index: read through AsNumpy
        try:
            value = method()
        except TypeError:
            continue  # accessor that needs arguments (sub-tables)
        if not isinstance(value, (int, float, bool, bytes)):
            continue
        if attr in _ENUM_FIELDS and isinstance(value, int):
            names = _enum_names(_ENUM_FIELDS[attr])
            if names and value not in names:
                raise ValueError(f"option {_snake(attr)} has the unknown value {value} "
                                 f"(known: {', '.join(sorted(names.values()))})")
            value = names.get(value, value)
        if isinstance(value, float) and not math.isfinite(value):
            raise ValueError(f"option {_snake(attr)} is {value}; it must be a finite number")
        result[_snake(attr)] = value
    return result
