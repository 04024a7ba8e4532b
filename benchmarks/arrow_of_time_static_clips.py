"""Static clips through every registered backbone: is there an arrow-of-time shortcut?

A static clip (one frame repeated) has no arrow of time. For each backbone (tiny widths, from
``vidreg/testing/tiny.py``, plus the layouts issue 24 names) this prints, before issue 24
(the stage's features flipped in time) and after (the features of the reversed clip, as
``ArrowOfTimeBranch`` makes them now): the relative difference of the "reversed" features to
the forward ones, and the held-out accuracy of a linear probe telling them apart (0.5 =
chance) on static clips.

    python benchmarks/arrow_of_time_static_clips.py [--clips 64]
"""
import argparse
import os.path as osp
import sys

sys.path.insert(0, osp.dirname(osp.dirname(osp.abspath(__file__))))

from vidreg.engine.entrypoint import run_cli
from vidreg.plugins import discover_plugins, load_plugin
from vidreg.testing.static_clips import backbone_cases, static_clip_check
from vidreg.testing.tiny import tiny_specs
from vidreg.utils import register_all_modules

# The demo's layout (frames independent up to layer3) and the frame-mixing layouts.
_DEMO = dict(conv1_kernel=(1, 7, 7), pool1_kernel=(1, 3, 3), pool1_stride=(1, 2, 2),
             spatial_strides=(1, 2, 1, 2), temporal_strides=(1, 1, 1, 2))
VARIANTS = [('ResNet3D', dict(_DEMO, temporal_kernels=(1, 1, 1, 3)), 8),
            ('ResNet3D', dict(_DEMO, temporal_kernels=(3, 3, 3, 3)), 8),
            ('VideoResNet', dict(arch='r3d'), 8),
            ('VideoResNet', dict(arch='r2plus1d'), 8)]


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--clips', type=int, default=64,
                        help='static clips per backbone (the probe fits on half)')
    args = parser.parse_args(argv)
    register_all_modules()
    plugins = [load_plugin(p.module).__name__ for p in discover_plugins() if p.kind == 'repo']
    print('| backbone (tiny) | stage | T_s | difference before / after '
          '| probe accuracy before / after |')
    print('| --- | --- | --- | --- | --- |')
    for case in backbone_cases(tiny_specs(plugins), VARIANTS):
        r = static_clip_check(case, clips=args.clips, probe=True)
        print(f"| {case.name} | {case.stage} | {r['frames_at_stage']} | "
              f"{r['diff_before']:.3f} / {r['diff_after']:.3f} | "
              f"{r['probe_before']:.2f} / {r['probe_after']:.2f} |")


if __name__ == '__main__':
    run_cli(main)
