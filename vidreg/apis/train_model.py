"""Train a model from a config: python tools/train.py CONFIG [--resume [CKPT] | --overwrite]."""
import argparse
import os.path as osp
import sys

sys.path.insert(0, osp.dirname(osp.dirname(osp.abspath(__file__))))

from vidreg.datasets import check_data_roots  # noqa: E402
from vidreg.engine.entrypoint import add_common_args, build_runner, prepare_config, run_cli  # noqa: E402
from vidreg.engine.resume_hint import interrupted_by_user, stopped_run_advice  # noqa: E402
from vidreg.engine.work_dir_claim import claim_work_dir  # noqa: E402
from vidreg.utils import NoSpaceError, find_resume_checkpoint  # noqa: E402


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument('config', help='config file, e.g. configs/demo/restcn_synthetic.py')
    start = parser.add_mutually_exclusive_group()
    start.add_argument('--resume', nargs='?', const='auto', metavar='CKPT',
                       help='continue an interrupted run: the latest checkpoint of the work '
                       'dir, of the folder CKPT, or the file CKPT')
    start.add_argument('--overwrite', action='store_true',
                       help='train from scratch into a work dir that holds a run: its '
                       'checkpoints, logs and summary are removed first')
    parser.add_argument('--amp', action='store_true', help='mixed precision (GPU)')
    add_common_args(parser)
    return parser.parse_args(argv)


def main(argv=None) -> None:
    args = parse_args(argv)
    cfg = prepare_config(args)
    check_data_roots(cfg, ('train_dataloader', 'val_dataloader'))
    if args.resume:  # a clear error now rather than deep in the Runner, or training from scratch
        checkpoint = find_resume_checkpoint(None if args.resume == 'auto' else args.resume,
                                            cfg.work_dir)
        cfg.resume, cfg.load_from = True, checkpoint
    if args.amp:
        cfg.optim_wrapper.type = 'AmpOptimWrapper'
        cfg.optim_wrapper.setdefault('loss_scale', 'dynamic')
    lock = claim_work_dir(cfg, resume=bool(args.resume), overwrite=args.overwrite)
    try:
        build_runner(cfg).train()
    except BaseException as error:
        if interrupted_by_user(error):
            raise KeyboardInterrupt(f'interrupted (Ctrl-C); '
                                    f'{stopped_run_advice(cfg.work_dir, args.launcher)}') from None
        if isinstance(error, NoSpaceError):
            what = error.strerror.split('; free some space')[0]
            raise NoSpaceError(error.errno, f'{what}; free some space, then '
                               f'{stopped_run_advice(cfg.work_dir, args.launcher)}') from error
        raise
    finally:
        if lock is not None:
            lock.release()


if __name__ == '__main__':
    run_cli(main)
