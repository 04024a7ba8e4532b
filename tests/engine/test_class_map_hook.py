"""ClassMapHook: a checkpoint's class-index map against the data it is evaluated on."""
from types import SimpleNamespace

import pytest
from mmengine.evaluator import Evaluator
from mmengine.runner import TestLoop as EngineTestLoop  # not collected as a test class
from torch.utils.data import DataLoader

from vidreg.datasets import CSVDataset
from vidreg.engine.hooks import ClassMapHook
from vidreg.engine.hooks.class_map_hook import ClassMapError, reconcile_classes
from vidreg.evaluation import AccuracyMetric
from vidreg.testing.tiny_video import write_tiny_video


def test_same_map_or_no_map_changes_nothing():
    assert reconcile_classes(('run', 'walk'), ('run', 'walk'), 'the test set') is None
    assert reconcile_classes(None, ('run', 'walk'), 'the test set') is None
    assert reconcile_classes(('0', '1'), ('run', 'walk'), 'the test set') is None


def test_integer_labels_get_the_trained_names():
    assert reconcile_classes(('run', 'walk'), ('0', '1'), 'the test set') == ('run', 'walk')


@pytest.mark.parametrize('data, message', [
    (('walk', 'run'), "0: 'run' vs 'walk'"),  # same names, another order
    (('run', 'walk', 'jump'), 'trained on 2 classes but the test set has 3'),
])
def test_mismatch_is_refused_with_both_maps(data, message):
    with pytest.raises(ClassMapError, match=message):
        reconcile_classes(('run', 'walk'), data, 'the test set')


def _test_loop(tmp_path, classes=None):
    rows = ['path,label'] + [f'{write_tiny_video(tmp_path / f"v{i}.avi", seed=i)},{i % 2}'
                             for i in range(2)]
    (tmp_path / 'test.csv').write_text('\n'.join(rows) + '\n')
    dataset = CSVDataset(ann_file=str(tmp_path / 'test.csv'), num_classes=2, classes=classes)
    runner = SimpleNamespace(visualizer=SimpleNamespace())  # all TestLoop touches
    return EngineTestLoop(runner, DataLoader(dataset), Evaluator([AccuracyMetric()])), runner


def test_hook_names_an_integer_test_set(tmp_path):
    loop, runner = _test_loop(tmp_path)
    runner._test_loop = loop
    checkpoint = dict(meta=dict(dataset_meta=dict(classes=('run', 'walk'), task='classification')))
    ClassMapHook().after_load_checkpoint(runner, checkpoint)
    assert loop.evaluator.metrics[0].dataset_meta['classes'] == ('run', 'walk')


def test_hook_stops_on_a_reordered_test_set(tmp_path):
    loop, runner = _test_loop(tmp_path, classes=['walk', 'run'])
    runner._test_loop = loop
    checkpoint = dict(meta=dict(dataset_meta=dict(classes=('run', 'walk'))))
    with pytest.raises(ClassMapError, match='the test set'):
        ClassMapHook().after_load_checkpoint(runner, checkpoint)
