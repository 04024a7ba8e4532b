"""Experiment scripts: measurements behind the figures in the docs, not user tools (README.md)."""
