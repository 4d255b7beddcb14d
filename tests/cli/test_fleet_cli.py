"""`microforge fleet token | register-model | add-device`: what they store and print, and bad
input as one line with exit code 2."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select

from microforge.cli import main
from microforge.fleet.db import make_engine, session_factory
from microforge.fleet.tables import DeviceRow, ModelRow
from microforge.fleet.tokens import is_valid
from tests.fleet.records import KwsFleet, kws_fleet


@pytest.fixture(scope="module")
def kws(shared_data: Path, tflm) -> KwsFleet:
    return kws_fleet(shared_data, n_periods=1)


def test_token_register_model_add_device(tmp_path: Path, kws: KwsFleet,
                                         capsys: pytest.CaptureFixture[str]) -> None:
    db = f"sqlite:///{tmp_path / 'fleet.db'}"
    reference = tmp_path / "kws" / "monitor_reference.json"
    reference.parent.mkdir()
    kws.reference.save(reference)
    assert main(["fleet", "token", "--db", db]) == 0
    token = capsys.readouterr().out.strip()
    assert main(["fleet", "register-model", str(reference), "--db", db]) == 0
    assert "registered" in capsys.readouterr().out
    assert main(["fleet", "add-device", "7", "--model", str(reference), "--cohort", "lab",
                 "--db", db]) == 0
    out = capsys.readouterr().out
    key_hex = out.split("not shown again): ")[1].split()[0]
    assert main(["fleet", "add-device", "8", "--model", str(reference), "--key-hex", "ab" * 32,
                 "--db", db]) == 0
    capsys.readouterr()
    engine = make_engine(db)
    factory = session_factory(engine)
    assert is_valid(factory, token)
    with factory() as s:
        devices = {d.device_id: d for d in s.scalars(select(DeviceRow))}
        assert s.scalar(select(ModelRow.model_id)) == kws.reference.spec.model_id
    assert devices[7].key.hex() == key_hex and len(devices[7].key) == 32
    assert devices[8].key == bytes.fromhex("ab" * 32) and devices[7].cohort == "lab"
    # the same device with another key: refused in one line
    assert main(["fleet", "add-device", "8", "--model", str(reference), "--key-hex", "cd" * 32,
                 "--db", db]) == 2
    err = capsys.readouterr().err
    assert "another key" in err and "Traceback" not in err
    engine.dispose()


@pytest.mark.parametrize("args", [
    ["fleet", "register-model", "missing.json"],
    ["fleet", "token", "--db", "nosuchdb://x"],
    ["fleet", "serve", "--port", "0"],
    ["fleet", "serve", "--sync", "sometimes"],
])
def test_bad_input_is_one_line_exit_2(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                      capsys: pytest.CaptureFixture[str], args: list[str]) -> None:
    monkeypatch.chdir(tmp_path)
    assert main(args) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("error:") and "Traceback" not in err


def test_token_list_revoke_and_rotate_key(tmp_path: Path, kws: KwsFleet,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    db = f"sqlite:///{tmp_path / 'fleet.db'}"
    reference = tmp_path / "kws" / "monitor_reference.json"
    reference.parent.mkdir()
    kws.reference.save(reference)
    assert main(["fleet", "token", "--label", "ci", "--db", db]) == 0
    token = capsys.readouterr().out.strip()
    assert main(["fleet", "token", "--list", "--db", db]) == 0
    rows = [line.split("\t") for line in capsys.readouterr().out.splitlines()]
    assert len(rows) == 1 and rows[0][2] == "active" and rows[0][3] == "ci"
    assert token not in "".join(rows[0])
    assert main(["fleet", "token", "--revoke", rows[0][0], "--db", db]) == 0
    assert "revoked" in capsys.readouterr().out
    assert main(["fleet", "token", "--list", "--db", db]) == 0
    assert capsys.readouterr().out.split("\t")[2] != "active"
    engine = make_engine(db)
    assert not is_valid(session_factory(engine), token)
    assert main(["fleet", "token", "--revoke", "99", "--db", db]) == 2
    assert "no operator token has id 99" in capsys.readouterr().err
    assert main(["fleet", "add-device", "7", "--model", str(reference), "--key-hex", "ab" * 32,
                 "--db", db]) == 0
    capsys.readouterr()
    assert main(["fleet", "rotate-key", "7", "--grace", "60", "--db", db]) == 0
    out = capsys.readouterr().out
    key_hex = out.split("not shown again): ")[1].split()[0]
    with session_factory(engine)() as s:
        device = s.get(DeviceRow, 7)
    assert device.key.hex() == key_hex and device.previous_key == bytes.fromhex("ab" * 32)
    assert main(["fleet", "rotate-key", "8", "--db", db]) == 2
    err = capsys.readouterr().err
    assert "device 8" in err and "Traceback" not in err
    engine.dispose()
