import os
import stat

import pytest

from microforge.ota.errors import BundleError
from microforge.ota.keys import generate_keys, load_private_key, load_public_key, raw_public_key


def test_generate_writes_a_0600_private_key_and_a_public_key(tmp_path):
    private, public = generate_keys(tmp_path / "k")
    assert stat.S_IMODE(private.stat().st_mode) == 0o600
    assert b"PRIVATE KEY" in private.read_bytes()
    assert b"PUBLIC KEY" in public.read_bytes() and b"PRIVATE" not in public.read_bytes()
    key = load_private_key(private)
    assert raw_public_key(key) == raw_public_key(load_public_key(public))
    assert not list((tmp_path / "k").glob(".*"))  # no temp file left


def test_a_key_is_never_overwritten(tmp_path):
    private, _ = generate_keys(tmp_path)
    before = private.read_bytes()
    with pytest.raises(BundleError, match="never overwritten"):
        generate_keys(tmp_path)
    assert private.read_bytes() == before


def test_a_private_key_readable_by_others_is_refused(tmp_path):
    private, _ = generate_keys(tmp_path)
    os.chmod(private, 0o644)
    with pytest.raises(BundleError, match="chmod 600"):
        load_private_key(private)


def test_a_file_that_is_not_a_key_is_refused(tmp_path):
    bad = tmp_path / "signing.key"
    bad.write_text("not a key")
    os.chmod(bad, 0o600)
    with pytest.raises(BundleError, match="not a PEM key"):
        load_private_key(bad)
