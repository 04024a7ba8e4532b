"""Make the scripts in tools/ importable by their tests (``import check_data``)."""
import os
import sys

TOOLS = os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))),
                     'tools')
if TOOLS not in sys.path:
    sys.path.insert(0, TOOLS)
