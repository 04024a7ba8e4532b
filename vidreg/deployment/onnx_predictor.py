"""Predict videos with an exported .onnx: onnxruntime and vidreg's torch-free pipeline."""
import os
from typing import Dict, Optional

import numpy as np

from .onnx_metadata import read_metadata
from .prediction import Prediction
from .stored_pipeline import StoredPipeline

__all__ = ['OnnxPredictor']


class OnnxPredictor:
    """An exported model with the test pipeline and class names stored in it.

    The stored pipeline (every step with all its arguments, ``vidreg_pipeline``) is built
    again by :class:`StoredPipeline`: the very steps ``tools/test.py`` ran, so the graph
    gets the inputs PyTorch got, and no per-step code lives here.

    Args:
        model_file: A ``.onnx`` written by ``tools/export.py``.
        num_threads: onnxruntime intra-op threads (0: one per core).

    Raises:
        ValueError: The graph's inputs are not the modalities the stored pipeline packs
            (an .onnx exported before vidreg took its inputs by modality: export it again).
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
        self.threshold = meta.get('threshold')  # multi-label only
        self.pipeline = StoredPipeline(meta['pipeline'], meta.get('custom_imports'))
        self.input_names = [node.name for node in self.session.get_inputs()]
        packed = self.pipeline.input_names
        if sorted(packed) != sorted(self.input_names):
            raise ValueError(f'{model_file!r} takes the inputs {self.input_names} but its stored '
                             f'test pipeline packs {packed}: export it again with '
                             f'tools/export.py CHECKPOINT --format onnx.')

    def predict_clips(self, clips: Dict[str, np.ndarray]) -> np.ndarray:
        """Run the graph on one video's packed clips; returns ``(K,)``.

        Args:
            clips: ``{name: uint8 (V, T_k, C_k, H, W)}``, one graph input per modality.
        """
        feed = {name: np.ascontiguousarray(clips[name])[None] for name in self.input_names}
        return self.session.run(None, feed)[0][0]

    def __call__(self, path: str, label: Optional[str] = None) -> Prediction:
        """Predict one video file or frame folder through the stored test pipeline (a video
        that ends before its header's frame count is flagged as truncated)."""
        inputs, truncated = self.pipeline(path)
        return Prediction.of(self.predict_clips(inputs), path=path, task=self.task,
                             classes=self.classes, label=label, truncated=truncated,
                             threshold=self.threshold)
