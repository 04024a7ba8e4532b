"""The base of the frame samplers: the one step that picks a sample's clips."""
from typing import Optional

import numpy as np

from .frame_indices import total_frames_of, write_frame_indices
from .modality import Modalities, frame_indices
from .step import PipelineStep

__all__ = ['FrameSampler']


class FrameSampler(PipelineStep):
    """The step that chooses the frames of a sample's clips (PyTorchVideo's clip sampler).

    Every pipeline that decodes a video has exactly one. Given a video's header (its
    ``total_frames`` and frame rate) it says how many samples the video yields
    (:meth:`num_samples`) and, for one of them, the frames of its clips
    (:meth:`clip_indices`). The usual samplers yield one sample per video, whose
    ``num_clips`` clips are its views. A sampler whose samples depend on the header
    (:attr:`needs_header`, e.g. :class:`EveryClipSampleFrames`: every clip of a video is
    a sample) makes a dataset read every video's header when it is built and list each
    sample as its own row, with a ``clip_index``; given a whole video without one
    (inference), the sampler returns all its samples' clips as the views of one.

    A subclass implements :meth:`clip_indices` (from the public helpers of
    :mod:`vidreg.pipeline.frame_indices`; numpy's RNG in training, nothing random in test
    mode) and keeps T in the attribute ``num_frames``, which it declares
    (:meth:`modalities`), so the steps after it know T (``FramesToChannels`` counts the
    channels of a stack of T flow fields).

    Required keys: ``total_frames``, ``avg_fps`` (when the sampler needs the rate),
    ``test_mode`` (optional), ``clip_index`` (optional: a dataset row of one sample).

    Added keys: ``frame_inds`` (int64 ``(num_clips * num_frames,)``, clip-major),
    ``num_clips``, ``num_frames``.
    """

    num_frames: int
    #: Whether the samples a video yields depend on its header (length, frame rate).
    needs_header = False

    def num_samples(self, total_frames: int, fps: Optional[float]) -> int:
        """How many samples (dataset rows) a video of ``total_frames`` at ``fps`` yields.

        Raises:
            ValueError: The header does not tell (e.g. the rate is unknown and needed).
        """
        return 1

    def clip_indices(self, total_frames: int, fps: Optional[float], *, test_mode: bool,
                     clip_index: Optional[int] = None) -> np.ndarray:
        """The clips of one sample of a video, int64 ``(num_clips, num_frames)``.

        Args:
            total_frames: Frames in the video, > 0.
            fps: Its frame rate, ``None`` if unknown.
            test_mode: Deterministic choices (validation, test, inference).
            clip_index: Which of the video's :meth:`num_samples` samples; ``None``: the
                whole video as one sample.

        Raises:
            ValueError: The video cannot be sampled so (the message says why).
        """
        raise NotImplementedError

    def transform(self, results: dict) -> dict:
        try:
            clips = self.clip_indices(total_frames_of(results), results.get('avg_fps'),
                                      test_mode=bool(results.get('test_mode', False)),
                                      clip_index=results.get('clip_index'))
        except ValueError as error:
            raise ValueError(f"{type(self).__name__}: {results.get('filename')!r}: "
                             f'{error}') from None
        return write_frame_indices(results, clips.reshape(-1), len(clips), self.num_frames)

    def modalities(self, specs: Modalities) -> Modalities:
        """``frame_inds``: T = ``num_frames``."""
        specs['frame_inds'] = frame_indices(self.num_frames)
        return specs
