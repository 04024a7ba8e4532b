"""Runtime bad-sample policy: a video that fails to decode is skipped loudly, never replaced.

Row checks (missing file, bad label) run before training, in :class:`BaseVideoDataset`.
A file can still fail later, while decoding. With ``on_bad_sample='error'`` (default) its
:class:`VideoReadError` propagates and names the file. With ``'warn_skip'``:

1. the dataset returns a :class:`SkippedSample` marker instead of the sample, with one
   warning naming the file (:func:`prepare_or_skip`);
2. :func:`skip_bad_collate` drops the markers, batches the rest with
   :func:`video_collate`, and lists the skipped files in the batch under ``'skipped'``
   (the data preprocessor ignores that key);
3. :class:`~vidreg.engine.hooks.SkippedSamplesHook` sums them and reports the count at the
   end of every epoch.

The batch is smaller by the skipped samples; no other sample takes their place (mmengine's
own policy for a ``None`` sample re-draws a random index, which silently changes the data).
"""
import warnings
from typing import Any, Sequence

from vidreg.registry import FUNCTIONS

from .base_video_dataset import DatasetError
from .decoders import VideoReadError
from .video_collate import video_collate


class SkippedSample:
    """Stands in for a sample whose video could not be decoded.

    Args:
        path: The file that failed.
        reason: Why, from the :class:`VideoReadError`.
        sample_idx: Index of the sample in its dataset.
    """

    def __init__(self, path: str, reason: str, sample_idx: int) -> None:
        self.path, self.reason, self.sample_idx = path, reason, sample_idx

    def __repr__(self) -> str:
        return f'SkippedSample({self.path!r}, {self.reason!r}, sample_idx={self.sample_idx})'


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


@FUNCTIONS.register_module()
def skip_bad_collate(samples: Sequence[Any]) -> dict:
    """:func:`video_collate` of the good samples; skipped ones are listed, not replaced.

    Args:
        samples: Outputs of ``PackVideoInputs`` and :class:`SkippedSample` markers.

    Returns:
        ``inputs`` uint8 ``(B, V, T, C, H, W)`` with B = the good samples,
        ``data_samples`` (B of them) and ``skipped``, a list of ``(path, reason)``.

    Raises:
        DatasetError: Every sample of the batch failed.
    """
    skipped = [(s.path, s.reason) for s in samples if isinstance(s, SkippedSample)]
    good = [s for s in samples if not isinstance(s, SkippedSample)]
    if not good:
        raise DatasetError(
            f'Every sample of a batch failed to decode ({[p for p, _ in skipped]}); a batch '
            f'cannot be empty. Run tools/check_data.py CONFIG to list the bad files, and fix or '
            f'remove them (or use a larger batch size).')
    batch = video_collate(good)
    batch['skipped'] = skipped
    return batch


__all__ = ['SkippedSample', 'prepare_or_skip', 'skip_bad_collate']
