"""Parameters and multiply-adds of vidreg's torchvision backbones next to torchvision's models.

    python benchmarks/backbone_flops.py [--frames 16] [--size 224]

Each model is built on the meta device (no memory, no initialisation) and counted with
``torch.utils.flop_counter.FlopCounterMode`` on one clip (1, 3, T, H, W): vidreg's backbone
followed by the features' mean and a 400-class linear layer (the converted recognizer), and
torchvision's model. Prints one Markdown row per architecture: parameters (with the 400-class
head) and GFLOPs as multiply-adds, ours then torchvision's.
"""
import argparse
import os.path as osp
import sys

import torch
import torchvision.models.video as tv
from torch.utils.flop_counter import FlopCounterMode

sys.path.insert(0, osp.dirname(osp.dirname(osp.abspath(__file__))))

from vidreg.registry import MODELS  # noqa: E402
from vidreg.utils import register_all_modules  # noqa: E402

# name -> (vidreg backbone config, torchvision builder)
MODELS_TO_COUNT = {
    'S3D': (dict(type='S3D', avg_pool_kernel=(2, 7, 7)), tv.s3d),
    'Swin3D-T': (dict(type='SwinTransformer3D', arch='t'), tv.swin3d_t),
    'Swin3D-S': (dict(type='SwinTransformer3D', arch='s'), tv.swin3d_s),
    'Swin3D-B': (dict(type='SwinTransformer3D', arch='b'), tv.swin3d_b),
    'MViT-v1-B': (dict(type='MViT', arch='v1_b'), tv.mvit_v1_b),
    'MViT-v2-S': (dict(type='MViT', arch='v2_s'), tv.mvit_v2_s),
}


def _count(forward, x: torch.Tensor) -> float:
    with FlopCounterMode(display=False) as counter, torch.no_grad():
        forward(x)
    return counter.get_total_flops() / 2e9  # multiply-adds, G


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument('--frames', type=int, default=16)
    parser.add_argument('--size', type=int, default=224)
    args = parser.parse_args()
    register_all_modules()
    print('| backbone | parameters (+ 400-class fc) | GFLOPs | torchvision: parameters | GFLOPs |')
    print('| --- | --- | --- | --- | --- |')
    for name, (cfg, builder) in MODELS_TO_COUNT.items():
        with torch.device('meta'):
            backbone, reference = MODELS.build(cfg).eval(), builder().eval()
            fc = torch.nn.Linear(backbone.out_channels, 400)
            x = torch.empty(1, 3, args.frames, args.size, args.size)
        params = sum(p.numel() for module in (backbone, fc) for p in module.parameters())
        ours = _count(lambda clip: fc(backbone(clip).mean(dim=(2, 3, 4))), x)
        theirs = _count(reference, x)
        print(f'| {name} | {params:,} | {ours:.2f} | '
              f'{sum(p.numel() for p in reference.parameters()):,} | {theirs:.2f} |')


if __name__ == '__main__':
    main()
