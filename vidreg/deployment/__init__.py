"""Deployment without torch: inputs, predictions, reports, annotated videos, ONNX runtime.

Nothing here imports torch, so ``tools/infer.py --backend onnxruntime`` runs
where only onnxruntime, PyAV, OpenCV and NumPy are installed: the test pipeline stored
in an exported model is rebuilt from :mod:`vidreg.pipeline`, which is torch-free. The PyTorch side
(checkpoint loading, inference, ONNX export) is :mod:`vidreg.apis`; :func:`load_predictor`
imports it only for the pytorch backend.
"""
from .annotated_video import ANNOTATED_VIDEO_EXTENSIONS, write_annotated_video
from .infer_files import infer_files
from .infer_outputs import InferOutputs, distinct_names, fresh_run_folder, plan_outputs
from .input_list import InputList, collect_inputs
from .onnx_metadata import METADATA_KEYS, read_metadata, write_metadata
from .onnx_predictor import OnnxPredictor
from .predict_videos import PredictedVideos, predict_videos
from .prediction import Prediction
from .prediction_report import print_predictions, write_predictions
from .predictor import ModelLoadError, Predict, check_window_options, load_predictor
from .stored_pipeline import StoredPipeline
from .timeline_plot import save_timeline_png

__all__ = ['ANNOTATED_VIDEO_EXTENSIONS', 'write_annotated_video', 'infer_files', 'InferOutputs',
           'distinct_names', 'fresh_run_folder', 'plan_outputs', 'InputList', 'collect_inputs',
           'METADATA_KEYS',
           'read_metadata', 'write_metadata', 'OnnxPredictor', 'PredictedVideos',
           'predict_videos', 'Prediction', 'print_predictions', 'write_predictions',
           'ModelLoadError', 'Predict', 'check_window_options', 'load_predictor', 'StoredPipeline',
           'save_timeline_png']
