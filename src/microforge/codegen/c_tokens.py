"""Split generated C statements into tokens and find their numeric literals.

Only what the op modules emit needs to be understood: identifiers, integer and float literals
(with suffixes, `FLT_MAX`, TFLite's INT32_MIN spelled `(-2147483647 - 1)`), strings and
punctuation. A minus sign belongs to the literal after it where it cannot be a binary minus
(after `{`, `(`, `,`, `=`, `?`, `:` or at the start)."""

from __future__ import annotations

import re
from dataclasses import dataclass

_TOKEN = re.compile(r"""
    (?P<id>[A-Za-z_][A-Za-z0-9_]*)
  | (?P<num>(?:0[xX][0-9a-fA-F]*\.?[0-9a-fA-F]*(?:[pP][-+]?[0-9]+)?
             | [0-9]+\.?[0-9]*(?:[eE][-+]?[0-9]+)? | \.[0-9]+(?:[eE][-+]?[0-9]+)?)[fFuUlL]*)
  | (?P<str>"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*')
  | (?P<ws>\s+)
  | (?P<other>.)
""", re.VERBOSE | re.DOTALL)

_UNARY_AFTER = {"", "{", "(", ",", "=", "?", ":"}
INT32_MIN_TEXT = "(-2147483647 - 1)"


@dataclass(frozen=True)
class Token:
    text: str
    literal: str | None = None  # "int" | "f32" | "f64" for numeric literals
    start: int = 0  # span in the statement
    end: int = 0

    def value(self) -> int | float:
        """The literal's value (int or float)."""
        text = self.text
        if text == INT32_MIN_TEXT:
            return -(2**31)
        negative = text.startswith("-")
        body = text[1:] if negative else text
        if self.literal == "int":
            number: int | float = int(body.rstrip("uUlL"), 0)
        elif body == "FLT_MAX":
            number = 3.4028234663852886e38
        elif body.lower().startswith("0x"):
            number = float.fromhex(body.rstrip("fFlL"))
        else:
            number = float(body.rstrip("fFlL"))
        return -number if negative else number


def _kind(text: str) -> str:
    lower = text.lower()
    if lower.startswith("0x"):
        return ("f32" if lower.endswith("f") else "f64") if "p" in lower else "int"
    if "." in lower or "e" in lower:
        return "f32" if lower.endswith("f") else "f64"
    return "int"


def tokenize(statement: str) -> list[Token]:
    """Tokens without whitespace; numeric literals carry their kind."""
    raw: list[Token] = []
    for match in _TOKEN.finditer(statement):
        group = match.lastgroup
        text = match.group()
        if group == "ws":
            continue
        span = match.start(), match.end()
        if group == "num":
            raw.append(Token(text, _kind(text), *span))
        elif group == "id" and text == "FLT_MAX":
            raw.append(Token(text, "f32", *span))
        else:
            raw.append(Token(text, None, *span))
    merged: list[Token] = []
    i = 0
    while i < len(raw):
        tok = raw[i]
        prev = merged[-1].text if merged else ""
        texts = [t.text for t in raw[i:i + 5]]
        if texts == ["(", "-", "2147483647", "-", "1"] and i + 5 < len(raw) \
                and raw[i + 5].text == ")":
            merged.append(Token(INT32_MIN_TEXT, "int", tok.start, raw[i + 5].end))
            i += 6
            continue
        if tok.text == "-" and prev in _UNARY_AFTER and i + 1 < len(raw) \
                and raw[i + 1].literal is not None:
            merged.append(Token("-" + raw[i + 1].text, raw[i + 1].literal, tok.start,
                                raw[i + 1].end))
            i += 2
            continue
        merged.append(tok)
        i += 1
    return merged


def replace_spans(statement: str, replacements: dict[int, str], tokens: list[Token]) -> str:
    """`statement` with token i's text replaced by replacements[i]."""
    out, last = [], 0
    for i in sorted(replacements):
        tok = tokens[i]
        out += [statement[last:tok.start], replacements[i]]
        last = tok.end
    out.append(statement[last:])
    return "".join(out)
