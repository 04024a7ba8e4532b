"""Where the real sample clips of ``shared/data`` are, for tests and benchmarks."""
import os
import os.path as osp

REPO = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))


def shared_data_dir() -> str:
    """The folder of the shared sample clips (``bikes.mp4``, ``mmaction2/``...).

    Looked for in ``$VIDREG_SHARED_DATA``, then ``shared/data`` beside the checkout
    (where CI puts it), then ``/work/shared/data``. Tests that need the clips are
    skipped, with this explanation, when none exists.
    """
    candidates = [os.environ.get('VIDREG_SHARED_DATA'), osp.join(REPO, '..', 'shared', 'data'),
                  '/work/shared/data']
    for candidate in candidates:
        if candidate and osp.isfile(osp.join(candidate, 'mmaction2', 'test.mp4')):
            return osp.normpath(candidate)
    import pytest
    pytest.skip('the shared sample clips were not found (set VIDREG_SHARED_DATA to the folder '
                'holding bikes.mp4 and mmaction2/)', allow_module_level=True)
