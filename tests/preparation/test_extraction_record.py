"""The record extract_frames.py / extract_flow.py keep in each folder, read back on real
extractions of tiny videos."""
from dataclasses import replace

from vidreg.preparation.extraction_record import folder_problem, read_record, write_record
from vidreg.preparation.frame_extraction import ExtractJob, extract_video
from vidreg.testing.tiny_video import write_tiny_video


def test_record_states_and_what_check_data_is_told(tmp_path):
    video = write_tiny_video(tmp_path / 'clip.avi', num_frames=6)
    folder = str(tmp_path / 'frames')
    result = extract_video(ExtractJob(video, folder), num_frames=4, short_side=16)
    assert (result.status, result.num_frames, result.header_frames, result.decoded_frames) == \
        ('done', 4, 6, 6)
    record = read_record(folder, 'frames')
    assert record.options == dict(fps=None, num_frames=4, short_side=16, format='jpg',
                                  quality=95)
    assert folder_problem(folder, 'frames') is None and read_record(folder, 'flow') is None
    write_record(folder, replace(record, complete=False))
    assert 'its extraction was interrupted: rerun tools/extract_frames.py' in \
        folder_problem(folder, 'frames')
    with open(f'{folder}/.vidreg-frames.json', 'w') as file:
        file.write('{"kind": "frames", "vid')  # damaged
    assert 'is not a readable extraction record' in folder_problem(folder, 'frames')
    redone = extract_video(ExtractJob(video, folder), num_frames=4, short_side=16)
    assert redone.status == 'done' and read_record(folder, 'frames') == record


def test_a_folder_without_record_is_taken_as_done(tmp_path):
    """Folders from an extraction before records were kept (or from another tool)."""
    video = write_tiny_video(tmp_path / 'clip.avi', num_frames=6)
    folder = tmp_path / 'frames'
    folder.mkdir()
    for i in range(1, 4):
        (folder / f'img_{i:05d}.jpg').write_bytes(b'old')
    result = extract_video(ExtractJob(video, str(folder)))
    assert (result.status, result.num_frames, result.truncated) == ('skipped', 3, False)
    assert folder_problem(str(folder), 'frames') is None
