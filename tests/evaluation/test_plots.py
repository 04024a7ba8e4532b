"""Tests for the confusion-matrix PNG."""
import os

import numpy as np
import pytest
from matplotlib.image import imread

from vidreg.evaluation import save_confusion_matrix_png


def test_writes_a_png(tmp_path):
    path = save_confusion_matrix_png(np.array([[5, 1, 0], [0, 0, 0], [2, 2, 9]]),
                                     ['grow', 'shrink', 'brighten'], tmp_path / 'cm' / 'cm.png',
                                     title='val')
    assert path == str(tmp_path / 'cm' / 'cm.png')
    with open(path, 'rb') as file:
        assert file.read(8) == b'\x89PNG\r\n\x1a\n'
    image = imread(path)
    assert image.ndim == 3 and min(image.shape[:2]) > 100
    assert os.listdir(tmp_path / 'cm') == ['cm.png']


def test_shape_mismatch_raises(tmp_path):
    with pytest.raises(ValueError):
        save_confusion_matrix_png(np.zeros((2, 3)), ['a', 'b'], tmp_path / 'x.png')
    assert not (tmp_path / 'x.png').exists()
