"""What the deploy templates see (DeployContext) and the jinja2 rendering."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jinja2
import numpy as np

from microforge.c_literals import c_string
from microforge.ir.tensor import DTYPE_C, DTYPE_NUMPY
from microforge.targets.boards import Board

_ENV = jinja2.Environment(
    loader=jinja2.PackageLoader("microforge.deploy", "templates"),
    undefined=jinja2.StrictUndefined, keep_trailing_newline=True, autoescape=False,
)
_INT_RANGES = {"int8": (-128, 127), "uint8": (0, 255), "int16": (-32768, 32767)}


@dataclass(frozen=True)
class IOView:
    """One model input or output as the example code uses it."""

    position: int
    dtype: str
    ctype: str
    shape: str
    size: int
    quantized: bool  # an integer tensor with a scale: the example quantizes real values
    scale: float
    zero_point: int
    qmin: int
    qmax: int

    @property
    def dequant(self) -> str:
        """The real value of a quantized element q, as text."""
        zero = f" - {self.zero_point}" if self.zero_point > 0 else f" + {-self.zero_point}"
        return f"(q{zero if self.zero_point else ''}) * {self.scale:.9g}"


@dataclass
class DeployContext:
    name: str
    board: Board
    model_file: str
    fmt: str
    folder: str
    inputs: list[IOView]
    outputs: list[IOView]
    arena: int
    weights: int
    macs: int
    n_ops: int
    uses_math: bool
    cflags: str
    labels: list[str] = field(default_factory=list)
    labels_source: str = ""

    @property
    def io_bytes(self) -> int:
        views = self.inputs + self.outputs
        return sum(v.size * int(np.dtype(DTYPE_NUMPY[v.dtype]).itemsize) for v in views)

    @property
    def library(self) -> str:
        return f"microforge_{self.name}"

    @property
    def sketch(self) -> str:
        return f"{self.name}_inference"

    def set_labels(self, labels: list[str], source: Path | None) -> None:
        self.labels = labels
        self.labels_source = f"from {source.name}" if source else "no labels.json: class N"

    def render(self, template: str, **extra: Any) -> str:
        signature = ", ".join(
            [f"const {d.ctype} *input{d.position}" for d in self.inputs]
            + [f"{d.ctype} *output{d.position}" for d in self.outputs])
        values = {key: getattr(self, key) for key in self.__dataclass_fields__}
        values.update(NAME=self.name.upper(), out0=self.outputs[0], io_bytes=self.io_bytes,
                      library=self.library, sketch=self.sketch, signature=signature,
                      c_labels=[c_string(label) for label in self.labels], **extra)
        return _ENV.get_template(template).render(**values)


def build_context(info: Any, board: Board, model_file: str, fmt: str, folder: str
                  ) -> DeployContext:
    """The template context for a compiled model (`CompileInfo`)."""
    return DeployContext(
        name=info.name, board=board, model_file=model_file, fmt=fmt, folder=folder,
        inputs=[_view(d) for d in info.inputs], outputs=[_view(d) for d in info.outputs],
        arena=int(info.arena_size), weights=int(info.weight_bytes), macs=int(info.macs),
        n_ops=len(info.ops), uses_math=bool(info.uses_math), cflags=board_cflags(board),
    )


def board_cflags(board: Board) -> str:
    """GCC CPU flags for the board's core (from microforge.targets.cores), "" when unknown."""
    try:
        from microforge.targets.cores import core_spec
    except ImportError:  # the MCU layer is optional for packaging
        return ""
    try:
        return " ".join(core_spec(board).cflags)
    except Exception:  # noqa: BLE001 - an estimate-only core has no flags to state
        return ""


def _view(detail: Any) -> IOView:
    qmin, qmax = _INT_RANGES.get(detail.dtype, (0, 0))
    quantized = detail.dtype in _INT_RANGES and detail.scale is not None and detail.scale > 0
    return IOView(
        position=detail.position, dtype=detail.dtype, ctype=DTYPE_C[detail.dtype],
        shape="[" + ", ".join(str(d) for d in detail.shape) + "]", size=max(int(detail.size), 1),
        quantized=quantized, scale=float(detail.scale or 0.0),
        zero_point=int(detail.zero_point or 0), qmin=qmin, qmax=qmax,
    )
