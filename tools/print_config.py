"""Print the config as vidreg runs it: python tools/print_config.py CONFIG [--cfg-options ...].

Knobs (num_frames, data_root, ...) are rewritten into the sources before they run, so plain
mmengine ``Config.fromfile`` shows a different config than the one trained. This prints the
resolved one, as tools/train.py builds it (the work dir keeps the same text).
"""
import argparse
import os.path as osp
import sys

sys.path.insert(0, osp.dirname(osp.dirname(osp.abspath(__file__))))

from vidreg.config import resolved_config_text
from vidreg.engine.entrypoint import add_config_args, prepare_config, run_cli


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('config', help='config file, e.g. configs/demo/restcn_synthetic.py')
    add_config_args(parser)
    return parser.parse_args(argv)


def main(argv=None) -> None:
    args = parse_args(argv)
    args.launcher = 'none'
    print(resolved_config_text(prepare_config(args)))


if __name__ == '__main__':
    run_cli(main)
