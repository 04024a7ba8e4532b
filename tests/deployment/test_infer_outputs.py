"""tools/infer.py's outputs: one name per input, a fresh default folder, all checked up front."""
import os
import os.path as osp

import pytest

from vidreg.deployment import distinct_names, fresh_run_folder, plan_outputs
from vidreg.fileio import OutputPathError


def test_same_named_videos_keep_the_folders_that_tell_them_apart():
    assert distinct_names(['/d/a/clip.avi', '/d/b/clip.avi', '/d/b/other.mp4']) == [
        'a_clip', 'b_clip', 'other']
    assert distinct_names(['/x/cam/a/clip.avi', '/y/cam/a/clip.avi']) == [
        'x_cam_a_clip', 'y_cam_a_clip']
    assert distinct_names(['/d/clip.avi', '/d/clip.mp4', '/d/clip.avi']) == [
        'clip', 'clip_2', 'clip_3']  # the same stem and folders: numbered in order


def test_the_default_is_a_new_folder_per_run(tmp_path):
    first = fresh_run_folder(str(tmp_path))
    os.makedirs(first)
    second = fresh_run_folder(str(tmp_path))
    assert second != first and osp.dirname(second) == str(tmp_path)


def test_default_out_is_under_work_dirs_infer(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    plan = plan_outputs(['v.mp4'], out=None, out_video=None, windows=False, force=False,
                        reads=[])
    assert plan.prefix.startswith(osp.join('work_dirs', 'infer', '')) and \
        plan.prefix.endswith(osp.join('', 'predictions'))


def test_per_video_files_are_named_apart(tmp_path):
    a, b = tmp_path / 'a' / 'clip.avi', tmp_path / 'b' / 'clip.avi'
    frames = tmp_path / 'frames_clip'
    frames.mkdir()
    plan = plan_outputs([str(a), str(b), str(frames)], out=str(tmp_path / 'out' / 'p'),
                        out_video=str(tmp_path / 'v.mp4'), windows=True, force=False, reads=[])
    assert [osp.basename(p) for p in plan.timelines] == [
        'p_a_clip_windows.png', 'p_b_clip_windows.png', 'p_frames_clip_windows.png']
    assert [p and osp.basename(p) for p in plan.videos] == ['v_a_clip.mp4', 'v_b_clip.mp4', None]
    assert 'frames_clip is a frame folder' in plan.notes[0]
    one = plan_outputs([str(a)], out=str(tmp_path / 'p'), out_video=str(tmp_path / 'v.gif'),
                       windows=False, force=False, reads=[])
    assert one.videos == [str(tmp_path / 'v.gif')] and one.timelines == [None]


def test_out_as_a_folder(tmp_path):
    existing = plan_outputs(['v.mp4'], out=str(tmp_path), out_video=None, windows=False,
                            force=False, reads=[])
    assert existing.tables == (str(tmp_path / 'predictions.csv'),
                               str(tmp_path / 'predictions.json'))
    new = plan_outputs(['v.mp4'], out=str(tmp_path / 'new') + os.sep, out_video=None,
                       windows=False, force=False, reads=[])
    assert new.prefix == str(tmp_path / 'new' / 'predictions')


def test_outputs_onto_inputs_and_existing_files_are_refused(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / 'list.csv').write_text('path\nclip.mp4\n')
    (tmp_path / 'clip.mp4').write_bytes(b'video')
    with pytest.raises(OutputPathError, match="--out 'list.csv' is an input of this run"):
        plan_outputs(['clip.mp4'], out='list', out_video=None, windows=False, force=True,
                     reads=['model.pth', None, 'list.csv'])
    with pytest.raises(OutputPathError, match="--out-video './clip.mp4' is an input"):
        plan_outputs(['clip.mp4'], out='p', out_video='./clip.mp4', windows=False, force=True,
                     reads=[])
    (tmp_path / 'p.json').write_text('{}')
    with pytest.raises(OutputPathError, match="'p.json' exists .*--force"):
        plan_outputs(['clip.mp4'], out='p', out_video=None, windows=False, force=False,
                     reads=[])
    plan_outputs(['clip.mp4'], out='p', out_video=None, windows=False, force=True, reads=[])
    with pytest.raises(OutputPathError, match=r'--out-video must end in \.mp4 or \.gif'):
        plan_outputs(['clip.mp4'], out='q', out_video='clip.avi', windows=False, force=False,
                     reads=[])
