"""C source literals shared by every generator (model, pipeline, deploy packages)."""

from __future__ import annotations

import math

import numpy as np


def c_string(text: str) -> str:
    """`text` as a C string literal: printable ASCII as is (quotes, backslashes and '?' escaped,
    so no trigraph forms), every other UTF-8 byte as an octal escape."""
    out = []
    for byte in text.encode("utf-8"):
        char = chr(byte)
        if char in '"\\?':
            out.append("\\" + char)
        elif 0x20 <= byte < 0x7F:
            out.append(char)
        else:
            out.append(f"\\{byte:03o}")
    return '"' + "".join(out) + '"'


def c_float(value: float, *, infinity: str | None = None) -> str:
    """float32(value) as a C float literal that reads back to the same bits: the shortest
    decimal of the float32 value (`0.5f`, `1e-05f`). Infinities become `infinity` (for example
    "FLT_MAX", TFLite's stand-in in clamp ranges) when given; NaN and, without `infinity`,
    infinities are a ValueError ("non-finite float constant")."""
    v = float(np.float32(value))
    if math.isinf(v) and infinity is not None:
        return infinity if v > 0 else f"-{infinity}"
    if not math.isfinite(v):
        raise ValueError("non-finite float constant")
    text = repr(v)
    if "e" not in text and "." not in text:
        text += ".0"
    return text + "f"


def c_float_hex(value: float) -> str:
    """The same float32 value as a C99 hexadecimal literal (`0x1.99999ap-4f`): exact by
    construction, for constants a reader compares bit for bit (the pipeline's scales)."""
    v = float(np.float32(value))
    if not math.isfinite(v):
        raise ValueError("non-finite float constant")
    return f"{v.hex()}f" if v != 0 else "0.0f"


def c_int(value: int) -> str:
    """An integer literal; INT32_MIN as `(-2147483647 - 1)` (2147483648 is not an int)."""
    value = int(value)
    return "(-2147483647 - 1)" if value == -(2**31) else str(value)


# characters a text from outside (a tensor name, a file name) keeps inside a generated /* */
# comment: no '*' (so no "*/" and no "/*"), no '?' (no trigraphs), no '\' (no line splicing)
_COMMENT_SAFE = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
                          " _-+.,:;=/()[]{}<>#@%&|!~^'\"$")
COMMENT_LIMIT = 80


def c_comment(text: str, limit: int = COMMENT_LIMIT) -> str:
    """`text` made safe for the inside of a C block comment: printable ASCII other than
    `* ? \\` kept, every other character shown as '_', at most `limit` characters."""
    safe = "".join(c if c in _COMMENT_SAFE else "_" for c in text)
    return safe if len(safe) <= limit else safe[:limit - 3] + "..."
