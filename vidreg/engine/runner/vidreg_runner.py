"""mmengine's Runner with atomic checkpoint writes and safe checkpoint loading."""
import os
import os.path as osp
from typing import Optional, Union

from mmengine.dist import master_only
from mmengine.logging import print_log
from mmengine.runner import Runner
from torch.utils.data import DataLoader

from vidreg.registry import RUNNERS
from vidreg.utils.checkpoint import allow_mmengine_checkpoint_types


def default_num_workers(cap: int = 4) -> int:
    """DataLoader workers for this machine: one per CPU core available to the process, at most
    ``cap`` (more workers than cores makes torch warn every epoch and slows loading down)."""
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        cores = os.cpu_count() or 1
    return max(1, min(cap, cores))


@RUNNERS.register_module()
class VidregRunner(Runner):
    """Runner whose checkpoints are never left half-written.

    ``save_checkpoint`` writes ``<name>.tmp`` and renames it onto ``<name>`` only
    once the write has finished, so a kill mid-write keeps the previous
    checkpoint intact and ``last_checkpoint`` never points at a truncated file.
    Loading (``--resume``, ``load_from``) uses torch's ``weights_only`` mode with
    the allow-list of :func:`allow_mmengine_checkpoint_types`.

    A dataloader with ``num_workers=None`` (the dataset fragments' default) gets
    :func:`default_num_workers`.
    """

    def load_or_resume(self) -> None:
        allow_mmengine_checkpoint_types()
        super().load_or_resume()

    @master_only
    def save_checkpoint(self, out_dir: str, filename: str, *args, **kwargs) -> None:  # noqa: D102
        tmp_name = f'{filename}.tmp'
        super().save_checkpoint(out_dir, tmp_name, *args, **kwargs)
        tmp_path, final_path = osp.join(out_dir, tmp_name), osp.join(out_dir, filename)
        if osp.exists(tmp_path):
            os.replace(tmp_path, final_path)

    @staticmethod
    def build_dataloader(dataloader: Union[DataLoader, dict], seed: Optional[int] = None,
                         diff_rank_seed: bool = False) -> DataLoader:  # noqa: D102
        if isinstance(dataloader, dict) and 'num_workers' in dataloader \
                and dataloader['num_workers'] is None:
            workers = default_num_workers()
            print_log(f'num_workers=None: {workers} DataLoader workers (one per CPU core '
                      f'available, at most 4).', logger='current')
            dataloader = {**dataloader, 'num_workers': workers}
        return Runner.build_dataloader(dataloader, seed=seed, diff_rank_seed=diff_rank_seed)
