"""microforge: a local TinyML toolchain.

Small public surface: `compile()` turns a .tflite into a C library (and a host-runnable
compiled model), `Project` runs the staged pipeline from a microforge.toml.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, Any

from microforge.version import __version__

if TYPE_CHECKING:  # pragma: no cover
    from microforge.codegen.compiler import ModelSource
    from microforge.project import Project
    from microforge.runners.host import CompiledModel


def compile(model_path: ModelSource | Any, out_dir: str | os.PathLike[str] | None = None,  # noqa: A001
            **kwargs: Any) -> CompiledModel:
    """Compile a .tflite model to C and load it to run on the host (set_input / invoke /
    get_output, as TFLM's interpreter); see `microforge.codegen.compiler.compile_model`.
    A fitted scikit-learn classifier instead compiles to C with a host `predict(X)`
    (`microforge.classical`, docs/classical.md)."""
    if not isinstance(model_path, str | bytes | bytearray | os.PathLike):
        # a fitted scikit-learn estimator (microforge.classical)
        from microforge.classical.host import compile_and_load_estimator

        return compile_and_load_estimator(model_path, out_dir, **kwargs)  # type: ignore[return-value]
    from microforge.runners.host import compile_and_load

    return compile_and_load(model_path, out_dir, **kwargs)


def __getattr__(name: str) -> Any:
    if name == "Project":
        from microforge.project import Project

        return Project
    raise AttributeError(name)


__all__ = ["compile", "Project", "__version__"]
