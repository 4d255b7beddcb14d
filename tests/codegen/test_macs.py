from __future__ import annotations

from microforge.codegen.macs import count_macs


def test_kws_macs_match_the_published_figure(shared_data):
    model = (shared_data / "models/mlperf_kws/kws_ref_model.tflite").read_bytes()
    macs = count_macs(model)
    assert macs is not None and 2_600_000 <= macs <= 2_700_000  # MLPerf Tiny: 2.66 M MACs


def test_fully_connected_macs_are_in_times_out(shared_data):
    model = (shared_data / "models/mlperf_ad/ad01_int8.tflite").read_bytes()
    # ToyADMOS FC autoencoder: 640-128-128-128-8-128-128-128-640 dense layers
    expected = 640 * 128 + 3 * 128 * 128 + 128 * 8 + 8 * 128 + 3 * 128 * 128 + 128 * 640
    assert count_macs(model) == expected


def test_unreadable_model_gives_none():
    assert count_macs(b"not a flatbuffer at all") is None
