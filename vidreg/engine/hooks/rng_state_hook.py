"""Save and restore the random-number generators, so a resumed run continues exactly."""
import random
from typing import Optional

import numpy as np
import torch
from mmengine.hooks import Hook

from vidreg.registry import HOOKS


def get_rng_state() -> dict:
    """The states of Python's, numpy's and torch's (CPU and CUDA) global RNGs."""
    state = dict(python=random.getstate(), numpy=np.random.get_state(),
                 torch=torch.get_rng_state())
    if torch.cuda.is_available():
        state['cuda'] = torch.cuda.get_rng_state_all()
    return state


def set_rng_state(state: dict) -> None:
    random.setstate(state['python'])
    np.random.set_state(state['numpy'])
    torch.set_rng_state(state['torch'])
    if 'cuda' in state and torch.cuda.is_available() \
            and len(state['cuda']) == torch.cuda.device_count():
        torch.cuda.set_rng_state_all(state['cuda'])


@HOOKS.register_module()
class RNGStateHook(Hook):
    """Keeps training randomness (dropout, data-loader seeds) identical across a resume.

    mmengine checkpoints hold no RNG state, so a resumed run draws different dropout
    masks than the uninterrupted run would have. This hook stores the state reached
    at the end of each training epoch in the checkpoint and restores it on resume.
    Validation also consumes random numbers (creating its data-loader iterator); the
    state is put back after validation, so validating never changes training.
    """

    priority = 'VERY_HIGH'

    def __init__(self) -> None:
        self._state: Optional[dict] = None

    def after_train_epoch(self, runner) -> None:
        self._state = get_rng_state()

    def after_val_epoch(self, runner, metrics=None) -> None:
        if self._state is not None:
            set_rng_state(self._state)

    def before_save_checkpoint(self, runner, checkpoint: dict) -> None:
        checkpoint['rng_state'] = self._state if self._state is not None else get_rng_state()

    def after_load_checkpoint(self, runner, checkpoint: dict) -> None:
        if 'rng_state' in checkpoint:
            self._state = checkpoint['rng_state']
            set_rng_state(self._state)
