"""tools/export.py as a command: a user error is one `error:` line and exit code 2."""
from vidreg.testing.run_tool import call_tool
from vidreg.testing.tiny_checkpoint import write_tiny_checkpoint


def test_the_tool_prints_one_error_line_and_exits_2(tmp_path):
    checkpoint = write_tiny_checkpoint(tmp_path / 'tiny.pth')
    result = call_tool('tools/export.py', checkpoint, '--out', checkpoint, expect=2)
    assert 'Traceback' not in result.stderr, result.stderr
    assert result.stderr.startswith('error: --out') and result.stderr.count('\n') == 1
