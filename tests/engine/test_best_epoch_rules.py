"""Which epoch is best: vidreg's metrics have known rules (a regression config needs no
save_best rule), an unknown one is a clear error before training, and an epoch with NaN
metrics is never the best in the training summary."""
import json
import math
from types import SimpleNamespace

import pytest
from mmengine.logging import MessageHub

from vidreg.config import ConfigError
from vidreg.engine.hooks import CheckpointAfterValHook, TrainSummaryHook
from vidreg.engine.hooks.checkpoint_after_val_hook import infer_rule
from vidreg.engine.hooks.train_summary_hook import HISTORY_KEY


@pytest.mark.parametrize('metric, rule', [
    ('reg/mse', 'less'), ('reg/rmse', 'less'), ('reg/mae', 'less'), ('clip/reg/mae', 'less'),
    ('val/loss', 'less'), ('reg/pearson', 'greater'), ('reg/spearman', 'greater'),
    ('acc/top1', 'greater'), ('val/acc/mean_class_accuracy', 'greater'), ('error', None)])
def test_rules_of_vidregs_metrics(metric, rule):
    assert infer_rule(metric) == rule


def test_save_best_without_a_rule_gets_the_metrics_rule():
    assert CheckpointAfterValHook(interval=1, save_best='reg/rmse').rules == ['less']
    auto = CheckpointAfterValHook(interval=1, save_best='auto')
    auto._init_rule(auto.rules, ['reg/mse'])  # what mmengine does after the first validation
    assert auto.rules == ['less']


def test_a_metric_without_a_known_rule_is_a_config_error_naming_the_fix():
    with pytest.raises(ConfigError, match=r"reg/foo.*default_hooks.checkpoint.rule=less"):
        CheckpointAfterValHook(interval=1, save_best='reg/foo')


def test_a_misspelt_save_best_metric_is_named_with_the_metrics_there_are():
    hook = CheckpointAfterValHook(interval=1, save_best='reg/rmes', rule='less')
    with pytest.raises(ConfigError, match=r"'reg/rmes', which validation does not report; it "
                                          r'reports reg/mse, reg/rmse \(e.g. --cfg-options '
                                          r'default_hooks.checkpoint.save_best=reg/mse\)'):
        hook._save_best_checkpoint(None, {'reg/mse': 4.0, 'reg/rmse': 2.0})  # after validating


def summarise(tmp_path, history, hooks=()):
    message_hub = MessageHub.get_instance(f'summary-{tmp_path.name}')
    message_hub.update_info(HISTORY_KEY, history)
    runner = SimpleNamespace(message_hub=message_hub, hooks=list(hooks), work_dir=str(tmp_path))
    TrainSummaryHook().after_train(runner)  # what mmengine's Runner calls
    with open(tmp_path / 'summary.json') as f:
        return json.load(f)


HISTORY = [dict(epoch=1, train_loss=2.0, **{'val/reg/mse': 9.0, 'val/reg/pearson': 0.1}),
           dict(epoch=2, train_loss=1.0, **{'val/reg/mse': 4.0, 'val/reg/pearson': 0.5}),
           dict(epoch=3, train_loss=math.nan, **{'val/reg/mse': math.nan,
                                                 'val/reg/pearson': math.nan})]


def test_no_save_best_still_picks_the_lowest_error_never_a_nan_epoch(tmp_path, capsys):
    summary = summarise(tmp_path, HISTORY)
    assert (summary['best_metric'], summary['best_rule'], summary['best_epoch']) == (
        'val/reg/mse', 'less', 2)
    assert 'best epoch: 2 (by val/reg/mse, less is better' in capsys.readouterr().out


def test_a_run_with_only_nan_metrics_claims_no_best_epoch(tmp_path, capsys):
    hook = CheckpointAfterValHook(interval=1, save_best='reg/pearson')
    summary = summarise(tmp_path, HISTORY[2:], hooks=[hook])
    assert summary['best_epoch'] is None and summary['best_metrics'] == {}
    assert 'best epoch: none (no epoch has a finite val/reg/pearson)' in capsys.readouterr().out
