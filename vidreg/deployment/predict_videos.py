"""Predict each input of tools/infer.py and write its own files, keeping input and output
failures apart: an input that fails is reported as a bad input; a file that cannot be written
is reported as such, and the prediction is kept."""
from dataclasses import dataclass, field
from typing import List, Optional, Sequence, Tuple

from rich.console import Console

from vidreg.utils import print_warning

from .annotated_video import write_annotated_video
from .infer_outputs import InferOutputs
from .prediction import Prediction
from .predictor import Predict, predict_each
from .timeline_plot import save_timeline_png

__all__ = ['PredictedVideos', 'predict_videos']


@dataclass
class PredictedVideos:
    """What :func:`predict_videos` returns.

    Attributes:
        predictions: Every prediction (one per video, or one per window), in input order.
        bad: ``(input, reason)`` per input that could not be predicted.
        not_written: ``(file, reason)`` per output that could not be written (its video's
            predictions are kept).
    """

    predictions: List[Prediction] = field(default_factory=list)
    bad: List[Tuple[str, str]] = field(default_factory=list)
    not_written: List[Tuple[str, str]] = field(default_factory=list)


def _mark_truncation(path: str, predictions: List[Prediction]) -> None:
    """Flag every prediction of a truncated video and warn once, naming the real count."""
    truncated = next((p.truncated for p in predictions if p.truncated is not None), None)
    if truncated is None:
        return
    for prediction in predictions:
        prediction.truncated = truncated
    header, real = truncated
    print_warning(f'{path} is truncated: its header says {header} frames but only {real} '
                  f'decode; clips reaching past frame {real} repeat its last frame (the '
                  f'predictions are flagged in the truncated column). Re-encode or replace it.')


def _write(kind: str, path: Optional[str], write, result: PredictedVideos,
           console: Console) -> None:
    if path is None:
        return
    try:
        write(path)
    except Exception as error:  # an output failure: never blamed on the input
        result.not_written.append((path, f'{type(error).__name__}: {error}'))
        return
    console.print(f'{kind}: {path}', highlight=False, soft_wrap=True)


def predict_videos(predict: Predict, items: Sequence[Tuple[str, Optional[str]]],
                   outputs: InferOutputs, *, console: Console) -> PredictedVideos:
    """Predict each video and write its window plot and annotated video (if planned).

    Args:
        predict: From :func:`vidreg.deployment.load_predictor`.
        items: ``(video file or frame folder, label or None)`` per input.
        outputs: From :func:`vidreg.deployment.plan_outputs` for these ``items``.
        console: Where the written files are listed.
    """
    result = PredictedVideos()
    for note in outputs.notes:
        print_warning(note)
    for index, current in predict_each(predict, items):
        path = items[index][0]
        if isinstance(current, str):  # the error that stopped this input; the others go on
            result.bad.append((path, current))
            continue
        _mark_truncation(path, current)
        result.predictions.extend(current)
        _write('scores over time', outputs.timelines[index],
               lambda png: save_timeline_png(current, png), result, console)
        _write('annotated video', outputs.videos[index],
               lambda video: write_annotated_video(path, current, video), result, console)
    return result
