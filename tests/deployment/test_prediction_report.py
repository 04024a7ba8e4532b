"""Predictions: top-k by name, CSV/JSON files, the timeline PNG."""
import csv
import json

import numpy as np
import pytest

from vidreg.deployment import Prediction, save_timeline_png, write_predictions


def windows():
    return [Prediction.of(v, path='/v/talk.mp4', task='classification', classes=('a', 'b', 'c'),
                          start=s, end=s + 2.0)
            for s, v in [(0.0, [0.1, 0.7, 0.2]), (1.0, [0.5, 0.2, 0.3])]]


def test_topk_names_classes_and_regression_lists_values():
    assert windows()[0].topk(2) == [('b', 0.7), ('c', 0.2)]
    reg = Prediction.of([0.25, -1.0], path='v', task='regression')
    assert reg.names == ('value_0', 'value_1') and reg.topk(1) == [('value_0', 0.25),
                                                                   ('value_1', -1.0)]


def test_csv_and_json_hold_every_window_and_the_bad_inputs(tmp_path):
    csv_path, json_path = write_predictions(windows(), [('x.mp4', 'does not exist')],
                                            str(tmp_path / 'out' / 'p'), topk=2)
    with open(csv_path) as f:
        rows = list(csv.DictReader(f))
    assert [(r['start'], r['pred'], r['b']) for r in rows] == [('0.000', 'b', '0.7'),
                                                               ('1.000', 'a', '0.2')]
    with open(json_path) as f:
        data = json.load(f)
    assert data['predictions'][1]['topk'] == [dict(name='a', prob=0.5), dict(name='c', prob=0.3)]
    assert data['bad_inputs'] == [dict(input='x.mp4', reason='does not exist')]


def test_timeline_png(tmp_path):
    path = save_timeline_png(windows(), str(tmp_path / 't.png'))
    with open(path, 'rb') as f:
        assert f.read(8) == b'\x89PNG\r\n\x1a\n'
    with pytest.raises(ValueError):
        save_timeline_png([], str(tmp_path / 'none.png'))
    assert np.isfinite(windows()[0].values).all()


def test_multi_label_lists_the_labels_at_or_above_the_threshold_and_every_score(tmp_path):
    both = Prediction.of([0.9, 0.2, 0.4], path='/v/a.mp4', task='multilabel',
                         classes=('cat', 'dog', 'bird'), threshold=0.4)
    none = Prediction.of([0.1, 0.2, 0.3], path='/v/b.mp4', task='multilabel',
                         classes=('cat', 'dog', 'bird'), threshold=0.4)
    assert both.labels() == [('cat', 0.9), ('bird', 0.4)] and both.topk(1) == both.labels()
    assert none.summary == 'none'
    csv_path, json_path = write_predictions([both, none], [], str(tmp_path / 'p'), topk=1)
    with open(csv_path) as f:
        rows = list(csv.DictReader(f))
    assert [(r['pred'], r['dog']) for r in rows] == [('cat;bird', '0.2'), ('', '0.2')]
    with open(json_path) as f:
        first = json.load(f)['predictions'][0]
    assert first['threshold'] == 0.4 and [x['name'] for x in first['labels']] == ['cat', 'bird']
    assert first['values'] == {'cat': 0.9, 'dog': 0.2, 'bird': 0.4}
