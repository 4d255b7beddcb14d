"""`microforge fleet simulate`: a fleet of virtual devices sending real records to a server.

Each device sends one record every `interval` seconds (a real HAR device sends one per 32
windows of 2.56 s, 82 s; the simulator compresses time), staggered over the interval, for
`duration` seconds. The model and the devices are registered through the API first (the
same registration again is accepted); a device already on the server goes on from its last
sequence number.

    summary = simulate(SimSettings(server, token, devices=8, duration=30, scenario="mixed"))
"""

from __future__ import annotations

import heapq
import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeRemainingColumn

from microforge.errors import ConfigError
from microforge.fleet.sim.client import Answer, FleetClient
from microforge.fleet.sim.device import VirtualDevice, device_key, simulator_secret
from microforge.fleet.sim.model import DEFAULT_PROJECT, SimModel, load_sim_model, project_config
from microforge.fleet.sim.scenarios import MIXED_DRIFT_SHARE, SCENARIOS, fleet_scenarios

UINT32 = 2**32


@dataclass
class SimSettings:
    server: str
    token: str
    devices: int = 8
    duration: float = 60.0
    scenario: str = "mixed"
    interval: float = 2.0
    project: Path = DEFAULT_PROJECT
    first_id: int = 1
    drift_share: float = MIXED_DRIFT_SHARE
    secret_file: Path = Path("build/fleet/simulator.key")
    qemu_device: bool = False
    seed: int = 0
    wait_server: float = 0.0  # seconds to wait for a server that is starting

    def check(self) -> None:
        if self.devices < 1:
            raise ConfigError(f"--devices {self.devices}: give at least 1")
        if self.duration <= 0 or self.interval <= 0:
            raise ConfigError("--duration and --interval: give positive seconds")
        last = self.first_id + self.devices + (1 if self.qemu_device else 0) - 1
        if self.first_id < 0 or last >= UINT32:
            raise ConfigError(f"--first-id {self.first_id}: device ids must stay below 2^32")
        if not 0 <= self.drift_share <= 1:
            raise ConfigError(f"--drift-share {self.drift_share}: give a fraction in 0..1")
        fleet_scenarios(self.scenario, self.devices, self.drift_share)
        project_config(self.project)
        if self.qemu_device:
            from microforge.fleet.sim.qemu_device import require_toolchain

            require_toolchain()


@dataclass
class CohortTally:
    sent: int = 0
    accepted: int = 0
    with_alerts: int = 0
    alerts: Counter[str] = field(default_factory=Counter)


@dataclass
class SimSummary:
    sent: int = 0
    accepted: int = 0
    rejected: Counter[str] = field(default_factory=Counter)  # by reason
    cohorts: dict[str, CohortTally] = field(default_factory=dict)
    devices: dict[int, str] = field(default_factory=dict)  # id -> scenario / cohort
    interrupted: bool = False  # stopped by Ctrl-C before the duration was over
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def count(self, cohort: str, answer: Answer) -> None:
        with self._lock:
            self._count(cohort, answer)

    def _count(self, cohort: str, answer: Answer) -> None:
        tally = self.cohorts.setdefault(cohort, CohortTally())
        self.sent += 1
        tally.sent += 1
        if answer.accepted:
            self.accepted += 1
            tally.accepted += 1
            tally.with_alerts += bool(answer.alerts)
            tally.alerts.update(a.split(" ")[0] if a.startswith(("feature", "variance"))
                                else a for a in answer.alerts)
        else:
            self.rejected[answer.reason] += 1

    def lines(self) -> list[str]:
        rejected = ", ".join(f"{n} {r}" for r, n in self.rejected.most_common()) or "none"
        out = ["interrupted: the counts so far"] if self.interrupted else []
        out += [f"records: {self.sent} sent, {self.accepted} accepted, "
               f"{sum(self.rejected.values())} rejected ({rejected})"]
        for cohort, t in sorted(self.cohorts.items()):
            kinds = ", ".join(f"{k} {n}" for k, n in t.alerts.most_common()) or "-"
            out.append(f"  {cohort}: {t.accepted}/{t.sent} accepted, {t.with_alerts} with "
                       f"alerts ({kinds})")
        return out


def register(client: FleetClient, model: SimModel, scenarios: dict[int, str],
             secret: bytes) -> dict[int, int]:
    """Register the model and the devices (unless there): each device's next seq."""
    spec = model.reference.spec
    client.register_model(model.reference.to_json(), model.library.name)
    known = client.devices()
    next_seq = {}
    for device_id, cohort in scenarios.items():
        if device_id not in known:
            client.add_device(device_id, device_key(secret, device_id), cohort,
                              spec.model_id, spec.model_version)
            next_seq[device_id] = 1
        else:  # the same key again is a 200; another one is a 409 (ConfigError)
            client.add_device(device_id, device_key(secret, device_id), known[device_id][
                "cohort"], spec.model_id, spec.model_version)
            next_seq[device_id] = int(known[device_id].get("last_seq") or 0) + 1
    return next_seq


def simulate(settings: SimSettings, console: Console | None = None,
             on_answer: Callable[[int, Answer], None] | None = None) -> SimSummary:
    """Run the fleet; Ctrl-C stops it early (summary.interrupted) with what was sent."""
    settings.check()
    console = console or Console(stderr=True)
    client = FleetClient(settings.server, settings.token)
    qemu = None
    try:
        client.check(settings.wait_server)  # before training or compiling
        model = load_sim_model(settings.project, console)
        ids = range(settings.first_id, settings.first_id + settings.devices)
        scenarios = dict(zip(ids, fleet_scenarios(settings.scenario, settings.devices,
                                                  settings.drift_share), strict=True))
        for name in set(scenarios.values()):  # a scenario the data cannot give: refused now
            SCENARIOS[name](model, np.random.default_rng(0), 1, 0.0)
        qemu_id = settings.first_id + settings.devices if settings.qemu_device else None
        cohorts = {**scenarios, **({qemu_id: "qemu"} if qemu_id is not None else {})}
        secret = simulator_secret(settings.secret_file)
        next_seq = register(client, model, cohorts, secret)
        summary = SimSummary(devices=cohorts)
        devices = make_devices(model, scenarios, secret, next_seq)
        if qemu_id is not None:
            from microforge.fleet.sim.qemu_device import QemuDevice

            periods = max(1, int(settings.duration / settings.interval))
            qemu = QemuDevice(model, qemu_id, device_key(secret, qemu_id), next_seq[qemu_id],
                              periods, settings.seed)
            qemu.start(settings.server, lambda a: _counted(summary, "qemu", qemu_id, a,
                                                           on_answer))
        try:
            run_devices(devices, settings, client, summary, console, on_answer)
            if qemu is not None:
                qemu.wait(console)
        except KeyboardInterrupt:
            summary.interrupted = True
        return summary
    finally:
        if qemu is not None:
            qemu.stop()
        client.close()


def _counted(summary: SimSummary, cohort: str, device_id: int, answer: Answer,
             on_answer: Callable[[int, Answer], None] | None) -> None:
    summary.count(cohort, answer)
    if on_answer is not None:
        on_answer(device_id, answer)


def make_devices(model: SimModel, scenarios: dict[int, str], secret: bytes,
                 next_seq: dict[int, int]) -> list[VirtualDevice]:
    devices: list[VirtualDevice] = []
    for device_id, scenario in scenarios.items():
        prebuilt = devices[0].host.so_path if devices else None  # gcc once
        devices.append(VirtualDevice(device_id, scenario, model, device_key(secret, device_id),
                                     next_seq[device_id], prebuilt))
    return devices


def run_devices(devices: list[VirtualDevice], settings: SimSettings, client: FleetClient,
                summary: SimSummary, console: Console,
                on_answer: Callable[[int, Answer], None] | None) -> None:
    """Every device's records on schedule until the duration is over (records that fall
    behind are sent at once, not skipped)."""
    rng = np.random.default_rng(settings.seed)
    start = time.monotonic()
    end = start + settings.duration
    stagger = settings.interval / len(devices)
    due = [(start + i * stagger, i) for i in range(len(devices))]
    heapq.heapify(due)
    columns = (TextColumn("simulating"), BarColumn(), TextColumn("{task.fields[line]}"),
               TimeRemainingColumn())
    with Progress(*columns, console=console, transient=True) as bar:
        task = bar.add_task("fleet", total=settings.duration, line="")
        while due and due[0][0] < end:
            when, i = heapq.heappop(due)
            wait = when - time.monotonic()
            if wait > 0:
                time.sleep(wait)
            device = devices[i]
            data = device.next_record(rng, (time.monotonic() - start) / settings.duration)
            _counted(summary, device.scenario, device.device_id, client.post_record(data),
                     on_answer)
            heapq.heappush(due, (when + settings.interval, i))
            bar.update(task, completed=min(settings.duration, time.monotonic() - start),
                       line=f"{summary.sent} sent, {summary.accepted} accepted")
