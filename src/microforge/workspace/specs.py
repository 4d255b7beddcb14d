"""Config sections -> the parameter dataclasses of the data, windowing and training modules."""

from __future__ import annotations

from microforge.config import ProjectConfig


def dataset_spec(config: ProjectConfig):
    from microforge.data.spec import CsvOptions, CwruOptions, DatasetSpec, SpeechCommandsOptions

    ds = config.dataset
    return DatasetSpec(
        path=config.dataset_path(),
        format=ds.format,
        sample_rate=ds.sample_rate,
        channels=ds.channels,
        on_rate_mismatch=ds.on_rate_mismatch,
        csv=CsvOptions(timestamp_column=ds.timestamp_column),
        speech_commands=SpeechCommandsOptions(
            keywords=ds.speech_commands.keywords,
            silence=ds.speech_commands.silence,
            silence_clips=ds.speech_commands.silence_clips,
        ),
        cwru=CwruOptions(
            sensor=ds.cwru.sensor, segments_per_file=ds.cwru.segments_per_file
        ),
    )


def window_spec(config: ProjectConfig):
    from microforge.data.windowing import WindowSpec

    w = config.windowing
    return WindowSpec(window_ms=w.window_ms, stride_ms=w.stride_ms, padding=w.padding)


def train_params(config: ProjectConfig):
    from microforge.train.fit import TrainParams

    return TrainParams(**config.training.model_dump(exclude={"augment", "augmentation"}))


def augment_params(config: ProjectConfig):
    from microforge.train.augment import AugmentParams

    return AugmentParams(**config.training.augmentation.model_dump())
