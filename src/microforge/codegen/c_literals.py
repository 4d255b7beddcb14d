"""C source literals shared by every generator (model, pipeline, deploy packages)."""

from __future__ import annotations


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
