"""mmengine's Runner with atomic checkpoint writes and safe checkpoint loading."""
import os
import os.path as osp

from mmengine.dist import master_only
from mmengine.runner import Runner

from vidreg.registry import RUNNERS
from vidreg.utils.checkpoint import allow_mmengine_checkpoint_types


@RUNNERS.register_module()
class VidregRunner(Runner):
    """Runner whose checkpoints are never left half-written.

    ``save_checkpoint`` writes ``<name>.tmp`` and renames it onto ``<name>`` only
    once the write has finished, so a kill mid-write keeps the previous
    checkpoint intact and ``last_checkpoint`` never points at a truncated file.
    Loading (``--resume``, ``load_from``) uses torch's ``weights_only`` mode with
    the allow-list of :func:`allow_mmengine_checkpoint_types`.
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
