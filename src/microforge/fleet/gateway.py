"""A gateway between devices that print their records and the fleet server: it reads lines
(a UART, or the semihosting console of an emulated board), picks the record lines
(`mfrec <hex>`; anything else is the firmware's own output, ignored) and POSTs each record's
bytes to /api/telemetry, the path every device's records take. It holds no key and trusts
nothing: the server checks each record's tag.

    Gateway(client.post_record).feed(lines)          # from Python
    qemu ... | python -m microforge.fleet.gateway --server http://127.0.0.1:8765
"""

from __future__ import annotations

import argparse
import binascii
import sys
from collections.abc import Callable, Iterable
from typing import TypeVar

from microforge.monitor.telemetry import MAX_RECORD

PREFIX = "mfrec "
T = TypeVar("T")


def parse_line(line: str) -> bytes | None:
    """The record bytes of a record line, else None (also for a garbled one)."""
    line = line.strip()
    if not line.startswith(PREFIX):
        return None
    text = line[len(PREFIX):].strip()
    if not text or len(text) > 2 * MAX_RECORD:
        return None
    try:
        return binascii.unhexlify(text)
    except (binascii.Error, ValueError):
        return None


class Gateway:
    def __init__(self, post: Callable[[bytes], T],
                 on_answer: Callable[[T], None] | None = None) -> None:
        self.post = post
        self.on_answer = on_answer
        self.forwarded = 0
        self.ignored = 0  # lines that were not records

    def feed(self, lines: Iterable[str]) -> int:
        """Forward every record line as it arrives; the number forwarded."""
        for line in lines:
            data = parse_line(line)
            if data is None:
                self.ignored += 1
                continue
            answer = self.post(data)
            self.forwarded += 1
            if self.on_answer is not None:
                self.on_answer(answer)
        return self.forwarded


def main(argv: list[str] | None = None) -> int:
    import httpx

    parser = argparse.ArgumentParser(description="Forward `mfrec <hex>` lines from stdin to a "
                                     "fleet server's /api/telemetry.")
    parser.add_argument("--server", default="http://127.0.0.1:8765")
    args = parser.parse_args(argv)
    with httpx.Client(base_url=args.server.rstrip("/"), timeout=10.0) as http:
        def post(data: bytes) -> str:
            try:
                r = http.post("/api/telemetry", content=data,
                              headers={"Content-Type": "application/cbor"})
            except httpx.HTTPError as e:
                return f"unreachable: {e}"
            return f"{r.status_code} {r.text}"

        Gateway(post, lambda answer: print(answer, flush=True)).feed(sys.stdin)
    return 0


if __name__ == "__main__":
    sys.exit(main())
