"""Inference and export with PyTorch: a checkpoint is all they need."""
from .exportable_recognizer import ExportableRecognizer
from .inference import inference, inference_windows, to_prediction, window_starts
from .init_model import checkpoint_classes, checkpoint_config, init_model
from .onnx_export import ExportError, ExportReport, export_onnx, model_metadata
from .test_time_pipeline import TestTimePipeline

__all__ = ['ExportableRecognizer',
           'inference', 'inference_windows', 'to_prediction',
           'window_starts', 'checkpoint_classes', 'checkpoint_config', 'init_model',
           'ExportError', 'ExportReport', 'export_onnx', 'model_metadata', 'TestTimePipeline']
