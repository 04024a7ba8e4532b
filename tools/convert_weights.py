"""Convert another project's checkpoint into a vidreg backbone checkpoint.

    python tools/convert_weights.py SRC DST --from {torchvision,c3d-sports1m,mmaction2,kenshohara}
        [--backbone "dict(type='VideoResNet', arch='r2plus1d', depth=18)"] [--force]

SRC is a local checkpoint, or for ``--from torchvision`` also a weights name such as
``R2Plus1D_18_Weights.KINETICS400_V1`` read only from the local torch cache (never downloaded).
Keys are mapped to the backbone (inferred from the tensor shapes, or given with --backbone),
checked against it (missing and unexpected keys are printed; a shape mismatch, or fewer than
half of the backbone's tensors matched, is an error that says which --from fits),
and written atomically to DST as ``{'state_dict': ..., 'meta': ...}``. Use DST as the
backbone's ``pretrained``; ``meta`` records the backbone and the input normalisation the
weights expect (also printed, as the VideoDataPreprocessor line for the config). An existing
DST is replaced only with --force, SRC never.
"""
import argparse
import sys
from os import path as osp
from typing import List, Optional, get_args

import torch

sys.path.insert(0, osp.dirname(osp.dirname(osp.abspath(__file__))))

from vidreg.engine.entrypoint import run_cli  # noqa: E402
from vidreg.fileio import OutputFile, atomic_path, check_output_files  # noqa: E402
from vidreg.utils.checkpoint import short_list  # noqa: E402
from vidreg.utils.convert_checkpoint import convert_checkpoint  # noqa: E402
from vidreg.utils.weight_conversion import Source  # noqa: E402


def parse_args(argv: Optional[List[str]] = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument('src', help='foreign checkpoint path (or a torchvision weights name)')
    parser.add_argument('dst', help='where to write the vidreg checkpoint')
    parser.add_argument('--from', dest='source', required=True, choices=get_args(Source),
                        help='layout of SRC')
    parser.add_argument('--backbone', default=None,
                        help="target backbone as a dict literal, e.g. \"dict(type='C3D', "
                             "norm=True)\"; default: inferred from the tensor shapes")
    parser.add_argument('--force', action='store_true', help='replace DST if it exists')
    return parser.parse_args(argv)


def main(argv: Optional[List[str]] = None) -> None:
    args = parse_args(argv)
    check_output_files([OutputFile(args.dst, 'DST', osp.splitext(osp.basename(args.src))[0]
                                   + '.pth')], inputs=[args.src], force=args.force)
    converted = convert_checkpoint(args.src, args.source, args.backbone)
    kept = converted.checkpoint['state_dict']
    print(f'backbone: {converted.backbone}')
    print(f'converted {len(kept)} tensors ({converted.foreign_tensors} in {args.src})')
    print(f'missing keys ({len(converted.missing)}): {short_list(converted.missing) or "none"}')
    print(f'unexpected keys ({len(converted.unexpected)}): '
          f'{short_list(converted.unexpected) or "none"}')
    with atomic_path(args.dst) as tmp:
        torch.save(converted.checkpoint, tmp)
    print(f'wrote {args.dst}; expected input: '
          f'data_preprocessor={converted.checkpoint["meta"]["data_preprocessor"]}')


if __name__ == '__main__':
    run_cli(main)
