"""Tiny test arguments of this plugin's models, read by vidreg's registry contract test.

:func:`vidreg.testing.tiny.tiny_specs` merges this ``TINY_SPECS`` into vidreg's own; every
model component a plugin registers needs an entry (``docs/plugins.md``).
"""
from vidreg.testing.tiny import TinySpec

TINY_SPECS = {
    'TSMResNet2D': TinySpec('backbone', dict(depth=18, shift_div=4)),
}
