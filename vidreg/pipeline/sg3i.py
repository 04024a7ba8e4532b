"""Stacked grayscale 3-channel image (SG3I): three frames of a clip as one RGB-shaped image."""
from vidreg.registry import TRANSFORMS

from ._clips import clip_frames
from .grayscale import luma
from .modality import SG3I_IMAGES, Modalities
from .step import PipelineStep


@TRANSFORMS.register_module()
class SG3I(PipelineStep):
    """Turn each clip of three RGB frames into one image whose channels are their grays.

    Kim & Won (IEEE Access 2020), the temporal input of seed 004: frames
    ``t, t + s, t + 2s`` become luma (ITU-R 601-2 on RGB: ``0.299 R + 0.587 G +
    0.114 B``; the seed applied OpenCV's BGR weights to RGB frames) stacked as
    channels ``[t, t + s, t + 2s]``, so a pretrained RGB network reads motion as
    colour. The spacing ``s`` is the sampler's: ``SampleFrames(num_frames=3,
    frame_interval=s)`` for s frames, ``FPSSampleFrames(fps=1 / s_seconds, num_frames=3)``
    for a spacing in seconds.

    Required keys: ``key`` (uint8 ``(V * 3, 3, H, W)``, RGB), ``num_clips``,
    ``num_crops`` (optional), ``frame_map`` (optional, applied).

    Added keys: ``out_key`` (uint8 ``(V, 3, H, W)``: one image per view, so it packs
    with T = 1).

    Args:
        key: The RGB frames to read.
        out_key: Where the SG3I images go (``imgs`` itself may be replaced only if no
            later step needs the RGB frames).
    """

    accepts_frame_map = True  # applies frame_map itself

    def __init__(self, key: str = 'imgs', out_key: str = 'sg3i') -> None:
        self.key, self.out_key = key, out_key

    def transform(self, results: dict) -> dict:
        clips = clip_frames(results, self.key, type(self).__name__)  # (V, T, 3, H, W)
        if clips.shape[1] != 3 or clips.shape[2] != 3:
            raise ValueError(f'SG3I needs clips of 3 RGB frames, got (V, T, C, H, W) = '
                             f'{tuple(clips.shape)} for {results.get("filename")!r}; sample '
                             f'with num_frames=3.')
        gray = luma(clips.reshape(-1, *clips.shape[2:]))  # (V * 3, 1, H, W)
        images = gray.reshape(clips.shape[0], 3, *clips.shape[-2:])  # (V, 3, H, W)
        if self.out_key == 'imgs':
            results.pop('frame_map', None)
        results[self.out_key] = images
        return results

    def modalities(self, specs: Modalities) -> Modalities:
        """``out_key``: one SG3I image (3 lumas) per view, T = 1."""
        specs[self.out_key] = SG3I_IMAGES
        return specs
