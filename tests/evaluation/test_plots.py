"""Tests for the confusion-matrix PNG."""
import os

import numpy as np
import pytest
from matplotlib.image import imread

from vidreg.evaluation import save_confusion_matrix_png, save_training_curves_png
from vidreg.evaluation.plots import save_per_class_ap_png, training_curves_figure


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


def test_training_curves_put_the_validation_loss_beside_the_training_loss(tmp_path):
    history = [dict(epoch=1, train_loss=1.5, **{'val/loss': 1.6, 'val/acc/top1': 0.3}),
               dict(epoch=2, train_loss=1.2),  # an epoch without validation
               dict(epoch=3, train_loss=0.9, **{'val/loss': 1.1, 'val/acc/top1': 0.6})]
    path = save_training_curves_png(history, tmp_path / 'curves.png')
    assert imread(path).ndim == 3
    assert os.listdir(tmp_path) == ['curves.png']
    figure = training_curves_figure(history)
    loss_axes, metric_axes = figure.axes
    assert [line.get_label() for line in loss_axes.get_lines()] == ['train_loss', 'val/loss']
    assert [line.get_label() for line in metric_axes.get_lines()] == ['val/acc/top1']
    assert list(loss_axes.get_lines()[1].get_xdata()) == [1, 3]


def test_per_class_ap_bars_mark_a_class_without_positives(tmp_path):
    path = save_per_class_ap_png({'red_disc': 0.9, 'blue_bar': float('nan'), 'brighten': 0.5},
                                 {'red_disc': 4, 'blue_bar': 0, 'brighten': 3},
                                 tmp_path / 'ap.png', title='test')
    image = imread(path)
    assert image.ndim == 3 and min(image.shape[:2]) > 100
