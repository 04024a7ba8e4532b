"""Runtime bad-sample policy: a video that fails to decode is skipped loudly, never replaced.

Row checks (missing file, bad label) run before training, in :class:`BaseVideoDataset`.
A file can still fail later, while decoding. With ``on_bad_sample='error'`` (default) its
:class:`VideoReadError` propagates and names the file. With ``'warn_skip'``:

1. the dataset returns a :class:`SkippedSample` marker instead of the sample, with one
   warning naming the file (:func:`prepare_or_skip`);
2. :func:`~vidreg.datasets.video_collate.video_collate` drops the markers, batches the
   rest, and lists the skipped files in the batch under ``'skipped'`` (the data
   preprocessor ignores that key); a batch whose every sample was skipped is empty, and
   the loops (:mod:`vidreg.engine.runner`) skip it without running the model;
3. :class:`~vidreg.engine.hooks.SkippedSamplesHook` sums them (and the empty batches) and
   reports the count at the end of every epoch.

The batch is smaller by the skipped samples; no other sample takes their place (mmengine's
own policy for a ``None`` sample re-draws a random index, which silently changes the data).
"""
import warnings
from typing import Any

from vidreg.pipeline.decoders import VideoReadError

from .skipped_sample import SkippedSample


def prepare_or_skip(dataset: Any, idx: int) -> Any:
    """Run the pipeline on sample ``idx``, applying the dataset's ``on_bad_sample`` policy.

    Meant as the body of ``BaseVideoDataset.prepare_data``.

    Returns:
        The pipeline's output, or a :class:`SkippedSample` when the video fails to decode
        and ``dataset.on_bad_sample == 'warn_skip'``.

    Raises:
        VideoReadError: The video fails to decode and the policy is ``'error'``.
    """
    data_info = dataset.get_data_info(idx)
    try:
        return dataset.pipeline(data_info)
    except VideoReadError as error:
        if getattr(dataset, 'on_bad_sample', 'error') != 'warn_skip':
            raise
        warnings.warn(f'{type(dataset).__name__}: skipping sample {idx} ({error.path!r}): '
                      f'{error.reason}')
        return SkippedSample(error.path, error.reason, idx)


__all__ = ['SkippedSample', 'prepare_or_skip']
