"""The command lines of tools/train.py and tools/test.py: argparse refuses what makes no sense,
and a user error is one `error:` line with exit code 2 (each tool's main in this process: the
errors come before any work)."""
from vidreg.testing.run_tool import call_tool

DEMO = 'configs/demo/restcn_synthetic.py'


def test_resume_and_overwrite_exclude_each_other():
    result = call_tool('tools/train.py', DEMO, '--resume', '--overwrite', expect=2)
    assert 'not allowed with argument' in result.stderr


def test_swapped_test_arguments_are_one_error_line(tmp_path):
    checkpoint = tmp_path / 'epoch_1.pth'
    checkpoint.write_bytes(b'PK\x03\x04')
    result = call_tool('tools/test.py', checkpoint, DEMO, expect=2)
    err = result.stderr.strip()
    assert err.startswith('error: the config comes first') and len(err.splitlines()) == 1, err
    assert 'Traceback' not in result.stderr


def test_a_dump_that_is_no_csv_is_an_argument_error(tmp_path):
    result = call_tool('tools/test.py', DEMO, tmp_path / 'x.pth', '--dump', 'preds', expect=2)
    assert "argument --dump: 'preds' is no .csv file" in result.stderr
