import numpy as np

from microforge.runners.tflm import io_counts, run_tflm, tflm_arena_size


def test_arena_sizes_match_the_figures_tflm_prints(shared_data, tflm):
    kws = (shared_data / "models" / "mlperf_kws" / "kws_ref_model.tflite").read_bytes()
    arena = tflm_arena_size(kws)
    assert (arena.total, arena.head, arena.tail) == (24_272, 16_000, 8_272)  # shared/data README
    assert io_counts(kws) == (1, 1)


def test_run_tflm_reference_outputs_are_deterministic(shared_data, tflm):
    model = (shared_data / "models" / "tflm_hello_world" / "hello_world_int8.tflite").read_bytes()
    x = np.array([[10]], dtype=np.int8)
    first = run_tflm(model, [x])
    assert first[0].shape == (1, 1) and first[0].dtype == np.int8
    assert np.array_equal(first[0], run_tflm(model, [x])[0])


def test_large_tensors_on_a_tiny_model_allocate(tf, tflm):
    from tests.ops.tflite_build import build_tflite

    model = build_tflite(lambda x: tf.math.sigmoid(x), [(1, 60_000)], "float")
    assert len(model) < 10_000
    out = run_tflm(model, [np.zeros((1, 60_000), np.float32)])
    np.testing.assert_allclose(out[0], 0.5)
