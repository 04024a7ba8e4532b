"""Checkpoints written before the model-contract redesign load into today's models unchanged.

``data/restcn_synthetic_state_dict_e6c21e7.json`` records the state-dict layout (names, shapes,
dtypes) of ``configs/demo/restcn_synthetic.py``'s model as built by commit e6c21e7, the last one
before the redesign. The test writes an mmengine checkpoint of that layout with random values,
loads it the way the tools do, and requires no missing or unexpected key and every value kept.
"""
import json
import os.path as osp

import torch

from vidreg.config import load_config
from vidreg.registry import MODELS
from vidreg.utils import register_all_modules
from vidreg.utils.checkpoint import load_checkpoint_file

HERE = osp.dirname(osp.abspath(__file__))
REPO = osp.dirname(osp.dirname(osp.dirname(HERE)))
LAYOUT = osp.join(HERE, 'data', 'restcn_synthetic_state_dict_e6c21e7.json')

register_all_modules()


def test_checkpoint_of_the_old_layout_loads_without_missing_or_unexpected_keys(tmp_path):
    with open(LAYOUT, encoding='utf-8') as f:
        layout = json.load(f)
    generator = torch.Generator().manual_seed(0)
    state_dict = {name: (torch.randint(0, 9, shape, generator=generator)
                         if dtype == 'int64' else torch.randn(shape, generator=generator))
                  for name, (shape, dtype) in layout.items()}
    path = tmp_path / 'epoch_1.pth'
    torch.save(dict(meta=dict(epoch=1, iter=10, dataset_meta=dict(classes=list('abcdef'))),
                    state_dict=state_dict), path)  # what mmengine's CheckpointHook writes

    cfg = load_config(osp.join(REPO, 'configs', 'demo', 'restcn_synthetic.py'),
                      dict(pretrained=None))
    model = MODELS.build(cfg.model)
    result = model.load_state_dict(load_checkpoint_file(str(path))['state_dict'], strict=False)
    assert not result.missing_keys and not result.unexpected_keys, result
    for name, value in model.state_dict().items():
        assert torch.equal(value, state_dict[name]), name
