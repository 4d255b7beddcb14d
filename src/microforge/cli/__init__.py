"""`microforge ...`: thin commands that parse arguments, call the API and print.

Each command group lives in its own module and registers itself on `app`. User errors
(`MicroforgeError`) are printed as one line and exit with code 2, without a traceback; so are
operating-system errors (a read-only folder, a full disk). Anything else is a bug in microforge:
one line with a bug-report hint and exit code 3 (`--debug` before or after the command shows
the traceback).
"""

from __future__ import annotations

import logging
import os
import sys
import warnings

import typer
from rich.console import Console
from rich.markup import escape

from microforge.errors import MicroforgeError

app = typer.Typer(
    name="microforge",
    help="TinyML toolchain: sensor data -> model -> int8 -> verified C for microcontrollers.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)
console = Console(log_path=False)
err_console = Console(stderr=True)


def _version(value: bool) -> None:
    if value:
        from microforge.version import __version__

        console.print(f"microforge {__version__}", highlight=False)
        raise typer.Exit(0)


@app.callback()
def _options(version: bool = typer.Option(False, "--version", help="Print the version and "
                                          "exit.", callback=_version, is_eager=True)) -> None:
    """TinyML toolchain: sensor data -> model -> int8 -> verified C for microcontrollers."""


def _register_commands() -> None:
    # Imported for their side effect: each module adds its commands to `app`.
    import importlib

    for module in ("pipeline", "data", "collect", "compile", "mcu", "optimize", "ota", "search",
                   "calibrate", "fleet", "fleet_simulate"):
        try:
            importlib.import_module(f"microforge.cli.{module}")
        except ModuleNotFoundError as exc:  # a command module not written yet
            if exc.name != f"microforge.cli.{module}":
                raise


# Commands that train or convert: TensorFlow is imported up front with its import-time C++
# logging (absl's "All log messages before absl::InitializeLog()", oneDNN notes) captured,
# since TF_CPP_MIN_LOG_LEVEL does not reach it.
TF_COMMANDS = {"run", "train", "quantize", "export", "demo", "optimize", "search"}


def _import_tensorflow_quietly() -> None:
    import importlib.util

    from microforge.runners.native import captured_native_output

    if "tensorflow" in sys.modules or importlib.util.find_spec("tensorflow") is None:
        return
    with captured_native_output():
        import tensorflow  # noqa: F401


BUG_EXIT_CODE = 3
BUG_REPORT_HINT = ("this is a bug in microforge: rerun with --debug for the traceback and "
                   "report it with the command and input that caused it")


def main(argv: list[str] | None = None) -> int:
    """Console-script entry point."""
    args = list(sys.argv[1:] if argv is None else argv)
    debug = "--debug" in args or os.environ.get("MICROFORGE_DEBUG", "") not in ("", "0")
    args = [a for a in args if a != "--debug"]
    try:
        return _main(args, console_script=argv is None)
    except (KeyboardInterrupt, SystemExit):
        raise
    except OSError as exc:  # the environment, not the input: permissions, disk full...
        if debug:
            raise
        where = f"{exc.filename}: " if exc.filename else ""
        err_console.print(f"[bold red]error:[/] {where}{exc.strerror or exc}; check that the "
                          "folder is writable and the disk has space", highlight=False,
                          soft_wrap=True)
        return 2
    except MemoryError:
        if debug:
            raise
        err_console.print("[bold red]error:[/] out of memory; the input is too big for this "
                          "machine", highlight=False, soft_wrap=True)
        return BUG_EXIT_CODE
    except Exception as exc:  # noqa: BLE001 - the top-level guard: one line, not a traceback
        if debug:
            raise
        text = " ".join(str(exc).split())[:300]
        err_console.print(f"[bold red]internal error:[/] {type(exc).__name__}: {text} "
                          f"({BUG_REPORT_HINT})", highlight=False, soft_wrap=True)
        return BUG_EXIT_CODE


def _main(argv: list[str], console_script: bool = False) -> int:
    # TensorFlow's C++ logging (CPU feature notes, tf.data attribute warnings) is noise for a
    # CLI user; real failures still surface as Python exceptions.
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    logging.getLogger("tensorflow").setLevel(logging.ERROR)  # retracing notes and the like
    warnings.filterwarnings("ignore", module=r"(tensorflow|keras)(\.|$)")
    _register_commands()
    if console_script and set(argv[:1]) & TF_COMMANDS:
        _import_tensorflow_quietly()
    try:
        # Without standalone mode, click returns a command's `typer.Exit(code)` as the value.
        result = app(args=argv, standalone_mode=False)
    except MicroforgeError as exc:
        # escape: messages hold brackets (`pip install 'microforge[wfdb]'`, `[dataset]`).
        err_console.print(f"[bold red]error:[/] {escape(str(exc))}", highlight=False,
                          soft_wrap=True)
        return exc.exit_code
    except typer.Exit as exc:
        return exc.exit_code
    except typer.Abort:
        err_console.print("aborted")
        return 1
    except KeyboardInterrupt:
        err_console.print("interrupted")
        return 130
    except typer.TyperException as exc:  # usage errors: unknown command, bad option...
        show = getattr(exc, "show", None)
        if show is not None:
            show()
        else:
            err_console.print(f"error: {exc}", highlight=False)
        return int(getattr(exc, "exit_code", 2))
    return result if isinstance(result, int) else 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
