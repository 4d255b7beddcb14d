"""Models trained elsewhere, in: ONNX (and PyTorch through ONNX) -> a TFLite model the
compiler takes, with the gates that it is what the user exported (docs/pytorch.md).

`onnx_model.py` reads and checks the .onnx (`qdq.py` takes a QDQ model back to float), `calibration.py` the representative samples,
`convert.py` runs the converter (onnx2tf) and the TFLite quantizer, `gates.py` checks the
result before any C is written, `onnx_import.py` is the whole flow and `torch_export.py` the
PyTorch front door.
"""
