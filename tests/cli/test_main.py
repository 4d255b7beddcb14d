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
