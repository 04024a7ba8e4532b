"""A regression checkpoint from before RegHead kept target statistics loads through every path
(VidregRunner's strict load, init_model) and predicts exactly as it did (identity statistics)."""
import torch

from vidreg.apis import init_model
from vidreg.engine.runner import VidregRunner
from vidreg.registry import MODELS
from vidreg.testing.tiny_checkpoint import tiny_config, write_tiny_checkpoint


def old_checkpoint(tmp_path):
    """A tiny regression checkpoint as written before ``head.target_mean``/``target_std``."""
    path = write_tiny_checkpoint(tmp_path / 'new.pth', task='regression',
                                 data_root=str(tmp_path / 'data'))
    checkpoint = torch.load(path, weights_only=True)
    for key in ('head.target_mean', 'head.target_std'):
        del checkpoint['state_dict'][key]
    torch.save(checkpoint, tmp_path / 'old.pth')
    return str(tmp_path / 'old.pth'), checkpoint['state_dict']


def outputs(model, clips):
    with torch.no_grad():
        return model.eval()(clips, mode='tensor')


def test_runner_and_init_model_load_it_and_predict_as_before(tmp_path):
    path, state = old_checkpoint(tmp_path)
    clips = dict(imgs=torch.randn(2, 1, 3, 4, 32, 32))  # (B, V, C, T, H, W)
    model = MODELS.build(tiny_config(task='regression').model).eval()
    model.load_state_dict(state, strict=False)
    with torch.no_grad():  # what RegHead.forward was: the linear layer's output
        expected = model.head.fc(model.extract_feat(model.fold_views(clips)[0]))
    fitted = MODELS.build(tiny_config(task='regression').model)
    fitted.head.fit_target_stats(torch.tensor([[10.0], [50.0]]))  # replaced by the load
    runner = VidregRunner(model=fitted, work_dir=str(tmp_path / 'work'), default_scope='vidreg',
                          experiment_name='compat', cfg=dict(partial_load=False))
    runner.load_checkpoint(path)  # the strict key check of tools/test.py and load_from
    assert fitted.head.target_mean.tolist() == [0.0] and fitted.head.target_std.tolist() == [1.0]
    assert torch.equal(outputs(fitted, clips), expected)
    assert torch.equal(outputs(init_model(path), clips), expected)  # tools/infer.py, export
