"""Export configs' models to ONNX and time PyTorch eager vs onnxruntime on one CPU thread.

Random weights (the network is built from the config; nothing pretrained is read), one clip
of the config's test pipeline, the check of ``tools/export.py`` (two clip lengths), then the
median of several forward passes per backend, taken in turn (a shared machine's load then slows
both alike). ``tools/benchmark_export.py`` is the command line.
"""
import os.path as osp
import tempfile
import time
from typing import Optional, Sequence

import numpy as np
import torch

from vidreg.apis.exportable_recognizer import ExportableRecognizer
from vidreg.apis.onnx_export import export_onnx
from vidreg.apis.test_time_pipeline import TestTimePipeline
from vidreg.config import load_config
from vidreg.models import build_model
from vidreg.models.heads import ClsHead
from vidreg.utils import register_all_modules

__all__ = ['benchmark_export', 'interleaved_medians']


def interleaved_medians(first, second, runs: int) -> tuple:
    """Median ms of ``first`` and ``second``, called in turn so machine load hits both alike."""
    for _ in range(3):
        first(), second()
    times = ([], [])
    for _ in range(runs):
        for fn, out in zip((first, second), times):
            start = time.perf_counter()
            fn()
            out.append(time.perf_counter() - start)
    return tuple(1000 * float(np.median(t)) for t in times)


def benchmark_export(configs: Sequence[str], *, video: str, runs: int = 20,
                     cfg_options: Optional[dict] = None) -> None:
    """Print a Markdown table: per config, the clip shape, the exporter, the largest
    onnxruntime vs PyTorch difference and the median ms of each backend on one thread.

    Args:
        configs: Config files.
        video: The clip the models see (through each config's test pipeline).
        runs: Timed forward passes per backend.
        cfg_options: Config overrides, as ``--cfg-options`` gives them.
    """
    import onnxruntime as ort
    torch.set_num_threads(1)
    register_all_modules()
    print('| config | clip (B, V, T, C, H, W) | exporter | max abs diff | PyTorch ms | '
          'onnxruntime ms | speed-up |\n| --- | --- | --- | --- | --- | --- | --- |')
    for config in configs:
        cfg = load_config(config, dict(cfg_options or {}))
        model = build_model(cfg).eval()
        task = 'classification' if isinstance(model.head, ClsHead) else 'regression'
        pipeline = TestTimePipeline(cfg, task)
        clips = pipeline.batch_of_one(video)  # {name: (1, V, T, C, H, W)}
        with tempfile.TemporaryDirectory() as tmp:
            report = export_onnx(model, osp.join(tmp, 'model.onnx'), sample=clips, metadata={})
            options = ort.SessionOptions()
            options.intra_op_num_threads = options.inter_op_num_threads = 1
            session = ort.InferenceSession(report.path, options,
                                           providers=['CPUExecutionProvider'])
            wrapper = ExportableRecognizer(model, report.input_names).eval()
            feed = {name: value.numpy() for name, value in clips.items()}
            with torch.no_grad():
                eager, onnx = interleaved_medians(
                    lambda: wrapper(*clips.values()),
                    lambda: session.run(None, feed), runs)
        diff = max(report.max_abs_diff.values())
        shapes = ' + '.join(f'{name} {tuple(value.shape)}' for name, value in clips.items())
        print(f'| {config} | {shapes} | {report.exporter} | {diff:.1e} | '
              f'{eager:.0f} | {onnx:.0f} | {eager / onnx:.1f}x |', flush=True)
