"""One schema per parameter set: a stage's parameter dataclass states each field's default and
range once; the config section for it (`microforge.toml`) is derived from the dataclass.

    @dataclass
    class TrainParams:
        epochs: int = bounded(30, ge=1, le=10_000)
        lr_schedule: str = bounded("constant", choices=("constant", "cosine"))
        def __post_init__(self): check_bounds(self, "training")

    TrainingSection = config_section(TrainParams)     # pydantic, extra="forbid", same bounds

A dataclass built in code with a bad value is a ConfigError naming `<section>.<field>`; a bad
value in microforge.toml is the config loader's one-line error for the same field.
"""

from __future__ import annotations

import dataclasses
import typing
from dataclasses import dataclass
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, create_model

from microforge.errors import ConfigError

_BOUNDS = "microforge.bounds"
_NOT_CONFIG = "microforge.not_config"


@dataclass(frozen=True)
class Bounds:
    ge: float | None = None
    gt: float | None = None
    le: float | None = None
    lt: float | None = None
    choices: tuple[Any, ...] | None = None

    def problem(self, value: Any) -> str | None:
        """What is wrong with `value`, or None."""
        if self.choices is not None:
            if value not in self.choices:
                return f"must be one of {', '.join(map(str, self.choices))}, not {value!r}"
            return None
        checks = (("ge", ">=", lambda v, b: v >= b), ("gt", ">", lambda v, b: v > b),
                  ("le", "<=", lambda v, b: v <= b), ("lt", "<", lambda v, b: v < b))
        for name, sign, ok in checks:
            bound = getattr(self, name)
            if bound is not None and not ok(value, bound):
                return f"must be {sign} {bound:g}, got {value}"
        return None

    def field_kwargs(self) -> dict[str, Any]:
        return {k: getattr(self, k) for k in ("ge", "gt", "le", "lt") if getattr(self, k) is not None}


def bounded(default: Any, *, ge: float | None = None, gt: float | None = None,
            le: float | None = None, lt: float | None = None,
            choices: tuple[Any, ...] | None = None) -> Any:
    """A dataclass field with its default and its range (or its allowed values)."""
    return dataclasses.field(default=default,
                             metadata={_BOUNDS: Bounds(ge, gt, le, lt, choices)})


def runtime_only(default: Any = None) -> Any:
    """A dataclass field set in code only (a callback...), never part of the config section."""
    return dataclasses.field(default=default, metadata={_NOT_CONFIG: True})


def check_bounds(instance: Any, section: str) -> None:
    """ConfigError `<section>.<field> must be ...` for the first field out of its bounds."""
    for f in dataclasses.fields(instance):
        bounds = f.metadata.get(_BOUNDS)
        problem = bounds.problem(getattr(instance, f.name)) if bounds is not None else None
        if problem:
            raise ConfigError(f"{section}.{f.name} {problem}")


class Section(BaseModel):
    """A microforge.toml section: unknown fields are errors, assignments are validated."""

    model_config = ConfigDict(extra="forbid", validate_assignment=True)


def config_section(params: type, name: str | None = None, base: type[BaseModel] = Section,
                   **extra: Any) -> type[BaseModel]:
    """The pydantic section for a parameter dataclass: its config fields with the same defaults
    and bounds, plus `extra` fields given as (type, default or Field)."""
    hints = typing.get_type_hints(params)
    fields: dict[str, Any] = {}
    for f in dataclasses.fields(params):
        if f.metadata.get(_NOT_CONFIG):
            continue
        bounds: Bounds | None = f.metadata.get(_BOUNDS)
        kind: Any = hints[f.name]
        if bounds is not None and bounds.choices is not None:
            kind = Literal[bounds.choices]
        kwargs = bounds.field_kwargs() if bounds is not None else {}
        fields[f.name] = (kind, Field(f.default, **kwargs))
    fields.update(extra)
    model: type[BaseModel] = create_model(
        name or f"{params.__name__}Section", __base__=base, __doc__=params.__doc__, **fields)
    return model
