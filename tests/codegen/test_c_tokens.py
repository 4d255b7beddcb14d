"""The C statement tokenizer of the blob mode: literals, their kinds and values, spans."""

from __future__ import annotations

from microforge.codegen.c_tokens import replace_spans, tokenize


def test_literals_with_kinds_values_and_unary_minus() -> None:
    text = ("{ static const mf_x_params p = {1, -5, 0x10, 2.5f, -FLT_MAX, 1e-05f, 0.25, "
            "(-2147483647 - 1), 3000000000}; mf_x(&p, mf_m_op3_bias_12, a - 1); }")
    tokens = tokenize(text)
    literals = [(t.text, t.literal, t.value()) for t in tokens if t.literal]
    assert literals == [
        ("1", "int", 1), ("-5", "int", -5), ("0x10", "int", 16), ("2.5f", "f32", 2.5),
        ("-FLT_MAX", "f32", -3.4028234663852886e38), ("1e-05f", "f32", 1e-05),
        ("0.25", "f64", 0.25), ("(-2147483647 - 1)", "int", -(2**31)),
        ("3000000000", "int", 3000000000), ("1", "int", 1)]
    # an identifier with digits is one token; "a - 1" is a binary minus
    assert "mf_m_op3_bias_12" in [t.text for t in tokens]
    assert [t.text for t in tokens][-6:-3] == ["a", "-", "1"]


def test_replace_spans_keeps_the_rest_of_the_statement() -> None:
    text = "{ const p = {7, -3, 9}; f(&p); }"
    tokens = tokenize(text)
    where = {i: f"R{i}" for i, t in enumerate(tokens) if t.text in ("-3", "9")}
    assert replace_spans(text, where, tokens) == "{ const p = {7, R7, R9}; f(&p); }"
