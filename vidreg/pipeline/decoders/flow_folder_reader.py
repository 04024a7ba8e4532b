"""Reader for a folder of flow images (``x_00001.jpg``/``y_00001.jpg``, denseflow's, ...)."""
from typing import Optional

import cv2
import numpy as np

from vidreg.registry import VIDEO_DECODERS

from ..modality import FLOW_FIELDS
from .base_video_reader import BaseVideoReader, PathLike, VideoReadError
from .frame_folder_reader import FrameFolderReader
from .frame_listing import cached_frame_names


@VIDEO_DECODERS.register_module()
class FlowFolderReader(FrameFolderReader):
    """Read precomputed optical flow stored as pairs of gray images, one pair per frame pair.

    Frame ``i`` is flow field ``i`` (from video frame ``i`` to ``i + 1``): the ``i``-th
    ``x_``/``flow_x_`` image and the ``i``-th ``y_``/``flow_y_`` image in numeric order
    (MMAction2's rawframes, denseflow's output, ``tools/extract_flow.py``), returned as
    uint8 ``(N, H, W, 2)`` (x, y) levels of ``vidreg/pipeline/flow.py`` instead of
    RGB (its ``modality`` is ``FLOW``). ``OpenVideo(reader=dict(type='FlowFolderReader'))``
    then ``DecodeFrames`` give ``imgs`` ``(N, 2, H, W)`` flow fields: a flow stream trained
    on its own (``Flip`` negates their x, ``FramesToChannels(keys=('imgs',))`` stacks them). Beside
    the RGB video of the same sample (joint two-stream training), open it with
    ``OpenVideo(..., video_root=, mirror_root=, reader_key='flow_reader')`` and choose the
    fields with :class:`~vidreg.pipeline.SampleFlowFields`. A clip of T
    consecutive fields (``frame_interval=1``) is what ``OpticalFlow`` computes from T + 1
    consecutive frames, at the size the images were extracted at.

    Args:
        path: The folder of flow images.
        fps: Frame rate the flow was extracted at, if known (for :class:`FPSSampleFrames`).
    """

    modality = FLOW_FIELDS

    def __init__(self, path: PathLike, *, fps: Optional[float] = None) -> None:
        BaseVideoReader.__init__(self, path)
        self._files = cached_frame_names(self.path, None, 'flow_x')
        self._y_files = cached_frame_names(self.path, None, 'flow_y')
        if len(self._files) != len(self._y_files):
            raise VideoReadError(self.path, f'it holds {len(self._files)} x flow images but '
                                 f'{len(self._y_files)} y ones',
                                 hint='Re-extract the flow of this video.')
        self.total_frames = len(self._files)
        self.fps = fps
        self.min_short_side = None
        self._flag = cv2.IMREAD_GRAYSCALE

    def _imread(self, index: int) -> np.ndarray:
        """Flow field ``index`` as uint8 ``(H, W, 2)`` (x, y)."""
        x = self._decode_file(self._files[index], cv2.IMREAD_GRAYSCALE)
        y = self._decode_file(self._y_files[index], cv2.IMREAD_GRAYSCALE)
        if x.shape != y.shape:
            raise VideoReadError(self.path, f'flow images {self._files[index]} {x.shape} and '
                                 f'{self._y_files[index]} {y.shape} differ in size',
                                 hint='Re-extract the flow of this video.')
        return self._finish(np.stack([x, y], axis=-1))
