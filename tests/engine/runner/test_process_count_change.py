"""A run resumed with another number of processes goes on at the same point of its schedule."""
import math
from types import SimpleNamespace

import pytest
import torch
from mmengine.optim import CosineAnnealingLR, ReduceOnPlateauLR

from vidreg.engine.runner.process_count_change import map_resumed_position


def resumed_run(world_size, iters_per_epoch, last_step):
    """What a resumed run holds once mmengine loaded the checkpoint: the train loop, its
    loader (``iters_per_epoch`` batches) and schedulers with the old run's state."""
    optimizer = torch.optim.SGD([torch.nn.Parameter(torch.zeros(1))], lr=1.0)
    total = 10 * iters_per_epoch  # 10 epochs of this run, by iteration
    cosine = CosineAnnealingLR(optimizer, T_max=total, by_epoch=False)
    for group in optimizer.param_groups:  # the lr the checkpoint restored
        group['lr'] = 0.5 * (1 + math.cos(math.pi * 0.2))  # 2 of 10 epochs done
    cosine.last_step = last_step
    plateau = ReduceOnPlateauLR(optimizer, monitor='loss', by_epoch=True)
    plateau.last_step = 2
    return SimpleNamespace(world_size=world_size, train_dataloader=range(iters_per_epoch),
                           train_loop=SimpleNamespace(_iter=last_step),
                           param_schedulers=[cosine, plateau]), optimizer


def test_one_process_to_two_keeps_the_schedule_and_says_how():
    # Epoch 2 of a 1-process run of 8 iterations per epoch, resumed on 2 (4 per epoch).
    runner, optimizer = resumed_run(2, 4, last_step=16)
    message = map_resumed_position(runner, dict(epoch=2, iter=16, world_size=1,
                                                iters_per_epoch=8))
    assert message.startswith('written by 1 process, resumed with 2: epoch 3 starts at '
                              'position 0 of its sample order')
    assert '4 iterations per epoch instead of 8' in message and 'iteration 16 is now 8' in message
    cosine, plateau = runner.param_schedulers
    assert runner.train_loop._iter == 8 and cosine.last_step == 8 and plateau.last_step == 2
    optimizer.step()
    cosine.step()  # the next lr is that of step 9 of 40: 2.25 of 10 epochs
    assert optimizer.param_groups[0]['lr'] == pytest.approx(0.5 * (1 + math.cos(math.pi * 0.225)))


def test_the_same_processes_or_an_epoch_zero_checkpoint_change_nothing():
    runner, _ = resumed_run(2, 4, last_step=8)
    assert map_resumed_position(runner, dict(epoch=2, iter=8, world_size=2,
                                             iters_per_epoch=4)) is None
    assert map_resumed_position(runner, dict(epoch=0, iter=0)) is None
    assert runner.train_loop._iter == 8 and runner.param_schedulers[0].last_step == 8


def test_a_checkpoint_without_the_record_is_mapped_from_its_iterations_per_epoch():
    runner, _ = resumed_run(2, 4, last_step=16)
    message = map_resumed_position(runner, dict(epoch=2, iter=16))
    assert message.startswith('resumed with 2 processes: epoch 3 starts at position 0')
    assert runner.train_loop._iter == 8
