"""The gateway forwards the record lines of a device's console (and nothing else) to
/api/telemetry, where the server checks them like any record."""

from __future__ import annotations

from microforge.fleet.gateway import Gateway, parse_line
from tests.fleet.records import KwsFleet


def test_parse_line() -> None:
    assert parse_line("mfrec 0aff10\n") == b"\x0a\xff\x10"
    assert parse_line("  mfrec 0AFF  ") == b"\x0a\xff"
    for line in ("", "[mf] stack 800", "mfrec ", "mfrec 0af", "mfrec zz", "xmfrec 00",
                 "mfrec " + "00" * 5000):
        assert parse_line(line) is None, line


def test_gateway_forwards_records_to_the_server(client, fleet_db, kws: KwsFleet) -> None:
    good = [kws.record(1, seq) for seq in (1, 2)]
    forged = bytearray(kws.record(2, 1))
    forged[-1] ^= 1
    lines = ["booting\n", f"mfrec {good[0].hex()}\n", "mfrec not hex\n",
             f"mfrec {good[1].hex()}\n", f"mfrec {bytes(forged).hex()}\n",
             f"mfrec {good[1].hex()}\n", "[mf] stack 812\n"]
    answers = []

    def post(data: bytes) -> tuple[int, str]:
        r = client.post("/api/telemetry", content=data,
                        headers={"Content-Type": "application/cbor"})
        return r.status_code, r.json().get("status") or r.json()["reason"]

    gateway = Gateway(post, answers.append)
    assert gateway.feed(lines) == 4
    assert gateway.ignored == 3
    assert answers == [(202, "accepted"), (202, "accepted"), (401, "bad_tag"),
                       (200, "duplicate")]
