"""Tests for the DumpPredictions CSV writer."""
import os

import pytest
import torch
from mmengine.evaluator import Evaluator

from vidreg.evaluation import AccuracyMetric, DumpPredictions
from vidreg.structures.video_data_sample import VideoDataSample


def _sample(label, path, idx, *, score=None, value=None) -> VideoDataSample:
    sample = VideoDataSample(metainfo=dict(path=path, sample_idx=idx, num_views=1))
    if score is not None:
        sample.set_gt_label(label, 'classification')
        sample.pred_score = torch.tensor(score)
        sample.pred_label = torch.tensor(score).argmax()
    else:
        sample.set_gt_label(label, 'regression')
        sample.pred_value = torch.tensor(value)
    return sample


def test_classification_one_row_per_video_through_evaluator(tmp_path):
    out_file = tmp_path / 'new' / 'preds.csv'
    evaluator = Evaluator([AccuracyMetric(topk=(1,)), DumpPredictions(str(out_file))])
    evaluator.dataset_meta = dict(classes=('grow', 'shrink'))
    evaluator.process([_sample(1, 'b.avi', 2, score=[0.25, 0.75]),
                       _sample(0, 'a.avi', 0, score=[0.5, 0.5]),
                       _sample(0, 'a.avi', 1, score=[1.0, 0.0])])
    metrics = evaluator.evaluate(3)
    assert sorted(metrics) == ['acc/clip/mean_class_accuracy', 'acc/clip/top1',
                               'acc/mean_class_accuracy', 'acc/top1']  # dump adds none
    assert out_file.read_text() == ('path,label,pred,score_grow,score_shrink\n'
                                    'a.avi,0,0,0.75,0.25\n'
                                    'b.avi,1,1,0.25,0.75\n')
    assert os.listdir(out_file.parent) == ['preds.csv']  # no temporary file left
    assert evaluator.metrics[1].last_details['num_videos'] == 2


def test_regression_single_and_multi_output(tmp_path):
    metric = DumpPredictions(str(tmp_path / 'single.csv'))
    metric.process(None, [_sample(0.5, 'a', 0, value=[0.25]).to_dict(),
                          _sample(-1.0, 'b', 1, value=[-0.125]).to_dict()])
    assert metric.evaluate(2) == {}
    assert (tmp_path / 'single.csv').read_text() == 'path,label,pred\na,0.5,0.25\nb,-1,-0.125\n'

    metric = DumpPredictions(str(tmp_path / 'multi.csv'))
    metric.process(None, [_sample([1.0, 2.0], 'a', 0, value=[1.5, 2.0]).to_dict(),
                          _sample([1.0, 2.0], 'a', 1, value=[0.5, 3.0]).to_dict()])
    metric.evaluate(2)
    assert (tmp_path / 'multi.csv').read_text() == ('path,label_0,label_1,pred_0,pred_1\n'
                                                    'a,1,2,1,2.5\n')


def test_overwrites_atomically_and_rejects_bad_input(tmp_path):
    out_file = tmp_path / 'p.csv'
    out_file.write_text('old\n')
    metric = DumpPredictions(str(out_file))
    metric.process(None, [_sample(0, 'a', 0, score=[0.9, 0.1]).to_dict()])
    metric.evaluate(1)
    assert out_file.read_text() == 'path,label,pred,score_0,score_1\na,0,0,0.9,0.1\n'
    with pytest.raises(ValueError):
        DumpPredictions(str(tmp_path / 'p.txt'))
    metric.process(None, [_sample(0, 'a', 0, score=[0.9, 0.1]).to_dict(),
                          _sample(0.5, 'b', 1, value=[0.1]).to_dict()])
    with pytest.raises(ValueError, match=r"several tasks \['classification', 'regression'\]"):
        metric.evaluate(2)
    assert sorted(os.listdir(tmp_path)) == ['p.csv']


def test_multi_label_rows_list_the_classes_present_and_those_at_the_threshold(tmp_path):
    out_file = tmp_path / 'preds.csv'
    metric = DumpPredictions(str(out_file))
    metric.dataset_meta = dict(classes=('cat', 'dog', 'bird'))
    samples = []
    rows = [([1, 0, 1], [0.8, 0.1, 0.3]), ([0, 0, 0], [0.2, 0.2, 0.1])]
    for idx, (label, score) in enumerate(rows):
        sample = VideoDataSample(metainfo=dict(path=f'{idx}.avi', sample_idx=idx))
        sample.set_gt_label(label, 'multilabel')
        sample.pred_score, sample.pred_threshold = torch.tensor(score), torch.tensor(0.3)
        samples.append(sample.to_dict())
    metric.process(None, samples)
    metric.compute_metrics(metric.results)
    assert out_file.read_text() == ('path,label,pred,score_cat,score_dog,score_bird\n'
                                    '0.avi,0;2,0;2,0.8,0.1,0.3\n'
                                    '1.avi,,,0.2,0.2,0.1\n')
