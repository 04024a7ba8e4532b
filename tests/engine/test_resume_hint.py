"""How a stopped training run is continued: the exact command, for Ctrl-C and a full disk."""
import pytest

from vidreg.engine.resume_hint import continue_command, interrupted_by_user, stopped_run_advice

ARGV = ['tools/train.py', 'configs/demo/restcn_synthetic.py', '--work-dir', 'work dirs/a']


@pytest.fixture
def work_dir(tmp_path):
    (tmp_path / 'last_checkpoint').write_text('epoch_1.pth')
    return str(tmp_path)


@pytest.mark.parametrize('extra', [[], ['--overwrite'], ['--resume'], ['--resume', 'old/e.pth'],
                                   ['--resume=old/e.pth']])
def test_the_command_continues_from_the_work_dirs_latest_checkpoint(work_dir, extra):
    command = continue_command(work_dir, [*ARGV, *extra, '--cfg-options', 'num_frames=4'])
    assert command == ("python tools/train.py configs/demo/restcn_synthetic.py --work-dir "
                       "'work dirs/a' --cfg-options num_frames=4 --resume")


def test_without_a_checkpoint_the_advice_is_to_start_over(tmp_path, work_dir):
    assert continue_command(str(tmp_path / 'empty'), ARGV) is None
    assert 'start over with the same command' in stopped_run_advice(str(tmp_path / 'empty'))
    assert stopped_run_advice(work_dir, argv=ARGV).startswith(
        'continue the run with: python tools/train.py')
    assert 'add --resume to the launch command' in stopped_run_advice(work_dir, 'pytorch')


def test_ctrl_c_is_recognised_inside_another_error():
    def format_config():
        try:
            raise KeyboardInterrupt
        except BaseException:  # as mmengine's Config.pretty_text does
            raise SyntaxError('Failed to format the config file')

    with pytest.raises(SyntaxError) as info:
        format_config()
    assert interrupted_by_user(info.value)
    assert not interrupted_by_user(ValueError('bad'))
