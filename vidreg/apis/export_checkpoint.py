"""Export a checkpoint to ONNX and check the graph against PyTorch on a real clip, as
``tools/export.py`` does.

The graph takes uint8 clips (B, V, T, C, H, W) as the test pipeline packs them, one input per
modality (``imgs`` for an RGB model; ``imgs`` and ``sg3i`` or ``flow`` for a two-stream one;
normalisation is inside, per input) and returns view-averaged probabilities or values (B, K).
The .onnx carries the task, class names, test pipeline (every step with all its arguments)
and config as metadata, so ``tools/infer.py MODEL.onnx INPUT --backend onnxruntime`` needs
nothing else: it rebuilds the same steps (:class:`vidreg.deployment.StoredPipeline`).
"""
import os.path as osp
import tempfile
from typing import Literal, Optional

from rich.console import Console

from vidreg.config import ConfigError
from vidreg.fileio import OutputFile, check_output_files
from vidreg.testing.tiny_video import write_tiny_video

from .init_model import init_model
from .onnx_export import ExportReport, export_onnx, model_metadata
from .test_time_pipeline import TestTimePipeline

__all__ = ['export_checkpoint']


def export_checkpoint(checkpoint: str, out: Optional[str] = None, *, force: bool = False,
                      config: Optional[str] = None, video: Optional[str] = None,
                      opset: Optional[int] = None, dynamic_batch: bool = False,
                      exporter: Literal['auto', 'dynamo', 'legacy'] = 'auto',
                      console: Optional[Console] = None) -> ExportReport:
    """Export ``checkpoint`` to ``out`` and report the check against PyTorch.

    Args:
        checkpoint: A ``.pth`` file written by ``tools/train.py``.
        out: The ``.onnx`` file; default: the checkpoint's path with ``.onnx``.
        force: Replace ``out`` if it exists (an input of the run never; a folder is refused).
        config: Use this config instead of the checkpoint's own.
        video: The clip checked against PyTorch (default: a small generated video).
        opset: ONNX opset (default: the exporter's).
        dynamic_batch: Let the batch size vary.
        exporter: ``'dynamo'``, ``'legacy'`` or ``'auto'`` (the first that passes the check).
        console: Where the report goes (default: the terminal).

    Returns:
        The export report (file, inputs, exporter, differences per clip length).

    Raises:
        OutputPathError: ``out`` is unsafe to write (checked before anything is read).
        ConfigError: The test pipeline reads precomputed inputs beside each video, which the
            generated clip lacks: pass ``video``.
        ExportError: No exporter gives a graph that matches PyTorch.
    """
    console = console or Console()
    default = osp.splitext(checkpoint)[0] + '.onnx'
    out = out or default
    check_output_files([OutputFile(out, '--out', osp.basename(default))],
                       inputs=[checkpoint, config, video], force=force)
    model = init_model(checkpoint, config=config)
    pipeline = TestTimePipeline(model.cfg, model.dataset_meta['task'])
    steps = pipeline.step_configs()
    if pipeline.other_sources and not video:
        raise ConfigError(
            f'the test pipeline also reads {", ".join(map(repr, pipeline.other_sources))} beside '
            f'each video (precomputed inputs found from its path), so the generated check clip '
            f'has none: pass --video with a video of the dataset whose folder is extracted, or '
            f"--config with a config that computes the input while loading (flow_source = "
            f"'on_the_fly').")
    with tempfile.TemporaryDirectory() as tmp:
        video = video or write_tiny_video(osp.join(tmp, 'clip.avi'), num_frames=24, size=96)
        sample = pipeline.batch_of_one(video)  # {name: (1, V, T, C, H, W)}
    report = export_onnx(model, out, sample=sample, metadata=model_metadata(model, steps),
                         opset=opset, dynamic_batch=dynamic_batch, exporter=exporter)
    for line in report.attempts:
        console.print(f'[yellow]rejected[/] {line}', highlight=False)
    diffs = ', '.join(f'T={t}: {d:.3g}' for t, d in report.max_abs_diff.items())
    shapes = ', '.join(f'{name} {tuple(value.shape)}'
                       for name, value in sample.items())
    console.print(f'exported {report.path} with the {report.exporter} exporter; max abs diff '
                  f'onnxruntime vs PyTorch: {diffs} (uint8 inputs: {shapes}'
                  f'{"" if report.dynamic_time else "; T fixed by the network"})')
    return report
