"""Save a PNG of one frame beside its optical flow by each method, colour-coded.

python tools/visualize_flow.py VIDEO [--frame 60] [--gap 2] [--methods dis:fast dis:medium
    farneback] [--short-side 256] [--out flow.png]

The flow is computed the way the OpticalFlow transform computes it (vidreg.pipeline.flow),
between frame N and frame N + gap, on grayscale frames resized to --short-side. Colours:
direction is hue (rightwards red, leftwards cyan), speed is brightness (the fastest pixel of each
panel is the brightest); still pixels are black.
"""
import argparse
import os.path as osp
import sys

sys.path.insert(0, osp.dirname(osp.dirname(osp.abspath(__file__))))

import cv2  # noqa: E402
import numpy as np  # noqa: E402

from vidreg.engine.entrypoint import run_cli  # noqa: E402
from vidreg.fileio import atomic_open  # noqa: E402
from vidreg.pipeline.decoders import PyAVReader  # noqa: E402
from vidreg.pipeline.flow import flow_function  # noqa: E402
from vidreg.visualization import flow_to_rgb  # noqa: E402


def parse_args(argv):
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('video')
    parser.add_argument('--frame', type=int, default=60, help='first frame of the pair')
    parser.add_argument('--gap', type=int, default=2, help='frames between the two of the pair')
    parser.add_argument('--methods', nargs='+', default=['dis:fast', 'dis:medium', 'farneback'],
                        help="'dis:<ultrafast|fast|medium>' or 'farneback'")
    parser.add_argument('--short-side', type=int, default=256)
    parser.add_argument('--out', default='flow.png')
    return parser.parse_args(argv)


def _label(image: np.ndarray, text: str) -> np.ndarray:
    image = image.copy()
    cv2.putText(image, text, (8, 24), cv2.FONT_HERSHEY_SIMPLEX, 0.7, (255, 255, 255), 2,
                cv2.LINE_AA)
    return image


def main(argv=None) -> None:
    args = parse_args(argv)
    with PyAVReader(args.video) as reader:
        if not 0 <= args.frame < args.frame + args.gap < reader.total_frames:
            raise ValueError(f'{args.video!r} has {reader.total_frames} frames; --frame '
                             f'{args.frame} and --gap {args.gap} must stay inside it.')
        frames = reader.read(np.array([args.frame, args.frame + args.gap]))  # (2, H, W, 3) RGB
    height, width = frames.shape[1:3]
    scale = args.short_side / min(height, width)
    size = (round(width * scale), round(height * scale))
    rgb = [cv2.resize(frame, size, interpolation=cv2.INTER_AREA) for frame in frames]
    gray = [cv2.cvtColor(frame, cv2.COLOR_RGB2GRAY) for frame in rgb]
    panels = [_label(rgb[0], f'frame {args.frame}')]
    for spec in args.methods:
        method, _, preset = spec.partition(':')
        if method not in ('dis', 'farneback'):
            raise ValueError(f"--methods: {spec!r} is not 'dis:<preset>' or 'farneback'")
        flow = flow_function(method, preset or 'fast')(*gray)  # (H, W, 2)
        speed = np.linalg.norm(flow, axis=2)
        print(f'{spec}: mean x {flow[..., 0].mean():+.2f} px, mean y {flow[..., 1].mean():+.2f} '
              f'px, largest speed {speed.max():.1f} px')
        panels.append(_label(flow_to_rgb(flow), spec))
    if len(panels) % 2:
        panels.append(np.zeros_like(panels[0]))
    rows = [np.concatenate(panels[i:i + 2], axis=1) for i in range(0, len(panels), 2)]
    picture = np.concatenate(rows, axis=0)
    ok, png = cv2.imencode('.png', cv2.cvtColor(picture, cv2.COLOR_RGB2BGR))
    if not ok:
        raise ValueError(f'could not encode the {picture.shape} picture as PNG')
    with atomic_open(args.out, 'wb') as f:
        f.write(png.tobytes())
    print(f'flow picture: {osp.abspath(args.out)}')


if __name__ == '__main__':
    run_cli(main)
