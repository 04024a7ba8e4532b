"""Predict videos with an exported .onnx: onnxruntime, PyAV and NumPy, no torch."""
import os
from typing import Dict, Optional

import numpy as np

from .numpy_pipeline import NumpyTestPipeline
from .onnx_metadata import read_metadata
from .prediction import Prediction

__all__ = ['OnnxPredictor']


class OnnxPredictor:
    """An exported model with the test pipeline and class names stored in it.

    Args:
        model_file: A ``.onnx`` written by ``tools/export.py``.
        num_threads: onnxruntime intra-op threads (0: one per core).
    """

    def __init__(self, model_file: str, *, num_threads: int = 0) -> None:
        import onnxruntime as ort
        if not os.path.isfile(model_file):
            raise FileNotFoundError(f'ONNX model {model_file!r} does not exist; write one with '
                                    f'tools/export.py CHECKPOINT --format onnx.')
        options = ort.SessionOptions()
        options.intra_op_num_threads = num_threads
        self.session = ort.InferenceSession(model_file, options,
                                            providers=['CPUExecutionProvider'])
        meta = read_metadata(self.session)
        self.task = meta['task']
        self.classes = meta.get('classes')
        self.pipeline = NumpyTestPipeline(meta['pipeline'])

    def predict_clips(self, clips: Dict[str, np.ndarray]) -> np.ndarray:
        """Run the graph on one video's packed clips; returns ``(K,)``.

        Args:
            clips: ``{name: uint8 (V, T_k, C_k, H, W)}``, one graph input per modality.
        """
        return self.session.run(None, {name: value[None] for name, value in clips.items()})[0][0]

    def __call__(self, path: str, label: Optional[str] = None) -> Prediction:
        """Predict one video file through the stored test pipeline (truncation noted)."""
        packed = self.pipeline.pack(path)
        return Prediction.of(self.predict_clips(packed.inputs), path=path, task=self.task,
                             classes=self.classes, label=label,
                             truncated=packed.truncated_frames)
