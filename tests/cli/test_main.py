"""main(): exit codes of commands that stop with typer.Exit, and of user errors."""

from __future__ import annotations

import pytest
import typer

import microforge.cli as cli
from microforge.errors import ConfigError


def _app_with(command) -> typer.Typer:
    app = typer.Typer(pretty_exceptions_enable=False)
    app.command("go")(command)
    app.command("other")(lambda: None)  # two commands, so "go" is a subcommand
    return app


def test_typer_exit_code_is_returned(monkeypatch) -> None:
    def go() -> None:
        raise typer.Exit(3)

    monkeypatch.setattr(cli, "app", _app_with(go))
    monkeypatch.setattr(cli, "_register_commands", lambda: None)
    assert cli.main(["go"]) == 3


def test_user_error_exits_2_with_one_line(monkeypatch, capsys) -> None:
    def go() -> None:
        raise ConfigError("x.toml: model.width: must be > 0")

    monkeypatch.setattr(cli, "app", _app_with(go))
    monkeypatch.setattr(cli, "_register_commands", lambda: None)
    assert cli.main(["go"]) == 2
    err = capsys.readouterr().err.strip()
    assert err.count("\n") == 0 and "model.width" in err


def test_success_exits_0(monkeypatch) -> None:
    monkeypatch.setattr(cli, "app", _app_with(lambda: None))
    monkeypatch.setattr(cli, "_register_commands", lambda: None)
    assert cli.main(["go"]) == 0


def test_version(capsys) -> None:
    from microforge.cli import main
    from microforge.version import __version__

    assert main(["--version"]) == 0
    assert capsys.readouterr().out == f"microforge {__version__}\n"


def test_init_names_the_project_after_its_folder_and_prints_dataset(tmp_path, capsys) -> None:
    import tomllib

    from microforge.cli import main

    folder = tmp_path / "vibration rig 2"
    assert main(["init", str(folder)]) == 0
    out = " ".join(capsys.readouterr().out.split())
    assert "edit [dataset] path" in out and "project 'vibration_rig_2'" in out
    config = tomllib.loads((folder / "microforge.toml").read_text())
    assert config["project"]["name"] == "vibration_rig_2"
    assert main(["init", str(tmp_path / "2024")]) == 0
    config = tomllib.loads((tmp_path / "2024/microforge.toml").read_text())
    assert config["project"]["name"] == "p_2024"


@pytest.mark.slow
def test_training_commands_silence_tensorflows_native_logging(tmp_path) -> None:
    """What `microforge run` does before training: TensorFlow imported with its C++ log lines
    captured (TF_CPP_MIN_LOG_LEVEL does not reach absl's pre-init messages)."""
    import subprocess
    import sys

    code = ("import sys; from microforge.cli import _import_tensorflow_quietly; "
            "_import_tensorflow_quietly(); import tensorflow; print('imported', "
            "'tensorflow' in sys.modules)")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert done.stdout == "imported True\n"
    assert "absl::InitializeLog" not in done.stderr and "oneDNN" not in done.stderr
    assert done.stderr == ""


def test_unexpected_exception_is_one_line_with_a_bug_hint_and_exit_3(monkeypatch,
                                                                      capsys) -> None:
    def go() -> None:
        raise KeyError("boom\nsecond line")

    monkeypatch.setattr(cli, "app", _app_with(go))
    monkeypatch.setattr(cli, "_register_commands", lambda: None)
    assert cli.main(["go"]) == cli.BUG_EXIT_CODE == 3
    err = capsys.readouterr().err.strip()
    assert err.count("\n") == 0 and "Traceback" not in err
    assert "KeyError" in err and "bug in microforge" in err and "--debug" in err


def test_debug_shows_the_traceback(monkeypatch) -> None:
    def go() -> None:
        raise KeyError("boom")

    monkeypatch.setattr(cli, "app", _app_with(go))
    monkeypatch.setattr(cli, "_register_commands", lambda: None)
    with pytest.raises(KeyError):
        cli.main(["go", "--debug"])


def test_os_error_is_one_line_and_exit_2(monkeypatch, capsys) -> None:
    import errno

    def go() -> None:
        raise OSError(errno.ENOSPC, "No space left on device", "/out/model.c")

    monkeypatch.setattr(cli, "app", _app_with(go))
    monkeypatch.setattr(cli, "_register_commands", lambda: None)
    assert cli.main(["go"]) == 2
    err = capsys.readouterr().err.strip()
    assert err.count("\n") == 0 and "/out/model.c" in err and "No space left" in err
