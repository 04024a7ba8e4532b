"""MultiLabelThresholdHook: the validation split's best threshold goes into the head (and so into
the checkpoint written after it); other models and metrics are left alone."""
import logging
from types import SimpleNamespace

import pytest

from vidreg.engine.hooks import CheckpointAfterValHook, MultiLabelThresholdHook
from vidreg.models.heads import ClsHead, MultiLabelHead
from vidreg.utils import register_all_modules

register_all_modules()


def _runner(head):
    return SimpleNamespace(model=SimpleNamespace(head=head), logger=logging.getLogger('test'))


def test_the_best_validation_threshold_is_stored_in_the_head():
    head = MultiLabelHead(in_channels=4, num_classes=2)
    MultiLabelThresholdHook().after_val_epoch(
        _runner(head), {'multilabel/mAP': 0.8, 'multilabel/best_threshold': 0.35})
    assert float(head.threshold) == pytest.approx(0.35)
    assert 'threshold' in head.state_dict()  # checkpoints carry it


def test_it_runs_before_the_checkpoint_is_written():
    order = {'VERY_HIGH': 10, 'NORMAL': 50, 'VERY_LOW': 90}
    assert order[MultiLabelThresholdHook.priority] < order[CheckpointAfterValHook.priority]


def test_other_heads_and_missing_keys_are_left_alone():
    cls_head = ClsHead(in_channels=4, num_classes=2)
    MultiLabelThresholdHook().after_val_epoch(_runner(cls_head),
                                              {'multilabel/best_threshold': 0.35})
    head = MultiLabelHead(in_channels=4, num_classes=2)
    MultiLabelThresholdHook().after_val_epoch(_runner(head), {'acc/top1': 0.5})
    assert float(head.threshold) == pytest.approx(0.5)
