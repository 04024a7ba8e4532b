"""mmengine's Runner with atomic, checksummed checkpoints and safe, strict checkpoint loading."""
import os.path as osp
from typing import Optional

import torch
from mmengine.dist import master_only
from mmengine.model import is_model_wrapper
from mmengine.runner import Runner
from torch.utils.data import DataLoader

from vidreg.registry import RUNNERS
from vidreg.utils.atomic_write import atomic_path
from vidreg.utils.checkpoint import (
    CHECKSUM_KEY,
    CheckpointError,
    allow_mmengine_checkpoint_types,
    compare_state_dicts,
    state_dict_checksum,
    use_safe_loader_for_mmengine,
)


@RUNNERS.register_module()
class VidregRunner(Runner):
    """Runner whose checkpoints are never half-written, wrong or unsafe to load.

    - ``save_checkpoint`` writes through :func:`vidreg.utils.atomic_path` (a temporary
      sibling, then a rename; removed on failure, a full disk named in one line), so a
      kill mid-write keeps the previous checkpoint intact and ``last_checkpoint`` never
      points at a truncated file. Each checkpoint stores the sha256 of its state dict
      (``state_dict_sha256``), checked whenever it is loaded.
    - Every load (``--resume``, ``load_from``, ``tools/test.py``) goes through
      :func:`vidreg.utils.load_checkpoint_file` (``weights_only=True`` whatever the
      environment says).
    - Loaded weights must fit the model exactly: a missing, unexpected or differently
      shaped tensor stops the run with the keys named, before the optimizer state is
      touched. The config key ``partial_load = True`` lets ``load_from`` (fine-tuning,
      testing) load the tensors that fit and log the rest; resuming is always exact.
    - Data loaders draw their workers' base seed from a generator of their own, not from
      the global torch RNG: a persistent-worker loader draws it once per run and a
      fresh one once per epoch, and either way the training RNG (dropout) must not
      depend on when the loader was created (exact resume with persistent workers).
    """

    _resuming = False
    _loading: Optional[str] = None

    @staticmethod
    def build_dataloader(dataloader, seed: Optional[int] = None,
                         diff_rank_seed: bool = False) -> DataLoader:  # noqa: D102
        loader = Runner.build_dataloader(dataloader, seed=seed, diff_rank_seed=diff_rank_seed)
        if isinstance(loader, DataLoader) and loader.generator is None:
            loader.generator = torch.Generator().manual_seed(seed if seed is not None else 0)
        return loader

    def load_or_resume(self) -> None:  # noqa: D102
        allow_mmengine_checkpoint_types()
        use_safe_loader_for_mmengine()
        super().load_or_resume()

    def resume(self, filename: str, *args, **kwargs) -> None:  # noqa: D102
        self._resuming = True
        try:
            super().resume(filename, *args, **kwargs)
        finally:
            self._resuming = False

    def load_checkpoint(self, filename: str, *args, **kwargs) -> dict:  # noqa: D102
        self._loading = filename
        try:
            return super().load_checkpoint(filename, *args, **kwargs)
        finally:
            self._loading = None

    def call_hook(self, fn_name: str, **kwargs) -> None:
        """Run the hooks; then check loaded weights or stamp the checksum on saved ones."""
        super().call_hook(fn_name, **kwargs)
        if fn_name == 'after_load_checkpoint':
            self._check_loaded_weights(kwargs['checkpoint'])
        elif fn_name == 'before_save_checkpoint':
            checkpoint = kwargs['checkpoint']
            checkpoint[CHECKSUM_KEY] = state_dict_checksum(checkpoint['state_dict'])

    def _check_loaded_weights(self, checkpoint: dict) -> None:
        partial = bool(self.cfg.get('partial_load', False)) and not self._resuming
        if partial:
            return
        state_dict = checkpoint.get('state_dict', checkpoint)
        if state_dict and all(k.startswith('module.') for k in state_dict):
            state_dict = {k[len('module.'):]: v for k, v in state_dict.items()}
        model = self.model.module if is_model_wrapper(self.model) else self.model
        differences = compare_state_dicts(model.state_dict(), state_dict)
        if differences:
            what = 'resumed from' if self._resuming else 'loaded'
            raise CheckpointError(
                f'The checkpoint {what} ({self._loading!r}) does not fit the model of this config '
                f'({type(model).__name__}): {differences.describe()}. Use the config it was '
                f'trained with' + ('.' if self._resuming else
                                   ', or set partial_load=True (--cfg-options partial_load=True) '
                                   'to load only the tensors that fit, e.g. to fine-tune.'))

    @master_only
    def save_checkpoint(self, out_dir: str, filename: str, *args, **kwargs) -> None:  # noqa: D102
        with atomic_path(osp.join(out_dir, filename)) as tmp:
            super().save_checkpoint(out_dir, osp.basename(tmp), *args, **kwargs)
