"""A pipeline: its steps built from configs, run in order, the frame layout planned."""
from typing import Callable, Iterable, List, Optional, Sequence, Union

from mmengine.logging import print_log

from vidreg.registry import TRANSFORMS

from .decode_frames import DecodeFrames
from .frame_sampler import FrameSampler
from .modality import Modalities
from .pack_video_inputs import FRAMES_KEY

__all__ = ['Compose', 'plan_frame_layout']

Step = Callable[[dict], Optional[dict]]


class Compose:
    """The steps of a data pipeline, run on one sample's ``results`` in order.

    Every dataset, the inference pipeline and the torch-free deployment runner build
    their pipeline with this class, so they run the same steps. Building plans the
    frame layout (:func:`plan_frame_layout`) and folds the steps' declarations of what
    each key carries (:meth:`modalities`).

    Args:
        steps: Step configs (``dict(type='Resize', ...)``, built from ``TRANSFORMS``) or
            callables (built steps, plain functions).

    Raises:
        TypeError: A step is neither a config nor callable.
        ValueError: The pipeline has more than one frame sampler.
    """

    def __init__(self, steps: Sequence[Union[dict, Step]]) -> None:
        self.steps: List[Step] = []
        for step in steps:
            if isinstance(step, dict):
                step = TRANSFORMS.build(step)
            if not callable(step):
                raise TypeError(f'A pipeline step must be a config dict or callable, got '
                                f'{type(step).__name__}: {step!r}')
            self.steps.append(step)
        samplers = [step for step in self.steps if isinstance(step, FrameSampler)]
        if len(samplers) > 1:
            raise ValueError(f'A pipeline has one frame sampler; this one has {samplers}: keep '
                             f'the one that picks the clips.')
        self._sampler = samplers[0] if samplers else None
        plan_frame_layout(self.steps)
        self._modalities: Modalities = {}
        for step in self.steps:  # a plain function declares nothing
            declare = getattr(step, 'modalities', None)
            if callable(declare):
                self._modalities = dict(declare(dict(self._modalities)))

    def sampler(self) -> Optional[FrameSampler]:
        """The pipeline's frame sampler (the step that picks the clips), if it has one."""
        return self._sampler

    def modalities(self) -> Modalities:
        """What the output's keys carry (after ``PackVideoInputs``: the packed modalities),
        as the steps declare it (:meth:`PipelineStep.modalities`)."""
        return dict(self._modalities)

    def __call__(self, results: dict) -> Optional[dict]:
        """Run every step; a step that returns ``None`` drops the sample (``None``)."""
        for step in self.steps:
            results = step(results)
            if results is None:
                return None
        return results

    def __repr__(self) -> str:
        lines = ''.join(f'    {step!r}\n' for step in self.steps)
        return f'{type(self).__name__}(\n{lines})'


def plan_frame_layout(steps: Iterable[Step]) -> None:
    """Turn on each :class:`DecodeFrames`' sharing of repeated frames where that is safe.

    ``DecodeFrames`` lays its frames out as whole clips unless planned. A step
    after it sees the distinct frames plus ``frame_map``
    only if it declares ``accepts_frame_map = True``: it treats every frame
    alike (resize, crop, flip, colour) or applies ``frame_map`` itself
    (multi-crop, :class:`PackVideoInputs`). A step that does not declare it,
    e.g. a plugin's temporal step, gets whole clips, ``(N, C, H, W)``,
    so it can never see the frames in the wrong layout.

    Only a ``DecodeFrames`` that writes ``imgs`` shares (``frame_map`` describes ``imgs``);
    one that decodes another modality (``out_key='flow'``) always lays its frames out.

    Args:
        steps: A pipeline's built steps, in order (``Compose.steps``).
    """
    steps = list(steps)
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
