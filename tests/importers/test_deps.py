"""importers.deps: a missing optional package is one line naming the pip install."""

from __future__ import annotations

import pytest

from microforge.errors import ToolchainError
from microforge.importers.deps import require


def test_missing_package_names_the_extra() -> None:
    with pytest.raises(ToolchainError) as info:
        require("onnx2tf_not_installed_here")
    assert str(info.value) == ("importing a model needs the Python package "
                               "'onnx2tf_not_installed_here': pip install 'microforge[onnx]'")


def test_torch_is_its_own_extra(monkeypatch) -> None:
    import importlib

    def missing(name: str):
        raise ImportError(name)

    monkeypatch.setattr(importlib, "import_module", missing)
    with pytest.raises(ToolchainError, match=r"pip install 'microforge\[torch\]'"):
        require("torch")
