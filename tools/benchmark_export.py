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

sys.path.insert(0, osp.dirname(osp.dirname(osp.abspath(__file__))))

from mmengine.config import DictAction

from vidreg.apis.benchmark_export import benchmark_export
from vidreg.engine.entrypoint import run_cli


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument('configs', nargs='+')
    parser.add_argument('--video', default=osp.join('..', 'shared', 'data', 'bikes.mp4'))
    parser.add_argument('--runs', type=int, default=20)
    parser.add_argument('--cfg-options', nargs='+', action=DictAction, default={})
    args = parser.parse_args(argv)
    benchmark_export(args.configs, video=args.video, runs=args.runs,
                     cfg_options=args.cfg_options)


if __name__ == '__main__':
    run_cli(main)
