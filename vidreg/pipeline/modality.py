"""What a key of a sample carries: the facts the data hands to the model (detectron2's ShapeSpec).

Every step that makes or changes a modality declares it in
:meth:`~vidreg.pipeline.PipelineStep.modalities`; :class:`~vidreg.pipeline.Compose` folds the
declarations over the pipeline, and the model is built from the result
(:func:`vidreg.models.build_model`): a backbone's ``in_channels``, the normalisation of
``VideoDataPreprocessor``. No config repeats them.
"""
from dataclasses import asdict, dataclass, field, replace
from typing import Dict, Optional, Tuple

__all__ = ['ModalitySpec', 'Modalities', 'IMAGENET_MEAN', 'IMAGENET_STD', 'RGB_FRAMES',
           'GRAY_FRAMES', 'FLOW_FIELDS', 'SG3I_IMAGES', 'frame_indices']

IMAGENET_MEAN = (123.675, 116.28, 103.53)
IMAGENET_STD = (58.395, 57.12, 57.375)
# The luma of ImageNet's statistics (0.299 R + 0.587 G + 0.114 B), rounded.
LUMA_MEAN, LUMA_STD = 117.0, 57.4


@dataclass(frozen=True)
class ModalitySpec:
    """What the frames under one key of a sample are.

    Attributes:
        kind: What the values are: ``'rgb'`` (colour frames), ``'gray'`` (luma),
            ``'flow'`` (optical flow fields, x and y per field, stored about 127.5, see
            :mod:`vidreg.pipeline.flow`), ``'sg3i'`` (three lumas as channels), or a plugin's
            kind. Steps act on it (``Flip`` negates x of ``'flow'`` keys). ``'indices'``
            marks a key of frame indices (a sampler's output), which tracks T only.
        channels: C of the packed frames ``(V, T, C, H, W)``.
        frames: T, when the pipeline fixes it (the sampler's ``num_frames``; ``None``
            otherwise).
        mean: Per-channel mean in 0-255 units, C values.
        std: Per-channel standard deviation in 0-255 units, C values.
    """

    kind: str
    channels: int
    frames: Optional[int] = None
    mean: Tuple[float, ...] = field(default=())
    std: Tuple[float, ...] = field(default=())

    def __post_init__(self) -> None:
        object.__setattr__(self, 'mean', tuple(float(v) for v in self.mean))
        object.__setattr__(self, 'std', tuple(float(v) for v in self.std))
        if not (isinstance(self.kind, str) and self.kind):
            raise ValueError(f'ModalitySpec kind must be a non-empty string, got {self.kind!r}')
        if self.kind != 'indices' and not (len(self.mean) == len(self.std) == self.channels > 0):
            raise ValueError(f'ModalitySpec({self.kind!r}): {self.channels} channels need as many '
                             f'mean and std values, got mean={self.mean}, std={self.std}')
        if any(value <= 0 for value in self.std):
            raise ValueError(f'ModalitySpec({self.kind!r}): std must be > 0, got {self.std}')
        if self.frames is not None and self.frames < 1:
            raise ValueError(f'ModalitySpec({self.kind!r}): frames must be >= 1, got '
                             f'{self.frames}')

    def with_frames(self, frames: Optional[int]) -> 'ModalitySpec':
        """The same modality with T = ``frames``."""
        return replace(self, frames=frames)

    def stacked(self) -> 'ModalitySpec':
        """T frames of C channels as one frame of T * C channels (``FramesToChannels``).

        Raises:
            ValueError: T is not known.
        """
        if self.frames is None:
            raise ValueError(f'the number of {self.kind} frames is not known, so their '
                             f'channels cannot be counted; put a frame sampler before')
        return ModalitySpec(self.kind, self.channels * self.frames, 1,
                            self.mean * self.frames, self.std * self.frames)

    def matches(self, other: 'ModalitySpec') -> bool:
        """Whether a model built for ``self`` reads ``other`` alike (all but T agree)."""
        return replace(self, frames=None) == replace(other, frames=None)

    def to_dict(self) -> dict:
        """A plain dict (JSON-ready); ``ModalitySpec(**spec.to_dict())`` rebuilds it."""
        return asdict(self)


#: Key of a sample -> what it carries, as the steps declare it.
Modalities = Dict[str, ModalitySpec]

RGB_FRAMES = ModalitySpec('rgb', 3, mean=IMAGENET_MEAN, std=IMAGENET_STD)
GRAY_FRAMES = ModalitySpec('gray', 1, mean=(LUMA_MEAN,), std=(LUMA_STD,))
SG3I_IMAGES = ModalitySpec('sg3i', 3, frames=1, mean=(LUMA_MEAN,) * 3, std=(LUMA_STD,) * 3)
FLOW_FIELDS = ModalitySpec('flow', 2, mean=(127.5, 127.5), std=(127.5, 127.5))  # 127.5: no motion


def frame_indices(frames: Optional[int]) -> ModalitySpec:
    """The spec of a key of frame indices: T = ``frames`` (what a decoder then reads)."""
    return ModalitySpec('indices', 0, frames)

