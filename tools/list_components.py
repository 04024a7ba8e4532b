"""Print every registered component and its module: python tools/list_components.py.

Same as ``python -m vidreg list``; options: ``--registry model``, ``--plugin NAME`` (repeatable),
``--all-plugins``, ``--with-mmengine``.
"""
import os.path as osp
import sys

sys.path.insert(0, osp.dirname(osp.dirname(osp.abspath(__file__))))

from vidreg.cli import main

if __name__ == '__main__':
    sys.exit(main(['list', *sys.argv[1:]]))
