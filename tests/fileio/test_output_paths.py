"""check_output_files: outputs never replace inputs, existing files need force, folders refused."""
import os

import pytest

from vidreg.fileio import OutputFile, OutputPathError, check_output_files, same_file


@pytest.fixture
def video(tmp_path):
    path = tmp_path / 'clip.mp4'
    path.write_bytes(b'the input')
    return path


@pytest.mark.parametrize('spelling', ['plain', 'dot_slash', 'symlink', 'hard_link'])
def test_an_input_is_never_an_output_even_with_force(tmp_path, video, monkeypatch, spelling):
    monkeypatch.chdir(tmp_path)
    out = {'plain': 'clip.mp4', 'dot_slash': './clip.mp4', 'symlink': 'link.mp4',
           'hard_link': 'hard.mp4'}[spelling]
    if spelling == 'symlink':
        os.symlink(video, 'link.mp4')
    if spelling == 'hard_link':
        os.link(video, 'hard.mp4')
    with pytest.raises(OutputPathError, match='--out-video .* is an input of this run'):
        check_output_files([OutputFile(out, '--out-video')], inputs=['clip.mp4'], force=True)
    assert video.read_bytes() == b'the input'


def test_an_existing_file_needs_force(tmp_path):
    old = tmp_path / 'model.onnx'
    old.write_bytes(b'old')
    with pytest.raises(OutputPathError, match=r"model.onnx' exists \(--out\): pass --force"):
        check_output_files([OutputFile(str(old), '--out')])
    check_output_files([OutputFile(str(old), '--out')], force=True)


def test_a_folder_is_refused_with_a_file_name_to_use(tmp_path):
    with pytest.raises(OutputPathError, match=r"is a folder: name the file to write, e\.g\. "
                                              r"'.*/tiny.onnx'"):
        check_output_files([OutputFile(str(tmp_path), '--out', 'tiny.onnx')])


def test_two_outputs_that_are_one_file(tmp_path):
    with pytest.raises(OutputPathError, match='are the same file'):
        check_output_files([OutputFile(str(tmp_path / 'a.png'), '--out'),
                            OutputFile(str(tmp_path / '.' / 'a.png'), '--out-video')])


def test_a_folder_that_cannot_be_made_is_found_before_any_work(tmp_path):
    (tmp_path / 'notes.txt').write_text('a file, not a folder')
    with pytest.raises(OutputPathError, match="notes.txt' is a file, not a folder"):
        check_output_files([OutputFile(str(tmp_path / 'notes.txt' / 'sub' / 'v.mp4'),
                                       '--out-video')])
    check_output_files([OutputFile(str(tmp_path / 'new' / 'deeper' / 'v.mp4'), '--out-video')])
    assert not (tmp_path / 'new').exists()  # missing folders are left to the writer


def test_a_read_only_folder_is_found_before_any_work(tmp_path):
    if os.geteuid() == 0:  # root writes through permissions: a folder of /proc takes no file
        with pytest.raises(OutputPathError, match='is not writable'):
            check_output_files([OutputFile('/proc/1/v.mp4', '--out-video')])
        return
    folder = tmp_path / 'ro'
    folder.mkdir()
    folder.chmod(0o555)
    try:
        with pytest.raises(OutputPathError, match='is not writable'):
            check_output_files([OutputFile(str(folder / 'v.mp4'), '--out-video')])
    finally:
        folder.chmod(0o755)


def test_same_file_resolves_links_and_spellings(tmp_path, video):
    assert same_file(str(video), str(tmp_path / '.' / 'clip.mp4'))
    assert not same_file(str(video), str(tmp_path / 'other.mp4'))
