"""The kernel contract: parameter structs read from the headers, designated initializers."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from microforge.codegen.compiler import compile_model
from microforge.ops._support import struct_call
from microforge.ops.kernel_structs import designated, kernel_structs, parse_structs


def test_parse_structs_reads_every_declarator_form() -> None:
    text = """
    /* comment { with braces } */
    typedef struct {
        int32_t batches, in_h; // trailing comment
        const int32_t *multiplier, *other;
        const int8_t *shift; /* per channel */
        int32_t dims[4];
        mf_inner inner;
    } mf_example_params;
    typedef struct named_tag { float a; } mf_other;
    """
    assert parse_structs(text) == {
        "mf_example_params": ("batches", "in_h", "multiplier", "other", "shift", "dims", "inner"),
        "mf_other": ("a",),
    }


def test_every_kernel_header_struct_parses() -> None:
    structs = kernel_structs()
    assert "mf_conv2d_s8_params" in structs and "mf_broadcast_shape" in structs
    assert structs["mf_conv2d_s8_params"][:4] == ("batches", "in_h", "in_w", "in_c")
    assert all(fields for fields in structs.values())


def test_designated_names_every_field_in_declaration_order() -> None:
    text = designated("mf_softmax_s8_params", {"diff_min": -5, "rows": 1, "depth": 12,
                                               "input_multiplier": 7, "input_left_shift": 3})
    assert text == ("{.rows = 1, .depth = 12, .input_multiplier = 7, .input_left_shift = 3, "
                    ".diff_min = -5}")


@pytest.mark.parametrize("fields", [
    {"rows": 1, "depth": 12, "input_multiplier": 7, "input_left_shift": 3},  # one missing
    {"rows": 1, "depth": 12, "input_multiplier": 7, "input_left_shift": 3, "diff_min": 0,
     "beta": 1},  # one unknown
])
def test_designated_refuses_a_missing_or_unknown_field(fields: dict[str, object]) -> None:
    with pytest.raises(AssertionError, match="mf_softmax_s8_params"):
        designated("mf_softmax_s8_params", fields)


def test_struct_call_calls_a_variant_with_the_same_struct() -> None:
    call = struct_call("softmax_s8", {"rows": 1, "depth": 2, "input_multiplier": 3,
                                      "input_left_shift": 4, "diff_min": 5}, ["x", "y"],
                       function="mf_softmax_s8_other")
    assert call == ("{ static const mf_softmax_s8_params p = {.rows = 1, .depth = 2, "
                    ".input_multiplier = 3, .input_left_shift = 4, .diff_min = 5}; "
                    "mf_softmax_s8_other(&p, x, y); }")


def test_generated_models_use_designated_initializers_only(shared_data: Path,
                                                          tmp_path: Path) -> None:
    model = shared_data / "models" / "mlperf_kws" / "kws_ref_model.tflite"
    compile_model(model, tmp_path / "kws", name="kws")
    source = (tmp_path / "kws" / "kws.c").read_text()
    initializers = re.findall(r"static const mf_\w+ \w+ = \{(.)", source)
    assert len(initializers) >= 10
    assert set(initializers) == {"."}
