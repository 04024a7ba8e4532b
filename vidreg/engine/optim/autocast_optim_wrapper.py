"""Mixed precision on the CPU or a GPU: mmengine's AmpOptimWrapper, also for bf16 on the CPU."""
import contextlib
from typing import Iterator, Literal

import torch
from mmengine.device import get_device
from mmengine.optim import AmpOptimWrapper, OptimWrapper
from torch import nn

from vidreg.registry import OPTIM_WRAPPERS


@OPTIM_WRAPPERS.register_module()
class AutocastOptimWrapper(AmpOptimWrapper):
    """``OptimWrapper`` whose forward passes run under ``torch.autocast`` in ``dtype``.

    mmengine's ``AmpOptimWrapper`` refuses a machine without an accelerator, although its
    ``autocast`` runs bf16 on the CPU. This wrapper keeps its steps, clipping, gradient
    accumulation and checkpointed loss scaler, and takes the precision as a knob:

    - ``'float32'``: no autocast (a plain ``OptimWrapper``);
    - ``'bfloat16'``: autocast to bf16 on the CPU or a GPU, no loss scaling (bf16 has
      float32's range);
    - ``'float16'``: autocast to fp16 with a dynamic loss scale (GPU only).

    Weights, gradients and optimizer states stay float32.

    Args:
        dtype: The autocast precision.
        **kwargs: :class:`mmengine.optim.OptimWrapper`'s arguments (``optimizer``,
            ``accumulative_counts``, ``clip_grad``).

    Raises:
        ValueError: An unknown ``dtype``, or ``'float16'`` without a GPU.
    """

    def __init__(self, *, dtype: Literal['float32', 'bfloat16', 'float16'] = 'bfloat16',
                 **kwargs) -> None:
        OptimWrapper.__init__(self, **kwargs)  # AmpOptimWrapper's own checks the device
        device = get_device()
        if dtype not in ('float32', 'bfloat16', 'float16'):
            raise ValueError(f"AutocastOptimWrapper: dtype must be 'float32', 'bfloat16' or "
                             f"'float16', got {dtype!r}.")
        if dtype == 'float16' and device == 'cpu':
            raise ValueError("AutocastOptimWrapper: dtype='float16' needs a GPU; on the CPU use "
                             "'bfloat16' (or 'float32').")
        self.dtype = dtype
        self.cast_dtype = getattr(torch, dtype)
        self._scale_update_param = None
        # a disabled scaler passes losses and steps through unchanged (and stores nothing)
        self.loss_scaler = torch.amp.GradScaler(device, enabled=dtype == 'float16')

    @contextlib.contextmanager
    def optim_context(self, model: nn.Module) -> Iterator[None]:
        """Gradient accumulation's context, and autocast unless ``dtype`` is float32."""
        if self.dtype == 'float32':
            with OptimWrapper.optim_context(self, model):
                yield
        else:
            with super().optim_context(model):
                yield
