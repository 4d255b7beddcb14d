"""CALL_ONCE: runs its init subgraph the first time the model is invoked, as TFLM. The reader
accepts only init subgraphs that assign constants to resource variables (ir/tflite_reader.py),
so running one is copying those constants into the variables' slots; a flag in the state area
(which reset keeps, as TFLM keeps its has_run) makes it happen once."""

from __future__ import annotations

from microforge.ir.graph import Graph, Operator
from microforge.ir.resources import resource_variables
from microforge.ops.base import EmitContext, register
from microforge.ops.resource_variable_common import ResourceOp, handles_by_key


@register
class CallOnce(ResourceOp):
    op_type = "CALL_ONCE"
    dtypes = ("resource",)  # no data of its own: it acts on resource variables

    def unsupported_reason(self, op: Operator, graph: Graph) -> str | None:
        if op.inputs or op.outputs:
            return "takes no input and has no output"
        if int(op.options.get("init_subgraph_index", -1)) not in graph.init_subgraphs:
            return "its init subgraph is not one the compiler accepted"
        return None

    def check_shapes(self, op: Operator, graph: Graph) -> None:
        sizes = {k: graph.tensors[v.value].nbytes for k, v in resource_variables(graph).items()}
        for init in graph.init_subgraphs[int(op.options["init_subgraph_index"])]:
            size = sizes.get(init.key)
            if size is not None and int(init.data.nbytes) != size:
                raise self.fail(op, f"the init subgraph assigns {int(init.data.nbytes)} bytes "
                                    f"to {init.key!r}, which holds {size}")

    def emit(self, op: Operator, graph: Graph, params: object, ctx: EmitContext) -> None:
        handles = handles_by_key(graph)
        flag = ctx.once_flag()
        copies = []
        for k, init in enumerate(graph.init_subgraphs[int(op.options["init_subgraph_index"])]):
            handle = handles.get(init.key)
            if handle is None:
                continue  # assigned but never used by the main graph
            value = ctx.const(f"op{op.index}_init{k}", init.data)
            copies.append(f"memcpy({ctx.ptr(handle)}, {value}, {int(init.data.nbytes)});")
        ctx.call(f"if (!*{flag}) {{ {' '.join(copies)} *{flag} = 1; }}")
