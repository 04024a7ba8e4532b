"""Export a checkpoint to ONNX and check the graph against PyTorch on a real clip.

python tools/export.py CHECKPOINT --format onnx [--out model.onnx] [--force] [--dynamic-batch]
                       [--opset N] [--video FILE] [--exporter auto|dynamo|legacy]

--out defaults to the checkpoint's path with .onnx; an existing file is replaced only with
--force, the checkpoint (or another input) never; a folder is refused (name the file).

The graph takes uint8 clips (B, V, T, C, H, W) as the test pipeline packs them: one input
`inputs`, or one per modality key (`imgs`, `sg3i`, `flow`...) for several-input models
(normalisation is inside, per key) and returns view-averaged probabilities or values (B, K).
The .onnx carries the task, class names, test pipeline and config as metadata, so
`tools/infer.py MODEL.onnx INPUT --backend onnxruntime` needs nothing else.
"""
import argparse
import os.path as osp
import sys

sys.path.insert(0, osp.dirname(osp.dirname(osp.abspath(__file__))))

from vidreg.apis.export_checkpoint import export_checkpoint
from vidreg.apis.onnx_export import ExportError
from vidreg.engine.entrypoint import run_cli
from vidreg.utils import print_error


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


def main(argv=None) -> int:
    args = parse_args(argv)
    try:
        export_checkpoint(args.checkpoint, args.out, force=args.force, config=args.config,
                          video=args.video, opset=args.opset, dynamic_batch=args.dynamic_batch,
                          exporter=args.exporter)
    except ExportError as error:  # the model, not the command: exit code 1
        print_error(error)
        return 1
    return 0


if __name__ == '__main__':
    run_cli(main)
