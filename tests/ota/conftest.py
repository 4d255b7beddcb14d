"""Shared fixtures of the OTA tests: keys, a small real model, a policy that accepts it."""

from __future__ import annotations

from pathlib import Path

import pytest

from microforge.paths import shared_data_dir


def shared_model(relative: str) -> Path:
    data = shared_data_dir()
    path = data / "models" / relative if data else None
    if path is None or not path.is_file():
        pytest.skip(f"needs ../shared/data/models/{relative}")
    return path


@pytest.fixture(scope="session")
def small_model() -> Path:
    return shared_model("tflm_hello_world/hello_world_int8.tflite")


@pytest.fixture(scope="session")
def key_dirs(tmp_path_factory) -> dict[str, Path]:
    """Three key pairs: the current one, the next (rotation), one revoked, one unknown."""
    from microforge.ota.keys import generate_keys

    root = tmp_path_factory.mktemp("keys")
    dirs = {}
    for name in ("current", "next", "revoked", "unknown"):
        generate_keys(root / name)
        dirs[name] = root / name
    return dirs


@pytest.fixture(scope="session")
def small_bundle(tmp_path_factory, small_model, key_dirs) -> Path:
    from microforge.ota.bundle import make_bundle

    out = tmp_path_factory.mktemp("bundle") / "hello.bin"
    make_bundle(small_model, key_dirs["current"] / "signing.key", "1.2.3+4", 7, out,
                canaries=2)
    return out


@pytest.fixture(scope="session")
def policy(key_dirs, small_bundle):
    """The firmware's policy: current + next keys, revoked one flagged; IDs and ABI hash of
    the small model; stored counter 7."""
    from microforge.ota.bundle import DEFAULT_CLASS, DEFAULT_VENDOR, class_uuid, vendor_uuid
    from microforge.ota.host import Policy
    from microforge.ota.inspect import summarize
    from microforge.ota.keys import load_public_key, raw_public_key

    def raw(name: str) -> bytes:
        return raw_public_key(load_public_key(key_dirs[name] / "signing.pub"))

    return Policy(keys=[(raw("current"), False), (raw("next"), False), (raw("revoked"), True)],
                  vendor=vendor_uuid(DEFAULT_VENDOR),
                  model_class=class_uuid(DEFAULT_VENDOR, DEFAULT_CLASS),
                  abi_hash=summarize(small_bundle).abi_hash, min_counter=7)
