"""Peak memory and speed of multi-view testing with and without ``max_views_per_batch``.

    OMP_NUM_THREADS=2 python benchmarks/benchmark_view_chunks.py configs/r2plus1d18_ucf101.py \\
        --chunks 30 6 3 --views 30 --rounds 2

Each measurement runs in a fresh subprocess (so one case's peak cannot hide another's): it
builds the config's model (``pretrained=None``, eval mode), runs ``mode='predict'`` once on one
normalised video of V views (B=1, random values; the speed and memory do not depend on them)
and reports the process's peak RSS (``ru_maxrss``) before and after that pass, and clips/s
(V / wall seconds of the pass). Rounds alternate the cases, so a busy machine slows them alike.
"""
import argparse
import json
import os.path as osp
import resource
import subprocess
import sys
import time

sys.path.insert(0, osp.dirname(osp.dirname(osp.abspath(__file__))))


def measure(config: str, chunk: int, views: int, frames: int, size: int) -> dict:
    """One case in this process: peak RSS (MiB) before/after the pass, and clips/s."""
    import torch

    from vidreg.config import load_config
    from vidreg.models import build_model
    from vidreg.utils import register_all_modules
    register_all_modules()
    cfg = load_config(config, {'pretrained': None, 'model.max_views_per_batch': chunk})
    model = build_model(cfg).eval()
    inputs = dict(imgs=torch.randn(1, views, 3, frames, size, size))  # (B, V, C, T, H, W)
    with torch.no_grad():
        model(dict(imgs=inputs['imgs'][:, :1]), mode='predict')  # warm-up: one clip
        before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        start = time.perf_counter()
        model(inputs, mode='predict')
        seconds = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return dict(chunk=chunk, rss_before=before, rss_peak=after, clips_per_s=views / seconds)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument('config')
    parser.add_argument('--chunks', type=int, nargs='+', default=[30, 6, 3],
                        help='max_views_per_batch values to compare')
    parser.add_argument('--views', type=int, default=30, help='V: 10 clips x 3 crops')
    parser.add_argument('--frames', type=int, default=16)
    parser.add_argument('--size', type=int, default=112)
    parser.add_argument('--rounds', type=int, default=1)
    parser.add_argument('--one', type=int, help=argparse.SUPPRESS)  # run one case, print JSON
    args = parser.parse_args()
    if args.one is not None:
        print(json.dumps(measure(args.config, args.one, args.views, args.frames, args.size)))
        return
    results = {chunk: [] for chunk in args.chunks}
    for _ in range(args.rounds):
        for chunk in args.chunks:
            out = subprocess.run(
                [sys.executable, __file__, args.config, '--one', str(chunk), '--views',
                 str(args.views), '--frames', str(args.frames), '--size', str(args.size)],
                check=True, capture_output=True, text=True).stdout
            results[chunk].append(json.loads(out.strip().splitlines()[-1]))
    print('| max_views_per_batch | peak RSS MiB (before the pass) | clips/s per round |')
    print('| --- | --- | --- |')
    for chunk, runs in results.items():
        peak = max(run['rss_peak'] for run in runs)
        before = max(run['rss_before'] for run in runs)
        speeds = ', '.join(f'{run["clips_per_s"]:.2f}' for run in runs)
        print(f'| {chunk} | {peak:.0f} ({before:.0f}) | {speeds} |')


if __name__ == '__main__':
    main()
