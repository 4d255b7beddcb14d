"""Block parameters from user dicts (microforge.toml) to frozen dataclasses, errors naming the field."""

from __future__ import annotations

import dataclasses
import types
import typing
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Literal, TypeVar

from microforge.errors import ConfigError

if TYPE_CHECKING:
    from _typeshed import DataclassInstance

P = TypeVar("P", bound="DataclassInstance")


def config_error(field: str, message: str) -> ConfigError:
    """A one-line ConfigError naming `dsp.params.<field>`."""
    return ConfigError(f"dsp.params.{field}: {message}")


def parse_params(cls: type[P], values: Mapping[str, Any] | None, block: str) -> P:
    """Build `cls` from `values`; unknown keys and wrong types raise ConfigError."""
    if values is None:
        values = {}
    if not isinstance(values, Mapping):
        raise ConfigError(f"dsp.params: must be a table of parameters for the {block!r} block")
    hints = typing.get_type_hints(cls)
    known = [f.name for f in dataclasses.fields(cls)]
    kwargs = {}
    for key, value in values.items():
        if key not in known:
            raise config_error(
                str(key), f"unknown parameter of the {block!r} block; known: {', '.join(known)}"
            )
        kwargs[key] = coerce(value, hints[key], key)
    try:
        return cls(**kwargs)
    except ConfigError:
        raise
    except (TypeError, ValueError) as exc:  # pragma: no cover - coerce() catches these first
        raise ConfigError(f"dsp.params: {exc}") from None


def params_to_dict(params: Any) -> dict[str, Any]:
    """JSON-safe dict of a params dataclass (tuples become lists)."""
    return {f.name: _jsonable(getattr(params, f.name)) for f in dataclasses.fields(params)}


def _jsonable(value: Any) -> Any:
    if isinstance(value, tuple | list):
        return [_jsonable(v) for v in value]
    return value


def coerce(value: Any, hint: Any, field: str) -> Any:
    """`value` converted to the annotated type `hint`, or ConfigError naming `field`."""
    origin = typing.get_origin(hint)
    args = typing.get_args(hint)
    if origin in (typing.Union, types.UnionType):
        if value is None and type(None) in args:
            return None
        options = [a for a in args if a is not type(None)]
        errors = []
        for option in options:
            try:
                return coerce(value, option, field)
            except ConfigError as exc:
                errors.append(str(exc))
        raise ConfigError(errors[0])
    if origin is Literal:
        if value not in args:
            choices = ", ".join(repr(a) for a in args)
            raise config_error(field, f"must be one of {choices} (got {value!r})")
        return value
    if origin is tuple:
        if not isinstance(value, list | tuple):
            raise config_error(field, f"must be a list (got {value!r})")
        if len(args) == 2 and args[1] is Ellipsis:
            return tuple(coerce(v, args[0], field) for v in value)
        if len(value) != len(args):
            raise config_error(field, f"must be a list of {len(args)} values (got {value!r})")
        return tuple(coerce(v, a, field) for v, a in zip(value, args, strict=True))
    return _scalar(value, hint, field)


def _scalar(value: Any, hint: Any, field: str) -> Any:
    if hint is bool:
        if not isinstance(value, bool):
            raise config_error(field, f"must be true or false (got {value!r})")
        return value
    if hint is int:
        if isinstance(value, bool) or not isinstance(value, int):
            raise config_error(field, f"must be an integer (got {value!r})")
        return value
    if hint is float:
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise config_error(field, f"must be a number (got {value!r})")
        return float(value)
    if hint is str:
        if not isinstance(value, str):
            raise config_error(field, f"must be a string (got {value!r})")
        return value
    raise TypeError(f"unsupported parameter type {hint!r} for {field}")  # a bug in a Params class


def require(condition: bool, field: str, message: str) -> None:
    """Raise ConfigError for `field` unless `condition` holds (used in __post_init__ checks)."""
    if not condition:
        raise config_error(field, message)
