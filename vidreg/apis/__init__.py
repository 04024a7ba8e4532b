"""What the tools do, as functions: inference and export with PyTorch (a checkpoint is all they
need), training and testing from a config, fusing stream checkpoints and predictions, checking
a config's data, and the speed benchmarks."""
from .batched_inference import inference_batches
from .benchmark_data import benchmark_data
from .benchmark_export import benchmark_export
from .benchmark_train import benchmark_train
from .check_data import check_data
from .evaluate_checkpoint import evaluate_checkpoint
from .export_checkpoint import export_checkpoint
from .exportable_recognizer import ExportableRecognizer
from .extract_features import Features, extract_feature_file, extract_features, save_features
from .fuse_checkpoints import fuse_checkpoint_files, fuse_checkpoints
from .fuse_predictions import fuse_prediction_files, fuse_predictions, read_predictions
from .inference import inference, inference_windows, to_prediction, window_starts
from .init_model import checkpoint_classes, checkpoint_config, init_model
from .onnx_export import ExportError, ExportReport, export_onnx, model_metadata
from .test_time_pipeline import TestTimePipeline
from .train_model import train_model

__all__ = ['ExportableRecognizer', 'Features', 'extract_feature_file', 'extract_features',
           'save_features',
           'inference', 'inference_batches', 'inference_windows', 'to_prediction',
           'window_starts', 'checkpoint_classes', 'checkpoint_config', 'init_model',
           'ExportError', 'ExportReport', 'export_onnx', 'model_metadata', 'TestTimePipeline',
           'benchmark_data', 'benchmark_export', 'benchmark_train',
           'check_data', 'evaluate_checkpoint', 'export_checkpoint', 'fuse_checkpoint_files',
           'fuse_checkpoints', 'fuse_prediction_files', 'fuse_predictions', 'read_predictions',
           'train_model']
