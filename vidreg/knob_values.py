"""What a config knob's value must be, checked before the config runs.

A knob (a top-level ``NAME = <literal>`` of a config, see :mod:`vidreg.config`) is written
into every place that uses it, so a bad value would surface far away: ``lr=0.0.1`` (the
text ``'0.0.1'``) as ``TypeError: can't multiply sequence`` inside a schedule fragment,
``max_epochs=ten`` in mmengine's loop, ``num_frames=0`` in a frame sampler once the data
loads. Here each value is checked at once, with one line naming the knob and what it takes:

- its **type** follows the literal the config gives it (``lr = 0.001``: a number;
  ``max_epochs = 12``: an integer; ``tensorboard = True``: True or False; a tuple: a tuple;
  a string: text, where a number becomes its text, since ``--cfg-options data_root=2024``
  cannot be written as text otherwise). ``None`` is always accepted, except where a rule
  below says otherwise; a knob whose literal is ``None`` takes anything;
- the knobs the shipped configs share have a **range** (:data:`KNOB_RULES`), checked for the
  value of every config file too.
"""
import math
from typing import Any, Callable, Dict, NamedTuple, Optional

__all__ = ['KnobRule', 'KNOB_RULES', 'coerce_knob_value', 'knob_value_problem']


class KnobRule(NamedTuple):
    """The values a knob takes.

    Attributes:
        expects: What it takes, in words (``'an integer >= 1'``).
        accepts: Whether a (non-``None``) value is one of them.
        none_ok: Whether ``None`` is one of them.
    """

    expects: str
    accepts: Callable[[Any], bool]
    none_ok: bool = False


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _is_number(value: Any) -> bool:
    return (_is_int(value) or isinstance(value, float)) and math.isfinite(value)


def _count(least: int, none_ok: bool = False) -> KnobRule:
    return KnobRule(f'an integer >= {least}' + (' or None' if none_ok else ''),
                    lambda value: _is_int(value) and value >= least, none_ok)


def _positive_number() -> KnobRule:
    return KnobRule('a number > 0', lambda value: _is_number(value) and value > 0)


def _number_at_least(least: float) -> KnobRule:
    return KnobRule(f'a number >= {least:g}', lambda value: _is_number(value) and value >= least)


def _fraction() -> KnobRule:
    return KnobRule('a number in [0, 1)', lambda value: _is_number(value) and 0 <= value < 1)


def _probability() -> KnobRule:
    return KnobRule('a number in [0, 1]', lambda value: _is_number(value) and 0 <= value <= 1)


# Knobs with a range: the ones the shipped configs share. Others get only the type check.
KNOB_RULES: Dict[str, KnobRule] = {
    'num_frames': _count(1),
    'img_size': _count(1),
    'batch_size': _count(1),
    'max_epochs': _count(1),
    'num_classes': _count(1, none_ok=True),  # None: regression
    'num_workers': _count(0, none_ok=True),  # None: one per CPU core
    'frame_interval': _count(1),
    'num_fields': _count(1),
    'num_clips': _count(1),
    'num_val_clips': _count(1),
    'clip_stride': _count(1),
    'short_side': _count(1),
    'base_channels': _count(1),
    'fold': KnobRule('1, 2 or 3', lambda value: _is_int(value) and value in (1, 2, 3)),
    'lr': _positive_number(),
    'weight_decay': _number_at_least(0),
    'sample_fps': KnobRule('a number > 0 or None', _positive_number().accepts, none_ok=True),
    'flip_prob': _probability(),
    'temporal_dropout': _probability(),
    # the fine-tuning recipe (configs/_base_/schedules/adamw_finetune.py and its leaves)
    'warmup_epochs': _count(1),  # LinearLR needs a span; < max_epochs (cosine after it)
    'accumulative_counts': _count(1),
    'layer_decay': KnobRule('a number in (0, 1]',
                            lambda value: _is_number(value) and 0 < value <= 1),
    'ema_momentum': _fraction(),  # 0: no EMA
    'precision': KnobRule("'float32', 'bfloat16' or 'float16'",
                          lambda value: value in ('float32', 'bfloat16', 'float16')),
    'auto_augment': KnobRule("'rand', 'trivial' or 'none'",
                             lambda value: value in ('rand', 'trivial', 'none')),
    'random_erasing': _probability(),
    'mixup_alpha': _number_at_least(0),
    'cutmix_alpha': _number_at_least(0),
    'label_smoothing': _fraction(),
    'drop_path': _fraction(),
    'videos_per_class': KnobRule(
        'three integers >= 0 (train, val, test), e.g. (6,3,3)',
        lambda value: isinstance(value, (tuple, list)) and len(value) == 3
        and all(_is_int(n) and n >= 0 for n in value)),
}


def _type_expected(literal: Any) -> Optional[KnobRule]:
    """The rule that the type of a knob's literal in its config implies, or ``None``."""
    if isinstance(literal, bool):
        return KnobRule('True or False', lambda value: isinstance(value, bool), True)
    if _is_int(literal):
        return KnobRule('an integer', _is_int, True)
    if isinstance(literal, float):
        return KnobRule('a number', _is_number, True)
    if isinstance(literal, str):
        return KnobRule('text', lambda value: isinstance(value, str), True)
    if isinstance(literal, (tuple, list)):
        return KnobRule(f'a {type(literal).__name__} like {literal!r}',
                        lambda value: isinstance(value, (tuple, list)), True)
    return None


def _shown(value: Any) -> str:
    return f'the text {value!r}' if isinstance(value, str) else repr(value)


def knob_value_problem(name: str, value: Any, literal: Any = None) -> Optional[str]:
    """What is wrong with ``value`` for the knob ``name``, or ``None`` if it fits.

    Args:
        name: The knob.
        value: Its new value (as ``--cfg-options`` parsed it, or a config's literal).
        literal: The value a config gives it, whose type ``value`` must have; ``None``
            checks the range only.

    Returns:
        E.g. ``"lr expects a number > 0; got the text '0.0.1'"``.
    """
    for rule in (KNOB_RULES.get(name), _type_expected(literal)):
        if rule is None:
            continue
        fits = rule.none_ok if value is None else rule.accepts(value)
        if not fits:
            return f'{name} expects {rule.expects}; got {_shown(value)}'
    return None


def coerce_knob_value(value: Any, literal: Any) -> Any:
    """``value`` as the knob whose config literal is ``literal`` takes it: a number given to
    a text knob becomes its text (``data_root=2024``); anything else is returned as is."""
    if isinstance(literal, str) and _is_number(value):
        return str(value)
    return value
