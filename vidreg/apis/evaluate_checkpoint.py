"""Evaluate a checkpoint.

python tools/test.py CONFIG CHECKPOINT [--split val] [--dump preds.csv]
"""
import argparse
import os.path as osp
import sys

sys.path.insert(0, osp.dirname(osp.dirname(osp.abspath(__file__))))

from vidreg.config import ConfigError  # noqa: E402
from vidreg.datasets import check_data_roots  # noqa: E402
from vidreg.engine.entrypoint import add_common_args, build_runner, prepare_config, run_cli  # noqa: E402
from vidreg.engine.metrics_report import print_test_report  # noqa: E402
from vidreg.utils import load_checkpoint_file  # noqa: E402


def dump_file(path: str) -> str:
    """``--dump``: a .csv file, or a folder (existing, or written with a trailing slash) to
    write ``predictions.csv`` into."""
    if osp.isdir(path) or path.endswith(('/', osp.sep)):
        return osp.join(path, 'predictions.csv')
    if not path.endswith('.csv'):
        raise argparse.ArgumentTypeError(f'{path!r} is no .csv file: pass FILE.csv, or a folder '
                                         f'to write predictions.csv into')
    return path


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument('config', help='the config the checkpoint was trained with')
    parser.add_argument('checkpoint', help='a .pth file, e.g. work_dirs/<config>/best_*.pth')
    parser.add_argument('--split', choices=['test', 'val'], default='test',
                        help="'val' evaluates the validation set as training did")
    parser.add_argument('--dump', metavar='FILE.csv', type=dump_file,
                        help='write one row per video: path,label,pred and scores (a folder: '
                        'FOLDER/predictions.csv)')
    add_common_args(parser)
    return parser.parse_args(argv)


def main(argv=None) -> None:
    args = parse_args(argv)
    if args.checkpoint.endswith('.py') and not args.config.endswith('.py'):
        raise ConfigError(f'the config comes first: python tools/test.py CONFIG CHECKPOINT, here '
                          f'python tools/test.py {args.checkpoint} {args.config} (the .py file '
                          f'was given as the checkpoint).')
    cfg = prepare_config(args)
    load_checkpoint_file(args.checkpoint)  # a clear error for a missing or broken file
    cfg.load_from, cfg.resume = args.checkpoint, False
    if args.split == 'val':
        cfg.test_dataloader, cfg.test_evaluator = cfg.val_dataloader, cfg.val_evaluator
    check_data_roots(cfg, ('test_dataloader',))
    if args.dump:
        evaluators = cfg.test_evaluator if isinstance(cfg.test_evaluator, list) else [
            cfg.test_evaluator]
        cfg.test_evaluator = [*evaluators, dict(type='DumpPredictions',
                                                out_file=osp.abspath(args.dump))]
    runner = build_runner(cfg)
    metrics = runner.test()
    print_test_report(runner, metrics, dump_file=args.dump)


if __name__ == '__main__':
    run_cli(main)
