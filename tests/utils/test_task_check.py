"""A head that does not fit the data's task stops before anything is built, naming the config."""
import os.path as osp

import pytest

from vidreg.config import ConfigError, load_config
from vidreg.datasets import CSVDataset
from vidreg.utils import register_all_modules
from vidreg.utils.task_check import check_labels_fit_head, check_model_task

REPO = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))

register_all_modules()


def _config(name, **options):
    return load_config(osp.join(REPO, 'configs', name), options)


@pytest.mark.parametrize('name', ['restcn_csv.py', 'restcn_csv_regression.py',
                                  'restcn_daisee.py', 'restcn_daisee_regression.py',
                                  'demo/restcn_synthetic_regression.py', 'cnn_rnn_hmdb51.py'])
def test_shipped_configs_pass(name):
    check_model_task(_config(name))


def test_classification_head_on_regression_names_the_regression_config():
    cfg = _config('restcn_csv.py', task='regression', num_classes=None)
    with pytest.raises(ConfigError) as error:
        check_model_task(cfg)
    message = str(error.value)
    assert "task='regression'" in message and 'ClsHead' in message
    assert 'restcn_csv_regression.py instead' in message and '\n' not in message


def test_regression_head_on_classification_names_the_classification_config():
    cfg = _config('restcn_daisee_regression.py', task='classification')
    with pytest.raises(ConfigError, match=r'RegHead .*restcn_daisee\.py instead'):
        check_model_task(cfg)


def test_mixup_on_a_regression_head_is_refused_before_building():
    cfg = _config('demo/restcn_synthetic_regression.py')
    cfg.model.data_preprocessor.batch_augments = dict(type='MixUpCutMix', num_classes=6)
    with pytest.raises(ConfigError, match=r'batch_augments mixes class labels \(MixUpCutMix\)'):
        check_model_task(cfg)


def test_classification_head_without_num_classes():
    cfg = _config('restcn_csv.py', num_classes=None)
    with pytest.raises(ConfigError,
                       match=r'ClsHead with num_classes=None.*restcn_csv_regression\.py instead'):
        check_model_task(cfg)


def test_config_without_a_sibling_gets_the_head_to_write(tmp_path):
    path = tmp_path / 'mine_regression.py'  # no mine.py next to it
    path.write_text("model = dict(type='Recognizer', head=dict(type='RegHead'))\n"
                    "train_dataloader = dict(dataset=dict(type='CSVDataset'))\n")
    with pytest.raises(ConfigError, match=r"model.head=dict\(type='ClsHead', num_classes=K\)"):
        check_model_task(load_config(str(path)))


def test_dataset_default_task_counts(tmp_path):
    cfg = _config('restcn_csv_regression.py')
    for loader in ('train_dataloader', 'val_dataloader', 'test_dataloader'):
        del cfg[loader].dataset['task']  # CSVDataset's default: classification
    with pytest.raises(ConfigError, match='train_dataloader has task=.classification.'):
        check_model_task(cfg)


def test_a_dataset_with_more_classes_than_the_head_is_refused_before_building():
    cfg = _config('restcn_csv.py', num_classes=6)
    cfg.merge_from_dict({'model.head.num_classes': 3})
    with pytest.raises(ConfigError, match=r'train_dataloader.dataset has num_classes=6 but '
                                          r'model.head has num_classes=3.*num_classes=6 sets'):
        check_model_task(cfg)


def test_labels_beyond_the_heads_classes_are_refused_once_the_data_is_read(tmp_path):
    """A dataset without num_classes checks no upper bound: the labels are compared here."""
    for name in ('a.avi', 'b.avi'):
        (tmp_path / name).write_bytes(b'x')  # rows are checked for existence only
    (tmp_path / 'train.csv').write_text('path,label\na.avi,0\nb.avi,5\n')
    dataset = CSVDataset(ann_file='train.csv', data_root=str(tmp_path))
    cfg = _config('restcn_csv.py', num_classes=None)
    cfg.merge_from_dict({'model.head.num_classes': 3})
    with pytest.raises(ConfigError) as error:
        check_labels_fit_head(cfg, dataset, 'train_dataloader')
    message = str(error.value)
    assert message.startswith(f'train_dataloader: the labels of {tmp_path / "train.csv"} go up '
                              f'to 5 (6 classes) but model.head has num_classes=3')
    cfg.merge_from_dict({'model.head.num_classes': 6})
    check_labels_fit_head(cfg, dataset, 'train_dataloader')
