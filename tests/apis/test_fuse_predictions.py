"""fuse_prediction_files (tools/fuse_predictions.py): weighted average of dumped stream scores,
per video."""
import csv

import numpy as np
import pytest

from vidreg.apis import fuse_prediction_files
from vidreg.datasets import DatasetError


def _dump(path, rows):
    with open(path, 'w', newline='') as f:
        writer = csv.writer(f)
        writer.writerow(['path', 'label', 'pred', 'score_a', 'score_b'])
        for name, label, scores in rows:
            writer.writerow([name, label, int(np.argmax(scores)), *scores])
    return str(path)


def test_fuses_weighted_scores_of_shared_videos(tmp_path, capsys):
    rgb = _dump(tmp_path / 'rgb.csv', [('v1', 0, (0.6, 0.4)), ('v2', 1, (0.7, 0.3)),
                                       ('only_rgb', 0, (1.0, 0.0))])
    flow = _dump(tmp_path / 'flow.csv', [('v2', 1, (0.4, 0.6)), ('v1', 0, (0.2, 0.8))])
    out = tmp_path / 'fused.csv'
    fused = fuse_prediction_files([rgb, flow], [1, 1.5], str(out))
    assert fused.paths == ['v1', 'v2'] and fused.labels.tolist() == [0, 1]
    rows = list(csv.DictReader(open(out)))
    assert [r['path'] for r in rows] == ['v1', 'v2']
    # v1: a = (0.6 + 1.5 * 0.2) / 2.5 = 0.36 -> b; v2: a = (0.7 + 0.6) / 2.5 = 0.52 -> a
    np.testing.assert_allclose([float(r['score_a']) for r in rows], [0.36, 0.52])
    assert [r['pred'] for r in rows] == ['1', '0']
    text = capsys.readouterr().out
    assert 'over 2 videos' in text and '0.5000' in text


def test_mismatched_labels_are_named(tmp_path):
    rgb = _dump(tmp_path / 'rgb.csv', [('v1', 0, (0.6, 0.4))])
    flow = _dump(tmp_path / 'flow.csv', [('v1', 1, (0.2, 0.8))])
    with pytest.raises(DatasetError, match="'v1'"):
        fuse_prediction_files([rgb, flow])


def test_bad_weights_and_files_are_named_before_anything_is_fused(tmp_path):
    rgb = _dump(tmp_path / 'rgb.csv', [('v1', 0, (0.6, 0.4))])
    with pytest.raises(DatasetError, match=r'--weights: give 2 non-negative numbers'):
        fuse_prediction_files([rgb, str(tmp_path / 'missing.csv')], [1, -1])
    with pytest.raises(FileNotFoundError, match='missing.csv: no such predictions file'):
        fuse_prediction_files([rgb, str(tmp_path / 'missing.csv')])
    (tmp_path / 'short.csv').write_text('path,label,pred,score_a,score_b\nv1,0,0,0.5\n')
    with pytest.raises(DatasetError, match=r'short.csv, line 2: 1 scores, the header names 2'):
        fuse_prediction_files([rgb, str(tmp_path / 'short.csv')])
