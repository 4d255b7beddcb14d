"""A TOML writer for config documents: tables, nested tables, arrays of tables, and values
(strings, numbers, booleans, lists of them). Strings are written as TOML basic strings with
every special character escaped, so any value read from a config is written back as itself."""

from __future__ import annotations

import math
from typing import Any


def to_toml(document: dict[str, Any]) -> str:
    lines: list[str] = []
    _table(lines, [], document)
    return "\n".join(lines).lstrip("\n") + "\n"


def _table(lines: list[str], path: list[str], table: dict[str, Any]) -> None:
    scalars = {k: v for k, v in table.items() if not _is_table(v) and not _is_table_list(v)}
    if path and (scalars or not table):
        lines.append(f"\n[{'.'.join(_key(p) for p in path)}]")
    lines += [f"{_key(k)} = {value(v)}" for k, v in scalars.items()]
    for k, v in table.items():
        if _is_table(v):
            _table(lines, [*path, k], v)
        elif _is_table_list(v):
            for item in v:
                lines.append(f"\n[[{'.'.join(_key(p) for p in [*path, k])}]]")
                lines += [f"{_key(ik)} = {value(iv)}" for ik, iv in item.items()]


def _is_table(v: Any) -> bool:
    return isinstance(v, dict)


def _is_table_list(v: Any) -> bool:
    return isinstance(v, list) and bool(v) and all(isinstance(i, dict) for i in v)


def _key(k: str) -> str:
    if k and all(c.isascii() and (c.isalnum() or c in "-_") for c in k):
        return k
    return _string(k)


def _string(s: str) -> str:
    out = []
    for c in s:
        if c in '"\\':
            out.append("\\" + c)
        elif ord(c) < 0x20 or ord(c) == 0x7F:
            out.append(f"\\u{ord(c):04x}")
        else:
            out.append(c)
    return '"' + "".join(out) + '"'


def value(v: Any) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, int):
        return str(v)
    if isinstance(v, float):
        if math.isnan(v):
            return "nan"
        if math.isinf(v):
            return "inf" if v > 0 else "-inf"
        return repr(v)
    if isinstance(v, str):
        return _string(v)
    if isinstance(v, list | tuple):
        return "[" + ", ".join(value(i) for i in v) + "]"
    if isinstance(v, dict):
        return "{" + ", ".join(f"{_key(k)} = {value(i)}" for k, i in v.items()) + "}"
    raise TypeError(f"cannot write {type(v).__name__} as TOML")
