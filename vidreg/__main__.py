"""``python -m vidreg list`` / ``python -m vidreg plugins``: see :mod:`vidreg.cli`."""
import sys

from vidreg.cli import main

if __name__ == '__main__':
    sys.exit(main())
