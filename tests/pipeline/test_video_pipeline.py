"""Frame layout planning: a step that does not declare accepts_frame_map gets whole clips."""
import shutil

import numpy as np

from vidreg.datasets import CSVDataset
from vidreg.pipeline import (
    Compose,
    DecodeFrames,
    OpenVideo,
    PackVideoInputs,
    PipelineStep,
    Resize,
    SampleFrames,
    ThreeCrop,
)
from vidreg.testing.shared_data import shared_data_dir
from vidreg.utils import register_all_modules

DATA = shared_data_dir()


class ReverseTime(PipelineStep):
    """A plugin-style temporal step that indexes frames by clip position (no frame_map support)."""

    def transform(self, results: dict) -> dict:
        self.seen = (results['imgs'].shape[0], 'frame_map' in results)
        results['imgs'] = results['imgs'][::-1]
        return results


class Spy(PipelineStep):
    """Records what it is given; it treats every frame alike, so it accepts frame_map."""

    accepts_frame_map = True

    def transform(self, results: dict) -> dict:
        self.seen = (results['imgs'].shape[0], 'frame_map' in results)
        return results


def folder_sample(tmp_path) -> dict:
    """A 10-frame folder read as 16 frames: the clip loops, so frames repeat."""
    shutil.copytree(f'{DATA}/mmaction2/frames_img', tmp_path / 'clip')
    return dict(filename=str(tmp_path / 'clip'), test_mode=True)


def test_a_step_without_the_declaration_gets_the_clip_positions(tmp_path):
    sample = folder_sample(tmp_path)
    reverse = ReverseTime()
    pipeline = Compose([OpenVideo(), SampleFrames(num_frames=16), DecodeFrames(),
                               reverse, PackVideoInputs()])
    assert pipeline.steps[2].share_repeated_frames is False
    packed = pipeline(dict(sample))
    assert reverse.seen == (16, False)
    plain = Compose([OpenVideo(), SampleFrames(num_frames=16), DecodeFrames(),
                            PackVideoInputs()])(dict(sample))
    np.testing.assert_array_equal(packed['inputs']['imgs'],
                                  plain['inputs']['imgs'][:, ::-1])  # (V, T, C, H, W)


def test_declared_steps_keep_the_repeated_frames_shared(tmp_path):
    spy = Spy()
    pipeline = Compose([OpenVideo(), SampleFrames(num_frames=16), DecodeFrames(), spy,
                               Resize(short_side=32), ThreeCrop(crop_size=32),
                               PackVideoInputs()])
    assert pipeline.steps[2].share_repeated_frames is True
    packed = pipeline(folder_sample(tmp_path))
    assert spy.seen == (10, True)  # 10 distinct frames for 16 positions
    assert packed['inputs']['imgs'].shape == (3, 16, 3, 32, 32)


def test_datasets_plan_the_layout_of_their_pipeline(tmp_path):
    register_all_modules()
    (tmp_path / 'ann.csv').write_text(f'path,label\n{DATA}/mmaction2/test.avi,0\n')
    steps = [dict(type='OpenVideo'), dict(type='SampleFrames', num_frames=4), dict(
        type='DecodeFrames')]
    shared = CSVDataset(ann_file='ann.csv', data_root=str(tmp_path), num_classes=1,
                        pipeline=[*steps, dict(type='PackVideoInputs')])
    assert shared.pipeline.steps[2].share_repeated_frames is True
    plain = CSVDataset(ann_file='ann.csv', data_root=str(tmp_path), num_classes=1,
                       pipeline=[*steps, lambda results: results, dict(type='PackVideoInputs')])
    assert plain.pipeline.steps[2].share_repeated_frames is False
