"""The test pipeline of a config, run on one video, a frame array or a window of a video."""
import os
from typing import List, Union

import numpy as np
from mmengine.config import Config

from vidreg.datasets.video_collate import video_collate
from vidreg.pipeline import Compose, OpenVideo, PipelineStep
from vidreg.pipeline.decoders import ArrayReader, BaseVideoReader, WindowReader
from vidreg.structures import Inputs
from vidreg.utils import register_all_modules

__all__ = ['TestTimePipeline']


class TestTimePipeline:
    """``test_dataloader.dataset.pipeline`` of a config, split after its :class:`OpenVideo`.

    ``tools/test.py`` runs this pipeline on each row of the test set; inference
    runs the same steps on the same kind of row (``filename``, ``task``,
    ``test_mode=True``), so both see the same frames, crops and views (a sampler that makes
    every clip a sample, ``EveryClipSampleFrames``, gives a whole video's clips as its
    views: the video-level prediction the test reports). Splitting off the opening step
    lets a caller hand in another reader: the frames of an array, or one window of a long
    video (:class:`WindowReader`).

    Args:
        cfg: A vidreg config with ``test_dataloader.dataset.pipeline``.
        task: ``'classification'`` or ``'regression'`` (needed to pack samples).

    A pipeline that opens a second source beside the video (another ``OpenVideo``,
    e.g. precomputed flow images found from the video's path) runs on whole video
    files only: the frames of an array or a window would not match the precomputed
    ones, so those are refused, never silently paired with the wrong fields.

    Raises:
        ValueError: The pipeline does not start with ``OpenVideo``.
    """

    __test__ = False  # not a pytest test class, despite its name

    def __init__(self, cfg: Config, task: str) -> None:
        register_all_modules()  # steps are looked up in vidreg's scope
        steps = [dict(step) for step in cfg.test_dataloader.dataset.pipeline]
        built = Compose(steps).steps
        if not built or not isinstance(built[0], OpenVideo):
            raise ValueError('Inference needs a test pipeline that starts with OpenVideo; the '
                             f'config has {steps[:1]}. Pass a config whose '
                             'test_dataloader.dataset.pipeline opens videos.')
        self.open_step = built[0]
        self.after_open = Compose(built[1:])
        # Further sources opened from the sample's path (e.g. OpenVideo(reader_key='flow_reader')).
        self.other_sources = [step for step in built[1:] if isinstance(step, OpenVideo)]
        self.task = task

    def step_configs(self) -> List[dict]:
        """Every step with all its arguments (:meth:`~vidreg.pipeline.PipelineStep.config`):
        what an exported model stores for the deployment runner.

        Raises:
            ValueError: A step is a plain function, which cannot be stored.
        """
        steps = [self.open_step, *self.after_open.steps]
        plain = [repr(step) for step in steps if not isinstance(step, PipelineStep)]
        if plain:
            raise ValueError(f'The test pipeline has steps that are not PipelineSteps ({plain}); '
                             f'an exported model stores its steps by config: register them as '
                             f'PipelineStep classes.')
        return [step.config() for step in steps]

    def open(self, source: Union[str, os.PathLike, np.ndarray]) -> BaseVideoReader:
        """A reader for a video file, a frame folder or a uint8 ``(N, H, W, 3)`` RGB array."""
        if isinstance(source, np.ndarray):
            return ArrayReader(source)
        return self.open_step(dict(filename=os.fspath(source)))['video_reader']

    def __call__(self, reader: BaseVideoReader, *, sample_idx: int = 0) -> dict:
        """Run the steps after ``OpenVideo`` on ``reader`` (closed by ``DecodeFrames``).

        Returns:
            ``inputs`` ``{name: uint8 (V, T, C, H, W)}`` (NumPy) and ``data_samples`` (the
            sample's record), as a dataset returns.
        """
        if self.other_sources and isinstance(reader, (ArrayReader, WindowReader)):
            reader.close()
            raise ValueError(
                f'This test pipeline also reads {", ".join(map(repr, self.other_sources))} '
                f'from each video\'s path (precomputed inputs), so it runs on whole video '
                f'files only, not on a frame array or a window of a video (their frame numbers '
                f'would not match the precomputed ones). Use a config that computes the input '
                f'while loading (e.g. flow_source = \'on_the_fly\').')
        results = dict(filename=reader.path, video_reader=reader, total_frames=reader.total_frames,
                       avg_fps=reader.fps, task=self.task, test_mode=True, sample_idx=sample_idx)
        return self.after_open(results)

    def batch_of_one(self, source: Union[str, os.PathLike, np.ndarray]) -> Inputs:
        """The packed ``inputs`` of one video with a batch axis, as ``video_collate`` gives.

        Returns:
            ``{name: uint8 (1, V, T_k, C_k, H, W)}``, one per key of ``PackVideoInputs``,
            contiguous.
        """
        inputs = video_collate([self(self.open(source))])['inputs']
        return {key: value.contiguous() for key, value in inputs.items()}
