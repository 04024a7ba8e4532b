"""Clip-wise access to a sample's frames, shared by the temporal-stream steps (SG3I, flow)."""
import numpy as np

from ._spatial import gather_frames


def clip_frames(results: dict, key: str, name: str) -> np.ndarray:
    """The frames of ``key`` laid out as views of clips: ``(V, T, C, H, W)``.

    V = ``num_crops * num_clips``; ``frame_map`` (which describes ``imgs`` only) is applied
    when present, so the frames come in clip order whatever ``DecodeFrames`` shared.
    """
    if key not in results:
        raise KeyError(f'{name}: the sample of {results.get("filename")!r} has no key {key!r} '
                       f'(it has {sorted(results)}); put it after DecodeFrames.')
    frames = results[key]
    if key == 'imgs' and results.get('frame_map') is not None:
        frames = gather_frames(frames, results['frame_map'])
    num_views = results.get('num_crops', 1) * results.get('num_clips', 1)
    if len(frames) % num_views:
        raise ValueError(f'{name}: {len(frames)} frames of {key!r} cannot be {num_views} views '
                         f'(num_crops x num_clips) for {results.get("filename")!r}.')
    return frames.reshape(num_views, len(frames) // num_views, *frames.shape[1:])
