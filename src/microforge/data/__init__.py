"""Data layer: readers (CSV, WAV, NPY, MAT, Edge Impulse JSON/CBOR), event data (recordings +
annotations), public dataset adapters (UCI HAR, Speech Commands, CWRU, WFDB), label maps,
windowing, splits, manifest, inspection and a synthetic demo dataset. See docs/data.md."""

from microforge.data.events import Annotation
from microforge.data.labels import AAMI
from microforge.data.load import DATASET_FORMATS, format_names, load_dataset
from microforge.data.readers.edge_impulse import read_edge_impulse, write_edge_impulse
from microforge.data.recording import Dataset, Recording
from microforge.data.spec import (
    CsvOptions,
    CwruOptions,
    DatasetSpec,
    EventOptions,
    MatOptions,
    SpeechCommandsOptions,
    WfdbOptions,
)
from microforge.data.windowing import Windows, WindowSpec, make_windows

__all__ = [
    "AAMI", "DATASET_FORMATS", "Annotation", "CsvOptions", "CwruOptions", "Dataset", "DatasetSpec",
    "EventOptions", "MatOptions", "Recording", "SpeechCommandsOptions", "WfdbOptions",
    "WindowSpec", "Windows", "format_names", "load_dataset", "make_windows", "read_edge_impulse",
    "write_edge_impulse",
]
