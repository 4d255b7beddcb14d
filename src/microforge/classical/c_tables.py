"""Constant tables as C99 literals: `static const` arrays of ints, floats (hex, exact) or
doubles (hex, exact)."""

from __future__ import annotations

import numpy as np

from microforge.c_literals import c_float_hex


def c_double(v: float) -> str:
    return float(v).hex() if v != 0 else "0.0"


def c_array(ctype: str, name: str, values: np.ndarray, fmt: object = None) -> str:
    """`static const <ctype> <name>[n] = {...};` (fmt "f32" / "f64": exact hex literals)."""
    flat = np.asarray(values).ravel()
    if fmt == "f32":
        items = [c_float_hex(float(v)) for v in flat]
    elif fmt == "f64":
        items = [c_double(float(v)) for v in flat]
    else:
        items = [str(int(v)) for v in flat]
    lines = [", ".join(items[i:i + 8]) for i in range(0, len(items), 8)] or ["0"]
    body = ",\n    ".join(lines)
    return f"static const {ctype} {name}[{max(len(flat), 1)}] = {{\n    {body}\n}};\n"
