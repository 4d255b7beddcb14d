import pytest

from microforge.optimize.evaluate import VariantCost
from microforge.optimize.recommend import latency, recommend
from microforge.optimize.variants import VariantResult
from microforge.targets.boards import load_board


def variant(name, acc, flash, ram, macs, fmt="int8", deploy="microforge", instructions=None):
    cost = VariantCost(tflite_bytes=flash, macs=macs, deploy=deploy, flash_bytes=flash,
                       flash_source="test", ram_bytes=ram, ram_source="test",
                       instructions=instructions)
    return VariantResult(name, fmt, {"fold1": acc, "fold2": acc}, params=100, cost=cost)


@pytest.fixture
def m4():
    return load_board("arduino_nano_33_ble_sense")  # Cortex-M4, 64 MHz, 1 MB flash, 256 KB RAM


def test_most_accurate_fitting_variant_is_recommended(m4):
    small = variant("ptq_int8", 0.90, 20_000, 5_000, 100_000)
    better_but_huge = variant("float32", 0.95, 2_000_000, 5_000, 100_000, fmt="float32")
    best_fitting = variant("qat", 0.92, 20_000, 5_000, 100_000)
    (rec,) = recommend([small, better_but_huge, best_fitting], [m4], budget_ms=100)
    assert rec.technique == "qat"
    assert rec.accuracy == pytest.approx(0.92)
    assert "2 fitting" in rec.reason


def test_latency_budget_excludes_slow_variants(m4):
    fast = variant("structured_prune", 0.85, 10_000, 2_000, 1_000_000)  # 4.5 M cycles: 70 ms
    slow = variant("ptq_int8", 0.90, 20_000, 4_000, 10_000_000)  # 45 M cycles: 703 ms
    (rec,) = recommend([fast, slow], [m4], budget_ms=100)
    assert rec.technique == "structured_prune"
    assert rec.latency.ms == pytest.approx(1e3 * 4_500_000 / 64e6)
    (none,) = recommend([slow], [m4], budget_ms=100)
    assert none.technique is None and "no variant fits" in none.reason
    assert "fastest that fits is ptq_int8 at 703.1 ms" in none.reason


def test_ram_overflow_is_not_recommended(m4):
    too_much_ram = variant("float32", 0.99, 10_000, 300 * 1024, 1_000, fmt="float32")
    ok = variant("ptq_int8", 0.80, 10_000, 10_000, 1_000)
    (rec,) = recommend([too_much_ram, ok], [m4], budget_ms=100)
    assert rec.technique == "ptq_int8"


def test_tie_in_accuracy_goes_to_smaller_flash(m4):
    a = variant("magnitude_prune", 0.9, 30_000, 1_000, 1_000)
    b = variant("structured_prune", 0.9, 12_000, 1_000, 1_000)
    assert recommend([a, b], [m4], 100)[0].technique == "structured_prune"


def test_skipped_and_unmeasured_variants_are_ignored(m4):
    skipped = VariantResult("distill", "int8", skipped="module missing")
    no_ram = variant("dynamic_range", 0.99, 10_000, None, 1_000, fmt="dynamic", deploy="tflm")
    ok = variant("ptq_int8", 0.5, 10_000, 1_000, 1_000)
    assert recommend([skipped, no_ram, ok], [m4], 100)[0].technique == "ptq_int8"


def test_latency_prefers_instructions_on_the_same_isa_and_macs_elsewhere(m4):
    pico = load_board("raspberry_pi_pico")  # Cortex-M0+, no DSP extension, no FPU
    v = variant("ptq_int8", 0.9, 1_000, 1_000, macs=1_000_000, instructions=3_000_000)
    on_m4 = latency(v, m4)
    assert "instructions" in on_m4.source
    assert on_m4.ms > 1e3 * 3_000_000 / 64e6 * 0.5  # CPI is at least 0.5
    on_pico = latency(v, pico)
    assert "MACs" in on_pico.source
    assert on_pico.ms == pytest.approx(1e3 * 1_000_000 * 10.0 / 133e6)
    f = variant("float32", 0.9, 1_000, 1_000, macs=1_000_000, fmt="float32")
    cycles = {b.id: latency(f, b).ms * b.clock_mhz * 1e3 for b in (m4, pico)}
    assert cycles["raspberry_pi_pico"] > 5 * cycles["arduino_nano_33_ble_sense"]  # soft float


def test_fit_uses_the_reserves_of_the_deployment_path(m4):
    ours = variant("ptq_int8", 0.9, 100_000, 10_000, 1_000).cost.fit(m4)
    tflm = variant("ptq_int8", 0.9, 100_000, 10_000, 1_000, deploy="tflm").cost.fit(m4)
    assert tflm.flash_bytes > ours.flash_bytes  # TFLM adds its runtime code estimate
    assert ours.fits and tflm.fits
