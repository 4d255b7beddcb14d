"""`microforge fleet simulate` refuses bad input in one line with exit code 2, before it
trains or compiles anything: an unknown scenario, no token, a server that is not there, a
token the server refuses, a folder that is not a monitored project."""

from __future__ import annotations

from pathlib import Path

import pytest

from microforge.cli import main
from tests.conftest import require_module
from tests.fleet.server_process import Server, free_port

EXAMPLE = str(Path(__file__).resolve().parents[2] / "examples" / "fleet_har")


def run(args: list[str], capsys: pytest.CaptureFixture[str]) -> str:
    assert main(["fleet", "simulate", "--project", EXAMPLE, *args]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("error:") and "Traceback" not in err and len(err.splitlines()) == 1
    return err


def test_bad_input_is_one_line_exit_2(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                      capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.delenv("MICROFORGE_FLEET_TOKEN", raising=False)
    down = f"http://127.0.0.1:{free_port()}"
    assert "unknown; one of none" in run(["--token", "t", "--scenario", "drifty"], capsys)
    assert "MICROFORGE_FLEET_TOKEN" in run(["--server", down], capsys)
    assert "cannot reach the fleet server" in run(["--token", "t", "--server", down], capsys)
    assert "--devices 0" in run(["--token", "t", "--devices", "0"], capsys)
    assert "give the server's URL" in run(["--token", "t", "--server", "localhost"], capsys)
    plain = tmp_path / "plain"
    plain.mkdir()
    (plain / "microforge.toml").write_text(
        Path(EXAMPLE, "microforge.toml").read_text().replace("enabled = true",
                                                             "enabled = false"))
    assert "[monitor] enabled is false" in run(["--token", "t", "--project", str(plain)],
                                               capsys)


@pytest.mark.slow
def test_a_refused_token_is_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]
                                     ) -> None:
    require_module("fastapi")
    server = Server(f"sqlite:///{tmp_path / 'fleet.db'}")
    try:
        err = run(["--token", "not-a-token", "--server", server.url], capsys)
        assert "token was refused (401)" in err
    finally:
        server.stop()
