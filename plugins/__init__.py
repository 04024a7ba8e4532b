"""Plugins: packages under plugins/<name>/ that register components into vidreg.registry.

Loaded by name with `--plugin NAME` or a config's `custom_imports`; see docs/plugins.md.
"""
