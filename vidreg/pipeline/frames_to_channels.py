"""Stack the frames of each clip as channels (Simonyan's 2L-channel flow input)."""
from typing import Sequence

from vidreg.registry import TRANSFORMS

from ._clips import clip_frames
from ._spatial import check_keys
from .modality import Modalities
from .step import PipelineStep


@TRANSFORMS.register_module()
class FramesToChannels(PipelineStep):
    """``(V * T, C, H, W)`` -> ``(V, T * C, H, W)`` for each key: one stacked image per view.

    For flow fields (C = 2, x then y) the channels become ``x_1, y_1, x_2, y_2, ...``
    (Simonyan & Zisserman 2014), read by a 2D backbone with ``in_channels=2 * T``. Run
    it after every spatial transform (``Flip`` negates x of ``(N, 2, H, W)`` flow keys
    only). ``PackVideoInputs`` then packs the key with T = 1.

    Required keys: ``keys``, ``num_clips``, ``num_crops`` (optional).

    Modified keys: ``keys``; ``frame_map`` is removed when ``imgs`` is among them.

    Args:
        keys: The frame arrays to stack (``imgs`` too, e.g. flow read by ``FlowFolderReader``).
    """

    accepts_frame_map = True  # frame_map describes imgs, which clip_frames applies

    def __init__(self, keys: Sequence[str] = ('flow',)) -> None:
        self.keys = check_keys(keys)

    def transform(self, results: dict) -> dict:
        for key in self.keys:
            clips = clip_frames(results, key, type(self).__name__)  # (V, T, C, H, W)
            results[key] = clips.reshape(clips.shape[0], -1, *clips.shape[-2:])  # (V, T*C, H, W)
            if key == 'imgs':  # frame_map (which describes imgs) is applied
                results.pop('frame_map', None)
        return results

    def modalities(self, specs: Modalities) -> Modalities:
        """Each key: T frames of C channels become 1 frame of T * C (statistics repeated)."""
        for key in self.keys:
            if key in specs:
                try:
                    specs[key] = specs[key].stacked()
                except ValueError as error:
                    raise ValueError(f'FramesToChannels(keys={self.keys}): {key!r}: {error}.') \
                        from None
        return specs
