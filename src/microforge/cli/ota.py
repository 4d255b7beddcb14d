"""`microforge keys generate | bundle | bundle inspect | bundle verify`: signed model updates
(docs/ota.md)."""

from __future__ import annotations

from pathlib import Path

import typer

from microforge.cli import app, console
from microforge.errors import ConfigError

keys_app = typer.Typer(help="Signing keys for update bundles.", no_args_is_help=True)
app.add_typer(keys_app, name="keys")

SUBCOMMANDS = ("inspect", "verify")


@keys_app.command(name="generate")
def keys_generate(out: Path = typer.Option(..., "--out", "-o", help="Folder for signing.key "
                                           "(private, mode 0600) and signing.pub.")) -> None:
    """Write a new Ed25519 key pair (the private key is never printed)."""
    from microforge.ota.keys import generate_keys

    private, public = generate_keys(out)
    _print(f"wrote {private} (private, mode 0600: keep it off the device and out of git) and "
           f"{public} (public: goes into the firmware's key list)")


@app.command(name="bundle")
def bundle_command(
    what: str = typer.Argument(..., help="MODEL.tflite or a trained PROJECT (its int8 model) "
                                         "to sign; or `inspect BUNDLE`, `verify BUNDLE "
                                         "--pubkey P`."),
    bundle: Path | None = typer.Argument(None, help="The bundle (inspect, verify)."),
    key: Path | None = typer.Option(None, "--key", "-k", help="The private signing.key."),
    version: str | None = typer.Option(None, "--version", "-V",
                                       help="Bundle version MAJOR.MINOR.REV[+BUILD]."),
    counter: int | None = typer.Option(None, "--counter", "-c",
                                       help="Security counter (rollback protection): the "
                                            "device refuses bundles below its stored one."),
    out: Path | None = typer.Option(None, "--out", "-o", help="Output bundle file."),
    pubkey: Path | None = typer.Option(None, "--pubkey", "-p", help="Public key (verify)."),
    vendor: str = typer.Option("microforge.dev", "--vendor", help="Vendor UUID or name."),
    model_class: str = typer.Option("model", "--class", help="Device class UUID or name."),
    canaries: int = typer.Option(2, "--canaries", help="Canary vectors (TFLM outputs)."),
    payload: str = typer.Option(
        "tflite", "--payload",
        help="tflite: the model file; blob: only its trained values (the model blob), for "
             "firmware compiled with --weights blob from the same architecture."),
) -> None:
    """Sign a model into an MCUboot-format update bundle, or inspect / verify one."""
    if what in SUBCOMMANDS:
        if bundle is None:
            raise ConfigError(f"bundle {what}: name the bundle file (microforge bundle {what} "
                              "B.bin)")
        if what == "inspect":
            _inspect(bundle)
        else:
            if pubkey is None:
                raise ConfigError("bundle verify: --pubkey signing.pub is needed")
            _verify(bundle, pubkey)
        return
    if bundle is not None:
        raise ConfigError(f"bundle {what}: one model, then options (got also {bundle})")
    missing = [name for name, v in (("--key", key), ("--version", version),
                                    ("--counter", counter), ("--out", out)) if v is None]
    if missing:
        raise ConfigError(f"bundle {what}: {', '.join(missing)} needed")
    from microforge.ota.bundle import make_bundle
    from microforge.workspace.rundir import RunDir
    from microforge.workspace.trained import load_trained_project, project_config_path

    assert key and version and counter is not None and out
    model = Path(what)
    config_path = project_config_path(model)
    if config_path is not None:  # a project: the int8 model it was evaluated with
        model = RunDir(load_trained_project(config_path).run_dir).int8_tflite
    with console.status("signing..."):
        result = make_bundle(model, key, version, counter, out, vendor=vendor,
                             model_class=model_class, canaries=canaries, payload=payload)
    _print(f"wrote {result.path}: {result.size:,} B ({result.payload} payload "
           f"{result.payload_size:,} B + "
           f"{result.overhead:,} B header and TLVs), version {result.version}, counter "
           f"{result.counter}, model {result.model_uuid}, {result.canaries} canary vectors, "
           f"ABI {result.abi_hash.hex()[:16]}")


def _inspect(path: Path) -> None:
    from microforge.ota.inspect import summarize

    s = summarize(path)
    _print(f"{s.path}: MCUboot image, {s.size:,} B ({s.payload} payload {s.payload_size:,} B, "
           f"overhead {s.overhead:,} B), NOT verified (bundle verify checks the signature)")
    for label, value in (("version", s.version), ("security counter", s.counter),
                         ("vendor", s.vendor), ("class", s.model_class),
                         ("model uuid", s.model_uuid), ("abi hash", s.abi_hash.hex()),
                         ("canary vectors", s.canaries), ("key hash", s.key_hash.hex()[:32]),
                         ("sha512", s.sha512.hex()[:32])):
        _print(f"  {label}: {value}")
    for area, name, length in s.tlvs:
        _print(f"  tlv {area} {name}: {length} B")


def _verify(path: Path, pubkey: Path) -> None:
    from microforge.ota.inspect import verify_bundle

    s = verify_bundle(path, pubkey)
    _print(f"OK: {path}: signature and SHA-512 verified with {pubkey}; version {s.version}, "
           f"counter {s.counter}, model {s.model_uuid}")


def _print(line: str) -> None:
    console.print(line, highlight=False, soft_wrap=True)


def verify_bundle_on_board(bundle: Path, board: str, pubkeys: list[Path],
                           min_counter: int, firmware_model: Path | None = None) -> None:
    """`microforge verify --bundle B --board X --pubkey P [MODEL]`: the device's verifier and
    the canaries on the emulated core (exit 1 when the device would refuse the bundle). A
    model-blob bundle runs on firmware compiled from MODEL with --weights blob."""
    from microforge.cli.mcu import VerificationFailed
    from microforge.measure.emulated import emulated_board
    from microforge.ota.abi import graph_abi_hash
    from microforge.ota.host import Policy
    from microforge.ota.inspect import summarize
    from microforge.ota.keys import load_public_key, raw_public_key
    from microforge.ota.layout import parse_bundle
    from microforge.ota.mcu import MAX_BUNDLE, update_flow_on_mcu

    if not pubkeys:
        raise ConfigError("verify --bundle: --pubkey signing.pub is needed (the device's key "
                          "list)")
    b, _ = emulated_board(board)
    summary = summarize(bundle)
    if summary.size > MAX_BUNDLE:
        raise ConfigError(f"{bundle}: {summary.size:,} B, more than the {MAX_BUNDLE:,} B the "
                          "emulated flow holds")
    payload = parse_bundle(bundle.read_bytes()).payload
    if summary.payload == "blob" and firmware_model is None:
        raise ConfigError(f"{bundle}: a model-blob bundle holds no architecture; name the "
                          "firmware's model: verify MODEL.tflite --bundle B")
    if summary.payload == "tflite" and firmware_model is not None:
        raise ConfigError("--bundle with a .tflite payload verifies the bundle's own model; "
                          "give no MODEL")
    if firmware_model is not None and not firmware_model.is_file():
        raise ConfigError(f"{firmware_model}: no such model file")
    # the firmware's ABI hash: of the firmware's model, or of the model in the payload
    abi = graph_abi_hash(firmware_model if firmware_model is not None else payload)
    policy = Policy(keys=[(raw_public_key(load_public_key(p)), False) for p in pubkeys],
                    vendor=summary.vendor, model_class=summary.model_class,
                    abi_hash=abi, min_counter=min_counter)
    with console.status(f"verifying {bundle.name} on the emulated {b.core}..."):
        flow = update_flow_on_mcu(b.id, policy, bundle.read_bytes(),
                                  firmware_model=firmware_model)
    blob = f"; model blob {flow.blob}" if flow.blob != "n/a" else ""
    _print(f"{bundle.name} on {b.name} ({flow.core}): verify {flow.verify} in "
           f"{flow.verify_instructions:,} instructions{blob}; canaries {flow.canary}"
           + (f" in {flow.canary_instructions:,} instructions" if flow.canary_instructions
              else ""))
    _print(f"  flash of verifier + crypto + model {flow.library_flash_bytes:,} B; stack "
           f"high-water {flow.stack_bytes:,} B")
    if flow.verify != "ok" or flow.blob not in ("ok", "n/a") or flow.canary != "ok":
        detail = flow.verify if flow.verify != "ok" else (
            f"model blob {flow.blob}" if flow.blob not in ("ok", "n/a")
            else f"canaries {flow.canary}")
        raise VerificationFailed(f"{bundle}: the device refuses it ({detail})")
