"""Build a pipeline and plan how DecodeFrames lays out its frames for the steps after it."""
from typing import Callable, Iterable, Sequence, Union

from mmengine.dataset import Compose
from mmengine.logging import print_log

from .decode_frames import DecodeFrames
from .pack_video_inputs import FRAMES_KEY


def build_pipeline(steps: Sequence[Union[dict, Callable]]) -> Compose:
    """Build ``steps`` (configs or callables) into a ``Compose``, frame layout planned."""
    pipeline = Compose(list(steps))
    plan_frame_layout(pipeline.transforms)
    return pipeline


def plan_frame_layout(transforms: Iterable) -> None:
    """Turn on each :class:`DecodeFrames`' sharing of repeated frames where that is safe.

    ``DecodeFrames`` lays its frames out as whole clips unless planned. A step
    after it sees the distinct frames plus ``frame_map``
    only if it declares ``accepts_frame_map = True``: it treats every frame
    alike (resize, crop, flip, colour) or applies ``frame_map`` itself
    (multi-crop, :class:`PackVideoInputs`). A step that does not declare it,
    e.g. a plugin's temporal transform, gets whole clips, ``(N, C, H, W)``,
    so it can never see the frames in the wrong layout.

    Only a ``DecodeFrames`` that writes ``imgs`` shares (``frame_map`` describes ``imgs``);
    one that decodes another modality (``out_key='flow'``) always lays its frames out.

    Args:
        transforms: A pipeline's built steps, in order (``Compose.transforms``).
    """
    steps = list(transforms)
    for position, step in enumerate(steps):
        if not isinstance(step, DecodeFrames) or step.out_key != FRAMES_KEY:
            continue
        unaware = [type(later).__name__ for later in steps[position + 1:]
                   if not getattr(later, 'accepts_frame_map', False)]
        step.share_repeated_frames = not unaware
        if unaware:
            print_log(f'DecodeFrames: decoded frames are laid out as whole clips (repeated frames '
                      f'copied) because {", ".join(unaware)} does not declare '
                      f'accepts_frame_map = True.', logger='current')
