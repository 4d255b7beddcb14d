"""The verifier's worst-case stack on the Cortex-M4 from GCC's call graph (-fcallgraph-info=su,
-Os): the deepest path from mf_ota_verify, each frame as GCC sized it (no recursion in it).

    .venv/bin/python -m bench.ota_stack
"""

from __future__ import annotations

import functools
import re
import subprocess
import tempfile
from pathlib import Path

from microforge.ota.crypto_sources import C_FILES, crypto_sources
from microforge.ota.host import OTA_DIR
from microforge.runners.sizes import CORTEX_M4_FLAGS, WARNING_FLAGS

_NODE = re.compile(r'node: \{ title: "([^"]+)" label: "([^"]*)"')
_EDGE = re.compile(r'edge: \{ sourcename: "([^"]+)" targetname: "([^"]+)"')


def worst_stack(root: str = "mf_ota_verify") -> tuple[int, list[str]]:
    crypto = crypto_sources()
    with tempfile.TemporaryDirectory(prefix="mf_ota_stack_") as tmp:
        sources = [OTA_DIR / "mf_ota_verify.c", *(crypto / f for f in C_FILES)]
        subprocess.run(["arm-none-eabi-gcc", *CORTEX_M4_FLAGS, *WARNING_FLAGS, "-Os",
                        "-fcallgraph-info=su", "-c", "-I", str(OTA_DIR), "-I", str(crypto),
                        *map(str, sources)], cwd=tmp, check=True, capture_output=True)
        nodes: dict[str, int] = {}
        edges: dict[str, list[str]] = {}
        for ci in Path(tmp).glob("*.ci"):
            text = ci.read_text()
            for title, label in _NODE.findall(text):
                size = re.search(r"\\n(\d+) bytes", label)
                nodes[title] = int(size.group(1)) if size else 0
            for src, dst in _EDGE.findall(text):
                edges.setdefault(src, []).append(dst)
    by_name: dict[str, str] = {}
    for title in nodes:
        by_name.setdefault(title.split(":")[-1], title)

    @functools.lru_cache(None)
    def deepest(title: str) -> tuple[int, tuple[str, ...]]:
        best: tuple[int, tuple[str, ...]] = (0, ())
        for dst in edges.get(title, []):
            found = dst if dst in nodes else by_name.get(dst.split(":")[-1], dst)
            candidate = deepest(found)
            best = max(best, candidate)
        return nodes.get(title, 0) + best[0], (title.split(":")[-1], *best[1])

    total, path = deepest(by_name[root])
    return total, list(path)


if __name__ == "__main__":
    total, path = worst_stack()
    print(f"worst-case stack of mf_ota_verify on the Cortex-M4 (-Os): {total:,} B via "
          + " -> ".join(path))
