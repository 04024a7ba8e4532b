"""TimeCycle's similarity term against the box term it replaced, at known tracking errors.

A frame is the target frame's features moved by a known shift; the target patch is matched
against it (``CycleConsistencyBranch.track``) and each term is read at the patch's true map
in the frame moved by 0, 1, 2, 3 and 5 feature positions (x): the box term (affinity mass
inside the whole predicted box, vidreg before issue 24) and L_sim as published (TimeCycle's
``WeakInlierCountPool``: per-position correspondences through the warped identity mask). A
term that barely drops with the error barely penalises a wrong track.

    python benchmarks/timecycle_similarity_table.py [--side 30] [--draws 8]
"""
import argparse
import os.path as osp
import sys

sys.path.insert(0, osp.dirname(osp.dirname(osp.abspath(__file__))))

import torch
import torch.nn.functional as F
from torch import Tensor

from vidreg.engine.entrypoint import run_cli
from vidreg.models.ssl import CycleConsistencyBranch
from vidreg.models.ssl.cycle_consistency_branch import similarity

ERRORS = (0, 1, 2, 3, 5)


def box_score(affinity: Tensor, theta: Tensor, side: int) -> Tensor:
    """The removed term: affinity mass (N,) of each patch position inside the whole box that
    ``theta`` maps the patch to, averaged over patch positions (no correspondence)."""
    coords = (torch.arange(side, dtype=theta.dtype) * 2 + 1) / side - 1
    points = torch.stack(torch.meshgrid(coords, coords, indexing='xy'), -1).reshape(-1, 2)
    local = torch.linalg.solve(theta[:, None, :, :2],
                               (points[None] - theta[:, None, :, 2]).unsqueeze(-1))
    mask = (local.squeeze(-1).abs().amax(-1) <= 1).to(affinity.dtype)  # (N, side * side)
    return (affinity * mask[:, :, None, None]).sum(1).mean((1, 2))


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--side', type=int, default=30, help='H_s = W_s (TimeCycle: 30)')
    parser.add_argument('--channels', type=int, default=512, help='feature width (512)')
    parser.add_argument('--shift', type=int, default=3, help='true motion, positions (x)')
    parser.add_argument('--draws', type=int, default=8, help='random frames averaged')
    args = parser.parse_args(argv)
    side = args.side
    branch = CycleConsistencyBranch(in_channels=args.channels, feat_size=(side, side))
    torch.manual_seed(0)
    rows = {'box (before)': [], 'L_sim (TimeCycle)': []}
    with torch.no_grad():
        target = F.normalize(torch.randn(args.draws, args.channels, side, side), dim=1)
        frame = target.roll(args.shift, dims=3)  # content moves right by `shift` positions
        theta_gt = branch.theta(torch.rand(args.draws) * 0.6 - 0.3,
                                torch.rand(args.draws) * 0.6 - 0.3, torch.zeros(args.draws))
        _, affinity = branch.track(branch.crop(target, theta_gt), frame)
        for error in ERRORS:
            theta = theta_gt.clone()
            theta[:, 0, 2] += 2 * (args.shift + error) / side
            rows['box (before)'].append(box_score(affinity, theta, side).mean())
            rows['L_sim (TimeCycle)'].append(similarity(affinity, theta, (side, side)).mean())
    print('| score at the true map + error | ' + ' | '.join(f'{e} px' for e in ERRORS) + ' |')
    print('| --- |' + ' --- |' * len(ERRORS))
    for name, values in rows.items():
        print(f'| {name} | ' + ' | '.join(f'{float(v):.3f}' for v in values) + ' |')


if __name__ == '__main__':
    run_cli(main)
