"""Inlining IF / WHILE (ir/control_flow.py): the operators it writes, and the subgraphs it
refuses with one line naming the problem."""

from __future__ import annotations

import numpy as np
import pytest

from microforge.errors import ModelError
from microforge.ir.control_flow import inline_control_flow, subgraph_indices
from microforge.ir.graph import Graph, Operator
from microforge.ir.tensor import Tensor
from microforge.ir.verifier import verify_graph


def _t(index: int, shape=(1, 4), dtype="float32", data=None) -> Tensor:
    return Tensor(index, f"t{index}", tuple(shape), dtype, data=data)


def _branch(name: str, op_type: str = "NEG", shape=(1, 4)) -> Graph:
    return Graph(name, [_t(0, shape), _t(1, shape)], [Operator(0, op_type, (0,), (1,))], [0], [1])


def _if_graph(then_index: int = 1, else_index: int = 2, cond_dtype: str = "bool") -> Graph:
    tensors = [_t(0, (), cond_dtype), _t(1), _t(2)]
    op = Operator(0, "IF", (0, 1), (2,), {"then_subgraph_index": then_index,
                                          "else_subgraph_index": else_index})
    return Graph("main", tensors, [op], [0, 1], [2])


def test_if_becomes_guarded_branches_and_a_merge() -> None:
    graph = inline_control_flow(_if_graph(), {1: _branch("then"), 2: _branch("else", "ABS")})
    verify_graph(graph)
    kinds = [(op.op_type, op.guards) for op in graph.operators]
    assert kinds == [("NEG", ((0, True),)), ("ABS", ((0, False),)), ("MF_IF_MERGE", ())]
    neg, absolute, merge = graph.operators
    assert neg.inputs == absolute.inputs == (1,)  # the IF's argument, not a copy
    assert merge.inputs == (0, neg.outputs[0], absolute.outputs[0]) and merge.outputs == (2,)
    assert graph.tensors[neg.outputs[0]].name == "then/t1"


def test_while_becomes_a_loop_whose_end_reads_every_loop_tensor() -> None:
    cond = Graph("cond", [_t(0), _t(1, (), "bool")], [Operator(0, "IS_OK", (0,), (1,))], [0], [1])
    body = _branch("body")
    main = Graph("main", [_t(0), _t(1)], [Operator(0, "WHILE", (0,), (1,), {
        "cond_subgraph_index": 1, "body_subgraph_index": 2})], [0], [1])
    graph = inline_control_flow(main, {1: cond, 2: body})
    verify_graph(graph)
    types = [op.op_type for op in graph.operators]
    assert types == ["MF_COPY", "MF_LOOP_BEGIN", "IS_OK", "MF_LOOP_BREAK", "NEG",
                     "MF_LOOP_STORE", "MF_LOOP_END"]
    assert [op.loop_depth for op in graph.operators] == [0, 0, 1, 1, 1, 1, 0]
    copy, _, check, _, neg, store, end = graph.operators
    assert copy.inputs == (0,) and copy.outputs == (1,)
    assert check.inputs == (1,) and neg.inputs == (1,)  # both read the loop variable
    assert store.inputs == (neg.outputs[0], 1)
    assert set(end.inputs) == {1, check.outputs[0], neg.outputs[0]}


def test_a_model_without_control_flow_is_returned_as_is() -> None:
    graph = _branch("main")
    assert inline_control_flow(graph, {}) is graph
    assert subgraph_indices(graph.operators[0]) == ()


@pytest.mark.parametrize(("graph", "bodies", "message"), [
    (_if_graph(then_index=7), {2: _branch("else")}, "calls subgraph 7, which the model does not"),
    (_if_graph(cond_dtype="int32"), {1: _branch("t"), 2: _branch("e")}, "must be one boolean"),
    (_if_graph(), {1: _branch("t"), 2: _branch("e", shape=(1, 5))}, "static shapes to agree"),
    (_if_graph(), {1: Graph("loops", [_t(0), _t(1, (), "bool", np.array(True)), _t(2)], [
        Operator(0, "IF", (1, 0), (2,), {"then_subgraph_index": 1, "else_subgraph_index": 2})],
        [0], [2]), 2: _branch("e")}, "subgraph 1 \\('loops'\\) calls itself"),
])
def test_bad_control_flow_is_refused_with_one_line(graph: Graph, bodies: dict[int, Graph],
                                                  message: str) -> None:
    with pytest.raises(ModelError, match=message) as error:
        inline_control_flow(graph, bodies)
    assert "\n" not in str(error.value)


def test_a_while_body_that_changes_a_shape_is_refused() -> None:
    cond = Graph("cond", [_t(0), _t(1, (), "bool")], [Operator(0, "IS_OK", (0,), (1,))], [0], [1])
    body = Graph("body", [_t(0), _t(1, (1, 2))], [Operator(0, "SLICE", (0,), (1,))], [0], [1])
    main = Graph("main", [_t(0), _t(1)], [Operator(0, "WHILE", (0,), (1,), {
        "cond_subgraph_index": 1, "body_subgraph_index": 2})], [0], [1])
    with pytest.raises(ModelError, match="its body's outputs: tensor 0 is float32 \\[1, 2\\]"):
        inline_control_flow(main, {1: cond, 2: body})


def test_constants_of_a_branch_are_copied_with_their_data() -> None:
    branch = Graph("then", [_t(0), _t(1, (), data=np.float32(2.0).reshape(())), _t(2)],
                   [Operator(0, "MUL", (0, 1), (2,))], [0], [2])
    graph = inline_control_flow(_if_graph(), {1: branch, 2: _branch("else")})
    mul = graph.operators[0]
    assert float(graph.tensors[mul.inputs[1]].data) == 2.0
