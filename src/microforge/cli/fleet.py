"""`microforge fleet serve | token | register-model | add-device | rotate-key`: the fleet
monitoring server and its database (docs/monitoring.md, "Fleet server")."""

from __future__ import annotations

import json
import secrets
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from microforge.cli import app, console
from microforge.errors import ConfigError

if TYPE_CHECKING:  # the fleet extra is imported only when a fleet command runs
    from sqlalchemy.orm import Session, sessionmaker

fleet_app = typer.Typer(help="Fleet monitoring server: telemetry ingestion, drift, alerts.",
                        no_args_is_help=True)
app.add_typer(fleet_app, name="fleet")

DB_HELP = "Database URL (default sqlite:///build/fleet/fleet.db; PostgreSQL: " \
          "postgresql+psycopg://USER@HOST/DB)."


def _print(line: str) -> None:
    console.print(line, highlight=False, soft_wrap=True)


def _factory(db: str | None) -> sessionmaker[Session]:
    from microforge.fleet.db import make_engine, session_factory
    from microforge.fleet.migrate import upgrade

    engine = make_engine(db)
    upgrade(engine)
    return session_factory(engine)


@fleet_app.command(name="serve")
def serve_command(
    db: str | None = typer.Option(None, "--db", help=DB_HELP),
    host: str = typer.Option("127.0.0.1", "--host", help="Address to listen on (default "
                             "localhost only; 0.0.0.0 exposes it to the network)."),
    port: int = typer.Option(8765, "--port", help="TCP port."),
    sync: str = typer.Option("normal", "--sync", help="SQLite durability: normal (survives a "
                             "killed server) or full (also power loss; slower)."),
    workers: int = typer.Option(1, "--workers", help="Server processes (each ingests; the "
                                "database serialises their writes)."),
) -> None:
    """Run the fleet server (JSON API under /api/, dashboard at /)."""
    from microforge.fleet.server import serve

    if not 0 < port < 65536:
        raise ConfigError(f"--port {port}: use 1..65535")
    serve(db, host, port, synchronous=sync, workers=workers, announce=_print)


@fleet_app.command(name="token")
def token_command(
    db: str | None = typer.Option(None, "--db", help=DB_HELP),
    label: str = typer.Option("", "--label", help="A note stored with the token's hash."),
    revoke: int | None = typer.Option(None, "--revoke", help="Revoke the token with this id "
                                      "(see --list): it is refused (401) from the next "
                                      "request on."),
    list_: bool = typer.Option(False, "--list", help="List the tokens: id, created, revoked, "
                               "label (never the token)."),
) -> None:
    """Create an operator token and print it once (only its SHA-256 is stored); or --list
    them, or --revoke one."""
    from microforge.fleet.errors import FleetError
    from microforge.fleet.tokens import create_token, list_tokens, revoke_token

    if revoke is not None and list_:
        raise ConfigError("--revoke and --list: give one of them")
    factory = _factory(db)
    if list_:
        for t in list_tokens(factory):
            revoked = t.revoked.isoformat(timespec="seconds") if t.revoked else "active"
            typer.echo(f"{t.token_id}\t{t.created.isoformat(timespec='seconds')}\t{revoked}\t"
                   f"{t.label}")
        return
    if revoke is not None:
        try:
            done = revoke_token(factory, revoke)
        except FleetError as e:
            raise ConfigError(f"--revoke {revoke}: {e}") from None
        _print(f"token {revoke} {'revoked' if done else 'was already revoked'}")
        return
    typer.echo(create_token(factory, label))


def _load_json(path: Path) -> dict:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as e:
        raise ConfigError(f"{path}: cannot read it as JSON ({e}); give the "
                          "monitor_reference.json that `microforge compile` wrote") from None
    if not isinstance(data, dict):
        raise ConfigError(f"{path}: not a JSON object; give monitor_reference.json")
    return data


@fleet_app.command(name="register-model")
def register_model_command(
    reference: Path = typer.Argument(..., help="monitor_reference.json of the compiled "
                                     "project (beside its C library)."),
    name: str = typer.Option("", "--name", help="A name shown in the API and dashboard."),
    db: str | None = typer.Option(None, "--db", help=DB_HELP),
) -> None:
    """Register a model version (its monitor reference) with the fleet."""
    from microforge.fleet.registry import register_model

    model_id, version, created = register_model(_factory(db), _load_json(reference),
                                                name or reference.parent.name)
    _print(f"model {model_id:#010x} version {version} "
           f"{'registered' if created else 'was already registered'} "
           f"(model_id {model_id} in the API)")


@fleet_app.command(name="add-device")
def add_device_command(
    device_id: int = typer.Argument(..., help="The device id its records carry (uint32)."),
    reference: Path = typer.Option(..., "--model", help="monitor_reference.json of the model "
                                   "it runs (registered first if it is not)."),
    key_hex: str | None = typer.Option(None, "--key-hex", help="Its record key, hex (32 bytes "
                                       "= 64 digits). Default: a new random key, printed once "
                                       "for provisioning the device."),
    cohort: str = typer.Option("default", "--cohort", help="Group for drift per cohort."),
    db: str | None = typer.Option(None, "--db", help=DB_HELP),
) -> None:
    """Register a device: its id, record key, cohort and model."""
    from microforge.fleet.errors import FleetError
    from microforge.fleet.registry import add_device, register_model

    factory = _factory(db)
    model_id, version, _ = register_model(factory, _load_json(reference),
                                          reference.parent.name)
    new_key = key_hex is None
    try:
        key = secrets.token_bytes(32) if key_hex is None else bytes.fromhex(key_hex)
    except ValueError:
        raise ConfigError("--key-hex: not hexadecimal (64 digits for a 32-byte key)") from None
    try:
        created = add_device(factory, device_id, key, cohort, model_id, version)
    except FleetError as e:
        raise ConfigError(f"device {device_id}: {e}") from None
    state = "registered" if created else "was already registered (same key)"
    _print(f"device {device_id} {state}: cohort {cohort!r}, model {model_id:#010x} "
           f"version {version}")
    if new_key:
        _print(f"key (store it on the device; it is not shown again): {key.hex()}")


@fleet_app.command(name="rotate-key")
def rotate_key_command(
    device_id: int = typer.Argument(..., help="The device whose record key is replaced."),
    grace: float = typer.Option(0.0, "--grace", help="Seconds the old key is still accepted "
                                "(the time to provision the new one); 0: refused at once."),
    db: str | None = typer.Option(None, "--db", help=DB_HELP),
) -> None:
    """Give a device a new random record key and print it once."""
    from microforge.fleet.errors import FleetError
    from microforge.fleet.registry import rotate_key

    try:
        key = rotate_key(_factory(db), device_id, grace)
    except FleetError as e:
        raise ConfigError(f"device {device_id}: {e}") from None
    until = f"for {grace:g} s more" if grace > 0 else "no longer"
    _print(f"device {device_id}: new key; records with the old key are accepted {until}")
    _print(f"key (store it on the device; it is not shown again): {key.hex()}")
