"""VidregRunner's data loader workers end with the main process and keep mmengine's seeding."""
import os
import threading

import torch
from torch.utils.data import Dataset

from vidreg.engine.runner.vidreg_runner import VidregRunner


class WorkerState(Dataset):
    """Item ``i``: (worker pid, its parent watch is running, its torch seed)."""

    def __len__(self) -> int:
        return 4

    def __getitem__(self, index: int) -> tuple:
        watching = any(t.name == 'vidreg-parent-watch' for t in threading.enumerate())
        return os.getpid(), watching, torch.initial_seed()


def test_workers_watch_the_main_process_and_are_seeded_as_by_mmengine():
    loader = VidregRunner.build_dataloader(
        dict(dataset=WorkerState(), sampler=dict(type='DefaultSampler', shuffle=False),
             batch_size=1, num_workers=2, collate_fn=dict(type='pseudo_collate')), seed=7)
    seen = {(pid[0], watching[0], seed[0]) for pid, watching, seed in loader}  # batches of 1
    # mmengine's worker_init_fn seeds worker i with seed + i (rank 0).
    assert {(watching, seed) for _, watching, seed in seen} == {(True, 7), (True, 8)}
    assert os.getpid() not in {pid for pid, _, _ in seen}
