"""print_error: one unwrapped line whatever the length of the paths in it."""
import os
import subprocess
import sys

import pytest

from vidreg.utils import print_error

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def test_a_long_error_is_one_line_when_not_a_terminal(capsys):
    path = '/data/' + 'very_long_folder_name/' * 12 + 'clip [1].mp4'
    print_error(f'Cannot read video {path!r}: it cannot be read.')
    err = capsys.readouterr().err
    assert err == f"error: Cannot read video {path!r}: it cannot be read.\n"


@pytest.mark.slow
def test_a_tool_run_from_a_deep_path_prints_its_path_on_one_line(tmp_path):
    deep = tmp_path.joinpath(*['a_directory_name_of_sixty_characters_to_make_paths_long_xxxx'] * 3)
    deep.mkdir(parents=True)
    config = deep / 'no_such_config.py'
    result = subprocess.run([sys.executable, os.path.join(REPO, 'tools', 'check_data.py'),
                             str(config)], capture_output=True, text=True, cwd=deep, timeout=120,
                            env={**os.environ, 'COLUMNS': '', 'TERM': 'dumb'})
    assert result.returncode == 2, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith('error: ') and repr(str(config)) in lines[0]


def test_a_warning_is_one_line_too(capsys):
    from vidreg.utils import print_warning
    path = '/data/' + 'very_long_folder_name/' * 12 + 'clip.mp4'
    print_warning(f'{path} is truncated')
    assert capsys.readouterr().err == f'warning: {path} is truncated\n'
