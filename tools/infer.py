"""Predict videos from a checkpoint alone (or an exported .onnx, without torch).

python tools/infer.py CHECKPOINT INPUT... [--topk 5] [--out PREFIX]
python tools/infer.py CHECKPOINT LONG.mp4 --window 4 --stride 2 [--out-video out.mp4]
python tools/infer.py MODEL.onnx INPUT... --backend onnxruntime

INPUT: video files, frame folders, folders of videos (searched recursively) or path[,label]
CSVs. Writes PREFIX.csv and PREFIX.json; with --window also PREFIX_<video>_windows.png.
Unusable inputs are listed at the end (exit code 1) and never stop the others.
"""
import argparse
import os.path as osp
import sys

sys.path.insert(0, osp.dirname(osp.dirname(osp.abspath(__file__))))

from rich.console import Console  # noqa: E402

from vidreg.deployment import (  # noqa: E402
    collect_inputs,
    print_predictions,
    save_timeline_png,
    write_annotated_video,
    write_predictions,
)


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument('model', help='a .pth checkpoint (pytorch) or a .onnx (onnxruntime)')
    parser.add_argument('inputs', nargs='+', metavar='INPUT')
    parser.add_argument('--backend', choices=['pytorch', 'onnxruntime'], default='pytorch')
    parser.add_argument('--config', help='use this config instead of the checkpoint\'s own')
    parser.add_argument('--device', default='cpu', help="pytorch only: 'cpu', 'cuda', ...")
    parser.add_argument('--topk', type=int, default=5)
    parser.add_argument('--out', default='work_dirs/infer/predictions', metavar='PREFIX',
                        help='writes PREFIX.csv and PREFIX.json')
    parser.add_argument('--window', type=float, metavar='SECONDS',
                        help='slide the clip over the video: one prediction per window')
    parser.add_argument('--stride', type=float, metavar='SECONDS',
                        help='seconds between windows (default: --window)')
    parser.add_argument('--out-video', metavar='FILE.mp4|FILE.gif',
                        help='write the video with the current prediction drawn on it')
    return parser.parse_args(argv)


def make_predictor(args: argparse.Namespace):
    """A function ``(path, label) -> [Prediction, ...]`` for the chosen backend."""
    if args.backend == 'onnxruntime':
        if args.window:
            raise SystemExit('error: --window needs the pytorch backend (a checkpoint)')
        from vidreg.deployment import OnnxPredictor
        predictor = OnnxPredictor(args.model)
        return lambda path, label: [predictor(path, label)]
    from vidreg.apis import inference, inference_windows, init_model, to_prediction
    model = init_model(args.model, config=args.config, device=args.device)
    if not args.window:
        return lambda path, label: [to_prediction(inference(model, path), label=label)]
    stride = args.stride or args.window
    return lambda path, label: [
        to_prediction(sample, label=label, start=start, end=end) for start, end, sample in
        inference_windows(model, path, window=args.window, stride=stride)]


def numbered(path: str, stem: str, many: bool) -> str:
    """``path`` with ``_<stem>`` before the extension when several videos share the option."""
    root, ext = osp.splitext(path)
    return f'{root}_{stem}{ext}' if many else path


def main(argv=None) -> int:
    args = parse_args(argv)
    console = Console()
    inputs = collect_inputs(args.inputs)
    try:
        predict = make_predictor(args)
    except (OSError, ValueError, RuntimeError) as error:  # a model or config that cannot load
        Console(stderr=True).print(f'[bold red]error:[/] {error}', highlight=False)
        return 2
    predictions, bad = [], list(inputs.bad)
    many = len(inputs.items) > 1
    for path, label in inputs.items:
        stem = osp.splitext(osp.basename(osp.normpath(path)))[0]
        try:
            current = predict(path, label)
            if args.window:
                png = save_timeline_png(current, f'{args.out}_{stem}_windows.png')
                console.print(f'scores over time: {png}')
            if args.out_video:
                video = write_annotated_video(path, current, numbered(args.out_video, stem, many))
                console.print(f'annotated video: {video}')
        except Exception as error:  # any failure names the input and moves on
            bad.append((path, f'{type(error).__name__}: {error}'))
            continue
        predictions.extend(current)
    print_predictions(predictions, bad, topk=args.topk, console=console)
    csv_path, json_path = write_predictions(predictions, bad, args.out, topk=args.topk)
    console.print(f'predictions: {csv_path} {json_path}')
    return 1 if bad else 0


if __name__ == '__main__':
    sys.exit(main())
