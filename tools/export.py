"""Export a checkpoint to ONNX and check the graph against PyTorch on a real clip.

python tools/export.py CHECKPOINT --format onnx [--out model.onnx] [--force] [--dynamic-batch]
                       [--opset N] [--video FILE] [--exporter auto|dynamo|legacy]

--out defaults to the checkpoint's path with .onnx; an existing file is replaced only with
--force, the checkpoint (or another input) never; a folder is refused (name the file).

The graph takes uint8 clips (B, V, T, C, H, W) as the test pipeline packs them: one input per
modality (`imgs` for an RGB model; `imgs` and `sg3i` or `flow` for a two-stream one;
normalisation is inside, per input) and returns view-averaged probabilities or values (B, K).
The .onnx carries the task, class names, test pipeline and config as metadata, so
`tools/infer.py MODEL.onnx INPUT --backend onnxruntime` needs nothing else.
"""
import argparse
import os.path as osp
import sys
import tempfile

sys.path.insert(0, osp.dirname(osp.dirname(osp.abspath(__file__))))

from rich.console import Console  # noqa: E402

from vidreg.apis import (  # noqa: E402
    ExportError,
    TestTimePipeline,
    export_onnx,
    init_model,
    model_metadata,
)
from vidreg.engine.entrypoint import run_cli  # noqa: E402
from vidreg.fileio import OutputFile, check_output_files  # noqa: E402
from vidreg.testing.tiny_video import write_tiny_video  # noqa: E402
from vidreg.utils import print_error  # noqa: E402


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument('checkpoint', help='a .pth file written by tools/train.py')
    parser.add_argument('--format', choices=['onnx'], default='onnx')
    parser.add_argument('--out', help='output file (default: the checkpoint with .onnx)')
    parser.add_argument('--force', action='store_true', help='replace --out if it exists')
    parser.add_argument('--config', help="use this config instead of the checkpoint's own")
    parser.add_argument('--dynamic-batch', action='store_true', help='let the batch size vary')
    parser.add_argument('--opset', type=int, help="ONNX opset (default: the exporter's)")
    parser.add_argument('--video', help='the clip checked against PyTorch (default: a small '
                        'generated video)')
    parser.add_argument('--exporter', choices=['auto', 'dynamo', 'legacy'], default='auto')
    return parser.parse_args(argv)


def main(argv=None) -> None:
    args = parse_args(argv)
    console = Console()
    default = osp.splitext(args.checkpoint)[0] + '.onnx'
    out = args.out or default
    check_output_files([OutputFile(out, '--out', osp.basename(default))],
                       inputs=[args.checkpoint, args.config, args.video], force=args.force)
    model = init_model(args.checkpoint, config=args.config)
    pipeline = TestTimePipeline(model.cfg, model.dataset_meta['task'])
    steps = pipeline.step_configs()
    if pipeline.other_sources and not args.video:
        print_error(f'the test pipeline also reads {", ".join(map(repr, pipeline.other_sources))}'
                    f' beside each video (precomputed inputs found from its path), so the '
                    f'generated check clip has none: pass --video with a video of the dataset '
                    f'whose folder is extracted, or --config with a config that computes the '
                    f"input while loading (flow_source = 'on_the_fly').")
        sys.exit(2)
    with tempfile.TemporaryDirectory() as tmp:
        video = args.video or write_tiny_video(osp.join(tmp, 'clip.avi'), num_frames=24, size=96)
        sample = pipeline.batch_of_one(video)  # {name: (1, V, T, C, H, W)}
    try:
        report = export_onnx(model, out, sample=sample, metadata=model_metadata(model, steps),
                             opset=args.opset,
                             dynamic_batch=args.dynamic_batch, exporter=args.exporter)
    except ExportError as error:  # the model, not the command: exit code 1
        print_error(error)
        sys.exit(1)
    for line in report.attempts:
        console.print(f'[yellow]rejected[/] {line}', highlight=False)
    diffs = ', '.join(f'T={t}: {d:.3g}' for t, d in report.max_abs_diff.items())
    shapes = ', '.join(f'{name} {tuple(value.shape)}'
                       for name, value in sample.items())
    console.print(f'exported {report.path} with the {report.exporter} exporter; max abs diff '
                  f'onnxruntime vs PyTorch: {diffs} (uint8 inputs: {shapes}'
                  f'{"" if report.dynamic_time else "; T fixed by the network"})')


if __name__ == '__main__':
    run_cli(main)
