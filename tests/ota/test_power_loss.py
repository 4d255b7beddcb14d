"""A/B slots under power loss: the flash simulator resets after every flash operation 1..N of
an update (and of the revert of a model that fails its canaries), with the last write or erase
torn; after every reset the device boots a confirmed model that passes its canaries bit-exact
on the compiled model, and the rollback counter only rises on confirm."""

from __future__ import annotations

import uuid

import pytest

from microforge.ota.forge import variant_bundle
from microforge.ota.host import power_loss_runs


def _variant(small_bundle, key_dirs, counter: int, ident: uuid.UUID, bad_canary=False):
    return variant_bundle(small_bundle.read_bytes(), key_dirs["current"] / "signing.key",
                          counter, ident, bad_canary)


@pytest.fixture(scope="module")
def updates(small_bundle, key_dirs):
    old_id, new_id, bad_id = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    return {"old": (_variant(small_bundle, key_dirs, 7, old_id), old_id.hex),
            "new": (_variant(small_bundle, key_dirs, 8, new_id), new_id.hex),
            "bad": (_variant(small_bundle, key_dirs, 9, bad_id, bad_canary=True), bad_id.hex),
            "rollback": (_variant(small_bundle, key_dirs, 6, uuid.uuid4()), "")}


def _total_ops(small_model, policy, old, new) -> int:
    (run,) = power_loss_runs(small_model, policy, old, new, [0])
    assert not run.reset
    return run.ops


def test_an_update_without_reset_confirms_the_new_model(small_model, policy, updates):
    (old, _), (new, new_id) = updates["old"], updates["new"]
    (run,) = power_loss_runs(small_model, policy, old, new, [0])
    assert (run.status, run.slot, run.counter, run.model_uuid, run.canary) == \
        ("ok", 1, 8, new_id, "ok")


def test_reset_after_every_flash_operation_of_an_update(small_model, policy, updates):
    (old, old_id), (new, new_id) = updates["old"], updates["new"]
    total = _total_ops(small_model, policy, old, new)
    runs = power_loss_runs(small_model, policy, old, new, list(range(1, total + 1)), seed=1)
    assert all(r.reset for r in runs) and len(runs) == total
    bad = [r for r in runs if r.status != "ok" or r.canary != "ok"
           or r.model_uuid not in (old_id, new_id)]
    assert not bad, bad[:3]
    for r in runs:  # the counter belongs to the model that runs: raised only with a confirm
        assert r.counter == (8 if r.model_uuid == new_id else 7)
    assert runs[-1].model_uuid == new_id and runs[0].model_uuid == old_id


def test_reset_during_the_revert_of_a_model_failing_its_canaries(small_model, policy, updates):
    (old, old_id), (bad, _) = updates["old"], updates["bad"]
    total = _total_ops(small_model, policy, old, bad)
    runs = power_loss_runs(small_model, policy, old, bad, [0, *range(1, total + 1)], seed=2)
    assert all(r.status == "ok" and r.model_uuid == old_id and r.canary == "ok"
               and r.counter == 7 for r in runs), [r for r in runs if r.model_uuid != old_id]


@pytest.mark.parametrize("seed", [3, 4, 5])
def test_random_torn_writes(small_model, policy, updates, seed):
    import random

    (old, old_id), (new, new_id) = updates["old"], updates["new"]
    total = _total_ops(small_model, policy, old, new)
    budgets = random.Random(seed).sample(range(1, total + 1), min(10, total))
    runs = power_loss_runs(small_model, policy, old, new, budgets, seed=seed)
    assert all(r.status == "ok" and r.canary == "ok" and r.model_uuid in (old_id, new_id)
               for r in runs)


def test_a_rollback_bundle_is_refused_and_the_counter_is_unchanged(small_model, policy,
                                                                    updates):
    (old, old_id), (rollback, _) = updates["old"], updates["rollback"]
    (run,) = power_loss_runs(small_model, policy, old, rollback, [0])
    assert (run.status, run.model_uuid, run.counter) == ("ok", old_id, 7)
