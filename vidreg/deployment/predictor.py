"""The function tools/infer.py predicts with: a checkpoint (PyTorch) or an .onnx (onnxruntime).

Only the PyTorch backend imports torch (when it is chosen), so the onnxruntime backend runs
where torch is not installed. Every problem with the model file is found here, before any
video is read, and raised as :class:`ModelLoadError` with what to do.
"""
import os.path as osp
import zipfile
from typing import Callable, Iterator, List, Literal, Optional, Sequence, Tuple, Union

from .prediction import Prediction

__all__ = ['ModelLoadError', 'Predict', 'load_predictor', 'check_window_options',
           'predict_each']

# (video file or frame folder, its label or None) -> one Prediction, or one per window
Predict = Callable[[str, Optional[str]], List[Prediction]]
Backend = Literal['pytorch', 'onnxruntime']
# (input index, its predictions, or the text of the error that stopped it)
Outcome = Tuple[int, Union[List[Prediction], str]]


def predict_each(predict: Predict, items: Sequence[Tuple[str, Optional[str]]]
                 ) -> Iterator[Outcome]:
    """The outcome of every ``(path, label)`` input, in order: ``predict.many`` when the
    predictor batches (PyTorch with ``batch_size``/``workers``), else one call per input."""
    many = getattr(predict, 'many', None)
    if many is not None:
        yield from many(items)
        return
    for index, (path, label) in enumerate(items):
        try:
            yield index, predict(path, label)
        except Exception as error:  # any failure names the input and moves on
            yield index, f'{type(error).__name__}: {error}'


class ModelLoadError(ValueError):
    """The model file cannot be used with the chosen backend; raised before any video is read."""


def check_window_options(window: Optional[float], stride: Optional[float],
                         backend: Backend) -> None:
    """Refuse ``--stride`` without ``--window``, and windows with the onnxruntime backend.

    Raises:
        ValueError: The message for the command line.
    """
    if stride is not None and window is None:
        raise ValueError('--stride needs --window (the window length in seconds; the stride '
                         'defaults to it)')
    if window is not None and backend == 'onnxruntime':
        raise ValueError('--window needs the pytorch backend (a .pth checkpoint)')


def _is_torch_file(path: str) -> bool:
    """``torch.save`` writes a zip archive (before torch 1.6: a pickle, first byte 0x80)."""
    if zipfile.is_zipfile(path):
        return True
    with open(path, 'rb') as file:
        return file.read(1) == b'\x80'


def _onnx_predictor(model_file: str) -> Predict:
    if not osp.isfile(model_file):
        raise ModelLoadError(f'ONNX model {model_file!r} does not exist or is a folder; write '
                             f'one with tools/export.py CHECKPOINT --format onnx.')
    if _is_torch_file(model_file):
        raise ModelLoadError(
            f'{model_file!r} is a PyTorch checkpoint, not an ONNX model: leave out --backend '
            f'onnxruntime (the pytorch backend reads checkpoints), or export it first with '
            f'tools/export.py {model_file} --format onnx.')
    from .onnx_predictor import OnnxPredictor
    try:
        predictor = OnnxPredictor(model_file)
    except Exception as error:  # onnxruntime raises its own types, derived from Exception only
        first_line = (str(error).splitlines() or [''])[0]
        raise ModelLoadError(f'{model_file!r} cannot be run with onnxruntime '
                             f'({type(error).__name__}: {first_line}). Pass an .onnx written by '
                             f'tools/export.py.') from error
    return lambda path, label: [predictor(path, label)]


class _BatchedPredict:
    """A PyTorch :data:`Predict` that also predicts many inputs through a DataLoader
    (:func:`vidreg.apis.inference_batches`)."""

    def __init__(self, model, *, batch_size: int, workers: int, amp: Optional[str]) -> None:
        self.model, self.batch_size, self.workers, self.amp = model, batch_size, workers, amp

    def __call__(self, path: str, label: Optional[str]) -> List[Prediction]:
        from vidreg.apis import inference, to_prediction
        return [to_prediction(inference(self.model, path, amp=self.amp), label=label)]

    def many(self, items: Sequence[Tuple[str, Optional[str]]]) -> Iterator[Outcome]:
        from vidreg.apis import inference_batches, to_prediction
        for index, sample in inference_batches(self.model, [path for path, _ in items],
                                               batch_size=self.batch_size,
                                               workers=self.workers, amp=self.amp):
            yield index, (sample if isinstance(sample, str) else
                          [to_prediction(sample, label=items[index][1])])


def _pytorch_predictor(checkpoint: str, *, config: Optional[str], device: str,
                       window: Optional[float], stride: Optional[float], batch_size: int,
                       workers: int, amp: Optional[str]) -> Predict:
    from vidreg.apis import TestTimePipeline, inference_windows, init_model, to_prediction
    from vidreg.config import ConfigError
    from vidreg.plugins import PluginError
    from vidreg.utils.registry_check import UnknownTypeError
    try:
        model = init_model(checkpoint, config=config, device=device)
        TestTimePipeline(model.cfg, model.dataset_meta['task'])  # a bad test pipeline: now
    except (ConfigError, PluginError, UnknownTypeError, OSError, ValueError,
            RuntimeError) as error:  # RuntimeError: CheckpointError, devices
        raise ModelLoadError(str(error)) from error
    if window is None:
        return _BatchedPredict(model, batch_size=batch_size, workers=workers, amp=amp)
    return lambda path, label: [
        to_prediction(sample, label=label, start=start, end=end) for start, end, sample in
        inference_windows(model, path, window=window, stride=stride or window, amp=amp)]


def load_predictor(model_file: str, *, backend: Backend = 'pytorch',
                   config: Optional[str] = None, device: str = 'cpu',
                   window: Optional[float] = None, stride: Optional[float] = None,
                   batch_size: int = 1, workers: int = 0,
                   amp: Optional[Literal['bf16', 'fp16']] = None) -> Predict:
    """Load the model once; return the function that predicts one input with it.

    Args:
        model_file: A ``.pth`` checkpoint (``'pytorch'``) or an exported ``.onnx``
            (``'onnxruntime'``).
        backend: ``'pytorch'`` or ``'onnxruntime'``.
        config: PyTorch only: a config to use instead of the checkpoint's own.
        device: PyTorch only: ``'cpu'``, ``'cuda'``...
        window: Seconds per window (PyTorch only): one prediction per window.
        stride: Seconds between windows (default: ``window``).
        batch_size: PyTorch, whole videos: videos per forward pass.
        workers: PyTorch, whole videos: DataLoader processes that read the videos.
        amp: PyTorch: autocast the network, ``'bf16'`` (CPUs, recent GPUs) or ``'fp16'``.

    Raises:
        ModelLoadError: The file does not fit the backend (a checkpoint given to
            onnxruntime, an .onnx to PyTorch, see :func:`vidreg.utils.load_checkpoint_file`),
            or the model or its test pipeline cannot be built.
    """
    check_window_options(window, stride, backend)
    if backend == 'onnxruntime':
        return _onnx_predictor(model_file)
    return _pytorch_predictor(model_file, config=config, device=device, window=window,
                              stride=stride, batch_size=batch_size, workers=workers, amp=amp)
