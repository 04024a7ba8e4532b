"""Convert another project's checkpoint into a vidreg checkpoint.

    python tools/convert_weights.py SRC DST --from {torchvision,c3d-sports1m,mmaction2,kenshohara}
        [--backbone "dict(type='VideoResNet', arch='r2plus1d', depth=18)"] [--force]

SRC is a local checkpoint, or for ``--from torchvision`` also a weights name such as
``R2Plus1D_18_Weights.KINETICS400_V1`` read only from the local torch cache (never downloaded).
Keys are mapped to the backbone (inferred from the tensor shapes, or given with --backbone),
checked against it (missing and unexpected keys are printed; a shape mismatch, or fewer than
half of the backbone's tensors matched, is an error that says which --from fits),
and written atomically to DST as ``{'state_dict': ..., 'meta': ...}``. When SRC has a
classifier, DST is a complete checkpoint (backbone and head, the model config, the class names
when known): ``tools/infer.py DST VIDEO`` gives the source model's prediction, and
``tools/export.py`` and ``tools/test.py`` take it. Either way DST serves as a backbone's
``pretrained`` (its backbone part). ``meta`` records the backbone and the input normalisation
the weights expect (also printed, as the VideoDataPreprocessor line for the config). An
existing DST is replaced only with --force, SRC never.
"""
import argparse
import sys
from os import path as osp
from typing import List, Optional

sys.path.insert(0, osp.dirname(osp.dirname(osp.abspath(__file__))))

from vidreg.engine.entrypoint import run_cli
from vidreg.weights import convert_weights, source_names


def parse_args(argv: Optional[List[str]] = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument('src', help='foreign checkpoint path (or a torchvision weights name)')
    parser.add_argument('dst', help='where to write the vidreg checkpoint')
    parser.add_argument('--from', dest='source', required=True, choices=source_names(),
                        help='layout of SRC')
    parser.add_argument('--backbone', default=None,
                        help="target backbone as a dict literal, e.g. \"dict(type='C3D', "
                             "norm=True)\"; default: inferred from the tensor shapes")
    parser.add_argument('--force', action='store_true', help='replace DST if it exists')
    return parser.parse_args(argv)


def main(argv: Optional[List[str]] = None) -> None:
    args = parse_args(argv)
    convert_weights(args.src, args.dst, args.source, args.backbone, force=args.force)


if __name__ == '__main__':
    run_cli(main)
