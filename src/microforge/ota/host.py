"""The device verifier (runtime/ota) built for the host, under ASan/UBSan by default: the
attack corpus, the RFC 8032 vectors and `bundle` checks run it as a subprocess."""

from __future__ import annotations

import shutil
import struct
import subprocess
import tempfile
import uuid
from dataclasses import dataclass, field
from pathlib import Path

from microforge.errors import ToolchainError
from microforge.ota.crypto_sources import C_FILES, crypto_sources
from microforge.ota.layout import STATUS_NAMES
from microforge.paths import RUNTIME_DIR
from microforge.runners.host import SANITIZER_FLAGS
from microforge.runners.sizes import WARNING_FLAGS

OTA_DIR = RUNTIME_DIR / "ota"
SANITIZE = list(SANITIZER_FLAGS)
_built: dict[bool, Path] = {}


@dataclass
class Policy:
    """What the firmware compiles in: the key list (raw key, revoked), the IDs, the ABI hash,
    and the stored rollback counter."""

    keys: list[tuple[bytes, bool]]
    vendor: uuid.UUID
    model_class: uuid.UUID
    abi_hash: bytes
    min_counter: int = 0
    max_payload: int = 1 << 20
    extra: dict = field(default_factory=dict)

    def encode(self) -> bytes:
        data = struct.pack("<I", len(self.keys))
        for raw, revoked in self.keys:
            data += raw + bytes([1 if revoked else 0])
        return (data + self.vendor.bytes + self.model_class.bytes + self.abi_hash
                + struct.pack("<II", self.min_counter, self.max_payload))


def host_verifier(sanitize: bool = True) -> Path:
    """The harness executable (built once per process)."""
    if sanitize in _built and _built[sanitize].is_file():
        return _built[sanitize]
    gcc = shutil.which("gcc")
    if gcc is None:
        raise ToolchainError("gcc not found: install gcc to build the OTA verifier on the host")
    crypto = crypto_sources()
    out = Path(tempfile.mkdtemp(prefix="mf_ota_host_")) / "mf_ota_host"
    sources = [*sorted(OTA_DIR.glob("*.c")), OTA_DIR / "host" / "mf_ota_host_main.c",
               *(crypto / f for f in C_FILES)]
    cmd = [gcc, *WARNING_FLAGS, *(SANITIZE if sanitize else ["-O2"]), "-I", str(OTA_DIR),
           "-I", str(crypto), *map(str, sources), "-o", str(out)]
    result = subprocess.run(cmd, capture_output=True, text=True)
    if result.returncode != 0:
        raise RuntimeError(f"gcc failed on the OTA verifier:\n{result.stderr[:4000]}")
    _built[sanitize] = out
    return out


def _run(args: list[str], sanitize: bool) -> list[int]:
    result = subprocess.run([str(host_verifier(sanitize)), *args], capture_output=True,
                            text=True)
    if result.returncode != 0:
        raise RuntimeError(f"OTA host verifier failed ({result.returncode}):\n"
                           f"{result.stderr[-4000:]}")
    return [int(line) for line in result.stdout.split()]


def verify_on_host(policy: Policy, bundles: list[bytes], sanitize: bool = True) -> list[str]:
    """The device verifier's reason (STATUS_NAMES) for each bundle."""
    with tempfile.TemporaryDirectory(prefix="mf_ota_") as tmp:
        folder = Path(tmp)
        (folder / "policy").write_bytes(policy.encode())
        paths = []
        for i, data in enumerate(bundles):
            path = folder / f"b{i}"
            path.write_bytes(data)
            paths.append(str(path))
        codes: list[int] = []
        for start in range(0, len(paths), 200):  # bounded command lines
            codes += _run([str(folder / "policy"), *paths[start:start + 200]], sanitize)
    return [STATUS_NAMES[c] for c in codes]


def truncations_on_host(policy: Policy, bundle: bytes, sanitize: bool = True) -> list[str]:
    """The reason for every prefix of `bundle` (lengths 0 .. len - 1)."""
    with tempfile.TemporaryDirectory(prefix="mf_ota_") as tmp:
        folder = Path(tmp)
        (folder / "policy").write_bytes(policy.encode())
        (folder / "b").write_bytes(bundle)
        codes = _run([str(folder / "policy"), "--truncate", str(folder / "b")], sanitize)
    return [STATUS_NAMES[c] for c in codes]


def ed25519_on_host(vectors: list[tuple[bytes, bytes, bytes]], sanitize: bool = True
                    ) -> list[bool]:
    """Whether our build of Ed25519 accepts each (public key, signature, message)."""
    with tempfile.TemporaryDirectory(prefix="mf_ota_") as tmp:
        path = Path(tmp) / "vectors"
        path.write_text("".join(f"{pk.hex()} {sig.hex()} {msg.hex() or '-'}\n"
                                for pk, sig, msg in vectors))
        return [c == 0 for c in _run(["--ed25519", str(path)], sanitize)]


@dataclass(frozen=True)
class PowerLossRun:
    budget: int  # the flash operation the reset cut (0: none)
    ops: int  # flash operations done before the reset (all of them when none)
    reset: bool
    status: str  # of the boot after the reset (settled: trial confirmed or rejected)
    slot: int
    counter: int  # the stored rollback counter
    model_uuid: str
    canary: str  # the canaries of the model that finally runs, on the compiled model


_sims: dict[str, Path] = {}
# links a model compiled as `canary` to the simulator's canary callback
CANARY_GLUE = ('#include "canary.h"\n'
               "int mf_canary_model(void *user, const int8_t *input, int8_t *output);\n"
               "int mf_canary_model(void *user, const int8_t *input, int8_t *output) {\n"
               "    (void)user;\n    return mf_canary_invoke(input, output);\n}\n")


def flash_simulator(model: Path, sanitize: bool = True) -> Path:
    """The power-loss harness, linked with `model` compiled by microforge (its canaries run
    on it), built once per model and process."""
    from microforge.codegen.compiler import compile_model

    key = f"{model}:{sanitize}"
    if key in _sims and _sims[key].is_file():
        return _sims[key]
    folder = Path(tempfile.mkdtemp(prefix="mf_ota_sim_"))
    info = compile_model(model, folder / "model", name="canary")
    (folder / "model" / "mf_canary_glue.c").write_text(CANARY_GLUE)
    crypto = crypto_sources()
    exe = folder / "mf_ota_flash_sim"
    sources = [*sorted(OTA_DIR.glob("*.c")), OTA_DIR / "host" / "mf_ota_flash_sim.c",
               OTA_DIR / "host" / "mf_ota_sim.c", *(crypto / f for f in C_FILES),
               *sorted(info.out_dir.glob("*.c"))]
    cmd = [shutil.which("gcc") or "gcc", *WARNING_FLAGS, *(SANITIZE if sanitize else ["-O2"]),
           "-I", str(OTA_DIR), "-I", str(OTA_DIR / "host"), "-I", str(crypto),
           "-I", str(info.out_dir),
           *map(str, sources), "-o", str(exe), "-lm"]
    result = subprocess.run(cmd, capture_output=True, text=True)
    if result.returncode != 0:
        raise RuntimeError(f"gcc failed on the flash simulator:\n{result.stderr[:4000]}")
    _sims[key] = exe
    return exe


def power_loss_runs(model: Path, policy: Policy, old: bytes, new: bytes, budgets: list[int],
                    seed: int = 0, sanitize: bool = True) -> list[PowerLossRun]:
    """Provision `old` (confirmed), update to `new` with a reset at each flash-operation
    budget (0: none), reboot and settle; one result per budget."""
    exe = flash_simulator(model, sanitize)
    runs = []
    with tempfile.TemporaryDirectory(prefix="mf_ota_pl_") as tmp:
        folder = Path(tmp)
        for name, data in (("policy", policy.encode()), ("old", old), ("new", new)):
            (folder / name).write_bytes(data)
        for budget in budgets:
            result = subprocess.run([str(exe), str(folder / "policy"), str(folder / "old"),
                                     str(folder / "new"), str(budget), str(seed)],
                                    capture_output=True, text=True)
            if result.returncode != 0:
                raise RuntimeError(f"flash simulator failed ({result.returncode}) at budget "
                                   f"{budget}:\n{result.stdout[-2000:]}{result.stderr[-4000:]}")
            lines = dict(line.split(" ", 1) for line in result.stdout.splitlines())
            st, slot, _trial, counter, ident, canary = lines["final"].split()
            runs.append(PowerLossRun(budget, int(lines["ops"]), lines["reset"] == "1",
                                     STATUS_NAMES[int(st)], int(slot), int(counter), ident,
                                     STATUS_NAMES[int(canary)] if int(canary) >= 0 else "none"))
    return runs
