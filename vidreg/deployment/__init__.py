"""Deployment without torch: inputs, predictions, reports, annotated videos, ONNX runtime.

Nothing here imports torch, so ``tools/infer.py --backend onnxruntime`` runs
where only onnxruntime, PyAV, OpenCV and NumPy are installed. The PyTorch side
(checkpoint loading, inference, ONNX export) is :mod:`vidreg.apis`.
"""
from .annotated_video import write_annotated_video
from .input_list import InputList, collect_inputs
from .numpy_pipeline import NumpyTestPipeline, unsupported_steps
from .onnx_metadata import METADATA_KEYS, read_metadata, write_metadata
from .onnx_predictor import OnnxPredictor
from .prediction import Prediction
from .prediction_report import print_predictions, write_predictions
from .timeline_plot import save_timeline_png

__all__ = ['write_annotated_video', 'InputList', 'collect_inputs', 'NumpyTestPipeline',
           'unsupported_steps', 'METADATA_KEYS', 'read_metadata', 'write_metadata',
           'OnnxPredictor', 'Prediction', 'print_predictions', 'write_predictions',
           'save_timeline_png']
