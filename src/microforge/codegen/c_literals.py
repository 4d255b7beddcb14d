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
