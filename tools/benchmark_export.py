"""Export configs' models to ONNX and time PyTorch eager vs onnxruntime on one CPU thread.

python tools/benchmark_export.py CONFIG... [--video FILE] [--runs 20] [--cfg-options ...]

Random weights (the network is built from the config; nothing pretrained is read), one clip
of the config's test pipeline, the check of tools/export.py (two clip lengths), then the
median of --runs forward passes per backend, taken in turn (a shared machine's load
then slows both alike). Prints one Markdown table row per config.
"""
import argparse
import os.path as osp
import sys
import tempfile
import time

sys.path.insert(0, osp.dirname(osp.dirname(osp.abspath(__file__))))

import numpy as np  # noqa: E402
import torch  # noqa: E402
from mmengine.config import DictAction  # noqa: E402

from vidreg.apis import (  # noqa: E402
    ExportableRecognizer,
    TestTimePipeline,
    export_onnx,
)
from vidreg.config import load_config  # noqa: E402
from vidreg.models import build_model  # noqa: E402
from vidreg.models.heads import ClsHead  # noqa: E402
from vidreg.utils import register_all_modules  # noqa: E402


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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument('configs', nargs='+')
    parser.add_argument('--video', default=osp.join('..', 'shared', 'data', 'bikes.mp4'))
    parser.add_argument('--runs', type=int, default=20)
    parser.add_argument('--cfg-options', nargs='+', action=DictAction, default={})
    args = parser.parse_args()
    import onnxruntime as ort
    torch.set_num_threads(1)
    register_all_modules()
    print('| config | clip (B, V, T, C, H, W) | exporter | max abs diff | PyTorch ms | '
          'onnxruntime ms | speed-up |\n| --- | --- | --- | --- | --- | --- | --- |')
    for config in args.configs:
        cfg = load_config(config, args.cfg_options)
        model = build_model(cfg).eval()
        task = 'classification' if isinstance(model.head, ClsHead) else 'regression'
        pipeline = TestTimePipeline(cfg, task)
        clips = pipeline.batch_of_one(args.video)  # {name: (1, V, T, C, H, W)}
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
                    lambda: session.run(None, feed), args.runs)
        diff = max(report.max_abs_diff.values())
        shapes = ' + '.join(f'{name} {tuple(value.shape)}' for name, value in clips.items())
        print(f'| {config} | {shapes} | {report.exporter} | {diff:.1e} | '
              f'{eager:.0f} | {onnx:.0f} | {eager / onnx:.1f}x |', flush=True)


if __name__ == '__main__':
    main()
