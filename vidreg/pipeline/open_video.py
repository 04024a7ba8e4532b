"""Open the video of a sample (or a folder that mirrors it); DecodeFrames decodes later."""
import os.path as osp
from typing import Optional

from vidreg.registry import TRANSFORMS, VIDEO_DECODERS

from .decoders import VideoReadError, build_video_reader, mirrored_folder
from .modality import RGB_FRAMES, Modalities
from .step import PipelineStep

# The key of the sample's own reader; its counts and rate are the sample's (samplers read them).
VIDEO_READER_KEY = 'video_reader'


@TRANSFORMS.register_module()
class OpenVideo(PipelineStep):
    """Open a video file or frame folder with a ``VIDEO_DECODERS`` reader.

    Opening reads only the container header, so samplers can choose frames
    before anything is decoded. :class:`DecodeFrames` closes the reader.

    Several readers can coexist in one sample, each under its own
    ``reader_key``: e.g. RGB from the video and precomputed flow images from
    the folder that ``tools/extract_flow.py`` wrote for it::

        dict(type='OpenVideo'),
        dict(type='OpenVideo', reader=dict(type='FlowFolderReader'),
             video_root=data_root, mirror_root=flow_root, reader_key='flow_reader'),

    With ``video_root`` and ``mirror_root`` the reader opens the sample's folder
    in the tree ``mirror_root`` that mirrors ``video_root``
    (:func:`~vidreg.pipeline.decoders.mirrored_folder`: the video's path
    relative to ``video_root`` without its extension, what
    ``tools/extract_flow.py VIDEO_ROOT MIRROR_ROOT`` and ``tools/extract_frames.py``
    write), e.g. ``data/hmdb51/run/a.avi`` -> ``data/hmdb51_flow/run/a``.

    Required keys: ``filename``.

    Added keys: ``reader_key`` (a ``BaseVideoReader``). With the default
    ``reader_key='video_reader'`` also ``total_frames`` (the container's count: a
    hint, corrected by ``DecodeFrames`` if the video is shorter) and ``avg_fps``
    (frames per second, ``None`` if unknown), the sample's timing that samplers
    read; another reader's counts stay on the reader (``.total_frames``, ``.fps``).

    Args:
        reader: Config of the reader, built with the sample's path, e.g.
            ``dict(type='PyAVReader', num_threads=1)``,
            ``dict(type='FrameFolderReader', fps=30, min_short_side=128)`` or a
            plugin's reader. ``None``: ``dict(type='auto_video_reader')``,
            which opens folders with ``FrameFolderReader`` and files with
            ``PyAVReader(num_threads=1)`` (``OpenCVReader`` without PyAV); give
            it ``folder_reader=`` / ``file_reader=`` configs for options.
        video_root: The folder the sample's ``filename`` lies below (the dataset's
            videos, the INPUT given to the extraction tool). Give it with
            ``mirror_root``; ``None`` opens ``filename`` itself.
        mirror_root: The folder that mirrors ``video_root`` (the extraction tool's
            OUTPUT, e.g. the flow images' root).
        reader_key: Where the reader goes (read by ``DecodeFrames(reader_key=...)``).
    """

    def __init__(self, reader: Optional[dict] = None, *, video_root: Optional[str] = None,
                 mirror_root: Optional[str] = None,
                 reader_key: str = VIDEO_READER_KEY) -> None:
        self.reader = dict(type='auto_video_reader') if reader is None else dict(reader)
        if 'type' not in self.reader:
            raise ValueError(f"OpenVideo: reader needs a 'type' (a VIDEO_DECODERS name, e.g. "
                             f"'PyAVReader'), got {reader!r}")
        if (video_root is None) != (mirror_root is None):
            raise ValueError(f'OpenVideo: give video_root and mirror_root together (the tree '
                             f'mirror_root mirrors video_root), got video_root={video_root!r}, '
                             f'mirror_root={mirror_root!r}')
        if not (isinstance(reader_key, str) and reader_key):
            raise ValueError(f'OpenVideo: reader_key must be a non-empty key name, '
                             f'got {reader_key!r}')
        self.video_root, self.mirror_root = video_root, mirror_root
        self.reader_key = reader_key

    def source(self, filename: str) -> str:
        """The path the reader opens for a sample whose ``filename`` is given.

        Raises:
            VideoReadError: The mirrored folder does not exist (its message names the
                video, the folder expected and the command that makes it).
        """
        if self.mirror_root is None:
            return filename
        try:
            folder = mirrored_folder(filename, self.video_root, self.mirror_root)
        except ValueError as err:
            raise VideoReadError(filename, str(err).rstrip('.'), hint=(
                f'Its {self.reader_key} is found from its path below video_root: set '
                f"OpenVideo(video_root=...) to the dataset's video folder, or, for a video "
                f'elsewhere, infer with a config that computes this input while loading '
                f"(tools/infer.py --config; flow_source = 'on_the_fly').")) from None
        if not osp.isdir(folder):
            raise VideoReadError(folder, f'the folder of video {filename!r} mirrored under '
                                 f'{self.mirror_root!r} does not exist', hint=(
                                     f'Extract it first, e.g. for flow images: python '
                                     f'tools/extract_flow.py {self.video_root} '
                                     f'{self.mirror_root} (frames: tools/extract_frames.py); '
                                     f'finished videos are skipped on a rerun.'))
        return folder

    def missing_input(self, filename: str) -> Optional[str]:
        """Why the input this step opens for ``filename`` is missing, or ``None``.

        Datasets ask every pipeline step that has this method while they check their rows,
        so a missing mirrored folder (e.g. flow images not extracted yet) is reported with
        the other bad rows before training, not when the sample first loads. The sample's
        own file is checked by the dataset itself, so only a mirrored folder is looked at.
        """
        if self.mirror_root is None:
            return None
        try:
            self.source(filename)
        except VideoReadError as err:
            return f'{err.reason} ({err.path!r}). {err.hint}'
        return None

    def transform(self, results: dict) -> dict:
        reader = build_video_reader(self.source(results['filename']), self.reader)
        results[self.reader_key] = reader
        if self.reader_key == VIDEO_READER_KEY:
            results['total_frames'] = reader.total_frames
            results['avg_fps'] = reader.fps
        return results

    def modalities(self, specs: Modalities) -> Modalities:
        """``reader_key``: what the reader's frames are (its class's ``modality``; RGB for
        ``auto_video_reader`` and other functions)."""
        specs[self.reader_key] = getattr(VIDEO_DECODERS.get(self.reader['type']), 'modality',
                                         RGB_FRAMES)
        return specs
