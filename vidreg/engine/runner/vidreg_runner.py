"""mmengine's Runner with atomic checkpoint writes and safe checkpoint loading."""
import os
import os.path as osp
import re
from typing import Optional

from mmengine.dist import master_only
from mmengine.model import is_model_wrapper
from mmengine.runner import Runner, find_latest_checkpoint

from vidreg.registry import RUNNERS
from vidreg.utils.checkpoint import allow_mmengine_checkpoint_types, load_checkpoint_file


@RUNNERS.register_module()
class VidregRunner(Runner):
    """Runner whose checkpoints are never left half-written.

    ``save_checkpoint`` writes ``<name>.tmp`` and renames it onto ``<name>`` only
    once the write has finished, so a kill mid-write keeps the previous
    checkpoint intact and ``last_checkpoint`` never points at a truncated file.
    Loading (``--resume``, ``load_from``) uses torch's ``weights_only`` mode with
    the allow-list of :func:`allow_mmengine_checkpoint_types`.

    ``init_weights()`` (which loads backbones' ``pretrained`` weights) runs only when
    training starts from scratch: not when resuming, nor when ``load_from`` names a
    checkpoint that holds every weight of the model (a fine-tuning checkpoint that lacks
    some keys still gets them from ``init_weights()``). mmengine's Runner calls it
    before every training run and then overwrites the weights with the checkpoint, so a
    missing pretrained file would stop a run that never uses it.
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

    def _init_model_weights(self) -> None:
        checkpoint = self._checkpoint_with_every_weight()
        if checkpoint is None:
            super()._init_model_weights()
        else:
            self.logger.info(f'init_weights() skipped (no pretrained file read): every weight '
                             f'comes from {checkpoint!r}.')

    def _checkpoint_with_every_weight(self) -> Optional[str]:
        """The checkpoint that load_or_resume() loads next, if it overwrites every weight."""
        if self._resume:  # this run's own checkpoint: same model, every weight
            return self._load_from or find_latest_checkpoint(self.work_dir)
        if self._load_from is None:
            return None
        checkpoint = load_checkpoint_file(self._load_from)
        state_dict = checkpoint.get('state_dict', checkpoint)
        keys = {re.sub(r'^module\.', '', key) for key in state_dict}  # as load_checkpoint
        model = self.model.module if is_model_wrapper(self.model) else self.model
        return self._load_from if keys.issuperset(model.state_dict()) else None
