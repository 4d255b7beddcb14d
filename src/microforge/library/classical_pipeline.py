"""A trained classical project -> one C library: the fitted DSP block, the classical model
(classical/emit.py or classical/detector_emit.py, as `<name>.h/.c`) and the post-processing,
with the same streaming push API as the int8 pipeline (`<name>_pipeline.h`)."""

from __future__ import annotations

import re
from pathlib import Path

from microforge.atomic import atomic_dir
from microforge.classical.trained import ONE_HOT, TrainedClassical
from microforge.dsp.base import DspBlock
from microforge.errors import ConfigError, ModelError
from microforge.library.assemble import PipelineLibrary
from microforge.library.pipeline_emit import PipelineConstants, write_pipeline
from microforge.postprocess.params import PostprocessParams


def emit_classical_model(model: TrainedClassical, name: str, out_dir: Path) -> list[Path]:
    """`<name>.h/.c`: mf_<name>_predict (classifier) or mf_<name>_is_anomaly (detector)."""
    if model.role == "detector":
        from microforge.classical.autoencoder import emit_autoencoder, is_autoencoder
        from microforge.classical.detector_emit import emit_detector
        from microforge.classical.detectors import detector_of

        ae = model.estimator
        if is_autoencoder(ae) and model.threshold is not None:
            before = set(out_dir.iterdir())
            emit_autoencoder(ae.tflite, ae.mean, ae.inv_std, name, out_dir,
                             float(model.threshold))
            return sorted(set(out_dir.iterdir()) - before)  # + the model and its kernels
        det = detector_of(model.estimator)
        if det is None or model.threshold is None:
            raise ModelError(f"{model.kind}: not a calibrated anomaly detector; retrain it")
        d = emit_detector(det.tables(model.estimator), name, out_dir, model.n_features,
                          float(model.threshold), det.name)
        return [d.header, d.source]
    from microforge.classical.compile import compile_estimator

    e = compile_estimator(model.estimator, out_dir, name)
    return [e.header, e.source]


def compile_classical_pipeline(block: DspBlock, model: TrainedClassical, labels: list[str],
                               stride: int, postprocess: PostprocessParams,
                               out_dir: str | Path, *, name: str = "model",
                               fixed_point: bool = False,
                               source: str = "a microforge pipeline") -> PipelineLibrary:
    """Compile a fitted DSP block, a trained classical model and the post-processing into
    out_dir (written atomically)."""
    if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", name or ""):
        raise ConfigError(f"pipeline name {name!r} is not a C identifier; use letters, digits, _")
    if block.sample_rate is None:
        raise ConfigError("compile_classical_pipeline needs a fitted DSP block (dsp.json)")
    if model.n_outputs != len(labels):
        raise ConfigError(f"the classical model decides between {model.n_outputs} classes but "
                          f"labels.json has {len(labels)}; retrain the project")
    out_dir = Path(out_dir)
    dsp_c = block.emit_c(f"mf_{name}_dsp", fixed_point=fixed_point)
    if dsp_c.n_features != model.n_features:
        raise ConfigError(f"the DSP block gives {dsp_c.n_features} features but the model "
                          f"takes {model.n_features}; retrain the model with this DSP block")
    call = f"mf_{name}_is_anomaly" if model.role == "detector" else f"mf_{name}_predict"
    constants = PipelineConstants(
        name=name, dsp_prefix=dsp_c.prefix, window_len=int(dsp_c.window_len),
        channels=int(dsp_c.n_channels), stride=int(stride), n_features=int(dsp_c.n_features),
        sample_rate=float(block.sample_rate), labels=tuple(labels), input_quant=ONE_HOT,
        output_quant=ONE_HOT, input_in_arena=False, postprocess=postprocess, source=source,
        classical_call=call)
    with atomic_dir(out_dir) as tmp:
        model_files = {p.name for p in emit_classical_model(model, name, tmp)}
        clash = model_files & ({*dsp_c.files} | {Path(k).name for k in dsp_c.kernels})
        if clash:
            raise ModelError(f"DSP and model files share names: {', '.join(sorted(clash))}")
        before = {p.name for p in tmp.iterdir()}
        dsp_c.write(tmp)
        dsp_files = sorted(p.name for p in tmp.iterdir() if p.name not in before)
        pipeline_files = [p.name for p in write_pipeline(constants, tmp)]
    return PipelineLibrary(name, out_dir, constants, None, dsp_files, pipeline_files)

