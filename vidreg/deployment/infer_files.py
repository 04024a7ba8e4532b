"""Predict videos from a checkpoint alone (or an exported .onnx, without torch), as
``tools/infer.py`` does: inputs expanded, every output checked before any work, predictions
printed and written, unusable inputs listed instead of stopping the others."""
from typing import Optional, Sequence

from rich.console import Console

from vidreg.fileio import NoSpaceError, OutputPathError
from vidreg.utils.error_console import print_error

from .infer_outputs import plan_outputs
from .input_list import collect_inputs
from .predict_videos import predict_videos
from .prediction_report import print_predictions, write_predictions
from .predictor import Backend, ModelLoadError, load_predictor

__all__ = ['infer_files']


def infer_files(model: str, inputs: Sequence[str], *, backend: Backend = 'pytorch',
                config: Optional[str] = None, device: str = 'cpu', topk: int = 5,
                out: Optional[str] = None, force: bool = False, window: Optional[float] = None,
                stride: Optional[float] = None, out_video: Optional[str] = None,
                batch_size: int = 1, workers: int = 0, amp: Optional[str] = None,
                console: Optional[Console] = None) -> int:
    """Predict every input with ``model``; print and write the predictions.

    Args:
        model: A ``.pth`` checkpoint (``backend='pytorch'``) or a ``.onnx`` (``'onnxruntime'``).
        inputs: Video files, frame folders, folders of videos (searched recursively) or
            ``path[,label]`` CSVs.
        config: Use this config instead of the checkpoint's own.
        device: PyTorch only: ``'cpu'``, ``'cuda'``, ...
        topk: Classes shown per prediction.
        out: Writes ``out.csv`` and ``out.json`` (default: a new folder
            ``work_dirs/infer/<time>/`` per run; ``DIR/``: ``DIR/predictions.*``); with
            ``window`` also ``out_<video>_windows.png``.
        force: Replace existing output files (inputs never).
        window: Slide the clip over the video: one prediction per window of this many seconds.
        stride: Seconds between windows (default: ``window``).
        out_video: Write each video with its current prediction drawn on it (.mp4 or .gif).
        batch_size: PyTorch, whole videos: videos per forward pass.
        workers: PyTorch, whole videos: DataLoader processes that read the videos.
        amp: PyTorch: autocast the network, ``'bf16'`` or ``'fp16'``.
        console: Where the report goes (default: the terminal).

    Returns:
        The exit code: 0; 1 if an input was unusable or an output could not be written (the
        others are done); 2 if an output is unsafe to write, the model does not load or the
        disk is full (one ``error:`` line).
    """
    console = console or Console()
    try:
        found = collect_inputs(inputs)
        outputs = plan_outputs([path for path, _ in found.items], out=out, out_video=out_video,
                               windows=window is not None, force=force,
                               reads=[model, config, *inputs])
        predict = load_predictor(model, backend=backend, config=config, device=device,
                                 window=window, stride=stride, batch_size=batch_size,
                                 workers=workers, amp=amp)
        result = predict_videos(predict, found.items, outputs, console=console)
        bad = found.bad + result.bad
        print_predictions(result.predictions, bad, topk=topk, console=console,
                          not_written=result.not_written)
        csv_path, json_path = write_predictions(result.predictions, bad, outputs.prefix,
                                                topk=topk)
    except (OutputPathError, ModelLoadError, NoSpaceError) as error:
        print_error(error)
        return 2
    console.print(f'predictions: {csv_path} {json_path}', highlight=False, soft_wrap=True)
    return 1 if bad or result.not_written else 0
