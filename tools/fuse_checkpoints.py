"""Fuse separately trained stream checkpoints into one two-stream checkpoint.

    python tools/train.py configs/demo/twostream_sg3i_synthetic.py --work-dir work_dirs/rgb \\
        --cfg-options "streams_used=('rgb',)"
    python tools/train.py configs/demo/twostream_sg3i_synthetic.py --work-dir work_dirs/sg3i \\
        --cfg-options "streams_used=('sg3i',)"
    python tools/fuse_checkpoints.py configs/demo/twostream_sg3i_synthetic.py \\
        --stream rgb=work_dirs/rgb/epoch_10.pth --stream sg3i=work_dirs/sg3i/epoch_10.pth \\
        --out work_dirs/fused.pth
    python tools/test.py configs/demo/twostream_sg3i_synthetic.py work_dirs/fused.pth

CONFIG builds a ``LateFusionRecognizer``; every one of its streams is filled from the checkpoint
given for it: a run of that stream alone (``streams_used=('rgb',)``: keys ``streams.rgb.*``; a
checkpoint whose only stream has another name, or a jointly trained one that has a stream of this
name, works too) or a plain ``Recognizer`` checkpoint (``backbone.*``, ``temporal.*``,
``head.*``). Every tensor of the stream must be there with its shape, and nothing else; the
stream config stored with it must read the same input with the same module types (other
differences, e.g. dropout, are printed as notes); the class names must agree. The
fusion head keeps the config's initialisation: average fusion is ready to test; learned fusion
starts as the weighted mean and is trained with ``load_from=fused.pth freeze_streams=True``.
The output is a checkpoint as ``tools/train.py`` writes it (resolved config and class names in
``meta``, checksummed, written atomically), so ``tools/test.py``, ``tools/infer.py`` and
``tools/export.py`` take it.
"""
import argparse
import os.path as osp
import sys
from typing import List, Optional, Tuple

sys.path.insert(0, osp.dirname(osp.dirname(osp.abspath(__file__))))

from vidreg.apis.fuse_checkpoints import fuse_checkpoint_files
from vidreg.engine.entrypoint import add_config_args, run_cli
from vidreg.utils.checkpoint import short_list


def parse_stream(text: str) -> Tuple[str, str]:
    """``'rgb=work_dirs/a/best.pth'`` -> ``('rgb', 'work_dirs/a/best.pth')``."""
    name, sep, path = text.partition('=')
    if not sep or not name or not path:
        raise argparse.ArgumentTypeError(f'expected NAME=CHECKPOINT (a stream of the config and '
                                         f'its .pth), got {text!r}')
    return name, path


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('config', help='config of the fused model (a LateFusionRecognizer)')
    parser.add_argument('--stream', type=parse_stream, action='append', required=True,
                        metavar='NAME=CHECKPOINT', help='a stream of the config and the .pth '
                        'it is taken from; once per stream')
    parser.add_argument('--out', required=True, help='the fused checkpoint to write (.pth)')
    parser.add_argument('--force', action='store_true', help='overwrite --out if it exists')
    add_config_args(parser)
    args = parser.parse_args(argv)
    names = [name for name, _ in args.stream]
    if len(set(names)) != len(names):
        parser.error(f'--stream: give each stream once, got {short_list(names)}')
    return args


def main(argv: Optional[List[str]] = None) -> None:
    args = parse_args(argv)
    fuse_checkpoint_files(args.config, dict(args.stream), args.out, force=args.force,
                          cfg_options=args.cfg_options, plugins=args.plugin)


if __name__ == '__main__':
    run_cli(main)
