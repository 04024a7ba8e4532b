"""Time training steps of a config's model on in-memory clips, against a bare PyTorch loop.

    python tools/benchmark_train.py CONFIG [--batch-size B] [--steps N] [--amp]
        [--channels-last] [--compile] [--device cuda] [--cfg-options ...]

No data is read: one random uint8 batch (B, 1, T, C, H, W) of the config's ``num_frames`` x
``img_size`` (or --num-frames/--img-size) is reused. Each step runs twice, interleaved:
- framework: ``model.train_step(batch, optim_wrapper)`` (mmengine's path: data preprocessor,
  loss dict parsing, optimizer wrapper);
- bare: the same preprocessing, model, loss and optimizer called directly (``zero_grad``,
  forward, ``cross_entropy``, ``backward``, ``step``).
Taking turns makes both suffer the same machine noise. Prints clips/s, the median step time,
peak memory (CUDA: max allocated; CPU: the process's peak RSS) and the achieved FLOP rate from
one step counted by ``torch.utils.flop_counter`` (forward + backward; FLOPs = 2 x multiply-adds).
The last line is ``overhead: R``: the median over steps of (framework step time / the bare step
run right after it), 1.03 meaning 3% slower.
``--amp`` runs both in ``torch.autocast(dtype=torch.bfloat16)``; ``--channels-last`` feeds
``channels_last_3d`` clips (and model); ``--compile`` compiles the backbone for both.
"""
import argparse
import sys
from os import path as osp
from typing import List, Optional

sys.path.insert(0, osp.dirname(osp.dirname(osp.abspath(__file__))))

from mmengine.config import DictAction

from vidreg.apis.benchmark_train import benchmark_train
from vidreg.engine.entrypoint import run_cli


def parse_args(argv: Optional[List[str]] = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument('config')
    parser.add_argument('--batch-size', type=int, default=None, help='default: the config\'s')
    parser.add_argument('--num-frames', type=int, default=None, help='T; default: the config\'s')
    parser.add_argument('--img-size', type=int, default=None, help='H = W; default: the config\'s')
    parser.add_argument('--steps', type=int, default=10, help='timed steps of each kind')
    parser.add_argument('--warmup', type=int, default=2, help='untimed steps of each kind')
    parser.add_argument('--amp', action='store_true', help='bf16 autocast')
    parser.add_argument('--channels-last', action='store_true')
    parser.add_argument('--compile', action='store_true', help='torch.compile the backbone')
    parser.add_argument('--device', default=None, help="default: 'cuda' if available, else 'cpu'")
    parser.add_argument('--cfg-options', nargs='+', action=DictAction, default={})
    return parser.parse_args(argv)


def main(argv: Optional[List[str]] = None) -> None:
    args = parse_args(argv)
    benchmark_train(args.config, batch_size=args.batch_size, num_frames=args.num_frames,
                    img_size=args.img_size, steps=args.steps, warmup=args.warmup, amp=args.amp,
                    channels_last=args.channels_last, compile_backbone=args.compile,
                    device=args.device, cfg_options=args.cfg_options)


if __name__ == '__main__':
    run_cli(main)
