"""`microforge fleet simulate`: virtual devices running the compiled C pipeline on real
recordings, sending their monitor's records to a fleet server (docs/monitoring.md, "Fleet
simulator")."""

from __future__ import annotations

import os
from pathlib import Path

import typer

from microforge.cli import console
from microforge.cli.fleet import fleet_app
from microforge.errors import ConfigError

TOKEN_ENV = "MICROFORGE_FLEET_TOKEN"


@fleet_app.command(name="simulate")
def simulate_command(
    server: str = typer.Option("http://127.0.0.1:8765", "--server", help="The fleet server's "
                               "URL (microforge fleet serve)."),
    devices: int = typer.Option(8, "--devices", help="Virtual devices (host C pipeline)."),
    duration: float = typer.Option(60.0, "--duration", help="Seconds to run."),
    scenario: str = typer.Option("mixed", "--scenario", help="none, held_out_subjects, "
                                 "gain_drift, offset_drift, noise, class_mix, or mixed (a "
                                 "share of the devices drift, the others do not)."),
    token: str | None = typer.Option(None, "--token", help=f"Operator token, for registering "
                                     f"the model and devices (default ${TOKEN_ENV})."),
    project: Path = typer.Option(Path("examples/fleet_har"), "--project", help="The project "
                                 "whose monitored model the devices run (trained first if it "
                                 "has no run yet)."),
    interval: float = typer.Option(2.0, "--interval", help="Seconds between two records of "
                                   "one device (time is compressed: a real HAR device sends "
                                   "one per 82 s)."),
    first_id: int = typer.Option(1, "--first-id", help="Id of the first device."),
    drift_share: float = typer.Option(0.5, "--drift-share", help="Share of drifting devices "
                                      "in --scenario mixed."),
    keys: Path = typer.Option(Path("build/fleet/simulator.key"), "--keys", help="The "
                              "simulator's secret (made once): the device keys derive from "
                              "it."),
    qemu_device: bool = typer.Option(False, "--qemu-device", help="One more device on an "
                                     "emulated Cortex-M4 (QEMU), its records forwarded by a "
                                     "gateway."),
    seed: int = typer.Option(0, "--seed", help="Random seed of the windows drawn."),
    wait_server: float = typer.Option(0.0, "--wait-server", help="Seconds to wait for a "
                                      "server that is still starting (default: fail at once)."),
) -> None:
    """Simulate a fleet of devices sending real telemetry to a fleet server."""
    from microforge.fleet.sim.run import SimSettings, simulate

    token = token or os.environ.get(TOKEN_ENV)
    if not token:
        raise ConfigError(f"--token: an operator token is needed to register the devices; give "
                          f"--token or set {TOKEN_ENV} (`microforge fleet token` prints one)")
    settings = SimSettings(server=server, token=token, devices=devices, duration=duration,
                           scenario=scenario, interval=interval, project=project,
                           first_id=first_id, drift_share=drift_share, secret_file=keys,
                           qemu_device=qemu_device, seed=seed,
                           wait_server=wait_server)
    summary = simulate(settings, console)
    for line in summary.lines():
        console.print(line, highlight=False, soft_wrap=True)
    if summary.interrupted:
        raise typer.Exit(130)
