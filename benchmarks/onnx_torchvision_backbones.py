"""ONNX export of each torchvision-derived backbone, checked against PyTorch at two clip lengths.

    python benchmarks/onnx_torchvision_backbones.py [--work-dir DIR]

For each backbone a recognizer (backbone -> TemporalAvgPool -> ClsHead, random weights) is saved
with the synthetic demo's test pipeline as the training Runner saves a checkpoint, then
``vidreg.apis.export_checkpoint`` exports it and runs onnxruntime on a generated clip at its
length T and at 2T (each frame twice); it prints the exporter and the max abs differences.
MViT is checked at its one length (its graph fixes T, see ``MViT``). Widths are reduced (S3D
has no width knob: full size) and clips are 32 or 64 px.
"""
import argparse
import os.path as osp
import sys
import tempfile

import torch

sys.path.insert(0, osp.dirname(osp.dirname(osp.abspath(__file__))))

from vidreg.apis import export_checkpoint  # noqa: E402
from vidreg.config import load_config  # noqa: E402
from vidreg.models import build_model  # noqa: E402
from vidreg.plugins import REPO_ROOT  # noqa: E402
from vidreg.utils import register_all_modules  # noqa: E402

# name -> (backbone config, frames T, size)
CASES = {
    'S3D': (dict(type='S3D'), 16, 32),
    'S3D, torchvision pool': (dict(type='S3D', avg_pool_kernel=(1, 2, 2)), 16, 64),
    'SwinTransformer3D': (dict(type='SwinTransformer3D', embed_dim=8, depths=(1, 1, 2, 1),
                               num_heads=(1, 1, 2, 2)), 8, 64),
    'MViT v1-B': (dict(type='MViT', arch='v1_b', embed_dim=8, spatial_size=(64, 64),
                       temporal_size=8), 8, 64),
    'MViT v2-S': (dict(type='MViT', arch='v2_s', embed_dim=8, spatial_size=(64, 64),
                       temporal_size=8), 8, 64),
}


def _checkpoint(path: str, backbone: dict, frames: int, size: int) -> str:
    demo = osp.join(REPO_ROOT, 'configs', 'demo', 'r3d18_synthetic.py')
    cfg = load_config(demo, dict(num_frames=frames, img_size=size, num_classes=4,
                                 pretrained=None))
    cfg.model = dict(type='Recognizer', backbone=backbone, temporal=dict(type='TemporalAvgPool'),
                     head=dict(type='ClsHead', num_classes=4),
                     data_preprocessor=dict(type='VideoDataPreprocessor'))
    torch.manual_seed(0)
    model = build_model(cfg)
    meta = dict(cfg=cfg.pretty_text, dataset_meta=dict(task='classification',
                                                       classes=['a', 'b', 'c', 'd']))
    torch.save(dict(meta=meta, state_dict=model.state_dict()), path)
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument('--work-dir', help='where the checkpoints and .onnx go (default: a '
                        'temporary folder)')
    parser.add_argument('--only', nargs='+', choices=list(CASES), help='these cases only')
    args = parser.parse_args()
    register_all_modules()
    with tempfile.TemporaryDirectory() as tmp:
        root = args.work_dir or tmp
        names = args.only or list(CASES)
        for name in names:
            backbone, frames, size = CASES[name]
            stem = osp.join(root, name.replace(' ', '_'))
            checkpoint = _checkpoint(stem + '.pth', backbone, frames, size)
            print(f'== {name}: {frames}x{size}x{size}', flush=True)
            export_checkpoint(checkpoint, stem + '.onnx', force=True)


if __name__ == '__main__':
    main()
