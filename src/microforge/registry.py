"""One registry type for everything a config or a model names: ops, DSP blocks, dataset
formats, model architectures, boards.

    BLOCKS: Registry[type[DspBlock]] = Registry("DSP block", field="dsp.block", load=_import)
    @BLOCKS.add("mfcc")
    class MfccBlock(DspBlock): ...
    BLOCKS.get("mfcc")            # ConfigError "dsp.block: unknown DSP block 'x'; choose one of ..."

`load` imports the modules whose decorators fill the registry, once, on first use, so that
listing the names never needs the caller to know where the entries live.
"""

from __future__ import annotations

from collections.abc import Callable, ItemsView, Iterator
from types import MappingProxyType
from typing import Generic, TypeVar

from microforge.errors import ConfigError

T = TypeVar("T")
Item = TypeVar("Item")


class Registry(Generic[T]):
    """Names -> entries of one kind, with the one-line error for an unknown name."""

    def __init__(self, kind: str, *, field: str | None = None,
                 load: Callable[[], None] | None = None, choices: str = "choose one of ",
                 unknown_label: str | None = None) -> None:
        self.kind = kind
        # what "unknown" is followed by before the name in the error (default: the kind)
        self.unknown_label = kind if unknown_label is None else unknown_label
        self.field = field  # the config field that names an entry, for error messages
        self.choices = choices  # what precedes the list of names in the error
        self._load = load
        self._loaded = load is None
        self._entries: dict[str, T] = {}

    def register(self, name: str, entry: T) -> T:
        if not name:
            raise TypeError(f"a {self.kind} needs a name")
        if name in self._entries:
            raise TypeError(f"{self.kind} {name!r} registered twice")
        self._entries[name] = entry
        return entry

    def add(self, name: str) -> Callable[[Item], Item]:
        """Decorator: register the decorated object under `name`."""

        def decorate(entry: Item) -> Item:
            self.register(name, entry)  # type: ignore[arg-type]
            return entry

        return decorate

    def _ensure_loaded(self) -> None:
        if not self._loaded:
            self._loaded = True
            assert self._load is not None
            self._load()

    def find(self, name: str) -> T | None:
        self._ensure_loaded()
        return self._entries.get(name)

    def get(self, name: str) -> T:
        """The entry, or a ConfigError naming the field, the unknown name and the choices."""
        entry = self.find(name)
        if entry is None:
            raise ConfigError(self.unknown(name))
        return entry

    def unknown(self, name: str, *, with_field: bool = True) -> str:
        where = f"{self.field}: " if self.field and with_field else ""
        label = f"{self.unknown_label} " if self.unknown_label else ""
        return f"{where}unknown {label}{name!r}; {self.choices}{', '.join(self.names())}"

    def names(self) -> list[str]:
        """The names, in the order they were registered."""
        self._ensure_loaded()
        return list(self._entries)

    def __contains__(self, name: object) -> bool:
        return isinstance(name, str) and self.find(name) is not None

    def __iter__(self) -> Iterator[str]:
        return iter(self.names())

    def check(self, name: str) -> str:
        """`name` when registered, else ValueError (for config validators: the config error
        names the field itself)."""
        if name not in self:
            raise ValueError(self.unknown(name, with_field=False))
        return name

    def items(self) -> ItemsView[str, T]:
        """A read-only view of (name, entry) pairs (compares as a set, like dict.items())."""
        self._ensure_loaded()
        return MappingProxyType(self._entries).items()
