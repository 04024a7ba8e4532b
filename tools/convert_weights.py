"""Convert another project's checkpoint into a vidreg backbone checkpoint.

    python tools/convert_weights.py SRC DST --from {torchvision,c3d-sports1m,mmaction2,kenshohara}
        [--backbone "dict(type='VideoResNet', arch='r2plus1d', depth=18)"]

SRC is a local checkpoint, or for ``--from torchvision`` also a weights name such as
``R2Plus1D_18_Weights.KINETICS400_V1`` read only from the local torch cache (never downloaded).
Keys are mapped to the backbone (inferred from the tensor shapes, or given with --backbone),
checked against it (missing and unexpected keys are printed; a shape mismatch is an error),
and written atomically to DST as ``{'state_dict': ..., 'meta': ...}``. Use DST as the
backbone's ``pretrained``; ``meta`` records the backbone and the input normalisation the
weights expect (also printed, as the VideoDataPreprocessor line for the config).
"""
import argparse
import ast
import sys
from os import path as osp
from typing import List, Optional, get_args

import torch

sys.path.insert(0, osp.dirname(osp.dirname(osp.abspath(__file__))))

from vidreg.engine.entrypoint import run_cli  # noqa: E402
from vidreg.registry import MODELS  # noqa: E402
from vidreg.utils import CheckpointError, atomic_path, register_all_modules  # noqa: E402
from vidreg.utils.checkpoint import CHECKSUM_KEY, state_dict_checksum  # noqa: E402
from vidreg.utils.pretrained import read_pretrained_state_dict  # noqa: E402
from vidreg.utils.weight_conversion import (  # noqa: E402
    Source,
    convert_state_dict,
    infer_backbone,
)


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
    return parser.parse_args(argv)


def _parse_backbone(text: str) -> dict:
    """``dict(a=1)`` or ``{'a': 1}`` -> dict, without evaluating code."""
    node = ast.parse(text, mode='eval').body
    if isinstance(node, ast.Call) and getattr(node.func, 'id', None) == 'dict' and not node.args:
        return {kw.arg: ast.literal_eval(kw.value) for kw in node.keywords}
    value = ast.literal_eval(node)
    if not isinstance(value, dict) or 'type' not in value:
        raise CheckpointError(f'--backbone must be a dict with a type, got {text!r}')
    return value


def main(argv: Optional[List[str]] = None) -> None:
    args = parse_args(argv)
    register_all_modules()
    foreign = read_pretrained_state_dict(args.src)
    state_dict, norm = convert_state_dict(foreign, args.source)
    backbone_cfg = (infer_backbone(state_dict, args.source) if args.backbone is None
                    else _parse_backbone(args.backbone))
    backbone = MODELS.build(dict(backbone_cfg, pretrained=None))
    own = backbone.state_dict()
    mismatched = [f'{k}: {tuple(v.shape)} vs {tuple(own[k].shape)}'
                  for k, v in state_dict.items() if k in own and v.shape != own[k].shape]
    if mismatched:
        raise CheckpointError(f'{args.src}: shapes do not fit {backbone_cfg}: '
                              f'{"; ".join(mismatched[:10])}')
    missing = [k for k in own if k not in state_dict]
    unexpected = [k for k in state_dict if k not in own]
    print(f'backbone: {backbone_cfg}')
    print(f'converted {len(state_dict)} tensors ({len(foreign)} in {args.src})')
    print(f'missing keys ({len(missing)}): {", ".join(missing) or "none"}')
    print(f'unexpected keys ({len(unexpected)}): {", ".join(unexpected) or "none"}')
    meta = dict(converted_from=args.source, src=str(args.src), backbone=backbone_cfg,
                data_preprocessor=dict(type='VideoDataPreprocessor', **norm))
    kept = {k: v for k, v in state_dict.items() if k in own}
    with atomic_path(args.dst) as tmp:
        torch.save({'state_dict': kept, 'meta': meta, CHECKSUM_KEY: state_dict_checksum(kept)},
                   tmp)
    print(f'wrote {args.dst}; expected input: '
          f'data_preprocessor={meta["data_preprocessor"]}')


if __name__ == '__main__':
    run_cli(main)
