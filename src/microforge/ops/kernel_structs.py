"""The parameter structs of the C kernels, read from their headers (runtime/kernels/*.h).

Generated calls name every field (`.in_h = 25, ...`, C99 designated initializers), so a field
renamed or reordered in a header fails to compile. A field the generator forgets would be
zero-initialised silently by C, so `designated` checks the names against the header: every
field given exactly once, no other name.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import cache

from microforge.paths import RUNTIME_DIR

KERNELS_DIR = RUNTIME_DIR / "kernels"

_TYPEDEF = re.compile(r"typedef\s+struct\s*(?:\w+\s*)?\{(?P<body>.*?)\}\s*(?P<name>\w+)\s*;",
                      re.DOTALL)
_COMMENT = re.compile(r"/\*.*?\*/|//[^\n]*", re.DOTALL)
_DECLARATOR = re.compile(r"^\**\s*(?:const\s+)?\**\s*(?P<name>\w+)\s*(?:\[[^\]]*\])*$")


def parse_structs(header_text: str) -> dict[str, tuple[str, ...]]:
    """{struct type name: field names in declaration order} of every `typedef struct`."""
    structs: dict[str, tuple[str, ...]] = {}
    for match in _TYPEDEF.finditer(_COMMENT.sub(" ", header_text)):
        fields: list[str] = []
        for declaration in match.group("body").split(";"):
            declaration = " ".join(declaration.split())
            if not declaration:
                continue
            # "const int32_t *a, *b" -> type "const int32_t", declarators "*a", "*b"
            head, *rest = declaration.split(",")
            type_and_first = re.match(r"^(?P<type>.*?\b\w+\b[\s*]*?)\s*(?P<first>\**\s*\w+"
                                      r"(?:\s*\[[^\]]*\])*)$", head.strip())
            if type_and_first is None:
                raise ValueError(f"cannot parse the field declaration {declaration!r} of "
                                 f"{match.group('name')}")
            for declarator in (type_and_first.group("first"), *rest):
                field = _DECLARATOR.match(declarator.strip())
                if field is None:
                    raise ValueError(f"cannot parse the declarator {declarator!r} of "
                                     f"{match.group('name')}")
                fields.append(field.group("name"))
        structs[match.group("name")] = tuple(fields)
    return structs


@cache
def kernel_structs() -> dict[str, tuple[str, ...]]:
    """Every parameter struct of runtime/kernels, by type name."""
    structs: dict[str, tuple[str, ...]] = {}
    for header in sorted(KERNELS_DIR.glob("*.h")):
        for name, fields in parse_structs(header.read_text()).items():
            if name in structs and structs[name] != fields:
                raise ValueError(f"{header.name}: struct {name} is defined twice")
            structs[name] = fields
    return structs


def designated(struct: str, fields: Mapping[str, object]) -> str:
    """`{.a = 1, .b = 2}` for the C struct type `struct`, in its declaration order; an
    AssertionError (a generator bug) when a field is missing or unknown."""
    declared = kernel_structs().get(struct)
    assert declared is not None, f"no struct {struct} in runtime/kernels/*.h"
    missing = [f for f in declared if f not in fields]
    unknown = [f for f in fields if f not in declared]
    assert not missing and not unknown, (
        f"{struct}: fields missing {missing}, unknown {unknown}")
    return "{" + ", ".join(f".{name} = {fields[name]}" for name in declared) + "}"
