"""Real windows for the C DSP tests (Speech Commands, UCI HAR, CWRU) and the KWS C glue."""

from __future__ import annotations

from pathlib import Path

import numpy as np

HAR_CHANNELS = ("body_acc_x", "body_acc_y", "body_acc_z", "body_gyro_x", "body_gyro_y",
                "body_gyro_z", "total_acc_x", "total_acc_y", "total_acc_z")


def speech_clips(shared_data: Path, limit: int | None = None) -> tuple[np.ndarray, list[str]]:
    """(n, 16000, 1) float32 clips of the subset (zero-padded at the end), their word folder."""
    import soundfile

    root = shared_data / "datasets/speech_commands_subset"
    files = sorted(p for p in root.glob("*/*.wav") if p.parent.name != "_background_noise_")
    if limit is not None:
        files = files[:: max(1, len(files) // limit)][:limit]
    clips = []
    for path in files:
        audio, rate = soundfile.read(path, dtype="float32")
        assert rate == 16000
        clips.append(np.pad(audio[:16000], (0, 16000 - min(len(audio), 16000))))
    return np.stack(clips)[..., None], [p.parent.name for p in files]


def har_windows(shared_data: Path, limit: int | None = None) -> np.ndarray:
    """(n, 128, 9) float32 UCI HAR test windows, 50 Hz."""
    root = shared_data / "datasets/uci_har_test/inertial_signals_test_csv"
    rows = slice(None, limit)
    chans = [np.loadtxt(root / f"{c}_test.csv", delimiter=",", dtype=np.float32,
                        max_rows=limit)[rows] for c in HAR_CHANNELS]
    return np.stack(chans, axis=-1)


def cwru_windows(shared_data: Path, per_file: int = 12, length: int = 1024) -> np.ndarray:
    """(n, length, 1) float32 drive-end windows, 12 kHz, `per_file` from each of the 10 files."""
    from scipy.io import loadmat

    out = []
    for path in sorted((shared_data / "datasets/cwru_bearing").glob("*.mat")):
        mat = loadmat(path)
        key = next(k for k in mat if k.endswith("_DE_time"))
        signal = np.asarray(mat[key], np.float32).ravel()
        starts = np.linspace(0, len(signal) - length, per_file).astype(int)
        out += [signal[s : s + length] for s in starts]
    return np.stack(out)[..., None]


KWS_GLUE_C = """/* raw PCM window in, label out: C DSP -> int8 (MLPerf truncation) -> model -> argmax */
#include <stdint.h>
#include "{dsp}.h"
#include "{model}.h"

static float kws_features[{DSP}_FEATURES];
static int8_t kws_input[{DSP}_FEATURES];
static int8_t kws_scores[{MODEL}_OUTPUT0_SIZE];

/* features of one window, quantised into the model input */
int kws_dsp(const float *window) {{
    int i;
    if ({dsp}_features(window, kws_features) != 0) {{
        return -1;
    }}
    for (i = 0; i < {DSP}_FEATURES; ++i) {{
        const float v = kws_features[i] / {scale}f + {zero_point}.0f;
        kws_input[i] = (int8_t)(v < -128.0f ? -128 : v > 127.0f ? 127 : (int)v);
    }}
    return 0;
}}

/* the network on the quantised features, then argmax */
int kws_net(void) {{
    int i, best = 0;
    if (mf_{model}_invoke(kws_input, kws_scores) != 0) {{
        return -2;
    }}
    for (i = 1; i < {MODEL}_OUTPUT0_SIZE; ++i) {{
        if (kws_scores[i] > kws_scores[best]) {{
            best = i;
        }}
    }}
    return best;
}}

int kws_label(const float *window) {{
    return kws_dsp(window) != 0 ? -1 : kws_net();
}}
"""

KWS_APP_C = """/* firmware app: n clips from clips.bin -> one label byte each in labels.bin; DSP and
 * network each between their own measure markers */
#include "mf_harness.h"

int kws_dsp(const float *window);
int kws_net(void);

static float clip[16000];

static __attribute__((noipa)) int run_dsp(void) {{
    return kws_dsp(clip);
}}

static __attribute__((noipa)) int run_net(void) {{
    return kws_net();
}}

int mf_app_main(void) {{
    unsigned long k;
    long in = mf_sh_open("clips.bin", MF_SH_READ);
    long out = mf_sh_open("labels.bin", MF_SH_WRITE);
    if (in < 0 || out < 0) {{
        return 3;
    }}
    for (k = 0; k < {count}ul; ++k) {{
        int status;
        signed char label;
        if (mf_sh_read_fd(in, clip, sizeof(clip)) != (long)sizeof(clip)) {{
            return 3;
        }}
        mf_measure_begin();
        status = run_dsp();
        mf_measure_end();
        if (status != 0) {{
            return 4;
        }}
        mf_measure_begin();
        label = (signed char)run_net();
        mf_measure_end();
        if (mf_sh_write_fd(out, &label, 1) != 1) {{
            return 5;
        }}
    }}
    mf_sh_close(in);
    mf_sh_close(out);
    return 0;
}}
"""

KWS_LABELS = ("down", "go", "left", "no", "off", "on", "right", "stop", "up", "yes")


def kws_glue(dsp_prefix: str, model_name: str, scale: float, zero_point: int) -> str:
    return KWS_GLUE_C.format(dsp=dsp_prefix, DSP=dsp_prefix.upper(), model=model_name,
                             MODEL=f"MF_{model_name.upper()}", scale=repr(float(np.float32(scale))),
                             zero_point=int(zero_point))


def kws_expected(words: list[str]) -> np.ndarray:
    """Label index of the reference model for each clip's word (11 = _unknown_)."""
    return np.array([KWS_LABELS.index(w) if w in KWS_LABELS else 11 for w in words])
