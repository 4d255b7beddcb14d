"""Block registry: names in microforge.toml ([dsp] block = "mfcc") to block classes."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from microforge.errors import ConfigError
from microforge.registry import Registry

if TYPE_CHECKING:
    from microforge.dsp.base import DspBlock


def _load_blocks() -> None:
    """Import the block modules so that their @register decorators run."""
    from microforge.dsp import image, mfcc, mfe, raw, spectral  # noqa: F401


BLOCKS: Registry[type[DspBlock]] = Registry("DSP block", field="dsp.block", load=_load_blocks)
# Named parameter sets per block: `preset = "mlperf_kws"` in [dsp.params].
PRESETS: dict[str, dict[str, Callable[[], Any]]] = {}

B = TypeVar("B", bound="type[DspBlock]")


def register(cls: B) -> B:
    """Class decorator: make a DspBlock subclass available to `make_block` under `cls.name`."""
    BLOCKS.register(cls.name, cls)
    return cls


def register_preset(block: str, preset: str, make_params: Callable[[], Any]) -> None:
    PRESETS.setdefault(block, {})[preset] = make_params


def make_block(name: str, params: Mapping[str, Any] | None = None) -> DspBlock:
    """A new, unfitted block. `params` may hold `preset = "<name>"` plus overrides."""
    from microforge.dsp.params import params_to_dict, parse_params

    cls = BLOCKS.get(name)
    values = dict(params or {})
    preset = values.pop("preset", None)
    if preset is not None:
        presets = PRESETS.get(name, {})
        if preset not in presets:
            known = ", ".join(sorted(presets)) or "none"
            raise ConfigError(
                f"dsp.params.preset: unknown preset {preset!r} for the {name!r} block; "
                f"known: {known}"
            )
        values = {**params_to_dict(presets[preset]()), **values}
    return cls(parse_params(cls.params_class, values, name))


def block_from_state(state: Mapping[str, Any]) -> DspBlock:
    """A fitted block from `block.state_dict()` or from {"block": name, "state": state_dict}."""
    if not isinstance(state, Mapping) or "block" not in state:
        raise ConfigError("dsp.json: not a saved DSP block (no 'block' field); retrain the model")
    inner = state.get("state", state)
    return BLOCKS.get(str(state["block"])).from_state(inner)
