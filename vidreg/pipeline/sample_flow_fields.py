"""Choose the precomputed flow fields of each RGB clip (Simonyan & Zisserman's stack)."""
from typing import Literal, Optional

import numpy as np

from vidreg.registry import TRANSFORMS

from .frame_indices import check_positive
from .modality import Modalities, frame_indices
from .step import PipelineStep


@TRANSFORMS.register_module()
class SampleFlowFields(PipelineStep):
    """For each clip of the frame indices, ``L`` consecutive flow fields of a flow folder.

    Flow image ``i`` of a folder that ``tools/extract_flow.py`` wrote (or denseflow, read by
    ``FlowFolderReader``) is the flow from native frame ``i`` to ``i + 1``. Each clip of
    ``inds_key`` (``num_clips`` clips of T frames) gets the fields ``s, s + 1, ..., s + L - 1``
    with ``s`` its first frame (``anchor='first'``) or ``s = centre - L // 2`` around its
    centre frame ``clip[T // 2]`` (``'centre'``, the stack around a frame of Simonyan &
    Zisserman 2014), shifted back inside the folder's ``F`` fields (``0 <= s <= F - L``); a
    folder of fewer than ``L`` fields repeats its last one.

    With the defaults (``anchor='first'``, ``L = T - 1``) a clip of T consecutive native
    frames (``frame_interval=1``) that lies inside the video gets exactly the pairs
    :class:`OpticalFlow` computes from it (see ``docs/architecture.md``, "Precomputed flow
    beside RGB"); with a larger stride or a frame-rate sampler the RGB frames are spread
    out while the flow stack stays consecutive at the native rate (TSN's layout).

    Required keys: ``inds_key`` (int64 ``(num_clips * T,)``), ``num_clips``, ``reader_key``
    (a reader of flow fields, for its ``total_frames``).

    Added keys: ``out_key`` (int64 ``(num_clips * L,)``, clip-major, each clip ascending),
    read by ``DecodeFrames(reader_key=..., inds_key=out_key, out_key='flow')``.

    Args:
        num_fields: L, flow fields per clip; ``None``: T - 1 (the pairs of the clip).
        anchor: Start the stack at each clip's first frame, or centre it on its centre frame.
        reader_key: The flow reader (``OpenVideo(reader_key=...)``).
        inds_key: The RGB clips' frame indices.
        out_key: Where the flow fields' indices go.
    """

    accepts_frame_map = True  # reads indices only

    def __init__(self, *, num_fields: Optional[int] = None,
                 anchor: Literal['first', 'centre'] = 'first', reader_key: str = 'flow_reader',
                 inds_key: str = 'frame_inds', out_key: str = 'flow_inds') -> None:
        if num_fields is not None:
            check_positive(num_fields=num_fields)
        if anchor not in ('first', 'centre'):
            raise ValueError(f"anchor must be 'first' or 'centre', got {anchor!r}")
        self.num_fields, self.anchor = num_fields, anchor
        self.reader_key, self.inds_key, self.out_key = reader_key, inds_key, out_key

    def transform(self, results: dict) -> dict:
        name = results.get('filename')
        for key in (self.reader_key, self.inds_key):
            if key not in results:
                raise KeyError(f'SampleFlowFields: the sample of {name!r} has no {key!r} (it has '
                               f'{sorted(results)}); put the OpenVideo / sampler step that '
                               f'makes it before.')
        inds = np.asarray(results[self.inds_key], dtype=np.int64)
        num_clips = int(results.get('num_clips', 1))
        if len(inds) % num_clips:
            raise ValueError(f'SampleFlowFields: {len(inds)} indices of {self.inds_key!r} '
                             f'cannot be {num_clips} clips for {name!r}.')
        clips = inds.reshape(num_clips, -1)  # (num_clips, T)
        num_frames = clips.shape[1]
        length = num_frames - 1 if self.num_fields is None else self.num_fields
        if length < 1:
            raise ValueError(f'SampleFlowFields: clips of {num_frames} frame(s) of {name!r} hold '
                             f'no frame pair; sample >= 2 frames or set num_fields.')
        total = int(results[self.reader_key].total_frames)
        if self.anchor == 'first':
            starts = clips[:, 0]
        else:
            starts = clips[:, num_frames // 2] - length // 2
        starts = np.clip(starts, 0, max(total - length, 0))
        fields = starts[:, None] + np.arange(length)  # (num_clips, L)
        results[self.out_key] = np.minimum(fields, total - 1).reshape(-1)
        return results

    def modalities(self, specs: Modalities) -> Modalities:
        """``out_key``: indices of L fields per clip (``num_fields``, or T - 1 of ``inds_key``)."""
        length = self.num_fields
        if length is None and specs.get(self.inds_key) is not None:
            frames = specs[self.inds_key].frames
            length = None if frames is None else frames - 1
        specs[self.out_key] = frame_indices(length)
        return specs
