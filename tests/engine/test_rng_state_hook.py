import random

import numpy as np
import torch

from vidreg.engine.hooks import RNGStateHook


def draws():
    return random.random(), float(np.random.rand()), float(torch.rand(1))


def test_state_saved_at_epoch_end_is_restored_after_validation_and_on_resume():
    hook = RNGStateHook()
    torch.manual_seed(0)
    hook.after_train_epoch(None)
    checkpoint = {}
    hook.before_save_checkpoint(None, checkpoint)
    draws()  # validation consumes random numbers
    hook.after_val_epoch(None)
    next_epoch = draws()
    resumed = RNGStateHook()
    torch.manual_seed(123)  # a fresh process
    resumed.after_load_checkpoint(None, checkpoint)
    assert draws() == next_epoch
