import errno

import pytest

from vidreg.utils import NoSpaceError, atomic_open, atomic_path, remove_stale_temps


def test_the_file_appears_only_when_complete(tmp_path):
    path = tmp_path / 'sub' / 'summary.json'
    with atomic_open(str(path)) as file:
        file.write('{"a": 1}')
        assert not path.exists()
        assert [p.name for p in path.parent.iterdir()][0].endswith('.tmp')
    assert path.read_text() == '{"a": 1}'
    assert [p.name for p in path.parent.iterdir()] == ['summary.json']


def test_a_failed_write_keeps_the_old_file_and_no_temporary(tmp_path):
    path = tmp_path / 'epoch_1.pth'
    path.write_bytes(b'old')
    with pytest.raises(RuntimeError):
        with atomic_open(str(path), 'wb') as file:
            file.write(b'half of the ne')
            raise RuntimeError('killed')
    assert path.read_bytes() == b'old'
    assert [p.name for p in tmp_path.iterdir()] == ['epoch_1.pth']


class FullDisk:
    """Stands in for a writer (torch.save, savefig) on a full disk: writes part, then ENOSPC."""

    def __init__(self, path):
        self.path = path

    def save(self):
        with open(self.path, 'wb') as file:
            file.write(b'x' * 1000)
            raise OSError(errno.ENOSPC, 'No space left on device')


def test_a_full_disk_is_named_in_one_line_and_the_partial_file_removed(tmp_path):
    path = tmp_path / 'epoch_3.pth'
    with pytest.raises(NoSpaceError) as info:
        with atomic_path(str(path)) as tmp:
            FullDisk(tmp).save()
    message = str(info.value)
    assert 'no space left on device while writing' in message and 'epoch_3.pth' in message
    assert '\n' not in message and info.value.errno == errno.ENOSPC
    assert list(tmp_path.iterdir()) == []


def test_other_os_errors_pass_through(tmp_path):
    with pytest.raises(PermissionError):
        with atomic_path(str(tmp_path / 'x')):
            raise PermissionError(errno.EACCES, 'denied')


def test_stale_temporaries_are_removed_and_nothing_else(tmp_path):
    keep = ['epoch_1.pth', 'notes.tmp', '.hidden', '.epoch_2.pth.123.tmp']
    stale = ['.epoch_2.pth.' + 'a' * 32 + '.tmp',
             '.summary.json.' + '0123456789abcdef' * 2 + '.tmp']
    for name in keep + stale:
        (tmp_path / name).write_text('x')
    removed = remove_stale_temps(str(tmp_path))
    assert sorted(removed) == sorted(str(tmp_path / n) for n in stale)
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(keep)
    assert remove_stale_temps(str(tmp_path / 'missing')) == []
