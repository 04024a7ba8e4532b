"""Multi-label end to end on the synthetic multi-label videos: train (mAP chooses the best
checkpoint, validation the threshold), test with --dump and the per-class AP chart, export to
ONNX, and predict with onnxruntime: every class's score and the labels above the stored
threshold."""
import csv
import json
import os.path as osp

import pytest
import torch

from vidreg.apis import evaluate_checkpoint, export_checkpoint, train_model
from vidreg.deployment.infer_files import infer_files
from vidreg.plugins import REPO_ROOT
from vidreg.utils.checkpoint import load_checkpoint_file

pytestmark = pytest.mark.slow
DEMO = osp.join(REPO_ROOT, 'configs', 'demo', 'restcn_synthetic_multilabel.py')
CLASSES = ['red_disc', 'green_square', 'blue_bar', 'brighten']


@pytest.fixture(scope='module')
def trained(tmp_path_factory):
    root = tmp_path_factory.mktemp('multilabel')
    options = {'data_root': str(root / 'data'), 'videos_per_class': (2, 1, 1), 'num_frames': 2,
               'img_size': 32, 'batch_size': 4, 'num_workers': 0, 'max_epochs': 1,
               'tensorboard': False}
    work_dir = str(root / 'work')
    train_model(DEMO, work_dir=work_dir, cfg_options=options)
    with open(osp.join(work_dir, 'summary.json')) as f:
        summary = json.load(f)
    return root, work_dir, options, summary


def test_train_test_dump_export_and_infer(trained, capsys):
    root, work_dir, options, summary = trained
    best = summary['best_checkpoint']
    assert osp.basename(best).startswith('best_multilabel_mAP_epoch_')
    state = load_checkpoint_file(best)
    threshold = float(state['state_dict']['head.threshold'])
    best_epoch = [row for row in summary['history'] if row['epoch'] == summary['best_epoch']][0]
    assert threshold == pytest.approx(best_epoch['val/multilabel/best_threshold'])

    dump = str(root / 'dump.csv')
    metrics = evaluate_checkpoint(DEMO, best, dump=dump, work_dir=work_dir, cfg_options=options)
    assert 0 <= metrics['multilabel/mAP'] <= 1
    assert metrics['multilabel/threshold'] == pytest.approx(threshold)  # chosen on validation
    report = capsys.readouterr().out
    assert 'Per-class AP' in report and all(name in report for name in CLASSES)
    assert osp.getsize(osp.join(work_dir, 'per_class_ap.png')) > 1000
    with open(dump) as f:
        rows = list(csv.DictReader(f))
    with open(osp.join(options['data_root'], 'test.csv')) as f:
        truth = {osp.join(options['data_root'], row['path']): row['label']
                 for row in csv.DictReader(f)}
    assert len(rows) == len(truth) == 4 * 1
    for row in rows:
        assert row['label'] == truth[row['path']]  # ';' lists, as the annotations write them
        scores = [float(row[f'score_{name}']) for name in CLASSES]
        assert row['pred'] == ';'.join(str(k) for k, s in enumerate(scores) if s >= threshold)

    onnx = str(root / 'model.onnx')
    export_checkpoint(best, onnx, exporter='legacy')
    video = rows[0]['path']
    out = str(root / 'pred')
    assert infer_files(onnx, [video], backend='onnxruntime', out=out) == 0
    with open(f'{out}.json') as f:
        prediction = json.load(f)['predictions'][0]
    assert prediction['threshold'] == pytest.approx(threshold)
    assert list(prediction['values']) == CLASSES
    for name in CLASSES:  # the graph's scores are the PyTorch model's
        assert prediction['values'][name] == pytest.approx(float(rows[0][f'score_{name}']),
                                                           abs=1e-4)
    assert [label['name'] for label in prediction['labels']] == sorted(
        (n for n in CLASSES if prediction['values'][n] >= threshold),
        key=lambda n: -prediction['values'][n])
    assert torch.is_tensor(state['state_dict']['head.threshold'])
